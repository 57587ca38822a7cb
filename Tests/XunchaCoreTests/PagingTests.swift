import Foundation
import Testing
import XunchaCore

/// Keyset cursors and page requests.
@Suite("分页 Cursor and PageRequest")
struct PagingTests {
    let id = "0198a000-0000-7000-8000-00000000000a"

    @Test(arguments: ["某某县财政局", "1767225600000", "", "a\"quoted\" / slash + plus", "ASCII name"])
    func cursorRoundTripsThroughItsToken(key: String) throws {
        let cursor = Cursor(key: key, id: id)

        let decoded = try Cursor(token: cursor.token)

        #expect(decoded == cursor)
    }

    @Test func tokenIsURLSafe() {
        let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        // Keys whose JSON bytes encode to '+', '/' and padding in standard base64.
        let keys = ["???", ">>>", "~~~~", "巡察办", "ÿ", "a"]
        let standardBase64 = keys.map { try! JSONEncoder().encode(Cursor(key: $0, id: id)).base64EncodedString() }
        #expect(standardBase64.contains { $0.contains("+") }, "no key exercises '+'")
        #expect(standardBase64.contains { $0.contains("/") }, "no key exercises '/'")
        #expect(standardBase64.contains { $0.hasSuffix("=") }, "no key exercises padding")

        for key in keys {
            let token = Cursor(key: key, id: id).token
            #expect(token.allSatisfy(urlSafe.contains), "\(token)")
        }
    }

    @Test func cursorOfTheLongestChineseUnitNameIsAccepted() throws {
        let cursor = Cursor(key: String(repeating: "巡", count: 100), id: id)

        #expect(try Cursor(token: cursor.token) == cursor)
    }

    /// The unit list uses the unit name as the cursor key, so the server must accept the cursor
    /// it issues after any name `UnitDraft` accepts. Names may use rare characters outside the
    /// Basic Multilingual Plane (CJK Extension B and later, 4 bytes each in UTF-8).
    @Test func cursorOfEveryValidUnitNameIsAccepted() throws {
        let draft = try UnitDraft.validate(
            name: String(repeating: "𠀀", count: 100), type: "other", partyOrganisation: "branch", parentUnitID: nil, headName: nil)
        let cursor = Cursor(key: draft.name, id: id)

        let decoded = try Cursor(token: cursor.token)

        #expect(decoded == cursor)
    }

    @Test(arguments: ["***", "not a cursor", "%7B%7D", "e30", "eyJrZXkiOjF9", "AAAA"])
    func tokenThatIsNotACursorIsRejected(token: String) {
        let error = #expect(throws: DomainError.self) { try Cursor(token: token) }

        #expect(error?.code == "invalid_cursor")
        #expect(error?.field == "cursor")
        #expect(error?.kind == .invalidInput)
    }

    @Test func tamperedTokenIsRejected() {
        let token = Cursor(key: "某某县财政局", id: id).token
        let tampered = "A" + token.dropFirst()

        let error = #expect(throws: DomainError.self) { try Cursor(token: tampered) }

        #expect(error?.code == "invalid_cursor")
    }

    @Test func truncatedTokenIsRejected() {
        let token = Cursor(key: "某某县财政局", id: id).token

        let error = #expect(throws: DomainError.self) { try Cursor(token: String(token.prefix(token.count / 2))) }

        #expect(error?.code == "invalid_cursor")
    }

    @Test func oversizedTokenIsRejectedEvenWhenItDecodes() {
        let token = Cursor(key: String(repeating: "x", count: 1_600), id: id).token
        #expect(token.count > 2_048)

        let error = #expect(throws: DomainError.self) { try Cursor(token: token) }

        #expect(error?.code == "invalid_cursor")
    }

    @Test func emptyRequestUsesTheDefaultPage() throws {
        let request = try PageRequest.validate(limit: nil, cursor: nil)
        let blank = try PageRequest.validate(limit: "", cursor: "")

        #expect(request == PageRequest(limit: 25, after: nil))
        #expect(blank == request)
    }

    @Test(arguments: [("1", 1), ("25", 25), ("100", 100)])
    func limitWithinBoundsIsAccepted(text: String, limit: Int) throws {
        #expect(try PageRequest.validate(limit: text, cursor: nil).limit == limit)
    }

    @Test(arguments: ["0", "101", "-1", "ten", "2.5", " 10", "99999999999999999999"])
    func limitOutsideBoundsIsRejected(text: String) {
        let error = #expect(throws: DomainError.self) { try PageRequest.validate(limit: text, cursor: nil) }

        #expect(error?.code == "invalid_limit")
        #expect(error?.field == "limit")
    }

    @Test func requestCarriesTheDecodedCursor() throws {
        let cursor = Cursor(key: "某某县财政局", id: id)

        let request = try PageRequest.validate(limit: "10", cursor: cursor.token)

        #expect(request.after == cursor)
        #expect(request.limit == 10)
    }

    @Test func requestWithABadCursorIsRejected() {
        let error = #expect(throws: DomainError.self) { try PageRequest.validate(limit: "10", cursor: "***") }

        #expect(error?.code == "invalid_cursor")
    }
}

/// Unit register queries from URL parameters.
@Suite("单位查询 UnitQuery")
struct UnitQueryTests {
    @Test func noParametersGiveTheDefaultQuery() throws {
        let query = try UnitQuery.validate([:])

        #expect(query == UnitQuery())
        #expect(query.sort == .name)
        #expect(query.order == .ascending)
        #expect(query.page.limit == PageRequest.defaultLimit)
    }

    @Test func everyParameterIsParsed() throws {
        let cursor = Cursor(key: "1767225600000", id: Tree.unitA.text, order: "created-desc")

        let query = try UnitQuery.validate([
            "q": " 财政 ", "type": "党政机关部门", "party_organisation": "leadership_group",
            "jurisdiction_id": Tree.countyA.id.uuidString, "sort": "created", "order": "desc", "limit": "50",
            "cursor": cursor.token,
        ])

        #expect(query.search == "财政")
        #expect(query.type == .municipalDepartment)
        #expect(query.partyOrganisation == .leadershipGroup)
        #expect(query.jurisdictionID == Tree.countyA.id)
        #expect(query.sort == .created)
        #expect(query.order == .descending)
        #expect(query.page == PageRequest(limit: 50, after: cursor))
    }

    @Test func emptyParametersAreIgnored() throws {
        let query = try UnitQuery.validate(["q": "", "type": "", "party_organisation": "", "jurisdiction_id": "", "sort": "", "order": ""])

        #expect(query == UnitQuery())
    }

    @Test(arguments: ["size", "Name", "name desc"])
    func unknownSortIsRejected(sort: String) {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["sort": sort]) }

        #expect(error?.code == "unknown_sort")
        #expect(error?.field == "sort")
    }

    @Test(arguments: ["up", "ascending", "1"])
    func unknownOrderIsRejected(order: String) {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["order": order]) }

        #expect(error?.code == "unknown_order")
        #expect(error?.field == "order")
    }

    @Test func unknownTypeIsRejected() {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["type": "bureau"]) }

        #expect(error?.code == "unknown_unit_type")
        #expect(error?.field == "type")
    }

    @Test func unknownPartyOrganisationIsRejected() {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["party_organisation": "club"]) }

        #expect(error?.code == "unknown_party_organisation")
        #expect(error?.field == "party_organisation")
    }

    @Test func malformedJurisdictionIdIsRejected() {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["jurisdiction_id": "countyA"]) }

        #expect(error?.code == "invalid_id")
        #expect(error?.field == "jurisdiction_id")
    }

    @Test func searchWithControlCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["q": "财政\u{0}局"]) }

        #expect(error?.code == "control_characters")
        #expect(error?.field == "q")
    }

    @Test func searchLongerThanOneHundredCharactersIsRejected() {
        let error = #expect(throws: DomainError.self) { try UnitQuery.validate(["q": String(repeating: "财", count: 101)]) }

        #expect(error?.code == "too_long")
        #expect(error?.field == "q")
    }

    @Test func badPageParametersAreRejected() {
        let limit = #expect(throws: DomainError.self) { try UnitQuery.validate(["limit": "1000"]) }
        let cursor = #expect(throws: DomainError.self) { try UnitQuery.validate(["cursor": "garbage!"]) }

        #expect(limit?.code == "invalid_limit")
        #expect(cursor?.code == "invalid_cursor")
    }
}
