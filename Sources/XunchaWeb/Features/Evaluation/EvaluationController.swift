import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct RuleImprovementDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, unitId = "unit_id", unitName = "unit_name", adoptingBody = "adopting_body", adopter, title, kind, kindTitle = "kind_title", scope, scopeTitle = "scope_title"
        case documentNumber = "document_number", adoptedOn = "adopted_on", description, problems, immediates, recordedBy = "recorded_by", createdAt = "created_at"
        case version
    }

    /// A 立行立改 notice the rule answers.
    struct Immediate: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, unitId = "unit_id", unitName = "unit_name", number, text
        }

        let id: String
        let unitId: String
        let unitName: String
        let number: String
        let text: String
    }

    struct Problem: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, feedbackId = "feedback_id", unitId = "unit_id", unitName = "unit_name", sequence, text
        }

        let id: String
        let feedbackId: String
        let unitId: String
        let unitName: String
        let sequence: Int
        let text: String
    }

    let id: String
    let unitId: String?
    let unitName: String?
    let adoptingBody: String?
    let adopter: String
    let title: String
    let kind: String
    let kindTitle: String
    let scope: String
    let scopeTitle: String
    let documentNumber: String?
    let adoptedOn: String
    let description: String
    let problems: [Problem]
    let immediates: [Immediate]
    let recordedBy: String
    let createdAt: String
    let version: Int

    init(_ r: RuleImprovement) {
        id = r.id.text
        unitId = r.unitID?.text
        unitName = r.unitName
        adoptingBody = r.adoptingBody
        adopter = r.adopterName
        title = r.title
        kind = r.kind.rawValue
        kindTitle = r.kind.title
        scope = r.scope.rawValue
        scopeTitle = r.scope.title
        documentNumber = r.documentNumber
        adoptedOn = r.adoptedOn.description
        description = r.description
        problems = r.problems.map {
            Problem(id: $0.problemID.text, feedbackId: $0.feedbackID.text, unitId: $0.unitID.text, unitName: $0.unitName, sequence: $0.sequence, text: $0.text)
        }
        immediates = r.immediates.map { Immediate(id: $0.immediateID.text, unitId: $0.unitID.text, unitName: $0.unitName, number: $0.number, text: $0.text) }
        recordedBy = r.recordedBy
        createdAt = JSONBody.timestamp(r.createdAt)
        version = r.version
    }
}

struct EvaluationDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, feedbackId = "feedback_id", feedbackNumber = "feedback_number", unitId = "unit_id", unitName = "unit_name", status, statusTitle = "status_title"
        case plannedOn = "planned_on", scheduleNote = "schedule_note", methods, findings, grade, gradeTitle = "grade_title", evaluatedOn = "evaluated_on"
        case gradedBy = "graded_by", secondDeadline = "second_deadline", secondReport = "second_report", secondReportedBy = "second_reported_by"
        case secondReportedAt = "second_reported_at", reviewNote = "review_note", closedAt = "closed_at", createdBy = "created_by", createdAt = "created_at", version
    }

    let id: String
    let feedbackId: String
    let feedbackNumber: String
    let unitId: String
    let unitName: String
    let status: String
    let statusTitle: String
    let plannedOn: String
    let scheduleNote: String?
    let methods: [String]
    let findings: String?
    let grade: String?
    let gradeTitle: String?
    let evaluatedOn: String?
    let gradedBy: String?
    let secondDeadline: String?
    let secondReport: String?
    let secondReportedBy: String?
    let secondReportedAt: String?
    let reviewNote: String?
    let closedAt: String?
    let createdBy: String
    let createdAt: String
    let version: Int

    init(_ e: Evaluation) {
        id = e.id.text
        feedbackId = e.feedbackID.text
        feedbackNumber = e.feedbackNumber
        unitId = e.unitID.text
        unitName = e.unitName
        status = e.status.rawValue
        statusTitle = e.status.title
        plannedOn = e.plannedOn.description
        scheduleNote = e.scheduleNote
        methods = e.methods.map(\.rawValue)
        findings = e.findings
        grade = e.grade?.rawValue
        gradeTitle = e.grade?.title
        evaluatedOn = e.evaluatedOn?.description
        gradedBy = e.gradedBy
        secondDeadline = e.secondDeadline?.description
        secondReport = e.secondReport
        secondReportedBy = e.secondReportedBy
        secondReportedAt = e.secondReportedAt.map(JSONBody.timestamp)
        reviewNote = e.reviewNote
        closedAt = e.closedAt.map(JSONBody.timestamp)
        createdBy = e.createdBy
        createdAt = JSONBody.timestamp(e.createdAt)
        version = e.version
    }
}

struct FollowUpDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, unitId = "unit_id", unitName = "unit_name", evaluationId = "evaluation_id", plannedYear = "planned_year", plannedQuarter = "planned_quarter"
        case plannedOn = "planned_on", planned, reason, status, statusTitle = "status_title", outcome, scheduledBy = "scheduled_by", createdAt = "created_at"
        case settledAt = "settled_at", version
    }

    let id: String
    let unitId: String
    let unitName: String
    let evaluationId: String?
    let plannedYear: Int
    let plannedQuarter: Int
    let plannedOn: String?
    let planned: String
    let reason: String
    let status: String
    let statusTitle: String
    let outcome: String?
    let scheduledBy: String
    let createdAt: String
    let settledAt: String?
    let version: Int

    init(_ f: FollowUp) {
        id = f.id.text
        unitId = f.unitID.text
        unitName = f.unitName
        evaluationId = f.evaluationID?.text
        plannedYear = f.plan.year
        plannedQuarter = f.plan.quarter
        plannedOn = f.plan.day?.description
        planned = f.plan.text
        reason = f.reason
        status = f.status.rawValue
        statusTitle = f.status.title
        outcome = f.outcome
        scheduledBy = f.scheduledBy
        createdAt = JSONBody.timestamp(f.createdAt)
        settledAt = f.settledAt.map(JSONBody.timestamp)
        version = f.version
    }
}

/// Parsing shared by the API and the pages: vocabulary codes or Chinese titles, days and years.
enum EvaluationInput {
    /// The filters of 制度建设 (`unit_id`, `kind`, `year`), the same for the API and the page.
    static func ruleQuery(_ parameters: [String: String]) throws -> RuleImprovementQuery {
        RuleImprovementQuery(
            unitID: try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位"),
            kind: try parameters["kind"].flatMap { $0.isEmpty ? nil : try kind($0) }, year: try number(parameters["year"], field: "year", label: "年度"))
    }

    static func grade(_ text: String?) throws -> EvaluationGrade {
        guard let text, !text.isEmpty else { throw DomainError.required("grade", label: "评估等次") }
        guard let grade = EvaluationGrade(code: text) else {
            throw DomainError.invalid("unknown_grade", "评估等次须为好、较好、一般或差", english: "grade must be good, fairly_good, average or poor", field: "grade")
        }
        return grade
    }

    static func methods(_ texts: [String]) throws -> [EvaluationMethod] {
        try texts.filter { !$0.isEmpty }.map { text in
            guard let method = EvaluationMethod(code: text) else {
                throw DomainError.invalid("unknown_method", "评估方式“\(text)”不存在", english: "unknown method", field: "methods")
            }
            return method
        }
    }

    /// 制度 (the default when left out) or 流程.
    static func scope(_ text: String?) throws -> RuleImprovementScope {
        guard let text, !text.isEmpty else { return .rule }
        guard let scope = RuleImprovementScope(code: text) else {
            throw DomainError.invalid("unknown_scope", "须为制度或流程", english: "scope must be rule or process", field: "scope")
        }
        return scope
    }

    static func kind(_ text: String?) throws -> RuleImprovementKind {
        guard let text, !text.isEmpty else { throw DomainError.required("kind", label: "类别") }
        guard let kind = RuleImprovementKind(code: text) else {
            throw DomainError.invalid("unknown_kind", "类别须为建立或完善", english: "kind must be established or revised", field: "kind")
        }
        return kind
    }

    static func day(_ text: String?, field: String, label: String) throws -> CalendarDay? {
        guard let text, !text.isEmpty else { return nil }
        return try CalendarDay(text: text, field: field, label: label)
    }

    static func requiredDay(_ text: String?, field: String, label: String) throws -> CalendarDay {
        guard let day = try day(text, field: field, label: label) else { throw DomainError.required(field, label: label) }
        return day
    }

    static func number(_ text: String?, field: String, label: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw DomainError.invalid("invalid_number", "“\(label)”应为整数", english: "\(field) must be an integer", field: field) }
        return value
    }

    static func followUpStatus(_ text: String?) throws -> FollowUpStatus? { try status(text) }

    static func evaluationStatus(_ text: String?) throws -> EvaluationStatus? { try status(text) }

    /// A status filter or choice by its code; empty means none.
    private static func status<Status: RawRepresentable<String>>(_ text: String?) throws -> Status? { try CodedValue.parse(Status.self, text) }
}

/// 制度建设、整改评估与回头看 through the API.
struct EvaluationController {
    let store: Store
    let settings: WebSettings

    struct RuleInput: Decodable {
        var title: String?
        var kind: String?
        var scope: String?
        var documentNumber: String?
        var adoptedOn: String?
        var unitId: String?
        var adoptingBody: String?
        var description: String?
        var problemIds: [String]?
        var immediateIds: [String]?

        func draft() throws -> RuleImprovementDraft {
            var draft = RuleImprovementDraft(
                title: title ?? "", kind: try EvaluationInput.kind(kind), documentNumber: documentNumber,
                adoptedOn: try EvaluationInput.requiredDay(adoptedOn, field: "adopted_on", label: "印发（施行）日期"),
                unitID: try FieldworkController.optionalID(unitId, field: "unit_id", label: "制定单位"), adoptingBody: adoptingBody, description: description ?? "",
                problemIDs: try (problemIds ?? []).map { try PlanningController.id($0, field: "problem_ids", label: "反馈问题") },
                immediateIDs: try (immediateIds ?? []).map { try PlanningController.id($0, field: "immediate_ids", label: "立行立改事项") })
            draft.scope = try EvaluationInput.scope(scope)
            return draft
        }
    }

    struct ScheduleInput: Decodable {
        var plannedOn: String?
        var note: String?
    }

    /// An evaluation's step: grading carries the grading (the day defaults to today), the unit's
    /// report its text, the office's verdict its note.
    struct EvaluationStepBody: StepBody {
        var step: String?
        var version: Int?
        var methods: [String]?
        var findings: String?
        var grade: String?
        var evaluatedOn: String?
        var secondDeadline: String?
        var report: String?
        var note: String?

        func input(today: CalendarDay) throws -> EvaluationStepInput {
            var grading: EvaluationGrading?
            if step == EvaluationStep.grade.rawValue {
                grading = EvaluationGrading(
                    methods: try EvaluationInput.methods(methods ?? []), findings: findings ?? "", grade: try EvaluationInput.grade(grade),
                    evaluatedOn: try EvaluationInput.day(evaluatedOn, field: "evaluated_on", label: "评估日期") ?? today,
                    secondDeadline: try EvaluationInput.day(secondDeadline, field: "second_deadline", label: "二次整改时限"))
            }
            return EvaluationStepInput(grading: grading, report: report, note: note)
        }
    }

    struct FollowUpInput: Decodable {
        var unitId: String?
        var plannedYear: Int?
        var plannedQuarter: Int?
        var plannedOn: String?
        var reason: String?
        var evaluationId: String?
    }

    struct SettleInput: Decodable {
        var status: String?
        var note: String?
        var version: Int?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/rule-improvements") { request, context -> Response in
            let parameters = request.queryDictionary
            let query = try EvaluationInput.ruleQuery(parameters)
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.ruleImprovements(store, query, for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.ruleImprovements(
                query, page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, RuleImprovementDTO.init))
        }
        router.post("/api/v1/rule-improvements") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RuleInput.self, from: request, limit: settings.maxBodyBytes)
            return try JSONBody.response(RuleImprovementDTO(try await store.recordRuleImprovement(try input.draft(), origin: origin)), status: .created)
        }
        router.get("/api/v1/rule-improvements/{id}") { _, context -> Response in
            try JSONBody.response(RuleImprovementDTO(try await store.ruleImprovement(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.get("/api/v1/feedback/{id}/evaluations") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try await store.evaluations(
                EvaluationQuery(feedbackID: try context.parameters.uuid("id")), page: try parameters.pageRequest(),
                for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, EvaluationDTO.init))
        }
        router.post("/api/v1/feedback/{id}/evaluations") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ScheduleInput.self, from: request, limit: settings.maxBodyBytes)
            let evaluation = try await store.scheduleEvaluation(
                of: try context.parameters.uuid("id"), plannedOn: try EvaluationInput.requiredDay(input.plannedOn, field: "planned_on", label: "计划评估日期"),
                note: input.note, origin: origin)
            return try JSONBody.response(EvaluationDTO(evaluation), status: .created)
        }
        router.get("/api/v1/evaluations") { request, context -> Response in
            let parameters = request.queryDictionary
            let query = EvaluationQuery(
                unitID: try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位"),
                status: try EvaluationInput.evaluationStatus(parameters["status"]),
                grade: try parameters["grade"].flatMap { $0.isEmpty ? nil : try EvaluationInput.grade($0) })
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.evaluations(store, query, for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.evaluations(
                query, page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, EvaluationDTO.init))
        }
        router.get("/api/v1/evaluations/{id}") { _, context -> Response in
            try JSONBody.response(EvaluationDTO(try await store.evaluation(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.steps(of: EvaluationStep.self, at: "/api/v1/evaluations/{id}", body: EvaluationStepBody.self, store: store, settings: settings) { evaluation, _ in
            EvaluationDTO(evaluation)
        }
        router.get("/api/v1/follow-ups") { request, context -> Response in
            let parameters = request.queryDictionary
            let query = FollowUpQuery(
                unitID: try FieldworkController.optionalID(parameters["unit_id"], field: "unit_id", label: "单位"),
                status: try EvaluationInput.followUpStatus(parameters["status"]), year: try EvaluationInput.number(parameters["year"], field: "year", label: "年度"))
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.followUps(store, query, for: try context.requireActor())
            }) {
                return file
            }
            let page = try await store.followUps(query, page: try parameters.pageRequest(), for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, FollowUpDTO.init))
        }
        router.post("/api/v1/follow-ups") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(FollowUpInput.self, from: request, limit: settings.maxBodyBytes)
            let followUp = try await store.scheduleFollowUp(
                of: try PlanningController.id(input.unitId, field: "unit_id", label: "被巡察单位"), year: input.plannedYear, quarter: input.plannedQuarter,
                day: try EvaluationInput.day(input.plannedOn, field: "planned_on", label: "计划日期"), reason: input.reason,
                evaluationID: try FieldworkController.optionalID(input.evaluationId, field: "evaluation_id", label: "整改评估"), origin: origin)
            return try JSONBody.response(FollowUpDTO(followUp), status: .created)
        }
        router.get("/api/v1/follow-ups/{id}") { _, context -> Response in
            try JSONBody.response(FollowUpDTO(try await store.followUp(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.post("/api/v1/follow-ups/{id}/settle") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(SettleInput.self, from: request, limit: settings.maxBodyBytes)
            guard let status = try EvaluationInput.followUpStatus(input.status) else { throw DomainError.required("status", label: "办结结果") }
            let version = try input.version.requiredVersion()
            let followUp = try await store.settleFollowUp(try context.parameters.uuid("id"), as: status, note: input.note, version: version, origin: origin)
            return try JSONBody.response(FollowUpDTO(followUp))
        }
    }
}
