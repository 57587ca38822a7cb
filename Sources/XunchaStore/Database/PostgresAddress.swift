import Foundation

/// A PostgreSQL URL as libpq reads it, with one host or several:
/// `postgres://xuncha:pw@db1:5432,db2:5432/xuncha?target_session_attrs=read-write`.
///
/// PostgresNIO connects to one host, so each listed host becomes a URL of its own (same user,
/// database and options), tried in the order given — a Patroni cluster without a proxy in front.
struct PostgresAddress: Sendable, Equatable {
    /// libpq's `target_session_attrs`, as far as a server that writes can use it: `read-only`,
    /// `standby` and `prefer-standby` would pick a server Xuncha cannot write to, so they are refused.
    enum SessionTarget: String, Sendable, CaseIterable {
        /// The first host that accepts a connection.
        case any
        /// A host not in recovery whose sessions are not read-only by default.
        case readWrite = "read-write"
        /// A host not in recovery.
        case primary
    }

    /// One listed host, with the URL PostgresNIO reads for it alone.
    struct Member: Sendable, Equatable {
        var host: String
        var port: Int
        var url: String
        /// `host:port`, an IPv6 address in brackets, for logs and messages.
        var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    var members: [Member]
    var target: SessionTarget

    /// Whether connecting needs the host selector: several hosts, or a required kind of session.
    /// One host with no requirement takes the plain pooled connection, as before.
    var needsSelection: Bool { members.count > 1 || target != .any }

    static let parameter = "target_session_attrs"

    init(_ url: String) throws(DatabaseSetupError) {
        let shown = Self.redacting(url)
        guard let scheme = ["postgres://", "postgresql://"].first(where: { url.lowercased().hasPrefix($0) }) else {
            throw DatabaseSetupError(message: "不是 PostgreSQL 地址（应以 postgres:// 开头）：\(shown)")
        }
        let rest = url.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let at = authority.lastIndex(of: "@")
        let userInfo = at.map { String(authority[...$0]) } ?? ""
        let hostList = at.map { authority[authority.index(after: $0)...] } ?? authority

        // What follows the hosts, less target_session_attrs (PostgresNIO does not know it; the selector does).
        var tail = String(rest[authorityEnd...])
        var fragment = ""
        if let hash = tail.firstIndex(of: "#") {
            fragment = String(tail[hash...])
            tail = String(tail[..<hash])
        }
        var target = SessionTarget.any
        if let question = tail.firstIndex(of: "?") {
            var kept: [Substring] = []
            for item in tail[tail.index(after: question)...].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair[0].removingPercentEncoding == Self.parameter else {
                    kept.append(item)
                    continue
                }
                let value = pair.count > 1 ? (pair[1].removingPercentEncoding ?? String(pair[1])) : ""
                guard let chosen = SessionTarget(rawValue: value) else {
                    throw DatabaseSetupError(
                        message: "PostgreSQL 地址中的 \(Self.parameter)=\(value) 不受支持：Xuncha 要写入数据，只能用 "
                            + SessionTarget.allCases.map(\.rawValue).joined(separator: "、") + "（\(shown)）")
                }
                target = chosen
            }
            tail = String(tail[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        let suffix = tail + fragment

        let texts = hostList.split(separator: ",", omittingEmptySubsequences: false)
        var members: [Member] = []
        for (number, text) in texts.enumerated() {
            let (host, hostInURL, port) = try Self.hostAndPort(text, number: number + 1, of: texts.count, shown: shown)
            members.append(Member(host: host, port: port, url: scheme + userInfo + hostInURL + ":\(port)" + suffix))
        }
        self.members = members
        self.target = target
    }

    /// `host`, `host:port` or `[v6]:port`; the port defaults to 5432 as in libpq.
    private static func hostAndPort(_ text: Substring, number: Int, of count: Int, shown: String) throws(DatabaseSetupError) -> (String, String, Int) {
        let which = count > 1 ? "第\(number)个主机" : "主机"
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw DatabaseSetupError(message: "PostgreSQL 地址中\(which)的 IPv6 地址缺少“]”：\(shown)") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw DatabaseSetupError(message: "PostgreSQL 地址中\(which)格式不正确：\(shown)") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw DatabaseSetupError(message: "PostgreSQL 地址缺少\(which)的主机名：\(shown)") }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw DatabaseSetupError(message: "PostgreSQL 地址中\(which)的端口“\(portText)”无效（应为 1–65535）：\(shown)")
            }
            port = number
        }
        let hostInURL = host.contains(":") ? "[\(host)]" : String(host)
        return (String(host), hostInURL, port)
    }

    /// The URL with its password replaced by `***`, whatever the number of hosts.
    static func redacting(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: colon)]) + "***" + String(url[at...])
    }
}
