import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// A round as the API returns it.
struct RoundDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, jurisdictionId = "jurisdiction_id", term, sequence, kind, kindTitle = "kind_title", theme, plannedStart = "planned_start"
        case plannedEnd = "planned_end", status, statusTitle = "status_title", maxUnitsPerGroup = "max_units_per_group", version, title
    }

    let id: String
    let jurisdictionId: String
    let term: String
    let sequence: Int
    let kind: String
    let kindTitle: String
    let theme: String?
    let plannedStart: String
    let plannedEnd: String
    let status: String
    let statusTitle: String
    let maxUnitsPerGroup: Int
    let version: Int
    let title: String

    init(_ round: Round) {
        id = round.id.text
        jurisdictionId = round.jurisdictionID.text
        term = round.term
        sequence = round.sequence
        kind = round.kind.rawValue
        kindTitle = round.kind.title
        theme = round.theme
        plannedStart = round.plannedStart.description
        plannedEnd = round.plannedEnd.description
        status = round.status.rawValue
        statusTitle = round.status.title
        maxUnitsPerGroup = round.maxUnitsPerGroup
        version = round.version
        title = round.title
    }
}

struct BatchDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, sequence, entryDate = "entry_date", exitDate = "exit_date"
    }

    let id: String
    let sequence: Int
    let entryDate: String
    let exitDate: String

    init(_ batch: Batch) {
        id = batch.id.text
        sequence = batch.sequence
        entryDate = batch.entryDate.description
        exitDate = batch.exitDate.description
    }
}

struct GroupDTO: Encodable {
    struct Member: Encodable {
        enum CodingKeys: String, CodingKey {
            case inspectorId = "inspector_id", name, role
        }

        let inspectorId: String
        let name: String
        let role: String
    }

    struct Task: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, batchId = "batch_id", unitId = "unit_id", unitName = "unit_name"
        }

        let id: String
        let batchId: String
        let unitId: String
        let unitName: String
    }

    enum CodingKeys: String, CodingKey {
        case id, name, standingGroupId = "standing_group_id", authorisation, members, assignments
    }

    let id: String
    let name: String
    let standingGroupId: String
    let authorisation: String?
    let members: [Member]
    let assignments: [Task]

    init(_ group: InspectionGroup) {
        id = group.id.text
        name = group.name
        standingGroupId = group.standingGroupID.text
        authorisation = group.authorisation
        members = group.members.map { Member(inspectorId: $0.inspectorID.text, name: $0.name, role: $0.role.rawValue) }
        assignments = group.assignments.map { Task(id: $0.id.text, batchId: $0.batchID.text, unitId: $0.unitID.text, unitName: $0.unitName) }
    }
}

/// 常设巡察组 in a list.
struct StandingGroupListingDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, rounds, latestRoundId = "latest_round_id"
    }

    let id: String
    let name: String
    let rounds: Int
    let latestRoundId: String?

    init(_ listed: StandingGroupListing) {
        (id, name, rounds, latestRoundId) = (listed.id.text, listed.name, listed.rounds, listed.latestRoundID?.text)
    }
}

/// 常设巡察组 with each round it served in and that round's group.
struct StandingGroupDTO: Encodable {
    struct Term: Encodable {
        enum CodingKeys: String, CodingKey {
            case roundId = "round_id", roundTitle = "round_title", group
        }

        let roundId: String
        let roundTitle: String
        let group: GroupDTO
    }

    let id: String
    let name: String
    let terms: [Term]

    init(_ group: StandingGroup) {
        id = group.id.text
        name = group.name
        terms = group.terms.map { Term(roundId: $0.round.id.text, roundTitle: $0.round.title, group: GroupDTO($0.group)) }
    }
}

struct InspectorDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, homeUnitId = "home_unit_id", homeUnitName = "home_unit_name", post, category, rank
        case inLeaderPool = "in_leader_pool", inTalentPool = "in_talent_pool", skills, available, version
        case workHistory = "work_history", relations, training, evaluation, accountLinked = "account_linked"
    }

    struct Stint: Encodable {
        enum CodingKeys: String, CodingKey {
            case unitId = "unit_id", unitName = "unit_name", fromYear = "from_year", toYear = "to_year"
        }

        let unitId: String?
        let unitName: String
        let fromYear: Int
        let toYear: Int?
    }

    struct Relative: Encodable {
        enum CodingKeys: String, CodingKey {
            case unitId = "unit_id", unitName = "unit_name", relation, personName = "person_name"
        }

        let unitId: String?
        let unitName: String
        let relation: String
        let personName: String
    }

    let id: String
    let name: String
    let homeUnitId: String?
    let homeUnitName: String
    let post: String?
    let category: String
    let rank: String?
    let inLeaderPool: Bool
    let inTalentPool: Bool
    let skills: [String]
    let available: Bool
    let version: Int
    let workHistory: [Stint]
    let relations: [Relative]
    let training: String?
    let evaluation: String?
    let accountLinked: Bool

    init(_ inspector: Inspector) {
        id = inspector.id.text
        name = inspector.name
        homeUnitId = inspector.homeUnitID?.text
        homeUnitName = inspector.homeUnitName
        post = inspector.post
        category = inspector.category.rawValue
        rank = inspector.rank?.rawValue
        inLeaderPool = inspector.inLeaderPool
        inTalentPool = inspector.inTalentPool
        skills = inspector.skills
        available = inspector.available
        version = inspector.version
        workHistory = inspector.workHistory.map { Stint(unitId: $0.unitID?.text, unitName: $0.unitName, fromYear: $0.fromYear, toYear: $0.toYear) }
        relations = inspector.relations.map { Relative(unitId: $0.unitID?.text, unitName: $0.unitName, relation: $0.relation, personName: $0.personName) }
        training = inspector.training
        evaluation = inspector.evaluation
        accountLinked = inspector.accountID != nil
    }
}

/// 巡察计划 through the API: rounds, batches, groups, assignments, pools and the team proposal.
struct PlanningController {
    let store: Store
    let settings: WebSettings

    struct RoundInput: Decodable {
        var term: String?
        var sequence: Int?
        var kind: String?
        var theme: String?
        var plannedStart: String?
        var plannedEnd: String?
        var maxUnitsPerGroup: Int?
    }

    struct BatchInput: Decodable {
        var entryDate: String?
        var exitDate: String?
    }

    struct GroupInput: Decodable {
        var name: String?
        var authorisation: String?
    }

    struct MemberInput: Decodable {
        var inspectorId: String?
        var role: String?
        var overrideReason: String?
    }

    struct AssignmentInput: Decodable {
        var unitId: String?
        var batchId: String?
        var overrideReason: String?
    }

    struct ProposalInput: Decodable {
        var batchId: String?
        var unitIds: [String]?
        var membersPerGroup: Int?
    }

    struct AcceptInput: Decodable {
        struct Group: Decodable {
            struct Member: Decodable {
                var inspectorId: String?
                var role: String?
            }

            var name: String?
            var authorisation: String?
            var members: [Member]?
            var unitIds: [String]?
            var overrideReason: String?
        }

        var batchId: String?
        var groups: [Group]?

        func plans() throws -> [GroupPlan] {
            try (groups ?? []).map { group in
                GroupPlan(
                    name: group.name ?? "", authorisation: group.authorisation,
                    members: try (group.members ?? []).map { member in
                        guard let text = member.role, let role = GroupRole(code: text) else {
                            throw DomainError.invalid("unknown_group_role", "未知的组内职务“\(member.role ?? "")”", english: "unknown group role", field: "role")
                        }
                        return PlannedMember(inspectorID: try PlanningController.id(member.inspectorId, field: "inspector_id", label: "巡察干部"), role: role)
                    },
                    unitIDs: try (group.unitIds ?? []).map { try PlanningController.id($0, field: "unit_ids", label: "单位") },
                    overrideReason: group.overrideReason)
            }
        }
    }

    struct InspectorInput: Decodable {
        struct Stint: Decodable {
            var unitId: String?
            var unitName: String?
            var fromYear: Int?
            var toYear: Int?
        }

        struct Relative: Decodable {
            var unitId: String?
            var unitName: String?
            var relation: String?
            var personName: String?
        }

        var name: String?
        var homeUnitId: String?
        var homeUnitName: String?
        var post: String?
        var category: String?
        var rank: String?
        var inLeaderPool: Bool?
        var inTalentPool: Bool?
        var skills: [String]?
        var available: Bool?
        var workHistory: [Stint]?
        var relations: [Relative]?
        var training: String?
        var evaluation: String?
        var accountUsername: String?
        var version: Int?

        /// The entry as typed; `validated` checks the rules in the store.
        func draft() throws -> InspectorDraft {
            guard let categoryText = category, let category = DepartmentCategory(code: categoryText) else {
                throw DomainError.invalid("unknown_category", "未知的部门类别“\(self.category ?? "")”", english: "unknown category", field: "category")
            }
            var rank: LeaderRank?
            if let text = self.rank, !text.isEmpty {
                guard let parsed = LeaderRank(code: text) else { throw DomainError.invalid("unknown_rank", "未知的职级“\(text)”", english: "unknown rank", field: "rank") }
                rank = parsed
            }
            let homeUnit = try Self.optionalID(homeUnitId, field: "home_unit_id", label: "工作单位")
            let history = try (workHistory ?? []).map { stint in
                guard let from = stint.fromYear else { throw DomainError.required("work_history", label: "工作经历起始年份") }
                return WorkRecord(
                    unitID: try Self.optionalID(stint.unitId, field: "work_history", label: "工作经历单位"), unitName: stint.unitName ?? "", fromYear: from,
                    toYear: stint.toYear)
            }
            let relatives = try (relations ?? []).map { relative in
                FamilyRelation(
                    unitID: try Self.optionalID(relative.unitId, field: "relations", label: "亲属任职单位"), unitName: relative.unitName ?? "",
                    relation: relative.relation ?? "", personName: relative.personName ?? "")
            }
            return InspectorDraft(
                name: name ?? "", homeUnitID: homeUnit, homeUnitName: homeUnitName ?? "", post: post, category: category, rank: rank,
                inLeaderPool: inLeaderPool ?? false, inTalentPool: inTalentPool ?? false, skills: skills ?? [], available: available ?? true,
                workHistory: history, relations: relatives)
        }

        private static func optionalID(_ text: String?, field: String, label: String) throws -> UUID? {
            guard let text, !text.isEmpty else { return nil }
            return try PlanningController.id(text, field: field, label: label)
        }
    }

    struct ConflictInput: Decodable {
        var unitId: String?
        var kind: String?
        var reason: String?
    }

    struct PlanInput: Decodable {
        struct Target: Decodable {
            var unitId: String?
            var reason: String?
        }

        var term: String?
        var termStart: String?
        var termEnd: String?
        var title: String?
        var targets: [Target]?
    }

    struct PlanDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case id, term, termStart = "term_start", termEnd = "term_end", title, targets
        }

        let id: String
        let term: String
        let termStart: String
        let termEnd: String
        let title: String
        let targets: Int
    }

    struct CoverageDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case term, total, planned, inspected, remaining, percent, remainingUnits = "remaining_units"
        }

        let term: String
        let total: Int
        let planned: Int
        let inspected: Int
        let remaining: Int
        let percent: Double
        let remainingUnits: [String]
    }

    struct RoundDetailDTO: Encodable {
        let round: RoundDTO
        let batches: [BatchDTO]
        let groups: [GroupDTO]
    }

    struct ItemsDTO<Item: Encodable>: Encodable {
        let items: [Item]
    }

    struct ProposalDTO: Encodable {
        struct Proposed: Encodable {
            enum CodingKeys: String, CodingKey {
                case unitIds = "unit_ids", leaderId = "leader_id", memberIds = "member_ids", reasons, shortfalls
            }

            let unitIds: [String]
            let leaderId: String?
            let memberIds: [String]
            let reasons: [String]
            let shortfalls: [String]
        }

        enum CodingKeys: String, CodingKey {
            case groups, conflictsAvoided = "conflicts_avoided"
        }

        let groups: [Proposed]
        let conflictsAvoided: Int
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/v1/plans") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(PlanInput.self, from: request, limit: settings.maxBodyBytes)
            let targets = try (input.targets ?? []).map { PlanTarget(unitID: try Self.id($0.unitId, field: "targets", label: "规划单位"), reason: $0.reason) }
            let jurisdiction = try context.ownJurisdiction()
            let plan = try await store.createPlan(
                term: input.term, termStart: input.termStart, termEnd: input.termEnd, title: input.title, targets: targets, in: jurisdiction, origin: origin)
            return try JSONBody.response(
                PlanDTO(id: plan.id.text, term: plan.term, termStart: plan.termStart.description, termEnd: plan.termEnd.description, title: plan.title, targets: plan.targets.count),
                status: .created)
        }
        router.get("/api/v1/coverage") { request, context -> Response in
            let actor = try context.requireActor()
            let term = try TextRules.requiredLine(request.queryDictionary["term"], field: "term", label: "届次", maxLength: 20)
            let coverage = try await store.coverage(term: term, for: actor)
            return try JSONBody.response(
                CoverageDTO(
                    term: coverage.term, total: coverage.total, planned: coverage.planned, inspected: coverage.inspected, remaining: coverage.remaining,
                    percent: coverage.percent, remainingUnits: coverage.remainingSample.map(\.name)))
        }
        router.get("/api/v1/rounds") { _, context -> Response in
            try JSONBody.response(ItemsDTO(items: try await store.rounds(for: try context.requireActor()).map(RoundDTO.init)))
        }
        router.post("/api/v1/rounds") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(RoundInput.self, from: request, limit: settings.maxBodyBytes)
            let jurisdiction = try context.ownJurisdiction()
            let local = try await store.settings(of: jurisdiction, for: origin.actor)
            let draft = try RoundDraft.validate(
                term: input.term, sequence: input.sequence, kind: input.kind, theme: input.theme, plannedStart: input.plannedStart,
                plannedEnd: input.plannedEnd, maxUnitsPerGroup: input.maxUnitsPerGroup, defaultMaxUnitsPerGroup: local.maxUnitsPerGroup)
            return try JSONBody.response(RoundDTO(try await store.createRound(draft, in: jurisdiction, origin: origin)), status: .created)
        }
        router.get("/api/v1/rounds/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.parameters.uuid("id")
            let round = try await store.round(id, for: actor)
            return try JSONBody.response(
                RoundDetailDTO(
                    round: RoundDTO(round), batches: try await store.batches(of: id, for: actor).map(BatchDTO.init),
                    groups: try await store.groups(of: id, for: actor).map(GroupDTO.init)))
        }
        router.steps(of: RoundStep.self, at: "/api/v1/rounds/{id}", body: NoteStepBody<StepNote>.self, store: store, settings: settings) { round, _ in
            RoundDTO(round)
        }
        router.post("/api/v1/rounds/{id}/batches") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(BatchInput.self, from: request, limit: settings.maxBodyBytes)
            let batch = try await store.addBatch(to: try context.parameters.uuid("id"), entry: input.entryDate, exit: input.exitDate, origin: origin)
            return try JSONBody.response(BatchDTO(batch), status: .created)
        }
        router.get("/api/v1/standing-groups") { _, context -> Response in
            let listed = try await store.standingGroups(for: try context.requireActor())
            return try JSONBody.response(ItemsDTO(items: listed.map(StandingGroupListingDTO.init)))
        }
        router.get("/api/v1/standing-groups/{id}") { _, context -> Response in
            let group = try await store.standingGroup(try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(StandingGroupDTO(group))
        }
        router.post("/api/v1/rounds/{id}/groups") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(GroupInput.self, from: request, limit: settings.maxBodyBytes)
            let group = try await store.createGroup(in: try context.parameters.uuid("id"), name: input.name, authorisation: input.authorisation, origin: origin)
            return try JSONBody.response(GroupDTO(group), status: .created)
        }
        router.post("/api/v1/rounds/{id}/proposal") { request, context -> Response in
            let actor = try context.requireActor()
            let input = try await JSONBody.decode(ProposalInput.self, from: request, limit: settings.maxBodyBytes)
            let batch = try Self.id(input.batchId, field: "batch_id", label: "批次")
            let units = try (input.unitIds ?? []).map { try Self.id($0, field: "unit_ids", label: "单位") }
            guard !units.isEmpty else { throw DomainError.required("unit_ids", label: "被巡察单位") }
            let perGroup = input.membersPerGroup ?? 4
            guard (1...12).contains(perGroup) else {
                throw DomainError.invalid("invalid_members_per_group", "每组成员数须在1至12之间", english: "members_per_group out of range", field: "members_per_group")
            }
            let proposal = try await store.proposeTeams(roundID: try context.parameters.uuid("id"), batchID: batch, unitIDs: units, membersPerGroup: perGroup, for: actor)
            return try JSONBody.response(
                ProposalDTO(
                    groups: proposal.groups.map {
                        .init(unitIds: $0.units.map(\.id.text), leaderId: $0.leader?.text, memberIds: $0.members.map(\.text), reasons: $0.reasons, shortfalls: $0.shortfalls)
                    },
                    conflictsAvoided: proposal.avoided))
        }
        router.post("/api/v1/rounds/{id}/proposal/accept") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(AcceptInput.self, from: request, limit: settings.maxBodyBytes)
            let groups = try await store.acceptProposal(
                roundID: try context.parameters.uuid("id"), batchID: try Self.id(input.batchId, field: "batch_id", label: "批次"), groups: try input.plans(),
                origin: origin)
            return try JSONBody.response(ItemsDTO(items: groups.map(GroupDTO.init)), status: .created)
        }
        router.post("/api/v1/groups/{id}/members") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(MemberInput.self, from: request, limit: settings.maxBodyBytes)
            guard let roleText = input.role, let role = GroupRole(code: roleText) else {
                throw DomainError.invalid("unknown_group_role", "未知的组内职务“\(input.role ?? "")”", english: "unknown group role", field: "role")
            }
            let group = try await store.addMember(
                try Self.id(input.inspectorId, field: "inspector_id", label: "巡察干部"), to: try context.parameters.uuid("id"), role: role,
                overrideReason: input.overrideReason, origin: origin)
            return try JSONBody.response(GroupDTO(group), status: .created)
        }
        router.post("/api/v1/groups/{id}/assignments") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(AssignmentInput.self, from: request, limit: settings.maxBodyBytes)
            let assignment = try await store.assign(
                unit: try Self.id(input.unitId, field: "unit_id", label: "单位"), to: try context.parameters.uuid("id"),
                batch: try Self.id(input.batchId, field: "batch_id", label: "批次"), overrideReason: input.overrideReason, origin: origin)
            return try JSONBody.response(
                GroupDTO.Task(id: assignment.id.text, batchId: assignment.batchID.text, unitId: assignment.unitID.text, unitName: assignment.unitName), status: .created)
        }
        router.get("/api/v1/inspectors") { request, context -> Response in
            let query = try Self.inspectorQuery(request.queryDictionary)
            let page = try await store.inspectors(query, for: try context.requireActor())
            return try JSONBody.response(PageDTO(page, InspectorDTO.init))
        }
        router.post("/api/v1/inspectors") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(InspectorInput.self, from: request, limit: settings.maxBodyBytes)
            let draft = try input.draft()
            let jurisdiction = try context.ownJurisdiction()
            return try JSONBody.response(InspectorDTO(try await store.createInspector(draft, in: jurisdiction, origin: origin)), status: .created)
        }
        router.patch("/api/v1/inspectors/{id}") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(InspectorInput.self, from: request, limit: settings.maxBodyBytes)
            let version = try input.version.requiredVersion()
            let inspector = try await store.updateInspector(
                try context.parameters.uuid("id"), try input.draft(),
                records: InspectorRecords(training: input.training, evaluation: input.evaluation, accountUsername: input.accountUsername), version: version,
                origin: origin)
            return try JSONBody.response(InspectorDTO(inspector))
        }
        router.get("/api/v1/inspectors/{id}") { _, context -> Response in
            try JSONBody.response(InspectorDTO(try await store.inspector(try context.parameters.uuid("id"), origin: try context.origin())))
        }
        router.post("/api/v1/inspectors/import") { request, context -> Response in
            let origin = try context.origin()
            let jurisdiction = try context.ownJurisdiction()
            let data = try await JSONBody.csv(request, limit: settings.maxImportBytes)
            let drafts = try InspectorImportPlan.plan(try CSVTable.parse(data), currentYear: CalendarDay(store.clock.now()).year)
            struct Imported: Encodable { let imported: Int }
            return try JSONBody.response(Imported(imported: try await store.importInspectors(drafts, into: jurisdiction, origin: origin)), status: .created)
        }
        router.post("/api/v1/inspectors/{id}/conflicts") { request, context -> Response in
            let origin = try context.origin()
            let input = try await JSONBody.decode(ConflictInput.self, from: request, limit: settings.maxBodyBytes)
            guard let kindText = input.kind, let kind = ConflictKind(rawValue: kindText) else {
                throw DomainError.invalid("invalid_kind", "kind 须为 declared 或 unit_request", english: "unknown kind", field: "kind")
            }
            try await store.declareConflict(
                inspector: try context.parameters.uuid("id"), unit: try Self.id(input.unitId, field: "unit_id", label: "单位"), kind: kind, reason: input.reason,
                origin: origin)
            return Response(status: .noContent)
        }
    }

    static func id(_ text: String?, field: String, label: String) throws -> UUID {
        guard let text, !text.isEmpty else { throw DomainError.required(field, label: label) }
        guard let id = UUID(text: text) ?? UUID(uuidString: text) else {
            throw DomainError.invalid("invalid_id", "“\(label)”编号格式不正确", english: "\(field) is not a UUID", field: field)
        }
        return id
    }
}

extension PlanningController {
    /// The filters of 组长库·人才库 (`q`, `category`, `pool`, `available=true`) and the page asked
    /// for, the same for the API and the page.
    static func inspectorQuery(_ parameters: [String: String]) throws(DomainError) -> InspectorQuery {
        var query = InspectorQuery(page: try parameters.pageRequest())
        query.search = try TextRules.optionalLine(parameters["q"], field: "q", label: "搜索词", maxLength: 60)
        if let text = parameters["category"], !text.isEmpty {
            guard let category = DepartmentCategory(code: text) else {
                throw DomainError.invalid("unknown_category", "未知的部门类别“\(text)”", english: "unknown category", field: "category")
            }
            query.category = category
        }
        if let text = parameters["pool"], !text.isEmpty {
            guard let pool = InspectorQuery.PoolFilter(rawValue: text) else {
                throw DomainError.invalid("unknown_pool", "未知的库别“\(text)”（须为 leaders 或 talent）", english: "unknown pool", field: "pool")
            }
            query.pool = pool
        }
        query.availableOnly = try parameters.flag("available", label: "只看可抽调")
        return query
    }
}
