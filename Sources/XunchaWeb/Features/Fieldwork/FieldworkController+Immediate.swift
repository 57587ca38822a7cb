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
            if let file = try await LedgerExport.requested(parameters, store: store, {
                try await LedgerTable.immediates(store, assignment: assignment, status: status, for: actor)
            }) {
                return file
            }
            let found = try await store.immediateRectifications(assignment: assignment, status: status, page: page, for: actor)
            return try JSONBody.response(PageDTO(found) { ImmediateDTO($0, for: actor) })
        }
        router.get("/api/v1/immediate-rectifications/{id}") { _, context -> Response in
            let actor = try context.requireActor()
            return try JSONBody.response(ImmediateDTO(try await store.immediateRectification(try context.parameters.uuid("id"), for: actor), for: actor))
        }
        router.steps(of: ImmediateStep.self, at: "/api/v1/immediate-rectifications/{id}", body: ImmediateStepBody.self, store: store, settings: settings) {
            item, origin in ImmediateDTO(item, for: origin.actor)
        }
    }

    struct ImmediateStepBody: StepBody {
        var step: String?
        var note: String?
        var problem: String?
        var requirement: String?
        var deadline: String?
        var measures: String?
        var version: Int?

        func input(today _: CalendarDay) -> ImmediateStepInput {
            ImmediateStepInput(note: note, problem: problem, requirement: requirement, deadline: deadline, measures: measures)
        }
    }
}
