import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// What the API's step body carries for one chain: the step's name, the version the caller read,
/// and what the step carries, turned into the lifecycle's input (`today` fills a day left out).
protocol StepBody: Decodable {
    associatedtype Input
    var step: String? { get }
    var version: Int? { get }
    func input(today: CalendarDay) throws -> Input
}

/// The body of a step that carries a note only.
struct NoteStepBody<Input: XunchaCore.StepInput>: StepBody {
    var step: String?
    var note: String?
    var version: Int?

    func input(today _: CalendarDay) -> Input { Input(note: note) }
}

/// A chain's step body with the two fields every step may carry: its business day (`occurred_on`,
/// 业务日期; today when left out) and, for a day further back than the office's setting, why
/// (`backfill_reason`, 补录原因). Read once here, so no chain's body declares them.
struct DatedStepBody<Body: StepBody>: Decodable {
    let body: Body
    let occurredOn: String?
    let backfillReason: String?

    private enum Keys: String, CodingKey {
        case occurredOn, backfillReason
    }

    init(from decoder: any Decoder) throws {
        body = try Body(from: decoder)
        let container = try decoder.container(keyedBy: Keys.self)
        occurredOn = try container.decodeIfPresent(String.self, forKey: .occurredOn)
        backfillReason = try container.decodeIfPresent(String.self, forKey: .backfillReason)
    }
}

/// A record's history, and the steps the reader may take on it now.
struct StepsDTO: Encodable {
    struct Available: Encodable {
        let step: String
        let title: String
    }

    let items: [StepDTO]
    let available: [Available]
    /// 催办 of the record, oldest first.
    let reminders: [WorkController.ReminderDTO]
}

extension Router where Context == AppRequestContext {
    /// The one pair of step routes of a chain: `GET {path}/steps` answers the record's history and
    /// the steps the reader may take now; `POST {path}/steps` takes one (`{"step", "version", …}`)
    /// and answers the record as `present` shows it.
    func steps<S: LifecycleStep, Body: StepBody, DTO: Encodable>(
        of step: S.Type, at path: String, body: Body.Type, store: Store, settings: WebSettings,
        present: @escaping @Sendable (S.Lifecycle.Record, RequestOrigin) async throws -> DTO
    ) where S.Lifecycle: StoredLifecycle, Body.Input == S.Lifecycle.Input {
        get("\(path)/steps") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.parameters.uuid("id")
            let view = try await store.lifecycleView(S.Lifecycle.self, of: id, for: actor)
            return try JSONBody.response(
                StepsDTO(
                    items: view.history.map(StepDTO.init), available: view.available.map { StepsDTO.Available(step: $0.rawValue, title: $0.title) },
                    reminders: view.reminders.map(WorkController.ReminderDTO.init)))
        }
        post("\(path)/steps") { request, context -> Response in
            let origin = try context.origin()
            let dated = try await JSONBody.decode(DatedStepBody<Body>.self, from: request, limit: settings.maxBodyBytes)
            let body = dated.body
            let step = try StepName.parse(S.self, from: body.step)
            let version = try body.version.requiredVersion()
            let input = try body.input(today: CalendarDay(store.clock.now()))
            let record = try await store.take(
                step, on: try context.parameters.uuid("id"), input: input, version: version, origin: origin,
                dated: try BusinessDate(text: dated.occurredOn, reason: dated.backfillReason))
            return try JSONBody.response(try await present(record, origin))
        }
    }
}

/// The one way a page takes a step of any chain: the form names the step (or `step` reads it
/// from the form its own way, for a form of one step) and the version its reader saw; `input`
/// reads what the step carries (and refuses a step the page does not take here); success answers
/// `done`, saying what was done to which record (`NoticeSaid`), and a refusal the form can
/// show (`shown`) re-renders the page with what was typed, at the form page's own address
/// (`PageAddress`).
enum PageStep {
    static func take<S: LifecycleStep>(
        _ type: S.Type, _ request: Request, context: AppRequestContext, store: Store,
        step read: (FormInput) throws -> S = { try StepName.parse(S.self, from: $0["step"]) }, input: (FormInput, S) throws -> S.Lifecycle.Input,
        done: (UUID, S) -> Response, shown: (DomainError) -> Bool = \.isShownOnForm, reshow: (FormInput, DomainError) async throws -> Response
    ) async throws -> Response where S.Lifecycle: StoredLifecycle {
        let form = try await FormInput.parse(request, context: context)
        let id = try context.parameters.uuid("id")
        do {
            let step = try read(form)
            let version = try form.version()
            let record = try await store.take(
                step, on: id, input: try input(form, step), version: version, origin: try context.origin(), dated: try form.businessDate())
            return NoticeSaid.saying(NoticeSaid.object(of: step, record), act: NoticeSaid.act(of: step), done(id, step))
        } catch let error as DomainError where shown(error) {
            return try await PageAddress.refused(form[FormInput.pageField], request, context: context) { try await reshow(form, error) }
        }
    }
}
