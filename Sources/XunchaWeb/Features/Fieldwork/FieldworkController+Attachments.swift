import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 证据材料 over the API: upload to a record, paper, 立行立改 or task, list and download.
extension FieldworkController {
    func registerAttachments(on router: Router<AppRequestContext>) {
        for (path, type) in [("records", "record"), ("findings", "finding"), ("immediate-rectifications", "immediate"), ("rectification-tasks", "task")] {
            @Sendable func owner(_ id: UUID) -> AttachmentOwner { AttachmentOwner(type: type, id: id)! }
            router.get("/api/v1/\(path)/{id}/attachments") { _, context -> Response in
                let items = try await store.attachments(of: owner(try context.parameters.uuid("id")), for: try context.requireActor())
                return try JSONBody.response(PlanningController.ItemsDTO(items: items.map(AttachmentDTO.init)))
            }
            // The file is the body; its name comes in `?filename=` (percent-encoded).
            router.post("/api/v1/\(path)/{id}/attachments") { request, context -> Response in
                let origin = try context.origin()
                let data = try await JSONBody.collect(request, limit: EvidenceRules.maximumBytes + 1)
                let attachment = try await store.attach(
                    data, filename: request.queryDictionary["filename"], to: owner(try context.parameters.uuid("id")), origin: origin)
                return try JSONBody.response(AttachmentDTO(attachment), status: .created)
            }
        }
        router.get("/api/v1/attachments/{id}") { _, context -> Response in
            try await EvidenceBlock.download(store, context: context)
        }
    }
}
