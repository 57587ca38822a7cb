import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct AffectedUnitDTO: Encodable {
    enum CodingKeys: String, CodingKey { case unitId = "unit_id", unitName = "unit_name", findings }
    let unitId: String
    let unitName: String
    let findings: Int

    init(_ u: AffectedUnit) {
        unitId = u.unitID.text
        unitName = u.unitName
        findings = u.findings
    }
}

struct SystemicProblemsDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case unitThreshold = "unit_threshold", similarity, textsCompared = "texts_compared", capped, recurringItems = "recurring_items", similarGroups = "similar_groups"
    }

    struct Item: Encodable {
        enum CodingKeys: String, CodingKey { case item, schemeId = "scheme_id", entryCode = "entry_code", familyTitle = "family_title", title, findings, units }
        let item: String
        let schemeId: String
        let entryCode: String
        let familyTitle: String
        let title: String
        let findings: Int
        let units: [AffectedUnitDTO]
    }

    struct Text: Encodable {
        enum CodingKeys: String, CodingKey { case findingId = "finding_id", unitId = "unit_id", unitName = "unit_name", title, manifestation }
        let findingId: String
        let unitId: String
        let unitName: String
        let title: String
        let manifestation: String
    }

    struct Group: Encodable {
        enum CodingKeys: String, CodingKey { case weakestLink = "weakest_link", units, texts }
        let weakestLink: Double
        let units: [AffectedUnitDTO]
        let texts: [Text]
    }

    let unitThreshold: Int
    let similarity: Double
    let textsCompared: Int
    let capped: Bool
    let recurringItems: [Item]
    let similarGroups: [Group]

    init(_ p: SystemicProblems) {
        unitThreshold = p.unitThreshold
        similarity = p.similarity
        textsCompared = p.textsCompared
        capped = p.capped
        recurringItems = p.recurringItems.map {
            Item(
                item: $0.key.text, schemeId: $0.key.schemeID, entryCode: $0.key.entryCode, familyTitle: $0.familyTitle, title: $0.title, findings: $0.findings,
                units: $0.units.map(AffectedUnitDTO.init))
        }
        similarGroups = p.similarGroups.map { group in
            Group(
                weakestLink: (group.weakestLink * 1000).rounded() / 1000, units: group.units.map(AffectedUnitDTO.init),
                texts: group.texts.map { Text(findingId: $0.findingID.text, unitId: $0.unitID.text, unitName: $0.unitName, title: $0.title, manifestation: $0.manifestation) })
        }
    }
}

/// A report as its reader may see it. For the addressed department each problem carries only the
/// office's `wording` (and `unit_name` where the office chose to name the unit): `finding_id`,
/// `title` and `manifestation` are absent, and `units` lists only the units named.
struct ThematicReportDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, body, departmentUnitId = "department_unit_id", departmentName = "department_name", roundId = "round_id", year, status
        case statusTitle = "status_title", items, problems, units, ruleChanges = "rule_changes", createdBy = "created_by", createdAt = "created_at"
        case sentAt = "sent_at", closedAt = "closed_at", version
    }

    struct Item: Encodable {
        enum CodingKeys: String, CodingKey { case schemeId = "scheme_id", entryCode = "entry_code", familyTitle = "family_title", title, units }
        let schemeId: String
        let entryCode: String
        let familyTitle: String
        let title: String
        let units: [AffectedUnitDTO]
    }

    struct Problem: Encodable {
        enum CodingKeys: String, CodingKey { case findingId = "finding_id", unitName = "unit_name", title, manifestation, wording, namesUnit = "names_unit" }
        let findingId: String?
        let unitName: String?
        let title: String?
        let manifestation: String?
        let wording: String?
        let namesUnit: Bool
    }

    let id: String
    let title: String
    let body: String
    let departmentUnitId: String
    let departmentName: String
    let roundId: String?
    let year: Int?
    let status: String
    let statusTitle: String
    let items: [Item]
    let problems: [Problem]
    let units: [AffectedUnitDTO]
    let ruleChanges: [RuleImprovementDTO]
    let createdBy: String
    let createdAt: String
    let sentAt: String?
    let closedAt: String?
    let version: Int

    init(_ r: ThematicReport) {
        id = r.id.text
        title = r.title
        body = r.body
        departmentUnitId = r.departmentUnitID.text
        departmentName = r.departmentName
        roundId = r.roundID?.text
        year = r.year
        status = r.status.rawValue
        statusTitle = r.status.title
        items = r.items.map {
            Item(schemeId: $0.key.schemeID, entryCode: $0.key.entryCode, familyTitle: $0.familyTitle, title: $0.title, units: $0.units.map(AffectedUnitDTO.init))
        }
        problems = r.problems.map {
            Problem(
                findingId: $0.findingID?.text, unitName: $0.unitName, title: $0.title, manifestation: $0.manifestation, wording: $0.wording, namesUnit: $0.namesUnit)
        }
        units = r.units.map(AffectedUnitDTO.init)
        ruleChanges = r.ruleChanges.map(RuleImprovementDTO.init)
        createdBy = r.createdBy
        createdAt = JSONBody.timestamp(r.createdAt)
        sentAt = r.sentAt.map(JSONBody.timestamp)
        closedAt = r.closedAt.map(JSONBody.timestamp)
        version = r.version
    }
}

struct ThematicReportSummaryDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, departmentName = "department_name", status, statusTitle = "status_title", problemCount = "problem_count", unitCount = "unit_count"
        case ruleChangeCount = "rule_change_count", createdAt = "created_at", sentAt = "sent_at"
    }

    let id: String
    let title: String
    let departmentName: String
    let status: String
    let statusTitle: String
    let problemCount: Int
    let unitCount: Int
    let ruleChangeCount: Int
    let createdAt: String
    let sentAt: String?

    init(_ s: ThematicReportSummary) {
        id = s.id.text
        title = s.title
        departmentName = s.departmentName
        status = s.status.rawValue
        statusTitle = s.status.title
        problemCount = s.problemCount
        unitCount = s.unitCount
        ruleChangeCount = s.ruleChangeCount
        createdAt = JSONBody.timestamp(s.createdAt)
        sentAt = s.sentAt.map(JSONBody.timestamp)
    }
}

/// Parsing shared by the API and the pages.
enum SystemicInput {
    static func query(_ parameters: [String: String]) throws -> SystemicQuery {
        var similarity = SystemicAnalysis.defaultSimilarity
        if let text = parameters["similarity"], !text.isEmpty {
            guard let value = Double(text) else {
                throw DomainError.invalid("invalid_similarity", "相似度须为0.3至0.95之间的小数", english: "similarity must be a number", field: "similarity")
            }
            similarity = value
        }
        return SystemicQuery(
            roundID: try FieldworkController.optionalID(parameters["round_id"], field: "round_id", label: "轮次"),
            year: try EvaluationInput.number(parameters["year"], field: "year", label: "年度"), similarity: similarity)
    }

    static func step(_ text: String?) throws -> ThematicReportStep {
        guard let text, let step = ThematicReportStep(rawValue: text), step != .recordRuleChange else {
            throw DomainError.invalid("unknown_step", "未知的流转步骤“\(text ?? "")”", english: "unknown step", field: "step")
        }
        return step
    }

    static func status(_ text: String?) throws -> ThematicReportStatus? { try CodedValue.parse(ThematicReportStatus.self, text) }

    static func ruleChange(title: String?, kind: String?, documentNumber: String?, adoptedOn: String?, description: String?) throws -> ThematicRuleChange {
        ThematicRuleChange(
            title: title ?? "", kind: try EvaluationInput.kind(kind), documentNumber: documentNumber,
            adoptedOn: try EvaluationInput.requiredDay(adoptedOn, field: "adopted_on", label: "印发（施行）日期"), description: description ?? "")
    }
}

/// 普遍性问题 and 专题报告 through the API.
struct SystemicController {
    let store: Store
    let settings: WebSettings

    struct ItemInput: Decodable {
        var schemeId: String?
        var entryCode: String?
    }

    struct CreateInput: Decodable {
        var title: String?
        var body: String?
        var departmentUnitId: String?
        var roundId: String?
        var year: Int?
        var items: [ItemInput]?
        var findingIds: [String]?

        func draft() throws -> ThematicReportDraft {
            ThematicReportDraft(
                title: title ?? "", body: body ?? "",
                departmentUnitID: try FieldworkController.optionalID(departmentUnitId, field: "department_unit_id", label: "职能部门"),
                roundID: try FieldworkController.optionalID(roundId, field: "round_id", label: "轮次"), year: year,
                items: try (items ?? []).map { item in
                    guard let scheme = item.schemeId, !scheme.isEmpty, let code = item.entryCode, !code.isEmpty else {
                        throw DomainError.invalid("invalid_item", "分类项目须同时给出 scheme_id 和 entry_code", english: "item needs scheme_id and entry_code", field: "items")
                    }
                    return ClassificationItemKey(schemeID: scheme, entryCode: code)
                },
                findingIDs: try (findingIds ?? []).map { try PlanningController.id($0, field: "finding_ids", label: "问题") })
        }
    }

    struct WordingInput: Decodable {
        struct Problem: Decodable {
            var findingId: String?
            var wording: String?
            var namesUnit: Bool?
        }

        var problems: [Problem]?
        var version: Int?

        func wordings() throws -> [ThematicWording] {
            try (problems ?? []).map {
                ThematicWording(findingID: try PlanningController.id($0.findingId, field: "finding_id", label: "问题"), wording: $0.wording, namesUnit: $0.namesUnit ?? false)
            }
        }
    }

    /// A step of the follow-up: a rule change is recorded at its own address, with the rule.
    struct ThematicStepBody: StepBody {
        var step: String?
        var note: String?
        var version: Int?

        func input(today _: CalendarDay) throws -> ThematicStepInput {
            _ = try SystemicInput.step(step)
            return ThematicStepInput(note: note)
        }
    }

    struct RuleChangeInput: Decodable {
        var title: String?
        var kind: String?
        var documentNumber: String?
        var adoptedOn: String?
        var description: String?
        var version: Int?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/systemic-problems") { request, context -> Response in
            let query = try SystemicInput.query(request.queryDictionary)
            return try JSONBody.response(SystemicProblemsDTO(try await store.systemicProblems(query, for: try context.requireActor())))
        }
        router.get("/api/v1/thematic-reports") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try await store.thematicReports(
                ThematicReportQuery(status: try SystemicInput.status(parameters["status"])),
                page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, ThematicReportSummaryDTO.init))
        }
        router.post("/api/v1/thematic-reports") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(CreateInput.self, from: request, limit: settings.maxBodyBytes)
            return try JSONBody.response(ThematicReportDTO(try await store.createThematicReport(try input.draft(), origin: origin)), status: .created)
        }
        router.get("/api/v1/thematic-reports/{id}") { _, context -> Response in
            try JSONBody.response(ThematicReportDTO(try await store.thematicReport(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.put("/api/v1/thematic-reports/{id}/problems") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(WordingInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let report = try await store.wordThematicProblems(try input.wordings(), on: try context.parameters.uuid("id"), version: version, origin: origin)
            return try JSONBody.response(ThematicReportDTO(report))
        }
        router.steps(of: ThematicReportStep.self, at: "/api/v1/thematic-reports/{id}", body: ThematicStepBody.self, store: store, settings: settings) { report, _ in
            ThematicReportDTO(report)
        }
        router.post("/api/v1/thematic-reports/{id}/rule-changes") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RuleChangeInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let change = try SystemicInput.ruleChange(
                title: input.title, kind: input.kind, documentNumber: input.documentNumber, adoptedOn: input.adoptedOn, description: input.description)
            let report = try await store.take(
                ThematicReportStep.recordRuleChange, on: try context.parameters.uuid("id"), input: ThematicStepInput(ruleChange: change), version: version,
                origin: origin)
            return try JSONBody.response(ThematicReportDTO(report), status: .created)
        }
    }
}
