import Foundation
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

/// 下载公文: a record's document as .docx in the GB/T 9704-2012 layout, at
/// `{record}/document.docx` beside the record — on the API (bearer token) and beside its page
/// (session cookie). Whoever may read the record may take its document; anyone else gets the
/// record's own 404. The store audit-logs each one.
struct DocumentsController {
    let store: Store

    /// The records that issue a document: their path and the kind of document.
    static let kinds: [(path: String, kind: DocumentKind)] = [
        ("notices", .notice), ("immediate-rectifications", .immediate), ("feedback", .feedback),
        // The report and rectification chains: a report is a 巡察报告 or a 专题报告 (一巡双报告), a
        // rectification report the unit's or its head's, as the record is; a 巡察公告 is the notice's.
        ("reports", .inspectionReport), ("thematic-reports", .thematicReport), ("announcements", .announcement),
        ("rectification-plans", .rectificationPlan), ("rectification-reports", .rectificationReport), ("evaluations", .evaluation),
    ]

    /// A lead's documents: the 移交函 and 移交清单 of the sheet it was transferred under.
    static let leadDocuments: [(path: String, kind: DocumentKind)] = [("transfer-letter", .leadTransfer), ("transfer-list", .leadList)]

    static let contentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    func register(on router: Router<AppRequestContext>) {
        let store = store
        for (path, kind) in Self.kinds {
            for prefix in ["/api/v1", ""] {
                router.get("\(prefix)/\(path)/{id}/document.docx") { _, context -> Response in
                    let document = try await store.officialDocument(kind, try context.parameters.uuid("id"), origin: try context.origin())
                    return Self.response(document)
                }
            }
        }
        for (path, kind) in Self.leadDocuments {
            for prefix in ["/api/v1", ""] {
                router.get("\(prefix)/leads/{id}/\(path).docx") { _, context -> Response in
                    Self.response(try await store.officialDocument(kind, try context.parameters.uuid("id"), origin: try context.origin()))
                }
            }
        }
        // 整改台账 on the API; the page's own is `/ledger?format=docx` beside its Excel.
        router.get("/api/v1/ledger.docx") { request, context -> Response in
            try await LedgerPages.document(request.queryDictionary, store: store, origin: try context.origin())
        }
        for prefix in ["/api/v1", ""] {
            router.get("\(prefix)/statistics/summary.docx") { request, context -> Response in
                let parameters = request.queryDictionary
                let year = try Self.year(parameters["year"])
                let document = try await store.yearSummaryDocument(year: year, filter: try StatisticsController.filter(parameters), origin: try context.origin())
                return Self.response(document)
            }
        }
    }

    /// The `year` of a 综述, when given: four digits.
    static func year(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count == 4, let year = Int(text), (2000...2100).contains(year) else {
            throw DomainError.invalid("invalid_year", "年度须为四位数字，如2026", english: "year must be four digits", field: "year")
        }
        return year
    }

    /// The document as a download named after its title, never cached (it holds scoped data).
    static func response(_ document: OfficialDocument) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: contentType, .contentDisposition: LedgerExport.contentDisposition(name: document.title, extension: "docx"),
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: DOCXWriter.document(document))))
    }
}
