import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// An audit entry as the API returns it.
struct AuditEntryDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case sequence, at, actorId = "actor_id", actorName = "actor_name", actorDisplayName = "actor_display_name", clientAddress = "client_address", action, actionTitle = "action_title", targetType = "target_type", targetTitle = "target_title", targetId = "target_id", jurisdictionId = "jurisdiction_id", detail, beforeDigest = "before_digest", afterDigest = "after_digest", previousHash = "previous_hash", hash, rowTable = "row_table", rowDigest = "row_digest"
    }

    let sequence: Int64
    let at: String
    let actorId: String?
    let actorName: String
    /// The acting person's 姓名 (the log's `actor_name` is the account).
    let actorDisplayName: String?
    let clientAddress: String?
    let action: String
    let actionTitle: String
    let targetType: String?
    /// The object in words ("整改任务 1-1 市财政局").
    let targetTitle: String?
    let targetId: String?
    let jurisdictionId: String?
    let detail: String?
    let beforeDigest: String?
    let afterDigest: String?
    let previousHash: String
    let hash: String
    /// The business row the write left behind, and its digest (both covered by `hash`).
    let rowTable: String?
    let rowDigest: String?

    init(_ e: AuditEntry, names: AuditNames) {
        sequence = e.sequence
        at = JSONBody.timestamp(e.at)
        actorId = e.actorID?.text
        actorName = e.actorName
        actorDisplayName = names.personName(of: e)
        targetTitle = names.target(of: e)
        clientAddress = e.clientAddress
        action = e.event.action.rawValue
        actionTitle = e.event.action.title
        targetType = e.event.targetType
        targetId = e.event.targetID
        jurisdictionId = e.event.jurisdictionID?.text
        detail = e.event.detail
        beforeDigest = e.beforeDigest
        afterDigest = e.afterDigest
        previousHash = e.previousHash
        hash = e.hash
        rowTable = e.rowTable
        rowDigest = e.rowDigest
    }
}

/// 审计日志: for the audit administrator only.
struct AuditController {
    let store: Store
    let pages: PageRenderer

    struct VerificationDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case intact, entries, brokenAt = "broken_at", reason
        }

        let intact: Bool
        let entries: Int64?
        let brokenAt: Int64?
        let reason: String?

        init(_ result: AuditVerification) {
            switch result {
            case .intact(let count):
                intact = true
                entries = count
                brokenAt = nil
                reason = nil
            case .broken(let sequence, let why):
                intact = false
                entries = nil
                brokenAt = sequence
                reason = why
            }
        }
    }

    /// A signed checkpoint of the chain's head, with the text that was signed, so the audit
    /// administrator's own tools can check the signature with the public key.
    struct CheckpointDTO: Encodable {
        enum CodingKeys: String, CodingKey {
            case number, sequence, hash, count, at, publicKey = "public_key", signature, madeBy = "made_by", signedText = "signed_text"
        }

        let number: Int64
        let sequence: Int64
        let hash: String
        let count: Int64
        let at: String
        let publicKey: String
        let signature: String
        let madeBy: String
        let signedText: String

        init(_ c: AuditCheckpoint) {
            number = c.number
            sequence = c.sequence
            hash = c.hash
            count = c.count
            at = JSONBody.timestamp(c.at)
            publicKey = c.publicKey
            signature = c.signature
            madeBy = c.madeBy
            signedText = c.signedText
        }
    }

    struct CheckpointListDTO: Encodable {
        let items: [CheckpointDTO]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/audit") { request, context -> Response in
            let page = try await store.auditEntries(try AuditQuery.validate(request.queryDictionary), origin: try context.origin())
            let names = try await store.auditNames(of: page.items, for: try context.requireActor())
            return try JSONBody.response(PageDTO(page) { AuditEntryDTO($0, names: names) })
        }
        router.post("/api/v1/audit/verify") { _, context -> Response in
            try JSONBody.response(VerificationDTO(try await store.verifyAuditChain(origin: try context.origin())))
        }
        router.get("/api/v1/audit/checkpoints") { _, context -> Response in
            let checkpoints = try await store.auditCheckpoints(for: try context.requireActor())
            return try JSONBody.response(CheckpointListDTO(items: checkpoints.map(CheckpointDTO.init)))
        }
        router.get("/audit") { request, context in try await listPage(request, context: context, verification: nil) }
        router.post("/audit/verify") { request, context -> Response in
            _ = try await FormInput.parse(request, context: context)
            let result = try await store.verifyAuditChain(origin: try context.origin())
            return try await listPage(request, context: context, verification: result)
        }
    }

    struct Row {
        let sequence: Int64
        let at: String
        let actor: String
        let address: String
        let action: String
        let target: String
        let detail: String
        let hash: String
    }

    struct ListPage {
        let chrome: Chrome
        let rows: [Row]
        let actions: [Option]
        let actor: String
        let target: String
        let from: String
        let to: String
        let nextHref: String?
        let verifiedIntact: String?
        let verifiedBroken: String?
        let filtered: Bool
    }

    func listPage(_ request: Request, context: AppRequestContext, verification: AuditVerification?) async throws -> Response {
        var parameters = request.method == .get ? request.queryDictionary : [:]
        parameters["notice"] = nil
        let query = try AuditQuery.validate(parameters)
        let page = try await store.auditEntries(query, origin: try context.origin())
        let names = try await store.auditNames(of: page.items, for: try context.requireActor())
        let rows = page.items.map {
            Row(
                sequence: $0.sequence, at: Display.time($0.at), actor: names.actor(of: $0), address: $0.clientAddress ?? "—", action: $0.event.action.title,
                target: names.target(of: $0) ?? "", detail: $0.event.detail ?? "", hash: String($0.hash.prefix(12)))
        }
        let next = page.nextCursor.map { ListLink.make("/audit", parameters, ["before": $0]) }
        var intact: String?
        var broken: String?
        switch verification {
        case .intact(let count): intact = "审计日志完整：共\(count)条，哈希链逐条核验无误。"
        case .broken(let sequence, let reason): broken = "审计日志链在第\(sequence)条处断裂：\(reason)"
        case nil: break
        }
        let model = ListPage(
            chrome: Chrome.make(title: "审计日志", active: .audit, context: context, policy: store.policy),
            rows: rows,
            actions: AuditAction.titles.sorted { $0.key.rawValue < $1.key.rawValue }.map { Option(value: $0.key.rawValue, label: $0.value, selected: $0.key.rawValue == query.action) },
            actor: query.actorName ?? "", target: query.targetID ?? "", from: parameters["from"] ?? "", to: parameters["to"] ?? "",
            nextHref: next, verifiedIntact: intact, verifiedBroken: broken,
            filtered: query.action != nil || query.actorName != nil || query.targetID != nil || query.from != nil || query.to != nil)
        return pages.render("audit", model)
    }
}
