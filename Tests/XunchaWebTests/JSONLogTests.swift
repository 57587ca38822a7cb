import Foundation
import Logging
import Synchronization
import Testing
@testable import XunchaWeb

/// 日志格式 (issue 17, point 5): `XUNCHA_LOG_FORMAT=json` gives one JSON object per line with
/// the time, level, message and metadata, for a log collector.
@Suite("JSON logs")
struct JSONLogTests {
    @Test func eachLogLineIsOneJSONObjectWithTimeLevelMessageAndMetadata() throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "xuncha") { label in JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } } }
        logger[metadataKey: "server"] = "a"
        logger.info("定时备份完成", metadata: ["folder": "/srv/备份/xuncha-1", "removed": .array(["x", "y"]), "count": "\(3)"])
        logger.debug("not at info")
        logger.error("多行\n消息 \"quoted\"")

        let written = lines.withLock { $0 }
        #expect(written.count == 2, "debug is below the level")
        #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil }, "one line each, a newline only at the end")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info")
        #expect(first["message"] as? String == "定时备份完成")
        #expect(first["label"] as? String == "xuncha")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["folder"] as? String == "/srv/备份/xuncha-1")
        #expect(metadata["removed"] as? [String] == ["x", "y"])
        #expect(metadata["server"] as? String == "a", "the logger's own metadata")
        let time = try #require(first["time"] as? String)
        #expect(time.hasSuffix("Z") && time.contains("."), "UTC with milliseconds: \(time)")
        #expect(try Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)).timeIntervalSinceNow.magnitude < 60)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "多行\n消息 \"quoted\"")
        #expect(second["level"] as? String == "error")
    }

    @Test func theFormatIsASettingAndAnUnknownOneStopsTheStart() throws {
        #expect(try AppConfig.fromEnvironment([:]).logFormat == .text)
        #expect(try AppConfig.fromEnvironment(["XUNCHA_LOG_FORMAT": "JSON"]).logFormat == .json)
        let error = #expect(throws: ConfigurationError.self) { _ = try AppConfig.fromEnvironment(["XUNCHA_LOG_FORMAT": "xml"]) }
        #expect(error?.variable == "XUNCHA_LOG_FORMAT")
    }
}
