import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import XunchaCore
import XunchaStore

/// 表单留在原址: a refused form is shown again under the address of the page that holds it, not
/// under the address it posted to, so a reload neither posts again nor lands on another page.
/// Every post form carries its page's address (`_page`, the `form_token` partial writes it from
/// `Chrome.address`); a refusal re-rendered for such a form is kept here a while and the browser
/// sent (303) to that address with `shown=` naming it. A success leaves the sentence that says
/// what was done, and its redirect names it with `said=`.
///
/// Held in memory per session: losing it (a restart) costs the typed values of a refused form
/// or one sentence, never a record.
final class PageRecall: Sendable {
    static let lifetime: TimeInterval = 15 * 60
    /// The most refused pages, and the most sentences, kept at once; the oldest go first.
    static let capacity = 500

    private struct Kept: Sendable {
        let session: String
        let until: Date
        let refused: Response?
        let said: String?
    }

    private struct State: Sendable {
        var refused: [String: Kept] = [:]
        var said: [String: Kept] = [:]
    }

    private let state = Mutex(State())

    /// Keeps a refused page for `session`; returns the key its address carries.
    func keep(_ response: Response, for session: String, now: Date = Date()) -> String {
        keep(Kept(session: session, until: now + Self.lifetime, refused: response, said: nil), in: \.refused, now: now)
    }

    /// The refused page `key` names, if it is this session's and still kept (a reload shows it again).
    func refused(_ key: String, for session: String, now: Date = Date()) -> Response? {
        find(key, in: \.refused, for: session, now: now)?.refused
    }

    /// Keeps the sentence a success said for `session`; returns the key its redirect carries.
    func say(_ text: String, for session: String, now: Date = Date()) -> String {
        keep(Kept(session: session, until: now + Self.lifetime, refused: nil, said: text), in: \.said, now: now)
    }

    /// The sentence `key` names, if it is this session's and still kept.
    func said(_ key: String, for session: String, now: Date = Date()) -> String? {
        find(key, in: \.said, for: session, now: now)?.said
    }

    private func keep(_ kept: Kept, in shelf: WritableKeyPath<State, [String: Kept]>, now: Date) -> String {
        var rng = SystemRandomNumberGenerator()
        let key = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        state.withLock { state in
            state[keyPath: shelf] = state[keyPath: shelf].filter { $0.value.until > now }
            if state[keyPath: shelf].count >= Self.capacity, let oldest = state[keyPath: shelf].min(by: { $0.value.until < $1.value.until }) {
                state[keyPath: shelf][oldest.key] = nil
            }
            state[keyPath: shelf][key] = kept
        }
        return key
    }

    private func find(_ key: String, in shelf: KeyPath<State, [String: Kept]>, for session: String, now: Date) -> Kept? {
        state.withLock { state in
            guard let kept = state[keyPath: shelf][key], kept.session == session, kept.until > now else { return nil }
            return kept
        }
    }
}

/// The address of the page being answered, as its forms name it (`_page`): the path and query it
/// was asked with, without the one-off `notice`, `shown` and `said`. A refusal re-rendered for a form
/// sets it to the address the form came from, so the forms of that page keep naming it.
enum PageAddress {
    @TaskLocal static var current: String?

    static let oneOff: Set<Substring> = ["notice", "shown", "said"]

    static func of(_ request: Request) -> String {
        let pairs = (request.uri.query ?? "").split(separator: "&").filter { pair in
            !oneOff.contains(pair.split(separator: "=", maxSplits: 1).first ?? "")
        }
        return pairs.isEmpty ? request.uri.path : request.uri.path + "?" + pairs.joined(separator: "&")
    }

    /// The posted `_page`, if it is a plain local address (the rules sign-in's `next` follows).
    static func accepted(_ posted: String?) -> String? {
        guard let posted else { return nil }
        let safe = AuthController.safeNext(posted)
        return safe == "/" && posted != "/" ? nil : safe
    }

    /// `address` with `name=value` added to its query.
    static func adding(_ name: String, _ value: String, to address: String) -> String {
        address + (address.contains("?") ? "&" : "?") + name + "=" + value
    }

    /// What a form does when refused: the page shown again with what was typed (`reshow`), at the
    /// form's own address (`posted`, its `_page`) when it names one other than the address it posted to.
    static func refused(_ posted: String?, _ request: Request, context: AppRequestContext, reshow: () async throws -> Response) async throws -> Response {
        guard let page = accepted(posted) else { return try await reshow() }
        let response = try await $current.withValue(page) { try await reshow() }
        guard page != of(request), let session = context.sessionToken, let recall = context.recall else { return response }
        let key = recall.keep(response, for: session)
        return Response(status: .seeOther, headers: [.location: adding("shown", key, to: page)])
    }
}

/// 办理结果: the sentence a success leaves for the page it redirects to, naming what was done
/// to what. A notice code that says more than "done" keeps its words and gains the record's name
/// ("底稿已审定并编号：底稿 〔2026〕3号。"); one that only says "done" gives way to the act
/// ("已办理「审核通过」：整改方案 市财政局第1稿。", "已新建：被巡察单位 市财政局。"). The
/// redirect names the sentence (`said=`), kept for its session; without it (an old link, a
/// restart) the code's own text stands.
enum NoticeSaid {
    /// The sentence the page being answered shows instead of its notice code's text.
    @TaskLocal static var current: String?

    /// Carries the sentence from a handler to `PageRecallMiddleware`, which keeps it and drops the header.
    static let header = HTTPField.Name("X-Xuncha-Said")!

    /// The codes that say little more than that something was done: the words the act and the
    /// record are put after ("已办理，线索状态已更新。" → "已办理「组务会研判」：线索 …，线索状态已更新。").
    static let plain: [Notice: String] = [
        .created: "已新建", .saved: "已保存", .done: "已办理", .stepTaken: "已办理", .leadStepTaken: "已办理", .immediateStepTaken: "已办理",
        .taskStepTaken: "已办理", .evaluationStepTaken: "已办理", .thematicReportStepTaken: "已办理",
    ]

    /// The sentence for `notice` about `object` ("整改方案 市财政局第1稿"), `act` said for a plain code ("办理「审核通过」").
    static func sentence(_ notice: Notice, object: String, act: String? = nil) -> String {
        guard let verb = plain[notice], notice.text.hasPrefix(verb) else {
            let text = notice.text.hasSuffix("。") ? String(notice.text.dropLast()) : notice.text
            return "\(text)：\(object)。"
        }
        return "\(act.map { "已" + $0 } ?? verb)：\(object)\(notice.text.dropFirst(verb.count))"
    }

    /// `response` (a redirect with a notice code) leaving the sentence about `object` for the page it leads to.
    static func saying(_ object: String?, act: String? = nil, _ response: Response) -> Response {
        guard let object, let location = response.headers[.location],
            let code = location.prefix(while: { $0 != "#" }).drop(while: { $0 != "?" }).dropFirst().split(separator: "&")
                .first(where: { $0.hasPrefix("notice=") }).flatMap({ Notice(rawValue: String($0.dropFirst("notice=".count))) }),
            let encoded = sentence(code, object: object, act: act).addingPercentEncoding(withAllowedCharacters: ListLink.unreserved)
        else { return response }
        var response = response
        response.headers[header] = encoded
        return response
    }

    /// A chain's record as a notice names it: the chain and the record's label ("整改方案 市财政局第1稿").
    static func object<L: StoredLifecycle>(_ lifecycle: L.Type, _ record: L.Record) -> String {
        "\(L.chain.title) \(L.label(of: record))"
    }

    /// What a step names: its record.
    static func object<S: LifecycleStep>(of step: S, _ record: S.Lifecycle.Record) -> String where S.Lifecycle: StoredLifecycle {
        object(S.Lifecycle.self, record)
    }

    /// A step's act: "办理「审核通过」".
    static func act<S: LifecycleStep>(of step: S) -> String { "办理「\(step.title)」" }
}

/// Gives every page request the recall, serves a refused page kept for this session, sets the
/// page's own address and the sentence its `said` names, and keeps the sentence a success says.
struct PageRecallMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let recall: PageRecall

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var withRecall = context
        withRecall.recall = recall
        let context = withRecall
        let isPage = !request.uri.path.hasPrefix("/api/")
        guard isPage, let session = context.sessionToken else {
            var response = try await next(request, context)
            response.headers[NoticeSaid.header] = nil
            return response
        }
        if request.method == .get || request.method == .head {
            let query = request.uri.queryParameters
            if let key = query["shown"], let page = recall.refused(String(key), for: session) { return page }
            let said = query["said"].flatMap { recall.said(String($0), for: session) }
            return try await PageAddress.$current.withValue(PageAddress.of(request)) {
                try await NoticeSaid.$current.withValue(said) { try await next(request, context) }
            }
        }
        var response = try await next(request, context)
        if let said = response.headers[NoticeSaid.header] {
            response.headers[NoticeSaid.header] = nil
            if let location = response.headers[.location], let text = said.removingPercentEncoding {
                // The key goes into the query, before any fragment (`#steps`).
                let fragment = location.firstIndex(of: "#") ?? location.endIndex
                let key = recall.say(text, for: session)
                response.headers[.location] = PageAddress.adding("said", key, to: String(location[..<fragment])) + location[fragment...]
            }
        }
        return response
    }
}
