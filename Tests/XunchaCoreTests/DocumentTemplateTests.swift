import Foundation
import Testing
@testable import XunchaCore

@Suite struct DocumentTemplateTests {
    @Test func theCustomaryTemplateKeepsTheCustomaryWordingAndFrame() {
        let template = DocumentTemplate.customary(.immediate)
        #expect(template.version == 0)
        #expect(template.text("deadline", ["整改期限": "2027年3月31日"]) == "请于2027年3月31日前完成整改，并将整改措施及成效书面报告巡察组。")
        let frame = DocumentFrame.standard(committee: "江城市委")
        #expect(template.frame(over: frame) == frame)
        #expect(template.number(year: 2027, sequence: 3) == nil, "the record keeps its own numbering")
    }

    @Test func anOfficeRewordsASlotAndRenamesTheIssuer() {
        let template = DocumentTemplate(
            kind: .immediate, version: 2, issuerMark: "中共江城市委巡察工作领导小组", numberPattern: "江巡立改〔{年}〕{序号}号",
            wording: ["deadline": "限{整改期限}前整改到位。"])
        #expect(template.text("deadline", ["整改期限": "2027年3月31日"]) == "限2027年3月31日前整改到位。")
        #expect(template.text("title") == "立行立改通知书", "a slot not reworded keeps its customary text")
        let frame = template.frame(over: .standard(committee: "江城市委"))
        #expect(frame.issuerMark == "中共江城市委巡察工作领导小组")
        #expect(frame.signature == "中共江城市委巡察工作领导小组办公室")
        #expect(template.number(year: 2027, sequence: 3) == "江巡立改〔2027〕3号")
    }

    @Test func aPlaceholderTheBuilderDoesNotFillIsRefused() {
        let typo = DocumentTemplate(kind: .immediate, wording: ["deadline": "请于{整改时限}前完成整改。"])
        let error = #expect(throws: DomainError.self) { try typo.validate() }
        #expect(error?.code == "unknown_placeholder")
        #expect(error?.message.contains("{整改期限}") == true, "the message lists what may be used")
        #expect(throws: DomainError.self) { try DocumentTemplate(kind: .notice, numberPattern: "江巡办〔{年份}〕{序号}号").validate() }
        #expect(throws: DomainError.self) { try DocumentTemplate(kind: .notice, wording: ["closing": "此致"]).validate() }
        #expect(throws: DomainError.self) { try DocumentTemplate(kind: .notice, wording: ["title": "  "]).validate() }
        #expect(throws: Never.self) {
            try DocumentTemplate(kind: .immediate, numberPattern: "江巡立改〔{年}〕{序号}号", wording: ["deadline": "限{整改期限}前"]).validate()
        }
    }

    @Test func everyKindHasATitleOrTakesItFromTheRecordAndEverySlotFillsOnlyWhatItDeclares() {
        for kind in DocumentKind.allCases {
            #expect(!kind.title.isEmpty)
            for slot in kind.slots {
                #expect(Set(DocumentTemplate.placeholders(in: slot.text)).isSubset(of: slot.placeholders), "\(kind) \(slot.name)")
            }
        }
    }
}
