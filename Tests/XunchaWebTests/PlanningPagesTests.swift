import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting
@testable import XunchaWeb

@Suite("Planning pages")
struct PlanningPagesTests {
    @Test(arguments: TestEngine.available)
    func everyPlanningPageRendersForOfficeStaff(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            _ = try await store.createPlan(
                term: "十五届", termStart: "2026-01-01", termEnd: "2030-12-31", title: "十五届市委巡察规划", targets: [PlanTarget(unitID: s.units[1].id, reason: "信访举报较多")],
                in: f.city.id, origin: f.origin(.officeStaff))
            let term = "%E5%8D%81%E4%BA%94%E5%B1%8A"
            let pages: [(String, [String])] = [
                ("/rounds", ["十五届第1轮（常规巡察）", "党委已批准", "新建轮次"]),
                ("/rounds/new", ["新建巡察轮次", "一托N", "value=\"十五届\"", "value=\"2\"", "交叉巡察"]),
                ("/rounds/\(s.round.id.text)", ["审批流转", "登记党委批准", "江委〔2026〕1号", "第1批", "组建巡察组", "开始筹备", "生成组建建议"]),
                ("/rounds/\(s.round.id.text)/proposal", ["选择批次和被巡察单位", "已默认勾选十五届规划中尚未巡察", "市教育局"]),
                ("/inspectors", ["张组长", "组长库", "人才库", "审计", "导入名册"]),
                ("/inspectors?q=%E5%AE%A1%E8%AE%A1&pool=talent&available=true", ["周审计"]),
                ("/inspectors/new", ["新增巡察干部", "入组长库须填写职级", "纪检监察"]),
                ("/inspectors/\(s.conflicted.id.text)", ["钱财政", "市财政局", "申报的回避情形", "登记回避情形"]),
                ("/inspectors/import", ["导入巡察干部名册", "enctype=\"multipart/form-data\"", "入库类别"]),
                ("/plans", ["十五届市委巡察规划", "市教育局", "信访举报较多"]),
                ("/plans/new", ["新建巡察规划", "市卫生健康委员会"]),
                ("/coverage", ["巡察全覆盖进度", "0.0%", "尚未巡察的单位", "市教育局"]),
                ("/coverage?term=\(term)", ["十五届", "coverage-total\">3<"]),
            ]
            for (path, expected) in pages {
                let response = try await client.page(.get, path, session: office)
                #expect(response.status == .ok, "\(path): \(response.status)")
                for text in expected { #expect(response.text.contains(text), "\(path) should show \(text)") }
            }
            let proposal = try await client.page(
                .get, "/rounds/\(s.round.id.text)/proposal?run=1&batch_id=\(s.batch.id.text)&unit_ids=\(s.units[1].id.text)&unit_ids=\(s.units[2].id.text)",
                session: office)
            #expect(proposal.status == .ok)
            #expect(proposal.text.contains("建议方案"))
            #expect(proposal.text.contains("组长张组长：正处级"))
            #expect(proposal.text.contains("纪检人员孙纪检（纪检监察，市纪委监委）"))
            #expect(proposal.text.contains("接受，组建勾选的巡察组"))
        }
    }

    @Test(arguments: TestEngine.available)
    func theListsShowAHelpfulEmptyState(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            #expect(try await client.page(.get, "/rounds", session: office).text.contains("新建第一个轮次"))
            #expect(try await client.page(.get, "/inspectors", session: office).text.contains("组长库和人才库还是空的"))
            #expect(try await client.page(.get, "/plans", session: office).text.contains("新建本届规划"))
            #expect(try await client.page(.get, "/coverage", session: office).text.contains("还没有轮次或规划"))
            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let rounds = try await client.page(.get, "/rounds", session: leadingGroup)
            #expect(rounds.text.contains("巡察办新建轮次并提交审议后"))
            #expect(!rounds.text.contains("href=\"/rounds/new\""))
        }
    }

    @Test(arguments: TestEngine.available)
    func rolesOutsidePlanningGetTheRefusalPageAndNoMenu(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let viewers: Set<Role> = [.officeStaff, .leadingGroupMember]
            let pages: [(String, Set<Role>)] = [
                ("/rounds", viewers), ("/rounds/\(s.round.id.text)", viewers), ("/plans", viewers), ("/coverage", viewers),
                ("/rounds/new", [.officeStaff]), ("/rounds/\(s.round.id.text)/proposal", [.officeStaff]), ("/plans/new", [.officeStaff]),
                ("/inspectors", [.officeStaff]), ("/inspectors/new", [.officeStaff]), ("/inspectors/import", [.officeStaff]),
                ("/inspectors/\(s.leader.id.text)", [.officeStaff]),
            ]
            for role in Role.allCases {
                let session = try await f.signIn(store, role, kind: .web)
                for (path, allowed) in pages {
                    let response = try await client.page(.get, path, session: session)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), "\(role) \(path): \(response.status)")
                        #expect(response.text.contains("无法完成请求"), "\(role) \(path) shows the refusal page")
                    }
                }
                let home = try await client.page(.get, "/", session: session).text
                #expect(home.contains("href=\"/rounds\"") == viewers.contains(role), "\(role) menu: rounds")
                #expect(home.contains("href=\"/inspectors\"") == (role == .officeStaff), "\(role) menu: pools")
            }
            // The leading group reviews but does not staff: no staffing forms, no pool links.
            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let page = try await client.page(.get, "/rounds/\(s.round.id.text)", session: leadingGroup)
            #expect(!page.text.contains("组建巡察组</h3>"))
            #expect(!page.text.contains("/proposal"))
            // A county office does not see the city's round at all.
            let county = try await store.createUser(
                UserDraft(username: "qh.office2", displayName: "清河巡察办", jurisdictionID: f.countyA.id, roles: try RoleSet([.officeStaff], unitGiven: false), unitID: nil),
                origin: Fixture.console)
            try await f.settle(store)
            let countyWeb = try await store.signIn(username: "qh.office2", password: county.oneTimePassword, kind: .web, clientAddress: "127.0.0.1")
            #expect(try await client.page(.get, "/rounds/\(s.round.id.text)", session: countyWeb).status == .notFound)
            #expect(try await client.page(.get, "/inspectors/\(s.leader.id.text)", session: countyWeb).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadRoundFormIsShownAgainWithTheMessageAndNothingWritten(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let good: [(String, String)] = [
                ("_csrf", office.session.csrfToken), ("term", "十五届"), ("sequence", "1"), ("kind", "special"), ("theme", "乡村振兴专项"),
                ("planned_start", "2026-03-01"), ("planned_end", "2026-06-30"), ("max_units_per_group", "3"),
            ]
            func replacing(_ name: String, _ value: String) -> [(String, String)] { good.map { $0.0 == name ? (name, value) : $0 } }
            let cases: [([(String, String)], HTTPResponse.Status, String)] = [
                (replacing("term", ""), .badRequest, "“届次”不能为空"),
                (replacing("sequence", "三"), .badRequest, "“轮次序号”须为整数"),
                (replacing("planned_end", "2026-02-01"), .badRequest, "计划结束日期不能早于开始日期"),
                (replacing("max_units_per_group", "9"), .badRequest, "每组每批最多巡察单位数须在1至5之间"),
            ]
            for (form, status, message) in cases {
                let response = try await client.page(.post, "/rounds", session: office, form: form)
                #expect(response.status == status, "\(message): \(response.status)")
                #expect(response.text.contains(message))
                #expect(response.text.contains("value=\"乡村振兴专项\""), "the form keeps what was typed")
                #expect(response.text.contains("<option value=\"special\" selected>"))
            }
            #expect(try await store.rounds(for: f.actor(.officeStaff)).isEmpty)
            let created = try await client.page(.post, "/rounds", session: office, form: good)
            #expect(created.status == .seeOther)
            #expect(created.headers[.location]?.hasPrefix("/rounds/") == true)
            let duplicate = try await client.page(.post, "/rounds", session: office, form: good)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("十五届第1轮已存在"))
            #expect(try await store.rounds(for: f.actor(.officeStaff)).count == 1)

            // 一托N defaults to the committee's own setting, on the form and when left blank.
            _ = try await store.changeSettings(of: f.city.id, maxUnitsPerGroup: 4, recentWorkYears: nil, version: 0, origin: f.origin(.officeStaff))
            #expect(try await client.page(.get, "/rounds/new", session: office).text.contains("name=\"max_units_per_group\" type=\"number\" min=\"1\" max=\"5\" value=\"4\""))
            let blank = try await client.page(
                .post, "/rounds", session: office, form: replacing("sequence", "2").map { $0.0 == "max_units_per_group" ? ($0.0, "") : $0 })
            #expect(blank.status == .seeOther)
            #expect(try await store.rounds(for: f.actor(.officeStaff)).first { $0.sequence == 2 }?.maxUnitsPerGroup == 4)
        }
    }

    @Test(arguments: TestEngine.available)
    func refusedBatchAndGroupFormsReappearOnTheRoundPageWithTheirInput(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let csrf = ("_csrf", office.session.csrfToken)
            let path = "/rounds/\(s.round.id.text)"
            let outside = try await client.page(.post, path + "/batches", session: office, form: [csrf, ("entry_date", "2026-07-01"), ("exit_date", "2026-07-20")])
            #expect(outside.status == .badRequest)
            #expect(outside.text.contains("批次日期须在本轮计划时间（2026-03-01 至 2026-06-30）之内"))
            #expect(outside.text.contains("value=\"2026-07-01\""))
            #expect(try await store.batches(of: s.round.id, for: f.actor(.officeStaff)).count == 1)
            let added = try await client.page(.post, path + "/batches", session: office, form: [csrf, ("entry_date", "2026-05-01"), ("exit_date", "2026-06-20")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == path + "?notice=batch_added#batches")
            #expect(try await store.batches(of: s.round.id, for: f.actor(.officeStaff)).count == 2)

            let unnamed = try await client.page(.post, path + "/groups", session: office, form: [csrf, ("name", " "), ("authorisation", "江委〔2026〕5号")])
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.text.contains("“巡察组名称”不能为空"))
            #expect(unnamed.text.contains("value=\"江委〔2026〕5号\""))
            #expect(try await store.groups(of: s.round.id, for: f.actor(.officeStaff)).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func theLeadingGroupAndTheOfficeTakeTheRoundThroughItsStepsOnThePage(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            let round = try await store.createRound(
                try RoundDraft.validate(term: "十五届", sequence: 2, kind: "routine", theme: nil, plannedStart: "2026-03-01", plannedEnd: "2026-06-30", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: f.origin(.officeStaff))
            let path = "/rounds/\(round.id.text)"
            func step(_ session: SignIn, _ code: String, note: String = "", version: Int) async throws -> TestResponse {
                try await client.page(.post, path + "/steps", session: session, form: [("_csrf", session.session.csrfToken), ("step", code), ("note", note), ("version", String(version))])
            }
            #expect(try await client.page(.get, path, session: leadingGroup).text.contains("当前状态下没有您可以办理的步骤。等待巡察办工作人员办理：提交领导小组审议。"))
            #expect(try await step(office, "submit_for_review", version: 1).status == .seeOther)
            let review = try await client.page(.get, path, session: leadingGroup).text
            #expect(review.contains("data-step=\"approve\""))
            #expect(review.contains("data-step=\"return\""))
            let officeView = try await client.page(.get, path, session: office).text
            #expect(!officeView.contains("data-step=\"approve\""))
            #expect(officeView.contains("等待领导小组成员办理：审议通过，报党委审批或退回修改。"))

            let noReason = try await step(leadingGroup, "return", version: 2)
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("“退回意见”不能为空"))
            let notTheirs = try await step(office, "approve", version: 2)
            #expect(notTheirs.status == .forbidden)
            #expect(try await step(leadingGroup, "return", note: "请补充被巡察单位名单", version: 2).status == .seeOther)
            #expect(try await step(office, "submit_for_review", version: 3).status == .seeOther)
            let stale = try await step(leadingGroup, "approve", version: 3)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("记录已被他人修改"))
            #expect(try await step(leadingGroup, "approve", note: "同意", version: 4).status == .seeOther)
            let noNumber = try await step(office, "record_committee_approval", version: 5)
            #expect(noNumber.text.contains("“党委批准文号”不能为空"))
            #expect(try await step(office, "record_committee_approval", note: "江委〔2026〕9号", version: 5).status == .seeOther)

            let page = try await client.page(.get, path + "?notice=step_taken", session: office).text
            #expect(page.contains("党委已批准"))
            #expect(page.contains("请补充被巡察单位名单"))
            #expect(page.contains("江委〔2026〕9号"))
            #expect(page.contains("已办理，轮次状态已更新"))
            #expect(try await store.round(round.id, for: f.actor(.officeStaff)).status == .approved)
        }
    }

    @Test(arguments: TestEngine.available)
    func aPlantedConflictIsRefusedOnThePageThenAcceptedWithAWrittenReason(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let csrf = ("_csrf", office.session.csrfToken)
            let path = "/rounds/\(s.round.id.text)"
            #expect(try await client.page(.post, path + "/groups", session: office, form: [csrf, ("name", "第一巡察组")]).status == .seeOther)
            let group = try #require(try await store.groups(of: s.round.id, for: f.actor(.officeStaff)).first)
            for (inspector, role) in [(s.leader, "leader"), (s.conflicted, "member")] {
                let added = try await client.page(
                    .post, path + "/groups/\(group.id.text)/members", session: office, form: [csrf, ("inspector_id", inspector.id.text), ("role", role)])
                #expect(added.status == .seeOther, "\(inspector.name)")
            }
            let assign = path + "/groups/\(group.id.text)/assignments"
            let refused = try await client.page(.post, assign, session: office, form: [csrf, ("unit_id", f.cityUnit.id.text), ("batch_id", s.batch.id.text)])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("存在回避情形：本单位人员（钱财政的工作单位即市财政局）"))
            #expect(refused.text.contains("name=\"override_reason\""), "the override reason field is revealed")
            #expect(refused.text.contains("<option value=\"\(f.cityUnit.id.text)\" selected>"), "the chosen unit is kept")
            #expect(try await store.groups(of: s.round.id, for: f.actor(.officeStaff)).first?.assignments.isEmpty == true)

            let accepted = try await client.page(
                .post, assign, session: office,
                form: [csrf, ("unit_id", f.cityUnit.id.text), ("batch_id", s.batch.id.text), ("override_reason", "仅核查财务凭证，已报领导小组同意")])
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location] == path + "?notice=unit_assigned#group-\(group.id.text)")
            let page = try await client.page(.get, path, session: office).text
            #expect(page.contains("市财政局"))
            #expect(page.contains("张组长"))
            let log = try await store.auditEntries(AuditQuery(action: AuditAction.conflictOverridden.rawValue), origin: f.origin(.auditAdministrator))
            #expect(log.items.first?.event.detail?.contains("已报领导小组同意") == true)

            // 一托N: a third unit for a group limited to two in the batch is refused in Chinese.
            _ = try await client.page(.post, assign, session: office, form: [csrf, ("unit_id", s.units[1].id.text), ("batch_id", s.batch.id.text)])
            let over = try await client.page(.post, assign, session: office, form: [csrf, ("unit_id", s.units[2].id.text), ("batch_id", s.batch.id.text)])
            #expect(over.status == .conflict)
            #expect(over.text.contains("一托2：该组本批次已巡察2个单位，达到上限"))
            #expect(!over.text.contains("name=\"override_reason\""), "only a conflict of interest asks for a reason")
        }
    }

    @Test(arguments: TestEngine.available)
    func pagesOfAGroupCannotBeReachedThroughAnotherRound(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let group = try await store.createGroup(in: s.round.id, name: "第一巡察组", authorisation: nil, origin: f.origin(.officeStaff))
            let other = try await store.createRound(
                try RoundDraft.validate(term: "十五届", sequence: 2, kind: "routine", theme: nil, plannedStart: "2026-07-01", plannedEnd: "2026-09-30", maxUnitsPerGroup: nil, defaultMaxUnitsPerGroup: 3),
                in: f.city.id, origin: f.origin(.officeStaff))
            let response = try await client.page(
                .post, "/rounds/\(other.id.text)/groups/\(group.id.text)/members", session: office,
                form: [("_csrf", office.session.csrfToken), ("inspector_id", s.leader.id.text), ("role", "leader")])
            #expect(response.status == .notFound)
            #expect(try await store.groups(of: s.round.id, for: f.actor(.officeStaff)).first?.members.isEmpty == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func aPoolEntryIsAddedThroughTheFormAndItsConflictsDeclared(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let csrf = ("_csrf", office.session.csrfToken)
            let base: [(String, String)] = [
                csrf, ("name", "王审计"), ("home_unit_id", ""), ("home_unit_name", "市审计局"), ("category", "audit"), ("rank", ""), ("skills", "财务审计、工程审计"),
                ("available", "1"), ("work_history", "市财政局，2021，至今"), ("relations", "市教育局，配偶，李某"),
            ]
            let noPool = try await client.page(.post, "/inspectors", session: office, form: base)
            #expect(noPool.status == .badRequest)
            #expect(noPool.text.contains("须选择组长库或人才库"))
            #expect(noPool.text.contains("市教育局，配偶，李某"), "the form keeps what was typed")
            let leaderWithoutRank = try await client.page(.post, "/inspectors", session: office, form: base + [("in_leader_pool", "1")])
            #expect(leaderWithoutRank.text.contains("入组长库须填写职级"))
            let badHistory = try await client.page(
                .post, "/inspectors", session: office, form: base.map { $0.0 == "work_history" ? ($0.0, "市财政局 多年") : $0 } + [("in_talent_pool", "1")])
            #expect(badHistory.status == .badRequest)
            #expect(badHistory.text.contains("工作经历第1行"))
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty)

            let created = try await client.page(.post, "/inspectors", session: office, form: base + [("in_talent_pool", "1")])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let page = try await client.page(.get, location, session: office).text
            #expect(page.contains("2021年至今"))
            #expect(page.contains("李某"))
            #expect(page.contains("财务审计、工程审计"))
            let inspector = try #require(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.first)
            #expect(inspector.workHistory == [WorkRecord(unitID: nil, unitName: "市财政局", fromYear: 2021, toYear: nil)])

            let conflicts = location.components(separatedBy: "?").first! + "/conflicts"
            let noReason = try await client.page(.post, conflicts, session: office, form: [csrf, ("unit_id", f.cityUnit.id.text), ("kind", "declared"), ("reason", "")])
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("“回避理由”不能为空"))
            let declared = try await client.page(
                .post, conflicts, session: office, form: [csrf, ("unit_id", f.cityUnit.id.text), ("kind", "unit_request"), ("reason", "曾在该局挂职")])
            #expect(declared.status == .seeOther)
            let after = try await client.page(.get, location.components(separatedBy: "?").first!, session: office).text
            #expect(after.contains("曾在该局挂职"))
            #expect(after.contains("被巡察单位申请回避"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aPoolEntryIsChangedOnItsFormAndLinkedToTheCadresAccount(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            _ = try await store.updateInspector(
                s.auditor.id,
                InspectorDraft(
                    name: "周审计", homeUnitName: "市审计局", category: .audit, inLeaderPool: false, inTalentPool: true,
                    workHistory: [WorkRecord(unitID: nil, unitName: "市财政局", fromYear: 2015, toYear: 2019)]),
                records: InspectorRecords(training: nil, evaluation: nil, accountUsername: nil), version: 1, origin: f.origin(.officeStaff))
            let path = "/inspectors/\(s.auditor.id.text)"
            let edit = try await client.page(.get, path + "/edit", session: office)
            #expect(edit.status == .ok)
            #expect(edit.text.contains("市财政局，2015，2019"), "the work history is shown as typed")
            #expect(edit.text.contains("name=\"version\" value=\"2\""))
            let form: [(String, String)] = [
                ("_csrf", office.session.csrfToken), ("version", "2"), ("name", "周审计"), ("home_unit_id", ""), ("home_unit_name", "市审计局"),
                ("category", "audit"), ("rank", ""), ("in_talent_pool", "1"), ("available", "1"), ("skills", "财务审计"),
                ("work_history", "市财政局，2015，2019"), ("relations", ""), ("training", "2026年巡察干部培训班"), ("evaluation", ""),
                ("account_username", "t.group.member"),
            ]
            let notAnInspector = try await client.page(.post, path, session: office, form: form.map { $0.0 == "account_username" ? ($0.0, "t.unit.head") : $0 })
            #expect(notAnInspector.status == .badRequest)
            #expect(notAnInspector.text.contains("没有巡察组组长或成员角色"))
            #expect(notAnInspector.text.contains("2026年巡察干部培训班"), "the form keeps what was typed")
            let saved = try await client.page(.post, path, session: office, form: form)
            #expect(saved.status == .seeOther)
            let page = try await client.page(.get, path, session: office).text
            #expect(page.contains("2026年巡察干部培训班"))
            #expect(page.contains("已关联"))
            #expect(try await client.page(.get, path + "/edit", session: office).text.contains("value=\"t.group.member\""), "saving again keeps the link")
            let stale = try await client.page(.post, path, session: office, form: form)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("记录已被他人修改"))
            let leadingGroup = try await f.signIn(store, .leadingGroupMember, kind: .web)
            #expect([.forbidden, .notFound].contains(try await client.page(.get, path + "/edit", session: leadingGroup).status))
        }
    }

    @Test(arguments: TestEngine.available)
    func aRosterUploadListsEveryBadRowAndWritesNothingUntilAllAreGood(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let bad = "姓名,工作单位,部门类别,职级,入库类别\n甲,市委组织部,魔法,,人才库\n乙,市审计局,审计,正处级,大库\n丙,市财政局,财务,,人才库\n"
            let refused = try await client.upload("/inspectors/import", session: office, file: bad)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("导入被拒绝，未写入任何数据"))
            #expect(refused.text.contains("<li>第2行“部门类别”列：未知的部门类别“魔法”"))
            #expect(refused.text.contains("<li>第3行“入库类别”列"))
            #expect(try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items.isEmpty)

            let withoutToken = try await client.upload("/inspectors/import", session: office, file: bad, csrf: "guess")
            #expect(withoutToken.status == .forbidden)

            let good = "\u{FEFF}姓名,工作单位,部门类别,职级,入库类别,专长\n张明,市委组织部,组织人事,正处级,组长库,干部考察\n李华,市财政局,审计,,人才库,财务审计、工程审计\n"
            let imported = try await client.upload("/inspectors/import", session: office, file: good)
            #expect(imported.status == .seeOther)
            #expect(imported.headers[.location] == "/inspectors?notice=imported")
            let list = try await store.inspectors(InspectorQuery(), for: f.actor(.officeStaff)).items
            #expect(list.map(\.name).sorted() == ["张明", "李华"])
            #expect(list.first { $0.name == "李华" }?.homeUnitID == f.cityUnit.id, "a home unit in the register is linked, for recusal")
        }
    }

    @Test(arguments: TestEngine.available)
    func aPlanIsRecordedThroughTheFormAndCoverageShowsTheTerm(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let csrf = ("_csrf", office.session.csrfToken)
            let base: [(String, String)] = [
                csrf, ("term", "十五届"), ("term_start", "2026-01-01"), ("term_end", "2030-12-31"), ("title", "十五届市委巡察规划"),
                ("target", s.units[1].id.text), ("reason_\(s.units[1].id.text)", "信访举报较多"), ("target", s.units[2].id.text),
            ]
            let backwards = try await client.page(.post, "/plans", session: office, form: base.map { $0.0 == "term_end" ? ($0.0, "2025-01-01") : $0 })
            #expect(backwards.status == .badRequest)
            #expect(backwards.text.contains("届期结束日期须晚于开始日期"))
            #expect(backwards.text.contains("value=\"信访举报较多\""))
            #expect(backwards.text.contains("value=\"\(s.units[2].id.text)\" id=\"target-\(s.units[2].id.text)\" checked"))
            #expect(try await store.plans(for: f.actor(.officeStaff)).isEmpty)
            let created = try await client.page(.post, "/plans", session: office, form: base)
            #expect(created.status == .seeOther)
            let plans = try await store.plans(for: f.actor(.officeStaff))
            #expect(plans.first?.targets.count == 2)

            let coverage = try await client.page(.get, "/coverage", session: try await f.signIn(store, .leadingGroupMember, kind: .web))
            #expect(coverage.status == .ok)
            #expect(coverage.text.contains("coverage-planned\">2<"))
            #expect(coverage.text.contains("coverage-inspected\">0<"))
            #expect(coverage.text.contains("coverage-remaining\">3<"))
            #expect(coverage.text.contains("<svg class=\"progress\""))
        }
    }

    @Test(arguments: TestEngine.available)
    func theProposalIsEditedAndAcceptedAllOrNothing(engine: TestEngine) async throws {
        try await withApp(engine) { store, f, client in
            let s = try await Scenario.planned(store, f, theme: "政治巡察")
            let office = try await f.signIn(store, .officeStaff, kind: .web)
            let path = "/rounds/\(s.round.id.text)/proposal"
            let units = [f.cityUnit, s.units[1]]
            let shown = try await client.page(
                .get, path + "?run=1&batch_id=\(s.batch.id.text)&members_per_group=3" + units.map { "&unit_ids=\($0.id.text)" }.joined(), session: office)
            #expect(shown.status == .ok)
            #expect(shown.text.contains("共1个组"))
            #expect(shown.text.contains("id=\"avoided\""), "the conflicts steered around are said")
            #expect(shown.text.contains("<li>钱财政：本单位人员（钱财政的工作单位即市财政局）</li>"), "and named")
            #expect(shown.text.contains("回避情形（1项）"))
            #expect(!shown.text.contains("<option value=\"\(s.conflicted.id.text)\" selected>"), "the planted conflict is not proposed")

            // The office puts the conflicted cadre in anyway: refused, nothing written, reason field shown.
            var form: [(String, String)] = [
                ("_csrf", office.session.csrfToken), ("batch_id", s.batch.id.text), ("members_per_group", "3"), ("groups", "1"),
                ("unit_ids", f.cityUnit.id.text), ("unit_ids", s.units[1].id.text), ("g0_include", "1"), ("g0_name", "第一巡察组"),
                ("g0_authorisation", ""), ("g0_leader", s.leader.id.text), ("g0_member", s.discipline.id.text), ("g0_role", "member"),
                ("g0_member", s.conflicted.id.text), ("g0_role", "liaison"), ("g0_member", ""), ("g0_role", "member"),
                ("g0_unit", f.cityUnit.id.text), ("g0_unit", s.units[1].id.text), ("g0_reason", "组长张组长：正处级"), ("g0_shortfall", "人才库可用人员不足"),
            ]
            let refused = try await client.page(.post, path, session: office, form: form)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("钱财政的工作单位即市财政局"))
            #expect(refused.text.contains("name=\"g0_override_reason\""))
            #expect(refused.text.contains("<option value=\"\(s.conflicted.id.text)\" selected>"), "the edit is kept")
            #expect(refused.text.contains("<option value=\"liaison\" selected>"))
            #expect(refused.text.contains("组长张组长：正处级"), "the reasons are kept")
            #expect(try await store.groups(of: s.round.id, for: f.actor(.officeStaff)).isEmpty, "all or nothing")

            form.append(("g0_override_reason", "仅负责财务凭证核查，已报领导小组同意"))
            let accepted = try await client.page(.post, path, session: office, form: form)
            #expect(accepted.status == .seeOther, "\(accepted.text)")
            #expect(accepted.headers[.location] == "/rounds/\(s.round.id.text)?notice=groups_formed#groups")
            let groups = try await store.groups(of: s.round.id, for: f.actor(.officeStaff))
            #expect(groups.map(\.name) == ["第一巡察组"])
            let group = try #require(groups.first)
            #expect(Set(group.members.map(\.name)) == ["张组长", "孙纪检", "钱财政"])
            #expect(group.members.first { $0.name == "钱财政" }?.role == .liaison)
            #expect(Set(group.assignments.map(\.unitID)) == Set(units.map(\.id)))
            let page = try await client.page(.get, "/rounds/\(s.round.id.text)?notice=groups_formed", session: office).text
            #expect(page.contains("已按建议组建巡察组"))
            #expect(page.contains("第一巡察组"))
        }
    }
}

extension TestClientProtocol {
    /// A file upload from the roster import form (`multipart/form-data`), with the session's token.
    func upload(_ uri: String, session: SignIn, file: String, csrf: String? = nil) async throws -> TestResponse {
        let boundary = "----XunchaTestBoundary7MA4YWxkTrZu0gW"
        var body = ""
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf ?? session.session.csrfToken)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名册.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
        body += "--\(boundary)--\r\n"
        return try await execute(
            uri: uri, method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: "\(AuthenticationMiddleware.cookieName)=\(session.token)"],
            body: ByteBuffer(string: body))
    }
}
