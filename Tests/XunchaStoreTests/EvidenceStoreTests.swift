import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 证据材料: stored once by content, refused when too large or not what it claims, served only
/// to those who may read what it is attached to.
@Suite("证据材料 store")
struct EvidenceStoreTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".utf8)

    @Test(arguments: TestEngine.available)
    func aFileIsStoredOnceByItsHashAndReadOnlyWithinTheRecordsScope(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let record = try await store.recordOnSite(
                .documentReview, content: RecordContent(subject: "2025年会计凭证", occurredOn: try CalendarDay(text: "2026-12-12", field: "d", label: "d"), body: "调阅凭证"),
                inspectors: [(s.memberID, .lead)], reporter: nil, in: s.finance.id, origin: s.member)
            let first = try await store.attach(Self.pdf, filename: "C:\\扫描件\\凭证.pdf", to: .record(record.id), origin: s.member)
            #expect(first.filename == "凭证.pdf", "only the name, never the sender's path")
            #expect(first.contentType == "application/pdf")
            let second = try await store.attach(Self.pdf, filename: "凭证副本.pdf", to: .record(record.id), origin: s.leader)
            #expect(second.sha256 == first.sha256)
            let stored = try FileManager.default.contentsOfDirectory(atPath: store.evidenceDirectory.appendingPathComponent(String(first.sha256.prefix(2))).path)
            #expect(stored == [first.sha256], "one file per content")

            let (meta, bytes) = try await store.attachmentContent(first.id, origin: s.office)
            #expect(bytes == Self.pdf)
            #expect(meta.filename == "凭证.pdf")
            #expect(try await store.attachments(of: .record(record.id), for: s.f.actor(.leadingGroupMember)).count == 2)
            for role in [Role.unitHead, .unitContact, .disciplineReceiver, .systemAdministrator, .auditAdministrator] {
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.attachmentContent(first.id, origin: s.f.origin(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.attachments(of: .record(record.id), for: s.f.actor(role)) }
            }
            await #expect(throws: DomainError.self, "the office reads but does not attach") {
                _ = try await store.attach(Self.pdf, filename: "x.pdf", to: .record(record.id), origin: s.office)
            }
            let log = try await store.auditEntries(AuditQuery(action: AuditAction.attachmentViewed.rawValue), origin: s.f.origin(.auditAdministrator))
            #expect(log.items.map(\.actorName) == [s.f.users[.officeStaff]!.username])
        }
    }

    @Test(arguments: TestEngine.available)
    func aFileThatIsTooLargeOrNotWhatItClaimsIsRefusedAndLeavesNothing(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let s = try await Scenario.onSite(store)
            let paper = try await store.draftFinding(in: s.finance.id, content: try Scenario.content(), tags: Scenario.integrity, origin: s.member)
            let disguised = await #expect(throws: DomainError.self) {
                _ = try await store.attach(Data("MZ\u{90}\0 executable".utf8), filename: "凭证.pdf", to: .finding(paper.id), origin: s.member)
            }
            #expect(disguised?.code == "file_type_not_allowed")
            let script = await #expect(throws: DomainError.self) {
                _ = try await store.attach(Data("<script>alert(1)</script>".utf8), filename: "a.html", to: .finding(paper.id), origin: s.member)
            }
            #expect(script?.code == "file_type_not_allowed")
            let large = await #expect(throws: DomainError.self) {
                _ = try await store.attach(Data(count: EvidenceRules.maximumBytes + 1), filename: "big.pdf", to: .finding(paper.id), origin: s.member)
            }
            #expect(large?.code == "file_too_large")
            let empty = await #expect(throws: DomainError.self) { _ = try await store.attach(Data(), filename: "a.pdf", to: .finding(paper.id), origin: s.member) }
            #expect(empty?.code == "empty_file")
            await #expect(throws: DomainError.notFound, "a unit cannot attach to what it cannot see") {
                _ = try await store.attach(Self.pdf, filename: "a.pdf", to: .finding(paper.id), origin: s.f.origin(.unitHead))
            }
            #expect(try await store.attachments(of: .finding(paper.id), for: s.member.actor).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: store.evidenceDirectory.path), "refused uploads write no file")
            _ = try await store.attach(Data("会计凭证清单".utf8), filename: "清单.txt", to: .finding(paper.id), origin: s.member)
            #expect(try await store.attachments(of: .finding(paper.id), for: s.member.actor).map(\.contentType) == ["text/plain; charset=utf-8"])
        }
    }
}
