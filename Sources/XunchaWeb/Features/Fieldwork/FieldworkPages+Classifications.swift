import Foundation
import Hummingbird
import XunchaCore
import XunchaStore

/// 问题分类 pages: the schemes a committee tags working papers with, as trees, and the office's
/// form for a new version (entries typed one per line, as `代码,名称,上级代码`).
extension FieldworkPages {
    func registerClassifications(on router: Router<AppRequestContext>) {
        router.get("/classifications") { request, context in try await classificationsPage(request, context: context, form: nil, error: nil) }
        router.post("/classifications") { request, context in try await addClassificationVersion(request, context: context) }
    }

    struct TreeRow {
        let code: String
        let title: String
        let depth: Int
    }

    struct SchemeView {
        let anchor: String
        let code: String
        let title: String
        let version: Int
        let isLatest: Bool
        let count: Int
        let entries: [TreeRow]
        let baseHref: String?
    }

    struct SchemeForm {
        let code: String
        let title: String
        let entries: String
        let error: String?
    }

    struct ClassificationsPage {
        let chrome: Chrome
        let showAll: Bool
        let toggleHref: String
        let toggleLabel: String
        let schemes: [SchemeView]
        let form: SchemeForm?
    }

    func classificationsPage(_ request: Request, context: AppRequestContext, form: FormInput?, error: DomainError?) async throws -> Response {
        let actor = try context.requireActor()
        let parameters = request.queryDictionary
        let showAll = parameters["all"] == "1"
        let schemes = try await store.classificationSchemes(latestOnly: !showAll, for: actor)
        var newest: [String: Int] = [:]
        for scheme in schemes { newest[scheme.code] = max(newest[scheme.code] ?? 0, scheme.version) }
        let canManage = store.policy.allowsAnywhere(actor, .manageClassifications)
        // "以此为基础" fills the form with a scheme's latest entries, so a new version is an edit.
        let base = parameters["base"].flatMap { code in schemes.last { $0.code == code && newest[code] == $0.version } }
        let model = ClassificationsPage(
            chrome: pages.chrome(title: "问题分类", active: .classifications, request: request, context: context),
            showAll: showAll, toggleHref: showAll ? "/classifications" : "/classifications?all=1", toggleLabel: showAll ? "只看现行版本" : "显示全部历史版本",
            schemes: schemes.map { scheme in
                SchemeView(
                    anchor: "\(scheme.code)-v\(scheme.version)", code: scheme.code, title: scheme.title, version: scheme.version,
                    isLatest: newest[scheme.code] == scheme.version, count: scheme.entries.count,
                    entries: Self.tree(scheme).map { TreeRow(code: $0.0.code, title: $0.0.title, depth: min($0.1, 3)) },
                    baseHref: canManage && newest[scheme.code] == scheme.version ? "/classifications?base=\(scheme.code)#scheme-form" : nil)
            },
            form: canManage
                ? SchemeForm(
                    code: form?["code"] ?? base?.code ?? "", title: form?["title"] ?? base?.title ?? "",
                    entries: form?["entries"] ?? base.map { Self.entryLines($0.entries) } ?? "", error: error?.message)
                : nil)
        return pages.render("classifications", model, refused: error)
    }

    static func entryLines(_ entries: [ClassificationEntry]) -> String {
        entries.map { [$0.code, $0.title, $0.parent].compactMap { $0 }.joined(separator: ",") }.joined(separator: "\n")
    }

    /// Reads `代码,名称,上级代码` lines. ASCII commas separate fields; a line without one may use
    /// full-width commas instead, as a Chinese input method types them. Blank lines are skipped.
    static func entries(_ text: String?) throws -> [ClassificationEntry] {
        var entries: [ClassificationEntry] = []
        for (index, raw) in (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let separator: Character = line.contains(",") ? "," : "，"
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (2...3).contains(fields.count) else {
                throw DomainError.invalid(
                    "invalid_entry_line", "第\(index + 1)行格式有误，应为“代码,名称,上级代码”（无上级的省略第三项）", english: "entry line \(index + 1) must be code,title[,parent]",
                    field: "entries")
            }
            entries.append(ClassificationEntry(code: fields[0], title: fields[1], parent: fields.count == 3 && !fields[2].isEmpty ? fields[2] : nil))
        }
        return entries
    }

    func addClassificationVersion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let origin = try context.origin()
        try store.policy.requireAnywhere(origin.actor, .manageClassifications)
        return try await PageForm.submit(request, context: context) { form in
            let scheme = ClassificationScheme(code: form["code"] ?? "", title: form["title"] ?? "", version: 0, entries: try Self.entries(form["entries"]))
            _ = try await store.addClassificationVersion(scheme, origin: origin)
            return PageRenderer.redirect("/classifications", notice: .classificationAdded)
        } reshow: { form, error in
            try await classificationsPage(request, context: context, form: form, error: error)
        }
    }
}
