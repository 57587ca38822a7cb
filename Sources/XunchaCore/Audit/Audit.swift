import Foundation

/// 审计日志 entry as it is written: who did what to which record, from where, with digests of the
/// record before and after. The store adds the sequence number and the hash chain.
public struct AuditEvent: Sendable, Equatable {
    public var action: AuditAction
    public var targetType: String?
    public var targetID: String?
    public var jurisdictionID: UUID?
    public var detail: String?
    /// Canonical JSON of the record before and after the change; only their digests are kept.
    public var before: String?
    public var after: String?

    public init(
        action: AuditAction, targetType: String? = nil, targetID: String? = nil, jurisdictionID: UUID? = nil, detail: String? = nil,
        before: String? = nil, after: String? = nil
    ) {
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.jurisdictionID = jurisdictionID
        self.detail = detail
        self.before = before
        self.after = after
    }

    /// Canonical JSON (sorted keys) of a record, for before/after digests.
    public static func canonical(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
    }
}

/// The actions the audit log names. Codes are stable; titles are for the audit UI.
public struct AuditAction: RawRepresentable, Hashable, Sendable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let signInSucceeded = AuditAction(rawValue: "auth.sign_in")
    public static let signInFailed = AuditAction(rawValue: "auth.sign_in_failed")
    public static let signOut = AuditAction(rawValue: "auth.sign_out")
    public static let accountLocked = AuditAction(rawValue: "auth.locked")
    public static let passwordChanged = AuditAction(rawValue: "auth.password_changed")
    public static let tokenIssued = AuditAction(rawValue: "auth.token_issued")
    public static let jurisdictionCreated = AuditAction(rawValue: "jurisdiction.create")
    public static let jurisdictionUpdated = AuditAction(rawValue: "jurisdiction.update")
    public static let unitCreated = AuditAction(rawValue: "unit.create")
    public static let unitUpdated = AuditAction(rawValue: "unit.update")
    public static let unitsImported = AuditAction(rawValue: "unit.import")
    /// 导入台账: a ledger entered from the office's spreadsheet (补录).
    public static let ledgerImported = AuditAction(rawValue: "ledger.import")
    /// 导出台账: a ledger exported in its import's columns (the lead register among them).
    public static let ledgerExported = AuditAction(rawValue: "ledger.export")
    public static let userCreated = AuditAction(rawValue: "user.create")
    public static let userDisabled = AuditAction(rawValue: "user.disable")
    public static let userEnabled = AuditAction(rawValue: "user.enable")
    public static let userPasswordReset = AuditAction(rawValue: "user.reset_password")
    public static let userPasswordResetRequested = AuditAction(rawValue: "user.reset_password.request")
    public static let userPasswordResetConfirmed = AuditAction(rawValue: "user.reset_password.confirm")
    public static let userPasswordResetRefused = AuditAction(rawValue: "user.reset_password.refuse")
    public static let resetNoticeAcknowledged = AuditAction(rawValue: "user.reset_notice.acknowledge")
    public static let userRolesChanged = AuditAction(rawValue: "user.roles")
    public static let usersImported = AuditAction(rawValue: "user.import")
    public static let roleProposalRefused = AuditAction(rawValue: "user.roles.refuse")
    public static let userUnlocked = AuditAction(rawValue: "user.unlock")
    public static let userViewed = AuditAction(rawValue: "user.view")
    public static let auditViewed = AuditAction(rawValue: "audit.view")
    public static let auditVerified = AuditAction(rawValue: "audit.verify")
    public static let administratorsBootstrapped = AuditAction(rawValue: "system.bootstrap")
    public static let roundCreated = AuditAction(rawValue: "round.create")
    public static let roundStepTaken = AuditAction(rawValue: "round.step")
    public static let batchAdded = AuditAction(rawValue: "batch.add")
    public static let inspectorAdded = AuditAction(rawValue: "inspector.add")
    public static let inspectorsImported = AuditAction(rawValue: "inspector.import")
    public static let inspectorViewed = AuditAction(rawValue: "inspector.view")
    public static let groupFormed = AuditAction(rawValue: "group.create")
    public static let groupMemberAdded = AuditAction(rawValue: "group.member")
    public static let unitAssigned = AuditAction(rawValue: "assignment.create")
    public static let conflictDeclared = AuditAction(rawValue: "conflict.declare")
    public static let conflictOverridden = AuditAction(rawValue: "conflict.override")
    public static let planCreated = AuditAction(rawValue: "plan.create")
    public static let inspectorChanged = AuditAction(rawValue: "inspector.change")
    public static let pledgeSigned = AuditAction(rawValue: "pledge.sign")
    public static let noticeSent = AuditAction(rawValue: "notice.send")
    public static let settingsChanged = AuditAction(rawValue: "settings.change")
    public static let classificationVersionAdded = AuditAction(rawValue: "classification.version")
    public static let recordCreated = AuditAction(rawValue: "record.create")
    public static let recordViewed = AuditAction(rawValue: "record.view")
    public static let reporterViewed = AuditAction(rawValue: "petition.reporter.view")
    public static let findingDrafted = AuditAction(rawValue: "finding.draft")
    public static let findingEdited = AuditAction(rawValue: "finding.edit")
    public static let findingStep = AuditAction(rawValue: "finding.step")
    public static let findingTriaged = AuditAction(rawValue: "finding.triage")
    public static let leadRegistered = AuditAction(rawValue: "lead.register")
    public static let leadViewed = AuditAction(rawValue: "lead.view")
    public static let leadStep = AuditAction(rawValue: "lead.step")
    public static let immediateStep = AuditAction(rawValue: "immediate.step")
    public static let attachmentAdded = AuditAction(rawValue: "attachment.add")
    public static let attachmentViewed = AuditAction(rawValue: "attachment.view")
    public static let reportDrafted = AuditAction(rawValue: "report.draft")
    public static let reportEdited = AuditAction(rawValue: "report.edit")
    public static let reportStep = AuditAction(rawValue: "report.step")
    public static let reportFiled = AuditAction(rawValue: "report.file")
    public static let feedbackDrafted = AuditAction(rawValue: "feedback.draft")
    public static let feedbackEdited = AuditAction(rawValue: "feedback.edit")
    public static let feedbackIssued = AuditAction(rawValue: "feedback.issue")
    public static let rectificationPlanDrafted = AuditAction(rawValue: "rectification_plan.draft")
    public static let rectificationPlanEdited = AuditAction(rawValue: "rectification_plan.edit")
    /// Endorsing and reviewing a plan, before they were steps of its lifecycle (entries already written).
    public static let rectificationPlanEndorsed = AuditAction(rawValue: "rectification_plan.endorse")
    public static let rectificationPlanReviewed = AuditAction(rawValue: "rectification_plan.review")
    public static let rectificationPlanStep = AuditAction(rawValue: "rectification_plan.step")
    public static let taskStep = AuditAction(rawValue: "task.step")
    public static let supervisionChecked = AuditAction(rawValue: "task.check")
    public static let rectificationReportDrafted = AuditAction(rawValue: "rectification_report.draft")
    public static let rectificationReportEdited = AuditAction(rawValue: "rectification_report.edit")
    public static let rectificationReportStep = AuditAction(rawValue: "rectification_report.step")
    public static let disclosureDrafted = AuditAction(rawValue: "disclosure.draft")
    public static let disclosureEdited = AuditAction(rawValue: "disclosure.edit")
    public static let disclosureStep = AuditAction(rawValue: "disclosure.step")
    public static let disclosureCirculated = AuditAction(rawValue: "disclosure.circulation")
    public static let ruleImprovementRecorded = AuditAction(rawValue: "rule_improvement.record")
    public static let evaluationScheduled = AuditAction(rawValue: "evaluation.schedule")
    public static let evaluationStep = AuditAction(rawValue: "evaluation.step")
    public static let followUpScheduled = AuditAction(rawValue: "follow_up.schedule")
    public static let followUpSettled = AuditAction(rawValue: "follow_up.settle")
    public static let thematicReportDrafted = AuditAction(rawValue: "thematic_report.draft")
    public static let thematicReportStep = AuditAction(rawValue: "thematic_report.step")
    public static let thematicReportWorded = AuditAction(rawValue: "thematic_report.word")
    public static let recusalRequested = AuditAction(rawValue: "recusal_request.file")
    public static let recusalRequestDecided = AuditAction(rawValue: "recusal_request.decide")
    public static let reminderSent = AuditAction(rawValue: "reminder.send")
    /// 下载公文: a record's document taken away as .docx.
    public static let documentDownloaded = AuditAction(rawValue: "document.download")
    /// 保存公文模板: a new version of a committee's template (恢复惯例 too).
    public static let templateSaved = AuditAction(rawValue: "document_template.save")
    /// 立卷归档: an assignment's or a round's records archived and locked.
    public static let archiveCreated = AuditAction(rawValue: "archive.create")
    /// 导出归档包: the archived package taken away.
    public static let archiveExported = AuditAction(rawValue: "archive.export")
    /// 登记更正说明: a correction appended to an archive.
    public static let archiveCorrected = AuditAction(rawValue: "archive.correct")

    public static let titles: [AuditAction: String] = [
        .signInSucceeded: "登录成功", .signInFailed: "登录失败", .signOut: "退出登录", .accountLocked: "账号锁定",
        .passwordChanged: "修改密码", .tokenIssued: "签发接口令牌",
        .jurisdictionCreated: "新建党委", .jurisdictionUpdated: "修改党委",
        .unitCreated: "新建单位", .unitUpdated: "修改单位", .unitsImported: "批量导入单位", .ledgerImported: "导入台账（补录）", .ledgerExported: "导出台账",
        .userCreated: "开设账号", .userDisabled: "停用账号", .userEnabled: "启用账号", .userPasswordReset: "重置密码",
        .userPasswordResetRequested: "申请重置密码", .userPasswordResetConfirmed: "确认重置密码", .userPasswordResetRefused: "拒绝重置密码",
        .resetNoticeAcknowledged: "知悉密码已被重置",
        .userRolesChanged: "调整角色", .usersImported: "批量导入账号", .roleProposalRefused: "退回拟授角色", .userUnlocked: "解除锁定", .userViewed: "查看账号",
        .auditViewed: "查阅审计日志", .auditVerified: "核验审计日志", .administratorsBootstrapped: "初始化三员账号",
        .roundCreated: "新建巡察轮次", .roundStepTaken: "轮次流转", .batchAdded: "新增批次", .inspectorAdded: "巡察干部入库",
        .inspectorsImported: "批量导入巡察干部", .inspectorViewed: "查看巡察干部信息",
        .groupFormed: "组建巡察组", .groupMemberAdded: "巡察组增加成员", .unitAssigned: "派驻巡察组", .conflictDeclared: "登记回避",
        .conflictOverridden: "回避情形下坚持安排", .planCreated: "制定巡察规划",
        .inspectorChanged: "修改巡察干部信息", .pledgeSigned: "签署保密承诺", .noticeSent: "发送巡察通知", .settingsChanged: "修改本级参数",
        .classificationVersionAdded: "新增问题分类版本", .recordCreated: "登记巡察工作记录", .recordViewed: "查阅巡察工作记录",
        .reporterViewed: "查阅信访人身份", .findingDrafted: "起草问题底稿", .findingEdited: "修改问题底稿", .findingStep: "问题底稿流转",
        .findingTriaged: "确定问题处置方式", .leadRegistered: "登记问题线索", .leadViewed: "查阅问题线索", .leadStep: "问题线索流转", .immediateStep: "立行立改流转", .attachmentAdded: "上传证据材料", .attachmentViewed: "查阅证据材料", .reportDrafted: "起草巡察报告", .reportEdited: "修改巡察报告", .reportStep: "报告审议",
        .reportFiled: "报告报送", .feedbackDrafted: "拟制反馈意见", .feedbackEdited: "修改问题清单", .feedbackIssued: "反馈意见印发",
        .rectificationPlanDrafted: "拟定整改方案", .rectificationPlanEdited: "修改整改方案", .rectificationPlanEndorsed: "整改方案签字背书", .rectificationPlanReviewed: "审核整改方案",
        .rectificationPlanStep: "整改方案流转",
        .taskStep: "整改任务办理", .supervisionChecked: "督查整改任务",
        .rectificationReportDrafted: "起草整改报告", .rectificationReportEdited: "修改整改报告", .rectificationReportStep: "整改报告流转",
        .disclosureDrafted: "拟制整改公开内容", .disclosureEdited: "修改整改公开内容", .disclosureStep: "整改公开流转", .disclosureCirculated: "登记党内通报",
        .ruleImprovementRecorded: "登记制度建设情况", .evaluationScheduled: "安排整改评估", .evaluationStep: "整改评估流转",
        .followUpScheduled: "安排回头看", .followUpSettled: "回头看办结",
        .thematicReportDrafted: "起草专题报告", .thematicReportStep: "专题报告流转",
        .thematicReportWorded: "改写专题报告问题表述", .recusalRequested: "被巡察单位申请回避", .recusalRequestDecided: "决定回避申请",
        .reminderSent: "催办", .documentDownloaded: "下载公文", .templateSaved: "保存公文模板",
        .archiveCreated: "立卷归档", .archiveExported: "导出归档包", .archiveCorrected: "登记更正说明",
    ]

    public var title: String { Self.titles[self] ?? rawValue }
}

/// What an audit entry's target is, as the audit log names it (the stored `targetType` is a code).
public enum AuditTarget {
    static let titles: [String: String] = [
        "jurisdiction": "党委（辖区）", "user": "账号", "inspector": "巡察干部", "record": "进驻工作记录", "unit": "被巡察单位", "group": "巡察组",
        "assignment": "巡察任务", "batch": "批次", "plan": "巡察规划", "classification": "问题分类", "rule_improvement": "制度建设", "recusal_request": "回避申请",
        "follow_up": "回头看", "standing_group": "常设巡察组", "task": "整改任务", "settings": "设置", "notice": "巡察通知", "pledge": "承诺书",
        "document_template": "公文模板",
        "archive": "归档",
    ]

    /// The Chinese name of a target type: a chain's (整改任务, 线索 …) or one of the registers'; a
    /// code this list does not know is shown as it is rather than hidden.
    public static func title(of type: String) -> String {
        Chain(rawValue: type)?.title ?? titles[type] ?? type
    }
}

/// A stored audit entry.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var at: Date
    public var actorID: UUID?
    public var actorName: String
    public var clientAddress: String?
    public var event: AuditEvent
    public var beforeDigest: String?
    public var afterDigest: String?
    public var previousHash: String
    public var hash: String
    /// The business row the entry's write left behind (its table and the SHA-256 of the row as
    /// stored), so `audit verify --deep` finds a row changed without an entry. Nil on entries
    /// written before the log kept row digests and on entries that name no covered row.
    public var rowTable: String?
    public var rowDigest: String?

    public init(
        sequence: Int64, at: Date, actorID: UUID?, actorName: String, clientAddress: String?, event: AuditEvent,
        beforeDigest: String?, afterDigest: String?, previousHash: String, hash: String, rowTable: String? = nil, rowDigest: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.actorID = actorID
        self.actorName = actorName
        self.clientAddress = clientAddress
        self.event = event
        self.beforeDigest = beforeDigest
        self.afterDigest = afterDigest
        self.previousHash = previousHash
        self.hash = hash
        self.rowTable = rowTable
        self.rowDigest = rowDigest
    }

    /// The exact text that is hashed: every stored field, in a fixed order, unambiguously
    /// separated. Changing any field, or the link to the previous entry, changes the hash.
    /// Two formats: an entry without a row digest hashes the thirteen fields it always had (so
    /// every entry written before row digests still verifies); one with a row digest hashes two
    /// more, the row's table and digest. Dropping the digest to fall back on the old format
    /// changes the text, so the hash no longer matches.
    public var chainText: String {
        var fields: [String?] = [
            String(sequence), String(at.epochMilliseconds), actorID?.text, actorName, clientAddress,
            event.action.rawValue, event.targetType, event.targetID, event.jurisdictionID?.text,
            event.detail, beforeDigest, afterDigest, previousHash,
        ]
        if rowTable != nil || rowDigest != nil { fields += [rowTable, rowDigest] }
        // Length-prefixed so no text can shift between fields; "~" marks an absent value, so
        // turning NULL into '' (or back) also breaks the chain.
        return fields.map { $0.map { "\($0.utf8.count):\($0)" } ?? "~" }.joined(separator: "|")
    }

    /// The hash of the entry before the first one.
    public static let genesisHash = String(repeating: "0", count: 64)
}

/// A filtered, paged request for the audit log.
public struct AuditQuery: Sendable, Equatable {
    public var action: String?
    public var actorName: String?
    public var targetID: String?
    public var from: Date?
    public var to: Date?
    /// Entries with a sequence number below this (newest first).
    public var beforeSequence: Int64?
    public var limit: Int

    public init(action: String? = nil, actorName: String? = nil, targetID: String? = nil, from: Date? = nil, to: Date? = nil, beforeSequence: Int64? = nil, limit: Int = 50) {
        self.action = action
        self.actorName = actorName
        self.targetID = targetID
        self.from = from
        self.to = to
        self.beforeSequence = beforeSequence
        self.limit = limit
    }

    public static func validate(_ parameters: [String: String]) throws(DomainError) -> AuditQuery {
        var query = AuditQuery()
        query.action = try TextRules.optionalLine(parameters["action"], field: "action", label: "操作", maxLength: 60)
        query.actorName = try TextRules.optionalLine(parameters["actor"], field: "actor", label: "操作人", maxLength: 60)
        query.targetID = try TextRules.optionalLine(parameters["target"], field: "target", label: "对象", maxLength: 60)
        query.from = try day(parameters["from"], field: "from")
        query.to = try day(parameters["to"], field: "to").map { $0.addingTimeInterval(86_400) }
        if let from = query.from, let to = query.to, from >= to {
            throw .invalid("date_range", "起始日期不能晚于截止日期", english: "from is after to", field: "from")
        }
        query.beforeSequence = try QueryParameters.value(parameters, "before", as: { Int64($0).flatMap { $0 > 0 ? $0 : nil } }) { _ in
            .invalid("invalid_cursor", "分页参数无效", english: "invalid before", field: "before")
        }
        query.limit = try QueryParameters.value(parameters, "limit", as: { Int($0).flatMap { (1...200).contains($0) ? $0 : nil } }) { _ in
            .invalid("invalid_limit", "每页条数须在1至200之间", english: "limit must be 1-200", field: "limit")
        } ?? query.limit
        return query
    }

    /// A calendar day `yyyy-MM-dd` in China Standard Time, as people name days.
    static func day(_ text: String?, field: String) throws(DomainError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let shape = text.count == 10 && text.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
        }
        let formatter = DateFormatter()
        formatter.isLenient = false
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        guard shape, let date = formatter.date(from: text) else {
            throw .invalid("invalid_date", "日期格式应为 年-月-日，例如 2026-01-31", english: "\(field) must be yyyy-MM-dd", field: field)
        }
        return date
    }
}
