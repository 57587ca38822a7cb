import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 统计 API: the figures and the summary as JSON, under the caller's scope.
@Suite("统计 API")
struct StatisticsAPITests {
    @Test(arguments: TestEngine.available)
    func theFiguresAndTheSummaryFollowTheCallersScope(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff).token
            let head = try await f.signIn(store, .unitHead).token

            let figures = try await client.api(.get, "/api/v1/statistics?roll_up=true", token: office)
            #expect(figures.status == .ok)
            let body = try figures.json()
            #expect((body["findings"] as? [String: Any])?["deadline"] as? Int == 1)
            #expect(body["units_registered"] as? Int == 3, "the city's unit and one in each county")
            #expect(try await client.api(.get, "/api/v1/statistics", token: office).json()["units_registered"] as? Int == 1, "the city alone")
            let family = try #require(((body["findings"] as? [String: Any])?["by_classification"] as? [[String: Any]])?.first)
            #expect(family["code"] as? String == "three_important_one_large")

            let summary = try await client.api(.get, "/api/v1/statistics/summary", token: office)
            #expect((try summary.json()["text"] as? String)?.contains("发现问题1个，其中列入问题清单1个") == true)

            let unit = try await client.api(.get, "/api/v1/statistics", token: head).json()
            #expect(unit["findings"] is NSNull && unit["leads"] is NSNull, "a unit gets no finding or lead count")
            #expect(unit["rectification"] is [String: Any])

            #expect(try await client.api(.get, "/api/v1/statistics?from=2026-12-31&to=2026-01-01", token: office).errorCode == "invalid_period")
            #expect(try await client.api(.get, "/api/v1/statistics?roll_up=perhaps", token: office).errorCode == "invalid_roll_up")
            #expect(try await client.api(.get, "/api/v1/statistics?jurisdiction_id=\(f.countyA.id.text)", token: f.signIn(store, .groupMember).token).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/statistics", token: f.signIn(store, .leadCustodian).token).status == .forbidden)
        }
    }

    @Test(arguments: TestEngine.available)
    func theStatisticsPageShowsTheSummaryAndOnlyTheReadersTables(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let page = try await client.page(.get, "/statistics?roll_up=true", session: office)
            #expect(page.status == .ok)
            #expect(page.text.contains("发现问题1个，其中列入问题清单1个"))
            #expect(page.text.contains("问题线索") && page.text.contains("汇总下级党委"))
            #expect(try await client.page(.get, "/", session: office).text.contains("href=\"/statistics\""))

            let head = try await f.signIn(store, .unitHead, kind: .web)
            let unit = try await client.page(.get, "/statistics", session: head)
            #expect(unit.status == .ok)
            #expect(unit.text.contains("整改任务"))
            #expect(!unit.text.contains("<h2>问题线索</h2>") && !unit.text.contains("<h2>发现问题</h2>"))
            let custodian = try await f.signIn(store, .leadCustodian, kind: .web)
            #expect(!(try await client.page(.get, "/", session: custodian).text.contains("href=\"/statistics\"")))
            #expect(try await client.page(.get, "/statistics", session: custodian).status == .forbidden)
        }
    }

    /// A year with known totals: the feedback's 限期整改 problem, two 立行立改 papers (one also tagged
    /// 廉洁纪律) and one 不予认定. The dashboard, its drill-down, the summary and both exports say the same.
    @Test(arguments: TestEngine.available)
    func aYearWithKnownTotalsReadsTheSameOnTheDashboardInTheSummaryAndInTheExport(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            _ = try await RectificationAPITests.issuedFeedback(store, f, client)
            let member = try await f.signIn(store, .groupMember).token
            let leader = try await f.signIn(store, .groupLeader).token
            let office = try await f.signIn(store, .officeStaff).token
            let assignmentID = try #require(
                ((try await client.api(.get, "/api/v1/findings", token: office).json()["items"] as? [[String: Any]])?.first?["assignment_id"] as? String))
            let large = #"[{"scheme": "three_important_one_large", "version": 1, "entry": "large_funds"}]"#
            for (title, triage, tags) in [
                ("公务接待超标准", #""disposition": "立行立改""#, #"[{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]"#),
                ("会议费报销手续不全", #""disposition": "立行立改""#, large),
                ("反映问题查无实据", #""disposition": "不予认定", "note": "证据不足""#, large),
            ] {
                let drafted = try await client.api(
                    .post, "/api/v1/assignments/\(assignmentID)/findings", token: member,
                    json: #"{"title": "\#(title)", "manifestation": "……", "basis": "……", "tags": \#(tags)}"#)
                #expect(drafted.status == .created, "\(drafted.text)")
                let id = try #require(try drafted.json()["id"] as? String)
                _ = try await client.api(.post, "/api/v1/findings/\(id)/steps", token: member, json: #"{"step": "submit", "version": 1}"#)
                _ = try await client.api(.post, "/api/v1/findings/\(id)/steps", token: leader, json: #"{"step": "approve", "note": "同意", "version": 2}"#)
                let triaged = try await client.api(.post, "/api/v1/findings/\(id)/triage", token: leader, json: #"{\#(triage), "version": 3}"#)
                #expect(triaged.status == .ok, "\(triaged.text)")
            }

            let figures = try await client.api(.get, "/api/v1/statistics", token: office).json()
            let findings = try #require(figures["findings"] as? [String: Any])
            #expect([findings["total"], findings["immediate"], findings["deadline"], findings["not_recognised"]].map { $0 as? Int } == [3, 2, 1, 1])
            let units = try #require(figures["units_inspected"] as? Int)
            // Counts by a dimension are labelled objects: 四种形态 too, all four, zeros included.
            let forms = try #require((figures["leads"] as? [String: Any])?["by_form"] as? [[String: Any]], "by_form is a list of objects")
            #expect(forms.map { $0["code"] as? String } == ["1", "2", "3", "4"])
            #expect(forms.map { $0["title"] as? String } == ["第一种形态", "第二种形态", "第三种形态", "第四种形态"])
            #expect(forms.map { $0["count"] as? Int } == [0, 0, 0, 0])
            let leads = try #require(figures["leads"] as? [String: Any])
            #expect((leads["by_subject"] as? [[String: Any]])?.map { $0["code"] as? String } == ["discipline", "personnel", "other"])
            #expect((leads["by_authority"] as? [[String: Any]])?.map { $0["code"] as? String } == ["committee", "lower", "none"])
            #expect(findings["immediate_completed"] as? Int == 0)
            let summary = try #require(try await client.api(.get, "/api/v1/statistics/summary", token: office).json()["text"] as? String)
            #expect(summary.hasPrefix("共巡察\(units)个党组织（单位）"))
            #expect(summary.contains("发现问题3个，其中立行立改2件、列入问题清单1个"))

            let session = try await f.signIn(store, .officeStaff, kind: .web)
            let dashboard = try await client.page(.get, "/statistics", session: session)
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains(summary), "the page carries the same summary")
            #expect(dashboard.text.contains(#"<svg class="chart""#), "charts are drawn on the server")
            #expect(dashboard.text.contains(#"href="/statistics/records?measure=findings.immediate">2</a>"#), "a count links to its records")
            #expect(dashboard.text.contains(#"<span class="tile-value">3</span><span class="tile-label">发现问题</span>"#))
            #expect(dashboard.text.contains("measure=classification.six_disciplines.integrity"))
            #expect(!dashboard.text.contains("measure=leads."), "the office counts leads but opens none")

            let drill = try await client.api(.get, "/api/v1/statistics/records?measure=findings.immediate", token: office)
            #expect(drill.status == .ok)
            let listed = try drill.json()
            #expect(listed["total"] as? Int == 2)
            #expect(Set((listed["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }) == ["公务接待超标准", "会议费报销手续不全"])
            let page = try await client.page(.get, "/statistics/records?measure=findings.not_recognised", session: session)
            #expect(page.text.contains("反映问题查无实据") && page.text.contains("不予认定的底稿"))
            #expect(try await client.api(.get, "/api/v1/statistics/records?measure=leads.transferred", token: office).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/statistics/records?measure=findings.all", token: office).errorCode == "unknown_measure")
            let head = try await f.signIn(store, .unitHead).token
            #expect(try await client.api(.get, "/api/v1/statistics/records?measure=findings.total", token: head).status == .forbidden, "a unit never lists findings")

            let csv = try await client.api(.get, "/api/v1/statistics?format=csv", token: office)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("\u{FEFF}类别,项目,数值"))
            for line in ["发现问题,问题总数,3", "发现问题,立行立改,2", "发现问题,限期整改（列入问题清单）,1", "发现问题,不予认定（不计入总数）,1", "巡察覆盖,已巡察单位,\(units)"] {
                #expect(csv.text.contains(line + "\r\n"), "\(line)")
            }
            #expect(csv.text.contains("年度综述,," + summary))
            // Every figure of the page is in the export with the same value, and nothing else is.
            let exported = Set(csv.text.dropFirst().split(separator: "\r\n").dropFirst().map(String.init).filter { !$0.hasPrefix("年度综述") })
            #expect(exported == Self.figures(onPage: dashboard.text))
            #expect(exported.count > 30, "coverage, findings, two classifications, leads, tasks, rules, pools")
            let byUnit = try await client.api(.get, "/api/v1/statistics/breakdown?by=unit", token: office).json()
            let unitRows = try #require(byUnit["rows"] as? [[String: Any]])
            #expect(unitRows.compactMap { $0["findings"] as? Int }.reduce(0, +) == 3, "the units' rows add up to the total")
            #expect(dashboard.text.contains("分单位统计"))
            let unitCSV = try await client.api(.get, "/api/v1/statistics?format=csv&table=unit", token: office).text
            #expect(unitCSV.hasPrefix("\u{FEFF}单位,发现问题,立行立改,限期整改,移交线索,整改任务,已销号,逾期,整改率\r\n"))
            #expect(unitCSV.contains("市财政局,3,2,1,0,0,0,0,—\r\n"), "\(unitCSV)")
            #expect(try await client.api(.get, "/api/v1/statistics?format=csv&table=everything", token: office).errorCode == "unknown_table")
            #expect(try await client.api(.get, "/api/v1/statistics/breakdown?by=street", token: office).errorCode == "unknown_breakdown")
            let xlsx = try await client.page(.get, "/statistics/export?format=xlsx", session: session)
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B], "a ZIP archive")
            #expect(try await client.page(.get, "/statistics/export?format=pdf", session: session).status == .badRequest)
        }
    }

    /// The dashboard's tables as `表,项目,数值` lines, read from the HTML.
    static func figures(onPage html: String) -> Set<String> {
        var lines: Set<String> = []
        for panel in html.components(separatedBy: #"<section class="panel">"#).dropFirst() {
            guard let title = panel.firstMatch(of: /<h2>([^<]*)<\/h2>/)?.1 else { continue }
            for row in panel.matches(of: /<th scope="row">([^<]*)<\/th><td class="number">(?:<a href="[^"]*">)?([^<]*)</) {
                lines.insert("\(title),\(row.1),\(row.2)")
            }
        }
        return lines
    }
}
