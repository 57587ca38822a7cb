import Foundation
import Logging
import Synchronization

/// 日志格式: text (swift-log's own lines) or one JSON object per line (`XUNCHA_LOG_FORMAT=json`),
/// for a log collector that reads fields rather than prose.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    private static let bootstrapped = Mutex(false)

    /// Sends the process's logs to standard error in this format. The logging system can be set
    /// up once per process; later calls change nothing.
    public func bootstrap() {
        let first = Self.bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        switch self {
        case .text: LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        case .json: LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
    }
}

/// One JSON object per line: `time` (UTC, ISO 8601 with milliseconds), `level`, `message`, the
/// logger's `label`, `metadata` (the logger's and the call's, strings, lists and objects as
/// JSON), and `source`/`file`/`line` of the call. Written to standard error in one write, so
/// lines of concurrent tasks never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        var object: [String: Any] = [
            "time": Self.timestamp(Date()), "level": event.level.rawValue, "message": event.message.description, "label": label,
            "metadata": merged.mapValues(Self.json), "source": event.source, "file": event.file, "line": Int(event.line),
        ]
        if let error = event.error { object["error"] = String(describing: error) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    @Sendable public static func standardError(_ line: String) {
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let value): return value.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
