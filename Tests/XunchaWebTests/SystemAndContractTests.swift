import Foundation
import Hummingbird
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("Health, metrics and the OpenAPI contract")
struct SystemAndContractTests {
    @Test(arguments: TestEngine.available)
    func healthAndTheContractArePublicButMetricsAreNot(engine: TestEngine) async throws {
        try await withApp(engine) { store, _, client in
            let health = try await client.api(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(try health.json()["database"] as? String == engine.rawValue)
            _ = try await client.api(.get, "/login")
            // Without a socket there is no peer address, so the loopback default refuses; the
            // live-socket tests of `HTTPHygieneTests` read them from this machine.
            let metrics = try await client.api(.get, "/metrics")
            #expect(metrics.status == .forbidden)
            #expect(!metrics.text.contains("hb_requests"))
            let contract = try await client.api(.get, "/api/openapi.yaml")
            #expect(contract.status == .ok)
            #expect(contract.text.hasPrefix("openapi: 3.1"))
        }
    }

    /// Fails when a route exists that the OpenAPI document does not describe, or the reverse.
    @Test func everyAPIRouteIsDescribedInTheContract() async throws {
        try await withTestStore(.sqlite) { store in
            let router = try await buildRouter(config: AppConfig(), store: store)
            // The contract covers the JSON API and the operational endpoints; HTML pages are not part of it.
            let routes = Set(
                router.routes.filter { route in
                    let path = route.path.description
                    return path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path)
                }.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
            #expect(routes.count > 40, "the API routes were found")
            let documented = try Self.documentedOperations()
            #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "openapi.yaml describes routes that do not exist: \(documented.subtracting(routes).sorted())")
        }
    }

    /// A JSON body the API decodes: the operation, the `Decodable` it reads, and the keys that type
    /// reads but this operation ignores (a body shared by create and update).
    struct Body: Sendable {
        let operation: String
        let type: any Decodable.Type
        let unread: Set<String>

        init(_ operation: String, _ type: any Decodable.Type, unread: Set<String> = []) {
            self.operation = operation
            self.type = type
            self.unread = unread
        }
    }

    /// Every JSON body the controllers decode, by operation.
    static let bodies: [Body] = [
            .init("post /api/v1/rule-improvements", EvaluationController.RuleInput.self),
            .init("post /api/v1/feedback/{id}/evaluations", EvaluationController.ScheduleInput.self),
            .init("post /api/v1/evaluations/{id}/steps", DatedStepBody<EvaluationController.EvaluationStepBody>.self),
            .init("post /api/v1/follow-ups", EvaluationController.FollowUpInput.self),
            .init("post /api/v1/follow-ups/{id}/settle", EvaluationController.SettleInput.self),
            .init("post /api/v1/assignments/{id}/leads", FieldworkController.LeadInput.self),
            .init("post /api/v1/leads/{id}/steps", DatedStepBody<FieldworkController.LeadStepBody>.self),
            .init("post /api/v1/classifications", FieldworkController.SchemeInput.self),
            .init("post /api/v1/assignments/{id}/records", FieldworkController.RecordInput.self),
            .init("post /api/v1/assignments/{id}/findings", FieldworkController.FindingInput.self, unread: ["version"]),
            .init("patch /api/v1/findings/{id}", FieldworkController.FindingInput.self),
            .init("post /api/v1/findings/{id}/steps", DatedStepBody<NoteStepBody<FindingStepInput>>.self),
            .init("post /api/v1/findings/{id}/triage", FieldworkController.TriageInput.self),
            .init("post /api/v1/immediate-rectifications/{id}/steps", DatedStepBody<FieldworkController.ImmediateStepBody>.self),
            .init("post /api/v1/assignments/{id}/reports", ReportsController.ReportInput.self, unread: ["version"]),
            .init("patch /api/v1/reports/{id}", ReportsController.ReportInput.self, unread: ["kind"]),
            .init("post /api/v1/reports/{id}/steps", DatedStepBody<NoteStepBody<StepNote>>.self),
            .init("post /api/v1/reports/{id}/filings", ReportsController.FilingInput.self),
            .init("post /api/v1/assignments/{id}/feedback", ReportsController.FeedbackInput.self),
            .init("patch /api/v1/feedback/{id}/problems/{problem}", ReportsController.ProblemInput.self),
            .init("post /api/v1/feedback/{id}/steps", DatedStepBody<NoteStepBody<StepNote>>.self),
            .init("post /api/v1/feedback/{id}/issue", VersionInput.self),
            .init("post /api/v1/me/conflicts", AssignmentsController.OwnConflictInput.self),
            .init("post /api/v1/assignments/{id}/notice", AssignmentsController.NoticeInput.self),
            .init("post /api/v1/notices/{id}/recusal-requests", AssignmentsController.RecusalInput.self),
            .init("post /api/v1/recusal-requests/{id}/decision", AssignmentsController.RecusalDecisionInput.self),
            .init("put /api/v1/settings", AssignmentsController.SettingsInput.self),
            .init("post /api/v1/feedback/{id}/rectification-reports", RectificationReportsController.ReportInput.self, unread: ["version"]),
            .init("patch /api/v1/rectification-reports/{id}", RectificationReportsController.ReportInput.self, unread: ["kind"]),
            .init("post /api/v1/rectification-reports/{id}/disclosures", RectificationReportsController.DisclosureInput.self, unread: ["version"]),
            .init("patch /api/v1/disclosures/{id}", RectificationReportsController.DisclosureInput.self),
            .init("post /api/v1/disclosures/{id}/steps", DatedStepBody<NoteStepBody<StepNote>>.self),
            .init("post /api/v1/disclosures/{id}/circulation", RectificationReportsController.CirculationInput.self),
            .init("post /api/v1/feedback/{id}/rectification-plan", RectificationController.PlanInput.self, unread: ["version"]),
            .init("patch /api/v1/rectification-plans/{id}", RectificationController.PlanInput.self),
            .init("post /api/v1/rectification-plans/{id}/tasks", RectificationController.TaskInput.self),
            .init("post /api/v1/rectification-plans/{id}/endorsement", VersionInput.self),
            .init("post /api/v1/rectification-plans/{id}/reviews", RectificationController.ReviewInput.self),
            .init("post /api/v1/rectification-plans/{id}/steps", DatedStepBody<NoteStepBody<StepNote>>.self),
            .init("put /api/v1/rectification-tasks/{id}", RectificationController.TaskInput.self),
            .init("post /api/v1/rectification-tasks/{id}/steps", DatedStepBody<RectificationController.TaskStepBody>.self),
            .init("post /api/v1/rectification-tasks/{id}/checks", RectificationController.CheckInput.self),
            .init("post /api/v1/jurisdictions", JurisdictionsController.JurisdictionInput.self, unread: ["version"]),
            .init("put /api/v1/jurisdictions/{id}", JurisdictionsController.JurisdictionInput.self, unread: ["parent_id"]),
            .init("post /api/v1/session", AuthController.SignInRequest.self),
            .init("post /api/v1/me/password", AuthController.PasswordRequest.self),
            .init("post /api/v1/thematic-reports", SystemicController.CreateInput.self),
            .init("put /api/v1/thematic-reports/{id}/problems", SystemicController.WordingInput.self),
            .init("post /api/v1/thematic-reports/{id}/steps", DatedStepBody<SystemicController.ThematicStepBody>.self),
            .init("post /api/v1/thematic-reports/{id}/rule-changes", SystemicController.RuleChangeInput.self),
            .init("post /api/v1/plans", PlanningController.PlanInput.self),
            .init("post /api/v1/rounds", PlanningController.RoundInput.self),
            .init("post /api/v1/rounds/{id}/steps", DatedStepBody<NoteStepBody<StepNote>>.self),
            .init("post /api/v1/rounds/{id}/batches", PlanningController.BatchInput.self),
            .init("post /api/v1/rounds/{id}/groups", PlanningController.GroupInput.self),
            .init("post /api/v1/rounds/{id}/proposal", PlanningController.ProposalInput.self),
            .init("post /api/v1/rounds/{id}/proposal/accept", PlanningController.AcceptInput.self),
            .init("post /api/v1/groups/{id}/members", PlanningController.MemberInput.self),
            .init("post /api/v1/groups/{id}/assignments", PlanningController.AssignmentInput.self),
            .init("post /api/v1/inspectors", PlanningController.InspectorInput.self, unread: ["training", "evaluation", "account_username", "version"]),
            .init("patch /api/v1/inspectors/{id}", PlanningController.InspectorInput.self),
            .init("post /api/v1/inspectors/{id}/conflicts", PlanningController.ConflictInput.self),
            .init("post /api/v1/users", UsersController.UserInput.self),
            .init("post /api/v1/password-resets/{id}/refuse", UsersController.RefuseInput.self),
            .init("put /api/v1/users/{id}/roles", UsersController.RolesInput.self),
            .init("post /api/v1/units", UnitsController.UnitInput.self, unread: ["version"]),
            .init("put /api/v1/units/{id}", UnitsController.UnitInput.self, unread: ["jurisdiction_id"]),
            .init("post /api/v1/document-templates/{kind}", DocumentTemplatesController.TemplateInput.self),
    ]

    /// Fails when a body's `Decodable` reads a key (nested ones too) that its schema in openapi.yaml
    /// does not declare: a field the API accepts that an integrator cannot learn of.
    @Test func everyFieldTheAPIReadsIsInTheContract() throws {
        let contract = try Contract.load()
        for body in Self.bodies {
            let schema = try #require(contract.requestBody(body.operation), "\(body.operation) has no JSON request body in openapi.yaml")
            let read = try DecodedKeys.of(body.type).subtracting(body.unread)
            let undeclared = read.filter { !contract.declares($0, in: schema) }
            #expect(undeclared.isEmpty, "\(body.operation) reads fields openapi.yaml does not describe: \(undeclared.sorted())")
        }
    }

    /// The two readers the test above stands on: the recording decoder finds nested keys, and the
    /// contract reader follows `$ref` and `allOf` — and misses what is not there.
    @Test func theContractReadersSeeNestedKeysAndReferences() throws {
        let triage = try DecodedKeys.of(FieldworkController.TriageInput.self)
        #expect(triage.isSuperset(of: ["disposition", "note", "version", "lead", "lead.person_name", "lead.authority"]))
        #expect(try DecodedKeys.of(PlanningController.InspectorInput.self).isSuperset(of: ["work_history", "work_history[].from_year", "relations[].person_name"]))
        #expect(try DecodedKeys.of(DatedStepBody<NoteStepBody<FindingStepInput>>.self) == ["step", "note", "version", "occurred_on", "backfill_reason"])
        let contract = try Contract.load()
        let update = try #require(contract.requestBody("patch /api/v1/inspectors/{id}"))
        #expect(contract.declares("version", in: update), "allOf's own part")
        #expect(contract.declares("work_history[].from_year", in: update), "allOf's $ref, an array's items and their $ref")
        #expect(!contract.declares("work_history[].shoe_size", in: update))
        #expect(!contract.declares("shoe_size", in: update))
        let triageBody = try #require(contract.requestBody("post /api/v1/findings/{id}/triage"))
        #expect(contract.declares("lead.person_name", in: triageBody))
    }

    /// `method path` for every operation in openapi.yaml (paths at two spaces, methods at four).
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: Resources.url("openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(key)) { operations.insert("\(key) \(path)") }
            } else if !line.hasPrefix(" "), !line.isEmpty {
                currentPath = nil
            }
        }
        return operations
    }
}

@Suite("JSON timestamps")
struct TimestampTests {
    @Test(arguments: [-2_208_988_800.0, -1.0, 0, 951_782_400, 1_709_164_800, 1_798_000_000.9, 4_102_444_799])
    func theFastFormatterAgreesWithFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let reference = ISO8601DateFormatter()
        #expect(JSONBody.timestamp(date) == reference.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
    }
}

@Suite("Every key of an answer is there, null when empty, written as Foundation would")
struct JSONAnswerTests {
    struct Item: Encodable {
        let note: String?
        let progress: Int?
    }

    struct Record: Encodable {
        enum CodingKeys: String, CodingKey { case id, parentId = "parent_id", items, first }
        let id: String
        let parentId: String?
        let items: [Item]
        let first: Item?
    }

    /// A type that writes another's keys and then its own into the same object (as the triaged
    /// paper's answer adds `lead_id` to the paper's keys).
    struct Extended: Encodable {
        enum CodingKeys: String, CodingKey { case extra }
        let base: Item
        let extra: String?

        func encode(to encoder: any Encoder) throws {
            try base.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(extra, forKey: .extra)
        }
    }

    func written(_ value: some Encodable) throws -> String {
        String(decoding: try JSONAnswer.bytes(of: value), as: UTF8.self)
    }

    @Test func anAbsentOptionalIsWrittenAsNullAtEveryDepthInTheTypesOrder() throws {
        let record = Record(id: "a", parentId: nil, items: [Item(note: nil, progress: 5)], first: nil)
        #expect(try written(record) == #"{"id":"a","parent_id":null,"items":[{"note":null,"progress":5}],"first":null}"#)
        let nested = Record(id: "b", parentId: "a", items: [], first: Item(note: "x", progress: nil))
        #expect(try written(nested) == #"{"id":"b","parent_id":"a","items":[],"first":{"note":"x","progress":null}}"#)
        #expect(try written(["days": [1, nil] as [Int?]]) == #"{"days":[1,null]}"#)
        #expect(try written(["a", "b"]) == #"["a","b"]"#)
        #expect(try written(2.5) == "2.5")
        #expect(try written(Extended(base: Item(note: "n", progress: nil), extra: nil)) == #"{"note":"n","progress":null,"extra":null}"#)
    }

    @Test func textIsEscapedAsJSONRequiresAndNoFurther() throws {
        #expect(try written("巡察/整改 “三个一”") == #""巡察/整改 “三个一”""#, "Chinese text and slashes as they are")
        #expect(try written("a\"b\\c\nd\te\u{01}") == #""a\"b\\c\nd\te\u0001""#)
    }

    /// Whatever this writer answers reads back, value for value, as Foundation's encoder wrote it.
    @Test func everyKindOfValueReadsBackAsFoundationWroteIt() throws {
        struct Everything: Encodable {
            let text = "引号\"、反斜杠\\、换行\n、制表\t、\u{1F}、emoji 🙂、/"
            let whole = 2.0
            let fraction = 0.1
            let tiny = 1e-7
            let huge = 1.5e300
            let small: Float = 0.25
            let negative = Int64.min
            let unsigned = UInt64.max
            let flags = [true, false]
            let matrix = [[1, 2], [], [3]]
            let byName = ["甲": 1, "乙": 2]
            let byNumber = [1: "一", 2: "二"]
            let day = CalendarDay(year: 2026, month: 12, day: 7)
            let date = Date(timeIntervalSince1970: 1_796_000_000.5)
            let url = URL(string: "https://example.org/a?b=c")!
            let data = Data([0, 1, 2, 250])
            let decimal = Decimal(string: "12.345")!
            let nothing: Item? = Item(note: "n", progress: 1)
        }
        let ours = try JSONSerialization.jsonObject(with: Data(try JSONAnswer.bytes(of: Everything()))) as? NSDictionary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let foundations = try JSONSerialization.jsonObject(with: try encoder.encode(Everything())) as? NSDictionary
        #expect(ours != nil)
        #expect(ours == foundations)
        #expect(try written(2.0) == "2", "a whole number is written without its .0, as Foundation does")
        #expect(try written([Int64.min]) == "[-9223372036854775808]")
        #expect(try written(UInt8(7)) == "7")
        #expect(try written([Float(0.5)]) == "[0.5]")
        #expect(try written([Int16(-3), nil]) == "[-3,null]")
    }

    @Test func aNumberJSONCannotCarryIsRefused() {
        #expect(throws: EncodingError.self) { try JSONAnswer.bytes(of: [Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONAnswer.bytes(of: ["x": Double.infinity]) }
    }

    /// The fields schemathesis found declared required but left out: `parent_id`, `unit_id`, `next_cursor`.
    @Test(arguments: TestEngine.available)
    func requiredFieldsAreThereWhenNull(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let jurisdictions = try #require(try await client.api(.get, "/api/v1/jurisdictions", token: office).json()["items"] as? [[String: Any]])
            #expect(jurisdictions.contains { $0["parent_id"] is NSNull }, "the root committee's parent_id is null, not missing")
            let units = try await client.api(.get, "/api/v1/units", token: office).json()
            #expect(units["next_cursor"] is NSNull, "the last page says so with null")
            let me = try await client.api(.get, "/api/v1/me", token: office).json()
            #expect(me["unit_id"] is NSNull, "an office account belongs to no unit")
        }
    }
}
