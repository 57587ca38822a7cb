import Foundation
import Testing
@testable import XunchaCore

@Suite("导入台账：预览与列对应")
struct LedgerImportTests {
    static let today = CalendarDay(year: 2026, month: 12, day: 6)

    static func table(_ csv: String) throws -> CSVTable { try CSVTable.parse(Data(csv.utf8)) }

    @Test func headersAreMatchedByTitleAliasOrTheLastMapping() throws {
        let columns = LedgerKind.poolRoster.columns
        let mapping = ImportMapping.suggested(header: ["编号", "姓名", "单位", "部门", "备注"], columns: columns, remembered: ["部门": "category", "备注": "name"])
        #expect(mapping.keys == ["key", "name", "home_unit", "category", nil], "an alias, the remembered 部门, and 备注 left out: 姓名 already has its column")
        #expect(mapping.text == "key,name,home_unit,category,")
        #expect(mapping.remembered(header: ["编号", "姓名", "单位", "部门", "备注"]) == ["编号": "key", "姓名": "name", "单位": "home_unit", "部门": "category"])
        #expect(throws: DomainError.self) { try ImportMapping(text: "name,magic", columns: columns) }
        #expect(try ImportMapping(text: "name,,category", columns: columns).keys == ["name", nil, "category"])
    }

    @Test func everyBadCellIsNamedByRowAndColumnAndNothingIsAccepted() throws {
        let csv = """
            台账编号,姓名,工作单位,部门类别,职级,入库类别,可抽调
            A1,甲,某局,魔法,正部级,人才库,也许
            A2,乙,某局,审计,,大库,是
            A1,丙,,组织,,组长库,是
            A3,丁,某局,组织,,组长库,是
            """
        let preview = LedgerImport.preview(PoolRosterImport.self, table: try Self.table(csv), today: Self.today)
        #expect(!preview.isGood)
        let texts = preview.problems.map(\.text)
        #expect(texts.contains("第2行“部门类别”列：未知的部门类别“魔法”（可用：纪检监察、组织人事、检察、审计、财务、法务、工程、其他）"))
        #expect(texts.contains { $0.hasPrefix("第2行“职级”列：未知的职级“正部级”") })
        #expect(texts.contains("第2行“可抽调”列：应为“是”或“否”"), "every bad cell of a row, not the first only")
        #expect(texts.contains { $0.hasPrefix("第3行“入库类别”列") })
        #expect(texts.contains("第4行“台账编号”列：与第2行重复（“A1”）"))
        #expect(texts.contains("第4行“工作单位”列：不能为空"))
        #expect(texts.contains { $0.hasPrefix("第5行“职级”列") }, "the leader pool needs a rank")
        #expect(preview.problems.allSatisfy { $0.line != nil && $0.column != nil })
        #expect(throws: DomainError.self) { _ = try preview.accepted() }
    }

    @Test func aGoodFileBecomesDraftsWithTheirKeys() throws {
        let csv = "台账编号,姓名,工作单位,部门类别,职级,入库类别,专长\n,张明,市委组织部,组织人事,正处级,组长库,干部考察\nB7,李华,市审计局,审计,,人才库,财务审计、工程审计\n"
        let table = try Self.table(csv)
        let accepted = try LedgerImport.preview(PoolRosterImport.self, table: table, today: Self.today).accepted()
        #expect(accepted.map(\.line) == [2, 3])
        #expect(accepted.map(\.key) == [nil, "B7"])
        #expect(accepted[1].draft.skills == ["财务审计", "工程审计"])
        #expect(accepted[0].draft.rank == .divisionChief)
    }

    @Test func theHeaderMustCarryEveryRequiredColumnAndMapEachOnce() throws {
        let table = try Self.table("姓名,工作单位,入库类别\n甲,某局,人才库\n")
        let missing = LedgerImport.preview(PoolRosterImport.self, table: table, today: Self.today)
        #expect(missing.problems.map(\.text) == ["“部门类别”列：缺少必需的列，请在文件中加上此列或在列映射中选择"])
        let twice = LedgerImport.preview(
            PoolRosterImport.self, table: table, mapping: ImportMapping(keys: ["name", "name", "pools"]), today: Self.today)
        #expect(twice.problems.contains { $0.code == "duplicate_column" && $0.column == "姓名" })
        // The roster upload of the pools page stays strict about headers it does not know.
        let unknown = #expect(throws: DomainError.self) {
            _ = try InspectorImportPlan.plan(try Self.table("姓名,工作单位,部门类别,入库类别,爱好\n甲,某局,审计,人才库,跑步\n"), currentYear: 2026)
        }
        #expect(unknown?.message.contains("表头第5列“爱好”不是可识别的列") == true)
    }

    @Test func ruleImprovementRowsReadDatesKindsAndLinks() throws {
        let csv = """
            台账编号,制度名称,建立或完善,印发日期,制定单位,主要内容,关联问题序号,关联立行立改编号
            R1,公务接待管理办法,建立,2026/3/5,市财政局,规范接待,1、3,
            R2,采购流程,修订,2026年13月1日,市财政局,内容,,
            R3,值班制度,完善,2027-01-01,市委办,内容,第2个,
            """
        let preview = LedgerImport.preview(RuleImprovementImport.self, table: try Self.table(csv), today: Self.today)
        let texts = preview.problems.map(\.text)
        #expect(texts.contains { $0.hasPrefix("第3行“建立或完善”列：未知的建立或完善“修订”") })
        #expect(texts.contains { $0.hasPrefix("第3行“印发日期”列：“2026年13月1日”不是有效日期") })
        #expect(texts.contains("第3行“关联问题序号”列：请至少关联一个反馈问题序号或立行立改通知书编号"))
        #expect(texts.contains { $0.hasPrefix("第4行“印发日期”列：印发（施行）日期不能晚于今天") })
        let first = try #require(preview.rows.first?.draft)
        #expect(first.adoptedOn == CalendarDay(year: 2026, month: 3, day: 5))
        #expect(first.problemNumbers == [1, 3])
        #expect(first.kind == .established)
        #expect(LedgerKind.ruleImprovements.columns.filter(\.isDate).map(\.key) == ["adopted_on"])
    }
}
