import Foundation
import Testing
import XunchaCore

/// `xuncha import units`: a whole file becomes unit drafts, or is rejected naming every
/// bad row and column.
@Suite("单位导入 UnitImportPlan")
struct UnitImportPlanTests {
    func plan(_ text: String) throws(DomainError) -> UnitImportPlan {
        try UnitImportPlan.plan(try CSVTable.parse(utf8(text)))
    }

    /// Plans `text`, which must be rejected, and returns the rejection's problem lines.
    func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try plan(text)
            Issue.record("the import was not rejected", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(error.code == "import_rejected", sourceLocation: sourceLocation)
            return error.message.split(separator: "\n").dropFirst().map(String.init)
        }
    }

    static let header = "单位名称,单位类型,党组织类型,上级单位,主要负责人"

    @Test func chineseHeadersAndTitlesAreAccepted() throws {
        let result = try plan("""
            \(Self.header)
            某某县财政局,党政机关部门,党组,,张三
            某某县财政局机关党委,事业单位,党委,某某县财政局,
            """)

        #expect(result.rows.count == 2)
        #expect(result.rows[0].line == 2)
        #expect(result.rows[0].draft == UnitDraft(name: "某某县财政局", type: .municipalDepartment, partyOrganisation: .leadershipGroup, headName: "张三"))
        #expect(result.rows[0].parentName == nil)
        #expect(result.rows[1].line == 3)
        #expect(result.rows[1].draft.headName == nil)
        #expect(result.rows[1].parentName == "某某县财政局")
    }

    @Test func englishHeadersAndCodesAreAccepted() throws {
        let result = try plan("""
            name,type,party_organisation,parent,head_name
            Town A,township,committee,,Li Si
            Village 1,village,branch,Town A,
            """)

        #expect(result.rows.map(\.draft.type) == [.township, .village])
        #expect(result.rows.map(\.draft.partyOrganisation) == [.committee, .branch])
        #expect(result.rows[1].parentName == "Town A")
    }

    @Test func columnsMayComeInAnyOrderAndOptionalOnesMayBeMissing() throws {
        let result = try plan("党组织类型,单位名称,单位类型\n党支部,某某村,村（社区）\n")

        #expect(result.rows.map(\.draft) == [UnitDraft(name: "某某村", type: .village, partyOrganisation: .branch)])
    }

    @Test func excelFileWithBOMAndCRLFIsAccepted() throws {
        let result = try plan("\u{FEFF}单位名称,单位类型,党组织类型\r\n某某村,村（社区）,党支部\r\n")

        #expect(result.rows.count == 1)
    }

    @Test func unknownHeaderIsRejectedNamingItsPositionAndTheKnownColumns() {
        let lines = problems("单位名称,单位类型,党组织类型,备注\n某某村,村（社区）,党支部,无\n")

        #expect(lines.count == 1)
        #expect(lines.first?.contains("第4列“备注”") == true)
        #expect(lines.first?.contains("主要负责人") == true)
    }

    @Test func missingRequiredColumnIsRejected() {
        let lines = problems("单位名称,单位类型\n某某村,村（社区）\n")

        #expect(lines == ["缺少必需的列“党组织类型”"])
    }

    @Test func everyMissingColumnIsListed() {
        let lines = problems("主要负责人\n张三\n")

        #expect(lines == ["缺少必需的列“单位名称”", "缺少必需的列“单位类型”", "缺少必需的列“党组织类型”"])
    }

    @Test func columnNamedTwiceInChineseAndEnglishIsRejected() {
        let lines = problems("单位名称,name,单位类型,党组织类型\n甲,甲,其他,党支部\n")

        #expect(lines == ["表头“单位名称”重复"])
    }

    @Test func fileWithOnlyAHeaderIsEmpty() {
        let error = #expect(throws: DomainError.self) { try plan(Self.header + "\n") }

        #expect(error?.code == "empty_file")
    }

    @Test func rowWithTheWrongNumberOfColumnsIsRejected() {
        let lines = problems("单位名称,单位类型,党组织类型\n某某村,村（社区）\n某某镇,乡镇（街道）,党委,多余\n")

        #expect(lines == ["第2行：应有3列，实际2列", "第3行：应有3列，实际4列"])
    }

    @Test func unknownTypeIsRejectedNamingRowColumnAndValue() throws {
        let lines = problems("单位名称,单位类型,党组织类型\n某某村,村（社区）,党支部\n某某局,局,党组\n")

        let line = try #require(lines.first)
        #expect(lines.count == 1)
        #expect(line.hasPrefix("第3行“单位类型”列："))
        #expect(line.contains("“局”"))
    }

    @Test func unknownPartyOrganisationNamesItsColumn() {
        let lines = problems("单位名称,单位类型,党组织类型\n某某村,村（社区）,党小组\n")

        #expect(lines.first?.hasPrefix("第2行“党组织类型”列：") == true)
    }

    @Test func blankRequiredCellNamesItsColumn() {
        let lines = problems("单位名称,单位类型,党组织类型\n ,村（社区）,党支部\n")

        #expect(lines.first?.hasPrefix("第2行“单位名称”列：") == true)
        #expect(lines.first?.contains("不能为空") == true)
    }

    @Test func tooLongHeadNameNamesItsColumn() {
        let lines = problems("单位名称,单位类型,党组织类型,主要负责人\n某某村,村（社区）,党支部,\(String(repeating: "张", count: 41))\n")

        #expect(lines.first?.hasPrefix("第2行“主要负责人”列：") == true)
    }

    @Test func tooLongParentNameNamesItsColumn() {
        let lines = problems("单位名称,单位类型,党组织类型,上级单位\n某某村,村（社区）,党支部,\(String(repeating: "镇", count: 101))\n")

        #expect(lines.first?.hasPrefix("第2行“上级单位”列：") == true)
    }

    @Test func duplicateNameWithinTheFileNamesBothRows() {
        let lines = problems("单位名称,单位类型,党组织类型\n某某村,村（社区）,党支部\n某某镇,乡镇（街道）,党委\n 某某村 ,村（社区）,党支部\n")

        #expect(lines == ["第4行“单位名称”列：与第2行重复（“某某村”）"])
    }

    @Test func unitCannotBeItsOwnParent() {
        let lines = problems("单位名称,单位类型,党组织类型,上级单位\n某某村,村（社区）,党支部,某某村\n")

        #expect(lines == ["第2行“上级单位”列：不能以本单位为上级"])
    }

    @Test func everyProblemInTheFileIsListedNotJustTheFirst() {
        let lines = problems("""
            单位名称,单位类型,党组织类型,上级单位
            某某村,村（社区）,党支部,
            ,村（社区）,党支部,
            某某局,局,党组,
            某某镇,乡镇（街道）,党委
            某某村,村（社区）,党支部,
            某某所,事业单位,党支部,某某所
            某某站,事业单位,党小组,
            """)

        #expect(lines.count == 6)
        #expect(lines.map { $0.prefix(3) } == ["第3行", "第4行", "第5行", "第6行", "第7行", "第8行"])
    }

    @Test func problemLinesCarryFileLineNumbersAcrossQuotedNewlines() {
        let lines = problems("单位名称,单位类型,党组织类型,主要负责人\n某某村,村（社区）,党支部,\"张三\n李四\"\n某某局,局,党组,\n")

        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("第2行“主要负责人”列：") == true)
        #expect(lines.last?.hasPrefix("第4行“单位类型”列：") == true)
    }

    @Test func rejectionShowsFiftyProblemsAndCountsTheRest() {
        let rows = (1...60).map { "单位\($0),局,党组" }.joined(separator: "\n")

        let error = #expect(throws: DomainError.self) { try plan("单位名称,单位类型,党组织类型\n" + rows) }

        let message = error?.message ?? ""
        #expect(message.split(separator: "\n").count == 1 + 50 + 1)
        #expect(message.hasSuffix("……另有10处问题"))
        #expect(error?.englishMessage.contains("60 problem(s)") == true)
    }

    @Test func tenThousandRowsAreAcceptedAndOneMoreIsTooMany() throws {
        func file(rows: Int) -> String {
            "单位名称,单位类型,党组织类型\n" + (1...rows).map { "单位\($0),其他,党支部" }.joined(separator: "\n")
        }

        #expect(try plan(file(rows: UnitImportPlan.maximumRows)).rows.count == 10_000)
        let error = #expect(throws: DomainError.self) { try plan(file(rows: UnitImportPlan.maximumRows + 1)) }
        #expect(error?.code == "too_many_rows")
    }

    @Test func everyColumnHasAChineseTitleAndTheThreeRequiredOnesAreMarked() {
        let required = UnitImportPlan.columns.filter(\.required).map(\.key)

        #expect(required == ["name", "type", "party_organisation"])
        #expect(UnitImportPlan.columns.map(\.title) == ["单位名称", "单位类型", "党组织类型", "上级单位", "主要负责人"])
    }

    @Test func emptyColumnsThatSpreadsheetsLeaveAtTheRightAreIgnored() throws {
        let table = try CSVTable.parse(Data("Name,Type,Party_Organisation,,\n甲中学,学校,党委,,\n".utf8))

        let plan = try UnitImportPlan.plan(table)

        #expect(plan.rows.map(\.draft.name) == ["甲中学"])
    }

}
