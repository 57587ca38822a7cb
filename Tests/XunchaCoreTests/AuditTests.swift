import Foundation
import Testing
import XunchaCore

/// The hashed text of an audit entry: every field counts, and no two entries share a text.
@Suite("审计日志 AuditEntry.chainText")
struct AuditChainTextTests {
    static let entry = AuditEntry(
        sequence: 42, at: Date(epochMilliseconds: 1_767_225_600_123),
        actorID: UUID(uuidString: "0198a000-0000-7000-8000-0000000000ff")!, actorName: "张三", clientAddress: "10.0.0.7",
        event: AuditEvent(
            action: .unitUpdated, targetType: "unit", targetID: "0198a000-0000-7000-9000-00000000000a",
            jurisdictionID: UUID(uuidString: "0198a000-0000-7000-8000-00000000000a")!, detail: "修改单位名称"),
        beforeDigest: "aa11", afterDigest: "bb22", previousHash: String(repeating: "c", count: 64), hash: "")

    /// Each stored field, changed in a small way.
    enum Change: String, CaseIterable {
        case sequence, at, actorID, actorName, clientAddress, action, targetType, targetID, jurisdictionID, detail
        case beforeDigest, afterDigest, previousHash

        func apply(to entry: inout AuditEntry) {
            switch self {
            case .sequence: entry.sequence += 1
            case .at: entry.at = Date(epochMilliseconds: entry.at.epochMilliseconds + 1)
            case .actorID: entry.actorID = nil
            case .actorName: entry.actorName = "张四"
            case .clientAddress: entry.clientAddress = "10.0.0.8"
            case .action: entry.event.action = .unitCreated
            case .targetType: entry.event.targetType = "user"
            case .targetID: entry.event.targetID = "0198a000-0000-7000-9000-00000000000b"
            case .jurisdictionID: entry.event.jurisdictionID = UUID(uuidString: "0198a000-0000-7000-8000-00000000000b")!
            case .detail: entry.event.detail = "修改单位类型"
            case .beforeDigest: entry.beforeDigest = "aa12"
            case .afterDigest: entry.afterDigest = nil
            case .previousHash: entry.previousHash = String(repeating: "d", count: 64)
            }
        }
    }

    @Test(arguments: Change.allCases)
    func chainTextChangesWhenAnyStoredFieldChanges(change: Change) {
        var changed = Self.entry

        change.apply(to: &changed)

        #expect(changed.chainText != Self.entry.chainText)
    }

    @Test func chainTextDoesNotIncludeTheEntrysOwnHash() {
        var hashed = Self.entry

        hashed.hash = "ffff"

        #expect(hashed.chainText == Self.entry.chainText)
    }

    @Test func chainTextFormatIsStableSoOldEntriesStillVerify() {
        let expected = [
            "2:42", "13:1767225600123", "36:0198a000-0000-7000-8000-0000000000ff", "6:张三", "8:10.0.0.7", "11:unit.update",
            "4:unit", "36:0198a000-0000-7000-9000-00000000000a", "36:0198a000-0000-7000-8000-00000000000a",
            "18:修改单位名称", "4:aa11", "4:bb22", "64:" + String(repeating: "c", count: 64),
        ].joined(separator: "|")

        #expect(Self.entry.chainText == expected)
    }

    @Test func movingACharacterBetweenAdjacentFieldsChangesTheText() {
        var left = Self.entry
        left.actorName = "张三1"
        left.clientAddress = "0.0.0.7"
        var right = Self.entry
        right.event.targetType = "unitu"
        right.event.targetID = "nit"
        var moved = Self.entry
        moved.event.targetType = "uni"
        moved.event.targetID = "tunit"

        #expect(left.chainText != Self.entry.chainText)
        #expect(right.chainText != moved.chainText)
    }

    @Test func separatorInsideAFieldCannotForgeAnotherField() {
        // Joined with "|" alone, both would read "a|b|c".
        var first = Self.entry
        first.actorName = "a|b"
        first.clientAddress = "c"
        var second = Self.entry
        second.actorName = "a"
        second.clientAddress = "b|c"

        #expect(first.chainText != second.chainText)
    }

    @Test func genesisHashIsSixtyFourZeros() {
        #expect(AuditEntry.genesisHash == String(repeating: "0", count: 64))
    }

    @Test func anAbsentValueAndAnEmptyOneHashDifferently() {
        var absent = Self.entry
        absent.clientAddress = nil
        var empty = Self.entry
        empty.clientAddress = ""

        #expect(absent.chainText != empty.chainText)
    }
}

/// Audit actions and the canonical record text whose digest is kept.
@Suite("审计事件 AuditEvent")
struct AuditEventTests {
    struct Record: Encodable {
        var name: String
        var at: Date
        var path: String
    }

    @Test func canonicalJSONSortsKeysKeepsSlashesAndStoresMilliseconds() {
        let text = AuditEvent.canonical(Record(name: "某某县财政局", at: Date(epochMilliseconds: 1_767_225_600_123), path: "/a/b/"))

        #expect(text == #"{"at":1767225600123,"name":"某某县财政局","path":"/a/b/"}"#)
    }

    @Test func canonicalJSONIsTheSameWhateverOrderKeysWereInserted() {
        let first = AuditEvent.canonical(["b": 1, "a": 2, "c": 3])
        let second = AuditEvent.canonical(["c": 3, "a": 2, "b": 1])

        #expect(first == second)
        #expect(first == #"{"a":2,"b":1,"c":3}"#)
    }

    @Test func actionsHaveChineseTitlesAndUnknownActionsShowTheirCode() {
        #expect(AuditAction.signInFailed.title == "登录失败")
        #expect(AuditAction.administratorsBootstrapped.title == "初始化三员账号")
        #expect(AuditAction(rawValue: "plan.future_action").title == "plan.future_action")
    }

    @Test func actionCodesAndTitlesAreDistinct() {
        let titles = AuditAction.titles

        #expect(Set(titles.values).count == titles.count)
    }
}

/// Audit log filters from URL parameters.
@Suite("审计查询 AuditQuery")
struct AuditQueryTests {
    func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func noParametersGiveTheNewestFiftyEntries() throws {
        let query = try AuditQuery.validate([:])

        #expect(query == AuditQuery())
        #expect(query.limit == 50)
    }

    @Test func fromIsMidnightInShanghai() throws {
        let query = try AuditQuery.validate(["from": "2026-01-31"])

        #expect(query.from == instant("2026-01-30T16:00:00Z"))
    }

    @Test func toIncludesTheWholeDayInShanghai() throws {
        let query = try AuditQuery.validate(["to": "2026-01-31"])

        #expect(query.to == instant("2026-01-31T16:00:00Z"))
    }

    @Test func sameFromAndToCoverOneDay() throws {
        let query = try AuditQuery.validate(["from": "2026-07-01", "to": "2026-07-01"])

        let from = try #require(query.from)
        let to = try #require(query.to)
        #expect(to.timeIntervalSince(from) == 86_400)
    }

    @Test(arguments: ["2026/01/31", "31-01-2026", "昨天", "2026-01", "2026-13-01"])
    func malformedDateIsRejectedNamingTheField(text: String) {
        let from = #expect(throws: DomainError.self) { try AuditQuery.validate(["from": text]) }
        let to = #expect(throws: DomainError.self) { try AuditQuery.validate(["to": text]) }

        #expect(from?.code == "invalid_date")
        #expect(from?.field == "from")
        #expect(to?.code == "invalid_date")
        #expect(to?.field == "to")
    }

    @Test func textFiltersAreTrimmed() throws {
        let query = try AuditQuery.validate(["action": " unit.update ", "actor": " 张三", "target": "x "])

        #expect(query.action == "unit.update")
        #expect(query.actorName == "张三")
        #expect(query.targetID == "x")
    }

    @Test func textFilterWithControlCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try AuditQuery.validate(["actor": "张\u{0}三"]) }

        #expect(error?.code == "control_characters")
        #expect(error?.field == "actor")
    }

    @Test func beforeSequenceIsParsed() throws {
        #expect(try AuditQuery.validate(["before": "1001"]).beforeSequence == 1001)
    }

    @Test(arguments: ["0", "-5", "abc", "1.5"])
    func badBeforeSequenceIsRejected(text: String) {
        let error = #expect(throws: DomainError.self) { try AuditQuery.validate(["before": text]) }

        #expect(error?.code == "invalid_cursor")
        #expect(error?.field == "before")
    }

    @Test(arguments: [("1", 1), ("200", 200)])
    func limitWithinBoundsIsAccepted(text: String, limit: Int) throws {
        #expect(try AuditQuery.validate(["limit": text]).limit == limit)
    }

    @Test(arguments: ["0", "201", "all"])
    func limitOutsideBoundsIsRejected(text: String) {
        let error = #expect(throws: DomainError.self) { try AuditQuery.validate(["limit": text]) }

        #expect(error?.code == "invalid_limit")
        #expect(error?.field == "limit")
    }

    @Test func aRangeEndingBeforeItStartsIsRefused() {
        let error = #expect(throws: DomainError.self) { try AuditQuery.validate(["from": "2026-03-02", "to": "2026-03-01"]) }
        #expect(error?.code == "date_range")
        #expect(error?.field == "from")
    }

}

/// The audit log names what an entry concerns in Chinese, never by the code it stores.
@Suite("审计日志：对象名称")
struct AuditTargetTitleTests {
    @Test func everyTargetTheStoreWritesHasAChineseName() {
        for (type, title) in [("rectification_task", "整改任务"), ("task", "整改任务"), ("lead", "线索"), ("user", "账号"), ("jurisdiction", "党委（辖区）"), ("record", "进驻工作记录")] {
            #expect(AuditTarget.title(of: type) == title, "\(type)")
        }
        for chain in Chain.allCases { #expect(AuditTarget.title(of: chain.rawValue) == chain.title) }
        #expect(AuditTarget.title(of: "something_new") == "something_new", "an unknown code is shown, not hidden")
    }
}
