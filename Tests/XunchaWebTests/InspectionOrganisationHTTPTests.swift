import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 巡察机构设置 over HTTP: a committee records its leading group and office in its settings.
@Suite("巡察机构设置 HTTP")
struct InspectionOrganisationHTTPTests {
    @Test(arguments: TestEngine.available)
    func aCommitteeRecordsItsLeadingGroupAndOfficeAndAMissingFlagKeepsItsValue(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff).token
            let fresh = try await client.api(.get, "/api/v1/settings", token: office).json()
            #expect(fresh["has_leading_group"] as? Bool == false && fresh["has_office"] as? Bool == false)
            let changed = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"has_leading_group": true, "version": 0}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            let after = try changed.json()
            #expect(after["has_leading_group"] as? Bool == true && after["has_office"] as? Bool == false)
            let again = try await client.api(.put, "/api/v1/settings", token: office, json: #"{"has_office": true, "version": 1}"#).json()
            #expect(again["has_leading_group"] as? Bool == true && again["has_office"] as? Bool == true, "a flag left out keeps its value")

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/settings", session: session)
            #expect(page.text.contains(#"name="has_leading_group" value="1" checked"#) && page.text.contains("已设立巡察机构（巡察办）"))
        }
    }

    /// 归档保管期限 on the settings page: every kind with its period, a change saved and read back by the API.
    @Test(arguments: TestEngine.available)
    func theOfficeSetsTheRetentionOfEachKindOnTheSettingsPage(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/settings", session: session)
            #expect(page.text.contains(#"<option value="permanent" selected>永久</option>"#))
            #expect(page.text.contains(#"<select id="retention_ledger" name="retention_ledger">"#))
            let saved = try await client.page(
                .post, "/settings", session: session,
                form: [
                    ("_csrf", session.session.csrfToken), ("version", "0"), ("max_units_per_group", "3"), ("recent_work_years", "0"),
                    ("lead_feedback_months", "3"), ("warning_green_days", "30"), ("warning_yellow_days", "15"), ("rectification_report_months", "3"),
                    ("retention_feedback", "ten_years"),
                ])
            #expect(saved.status == .seeOther, "\(saved.text.prefix(300))")
            let office = try await f.signIn(store, .officeStaff).token
            let retention = try await client.api(.get, "/api/v1/settings", token: office).json()["retention"] as? [String: Any]
            #expect(retention?["feedback"] as? String == "ten_years", "\(String(describing: retention))")
            #expect(retention?["notice"] as? String == "permanent", "kinds left alone keep theirs")
        }
    }
}
