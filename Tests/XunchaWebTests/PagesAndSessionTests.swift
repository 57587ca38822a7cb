import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("Pages, sign-in and CSRF")
struct PagesAndSessionTests {
    @Test(arguments: TestEngine.available)
    func signInSetsAStrictHttpOnlySessionCookieAndForcesThePasswordChange(engine: TestEngine) async throws {
        try await withApp(engine, settle: false) { store, f, client in
            let login = try await client.page(.get, "/login", session: nil)
            #expect(login.status == .ok)
            let csrf = try #require(cookie(FormInput.csrfCookie, in: login))
            let form = [("_csrf", csrf), ("username", "t.office.staff"), ("password", f.passwords[.officeStaff]!), ("next", "/units")]
            let signedIn = try await client.page(.post, "/login", session: nil, form: form, extraCookie: "\(FormInput.csrfCookie)=\(csrf)")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/password")
            let setCookie = signedIn.headers[values: .setCookie].first { $0.hasPrefix(AuthenticationMiddleware.cookieName) } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("Secure"))
            let token = try #require(cookie(AuthenticationMiddleware.cookieName, in: signedIn))
            let session = try #require(try await store.authenticate(token: token))
            let web = SignIn(token: token, session: session)
            let home = try await client.page(.get, "/units", session: web)
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/password")
        }
    }

    @Test(arguments: TestEngine.available)
    /// `X-Forwarded-Proto` counts only from a trusted proxy (`HTTPHygieneTests` shows a trusted
    /// one making cookies `Secure`); here no proxy is trusted, so a client's claim changes nothing.
    func aClientsOwnClaimOfTLSIsNotBelieved(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let login = try await client.page(.get, "/login", session: nil)
            let csrf = try #require(cookie(FormInput.csrfCookie, in: login))
            let body = "_csrf=\(csrf)&username=t.office.staff&password=\(f.passwords[.officeStaff]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            let response = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(FormInput.csrfCookie)=\(csrf)", HTTPField.Name("X-Forwarded-Proto")!: "https"],
                body: .init(string: body))
            #expect(response.status == .seeOther)
            let session = try #require(response.headers[values: .setCookie].first { $0.hasPrefix(AuthenticationMiddleware.cookieName) })
            #expect(!session.contains("Secure"))
            #expect(response.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test(arguments: TestEngine.available)
    func everyFormPostNeedsTheSessionsCSRFToken(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let fields = [("name", "新建单位甲"), ("type", "school"), ("party_organisation", "committee")]
            let missing = try await client.page(.post, "/units", session: office, form: fields)
            #expect(missing.status == .forbidden)
            let wrong = try await client.page(.post, "/units", session: office, form: fields + [("_csrf", "guess")])
            #expect(wrong.status == .forbidden)
            #expect(try await unitCount(store) == 3)
            let good = try await client.page(.post, "/units", session: office, form: fields + [("_csrf", office.session.csrfToken)])
            #expect(good.status == .seeOther)
            #expect(good.headers[.location]?.hasPrefix("/units/") == true)
            #expect(try await unitCount(store) == 4)

            let logoutWithoutToken = try await client.page(.post, "/logout", session: office, form: [])
            #expect(logoutWithoutToken.status == .forbidden)
            let loginWithoutCookie = try await client.page(.post, "/login", session: nil, form: [("_csrf", "x"), ("username", "a"), ("password", "b")])
            #expect(loginWithoutCookie.status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func aFormWithBadInputIsShownAgainWithTheMessageAndNothingWritten(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let duplicate = try await client.page(
                .post, "/units", session: office, form: [("_csrf", office.session.csrfToken), ("name", "市财政局"), ("type", "school"), ("party_organisation", "committee")])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("本党委已有名为“市财政局”的单位"))
            #expect(duplicate.text.contains("value=\"市财政局\""), "the form keeps what was typed")
            #expect(try await unitCount(store) == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func everyPageRendersForTheRolesThatMayOpenIt(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let pages: [(String, Set<Role>)] = [
                ("/", Set(Role.allCases)),
                ("/password", Set(Role.allCases)),
                ("/units", [.officeStaff, .leadCustodian, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact]),
                ("/units/\(f.cityUnit.id.text)", [.officeStaff, .leadCustodian, .leadingGroupMember, .groupLeader, .groupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact]),
                ("/units/new", [.officeStaff]),
                ("/units/\(f.cityUnit.id.text)/edit", [.officeStaff]),
                ("/jurisdictions", Set(Role.allCases)),
                ("/jurisdictions/\(f.city.id.text)", Set(Role.allCases)),
                ("/jurisdictions/new", [.systemAdministrator]),
                ("/users", [.systemAdministrator, .securityAdministrator]),
                ("/users/new", [.systemAdministrator]),
                ("/users/\(f.users[.officeStaff]!.id.text)", [.systemAdministrator, .securityAdministrator]),
                ("/audit", [.auditAdministrator]),
                ("/rounds", [.officeStaff, .leadingGroupMember]),
                ("/rounds/new", [.officeStaff]),
                ("/plans", [.officeStaff, .leadingGroupMember]),
                ("/plans/new", [.officeStaff]),
                ("/coverage", [.officeStaff, .leadingGroupMember]),
                ("/inspectors", [.officeStaff]),
                ("/inspectors/new", [.officeStaff]),
                ("/inspectors/import", [.officeStaff]),
            ]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path)")
                        #expect(response.text.contains("<html lang=\"zh-Hans\">"), "\(role) \(path)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                    }
                }
            }
            let anonymous = try await client.page(.get, "/units", session: nil)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func theMenuShowsOnlyWhatTheRoleMayOpen(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let contact = try await client.page(.get, "/", session: try await f.signIn(store, .unitContact, kind: .web))
            #expect(contact.text.contains("href=\"/units\""))
            #expect(!contact.text.contains("href=\"/users\""))
            #expect(!contact.text.contains("href=\"/audit\""))
            let auditor = try await client.page(.get, "/", session: try await f.signIn(store, .auditAdministrator, kind: .web))
            #expect(auditor.text.contains("href=\"/audit\""))
            #expect(!auditor.text.contains("href=\"/units\""))
        }
    }

    @Test(arguments: TestEngine.available)
    func theUnitListPagesSortsAndShowsAHelpfulEmptyState(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            for i in 0..<30 {
                _ = try await store.createUnit(UnitDraft(name: "单位\(i + 10)", type: .school, partyOrganisation: .branch), in: f.city.id, origin: f.origin(.officeStaff))
            }
            let first = try await client.page(.get, "/units", session: office)
            #expect(first.text.components(separatedBy: "<tr><td><a href=\"/units/").count - 1 == 25)
            #expect(first.text.contains("下一页"))
            // Follow the page's own "next" link: the remaining rows, and no way further.
            let href = try #require(first.text.range(of: #"href="([^"]+)">下一页"#, options: .regularExpression).map { String(first.text[$0]) })
            let next = href.dropFirst(6).prefix { $0 != "\"" }.replacingOccurrences(of: "&amp;", with: "&")
            let second = try await client.page(.get, String(next), session: office)
            #expect(second.status == .ok)
            #expect(second.text.components(separatedBy: "<tr><td><a href=\"/units/").count - 1 == 31 - 25)
            #expect(second.text.contains("已是最后一页"))
            let empty = try await client.page(.get, "/units?q=%E4%B8%8D%E5%AD%98%E5%9C%A8", session: office)
            #expect(empty.text.contains("没有符合条件的单位"))
            let sorted = try await client.page(.get, "/units?sort=name&order=desc", session: office)
            #expect(sorted.status == .ok)
        }
    }

    @Test(arguments: TestEngine.available)
    func securityHeadersAreOnEveryAnswer(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let token = try await f.signIn(store, .officeStaff).token
            for response in [
                try await client.page(.get, "/login", session: nil), try await client.api(.get, "/api/v1/units", token: token),
                try await client.api(.get, "/api/v1/units/\(UUID().uuidString)", token: token), try await client.api(.get, "/no/such/page"),
            ] {
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
        }
    }

    func cookie(_ name: String, in response: TestResponse) -> String? {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
    }
}

@Suite("Sign-in redirect")
struct SignInRedirectTests {
    @Test(arguments: [
        ("/units?q=医院", "/units?q=%E5%8C%BB%E9%99%A2"), ("/units?type=school", "/units?type=school"), ("//evil.example", "/"), ("/\t/evil.example", "/"),
        ("https://evil.example", "/"), ("/\\evil.example", "/"), ("/%2F%2Fevil.example", "/%2F%2Fevil.example"), ("", "/"), ("/audit", "/audit"), ("/a\u{2028}b", "/"), ("/a b", "/"),
    ])
    func onlyPlainLocalPathsFollowSignIn(next: String, expected: String) {
        #expect(AuthController.safeNext(next) == expected)
    }
}
