import Foundation
import Testing
import XunchaCore

@Suite("审计日志的对象名称 Audit names")
struct AuditNamesTests {
    static func entry(actor: UUID?, actorName: String, type: String?, id: String?) -> AuditEntry {
        AuditEntry(
            sequence: 7, at: Date(), actorID: actor, actorName: actorName, clientAddress: nil,
            event: AuditEvent(action: .taskStep, targetType: type, targetID: id), beforeDigest: nil, afterDigest: nil,
            previousHash: AuditEntry.genesisHash, hash: AuditEntry.genesisHash)
    }

    @Test func anObjectIsNamedByItsKindAndItsNameNeverByCodeOrId() {
        let id = "0198a000-0000-7000-a000-0000000000aa"
        let names = AuditNames(objects: ["rectification_task": [id: "1-1 市财政局"]])
        #expect(names.target(of: Self.entry(actor: nil, actorName: "x", type: "rectification_task", id: id)) == "整改任务 1-1 市财政局")
        #expect(names.target(of: Self.entry(actor: nil, actorName: "x", type: "round", id: id)) == "轮次", "a kind with no name looked up is named by its kind alone")
        #expect(names.target(of: Self.entry(actor: nil, actorName: "x", type: nil, id: nil)) == nil)
    }

    @Test func theActorIsThePersonWithTheAccountTheLogRecords() {
        let account = UUID()
        let names = AuditNames(people: [account: "张伟"])
        #expect(names.actor(of: Self.entry(actor: account, actorName: "zhangwei2", type: nil, id: nil)) == "张伟（zhangwei2）")
        #expect(names.actor(of: Self.entry(actor: nil, actorName: "console:root", type: nil, id: nil)) == "console:root")
    }
}
