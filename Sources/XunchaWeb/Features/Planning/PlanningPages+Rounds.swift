import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 巡察轮次 pages: the list, the new-round form, and a round's page where the office and the
/// leading group take its steps and the office plans batches, groups, members and units.
extension PlanningPages {
    // MARK: List

    struct RoundRow {
        let id: String
        let title: String
        let theme: String
        let dates: String
        let perGroup: Int
        let status: String
        let statusClass: String
        let updatedAt: String
    }

    struct RoundsPage {
        let chrome: Chrome
        let canManage: Bool
        let rows: [RoundRow]
        let terms: [Option]
        let statuses: [Option]
        let filtered: Bool
        let capped: Bool
        let limit: Int
    }

    func roundsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let limit = 200
        let all = try await store.rounds(for: actor, limit: limit)
        let parameters = request.queryDictionary
        let term = parameters["term"] ?? ""
        var status: RoundStatus?
        status = try parameters.code(RoundStatus.self, "status", label: "轮次状态")
        // A committee runs a few rounds a year, so the store answers at most `limit` rounds, newest
        // planned first, and the two filters narrow that list here.
        let shown = all.filter { (term.isEmpty || $0.term == term) && (status == nil || $0.status == status) }
        var terms: [String] = []
        for round in all where !terms.contains(round.term) { terms.append(round.term) }
        let model = RoundsPage(
            chrome: pages.chrome(title: "巡察轮次", active: .rounds, request: request, context: context),
            canManage: store.policy.allowsAnywhere(actor, .manageRounds),
            rows: shown.map {
                RoundRow(
                    id: $0.id.text, title: $0.title, theme: $0.theme ?? "—", dates: "\($0.plannedStart) 至 \($0.plannedEnd)", perGroup: $0.maxUnitsPerGroup,
                    status: $0.status.title, statusClass: Self.badge($0.status), updatedAt: Display.time($0.updatedAt))
            },
            terms: terms.map { Option(value: $0, label: $0, selected: $0 == term) },
            statuses: RoundStatus.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == status) },
            filtered: !term.isEmpty || status != nil, capped: all.count >= limit, limit: limit)
        return pages.render("rounds", model)
    }

    static func badge(_ status: RoundStatus) -> String {
        switch status {
        case .draft: ""
        case .underReview, .submitted: "warn"
        case .approved, .preparing, .mobilised, .onSite: "ok"
        }
    }

    // MARK: New round

    struct RoundFormPage {
        let chrome: Chrome
        let term: String
        let sequence: String
        let kinds: [Option]
        let theme: String
        let plannedStart: String
        let plannedEnd: String
        let maxUnitsPerGroup: String
        let maximumUnitsPerGroup: Int
        let error: String?
    }

    func roundForm(context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .manageRounds)
        // Suggest the term of the latest round and the next number in it.
        let rounds = try await store.rounds(for: actor)
        let term = rounds.first?.term ?? ""
        let next = (rounds.filter { $0.term == term }.map(\.sequence).max() ?? 0) + 1
        let local = try await store.settings(of: try context.ownJurisdiction(), for: actor)
        let kind = form?["kind"] ?? RoundKind.routine.rawValue
        let model = RoundFormPage(
            chrome: Chrome.make(title: "新建巡察轮次", active: .rounds, context: context, policy: store.policy),
            term: form?["term"] ?? term, sequence: form?["sequence"] ?? String(next),
            kinds: RoundKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == kind) },
            theme: form?["theme"] ?? "", plannedStart: form?["planned_start"] ?? "", plannedEnd: form?["planned_end"] ?? "",
            maxUnitsPerGroup: form?["max_units_per_group"] ?? String(local.maxUnitsPerGroup), maximumUnitsPerGroup: RoundDraft.maximumUnitsPerGroup, error: error?.message)
        return pages.render("round_form", model, refused: error)
    }

    func createRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        return try await PageForm.submit(request, context: context) { form in
            let jurisdiction = try context.ownJurisdiction()
            let local = try await store.settings(of: jurisdiction, for: origin.actor)
            let draft = try RoundDraft.validate(
                term: form["term"], sequence: try Self.integer(form["sequence"], field: "sequence", label: "轮次序号"), kind: form["kind"],
                theme: form["theme"], plannedStart: form["planned_start"], plannedEnd: form["planned_end"],
                maxUnitsPerGroup: try Self.integer(form["max_units_per_group"], field: "max_units_per_group", label: "一托N"),
                defaultMaxUnitsPerGroup: local.maxUnitsPerGroup)
            let round = try await store.createRound(draft, in: jurisdiction, origin: origin)
            return PageRenderer.redirect("/rounds/\(round.id.text)", notice: .created, about: NoticeSaid.object(RoundLifecycle.self, round))
        } reshow: { form, error in
            try await roundForm(context: context, form: form, error: error)
        }
    }

    // MARK: A round


    struct BatchRow {
        let sequence: Int
        let label: String
        let entry: String
        let exit: String
        let units: Int
    }

    struct MemberRow {
        let name: String
        let role: String
        let profileHref: String?
    }

    struct TaskRow {
        let batch: String
        let unitName: String
        let unitHref: String
    }

    struct OverrideField {
        let value: String
    }

    struct MemberForm {
        let action: String
        let inspectors: [Option]
        let roles: [Option]
        let memberOverride: OverrideField?
        let memberError: String?
    }

    struct AssignForm {
        let action: String
        let units: [Option]
        let batchChoices: [Option]
        let assignOverride: OverrideField?
        let assignError: String?
    }

    struct GroupView {
        let id: String
        let name: String
        let authorisation: String
        let leader: String
        let members: [MemberRow]
        let tasks: [TaskRow]
        let memberForm: MemberForm?
        let assignForm: AssignForm?
    }

    struct BatchForm {
        let entry: String
        let exit: String
        let batchError: String?
    }

    struct GroupForm {
        let name: String
        let authorisation: String
        let groupError: String?
    }

    struct RoundPage {
        let chrome: Chrome
        let id: String
        let title: String
        let term: String
        let sequence: Int
        let kind: String
        let theme: String
        let plannedStart: String
        let plannedEnd: String
        let status: String
        let statusClass: String
        let maxUnitsPerGroup: Int
        let version: Int
        let updatedAt: String
        let steps: [StepForm]
        /// Who the round waits for when the reader has no step to take.
        let waitingFor: String?
        let history: [HistoryRow]
        let batches: [BatchRow]
        let batchForm: BatchForm?
        let groups: [GroupView]
        let groupForm: GroupForm?
        let canPropose: Bool
        let staffingNote: String?
        /// The refusal, repeated at the top so it is seen before scrolling.
        let pageError: String?
        let errorAnchor: String?
    }

    func roundPage(_ request: Request, context: AppRequestContext, failure: Failure?) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.parameters.uuid("id")
        let view = try await store.lifecycleView(RoundLifecycle.self, of: id, for: actor)
        let round = view.record
        let location = try await location(of: round.jurisdictionID, for: actor)
        func allows(_ permission: Permission) -> Bool { location.map { store.policy.allows(actor, permission, at: $0) } ?? false }
        let canManage = allows(.manageRounds)
        let canStaff = canManage && round.status.allowsStaffing
        let canSeePools = allows(.viewPools)
        let history = view.history
        let batches = try await store.batches(of: id, for: actor)
        let groups = try await store.groups(of: id, for: actor)

        let forms = StepForms(
            action: "/rounds/\(round.id.text)/steps", version: round.version, posted: failure.flatMap { $0.form.hasPrefix("step:") ? $0.input : nil },
            error: failure?.error)
        let steps = view.available.map { step in
            // The note is a line here: an opinion or the committee's document number.
            let note: [StepField] =
                step.needsNote || step == .approveByLeadingGroup
                ? [
                    .input(
                        "note", label: Self.noteLabel(step), perStep: true, maxLength: 500,
                        placeholder: step == .recordCommitteeApproval ? "如：江委〔2026〕3号" : "", required: step.needsNote)
                ] : []
            return forms.form(step, confirm: Self.confirmation(step, round: round), danger: step == .returnForRevision, note)
        }

        // Steps someone else takes next, said when the reader has none ("等待领导小组成员办理").
        let pending = RoundStep.allCases.filter { $0.transition.from == round.status }
        let waitingFor: String? =
            steps.isEmpty && !pending.isEmpty
            ? "等待\(pending[0].takenBy.title)办理：" + pending.map(\.title).joined(separator: "或") + "。" : nil

        let batchLabel = Dictionary(uniqueKeysWithValues: batches.map { ($0.id, "第\($0.sequence)批（\($0.entryDate)至\($0.exitDate)）") })
        var unitsPerBatch: [UUID: Int] = [:]
        for group in groups { for task in group.assignments { unitsPerBatch[task.batchID, default: 0] += 1 } }

        // The choices of the staffing forms, loaded only for someone who may staff this round.
        var poolChoices: [Inspector] = []
        var unitChoices: [InspectedUnit] = []
        if canStaff {
            if canSeePools { poolChoices = try await pool(of: round.jurisdictionID, availableOnly: true, for: actor) }
            unitChoices = try await unitRegister(of: round.jurisdictionID, for: actor)
        }
        let groupViews = groups.map { group -> GroupView in
            let memberKey = "member:\(group.id.text)"
            let assignKey = "assign:\(group.id.text)"
            var memberForm: MemberForm?
            var assignForm: AssignForm?
            if canStaff {
                let chosen = failure?.value("inspector_id", for: memberKey) ?? ""
                let role = failure?.value("role", for: memberKey) ?? (group.leader == nil ? GroupRole.leader.rawValue : GroupRole.member.rawValue)
                let present = Set(group.members.map(\.inspectorID))
                memberForm = MemberForm(
                    action: "/rounds/\(round.id.text)/groups/\(group.id.text)/members",
                    inspectors: poolChoices.filter { !present.contains($0.id) }.map { Option(value: $0.id.text, label: Self.describe($0), selected: $0.id.text == chosen) },
                    roles: GroupRole.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == role) },
                    memberOverride: failure?.form == memberKey && failure?.isConflictOfInterest == true ? OverrideField(value: failure?.input["override_reason"] ?? "") : nil,
                    memberError: failure?.form == memberKey ? failure?.error.message : nil)
                let unit = failure?.value("unit_id", for: assignKey) ?? ""
                let batch = failure?.value("batch_id", for: assignKey) ?? batches.last?.id.text ?? ""
                assignForm = AssignForm(
                    action: "/rounds/\(round.id.text)/groups/\(group.id.text)/assignments",
                    units: unitChoices.map { Option(value: $0.id.text, label: $0.name, selected: $0.id.text == unit) },
                    batchChoices: batches.map { Option(value: $0.id.text, label: batchLabel[$0.id] ?? "", selected: $0.id.text == batch) },
                    assignOverride: failure?.form == assignKey && failure?.isConflictOfInterest == true ? OverrideField(value: failure?.input["override_reason"] ?? "") : nil,
                    assignError: failure?.form == assignKey ? failure?.error.message : nil)
            }
            return GroupView(
                id: group.id.text, name: group.name, authorisation: group.authorisation ?? "—", leader: group.leader?.name ?? "（未配组长）",
                members: group.members.sorted { Self.roleOrder($0.role) < Self.roleOrder($1.role) }.map {
                    MemberRow(name: $0.name, role: $0.role.title, profileHref: canSeePools ? "/inspectors/\($0.inspectorID.text)" : nil)
                },
                tasks: group.assignments.map { TaskRow(batch: batchLabel[$0.batchID] ?? "", unitName: $0.unitName, unitHref: "/units/\($0.unitID.text)") },
                memberForm: memberForm, assignForm: assignForm)
        }

        let staffingNote: String? =
            switch round.status {
            case .draft, .underReview, .submitted: "党委批准后才能组建巡察组、选配人员和派驻单位。"
            case .mobilised, .onSite: "已动员部署，巡察组和派驻安排不能再调整。"
            case .approved, .preparing: canManage ? nil : "由巡察办组建巡察组。"
            }
        let model = RoundPage(
            chrome: Chrome.make(title: round.title, active: .rounds, context: context, policy: store.policy, notice: failure == nil ? Chrome.notice(request) : nil),
            id: round.id.text, title: round.title, term: round.term, sequence: round.sequence, kind: round.kind.title, theme: round.theme ?? "—",
            plannedStart: round.plannedStart.description, plannedEnd: round.plannedEnd.description, status: round.status.title,
            statusClass: Self.badge(round.status), maxUnitsPerGroup: round.maxUnitsPerGroup, version: round.version, updatedAt: Display.prose(round.updatedAt),
            steps: steps, waitingFor: waitingFor,
            history: history.map(HistoryRow.init),
            batches: batches.map {
                BatchRow(sequence: $0.sequence, label: "第\($0.sequence)批", entry: $0.entryDate.description, exit: $0.exitDate.description, units: unitsPerBatch[$0.id] ?? 0)
            },
            batchForm: canManage && [.draft, .approved, .preparing].contains(round.status)
                ? BatchForm(entry: failure?.value("entry_date", for: "batch") ?? "", exit: failure?.value("exit_date", for: "batch") ?? "",
                    batchError: failure?.form == "batch" ? failure?.error.message : nil) : nil,
            groups: groupViews,
            groupForm: canStaff
                ? GroupForm(
                    name: failure?.value("name", for: "group") ?? "第\(ChineseNumber.text(groups.count + 1))巡察组",
                    authorisation: failure?.value("authorisation", for: "group") ?? "", groupError: failure?.form == "group" ? failure?.error.message : nil) : nil,
            canPropose: canStaff && canSeePools && !batches.isEmpty, staffingNote: staffingNote, pageError: failure?.error.message,
            errorAnchor: failure.map { Self.anchor(of: $0.form) })
        return pages.render("round", model, refused: failure?.error)
    }

    /// The id of the page section holding a form, for the "go to the form" link.
    static func anchor(of form: String) -> String {
        if form.hasPrefix("step:") { return "steps" }
        if form.hasPrefix("member:") || form.hasPrefix("assign:") { return "group-" + (form.split(separator: ":").last.map(String.init) ?? "") }
        return form == "batch" ? "batches" : "groups"
    }

    static func roleOrder(_ role: GroupRole) -> Int { GroupRole.allCases.firstIndex(of: role) ?? 0 }

    /// "张三（组织人事 · 市委组织部 · 组长库）": enough to choose a person from a select.
    static func describe(_ inspector: Inspector) -> String {
        var pools: [String] = []
        if inspector.inLeaderPool { pools.append("组长库") }
        if inspector.inTalentPool { pools.append("人才库") }
        return "\(inspector.name)（\(inspector.category.title) · \(inspector.homeUnitName) · \(pools.joined(separator: "、"))）"
    }

    static func noteLabel(_ step: RoundStep) -> String {
        switch step {
        case .returnForRevision: "退回意见"
        case .recordCommitteeApproval: "党委批准文号"
        default: "审议意见（可不填）"
        }
    }

    /// What the confirmation dialog asks before a step: none can be undone.
    static func confirmation(_ step: RoundStep, round: Round) -> String {
        switch step {
        case .submitForReview: "确定将“\(round.title)”提交领导小组审议？审议期间不能调整批次。"
        case .approveByLeadingGroup: "确定审议通过“\(round.title)”，报党委审批？"
        case .returnForRevision: "确定将“\(round.title)”退回巡察办修改？"
        case .recordCommitteeApproval: "确定登记党委已批准“\(round.title)”？登记后即可组建巡察组。"
        case .startPreparing: "确定开始筹备“\(round.title)”？"
        case .mobilise: "动员部署后不能再调整巡察组和派驻安排。确定动员部署？"
        case .enter: "确定各巡察组已进驻被巡察单位？"
        }
    }

    // MARK: Acts on a round

    func takeStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await PageStep.take(
            RoundStep.self, request, context: context, store: store, input: { form, _ in StepNote(form["note"]) },
            done: { id, _ in Self.redirect("/rounds/\(id.text)", notice: .stepTaken, anchor: "steps") },
            reshow: { form, error in
                try await roundPage(request, context: context, failure: Failure(form: "step:\(form["step"] ?? "")", input: form, error: error))
            })
    }

    func addBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await roundForm(request, context: context, key: "batch") { form, origin, id in
            _ = try await store.addBatch(to: id, entry: form["entry_date"], exit: form["exit_date"], origin: origin)
            return (.batchAdded, "batches")
        }
    }

    func formGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await roundForm(request, context: context, key: "group") { form, origin, id in
            let group = try await store.createGroup(in: id, name: form["name"], authorisation: form["authorisation"], origin: origin)
            return (.groupFormed, "group-\(group.id.text)")
        }
    }

    func addMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let groupID = try context.parameters.uuid("group")
        return try await roundForm(request, context: context, key: "member:\(groupID.text)") { form, origin, id in
            try await requireGroup(groupID, inRound: id, actor: origin.actor)
            guard let roleText = form["role"], let role = GroupRole(code: roleText) else {
                throw DomainError.invalid("unknown_group_role", "请选择组内职务", english: "unknown group role", field: "role")
            }
            let inspector = try PlanningController.id(form["inspector_id"], field: "inspector_id", label: "巡察干部")
            _ = try await store.addMember(inspector, to: groupID, role: role, overrideReason: form["override_reason"], origin: origin)
            return (.memberAdded, "group-\(groupID.text)")
        }
    }

    func assignUnit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let groupID = try context.parameters.uuid("group")
        return try await roundForm(request, context: context, key: "assign:\(groupID.text)") { form, origin, id in
            try await requireGroup(groupID, inRound: id, actor: origin.actor)
            _ = try await store.assign(
                unit: try PlanningController.id(form["unit_id"], field: "unit_id", label: "被巡察单位"), to: groupID,
                batch: try PlanningController.id(form["batch_id"], field: "batch_id", label: "批次"), overrideReason: form["override_reason"], origin: origin)
            return (.unitAssigned, "group-\(groupID.text)")
        }
    }

    /// One of the round page's own forms (`key` names it, as `Failure` does): `act` does what it
    /// asks on the round in the address and says where the page lands; a refusal the form can show
    /// shows the page again with what was typed.
    func roundForm(
        _ request: Request, context: AppRequestContext, key: String,
        act: (FormInput, RequestOrigin, UUID) async throws -> (notice: Notice, anchor: String)
    ) async throws -> Response {
        let origin = try context.origin()
        let id = try context.parameters.uuid("id")
        return try await PageForm.submit(request, context: context) { form in
            let landing = try await act(form, origin, id)
            return Self.redirect("/rounds/\(id.text)", notice: landing.notice, anchor: landing.anchor)
        } reshow: { form, error in
            try await roundPage(request, context: context, failure: Failure(form: key, input: form, error: error))
        }
    }

    /// The group must belong to the round in the address, or the page shown after the act would
    /// be another round's.
    func requireGroup(_ groupID: UUID, inRound roundID: UUID, actor: Actor) async throws {
        guard try await store.groups(of: roundID, for: actor).contains(where: { $0.id == groupID }) else { throw DomainError.notFound }
    }

    /// A redirect after a form post that lands on a section of the page.
    static func redirect(_ path: String, notice: Notice, anchor: String) -> Response {
        Response(status: .seeOther, headers: [.location: "\(path)?notice=\(notice.rawValue)#\(anchor)"])
    }
}
