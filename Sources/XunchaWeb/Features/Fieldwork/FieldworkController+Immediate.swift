import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 立行立改 over the API.
extension FieldworkController {
    func registerImmediate(on router: Router<AppRequestContext>) {
        router.get("/api/v1/immediate-rectifications") { request, context -> Response in
            let actor = try context.requireActor()
            let parameters = request.queryDictionary
            let page = try parameters.pageRequest()
            var status: ImmediateStatus?
            status = try parameters.code(ImmediateStatus.self, "status", label: "状态")
            let assignment = try Self.optionalID(parameters["assignment_id"], field: "assignment_id", label: "巡察任务")
            if let format = try ExportFormat.requested(parameters) {
                return LedgerExport.response(try await LedgerTable.immediates(store, assignment: assignment, status: status, for: actor), format: format, day: CalendarDay(store.clock.now()))
            }
            let found = try await store.immediateRectifications(assignment: assignment, status: status, page: page, for: actor)
            return try JSONBody.response(PageDTO(items: found.items.map { ImmediateDTO($0, for: actor) }, nextCursor: found.nextCursor))
        }
        router.get("/api/v1/immediate-rectifications/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            return try JSONBody.response(ImmediateDTO(try await store.immediateRectification(try context.parameters.uuid("id"), for: actor), for: actor))
        }
        router.post("/api/v1/immediate-rectifications/{id}/steps") { request, context -> Response in
            let origin = try context.origin()
            let body = try await JSONBody.decode(ImmediateStepBody.self, from: request, limit: settings.maxBodyBytes)
            let step = try StepName.parse(ImmediateStep.self, from: body.step)
            let version = try body.version.requiredVersion()
            let item = try await store.take(
                step, on: try context.parameters.uuid("id"),
                input: ImmediateStepInput(note: body.note, problem: body.problem, requirement: body.requirement, deadline: body.deadline, measures: body.measures),
                version: version, origin: origin)
            return try JSONBody.response(ImmediateDTO(item, for: origin.actor))
        }
    }
}
