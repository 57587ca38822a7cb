import Foundation
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

/// 导入台账: choose the ledger and upload its file, see the preview (each file column mapped to
/// one of the ledger's columns, every bad cell marked), confirm, read the counts.
///
/// The confirmation carries the file again (base64 in the preview's form) rather than leaving it
/// in a server-side pending import: nothing of a confidential ledger lingers on the server between
/// the two requests, any instance can take the confirmation, and the confirmation re-reads and
/// re-checks the file exactly as the preview did, so what the clerk saw is what is written.
struct ImportPages {
    let store: Store
    let pages: PageRenderer
    let settings: WebSettings

    func register(on router: Router<AppRequestContext>) {
        router.get("/imports") { request, context in try choosePage(request, context: context, error: nil) }
        router.get("/imports/{kind}/export") { request, context in try await ImportsController.export(request, store: store, context: context) }
        router.post("/imports/preview") { request, context in try await submit(request, context: context, write: false) }
        router.post("/imports") { request, context in try await submit(request, context: context, write: true) }
    }

    struct Option {
        let value: String
        let title: String
        let selected: Bool
    }

    struct KindOption {
        let value: String
        let title: String
        let selected: Bool
        let columns: String
    }

    struct HeaderCell {
        let index: Int
        let name: String
        let options: [Option]
    }

    struct Cell {
        let text: String
        let bad: Bool
    }

    struct RowView {
        let line: Int
        let action: String
        let bad: Bool
        let cells: [Cell]
    }

    struct Preview {
        let kind: String
        let kindTitle: String
        let fileName: String
        let sheet: String
        let fileData: String
        let header: [HeaderCell]
        let rows: [RowView]
        let problems: [String]
        let good: Bool
        let created: Int
        let updated: Int
    }

    struct Result {
        let kindTitle: String
        let fileName: String
        let created: Int
        let updated: Int
    }

    struct Model {
        let chrome: Chrome
        let kinds: [KindOption]
        let maxKB: Int
        let error: String?
        let problems: [String]
        let preview: Preview?
        let result: Result?
    }

    /// The kinds this person may import: those whose ledger they manage for the whole committee.
    func kinds(_ context: AppRequestContext) throws -> [LedgerKind] {
        let kinds = store.policy.importableKinds(try context.requireActor())
        guard !kinds.isEmpty else { throw DomainError.forbidden }
        return kinds
    }

    func model(
        _ context: AppRequestContext, request: Request, chosen: LedgerKind?, error: DomainError?, preview: Preview? = nil, result: Result? = nil
    ) throws -> Model {
        // A rejected file lists one problem per line after a heading line.
        var lines = error?.message.split(separator: "\n").map(String.init) ?? []
        let heading = lines.isEmpty ? nil : lines.removeFirst()
        return Model(
            chrome: pages.chrome(title: "导入台账", active: .imports, request: request, context: context),
            kinds: try kinds(context).map { kind in
                KindOption(
                    value: kind.rawValue, title: kind.title, selected: kind == chosen,
                    columns: kind.columns.map { $0.title + ($0.required ? "（必填）" : "") }.joined(separator: "、"))
            },
            maxKB: settings.maxLedgerImportBytes / 1024, error: heading, problems: lines, preview: preview, result: result)
    }

    func choosePage(_ request: Request, context: AppRequestContext, error: DomainError?, chosen: LedgerKind? = nil) throws -> Response {
        let kind = chosen ?? request.uri.queryParameters["kind"].flatMap { LedgerKind(rawValue: String($0)) }
        return pages.render("ledger_import", try model(context, request: request, chosen: kind, error: error), refused: error)
    }

    func submit(_ request: Request, context: AppRequestContext, write: Bool) async throws -> Response {
        // Room for the form's other fields, and for the file again in base64 on confirmation.
        let form = try await MultipartForm.parse(request, context: context, limit: settings.maxLedgerImportBytes * 4 / 3 + 64 * 1024)
        let origin = try context.origin()
        let kind = form["kind"].flatMap(LedgerKind.init(rawValue:))
        do {
            guard let kind, try kinds(context).contains(kind) else {
                throw DomainError.invalid("kind_required", "请选择要导入的台账", english: "choose a ledger kind", field: "kind")
            }
            let (data, name) = try Self.file(form)
            // The form's limit leaves room for the base64 the confirmation carries; the file itself keeps the import limit.
            guard data.count <= settings.maxLedgerImportBytes else { throw JSONBody.tooLarge(settings.maxLedgerImportBytes) }
            var file = LedgerFile(kind: kind, data: data, sheet: form["sheet"], name: name)
            // The preview's selects, once the clerk has seen them: column_0 … column_N.
            let chosen = form.parts.compactMap { part -> (Int, String)? in
                guard part.name.hasPrefix("column_"), let index = Int(part.name.dropFirst(7)) else { return nil }
                return (index, String(decoding: part.data, as: UTF8.self))
            }
            if !chosen.isEmpty {
                var keys = [String?](repeating: nil, count: (chosen.map(\.0).max() ?? 0) + 1)
                for (index, key) in chosen where index < 16_384 { keys[index] = kind.columns.contains { $0.key == key } ? key : nil }
                file.mapping = ImportMapping(keys: keys)
            }
            let jurisdiction = try context.ownJurisdiction()
            let outcome = try await file.run(into: jurisdiction, dryRun: !write, store: store, origin: origin)
            if outcome.written {
                let result = Result(kindTitle: kind.title, fileName: name, created: outcome.created, updated: outcome.updated)
                return pages.render("ledger_import", try model(context, request: request, chosen: kind, error: nil, result: result), status: .ok)
            }
            let refusal: DomainError? = outcome.problems.isEmpty ? nil : LedgerImport.rejection(outcome.problems)
            let preview = Self.preview(outcome, kind: kind, file: file)
            return pages.render("ledger_import", try model(context, request: request, chosen: kind, error: nil, preview: preview), refused: refusal)
        } catch let error as DomainError where error.isShownOnForm {
            return try choosePage(request, context: context, error: error, chosen: kind)
        }
    }

    /// The uploaded file, or the one the preview's form carried back.
    static func file(_ form: MultipartForm) throws(DomainError) -> (Data, String) {
        if let upload = form.file("file") { return (upload.data, upload.filename ?? "") }
        if let text = form["file_data"], let data = Data(base64Encoded: text) { return (data, form["file_name"] ?? "") }
        throw DomainError.required("file", label: "台账文件")
    }

    static func preview(_ outcome: LedgerImportOutcome, kind: LedgerKind, file: LedgerFile) -> Preview {
        let titles = Dictionary(uniqueKeysWithValues: kind.columns.map { ($0.key, $0.title) })
        let header = outcome.header.enumerated().map { index, name in
            let key = index < outcome.mapping.keys.count ? outcome.mapping.keys[index] : nil
            return HeaderCell(
                index: index, name: name,
                options: [Option(value: "", title: "（不导入）", selected: key == nil)]
                    + kind.columns.map { Option(value: $0.key, title: $0.title, selected: $0.key == key) })
        }
        let rows = outcome.rows.map { row in
            RowView(
                line: row.line, action: row.action.map { $0 == .create ? "新增" : "更新" } ?? (row.badColumns.isEmpty ? "无误" : "有误"), bad: !row.badColumns.isEmpty,
                cells: outcome.header.indices.map { index in
                    let key = index < outcome.mapping.keys.count ? outcome.mapping.keys[index] : nil
                    return Cell(text: index < row.fields.count ? row.fields[index] : "", bad: key.flatMap { titles[$0] }.map(row.badColumns.contains) ?? false)
                })
        }
        return Preview(
            kind: kind.rawValue, kindTitle: kind.title, fileName: file.name, sheet: file.sheet ?? "", fileData: file.data.base64EncodedString(), header: header,
            rows: rows, problems: outcome.problems.map(\.text), good: outcome.problems.isEmpty,
            created: outcome.rows.count { $0.action == .create }, updated: outcome.rows.count { $0.action == .update })
    }
}
