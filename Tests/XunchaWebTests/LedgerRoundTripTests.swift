import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaSheets
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

/// 导出再导入: every ledger exported in its import's columns imports into an empty installation
/// with the same figures — the office's ledgers survive a move between installations.
@Suite("台账导出再导入")
struct LedgerRoundTripTests {
    /// The figures a year-end report prints from the ledgers (the pools and the groups come from
    /// the installation's own planning, so the round trip leaves them out here and checks the
    /// pools on their own).
    static let ledgerFigures = ["findings", "leads", "rectification", "rule_improvements"]

    static func download(_ client: some TestClientProtocol, _ kind: LedgerKind, token: String) async throws -> Data {
        let response = try await client.api(.get, "/api/v1/imports/\(kind.rawValue)/export?format=xlsx", token: token)
        #expect(response.status == .ok, "\(kind): \(response.text)")
        return Data(buffer: response.body)
    }

    static func upload(_ client: some TestClientProtocol, _ kind: LedgerKind, _ file: Data, token: String) async throws {
        let response = try await LedgerImportWebTests.post(
            client, "/api/v1/imports/\(kind.rawValue)?file_name=\(kind.rawValue).xlsx", token: token, body: file, type: SheetReader.xlsxContentType)
        #expect(response.status == .created, "\(kind): \(response.text)")
    }

    /// The statistics as `path = value` lines, for a comparison that names what differs.
    static func figures(_ client: some TestClientProtocol, token: String, sections: [String]) async throws -> [String] {
        let body = try await client.api(.get, "/api/v1/statistics", token: token).json()
        var lines: [String] = []
        func walk(_ value: Any, _ path: String) {
            switch value {
            case let object as [String: Any]: for key in object.keys.sorted() { walk(object[key]!, path + "." + key) }
            case let array as [Any]: for (index, item) in array.enumerated() { walk(item, path + "[\(index)]") }
            default: lines.append("\(path) = \(value)")
            }
        }
        for section in sections { walk(body[section] ?? NSNull(), section) }
        return lines
    }

    @Test(arguments: TestEngine.available)
    func everyLedgerExportedImportsIntoAnEmptyInstallationWithTheSameFigures(engine: TestEngine) async throws {
        let exported = Exported()
        try await withApp(engine) { store, f, client in
            let site = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let custodian = try await f.signIn(store, .leadCustodian).token
            // Work done here (keyed by its paper's number) beside work imported (keyed by its 编号).
            _ = try await site.atEducation.triagedPaper(store, as: .lead, lead: Scenario.leadDetails("周某"))
            _ = try await site.atEducation.triagedPaper(store, as: .dropped, content: Scenario.content("食堂账目不清"), triageNote: "经核实不属实")
            try await Self.upload(client, .problemList, csvBook(LedgerSamples.problemListHeader, LedgerSamples.problemListRows), token: office)
            try await Self.upload(client, .leadRegister, csvBook(LedgerSamples.leadRegisterHeader, LedgerSamples.leadRegisterRows), token: custodian)
            let notice = try #require(try await client.api(.get, "/api/v1/immediate-rectifications", token: office).json()["items"] as? [[String: Any]]).first?["number"] as? String
            try await Self.upload(
                client, .ruleImprovements,
                csvBook(
                    "制度名称,建立或完善,制度或流程,印发日期,制定单位,主要内容,关联问题序号,关联立行立改编号",
                    [
                        "党组会议事规则,建立,制度,2026-06-01,市财政局,明确三重一大事项集体决策程序,1,",
                        "公务接待审批流程,完善,流程,2026-06-15,市财政局,接待事前审批,2,\(try #require(notice))",
                    ]), token: office)
            for kind in [LedgerKind.problemList, .ruleImprovements] { exported.files[kind] = try await Self.download(client, kind, token: office) }
            exported.files[.leadRegister] = try await Self.download(client, .leadRegister, token: custodian)
            exported.files[.poolRoster] = try await Self.download(client, .poolRoster, token: office)
            exported.figures = try await Self.figures(client, token: office, sections: Self.ledgerFigures)

            // Imported again here, an export updates what it names and adds nothing; work done in
            // Xuncha (named by its number) is refused rather than added twice.
            for (kind, token) in [(LedgerKind.poolRoster, office), (.ruleImprovements, office)] {
                let again = try await LedgerImportWebTests.post(client, "/api/v1/imports/\(kind.rawValue)?dry_run=true", token: token, body: exported.files[kind]!, type: SheetReader.xlsxContentType).json()
                #expect(again["created"] as? Int == 0 && (again["updated"] as? Int ?? 0) > 0, "\(kind): \(again)")
            }
            let again = try await LedgerImportWebTests.post(
                client, "/api/v1/imports/problem_list?dry_run=true", token: office, body: exported.files[.problemList]!, type: SheetReader.xlsxContentType)
            let refusals = try #require(try again.json()["problems"] as? [[String: Any]]).map { $0["code"] as? String }
            #expect(refusals == ["native_record"], "the paper not substantiated here")
            // Six problems and two not substantiated (two handed over as leads), five leads and one
            // dismissed, two rules at one unit, tasks closed, open and overdue.
            for line in ["findings.total = 6", "findings.lead = 2", "findings.not_recognised = 2", "leads.registered = 5", "leads.by_handling[5].count = 1", "rectification.overdue = 2", "rule_improvements.total = 2", "rule_improvements.units = 1", "rectification.tasks = 3", "rectification.closed = 1"] {
                #expect(exported.figures.contains(line), "\(line)")
            }
            // The roster's figures; who was drawn comes from the groups, not the roster.
            exported.pools = try await Self.figures(client, token: office, sections: ["pools"]).filter { !$0.contains("drawn") }
        }
        try await withApp(engine) { store, f, client in
            // The same committee, units, round and groups, and none of the ledgers' records.
            _ = try await Scenario.onSite(store, f)
            let office = try await f.signIn(store, .officeStaff).token
            let custodian = try await f.signIn(store, .leadCustodian).token
            #expect(try await Self.figures(client, token: office, sections: Self.ledgerFigures) != exported.figures, "the ledgers are not here yet")
            try await Self.upload(client, .problemList, try #require(exported.files[.problemList]), token: office)
            try await Self.upload(client, .leadRegister, try #require(exported.files[.leadRegister]), token: custodian)
            try await Self.upload(client, .ruleImprovements, try #require(exported.files[.ruleImprovements]), token: office)
            let figures = try await Self.figures(client, token: office, sections: Self.ledgerFigures)
            #expect(Set(figures).symmetricDifference(exported.figures).sorted() == [], "the same figures")
            // Exported again, each ledger reads as it did (keys included).
            for (kind, token) in [(LedgerKind.problemList, office), (.ruleImprovements, office), (.leadRegister, custodian)] {
                #expect(try SheetReader.read(await Self.download(client, kind, token: token)).rows == SheetReader.read(exported.files[kind]!).rows, "\(kind)")
            }
        }
        try await withApp(engine) { store, f, client in
            // The pools into a committee with none.
            let office = try await f.signIn(store, .officeStaff).token
            try await Self.upload(client, .poolRoster, try #require(exported.files[.poolRoster]), token: office)
            let pools = try await Self.figures(client, token: office, sections: ["pools"]).filter { !$0.contains("drawn") }
            #expect(pools.contains { $0.hasPrefix("pools.leader_pool_by_rank") } && pools.contains { $0.hasPrefix("pools.by_category") })
            #expect(Set(pools).symmetricDifference(exported.pools).sorted() == [], "the same pools")
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyThoseWhoMayImportALedgerExportItAndTheExportIsLogged(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await Scenario.onSite(store, f)
            let custodian = try await f.signIn(store, .leadCustodian).token
            try await Self.upload(client, .leadRegister, csvBook(LedgerSamples.leadRegisterHeader, LedgerSamples.leadRegisterRows), token: custodian)
            // The office keeps the problem list but reads no lead; groups, units and receivers export nothing.
            for role in [Role.officeStaff, .groupLeader, .groupMember, .unitHead, .disciplineReceiver, .leadingGroupMember] {
                let token = try await f.signIn(store, role).token
                let refused = try await client.api(.get, "/api/v1/imports/lead_register/export", token: token)
                #expect(refused.status == .forbidden, "\(role)")
                #expect(!refused.text.contains("李某"), "\(role)")
            }
            for role in [Role.groupLeader, .unitHead] {
                let token = try await f.signIn(store, role).token
                #expect(try await client.api(.get, "/api/v1/imports/problem_list/export", token: token).status == .forbidden, "\(role)")
            }
            let csv = try await client.api(.get, "/api/v1/imports/lead_register/export?format=csv", token: custodian)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("\u{FEFF}编号,问题编号,问题类别,线索内容"), "the import's own columns, in its order")
            #expect(try await client.api(.get, "/api/v1/imports/lead_register/export?format=pdf", token: custodian).errorCode == "unknown_format")
            let audit = try await store.auditEntries(AuditQuery(action: AuditAction.ledgerExported.rawValue), origin: f.origin(.auditAdministrator)).items
            #expect(audit.map(\.event.detail) == ["导出问题线索台账：4条"])

            let session = try await f.signIn(store, .leadCustodian, kind: .web)
            let page = try await client.page(.get, "/imports", session: session).text
            #expect(page.contains(#"<a href="/imports/lead_register/export?format=xlsx">导出Excel</a>"#))
            #expect(try await client.page(.get, "/imports/lead_register/export?format=xlsx", session: session).status == .ok)
        }
    }
}

/// What the first installation hands the next.
private final class Exported: @unchecked Sendable {
    var files: [LedgerKind: Data] = [:]
    var figures: [String] = []
    var pools: [String] = []
}

/// A CSV ledger as the workbook an office would upload.
private func csvBook(_ header: String, _ rows: [String]) -> Data {
    let table = try! CSVTable.parse(Data(([header] + rows).joined(separator: "\n").utf8))
    return Data(XLSXWriter.workbook(sheet: "台账", header: table.header, rows: table.rows.map(\.fields), widths: table.header.map { _ in 20 }))
}
