import Foundation
import Testing

/// The files the release archive carries (`deploy/`, packed by `scripts/release`) keep up with
/// the binary: every setting it reads is in the commented configuration, and the unit runs it
/// as INSTALL.md says.
@Suite("release files")
struct ReleaseFilesTests {
    static var root: URL {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        return root
    }

    /// The `XUNCHA_*` names written as string literals anywhere in `Sources`.
    static func settingsTheBinaryReads() throws -> Set<String> {
        let sources = root.appendingPathComponent("Sources")
        var names: Set<String> = []
        let pattern = try Regex(#""(XUNCHA_[A-Z_]+)""#)
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { names.insert(String(text[match.range].dropFirst().dropLast())) }
        }
        return names
    }

    @Test func everySettingTheBinaryReadsIsInTheCommentedConfiguration() throws {
        let configuration = try String(contentsOf: Self.root.appendingPathComponent("deploy/xuncha.env"), encoding: .utf8)
        let read = try Self.settingsTheBinaryReads()
        #expect(read.count > 15)
        for name in read.sorted() {
            #expect(configuration.contains(name + "="), "deploy/xuncha.env does not say what \(name) does")
        }
    }

    @Test func theUnitRunsTheServerAsItsOwnUserWithTheConfigurationAndRestartsOnFailure() throws {
        let unit = try String(contentsOf: Self.root.appendingPathComponent("deploy/xuncha.service"), encoding: .utf8)
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for wanted in [
            "User=xuncha", "EnvironmentFile=/etc/xuncha/xuncha.env", "ExecStart=/opt/xuncha/bin/xuncha serve", "Restart=on-failure",
            "KillSignal=SIGTERM", "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=xuncha",
        ] {
            #expect(lines.contains(wanted), "xuncha.service lacks \(wanted)")
        }
        let install = try String(contentsOf: Self.root.appendingPathComponent("deploy/INSTALL.md"), encoding: .utf8)
        #expect(install.contains("/etc/xuncha/xuncha.env") && install.contains("/opt/xuncha/bin/") && install.contains("初始账号"))
    }
}
