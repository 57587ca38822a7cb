import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// Every kind of bad input gets a 4xx with a machine code and a Chinese message, and nothing is written.
@Suite("API bad input")
struct APIBadInputTests {
    @Test(arguments: TestEngine.available)
    func badUnitBodiesAreRefusedClearlyAndWriteNothing(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            let before = try await unitCount(store)
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("wrong type", #"{"name": 42, "type": "school", "party_organisation": "committee"}"#, .badRequest, "wrong_type"),
                ("missing name", #"{"type": "school", "party_organisation": "committee"}"#, .badRequest, "required"),
                ("blank name", #"{"name": "   ", "type": "school", "party_organisation": "committee"}"#, .badRequest, "required"),
                ("unknown type", #"{"name": "某单位", "type": "castle", "party_organisation": "committee"}"#, .badRequest, "unknown_unit_type"),
                ("unknown kind", #"{"name": "某单位", "type": "school", "party_organisation": "club"}"#, .badRequest, "unknown_party_organisation"),
                ("malformed", #"{"name": "某单位", "type": "#, .badRequest, "malformed_json"),
                ("bad parent id", #"{"name": "某单位", "type": "school", "party_organisation": "committee", "parent_unit_id": "x"}"#, .badRequest, "invalid_id"),
                ("duplicate", #"{"name": "市财政局", "type": "school", "party_organisation": "committee"}"#, .conflict, "duplicate_unit_name"),
                ("control characters", #"{"name": "某\u0007单位", "type": "school", "party_organisation": "committee"}"#, .badRequest, "control_characters"),
            ]
            for (label, body, status, code) in cases {
                let response = try await client.api(.post, "/api/v1/units", token: token, json: body)
                #expect(response.status == status, "\(label)")
                #expect(response.errorCode == code, "\(label): \(response.text)")
                #expect(response.text.contains("\"message\""), "\(label)")
            }
            #expect(try await unitCount(store) == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func oversizeInvalidUTF8AndWrongMediaTypeAreRefused(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            let huge = #"{"name": ""# + String(repeating: "单", count: 40_000) + #"", "type": "school", "party_organisation": "committee"}"#
            let tooLarge = try await client.api(.post, "/api/v1/units", token: token, json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.errorCode == "body_too_large")

            var invalid = ByteBuffer(string: #"{"name": ""#)
            invalid.writeBytes([0xC3, 0x28, 0xFF])
            invalid.writeString(#"", "type": "school", "party_organisation": "committee"}"#)
            let badBytes = try await client.execute(
                uri: "/api/v1/units", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: invalid)
            #expect(badBytes.status == .badRequest)
            #expect(badBytes.errorCode == "invalid_encoding")

            let wrongType = try await client.api(.post, "/api/v1/units", token: token, json: "name=x", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try await unitCount(store) == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCSVWithWrongColumnsIsRejectedWhole(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            let wrongColumns = try await client.api(.post, "/api/v1/units/import", token: token, json: "名字,类别\n甲,学校\n", contentType: "text/csv")
            #expect(wrongColumns.status == .badRequest)
            #expect(wrongColumns.errorCode == "import_rejected")
            let oneBadRow = try await client.api(
                .post, "/api/v1/units/import", token: token, json: "单位名称,单位类型,党组织类型\n甲中学,学校,党委\n乙中学,城堡,党委\n", contentType: "text/csv")
            #expect(oneBadRow.status == .badRequest)
            #expect(oneBadRow.text.contains("第3行"))
            #expect(oneBadRow.text.contains("单位类型"))
            #expect(try await unitCount(store) == 3)
            let good = try await client.api(
                .post, "/api/v1/units/import", token: token, json: "\u{FEFF}name,type,party_organisation\n甲中学,school,committee\n乙中学,学校,党委\n", contentType: "text/csv")
            #expect(good.status == .created)
            #expect(try good.json()["imported"] as? Int == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func badQueryParametersAreRefusedNotIgnored(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            for (query, code) in [("sort=height", "unknown_sort"), ("order=up", "unknown_order"), ("limit=0", "invalid_limit"), ("limit=500", "invalid_limit"), ("cursor=%21%21", "invalid_cursor"), ("type=castle", "unknown_unit_type")] {
                let response = try await client.api(.get, "/api/v1/units?\(query)", token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == code, "\(query)")
            }
            let malformedID = try await client.api(.get, "/api/v1/units/not-a-uuid", token: token)
            #expect(malformedID.status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func badSignInsAnswerWithoutSayingWhichPartWasWrong(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let unknown = try await client.api(.post, "/api/v1/session", json: #"{"username": "nobody", "password": "x"}"#)
            let wrong = try await client.api(.post, "/api/v1/session", json: #"{"username": "t.office.staff", "password": "x"}"#)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.errorCode == "invalid_credentials")
            #expect(wrong.errorCode == "invalid_credentials")
            let noToken = try await client.api(.get, "/api/v1/units")
            #expect(noToken.status == .unauthorized)
            #expect(noToken.errorCode == "unauthenticated")
            let forged = try await client.api(.get, "/api/v1/units", token: "forged")
            #expect(forged.status == .unauthorized)
        }
    }
}
