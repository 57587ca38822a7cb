import Foundation
import Hummingbird
import XunchaCore
import XunchaSheets
import XunchaStore

struct ArchiveDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, roundId = "round_id", roundTitle = "round_title", assignmentId = "assignment_id", assignmentIds = "assignment_ids"
        case unitNames = "unit_names", archivedAt = "archived_at", archivedBy = "archived_by", packageSha256 = "package_sha256", fileCount = "file_count"
        case payloadOxum = "payload_oxum", corrections, packageHref = "package_href"
    }

    struct Correction: Encodable {
        let id: String
        let text: String
        let by: String
        let at: String
    }

    let id: String
    let title: String
    let roundId: String
    let roundTitle: String
    let assignmentId: String?
    let assignmentIds: [String]
    let unitNames: [String]
    let archivedAt: String
    let archivedBy: String
    let packageSha256: String
    let fileCount: Int
    let payloadOxum: String
    let corrections: [Correction]
    let packageHref: String

    init(_ a: ArchiveRecord) {
        id = a.id.text
        title = a.title
        roundId = a.roundID.text
        roundTitle = a.roundTitle
        assignmentId = a.assignmentID?.text
        assignmentIds = a.assignmentIDs.map(\.text)
        unitNames = a.unitNames
        archivedAt = JSONBody.timestamp(a.archivedAt)
        archivedBy = a.archivedBy
        packageSha256 = a.packageSHA256
        fileCount = a.fileCount
        payloadOxum = a.payloadOxum
        corrections = a.corrections.map { Correction(id: $0.id.text, text: $0.text, by: $0.by, at: JSONBody.timestamp($0.at)) }
        packageHref = "/api/v1/archives/\(a.id.text)/package.zip"
    }
}

struct ArchiveCandidateDTO: Encodable {
    enum CodingKeys: String, CodingKey {
        case assignmentId = "assignment_id", unitName = "unit_name", groupName = "group_name", finished, archiveId = "archive_id"
    }

    let assignmentId: String
    let unitName: String
    let groupName: String
    let finished: Bool
    let archiveId: String?

    init(_ c: ArchiveCandidate) {
        assignmentId = c.assignment.id.text
        unitName = c.assignment.unitName
        groupName = c.assignment.groupName
        finished = c.finished
        archiveId = c.archiveID?.text
    }
}

/// 立卷归档 through the API and the office's page: archive (and so lock) a finished assignment or
/// a round, list the archives, take a package away as a ZIP (each export audit-logged), append a
/// correction.
struct ArchivesController {
    let store: Store
    let settings: WebSettings
    let pages: PageRenderer

    struct CorrectionInput: Decodable {
        var text: String?
    }

    func register(on router: Router<AppRequestContext>) {
        let store = store
        let settings = settings
        router.post("/api/v1/assignments/{id}/archive") { _, context -> Response in
            let archive = try await store.archiveAssignment(try context.parameters.uuid("id"), origin: try context.origin(), packager: ArchivePackage.packager)
            return try JSONBody.response(ArchiveDTO(archive), status: .created)
        }
        router.post("/api/v1/rounds/{id}/archive") { _, context -> Response in
            let archive = try await store.archiveRound(try context.parameters.uuid("id"), origin: try context.origin(), packager: ArchivePackage.packager)
            return try JSONBody.response(ArchiveDTO(archive), status: .created)
        }
        router.get("/api/v1/rounds/{id}/archive-candidates") { _, context -> Response in
            let candidates = try await store.archiveCandidates(round: try context.parameters.uuid("id"), for: try context.requireActor())
            return try JSONBody.response(ItemsDTO(items: candidates.map(ArchiveCandidateDTO.init)))
        }
        router.get("/api/v1/archives") { _, context -> Response in
            try JSONBody.response(ItemsDTO(items: try await store.archives(for: try context.requireActor()).map(ArchiveDTO.init)))
        }
        router.get("/api/v1/archives/{id}") { _, context -> Response in
            try JSONBody.response(ArchiveDTO(try await store.archive(try context.parameters.uuid("id"), for: try context.requireActor())))
        }
        router.post("/api/v1/archives/{id}/corrections") { request, context -> Response in
            let input = try await JSONBody.decode(CorrectionInput.self, from: request, limit: settings.maxBodyBytes)
            let archive = try await store.correctArchive(try context.parameters.uuid("id"), text: input.text, origin: try context.origin())
            return try JSONBody.response(ArchiveDTO(archive), status: .created)
        }
        for prefix in ["/api/v1", ""] {
            router.get("\(prefix)/archives/{id}/package.zip") { _, context -> Response in
                try await Self.package(try context.parameters.uuid("id"), store: store, origin: try context.origin())
            }
        }
        router.get("/archives") { request, context in try await page(request, context: context, error: nil) }
        // The page's three forms: each archives or corrects, then shows the round's archives again.
        let forms: [(String, Notice, @Sendable (FormInput, AppRequestContext) async throws -> ArchiveRecord)] = [
            ("/assignments/{id}/archive", .archived, { _, context in
                try await store.archiveAssignment(try context.parameters.uuid("id"), origin: try context.origin(), packager: ArchivePackage.packager)
            }),
            ("/rounds/{id}/archive", .roundArchived, { _, context in
                try await store.archiveRound(try context.parameters.uuid("id"), origin: try context.origin(), packager: ArchivePackage.packager)
            }),
            ("/archives/{id}/corrections", .archiveCorrected, { form, context in
                try await store.correctArchive(try context.parameters.uuid("id"), text: form["text"], origin: try context.origin())
            }),
        ]
        for (path, notice, act) in forms {
            router.post(RouterPath(path)) { request, context in
                try await PageForm.submit(request, context: context) { form in
                    let archive = try await act(form, context)
                    return PageRenderer.redirect("/archives?round=\(archive.roundID.text)", notice: notice, about: archive.title)
                } reshow: { _, error in
                    try await page(request, context: context, error: error)
                }
            }
        }
    }

    struct ItemsDTO<Item: Encodable>: Encodable {
        let items: [Item]
    }

    /// The archive's bag, rebuilt from its locked records and its corrections, as a ZIP under one
    /// folder; the export is audit-logged.
    static func package(_ id: UUID, store: Store, origin: RequestOrigin) async throws -> Response {
        let archive = try await store.archive(id, for: origin.actor)
        let files = ArchivePackage.files(try await store.archiveContents(id, origin: origin))
        let root = "archive-\(archive.id.text)"
        let zip = try ArchivePackage.zip(files, root: root)
        try await store.recordArchiveExport(archive, summary: ArchivePackage.summary(files), origin: origin)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: LedgerExport.contentDisposition(name: "归档包-\(archive.title)", extension: "zip"),
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: zip)))
    }

    // MARK: The page

    struct CandidateRow {
        let unitName: String
        let groupName: String
        let state: String
        let stateClass: String
        let archiveAction: String?
        let packageHref: String?
    }

    struct ArchiveRow {
        let title: String
        let archivedAt: String
        let archivedBy: String
        let fileCount: Int
        let digest: String
        let packageHref: String
        let correctionAction: String
        let corrections: [CorrectionRow]
    }

    struct CorrectionRow {
        let text: String
        let by: String
        let at: String
    }

    struct Page {
        let chrome: Chrome
        let error: String?
        let rounds: [Option]
        let roundChosen: Bool
        let candidates: [CandidateRow]
        /// 整轮归档, offered once every assignment of the round is finished and none is archived yet.
        let roundArchiveAction: String?
        let archives: [ArchiveRow]
    }

    /// 立卷归档: the rounds to choose from, the chosen round's assignments with their state, an 归档
    /// button for each finished one (and 整轮归档 when all are), and the committee's archives with
    /// their downloads.
    func page(_ request: Request, context: AppRequestContext, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        try store.policy.requireAnywhere(actor, .archiveRecords)
        let chosen = request.uri.queryParameters["round"].flatMap { UUID(text: String($0)) ?? UUID(uuidString: String($0)) }
        let rounds = try await store.rounds(for: actor)
        let round = chosen ?? rounds.first?.id
        let archives = try await store.archives(for: actor)
        var candidates: [CandidateRow] = []
        var roundArchiveAction: String?
        if let round {
            let states = try await store.archiveCandidates(round: round, for: actor)
            if !states.isEmpty, states.allSatisfy({ $0.finished && $0.archiveID == nil }) {
                roundArchiveAction = "/rounds/\(round.text)/archive"
            }
            candidates = states.map { c in
                let archived = c.archiveID.flatMap { id in archives.first { $0.id == id } }
                return CandidateRow(
                    unitName: c.assignment.unitName, groupName: c.assignment.groupName,
                    state: c.archiveID != nil ? "已归档" : c.finished ? "已办结，可归档" : "未办结",
                    stateClass: c.archiveID != nil ? "ok" : c.finished ? "warn" : "muted",
                    archiveAction: c.finished && c.archiveID == nil ? "/assignments/\(c.assignment.id.text)/archive" : nil,
                    packageHref: archived.map { "/archives/\($0.id.text)/package.zip" })
            }
        }
        let model = Page(
            chrome: pages.chrome(title: "立卷归档", active: .archives, request: request, context: context),
            error: error?.message,
            rounds: rounds.map { Option(value: $0.id.text, label: $0.title, selected: $0.id == round) }, roundChosen: round != nil,
            candidates: candidates, roundArchiveAction: roundArchiveAction,
            archives: archives.map { a in
                ArchiveRow(
                    title: a.title, archivedAt: DateText.table(a.archivedAt), archivedBy: a.archivedBy, fileCount: a.fileCount,
                    digest: String(a.packageSHA256.prefix(16)), packageHref: "/archives/\(a.id.text)/package.zip",
                    correctionAction: "/archives/\(a.id.text)/corrections",
                    corrections: a.corrections.map { CorrectionRow(text: $0.text, by: $0.by, at: DateText.table($0.at)) })
            })
        return pages.render("archives", model)
    }
}
