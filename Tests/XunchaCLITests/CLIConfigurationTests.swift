import Foundation
import Testing

extension CLITests {
    /// A setting out of range must not be ignored: the server would run weaker than its operator believes.
    @Test func aSettingOutOfRangeStopsTheServerBeforeItStarts() async throws {
        try await withDatabase { database in
            let refused = try run(["serve", "--port", "0"], database: database, environment: ["XUNCHA_MAX_FAILED_SIGN_INS": "100"])
            #expect(refused.status == 2)
            #expect(refused.errors.contains("XUNCHA_MAX_FAILED_SIGN_INS=“100”无效：应为3到20之间的整数"), "\(refused.errors)")
            #expect(!FileManager.default.fileExists(atPath: database), "nothing was opened or written")
        }
    }
}
