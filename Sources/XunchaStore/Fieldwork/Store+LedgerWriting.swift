import Foundation
import SQLKit
import XunchaCore

/// The records earlier imports made for a ledger's keys (序号/编号), so that importing a row again
/// updates its record rather than adding another. The import framework keeps them in its own
/// table; both are read and written inside the import's transaction, so a rejected file
/// remembers nothing.
public protocol LedgerKeys: Sendable {
    /// The record each of `keys` was imported as, for those imported before.
    func records(for keys: [String], on db: any SQLDatabase) async throws -> [String: UUID]
    /// Remembers the record of every row of an import that is about to commit.
    func remember(_ records: [String: UUID], on db: any SQLDatabase) async throws
}

/// Keys held by the caller: the records known before, nothing remembered (the caller keeps
/// `LedgerImportResult.records`).
public struct KnownLedgerKeys: LedgerKeys {
    public var known: [String: UUID]

    public init(_ known: [String: UUID] = [:]) {
        self.known = known
    }

    public func records(for keys: [String], on db: any SQLDatabase) async throws -> [String: UUID] { known.filter { keys.contains($0.key) } }
    public func remember(_ records: [String: UUID], on db: any SQLDatabase) async throws {}
}

/// What an import wrote (or, previewed, would write).
public struct LedgerImportResult: Sendable, Equatable {
    /// Rows that made a new record.
    public var created: Int
    /// Rows whose key had been imported before, their record brought up to the ledger.
    public var updated: Int
    /// Every row's key and its record (a finding for the problem list, a lead for the register).
    public var records: [String: UUID]
}

/// One import being written: its file, who imports it and when, the 补录 reason every step it
/// writes carries, and the problems found so far, each in its row and column.
struct LedgerImportRun {
    let fileName: String
    let origin: RequestOrigin
    let now: Date
    /// The kind's columns (`LedgerKind.columns`), whose titles name a problem's column.
    let columns: [ImportColumn]
    /// 预览: everything is written and checked, then rolled back (`ledgerTransaction`).
    var preview = false
    /// The column a step's refusal concerns, by the field it names when that is no column's key.
    var aliases: [String: String] = [:]
    var problems: [ImportProblem] = []

    init(fileName: String, origin: RequestOrigin, now: Date, columns: [ImportColumn], preview: Bool = false) {
        self.fileName = fileName
        self.origin = origin
        self.now = now
        self.columns = columns
        self.preview = preview
    }

    /// A run inside the import framework's transaction (`LedgerImportWriter`).
    init(_ context: ImportContext) {
        self.init(fileName: context.fileName, origin: context.origin, now: context.now, columns: context.kind.columns)
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

/// One step an import takes on a record: on which day (from which column), carrying what.
struct LedgerStep<L: Lifecycle> {
    let step: L.Step
    let day: CalendarDay
    let dayKey: String
    let input: L.Input
}

/// A preview's end: the import was written and found good, and is rolled back with what it wrote.
struct LedgerPreview: Error {
    let result: LedgerImportResult
}

/// A step an import took was refused: the refusal and the column of the day it was dated on.
struct LedgerStepRefusal: Error {
    let error: DomainError
    let dayKey: String
}

extension Store {
    /// Runs an import in one transaction; a preview's is rolled back at its end and answers what
    /// it would have written.
    func ledgerTransaction(_ body: @escaping @Sendable (any SQLDatabase) async throws -> LedgerImportResult) async throws -> LedgerImportResult {
        do {
            return try await database.transaction(body)
        } catch let preview as LedgerPreview {
            return preview.result
        }
    }

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

    /// An import's end: the rejection naming every row's problem (the transaction then writes
    /// nothing), or the keys remembered and the import's own audit entry — which ledger, from which
    /// file, what it wrote.
    func finishLedgerImport(
        _ ledger: String, result: LedgerImportResult, run: LedgerImportRun, keys: any LedgerKeys, on db: any SQLDatabase
    ) async throws -> LedgerImportResult {
        if !run.problems.isEmpty { throw LedgerImport.rejection(run.problems) }
        if run.preview { throw LedgerPreview(result: result) }
        let committee = try await ledgerCommittee(of: run.origin, on: db)
        try await keys.remember(result.records, on: db)
        try await audit.append(
            AuditEvent(
                action: .ledgerImported, targetType: "jurisdiction", targetID: committee.jurisdictionID.text, jurisdictionID: committee.jurisdictionID,
                detail: "\(ledger)（\(run.fileName)）：新建\(result.created)条，更新\(result.updated)条（补录）"),
            origin: run.origin, at: run.now, on: db)
        return result
    }
}
