import Foundation
import XunchaCore
import XunchaStore

/// What a document page prints as a 公文 and the screen does not show: the 发文字号, the title,
/// 主送 above the body, and the 落款 with the 成文日期 below it (templates `paper_head` and
/// `paper_foot`). The print stylesheet keeps only these and the blocks marked `paper-body`.
struct PrintedDocument {
    /// 发文字号, with 〔〕 as the record carries it; nil for a document that has none (a draft).
    let number: String?
    let title: String
    /// 主送机关: whom the document is addressed to; nil when it goes to no one by name (a report filed upward).
    let addressee: String?
    /// 落款: the issuing body.
    let issuer: String
    /// 成文日期 in words (2026年12月24日); nil while the document is not yet issued.
    let dated: String?

    init(number: String?, title: String, addressee: String? = nil, issuer: String, dated: CalendarDay?) {
        self.number = number.flatMap { $0.isEmpty ? nil : $0 }
        self.title = title
        self.addressee = addressee.flatMap { $0.isEmpty ? nil : $0 }
        self.issuer = issuer
        self.dated = dated.map(DateText.prose)
    }

    init(number: String?, title: String, addressee: String? = nil, issuer: String, dated: Date?) {
        self.init(number: number, title: title, addressee: addressee, issuer: issuer, dated: dated.map { CalendarDay($0) })
    }
}

/// What a register prints above its table and the screen does not show (template
/// `table_print_head`): the title line with the day it is read as of, 制表单位 and 制表日期.
struct PrintedTable {
    /// 整改台账（截至2026年12月31日）.
    let title: String
    /// 制表单位: the reader's committee (blank for an account that may not see committees).
    let maker: String
    /// 制表日期: today, in words.
    let madeOn: String

    /// The heading of register `name` as read on `asOf` (today when none is chosen).
    static func make(_ name: String, asOf: CalendarDay?, store: Store, actor: Actor) async throws -> PrintedTable {
        let today = CalendarDay(store.clock.now())
        var maker = ""
        if let own = actor.jurisdictionID { maker = try await store.jurisdictions([own], for: actor)[own]?.name ?? "" }
        return PrintedTable(title: "\(name)（截至\(DateText.prose(asOf ?? today))）", maker: maker, madeOn: DateText.prose(today))
    }
}

extension PrintedDocument {
    /// The 巡察组 that issues a tour's documents (落款), by its assignment; "巡察组" when the reader may not open the assignment.
    static func group(of assignmentID: UUID, store: Store, actor: Actor) async -> String {
        (try? await store.assignment(assignmentID, for: actor))?.groupName ?? "巡察组"
    }

    /// The committee's 巡察办, which issues the office's own documents (落款) and to which a unit reports (主送).
    static func office(of jurisdictionID: UUID, store: Store, actor: Actor) async throws -> String {
        try await leadingGroup(of: jurisdictionID, store: store, actor: actor) + "办公室"
    }

    /// The committee's 巡察工作领导小组, to which a group reports (主送).
    static func leadingGroup(of jurisdictionID: UUID, store: Store, actor: Actor) async throws -> String {
        let committee = try await store.jurisdictions([jurisdictionID], for: actor)[jurisdictionID]
        return (committee?.name ?? "") + "巡察工作领导小组"
    }
}
