import Foundation

/// One file of a bag, by its path inside the bag ("data/…" for the payload, "bagit.txt" …).
public struct BagFile: Sendable, Equatable {
    public var path: String
    public var data: Data

    public init(_ path: String, _ data: Data) {
        self.path = path
        self.data = data
    }
}

/// A BagIt bag (RFC 8493) as files in → files out: the payload goes under `data/`, and beside it
/// `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt` (every payload file) and
/// `tagmanifest-sha256.txt` (every tag file). The digest is handed in, so Core stays free of a
/// crypto library; the store's SHA-256 is what the archive uses.
public enum BagIt {
    /// Hex SHA-256 (lowercase, 64 characters) of some bytes.
    public typealias Digest = @Sendable (Data) -> String

    public static let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    /// The bag of `payload` (paths relative to `data/`), with `info` as bag-info.txt's lines in
    /// order; Payload-Oxum is added. Paths are sorted, so the same payload gives the same bag.
    public static func bag(payload: [BagFile], info: [(String, String)], digest: Digest) -> [BagFile] {
        let data = payload.map { BagFile("data/" + $0.path, $0.data) }.sorted { $0.path < $1.path }
        let oxum = "\(data.reduce(0) { $0 + $1.data.count }).\(data.count)"
        var infoText = ""
        for (label, value) in info + [("Payload-Oxum", oxum)] {
            infoText += "\(label): \(value.replacingOccurrences(of: "\n", with: " "))\n"
        }
        let tags = [
            BagFile("bagit.txt", Data(declaration.utf8)),
            BagFile("bag-info.txt", Data(infoText.utf8)),
            BagFile("manifest-sha256.txt", manifest(data, digest: digest)),
        ]
        return tags + [BagFile("tagmanifest-sha256.txt", manifest(tags, digest: digest))] + data
    }

    /// "digest  path" lines, one per file; paths are percent-encoded where RFC 8493 §2.1.3 asks.
    static func manifest(_ files: [BagFile], digest: Digest) -> Data {
        Data(files.map { "\(digest($0.data))  \(encode($0.path))\n" }.joined().utf8)
    }

    static func encode(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: "\r", with: "%0D")
    }

    static func decode(_ path: String) -> String {
        path.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }

    /// The Payload-Oxum of bag-info.txt ("octets.count"), if it has one.
    public static func info(_ files: [String: Data]) -> [String: String] {
        guard let text = files["bag-info.txt"].flatMap({ String(data: $0, encoding: .utf8) }) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return values
    }

    /// Checks a bag given as every file in it (path → bytes): the declaration, every line of both
    /// manifests against the file's digest, the Payload-Oxum, and that no payload file is missing
    /// from the manifest or listed without being there. Returns the payload's size and count.
    public static func verify(_ files: [String: Data], digest: Digest) throws(BagProblem) -> (octets: Int, count: Int) {
        guard let declaration = files["bagit.txt"].flatMap({ String(data: $0, encoding: .utf8) }),
            declaration.contains("BagIt-Version:"), declaration.contains("Tag-File-Character-Encoding: UTF-8")
        else { throw BagProblem(file: "bagit.txt", reason: "缺少或不是BagIt声明") }
        guard let manifest = files["manifest-sha256.txt"] else { throw BagProblem(file: "manifest-sha256.txt", reason: "缺少清单") }
        let listed = try check(manifest, named: "manifest-sha256.txt", against: files, digest: digest)
        if let tagManifest = files["tagmanifest-sha256.txt"] {
            _ = try check(tagManifest, named: "tagmanifest-sha256.txt", against: files, digest: digest)
        }
        let payload = files.keys.filter { $0.hasPrefix("data/") }
        if let extra = payload.sorted().first(where: { !listed.contains($0) }) { throw BagProblem(file: extra, reason: "文件不在清单中") }
        let octets = payload.reduce(0) { $0 + (files[$1]?.count ?? 0) }
        if let oxum = info(files)["Payload-Oxum"], oxum != "\(octets).\(payload.count)" {
            throw BagProblem(file: "bag-info.txt", reason: "Payload-Oxum为\(oxum)，实际为\(octets).\(payload.count)")
        }
        return (octets, payload.count)
    }

    private static func check(_ manifest: Data, named name: String, against files: [String: Data], digest: Digest) throws(BagProblem) -> Set<String> {
        guard let text = String(data: manifest, encoding: .utf8) else { throw BagProblem(file: name, reason: "不是UTF-8文本") }
        var listed: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
            guard let space = line.firstIndex(of: " ") else { throw BagProblem(file: name, reason: "格式错误：\(line)") }
            let expected = String(line[..<space]).lowercased()
            let path = decode(line[space...].trimmingCharacters(in: .whitespaces))
            guard let data = files[path] else { throw BagProblem(file: path, reason: "清单列出但文件缺失") }
            guard digest(data) == expected else { throw BagProblem(file: path, reason: "SHA-256不符") }
            listed.insert(path)
        }
        return listed
    }
}

/// Why a bag does not verify, naming the file.
public struct BagProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file)：\(reason)" }
}
