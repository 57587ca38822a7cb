import Foundation
import HTTPTypes
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

/// `POST /api/v1/imports/{kind}`: a ledger's file as the body (.xlsx or CSV). `dry_run=true`
/// answers the preview (rows, problems by row and column, what would be created and updated) and
/// writes nothing; without it the file is written when every cell is good (201) and refused whole
/// otherwise. `mapping` gives the kind's column for each file column by position
/// (`name,home_unit,,category`), else headers are matched by title and by the committee's last
/// mapping; `sheet` chooses a worksheet; `file_name` names the file in the 补录 note.
struct ImportsController {
    let store: Store
    let settings: WebSettings

    func register(on router: Router<AppRequestContext>) {
        // The committee's ledger in the import's own columns (`format=xlsx|csv`): what this
        // import reads back, here or in another installation, with the same figures.
        router.get("/api/v1/imports/{kind}/export") { request, context in try await Self.export(request, store: store, context: context) }
        router.post("/api/v1/imports/{kind}") { request, context -> Response in
            let origin = try context.origin()
            let kind = try Self.kind(context.parameters.get("kind") ?? "")
            let jurisdiction = try context.ownJurisdiction()
            let data = try await Self.file(request, limit: settings.maxLedgerImportBytes)
            let query = request.uri.queryParameters
            let file = LedgerFile(
                kind: kind, data: data, sheet: query["sheet"].map(String.init), name: query["file_name"].map(String.init) ?? "",
                mappingText: query["mapping"].map(String.init) ?? request.headers[.importMapping])
            let dryRun = try Self.flag(query["dry_run"].map(String.init), field: "dry_run")
            let outcome = try await file.run(into: jurisdiction, dryRun: dryRun, store: store, origin: origin)
            if !dryRun && !outcome.written { throw LedgerImport.rejection(outcome.problems) }
            return try JSONBody.response(ImportOutcomeDTO(outcome), status: outcome.written ? .created : .ok)
        }
    }

    /// `…/{kind}/export?format=`: the ledger as a download named after the kind and the day (the
    /// API's and the page's 导出 link alike).
    static func export(_ request: Request, store: Store, context: AppRequestContext) async throws -> Response {
        let kind = try Self.kind(context.parameters.get("kind") ?? "")
        let format = try ExportFormat(request.uri.queryParameters["format"].map(String.init))
        let sheet = try await store.exportLedger(kind, of: try context.ownJurisdiction(), origin: try context.origin())
        guard sheet.rows.count <= LedgerExport.maximumRows else { throw LedgerExport.tooMany(LedgerExport.maximumRows) }
        let table = LedgerTable(kind.title, columns: kind.columns.map { $0.isDate ? .init($0.title, 12, .date) : .init($0.title, 20) }, rows: sheet.rows)
        return LedgerExport.response(table, format: format, day: CalendarDay(store.clock.now()), printed: false)
    }

    static func kind(_ text: String) throws(DomainError) -> LedgerKind {
        guard let kind = LedgerKind(rawValue: text) else {
            throw .invalid(
                "unknown_kind", "未知的台账类型“\(text)”（可用：\(LedgerKind.allCases.map(\.rawValue).joined(separator: "、"))）", english: "unknown ledger kind",
                field: "kind")
        }
        return kind
    }

    static func flag(_ text: String?, field: String) throws(DomainError) -> Bool {
        switch text?.lowercased() {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        default: throw .invalid("invalid_flag", "\(field) 须为 true 或 false", english: "\(field) must be true or false", field: field)
        }
    }

    /// The body, when it says it is a spreadsheet: CSV or .xlsx (or bytes of either, sent as octet-stream).
    static func file(_ request: Request, limit: Int) async throws -> Data {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard ["text/csv", SheetReader.xlsxContentType, "application/octet-stream"].contains(where: { type.hasPrefix($0) }) else {
            throw DomainError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "导入文件须为 .xlsx 或 CSV（Content-Type: \(SheetReader.xlsxContentType) 或 text/csv）",
                english: "body must be text/csv or an .xlsx workbook")
        }
        return try await JSONBody.collect(request, limit: limit)
    }
}

extension HTTPField.Name {
    /// The `mapping` parameter, as a header for clients that would rather not build the query.
    static let importMapping = Self("X-Import-Mapping")!
}

/// An uploaded ledger file on its way to the store: the one path the API and the page share.
struct LedgerFile {
    var kind: LedgerKind
    var data: Data
    var sheet: String?
    var name: String
    /// `mapping` as written (column keys by file position); nil: suggested.
    var mappingText: String?
    /// The mapping as the page's selects chose it, when it comes from the page.
    var mapping: ImportMapping?

    init(kind: LedgerKind, data: Data, sheet: String?, name: String, mappingText: String? = nil, mapping: ImportMapping? = nil) {
        self.kind = kind
        self.data = data
        self.sheet = sheet?.trimmingCharacters(in: .whitespaces).isEmpty == true ? nil : sheet
        self.name = name
        self.mappingText = mappingText
        self.mapping = mapping
    }

    /// Reads the sheet and previews or writes it. Date columns are the kind's date columns as mapped.
    func run(into jurisdiction: UUID, dryRun: Bool, store: Store, origin: RequestOrigin) async throws -> LedgerImportOutcome {
        try store.policy.requireAnywhere(origin.actor, kind.permission)
        let sheet = try SheetReader.read(data, sheet: sheet)
        var mapping = self.mapping
        if let mappingText, !mappingText.isEmpty { mapping = try ImportMapping(text: mappingText, columns: kind.columns) }
        var chosen: ImportMapping
        if let mapping {
            chosen = mapping
        } else {
            let remembered = try await store.rememberedMapping(kind, in: jurisdiction, for: origin.actor)
            chosen = ImportMapping.suggested(header: sheet.header, columns: kind.columns, remembered: remembered)
        }
        let dateKeys = Set(kind.columns.filter(\.isDate).map(\.key))
        let dateColumns = Set(chosen.keys.enumerated().compactMap { index, key in key.map(dateKeys.contains) == true ? index : nil })
        return try await store.importLedger(
            kind, table: sheet.table(dateColumns: dateColumns), mapping: chosen, fileName: name, into: jurisdiction, dryRun: dryRun, origin: origin)
    }
}

struct ImportOutcomeDTO: Encodable {
    struct Column: Encodable {
        let key: String
        let title: String
        let required: Bool
    }

    struct Mapped: Encodable {
        enum CodingKeys: String, CodingKey { case header, column }
        let header: String
        let column: String?
    }

    struct Row: Encodable {
        let row: Int
        let key: String?
        let action: String?
        let fields: [String]
    }

    struct Problem: Encodable {
        let row: Int?
        let column: String?
        let code: String
        let message: String
        let text: String
    }

    let kind: String
    let columns: [Column]
    let mapping: [Mapped]
    let rows: [Row]
    let problems: [Problem]
    let created: Int
    let updated: Int
    let written: Bool

    init(_ outcome: LedgerImportOutcome) {
        kind = outcome.kind.rawValue
        columns = outcome.kind.columns.map { Column(key: $0.key, title: $0.title, required: $0.required) }
        mapping = outcome.header.enumerated().map { index, header in
            Mapped(header: header, column: index < outcome.mapping.keys.count ? outcome.mapping.keys[index] : nil)
        }
        rows = outcome.rows.map { Row(row: $0.line, key: $0.key, action: $0.action?.rawValue, fields: $0.fields) }
        problems = outcome.problems.map { Problem(row: $0.line, column: $0.column, code: $0.code, message: $0.message, text: $0.text) }
        created = outcome.created
        updated = outcome.updated
        written = outcome.written
    }
}
