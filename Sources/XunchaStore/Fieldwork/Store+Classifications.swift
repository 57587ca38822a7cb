import Foundation
import SQLKit
import XunchaCore

/// 问题分类词表: the shipped schemes and the versions a committee's office adds.
extension Store {
    /// The schemes the actor's committee can tag with: shipped ones and its own versions. With
    /// `latestOnly`, one (the newest) version per scheme code.
    public func classificationSchemes(latestOnly: Bool = true, for actor: Actor) async throws -> [ClassificationScheme] {
        try policy.requireAnywhere(actor, .viewClassifications)
        guard let jurisdiction = actor.jurisdictionID else { return [] }
        return try await database.read { db in
            let all = try await ClassificationRows.schemes(visibleTo: jurisdiction, on: db)
            guard latestOnly else { return all }
            var newest: [String: ClassificationScheme] = [:]
            for scheme in all where (newest[scheme.code]?.version ?? 0) < scheme.version { newest[scheme.code] = scheme }
            return all.filter { newest[$0.code]?.version == $0.version }
        }
    }

    /// Adds a new version of a scheme (or a new scheme) for the office's committee. Findings keep
    /// the version they were tagged with.
    public func addClassificationVersion(_ scheme: ClassificationScheme, origin: RequestOrigin) async throws -> ClassificationScheme {
        let validated = try scheme.validated()
        let now = clock.now()
        let id = ids.next()
        return try await database.transaction { db in
            guard let jurisdiction = origin.actor.jurisdictionID else { throw DomainError.forbidden }
            _ = try await self.requireLocation(jurisdiction, actor: origin.actor, permission: .manageClassifications, on: db)
            var valid = validated
            try await SerialisedSQL.lock("classification:\(jurisdiction.text):\(validated.code)", on: db)
            let existing = try await ClassificationRows.schemes(visibleTo: jurisdiction, on: db).filter { $0.code == validated.code }
            valid.version = (existing.map(\.version).max() ?? 0) + 1
            try await db.raw(
                """
                INSERT INTO classification_schemes (id, jurisdiction_id, code, title, version, created_at)
                VALUES (\(bind: id.text), \(bind: jurisdiction.text), \(bind: valid.code), \(bind: valid.title), \(bind: valid.version), \(bind: now.epochMilliseconds))
                """
            ).run()
            for (index, entry) in valid.entries.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO classification_entries (scheme_id, code, title, parent_code, position)
                    VALUES (\(bind: id.text), \(bind: entry.code), \(bind: entry.title), \(bind: entry.parent), \(bind: index))
                    """
                ).run()
            }
            try await self.audit.append(
                AuditEvent(
                    action: .classificationVersionAdded, targetType: "classification", targetID: id.text, jurisdictionID: jurisdiction,
                    detail: "\(valid.title)第\(valid.version)版（\(valid.entries.count)个条目）"),
                origin: origin, at: now, on: db)
            return valid
        }
    }
}

enum ClassificationRows {
    /// Every version of every scheme a committee may use, with entries, in two queries.
    static func schemes(visibleTo jurisdiction: UUID, on db: any SQLDatabase) async throws -> [ClassificationScheme] {
        let schemes = try await db.raw(
            """
            SELECT id, code, title, version FROM classification_schemes
            WHERE jurisdiction_id IS NULL OR jurisdiction_id = \(bind: jurisdiction.text) ORDER BY code, version
            """
        ).all()
        guard !schemes.isEmpty else { return [] }
        var entries: [String: [ClassificationEntry]] = [:]
        for row in try await db.raw(
            "SELECT scheme_id, code, title, parent_code FROM classification_entries WHERE scheme_id IN (\(binds: try schemes.map { try $0.string("id") })) ORDER BY scheme_id, position"
        ).all() {
            entries[try row.string("scheme_id"), default: []].append(
                ClassificationEntry(code: try row.string("code"), title: try row.string("title"), parent: try row.optionalString("parent_code")))
        }
        let order = Dictionary(uniqueKeysWithValues: ClassificationCatalog.all.enumerated().map { ($0.element.code, $0.offset) })
        return try schemes.map { row in
            ClassificationScheme(
                code: try row.string("code"), title: try row.string("title"), version: try row.int("version"), entries: entries[try row.string("id")] ?? [])
        }.sorted { (order[$0.code] ?? Int.max, $0.code, $0.version) < (order[$1.code] ?? Int.max, $1.code, $1.version) }
    }

    /// The scheme rows the tags name, checked: a finding needs at least one tag, each an entry of
    /// a scheme version the committee may use.
    static func resolve(_ tags: [ClassificationTag], jurisdiction: UUID, on db: any SQLDatabase) async throws -> [(schemeID: String, tag: ClassificationTag)] {
        guard !tags.isEmpty else {
            throw DomainError.invalid("classification_required", "请至少选择一个问题分类（如三大问题、六项纪律）", english: "a finding needs a classification", field: "tags")
        }
        var resolved: [(String, ClassificationTag)] = []
        for tag in Set(tags).sorted(by: { ($0.scheme, $0.version, $0.entry) < ($1.scheme, $1.version, $1.entry) }) {
            guard let row = try await db.raw(
                """
                SELECT s.id FROM classification_schemes s JOIN classification_entries e ON e.scheme_id = s.id
                WHERE s.code = \(bind: tag.scheme) AND s.version = \(bind: tag.version) AND e.code = \(bind: tag.entry)
                AND (s.jurisdiction_id IS NULL OR s.jurisdiction_id = \(bind: jurisdiction.text))
                """
            ).first() else {
                throw DomainError.invalid(
                    "unknown_classification", "问题分类“\(tag.scheme)第\(tag.version)版：\(tag.entry)”不存在", english: "unknown classification entry", field: "tags")
            }
            resolved.append((try row.string("id"), tag))
        }
        return resolved
    }
}
