import Foundation
import Testing
import XunchaCore

/// 台账导入: the office's problem list and lead register become plans the store writes, or are
/// rejected naming every bad cell by row and column.
@Suite("台账导入 ledger import plans")
struct LedgerImportPlanTests {
    let today = CalendarDay(year: 2026, month: 12, day: 20)

    func day(_ text: String) -> CalendarDay { try! CalendarDay(text: text, field: "d", label: "d") }

    func table(_ lines: [String]) -> CSVTable { try! CSVTable.parse(Data(lines.joined(separator: "\n").utf8)) }

    /// The rejection's problem lines.
    func problems(_ body: () throws(DomainError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            try body()
            Issue.record("the import was not rejected", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(error.code == "import_rejected", sourceLocation: sourceLocation)
            return error.message.split(separator: "\n").dropFirst().map(String.init)
        }
    }

    static let problemHeader = "编号,问题描述,被巡察单位,巡察轮次,批次,巡察组,问题类别,处置方式,处置说明,四种形态,责任领导,责任部门,责任人,整改时限,整改状态,销号日期,发现日期,被反映人,干部管理权限,问题性质"

    @Test func daysAreReadInEverySpellingASpreadsheetLeaves() {
        for text in ["2025-03-01", "2025/3/1", "2025年3月1日", "2025.03.01", "45717", " 2025-3-1 "] {
            #expect(LedgerDay.parse(text) == day("2025-03-01"), "\(text)")
        }
        for text in ["2025-02-30", "3/1/2025", "明年", "", "2025-13-01"] {
            #expect(LedgerDay.parse(text) == nil, "\(text)")
        }
    }

    @Test func roundsAreNamedByTermAndNumberOrNumberAlone() {
        #expect(RoundReference(text: "十五届第1轮") == RoundReference(term: "十五届", sequence: 1))
        #expect(RoundReference(text: "十五届第十二轮（专项）") == RoundReference(term: "十五届", sequence: 12))
        #expect(RoundReference(text: "第三轮") == RoundReference(term: nil, sequence: 3))
        #expect(RoundReference(text: "2") == RoundReference(term: nil, sequence: 2))
        #expect(RoundReference(text: "第一批") == nil)
    }

    @Test func aProblemListRowCarriesItsPaperDispositionTaskAndProgress() throws {
        let plan = try ProblemListImportPlan.plan(
            table([
                Self.problemHeader,
                "P-01,三重一大事项未经集体决策。两笔大额支出未经研究,市财政局,十五届第1轮,第1批,第一巡察组,廉洁纪律、重大事项决策,限期整改,,第二种形态,张局长,办公室,李科长,2026-06-30,已销号,2026/5/20,2026-03-20,,,",
                "P-02,为亲属承揽工程,市教育局,1,,第一巡察组,political,移交问题线索,,,,,,,,,2026-04-01,王某,非本级管理,选人用人",
            ]), today: today)

        let closed = plan.rows[0]
        #expect(closed.key == "P-01")
        #expect(closed.place == LedgerPlace(unitName: "市财政局", round: RoundReference(term: "十五届", sequence: 1), batch: 1, groupName: "第一巡察组"))
        #expect(closed.content.title == "三重一大事项未经集体决策")
        #expect(closed.content.manifestation == "三重一大事项未经集体决策。两笔大额支出未经研究")
        #expect(
            closed.tags == [
                ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity"),
                ClassificationTag(scheme: "three_important_one_large", version: 1, entry: "major_decisions"),
                ClassificationTag(scheme: "four_forms", version: 1, entry: "second"),
            ])
        #expect(closed.disposition == .deadline)
        #expect(closed.task?.owners == TaskOwners(leader: "张局长", department: "办公室", cadre: "李科长"))
        #expect(closed.task?.deadline == day("2026-06-30"))
        #expect(closed.progress == .closed(day("2026-05-20")))
        #expect(closed.recordedOn == day("2026-03-20"))

        let lead = plan.rows[1]
        #expect(lead.disposition == .lead)
        #expect(lead.place.round == RoundReference(term: nil, sequence: 1) && lead.place.batch == nil)
        #expect(lead.lead?.personName == "王某")
        #expect(lead.lead?.authority == .lower)
        #expect(lead.lead?.subject == .personnel)
        #expect(lead.lead?.source == .finding)
        #expect(lead.task == nil && lead.progress == nil)
    }

    @Test func everyBadCellOfAProblemListIsNamedByRowAndColumn() {
        let lines = problems { () throws(DomainError) in
            _ = try ProblemListImportPlan.plan(
                table([
                    Self.problemHeader,
                    "P-01,问题一,市财政局,十五届第1轮,第1批,第一巡察组,廉洁纪律,限期整改,,,张局长,,李科长,2026-06-30,整改中,,2026-02-30,,,",
                    "P-02,问题二,市财政局,第一批,,第一巡察组,不存在的类别,立行立改,,第五种形态,,,,,已销号,,2026-03-01,,,",
                    "P-01,问题三,市财政局,1,,第一巡察组,廉洁纪律,不予认定,,,,,,,,,2027-01-05,,,",
                    "P-04,问题四,市财政局,1,,第一巡察组,廉洁纪律,限期整改,,,张局长,办公室,李科长,2026-03-01,已完成,2026-02-01,2026-03-10,,,",
                    "P-05,问题五,市财政局,1,,第一巡察组,廉洁纪律,移交问题线索,,,,,,,,,2026-03-10,,本级,其他",
                ]), today: today)
        }
        #expect(
            lines == [
                "第2行“发现日期”列：“2026-02-30”不是有效日期（可写作2025-03-01、2025/3/1、2025年3月1日）",
                "第2行“责任部门”列：不能为空",
                "第3行“巡察轮次”列：“第一批”不是可识别的轮次（可写作十五届第1轮、第1轮或1）",
                "第3行“问题类别”列：“不存在的类别”不是可识别的问题类别（可填三大问题、四个落实、六项纪律、四风、三重一大、违规使用财政资金、选人用人的条目名称）",
                "第3行“四种形态”列：“第五种形态”不是四种形态之一（可填：第一种形态 … 第四种形态）",
                "第3行“销号日期”列：“已销号”的问题须填写日期",
                "第4行“编号”列：与第2行重复（“P-01”）",
                "第4行“发现日期”列：不能晚于今天（2026-12-20）",
                "第4行“处置说明”列：不予认定须写明理由",
                "第5行“销号日期”列：不能早于发现日期（2026-03-10）",
                "第5行“整改时限”列：须晚于发现日期（2026-03-10）",
                "第6行“被反映人”列：不能为空",
            ])
    }

    @Test func aLeadRegisterRowCarriesItsStateAndAnswer() throws {
        let plan = try LeadRegisterImportPlan.plan(
            table([
                "编号,线索内容,被反映人,被巡察单位,巡察轮次,巡察组,线索来源,干部管理权限,问题性质,接收单位,移交日期,办理状态,处置方式,四种形态,反馈日期,销号日期",
                "L-01,为亲属承揽工程,李某,市财政局,1,第一巡察组,个别谈话,本级管理,违纪,纪委监委,2026-05-10,已销号,谈话函询,第一种形态,2026-07-15,2026-08-01",
                "L-02,违规提拔,张某,市教育局,1,第一巡察组,信访,非本级管理,选人用人,派驻纪检监察组,2026-06-01,已移交,,,,",
            ]), today: today)

        let closed = plan.rows[0]
        #expect(closed.status == .closed)
        #expect(closed.registeredOn == day("2026-05-10"), "registered on its transfer's day when the register does not say")
        #expect(closed.answer == LeadDisposition(method: .talkOrLetter, form: 1, peopleCount: 0, sanctions: nil, judicialTransfer: false, result: "谈话函询"))
        #expect(closed.answeredOn == day("2026-07-15") && closed.closedOn == day("2026-08-01"))
        #expect(closed.receiver == .discipline && !closed.viaStationedBody)

        let transferred = plan.rows[1]
        #expect(transferred.status == .transferred)
        #expect(transferred.details.source == .petition && transferred.details.authority == .lower && transferred.details.subject == .personnel)
        #expect(transferred.receiver == .discipline && transferred.viaStationedBody)
        #expect(transferred.answer == nil)
    }

    @Test func aClassificationCellNamesEntriesWhoseTitlesHoldAPauseMark() throws {
        let tags = [
            ClassificationTag(scheme: "four_winds", version: 1, entry: "formalism_bureaucratism"),
            ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity"),
        ]
        let text = ProblemListImportPlan.classificationText(tags + [ClassificationTag(scheme: "four_forms", version: 1, entry: "first")])
        #expect(text == "形式主义、官僚主义；廉洁纪律", "四种形态 has its own column")
        let plan = try ProblemListImportPlan.plan(
            table([Self.problemHeader, "P-01,文山会海,市财政局,1,,第一巡察组,\(text),不予认定,经核实不属实,,,,,,,,2026-03-20,,,"]), today: today)
        #expect(plan.rows[0].tags == tags)
    }

    @Test func aLeadRegisterRowWithItsPapersClassificationBringsThePaperBack() throws {
        let header = "编号,问题编号,问题类别,线索内容,被反映人,被巡察单位,巡察轮次,巡察组,干部管理权限,问题性质,登记日期,办理状态"
        let plan = try LeadRegisterImportPlan.plan(
            table([header, "L-01,P-04,廉洁纪律,为亲属承揽工程提供便利。涉及两个项目,王某,市教育局,1,第一巡察组,本级管理,违纪,2026-04-01,已登记"]), today: today)
        let paper = try #require(plan.rows[0].paper)
        #expect(paper.key == "P-04" && paper.disposition == .lead && paper.recordedOn == day("2026-04-01"))
        #expect(paper.tags == [ClassificationTag(scheme: "six_disciplines", version: 1, entry: "integrity")])
        #expect(paper.content.title == "为亲属承揽工程提供便利" && paper.lead?.personName == "王某")
        let lines = problems { () throws(DomainError) in
            _ = try LeadRegisterImportPlan.plan(
                table([header, "L-02,,廉洁纪律,内容,王某,市教育局,1,第一巡察组,本级管理,违纪,2026-04-01,已登记"]), today: today)
        }
        #expect(lines.contains("第2行“问题类别”列：只有来自问题底稿的线索（填写了“问题编号”）才填写问题类别"))
    }

    @Test func everyBadCellOfALeadRegisterIsNamedByRowAndColumn() {
        let lines = problems { () throws(DomainError) in
            _ = try LeadRegisterImportPlan.plan(
                table([
                    "编号,线索内容,被反映人,被巡察单位,巡察轮次,巡察组,线索来源,干部管理权限,问题性质,移交日期,办理状态,处置方式,反馈日期,备注",
                    "L-01,内容,李某,市财政局,1,第一巡察组,问题底稿,本级管理,违纪,,已移交,,,",
                    "L-02,内容,张某,市财政局,1,第一巡察组,信访,处级,违纪,2026-06-01,已反馈,,2026-05-01,",
                    "L-03,内容,王某,市财政局,1,第一巡察组,信访,本级管理,违纪,,不作为线索,,,",
                    "L-04,内容,赵某,市财政局,1,第一巡察组,信访,本级管理,违纪,,已撤回,,,",
                ]), today: today)
        }
        #expect(
            lines == [
                "第2行“线索来源”列：来自问题底稿的线索请填写“问题编号”，并先导入问题清单",
                "第2行“移交日期”列：不能为空",
                "第3行“干部管理权限”列：“处级”不是可识别的值（可填：本级党委管理干部、下级党组织管理干部、非干部或其他人员、下级、下级管理、其他人员、本级、本级管理、本级管理干部、非干部、非本级管理、非本级管理干部）",
                "第3行“反馈日期”列：不能早于移交日期（2026-06-01）",
                "第3行“处置方式”列：已反馈的线索须填写处置方式",
                "第4行“登记日期”列：不能为空",
                "第4行“备注”列：不作为线索须写明理由",
                "第5行“办理状态”列：“已撤回”只由底稿改变处置方式产生，不能导入",
                "第5行“登记日期”列：不能为空",
            ])
    }
}
