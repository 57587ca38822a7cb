import Foundation
import XunchaCore
import XunchaSheets
import XunchaStore

/// One document of every kind the database holds, as .docx, for a reviewer to look at them
/// (`xuncha documents render`, `scripts/render-documents`): the newest issued record of each
/// record's kind, the tasks' 整改台账 and this year's 巡察工作综述 of the root committee.
public enum DocumentSamples {
    public struct Sample: Sendable {
        public var kind: DocumentKind
        /// "03-immediate.docx": in the order of `DocumentKind.allCases`.
        public var fileName: String
        public var title: String
        public var data: Data
    }

    public static func render(store: Store, committee: UUID, origin: RequestOrigin) async throws -> (samples: [Sample], missing: [DocumentKind]) {
        var documents: [DocumentKind: OfficialDocument] = [:]
        for (kind, id) in try await store.documentSamples() where documents[kind] == nil {
            documents[kind] = try await store.officialDocument(kind, id, origin: origin)
        }
        let (list, table) = try await LedgerPages.table([:], store: store, actor: origin.actor)
        documents[.ledger] = try await store.ledgerDocument(list: list.title, table: table.documentTable, asOf: nil, committee: committee, origin: origin)
        var filter = StatisticsFilter()
        filter.jurisdictionID = committee
        documents[.yearSummary] = try await store.yearSummaryDocument(filter: filter, origin: origin)
        var samples: [Sample] = []
        var missing: [DocumentKind] = []
        for (index, kind) in DocumentKind.allCases.enumerated() {
            guard let document = documents[kind] else {
                missing.append(kind)
                continue
            }
            samples.append(
                Sample(kind: kind, fileName: String(format: "%02d-", index + 1) + kind.rawValue + ".docx", title: document.title, data: DOCXWriter.document(document)))
        }
        return (samples, missing)
    }
}
