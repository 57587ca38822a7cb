import Foundation
import Testing
import XunchaCore
import XunchaStore
import XunchaTesting

/// 整改报告 and 整改公开: the unit writes to issued feedback, the head signs by his own account over
/// exactly the text sent, the office accepts or returns; the office prepares the public text from an
/// accepted report, the leading group approves, and only then may it be published.
@Suite("整改报告与整改公开 store")
struct RectificationReportStoreTests {
    /// The head of another unit of the same committee.
    static func otherUnitHead(_ store: Store, _ f: Fixture) async throws -> RequestOrigin {
        let other = try await store.createUnit(
            UnitDraft(name: "市统计局", type: .municipalDepartment, partyOrganisation: .leadershipGroup), in: f.city.id, origin: Fixture.console)
        return try await Scenario.unitHead(of: other.id, username: "t.other.head", displayName: "统计局书记", store, f)
    }

    @Test(arguments: TestEngine.available)
    func onlyIssuedFeedbackTakesAReportAndOnlyTheUnitsOwnAccountsWriteIt(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store, issue: false)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.draftRectificationReport(for: t.feedback.id, kind: .rectification, title: "报告", body: "正文", origin: t.head)
            }
            #expect(early?.code == "feedback_not_issued")
            let feedback = try await store.take(FeedbackStep.issue, on: t.feedback.id, note: nil, version: t.feedback.version, origin: t.office)

            await #expect(throws: DomainError.forbidden, "the office reads, never writes the unit's report") {
                _ = try await store.draftRectificationReport(for: feedback.id, kind: .rectification, title: "报告", body: "正文", origin: t.office)
            }
            let stranger = try await Self.otherUnitHead(store, t.f)
            await #expect(throws: DomainError.notFound, "another unit's feedback does not exist for it") {
                _ = try await store.draftRectificationReport(for: feedback.id, kind: .rectification, title: "报告", body: "正文", origin: stranger)
            }
            let blank = await #expect(throws: DomainError.self) {
                _ = try await store.draftRectificationReport(for: feedback.id, kind: .rectification, title: "报告", body: "  ", origin: t.contact)
            }
            #expect(blank?.field == "body")
            #expect(try await store.rectificationReports(for: t.f.actor(.officeStaff)).items.isEmpty, "nothing was written")

            let report = try await store.draftRectificationReport(
                for: feedback.id, kind: .headOrganising, title: "主要负责人组织落实整改情况报告", body: "本人作为第一责任人……", origin: t.contact)
            #expect(report.due == feedback.document.reportDue)
            #expect(report.status == .draft && report.signature == nil)
            #expect(!report.isOverdue(today: feedback.document.reportDue))
            #expect(report.isOverdue(today: try CalendarDay(text: "2027-03-01", field: "d", label: "d")))
            let twice = await #expect(throws: DomainError.self) {
                _ = try await store.draftRectificationReport(for: feedback.id, kind: .headOrganising, title: "再报", body: "正文", origin: t.head)
            }
            #expect(twice?.code == "report_exists")
            _ = try await store.draftRectificationReport(for: feedback.id, kind: .progress, title: "进展一", body: "正文", origin: t.head)
            _ = try await store.draftRectificationReport(for: feedback.id, kind: .progress, title: "进展二", body: "正文", origin: t.head)

            await #expect(throws: DomainError.notFound) { _ = try await store.rectificationReport(report.id, for: stranger.actor) }
            #expect(try await store.rectificationReports(for: stranger.actor).items.isEmpty, "another unit sees none of it")
            await #expect(throws: DomainError.notFound) {
                _ = try await store.editRectificationReport(report.id, title: "改", body: "改", version: report.version, origin: stranger)
            }
            for role in [Role.officeStaff, .leadingGroupMember, .disciplineReceiver, .organisationReceiver, .unitHead, .unitContact] {
                #expect(try await store.rectificationReports(for: t.f.actor(role)).items.count == 3, "\(role)")
            }
            for role in [Role.groupLeader, .groupMember, .leadCustodian, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.rectificationReports(for: t.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.rectificationReport(report.id, for: t.f.actor(role)) }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theHeadSignsExactlyTheTextSentAndAReturnedReportIsSignedAgain(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            var report = try await store.draftRectificationReport(
                for: t.feedback.id, kind: .rectification, title: "整改情况报告", body: "已完成整改任务12项。", origin: t.contact)
            for origin in [t.contact, t.office, t.leadingGroup] {
                let refused = await #expect(throws: DomainError.self) {
                    _ = try await store.take(RectificationReportStep.sign, on: report.id, note: nil, version: report.version, origin: origin)
                }
                #expect(refused?.code == "step_not_allowed", "\(origin.actor.name)")
            }
            let stranger = try await Self.otherUnitHead(store, t.f)
            await #expect(throws: DomainError.notFound, "another unit's head") {
                _ = try await store.take(RectificationReportStep.sign, on: report.id, note: nil, version: report.version, origin: stranger)
            }
            let untouched = try await store.rectificationReport(report.id, for: t.office.actor)
            #expect(untouched.version == report.version && untouched.signature == nil && untouched.status == .draft, "nothing written")
            #expect(try await store.history(RectificationReportLifecycle.self, of: report.id, for: t.office.actor).isEmpty)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.take(RectificationReportStep.submit, on: report.id, note: nil, version: report.version, origin: t.contact)
            }
            #expect(early?.code == "invalid_transition", "unsigned reports are not sent")

            report = try await store.take(RectificationReportStep.sign, on: report.id, note: nil, version: report.version, origin: t.head)
            let signature = try #require(report.signature)
            #expect(signature.signerID == t.f.users[.unitHead]?.id)
            #expect(signature.signerName == t.head.actor.displayName)
            // sha256 of "整改情况报告\n整改情况报告\n已完成整改任务12项。" (kind, title, body), computed outside Swift.
            #expect(signature.digest == "e8d2570b7c5b69115ca6edba8f5feaff36818564a05851c3d037724ba8a9637f")
            report = try await store.take(RectificationReportStep.submit, on: report.id, note: nil, version: report.version, origin: t.contact)
            #expect(report.submittedAt != nil)
            await #expect(throws: DomainError.self, "the unit does not review itself") {
                _ = try await store.take(RectificationReportStep.accept, on: report.id, note: nil, version: report.version, origin: t.head)
            }
            let bare = await #expect(throws: DomainError.self) {
                _ = try await store.take(RectificationReportStep.return, on: report.id, note: " ", version: report.version, origin: t.office)
            }
            #expect(bare?.field == "note")
            report = try await store.take(RectificationReportStep.return, on: report.id, note: "未逐项说明整改成效", version: report.version, origin: t.office)
            #expect(report.status == .returned && report.reviewNote == "未逐项说明整改成效")

            report = try await store.editRectificationReport(
                report.id, title: "整改情况报告", body: "已完成整改任务12项，逐项成效如下……", version: report.version, origin: t.contact)
            #expect(report.status == .draft && report.signature == nil, "a changed text must be signed again")
            report = try await store.take(RectificationReportStep.sign, on: report.id, note: nil, version: report.version, origin: t.head)
            #expect(report.signature?.digest.count == 64)
            #expect(report.signature?.digest != signature.digest)
            report = try await store.take(RectificationReportStep.submit, on: report.id, note: nil, version: report.version, origin: t.head)
            report = try await store.take(RectificationReportStep.accept, on: report.id, note: nil, version: report.version, origin: t.office)
            #expect(report.status == .accepted)
            let frozen = await #expect(throws: DomainError.self) {
                _ = try await store.editRectificationReport(report.id, title: "改", body: "改", version: report.version, origin: t.contact)
            }
            #expect(frozen?.code == "report_not_editable")
            let steps = try await store.history(RectificationReportLifecycle.self, of: report.id, for: t.f.actor(.disciplineReceiver))
            #expect(steps.map(\.step.rawValue) == ["sign", "submit", "return", "sign", "submit", "accept"])
            #expect(steps[2].note == "未逐项说明整改成效")
            let audited = try await store.auditEntries(AuditQuery(action: AuditAction.rectificationReportStep.rawValue), origin: t.f.origin(.auditAdministrator))
            #expect(audited.items.count == 6)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDisclosureIsPublishedOnlyOnceTheLeadingGroupApprovedItAndThePublicSeesOnlyPublishedPublicTexts(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let t = try await Scenario.feedbackIssued(store)
            let pending = try await store.draftRectificationReport(for: t.feedback.id, kind: .progress, title: "进展", body: "正文", origin: t.contact)
            let early = await #expect(throws: DomainError.self) {
                _ = try await store.draftDisclosure(from: pending.id, title: nil, text: nil, exemptions: [], channel: .public, origin: t.office)
            }
            #expect(early?.code == "report_not_accepted")
            let report = try await t.acceptedReport(store)
            let unknown = await #expect(throws: DomainError.self) {
                _ = try await store.draftDisclosure(from: report.id, title: nil, text: nil, exemptions: ["个人隐私"], channel: .public, origin: t.office)
            }
            #expect(unknown?.code == "unknown_exemption")
            await #expect(throws: DomainError.forbidden) {
                _ = try await store.draftDisclosure(from: report.id, title: nil, text: nil, exemptions: [], channel: .public, origin: t.leadingGroup)
            }

            var disclosure = try await store.draftDisclosure(
                from: report.id, title: "市财政局党组关于巡察整改情况的通报", text: nil, exemptions: ["pending_case", "国家秘密"], channel: .public, origin: t.office)
            #expect(disclosure.text == report.body, "prefilled with the accepted report")
            #expect(disclosure.exemptions == [.stateSecret, .pendingCase])
            #expect(disclosure.status == .draft)

            let unapproved = await #expect(throws: DomainError.self) {
                _ = try await store.take(DisclosureStep.publish, on: disclosure.id, note: nil, version: disclosure.version, origin: t.office)
            }
            #expect(unapproved?.code == "disclosure_not_approved")
            #expect(try await store.disclosure(disclosure.id, for: t.office.actor).version == disclosure.version, "nothing written")
            #expect(try await store.publicDisclosures(of: t.f.city.id)?.page.items.isEmpty == true)
            await #expect(throws: DomainError.self, "the office does not approve its own text") {
                _ = try await store.take(DisclosureStep.approve, on: disclosure.id, note: nil, version: disclosure.version, origin: t.office)
            }

            disclosure = try await store.take(DisclosureStep.return, on: disclosure.id, note: "删去涉案内容", version: disclosure.version, origin: t.leadingGroup)
            #expect(disclosure.status == .returned && disclosure.reviewNote == "删去涉案内容")
            let noCirculation = await #expect(throws: DomainError.self) {
                _ = try await store.recordCirculation(
                    of: disclosure.id, try InternalCirculation.validate(number: "江巡办〔2027〕3号", scope: "市直各单位党组织", date: "2027-03-10"),
                    version: disclosure.version, origin: t.office)
            }
            #expect(noCirculation?.code == "disclosure_not_approved")
            disclosure = try await store.editDisclosure(
                disclosure.id, title: disclosure.title, text: "一、整改工作总体情况……", exemptions: ["pending_case"], channel: .public, version: disclosure.version,
                origin: t.office)
            #expect(disclosure.status == .draft)
            disclosure = try await store.take(DisclosureStep.approve, on: disclosure.id, note: nil, version: disclosure.version, origin: t.leadingGroup)
            disclosure = try await store.recordCirculation(
                of: disclosure.id, try InternalCirculation.validate(number: "江巡办〔2027〕3号", scope: "市直各单位党组织", date: "2027-03-10"),
                version: disclosure.version, origin: t.office)
            #expect(disclosure.circulation?.number == "江巡办〔2027〕3号")
            #expect(try await store.publicDisclosures(of: t.f.city.id)?.page.items.isEmpty == true, "approved is not yet published")
            await #expect(throws: DomainError.self, "the leading group approves, the office publishes") {
                _ = try await store.take(DisclosureStep.publish, on: disclosure.id, note: nil, version: disclosure.version, origin: t.leadingGroup)
            }
            disclosure = try await store.take(DisclosureStep.publish, on: disclosure.id, note: nil, version: disclosure.version, origin: t.office)
            #expect(disclosure.status == .published && disclosure.publishedOn != nil)

            // An internal one, published too, never reaches the public page.
            var internalOne = try await store.draftDisclosure(from: report.id, title: "单位内部公开", text: "内部", exemptions: [], channel: .unitInternal, origin: t.office)
            internalOne = try await store.take(DisclosureStep.approve, on: internalOne.id, note: nil, version: internalOne.version, origin: t.leadingGroup)
            internalOne = try await store.take(DisclosureStep.publish, on: internalOne.id, note: nil, version: internalOne.version, origin: t.office)

            let shown = try #require(try await store.publicDisclosures(of: t.f.city.id))
            #expect(shown.committee == t.f.city.name)
            #expect(shown.page.items.map(\.id) == [disclosure.id])
            #expect(try await store.publicDisclosure(disclosure.id)?.disclosure.text == "一、整改工作总体情况……")
            #expect(try await store.publicDisclosure(internalOne.id) == nil)
            #expect(try await store.publicDisclosures(of: t.f.countyA.id)?.page.items.isEmpty == true, "another committee publishes its own")
            #expect(try await store.publicDisclosures(of: UUID()) == nil)

            // Newest first, a page at a time.
            (store.clock as? TestClock)?.advance(by: 86_400)
            var later = try await store.draftDisclosure(from: report.id, title: "第二次公开", text: "整改进展", exemptions: [], channel: .public, origin: t.office)
            later = try await store.take(DisclosureStep.approve, on: later.id, note: nil, version: later.version, origin: t.leadingGroup)
            later = try await store.take(DisclosureStep.publish, on: later.id, note: nil, version: later.version, origin: t.office)
            let first = try #require(try await store.publicDisclosures(of: t.f.city.id, page: PageRequest(limit: 1)))
            #expect(first.page.items.map(\.id) == [later.id])
            let cursor = try #require(first.page.nextCursor)
            let second = try #require(try await store.publicDisclosures(of: t.f.city.id, page: try PageRequest.validate(limit: "1", cursor: cursor)))
            #expect(second.page.items.map(\.id) == [disclosure.id])

            #expect(try await store.history(DisclosureLifecycle.self, of: disclosure.id, for: t.leadingGroup.actor).map(\.step.rawValue) == ["return", "approve", "publish"])
            for role in [Role.unitHead, .unitContact, .groupLeader, .disciplineReceiver, .systemAdministrator] {
                await #expect(throws: DomainError.forbidden, "\(role)") { _ = try await store.disclosures(for: t.f.actor(role)) }
                await #expect(throws: DomainError.notFound, "\(role)") { _ = try await store.disclosure(internalOne.id, for: t.f.actor(role)) }
            }
        }
    }
}
