import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

struct AssignmentDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, roundId = "round_id", roundTitle = "round_title", groupId = "group_id", groupName = "group_name", unitId = "unit_id"
        case unitName = "unit_name", batch, entryDate = "entry_date", exitDate = "exit_date", status, statusTitle = "status_title"
    }

    let id: String
    let roundId: String
    let roundTitle: String
    let groupId: String
    let groupName: String
    let unitId: String
    let unitName: String
    let batch: Int
    let entryDate: String
    let exitDate: String
    let status: String
    let statusTitle: String

    init(_ a: AssignmentDetail) {
        id = a.id.text
        roundId = a.roundID.text
        roundTitle = a.roundTitle
        groupId = a.groupID.text
        groupName = a.groupName
        unitId = a.unitID.text
        unitName = a.unitName
        batch = a.batchSequence
        entryDate = a.entryDate.description
        exitDate = a.exitDate.description
        status = a.status.rawValue
        statusTitle = a.status.title
    }
}

struct NoticeDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", groupName = "group_name", number, body
        case entryDate = "entry_date", exitDate = "exit_date", sentAt = "sent_at", members
    }

    let id: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    let groupName: String
    let number: String?
    let body: String
    let entryDate: String
    let exitDate: String
    let sentAt: String
    let members: [GroupDTO.Member]

    init(_ n: InspectionNotice) {
        id = n.id.text
        assignmentId = n.assignmentID.text
        unitId = n.unitID.text
        unitName = n.unitName
        groupName = n.groupName
        number = n.number
        body = n.body
        entryDate = n.entryDate.description
        exitDate = n.exitDate.description
        sentAt = JSONBody.timestamp(n.sentAt)
        members = n.members.map { GroupDTO.Member(inspectorId: $0.inspectorID.text, name: $0.name, role: $0.role.rawValue) }
    }
}

/// A unit's recusal request with its outcome: the unit reads its own, the office its committee's.
struct RecusalRequestDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, noticeId = "notice_id", assignmentId = "assignment_id", unitId = "unit_id", unitName = "unit_name", groupName = "group_name"
        case inspectorId = "inspector_id", inspectorName = "inspector_name", reason, requestedBy = "requested_by", requestedAt = "requested_at"
        case status, statusTitle = "status_title", decidedBy = "decided_by", decidedAt = "decided_at", decisionReason = "decision_reason"
    }

    let id: String
    let noticeId: String
    let assignmentId: String
    let unitId: String
    let unitName: String
    let groupName: String
    let inspectorId: String
    let inspectorName: String
    let reason: String
    let requestedBy: String
    let requestedAt: String
    let status: String
    let statusTitle: String
    let decidedBy: String?
    let decidedAt: String?
    let decisionReason: String?

    init(_ r: RecusalRequest) {
        id = r.id.text
        noticeId = r.noticeID.text
        assignmentId = r.assignmentID.text
        unitId = r.unitID.text
        unitName = r.unitName
        groupName = r.groupName
        inspectorId = r.inspectorID.text
        inspectorName = r.inspectorName
        reason = r.reason
        requestedBy = r.requestedBy
        requestedAt = JSONBody.timestamp(r.requestedAt)
        status = r.status.rawValue
        statusTitle = r.status.title
        decidedBy = r.decidedBy
        decidedAt = r.decidedAt.map(JSONBody.timestamp)
        decisionReason = r.decisionReason
    }
}

/// 巡察任务 through the API: what each person may see of the assignments, the pledge that opens
/// them to a member, the notice to the unit, the unit's recusal requests and the office's
/// decisions, and the committee's own settings.
struct AssignmentsController {
    let store: Store
    let settings: WebSettings

    struct NoticeInput: Decodable {
        var number: String?
        var body: String?
    }

    struct RecusalInput: Decodable {
        var inspectorId: String?
        var reason: String?
    }

    struct RecusalDecisionInput: Decodable {
        var decision: String?
        var reason: String?
    }

    /// `?status=` of the recusal-request list.
    static func recusalStatus(_ text: String?) throws -> RecusalRequestStatus? {
        guard let text, !text.isEmpty else { return nil }
        guard let status = RecusalRequestStatus(code: text) else {
            throw DomainError.invalid("unknown_status", "状态“\(text)”不存在", english: "unknown status", field: "status")
        }
        return status
    }

    struct OwnConflictInput: Decodable {
        var unitId: String?
        var reason: String?
    }

    struct SettingsInput: Decodable {
        struct Stage: Decodable {
            var name: String?
            var role: String?
        }

        var maxUnitsPerGroup: Int?
        var recentWorkYears: Int?
        var leadFeedbackMonths: Int?
        var reportChain: [Stage]?
        var warningGreenDays: Int?
        var warningYellowDays: Int?
        var rectificationReportMonths: Int?
        var systemicUnitThreshold: Int?
        var backfillDays: Int?
        var hasLeadingGroup: Bool?
        var hasOffice: Bool?
        /// 保管期限 by document kind (`feedback` → `permanent` or 永久 …).
        var retention: [String: String]?
        var version: Int?

        /// The organisation as changed: a missing flag keeps the current value.
        func organisation(_ current: InspectionOrganisation) -> InspectionOrganisation? {
            guard hasLeadingGroup != nil || hasOffice != nil else { return nil }
            return InspectionOrganisation(hasLeadingGroup: hasLeadingGroup ?? current.hasLeadingGroup, hasOffice: hasOffice ?? current.hasOffice)
        }

        func chain() throws -> [ReportStage]? {
            try reportChain.map { stages in
                try stages.map { stage in
                    guard let text = stage.role, let role = Role(code: text) else {
                        throw DomainError.invalid("invalid_report_chain", "审议环节只能由巡察办或领导小组成员登记", english: "unknown stage role", field: "report_chain")
                    }
                    return ReportStage(name: stage.name ?? "", role: role)
                }
            }
        }
    }

    struct SettingsDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case maxUnitsPerGroup = "max_units_per_group", recentWorkYears = "recent_work_years", leadFeedbackMonths = "lead_feedback_months"
            case reportChain = "report_chain", warningGreenDays = "warning_green_days", warningYellowDays = "warning_yellow_days"
            case rectificationReportMonths = "rectification_report_months", systemicUnitThreshold = "systemic_unit_threshold"
            case backfillDays = "backfill_days", hasLeadingGroup = "has_leading_group", hasOffice = "has_office", retention, version
        }

        struct Stage: Encodable {
            let name: String
            let role: String
        }

        let maxUnitsPerGroup: Int
        let recentWorkYears: Int
        let leadFeedbackMonths: Int
        let reportChain: [Stage]
        let warningGreenDays: Int
        let warningYellowDays: Int
        let rectificationReportMonths: Int
        let systemicUnitThreshold: Int
        let backfillDays: Int
        let hasLeadingGroup: Bool
        let hasOffice: Bool
        /// 保管期限表: every document kind's period.
        let retention: [String: String]
        let version: Int

        init(_ s: JurisdictionSettings) {
            retention = Dictionary(uniqueKeysWithValues: s.retention.table.map { ($0.key.rawValue, $0.value.rawValue) })
            hasLeadingGroup = s.organisation.hasLeadingGroup
            hasOffice = s.organisation.hasOffice
            warningGreenDays = s.warnings.greenDays
            warningYellowDays = s.warnings.yellowDays
            rectificationReportMonths = s.rectificationReportMonths
            systemicUnitThreshold = s.systemicUnitThreshold
            backfillDays = s.backfillDays
            maxUnitsPerGroup = s.maxUnitsPerGroup
            recentWorkYears = s.recentWorkYears
            leadFeedbackMonths = s.leadFeedbackMonths
            reportChain = s.reportChain.map { Stage(name: $0.name, role: $0.role.rawValue) }
            version = s.version
        }
    }

    struct MembershipDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case groupId = "group_id", groupName = "group_name", roundId = "round_id", roundTitle = "round_title", role, pledgedAt = "pledged_at"
        }

        let groupId: String
        let groupName: String
        let roundId: String
        let roundTitle: String
        let role: String
        let pledgedAt: String?
    }

    struct PledgeDTO: Encodable {
        let title: String
        let version: String
        let preamble: String
        let prohibitions: [String]
        let closing: String
    }

    struct SignatureDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case roundId = "round_id", version, signedAt = "signed_at"
        }

        let roundId: String
        let version: String
        let signedAt: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/pledge") { _, context -> Response in
            _ = try context.requireActor()
            return try JSONBody.response(
                PledgeDTO(title: Pledge.title, version: Pledge.version, preamble: Pledge.preamble, prohibitions: Pledge.prohibitions, closing: Pledge.closing))
        }
        router.get("/api/v1/me/groups") { _, context -> Response in
            let memberships = try await store.memberships(for: try context.requireActor())
            return try JSONBody.response(
                PlanningController.ItemsDTO(
                    items: memberships.map {
                        MembershipDTO(
                            groupId: $0.groupID.text, groupName: $0.groupName, roundId: $0.roundID.text, roundTitle: $0.roundTitle, role: $0.role.rawValue,
                            pledgedAt: $0.pledgedAt.map(JSONBody.timestamp))
                    }))
        }
        router.post("/api/v1/rounds/{id}/pledge") { _, context -> Response in
            let signature = try await store.signPledge(round: try context.parameters.uuid("id"), origin: try context.origin())
            return try JSONBody.response(
                SignatureDTO(roundId: signature.roundID.text, version: signature.version, signedAt: JSONBody.timestamp(signature.signedAt)), status: .created)
        }
        router.post("/api/v1/me/conflicts") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(OwnConflictInput.self, from: request, limit: settings.maxBodyBytes)
            try await store.declareOwnConflict(unit: try PlanningController.id(input.unitId, field: "unit_id", label: "单位"), reason: input.reason, origin: origin)
            return Response(status: .noContent)
        }
        router.get("/api/v1/assignments") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            let round = try parameters["round_id"].flatMap { $0.isEmpty ? nil : try PlanningController.id($0, field: "round_id", label: "轮次") }
            let found = try await store.assignments(round: round, page: page, for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: found.items.map(AssignmentDTO.init), nextCursor: found.nextCursor))
        }
        router.get("/api/v1/assignments/{id}") { _, context -> Response in
            try JSONBody.response(AssignmentDTO(try await store.assignment(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.post("/api/v1/assignments/{id}/notice") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(NoticeInput.self, from: request, limit: settings.maxBodyBytes)
            let notice = try await store.sendNotice(for: try context.parameters.uuid("id"), number: input.number, body: input.body, origin: origin)
            return try JSONBody.response(NoticeDTO(notice), status: .created)
        }
        router.get("/api/v1/notices") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            let found = try await store.notices(page: page, for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: found.items.map(NoticeDTO.init), nextCursor: found.nextCursor))
        }
        router.get("/api/v1/notices/{id}") { _, context -> Response in
            try JSONBody.response(NoticeDTO(try await store.notice(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.post("/api/v1/notices/{id}/recusal-requests") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RecusalInput.self, from: request, limit: settings.maxBodyBytes)
            let filed = try await store.requestRecusal(
                notice: try context.parameters.uuid("id"), inspector: try PlanningController.id(input.inspectorId, field: "inspector_id", label: "巡察人员"),
                reason: input.reason, origin: origin)
            return try JSONBody.response(RecusalRequestDTO(filed), status: .created)
        }
        router.get("/api/v1/recusal-requests") { request, context -> Response in
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            let assignment = try parameters["assignment_id"].flatMap { $0.isEmpty ? nil : try PlanningController.id($0, field: "assignment_id", label: "巡察任务") }
            let found = try await store.recusalRequests(
                RecusalRequestQuery(status: try Self.recusalStatus(parameters["status"]), assignmentID: assignment), page: page, for: try context.requireActor())
            return try JSONBody.response(PageDTO(items: found.items.map(RecusalRequestDTO.init), nextCursor: found.nextCursor))
        }
        router.get("/api/v1/recusal-requests/{id}") { _, context -> Response in
            try JSONBody.response(RecusalRequestDTO(try await store.recusalRequest(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.post("/api/v1/recusal-requests/{id}/decision") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RecusalDecisionInput.self, from: request, limit: settings.maxBodyBytes)
            let decided = try await store.decideRecusalRequest(try context.parameters.uuid("id"), decision: input.decision, reason: input.reason, origin: origin)
            return try JSONBody.response(RecusalRequestDTO(decided))
        }
        router.get("/api/v1/settings") { _, context -> Response in
            let actor = try context.requireActor()
            return try JSONBody.response(SettingsDTO(try await store.settings(of: try context.ownJurisdiction(), for: actor)))
        }
        router.put("/api/v1/settings") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(SettingsInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let jurisdiction = try context.ownJurisdiction()
            let current = try await store.settings(of: jurisdiction, for: origin.actor)
            let changed = try await store.changeSettings(
                of: try context.ownJurisdiction(), maxUnitsPerGroup: input.maxUnitsPerGroup, recentWorkYears: input.recentWorkYears,
                leadFeedbackMonths: input.leadFeedbackMonths, reportChain: try input.chain(), warningGreenDays: input.warningGreenDays,
                warningYellowDays: input.warningYellowDays, rectificationReportMonths: input.rectificationReportMonths,
                systemicUnitThreshold: input.systemicUnitThreshold, backfillDays: input.backfillDays, organisation: input.organisation(current.organisation),
                retention: input.retention, version: version, origin: origin)
            return try JSONBody.response(SettingsDTO(changed))
        }
    }
}
