import Foundation
import SQLKit
import XunchaCore

/// One import being written: its file, who imports it and when, the 补录 reason every step it
/// writes carries, and the problems found so far, each in its row and column.
struct LedgerImportRun {
    let fileName: String
    let origin: RequestOrigin
    let now: Date
    /// The kind's columns (`LedgerKind.columns`), whose titles name a problem's column.
    let columns: [ImportColumn]
    /// The column a step's refusal concerns, by the field it names when that is no column's key.
    var aliases: [String: String] = [:]
    var problems: [ImportProblem] = []
    /// What the import looks up once rather than row by row.
    let lookups = ImportLookups()

    /// A run inside the import framework's transaction (`LedgerImportWriter`).
    init(_ context: ImportContext) {
        (fileName, origin, now, columns) = (context.fileName, context.origin, context.now, context.kind.columns)
    }

    /// 补录原因 of every step the import writes.
    var reason: String { "导入自 \(fileName)" }

    /// The note of a step the ledger implies but does not word (组务会意见, 审核意见 …).
    var note: String { "据台账补录（\(reason)）" }

    mutating func fail(_ line: Int, _ key: String?, code: String = "invalid_cell", _ message: String) {
        problems.append(ImportProblem(line: line, column: key.flatMap { key in columns.first { $0.key == key }?.title }, code: code, message: message))
    }

    /// A step's refusal, in the column it concerns: the field it names when that is a column,
    /// the day the step was dated on when the day is refused, else `key`.
    mutating func fail(_ line: Int, _ error: DomainError, day dayKey: String, else key: String? = nil) {
        let field = error.field.flatMap { field in columns.contains { $0.key == field } ? field : aliases[field] }
        fail(line, field ?? (["occurred_on", "backfill_reason"].contains(error.field) ? dayKey : key), code: error.code, error.message)
    }
}

/// What an import reads once and then answers from memory: the classification entries its rows
/// name (a ledger of thousands of rows names a few dozen). The import's transaction sees no other
/// writer, so what was read stays true until it commits.
final class ImportLookups: @unchecked Sendable {
    private var classifications: [UUID: [Set<ClassificationTag>: [(schemeID: String, tag: ClassificationTag)]]] = [:]

    /// `ClassificationRows.resolve`, once per committee and set of tags; a refusal is not remembered.
    func resolve(_ tags: [ClassificationTag], jurisdiction: UUID, on db: any SQLDatabase) async throws -> [(schemeID: String, tag: ClassificationTag)] {
        let key = Set(tags)
        if let resolved = classifications[jurisdiction]?[key] { return resolved }
        let resolved = try await ClassificationRows.resolve(tags, jurisdiction: jurisdiction, on: db)
        classifications[jurisdiction, default: [:]][key] = resolved
        return resolved
    }
}

/// One step an import takes on a record: on which day (from which column), carrying what.
struct LedgerStep<L: Lifecycle> {
    let step: L.Step
    let day: CalendarDay
    let dayKey: String
    let input: L.Input
}

/// A step an import took was refused: the refusal and the column of the day it was dated on.
struct LedgerStepRefusal: Error {
    let error: DomainError
    let dayKey: String
}

extension Store {
    /// The committee an import writes into: the importer's own.
    private func ledgerCommittee(of origin: RequestOrigin, on db: any SQLDatabase) async throws -> RecordLocation {
        guard let id = origin.actor.jurisdictionID, let location = try await location(ofJurisdiction: id, on: db) else { throw DomainError.forbidden }
        return location
    }

    /// The assignment each row's place names within the committee (the unit, the round by its
    /// number and term, the batch when given, the group); a name the committee does not know is
    /// the row's problem in its column.
    private func ledgerAssignments(_ rows: [(line: Int, place: LedgerPlace)], in committee: UUID, run: inout LedgerImportRun, on db: any SQLDatabase) async throws -> [LedgerPlace: AssignmentDetail] {
        var found: [LedgerPlace: AssignmentDetail] = [:]
        var refused: [LedgerPlace: (key: String, message: String)] = [:]
        for (line, place) in rows {
            if let problem = refused[place] {
                run.fail(line, problem.key, problem.message)
                continue
            }
            guard found[place] == nil else { continue }
            let problem = try await ledgerAssignment(place, in: committee, on: db)
            switch problem {
            case .success(let assignment): found[place] = assignment
            case .failure(let refusal):
                refused[place] = (refusal.key, refusal.message)
                run.fail(line, refusal.key, refusal.message)
            }
        }
        return found
    }

    private struct PlaceRefusal: Error {
        let key: String
        let message: String
    }

    private func ledgerAssignment(_ place: LedgerPlace, in committee: UUID, on db: any SQLDatabase) async throws -> Result<AssignmentDetail, PlaceRefusal> {
        var rounds = try await db.raw(
            "SELECT id, term FROM rounds WHERE jurisdiction_id = \(bind: committee.text) AND sequence = \(bind: place.round.sequence)"
        ).all().map { (id: try $0.uuid("id"), term: try $0.string("term")) }
        if let term = place.round.term { rounds = rounds.filter { $0.term == term } }
        guard let round = rounds.first else { return .failure(PlaceRefusal(key: "round", message: "本级没有“\(place.round)”")) }
        guard rounds.count == 1 else {
            return .failure(PlaceRefusal(key: "round", message: "“\(place.round)”不止一个（\(rounds.map { $0.term }.joined(separator: "、"))），请写明届次，如\(rounds[0].term)第\(place.round.sequence)轮"))
        }
        guard try await db.raw("SELECT 1 AS one FROM units WHERE jurisdiction_id = \(bind: committee.text) AND name = \(bind: place.unitName)").first() != nil else {
            return .failure(PlaceRefusal(key: "unit", message: "本级没有名为“\(place.unitName)”的被巡察单位"))
        }
        guard try await db.raw("SELECT 1 AS one FROM inspection_groups WHERE round_id = \(bind: round.id.text) AND name = \(bind: place.groupName)").first() != nil else {
            return .failure(PlaceRefusal(key: "group", message: "“\(place.round)”没有“\(place.groupName)”"))
        }
        var sql = AssignmentRows.select + " WHERE a.round_id = \(bind: round.id.text) AND g.name = \(bind: place.groupName) AND u.name = \(bind: place.unitName)"
        if let batch = place.batch { sql += " AND b.sequence = \(bind: batch)" }
        let assignments = try await db.raw(sql).all().map(AssignmentRows.decode)
        guard let assignment = assignments.first else {
            return .failure(
                PlaceRefusal(key: "unit", message: "“\(place.unitName)”不是\(place.round)\(place.batch.map { "第\($0)批" } ?? "")\(place.groupName)的巡察对象"))
        }
        guard assignments.count == 1 else { return .failure(PlaceRefusal(key: "batch", message: "\(place.groupName)在\(place.round)不止一批巡察“\(place.unitName)”，请填写批次")) }
        return .success(assignment)
    }

    /// Whether the importer holds every one of `permissions` over the committee; if not, the
    /// row's problem is the policy's refusal.
    func ledgerImporterMay(_ permissions: [Permission], at location: RecordLocation, line: Int, run: inout LedgerImportRun) -> Bool {
        guard permissions.allSatisfy({ policy.allows(run.origin.actor, $0, at: location) }) else {
            run.fail(line, nil, code: DomainError.forbidden.code, DomainError.forbidden.message)
            return false
        }
        return true
    }

    /// Takes `step` on `record` as an import records it: on the ledger's `day`, with the import's
    /// 补录 reason, by the importer (history and audit name them), through the one step writer —
    /// so the chain's own transitions, guards and effects decide it as for anyone. `standing` is
    /// the one the ledger stands in for: it records what the group, the unit or the receiving body
    /// did before Xuncha, which the importer enters on their word; the importer's own permission
    /// to import is checked before (`ledgerImporterMay`).
    func takeImported<S: LifecycleStep>(
        _ step: S, on record: S.Lifecycle.Record, standing: S.Lifecycle.Standing, input: S.Lifecycle.Input, day: CalendarDay, run: LedgerImportRun,
        on db: any SQLDatabase
    ) async throws where S.Lifecycle: StoredLifecycle {
        let time = try await Self.time(of: BusinessDate(day: day, reason: run.reason), in: record.jurisdictionID, after: record.id, at: run.now, on: db)
        try await write(step, on: record, standing: standing, input: input, version: nil, origin: run.origin, time: time, on: db)
    }

    /// Brings a record of a chain other chains set off to the state a ledger records, taking the
    /// steps of `path` (in order, each with its day, the column that day comes from, and its
    /// input) it has not yet taken. A record already past the state cannot be taken back by an
    /// import. A refused step is thrown as a `LedgerStepRefusal` naming its day's column.
    func advanceImported<L: CascadeTarget>(
        _ lifecycle: L.Type, _ id: UUID, to target: L.Status, along path: [LedgerStep<L>], standing: L.Standing, run: LedgerImportRun, on db: any SQLDatabase
    ) async throws {
        var record = try await L.find(id, in: self, on: db)
        guard L.status(of: record) != target else { return }
        guard let start = path.firstIndex(where: { L.sources(of: $0.step).contains(L.status(of: record)) }) else {
            let error = DomainError(
                .conflict, code: "import_cannot_go_back", message: "\(L.chain.title)在系统中已为“\(L.status(of: record).title)”，台账记载为“\(target.title)”，导入不能退回",
                english: "an import does not take a record back")
            throw LedgerStepRefusal(error: error, dayKey: "status")
        }
        for step in path[start...] {
            do {
                try await takeImported(step.step, on: record, standing: standing, input: step.input, day: step.day, run: run, on: db)
            } catch let error as DomainError {
                throw LedgerStepRefusal(error: error, dayKey: step.dayKey)
            }
            record = try await L.find(id, in: self, on: db)
            if L.status(of: record) == target { return }
        }
    }

    /// An import's start: the importer's committee and the assignment of every row's place; each
    /// place the committee does not know is the run's problem (the caller then writes nothing).
    func beginLedgerImport(
        _ places: [(line: Int, place: LedgerPlace)], run: inout LedgerImportRun, on db: any SQLDatabase
    ) async throws -> (committee: RecordLocation, assignments: [LedgerPlace: AssignmentDetail]) {
        let committee = try await ledgerCommittee(of: run.origin, on: db)
        let assignments = try await ledgerAssignments(places, in: committee.jurisdictionID, run: &run, on: db)
        return (committee, assignments)
    }
}
