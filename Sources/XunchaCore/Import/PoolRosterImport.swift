import Foundation

/// 巡察干部名册: the leader and talent pools as the office keeps them in a sheet, one cadre a row.
/// A re-import under the same 台账编号 updates the cadre's roster fields and keeps the rest (work
/// history, relations, training, evaluation, linked account).
public enum PoolRosterImport: LedgerImportPlan {
    public static let kind = LedgerKind.poolRoster

    public static let columns: [ImportColumn] = [
        .init(key: "name", title: "姓名", required: true),
        .init(key: "home_unit", title: "工作单位", required: true, aliases: ["单位", "所在单位"]),
        .init(key: "post", title: "职务", aliases: ["现任职务"]),
        .init(key: "category", title: "部门类别", required: true, aliases: ["类别"]),
        .init(key: "rank", title: "职级", aliases: ["职级层次"]),
        .init(key: "pools", title: "入库类别", required: true, aliases: ["入库", "所在库"]),
        .init(key: "skills", title: "专长", aliases: ["业务专长"]),
        .init(key: "available", title: "可抽调", aliases: ["是否可抽调"]),
    ]

    public static func draft(_ row: inout ImportRow, today: CalendarDay) -> InspectorDraft? {
        let category = row.coded(DepartmentCategory.self, "category")
        let rank = row.coded(LeaderRank.self, "rank")
        let pools = row.text("pools")
        let (leader, talent) = (pools.contains("组长"), pools.contains("人才"))
        if !leader && !talent { row.problem("pools", "应为“组长库”“人才库”或“组长库、人才库”") }
        let available = row.yesNo("available", empty: true)
        guard row.problems.isEmpty, let category, let available else { return nil }
        let skills = row.text("skills").split(whereSeparator: { "、,，;；".contains($0) }).map(String.init)
        let draft = InspectorDraft(
            name: row.text("name"), homeUnitName: row.text("home_unit"), post: row.optional("post"), category: category, rank: rank,
            inLeaderPool: leader, inTalentPool: talent, skills: skills, available: available)
        return row.check(fields: ["home_unit_name": "home_unit"]) { () throws(DomainError) in try draft.validated(currentYear: today.year) }
    }
}

/// `xuncha import inspectors FILE.csv` and the roster upload of the pools page: the fixed-format
/// roster (every header must be a column), all rows or none.
public enum InspectorImportPlan {
    public static var columns: [ImportColumn] { PoolRosterImport.kind.columns }

    /// Each good row as a draft with its line; any bad cell rejects the file naming row and column.
    public static func plan(_ table: CSVTable, currentYear: Int) throws(DomainError) -> [(line: Int, draft: InspectorDraft)] {
        let preview = LedgerImport.preview(PoolRosterImport.self, table: table, today: CalendarDay(year: currentYear, month: 12, day: 31), strict: true)
        return try preview.accepted().map { ($0.line, $0.draft) }
    }
}
