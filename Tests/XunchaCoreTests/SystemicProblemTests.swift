import Foundation
import Testing
import XunchaCore

/// 普遍性问题: Chinese text compared by character bigrams; similar texts grouped only across
/// different units; the thematic report's lifecycle.
@Suite("普遍性问题 SystemicProblem")
struct SystemicProblemTests {
    static let finance = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!
    static let education = UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!
    static let health = UUID(uuidString: "00000000-0000-0000-0000-00000000000c")!
    static let names = [finance: "市财政局", education: "市教育局", health: "市卫健委"]

    static func text(_ n: Int, _ unit: UUID, _ title: String, _ manifestation: String = "") -> ProblemText {
        ProblemText(findingID: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!, unitID: unit, unitName: names[unit]!, title: title, manifestation: manifestation)
    }

    @Test func normalisingDropsWhitespacePunctuationAndDigits() {
        #expect(TextSimilarity.normalised("违规发放津补贴，共12.6万元。 ") == "违规发放津补贴共万元")
        #expect(TextSimilarity.normalised("“三重一大”事项") == "三重一大事项")
        #expect(TextSimilarity.normalised("ABC 公车") == "abc公车")
    }

    @Test func shinglesAreTheDistinctCharacterBigrams() {
        #expect(TextSimilarity.shingles("公务接待") == ["公务", "务接", "接待"])
        #expect(TextSimilarity.shingles("哈哈哈") == ["哈哈"])
        #expect(TextSimilarity.shingles("车") == ["车"], "a text shorter than a bigram is its own shingle")
        #expect(TextSimilarity.shingles("，。").isEmpty)
    }

    @Test func diceIsOneForTheSameTextZeroForNothingSharedAndInBetweenForRewording() {
        #expect(TextSimilarity.dice("违规发放津补贴", "违规发放津补贴！") == 1)
        #expect(TextSimilarity.dice("违规发放津补贴", "公务用车管理混乱") == 0)
        let reworded = TextSimilarity.dice("违规发放津补贴", "以加班费名义违规发放津补贴")
        #expect(reworded > 0.6 && reworded < 1)
        #expect(TextSimilarity.dice("", "") == 0)
    }

    @Test func similarTextsAtThreeUnitsFormOneGroupWithTheirUnits() {
        let texts = [
            Self.text(1, Self.finance, "违规发放津补贴", "以加班费名义发放补贴12.6万元"),
            Self.text(2, Self.education, "违规发放津补贴", "以课时费名义发放补贴8万元"),
            Self.text(3, Self.health, "违规发放津贴补贴", "以值班费名义发放补贴3万元"),
            Self.text(4, Self.health, "公务用车管理混乱", "车辆使用登记缺失"),
        ]
        let groups = TextSimilarity.group(texts, threshold: 0.5, minimumUnits: 3)

        #expect(groups.count == 1)
        #expect(groups[0].units.map(\.unitName) == ["市卫健委", "市教育局", "市财政局"])
        #expect(Set(groups[0].texts.map(\.findingID)) == Set(texts.prefix(3).map(\.findingID)))
        #expect(groups[0].weakestLink >= 0.5)
    }

    @Test func aUnitsOwnNearDuplicatesAreNotASystemicProblem() {
        let texts = [
            Self.text(1, Self.finance, "违规发放津补贴", "以加班费名义发放补贴"),
            Self.text(2, Self.finance, "违规发放津补贴", "以加班费名义发放补贴"),
            Self.text(3, Self.finance, "违规发放津补贴", "以加班费名义发放补贴"),
            Self.text(4, Self.education, "违规发放津补贴", "以加班费名义发放补贴"),
        ]

        #expect(TextSimilarity.group(texts, threshold: 0.5, minimumUnits: 3).isEmpty, "four texts, but two units")
        let two = TextSimilarity.group(texts, threshold: 0.5, minimumUnits: 2)
        #expect(two.count == 1)
        #expect(two[0].units.map(\.findings) == [1, 3], "市教育局 one, 市财政局 three")
    }

    @Test func textsBelowTheThresholdStayApart() {
        let texts = [
            Self.text(1, Self.finance, "违规发放津补贴"), Self.text(2, Self.education, "公务接待超标准"), Self.text(3, Self.health, "三重一大事项未集体决策"),
        ]
        #expect(TextSimilarity.group(texts, threshold: 0.3, minimumUnits: 2).isEmpty)
    }

    @Test func groupingFindsTheSamePairsAsComparingEveryPair() {
        // Prefix filtering must not lose a pair that the naive comparison finds.
        let phrases = ["违规发放津补贴", "公务接待超标准", "公车私用", "三重一大事项未经集体决策", "政府采购程序不规范", "专项资金挪用", "干部选拔程序不规范"]
        let units = [Self.finance, Self.education, Self.health]
        var texts: [ProblemText] = []
        for n in 0..<60 {
            let phrase = phrases[n % phrases.count] + (n % 4 == 0 ? "问题较为突出" : "") + phrases[(n * 3) % phrases.count].prefix(n % 3)
            texts.append(Self.text(n + 1, units[n % 3], phrase))
        }
        for threshold in [0.4, 0.6, 0.8] {
            var naive = Set<Set<UUID>>()
            var parent = Array(texts.indices)
            func root(_ i: Int) -> Int { parent[i] == i ? i : root(parent[i]) }
            for i in texts.indices {
                for j in texts.indices where j > i && texts[i].unitID != texts[j].unitID && TextSimilarity.dice(texts[i].text, texts[j].text) >= threshold {
                    let (a, b) = (root(i), root(j))
                    if a != b { parent[a] = b }
                }
            }
            var members: [Int: Set<UUID>] = [:]
            for i in texts.indices { members[root(i), default: []].insert(texts[i].findingID) }
            for (_, ids) in members where ids.count > 1 && Set(texts.filter { ids.contains($0.findingID) }.map(\.unitID)).count >= 2 { naive.insert(ids) }

            let grouped = Set(TextSimilarity.group(texts, threshold: threshold, minimumUnits: 2).map { Set($0.texts.map(\.findingID)) })
            #expect(grouped == naive, "threshold \(threshold)")
        }
    }

    @Test func aQueryRefusesASimilarityOutOfRangeAndReadsTheYearAsThePeriod() throws {
        #expect(throws: DomainError.self) { try SystemicQuery(similarity: 0.1).validated() }
        #expect(throws: DomainError.self) { try SystemicQuery(year: 1990).validated() }
        let filter = try SystemicQuery(year: 2026).validated().statisticsFilter
        #expect(filter.from == CalendarDay(year: 2026, month: 1, day: 1))
        #expect(filter.to == CalendarDay(year: 2026, month: 12, day: 31))
    }

    @Test func theUnitThresholdIsASettingWithinItsRange() throws {
        #expect(JurisdictionSettings.defaults.systemicUnitThreshold == 3)
        #expect(try JurisdictionSettings.defaults.changed(maxUnitsPerGroup: nil, recentWorkYears: nil, systemicUnitThreshold: 2).systemicUnitThreshold == 2)
        let error = #expect(throws: DomainError.self) { try JurisdictionSettings.defaults.changed(maxUnitsPerGroup: nil, recentWorkYears: nil, systemicUnitThreshold: 1) }
        #expect(error?.code == "invalid_systemic_threshold")
    }

    // MARK: 专题报告

    @Test func aReportNeedsASelectionATitleABodyAndADepartment() {
        let department = UUID()
        let empty = #expect(throws: DomainError.self) {
            try ThematicReportDraft(title: "关于津补贴发放问题的专题报告", body: "正文", departmentUnitID: department, items: [], findingIDs: []).validated()
        }
        #expect(empty?.code == "selection_required")
        #expect(throws: DomainError.self) { try ThematicReportDraft(title: " ", body: "正文", departmentUnitID: department, items: [], findingIDs: [UUID()]).validated() }
        #expect(throws: DomainError.self) { try ThematicReportDraft(title: "标题", body: "正文", departmentUnitID: nil, items: [], findingIDs: [UUID()]).validated() }
        let finding = UUID()
        let valid = try? ThematicReportDraft(title: "标题", body: "正文", departmentUnitID: department, items: [], findingIDs: [finding, finding]).validated()
        #expect(valid?.findingIDs == [finding], "each finding once")
    }

    @Test func anItemKeyRoundTripsThroughItsFormValue() throws {
        let key = ClassificationItemKey(schemeID: "six_disciplines@1", entryCode: "integrity")
        #expect(try ClassificationItemKey(text: key.text) == key)
        #expect(throws: DomainError.self) { try ClassificationItemKey(text: "integrity") }
    }

    func thematicReport(_ status: ThematicReportStatus) -> ThematicReport {
        ThematicReport(
            id: UUID(), jurisdictionID: UUID(), title: "标题", body: "正文", departmentUnitID: UUID(), departmentName: "市财政局", roundID: nil, year: nil,
            status: status, items: [], problems: [], units: [], ruleChanges: [], createdBy: "office", createdAt: Date(), sentAt: nil, closedAt: nil, version: 1)
    }

    func apply(_ step: ThematicReportStep, to status: ThematicReportStatus, standing: ThematicReportStanding) throws(DomainError) -> ThematicReportStatus {
        let rule = ThematicRuleChange(title: "管理办法", kind: .revised, adoptedOn: CalendarDay(year: 2026, month: 1, day: 5), description: "内容")
        return try ThematicReportLifecycle.decide(
            step, on: thematicReport(status), standing: standing, input: ThematicStepInput(ruleChange: step == .recordRuleChange ? rule : nil), facts: nil,
            context: StepContext(actorName: "office", at: Date())
        ).record.status
    }

    @Test func theOfficeSendsTheDepartmentAnswersAndTheOfficeCloses() throws {
        let office = ThematicReportStanding(mayManage: true, mayRecordRuleChange: true)
        let department = ThematicReportStanding(mayManage: false, mayRecordRuleChange: true)

        #expect(ThematicReportLifecycle.available(on: thematicReport(.draft), standing: office) == [.send])
        #expect(ThematicReportLifecycle.available(on: thematicReport(.draft), standing: department).isEmpty)
        #expect(try apply(.send, to: .draft, standing: office) == .sent)
        #expect(try apply(.recordRuleChange, to: .sent, standing: department) == .answered)
        #expect(try apply(.recordRuleChange, to: .answered, standing: department) == .answered, "a second rule may follow")
        #expect(try apply(.close, to: .answered, standing: office) == .closed)

        let early = #expect(throws: DomainError.self) { try apply(.close, to: .sent, standing: office) }
        #expect(early?.code == "invalid_transition", "closing waits for the department's answer")
        let byDepartment = #expect(throws: DomainError.self) { try apply(.send, to: .draft, standing: department) }
        #expect(byDepartment?.code == "step_not_allowed")
        #expect(throws: DomainError.self) { try apply(.recordRuleChange, to: .draft, standing: office) }
        #expect(throws: DomainError.self) { try apply(.recordRuleChange, to: .closed, standing: department) }
    }
}
