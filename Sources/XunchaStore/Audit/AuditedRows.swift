import Crypto
import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import XunchaCore

/// The business rows whose audited writes carry the row's digest, and how a row is digested.
///
/// Covered: the record of every lifecycle chain (轮次, 底稿, 线索, 立行立改, 报告, 反馈意见, 整改方案,
/// 整改任务, 整改报告, 整改公开, 整改评估, 专题报告), 被巡察单位 and 进驻工作记录. An audit entry whose
/// target is such a row (`target_type` + `target_id`) stores the digest of the row as it stands
/// when the entry is appended — after the write, in the same transaction — so the latest entry
/// of a row names the row as it must still be.
enum AuditedRows {
    /// The table of each covered target type.
    static let tables: [String: String] = {
        let chains: [any StoredLifecycle.Type] = [
            RoundLifecycle.self, FindingLifecycle.self, LeadLifecycle.self, ImmediateLifecycle.self, ReportLifecycle.self, FeedbackLifecycle.self,
            PlanLifecycle.self, TaskLifecycle.self, RectificationReportLifecycle.self, DisclosureLifecycle.self, EvaluationLifecycle.self,
            ThematicReportLifecycle.self,
        ]
        var tables = Dictionary(uniqueKeysWithValues: chains.map { ($0.chain.rawValue, $0.table) })
        tables["unit"] = "units"
        tables["record"] = "onsite_records"
        return tables
    }()

    /// The columns the head read names itself by, apart from the row's own.
    static let headSequence = "audit_head_seq__"
    static let headHash = "audit_head_hash__"

    /// SHA-256 of a row: every column but `skipping`, sorted by name, each value as text
    /// (integers in decimal), length-prefixed so no value can shift into the next, "~" for NULL.
    static func digest(of row: any SQLRow, skipping: Set<String> = []) throws -> String {
        var text = ""
        for column in row.allColumns.sorted() where !skipping.contains(column) {
            text += column + "="
            if let value = try value(column, of: row) {
                text += "\(value.utf8.count):\(value)|"
            } else {
                text += "~|"
            }
        }
        return SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    /// A column's value as text; the schema holds only TEXT and BIGINT columns.
    private static func value(_ column: String, of row: any SQLRow) throws -> String? {
        if let row = row as? SQLiteRow {
            switch row.column(column) ?? .null {
            case .null: return nil
            case .integer(let value): return String(value)
            case .text(let value): return value
            case .float(let value): return String(value)
            case .blob(let value): return Data(value.readableBytesView).base64EncodedString()
            }
        }
        if try row.decodeNil(column: column) { return nil }
        if let value = try? row.decode(column: column, as: Int64.self) { return String(value) }
        return try row.decode(column: column, as: String.self)
    }
}
