import Foundation
import SQLKit
import XunchaCore

/// Typed column reads that work the same on both engines (ids and text as TEXT, times as
/// BIGINT milliseconds, flags as BIGINT 0/1).
extension SQLRow {
    package func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    package func optionalString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : try string(column) }
    package func int(_ column: String) throws -> Int { Int(try decode(column: column, as: Int64.self)) }
    package func optionalInt(_ column: String) throws -> Int? { try decodeNil(column: column) ? nil : try int(column) }
    package func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    package func flag(_ column: String) throws -> Bool { try int64(column) != 0 }
    package func date(_ column: String) throws -> Date { Date(epochMilliseconds: try int64(column)) }
    package func optionalDate(_ column: String) throws -> Date? { try decodeNil(column: column) ? nil : try date(column) }

    package func uuid(_ column: String) throws -> UUID {
        let text = try string(column)
        guard let id = UUID(text: text) else { throw DomainError(.internalFailure, code: "corrupt_id", message: "数据损坏：编号无效", english: "stored id \(text) in \(column) is not a UUID") }
        return id
    }

    package func optionalUUID(_ column: String) throws -> UUID? { try decodeNil(column: column) ? nil : try uuid(column) }

    /// A stored code of a vocabulary; a code this build does not know reads as `fallback`.
    package func code<Value: RawRepresentable>(_ column: String, or fallback: Value) throws -> Value where Value.RawValue == String {
        Value(rawValue: try string(column)) ?? fallback
    }

    /// A stored code that may be missing; an unknown one reads as missing.
    package func optionalCode<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value? where Value.RawValue == String {
        try optionalString(column).flatMap(Value.init(rawValue:))
    }
}

/// Turns a policy scope into a WHERE fragment on a table's jurisdiction (and unit) column.
/// The policy decides; this only translates, so lists, counts and statistics all filter alike.
package enum ScopeSQL {
    /// The scope as a condition on a row's jurisdiction, unit and assignment columns. A scope
    /// that needs a column the record lacks selects nothing (fail closed).
    static func filter(
        _ scope: Scope, jurisdictionColumn: String, unitColumn: String? = nil, assignmentColumn: String? = nil, inboxColumns: (receiver: String, status: String, jurisdiction: String)? = nil,
        ownerColumn: String? = nil
    ) -> SQLQueryString {
        switch scope {
        case .nothing:
            return "1 = 0"
        case .everything:
            return "1 = 1"
        case .subtree(let path):
            return "\(unsafeRaw: jurisdictionColumn) IN (SELECT id FROM jurisdictions WHERE " + within(path) + ")"
        case .jurisdiction(let id):
            return "\(unsafeRaw: jurisdictionColumn) = \(bind: id.text)"
        case .unit(let jurisdiction, let unit):
            guard let unitColumn else { return "1 = 0" }
            return "\(unsafeRaw: jurisdictionColumn) = \(bind: jurisdiction.text) AND \(unsafeRaw: unitColumn) = \(bind: unit.text)"
        case .ownAssignments(let account, let jurisdiction):
            guard let assignmentColumn else { return "1 = 0" }
            return "\(unsafeRaw: jurisdictionColumn) = \(bind: jurisdiction.text) AND \(unsafeRaw: assignmentColumn) IN (" + ownAssignments(account) + ")"
        case .ownTasks(let account, let jurisdiction):
            guard let ownerColumn else { return "1 = 0" }
            return "\(unsafeRaw: jurisdictionColumn) = \(bind: jurisdiction.text) AND \(unsafeRaw: ownerColumn) = \(bind: account.text)"
        case .inbox(let bodies, let jurisdiction):
            guard let inboxColumns else { return "1 = 0" }
            return """
                \(unsafeRaw: inboxColumns.jurisdiction) = \(bind: jurisdiction.text) AND \(unsafeRaw: inboxColumns.receiver) IN (\(binds: bodies))
                AND \(unsafeRaw: inboxColumns.status) IN (\(binds: LeadStatus.transferredOn.map(\.rawValue)))
                """
        }
    }

    /// The assignments whose records a group member may open: their groups' assignments in
    /// rounds whose pledge they signed, minus every unit they are recused from (a declared or
    /// unit-requested conflict the office has not overridden since).
    static func ownAssignments(_ account: UUID) -> SQLQueryString {
        """
        SELECT own.id FROM inspectors me
        JOIN group_members gm ON gm.inspector_id = me.id
        JOIN assignments own ON own.group_id = gm.group_id
        JOIN pledges signed ON signed.round_id = own.round_id AND signed.inspector_id = me.id
        WHERE me.account_id = \(bind: account.text)
        AND NOT EXISTS (
            SELECT 1 FROM conflict_declarations d WHERE d.inspector_id = me.id AND d.unit_id = own.unit_id
            AND NOT EXISTS (
                SELECT 1 FROM conflict_overrides o
                WHERE o.round_id = own.round_id AND o.inspector_id = me.id AND o.unit_id = own.unit_id AND o.at >= d.at))
        """
    }

    /// A committee (of `jurisdictions`) in the subtree at `path`, itself included. A prefix compared
    /// with `substr`, its length written in, rather than `path LIKE ?`: SQLite compiles a statement
    /// again at every value bound to a LIKE pattern (the pattern might allow an index), so every
    /// administrator's page and every roll-up would be compiled on each request.
    static func within(_ path: String) -> SQLQueryString {
        "substr(path, 1, \(literal: path.unicodeScalars.count)) = \(bind: path)"
    }

    /// `%text%` with LIKE's wildcards escaped by `!`.
    package static func likeContains(_ text: String) -> String { "%" + escapeLike(text) + "%" }

    package static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_")
    }
}

extension Array {
    /// Slices of at most `size` elements, for multi-row statements that stay under the engines'
    /// bind limits.
    package func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
