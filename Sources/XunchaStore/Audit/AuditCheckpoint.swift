import Crypto
import Foundation
import XunchaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 审计检查点的签名私钥 (Ed25519). It lives in a file outside the database, readable by the service
/// account only; whoever can write the database but not read this file cannot sign a head, so
/// cannot rewrite the history a checkpoint vouches for.
public struct AuditSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public var publicKey: AuditPublicKey { AuditPublicKey(key: key.publicKey) }

    /// The first line of a key file, saying what it is; the key is the base64 line after it.
    static let heading = "# Xuncha 审计检查点签名私钥（Ed25519）。仅限服务账号读取，不得放入数据库、备份目录或交给他人。"

    /// Creates a new key in a new file of mode 0600; an existing file is never overwritten.
    public static func create(at path: String) throws -> AuditSigningKey {
        let key = Curve25519.Signing.PrivateKey()
        let text = heading + "\n" + key.rawRepresentation.base64EncodedString() + "\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "文件已存在，不覆盖（已有密钥请妥善保管，勿重复生成）" : String(cString: strerror(errno))
            throw DomainError.invalid("audit_key_not_written", "无法创建密钥文件 \(path)：\(reason)", english: "cannot create \(path)")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else {
            unlink(path)
            throw DomainError.invalid("audit_key_not_written", "无法写入密钥文件 \(path)", english: "cannot write \(path)")
        }
        return AuditSigningKey(key: key)
    }

    /// Reads a key file: it must exist, be readable by this process only, and hold one key.
    public static func load(from path: String) throws -> AuditSigningKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw DomainError.invalid("audit_key_missing", "找不到审计签名密钥文件 \(path)（可用 xuncha audit keygen --key \(path) 生成）", english: "no key file \(path)")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw DomainError.invalid(
                "audit_key_exposed", "审计签名密钥文件 \(path) 的权限为 \(String(status.st_mode & 0o777, radix: 8))，其他账号可读；请执行 chmod 600 \(path) 后重试",
                english: "key file \(path) is readable by others")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DomainError.invalid("audit_key_unreadable", "无法读取审计签名密钥文件 \(path)（请以服务账号运行）", english: "cannot read \(path)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1, let raw = Data(base64Encoded: lines[0]), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw DomainError.invalid("audit_key_malformed", "\(path) 不是 Xuncha 的审计签名密钥文件", english: "\(path) is not an audit key file")
        }
        return AuditSigningKey(key: key)
    }

    func sign(_ text: String) throws -> String {
        try key.signature(for: Data(text.utf8)).base64EncodedString()
    }
}

/// The public half of the signing key, as the audit administrator keeps it: 32 bytes in base64.
public struct AuditPublicKey: Sendable, Equatable {
    let key: Curve25519.Signing.PublicKey

    public static func == (a: AuditPublicKey, b: AuditPublicKey) -> Bool { a.key.rawRepresentation == b.key.rawRepresentation }

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// The key in base64, or the path of a file holding it (the first line that is not a comment).
    public init(text: String) throws {
        var given = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if FileManager.default.fileExists(atPath: given) {
            guard let data = FileManager.default.contents(atPath: given), let content = String(data: data, encoding: .utf8) else {
                throw DomainError.invalid("audit_public_key_unreadable", "无法读取公钥文件 \(given)", english: "cannot read \(given)")
            }
            given = content.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .first { !$0.isEmpty && !$0.hasPrefix("#") } ?? ""
        }
        guard let raw = Data(base64Encoded: given), raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw DomainError.invalid(
                "audit_public_key_malformed", "公钥“\(given.prefix(60))”格式不正确：应为 xuncha audit keygen 打印的 44 个字符（base64）",
                english: "malformed public key")
        }
        self.key = key
    }

    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// A short name of the key to read aloud and compare: the first 16 hex digits of its SHA-256.
    public var fingerprint: String {
        SHA256.hash(data: key.rawRepresentation).prefix(8).hexadecimal
    }
}

/// 审计检查点: the chain's head at one moment (sequence, hash, entry count, time), signed.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    public var number: Int64
    public var sequence: Int64
    public var hash: String
    public var count: Int64
    public var at: Date
    /// The public half of the key that signed it (base64).
    public var publicKey: String
    public var signature: String
    /// "server" (written at the interval) or the console account that asked.
    public var madeBy: String

    /// The exact text that is signed.
    public var signedText: String {
        "xuncha-audit-checkpoint/1|\(number)|\(sequence)|\(hash)|\(count)|\(at.epochMilliseconds)"
    }

    /// Whether `key` signed this checkpoint as it stands.
    public func isSigned(by key: AuditPublicKey) -> Bool {
        guard publicKey == key.base64, let signature = Data(base64Encoded: signature) else { return false }
        return key.key.isValidSignature(signature, for: Data(signedText.utf8))
    }

    /// One line of JSON, as `xuncha audit checkpoints --export` writes it.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// Reads the JSON lines of an export; a line that is not a checkpoint is an error naming it.
    public static func parse(jsonLines text: String, source: String) throws -> [AuditCheckpoint] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try text.split(whereSeparator: \.isNewline).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let checkpoint = try? decoder.decode(AuditCheckpoint.self, from: Data(trimmed.utf8)) else {
                throw DomainError.invalid("audit_checkpoints_malformed", "\(source) 第\(index + 1)行不是审计检查点", english: "line \(index + 1) is not a checkpoint")
            }
            return checkpoint
        }
    }

    /// The checkpoint as a line of the printed list.
    public var printedLine: String {
        "第\(number)号  \(DateText.table(at))  审计日志至第\(sequence)条（共\(count)条）  链头哈希 \(hash)  签名 \(signature)  （\(madeBy)）"
    }
}
