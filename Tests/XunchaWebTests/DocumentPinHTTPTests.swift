import Foundation
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// Every chain that issues a 公文 pins the template version in force at its issuing step, so the
/// document reads the same after the office rewords its template: a 专题报告 of 一巡双报告 at its
/// submission, a lead's 移交函 at its transfer; one issued before the office's template stays customary.
@Suite struct DocumentPinHTTPTests {
    static func text(_ response: TestResponse) throws -> String {
        #expect(response.status == .ok, "\(response.text.prefix(300))")
        return try DocumentDownloadHTTPTests.part("word/document.xml", of: Data(response.body.readableBytesView))
    }

    static func save(_ client: any TestClientProtocol, _ kind: DocumentKind, _ json: String, token: String) async throws {
        let saved = try await client.api(.post, "/api/v1/document-templates/\(kind.rawValue)", token: token, json: json)
        #expect(saved.status == .created, "\(saved.text.prefix(300))")
    }

    @Test(arguments: TestEngine.available)
    func aReportKeepsTheVersionItWasSubmittedUnder(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let (office, leader) = (try await demoToken(store, "office"), try await demoToken(store, "zuzhang"))
            let report = try #require((try await client.api(.get, "/api/v1/reports?kind=inspection", token: office).json()["items"] as? [[String: Any]])?.first)
            let demoReport = "/api/v1/reports/\(report["id"] as? String ?? "")/document.docx"
            try await Self.save(client, .specialReport, #"{"wording": {"closing": "特此报告（第一版）。"}}"#, token: office)
            try await Self.save(client, .inspectionReport, #"{"wording": {"closing": "特此报告（第一版）。"}}"#, token: office)
            #expect(try Self.text(try await client.api(.get, demoReport, token: office)).contains("特此报告。"), "submitted before the template: customary")

            let special = try await client.api(
                .post, "/api/v1/assignments/\(report["assignment_id"] as? String ?? "")/reports", token: leader,
                json: #"{"kind": "thematic", "title": "关于选人用人工作的专题报告", "body": "一、总体评价\n总体规范。", "finding_ids": \#(ChainDocumentsHTTPTests.jsonArray(report["finding_ids"]))}"#
            ).json()
            let id = try #require(special["id"] as? String)
            let submitted = try await client.api(.post, "/api/v1/reports/\(id)/steps", token: leader, json: #"{"step": "submit", "version": \#(special["version"] as? Int ?? 0)}"#)
            #expect(submitted.status == .ok, "\(submitted.text.prefix(300))")
            try await Self.save(client, .specialReport, #"{"wording": {"closing": "特此报告（第二版）。"}}"#, token: office)
            let document = try Self.text(try await client.api(.get, "/api/v1/reports/\(id)/document.docx", token: office))
            #expect(document.contains("特此报告（第一版）。"), "submitted under version 1, it stays so")
        }
    }

    @Test(arguments: TestEngine.available)
    func aLeadsLetterKeepsTheVersionItWasTransferredUnder(engine: TestEngine) async throws {
        try await withDemoCity(engine) { store, client in
            let (office, leader, custodian) = (try await demoToken(store, "office"), try await demoToken(store, "zuzhang"), try await demoToken(store, "xiansuo"))
            let leads = try await client.api(.get, "/api/v1/leads?limit=100", token: custodian).json()["items"] as? [[String: Any]] ?? []
            let assignment = try #require(leads.first?["assignment_id"] as? String)
            var lead = try await client.api(
                .post, "/api/v1/assignments/\(assignment)/leads", token: leader,
                json: #"{"source": "interview", "person_name": "王五", "person_post": "科长", "authority": "committee", "subject": "discipline", "content": "反映其违规收受礼金。"}"#
            ).json()
            let id = try #require(lead["id"] as? String)
            try await Self.save(client, .leadTransfer, #"{"wording": {"feedback": "请于{反馈期限}前书面反馈{巡察办}（第一版）。"}}"#, token: office)
            for (token, body) in [
                (leader, #""step": "screen", "note": "可查性强""#), (leader, #""step": "propose", "note": "建议移交""#),
                (try await demoToken(store, "leader"), #""step": "approve""#), (custodian, #""step": "transfer", "transfer_sheet": "江巡移〔2027〕9号""#),
            ] {
                let step = try await client.api(.post, "/api/v1/leads/\(id)/steps", token: token, json: "{\(body), \"version\": \(lead["version"] as? Int ?? 0)}")
                #expect(step.status == .ok, "\(body): \(step.text.prefix(300))")
                lead = try step.json()
            }
            try await Self.save(client, .leadTransfer, #"{"wording": {"feedback": "请于{反馈期限}前书面反馈{巡察办}（第二版）。"}}"#, token: office)
            let letter = try Self.text(try await client.api(.get, "/api/v1/leads/\(id)/transfer-letter.docx", token: custodian))
            #expect(letter.contains("（第一版）"), "transferred under version 1, it stays so")
        }
    }
}
