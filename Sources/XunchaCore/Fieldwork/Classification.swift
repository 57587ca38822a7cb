import Foundation

/// 问题分类: the vocabularies a finding is tagged with (domain §1.6). Which ones a committee uses
/// changed over the years, so each scheme is versioned: a finding keeps the version it was tagged
/// with, and the office adds a new version without a code change.
public struct ClassificationScheme: Sendable, Equatable {
    /// Stable across versions: "six_disciplines".
    public var code: String
    public var title: String
    public var version: Int
    public var entries: [ClassificationEntry]

    public init(code: String, title: String, version: Int, entries: [ClassificationEntry]) {
        self.code = code
        self.title = title
        self.version = version
        self.entries = entries
    }

    public func entry(_ code: String) -> ClassificationEntry? { entries.first { $0.code == code } }

    /// The path of an entry for display: "四风 › 享乐主义和奢靡之风 › 违规吃喝".
    public func path(of code: String) -> String {
        var names: [String] = []
        var current = entry(code)
        while let e = current {
            names.insert(e.title, at: 0)
            current = e.parent.flatMap(entry)
        }
        return ([title] + names).joined(separator: " › ")
    }

    /// Checks a scheme the office submits: codes and titles present and unique, parents known,
    /// no cycles.
    public func validated() throws(DomainError) -> ClassificationScheme {
        var scheme = self
        scheme.code = try TextRules.requiredLine(code, field: "code", label: "分类代码", maxLength: 40)
        guard scheme.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .invalid("invalid_code", "分类代码只能包含英文字母、数字和下划线", english: "code must be [A-Za-z0-9_]", field: "code")
        }
        scheme.title = try TextRules.requiredLine(title, field: "title", label: "分类名称", maxLength: 40)
        guard !entries.isEmpty else { throw DomainError.required("entries", label: "分类条目") }
        var seen = Set<String>()
        var cleaned: [ClassificationEntry] = []
        for (index, raw) in entries.enumerated() {
            let code = try TextRules.requiredLine(raw.code, field: "entries", label: "第\(index + 1)个条目的代码", maxLength: 40)
            let title = try TextRules.requiredLine(raw.title, field: "entries", label: "第\(index + 1)个条目的名称", maxLength: 80)
            guard seen.insert(code).inserted else {
                throw .invalid("duplicate_entry", "条目代码“\(code)”重复", english: "duplicate entry code", field: "entries")
            }
            cleaned.append(ClassificationEntry(code: code, title: title, parent: raw.parent.flatMap { $0.isEmpty ? nil : $0 }))
        }
        for entry in cleaned {
            var hops = 0
            var parent = entry.parent
            while let p = parent {
                guard let found = cleaned.first(where: { $0.code == p }) else {
                    throw .invalid("unknown_parent", "条目“\(entry.title)”的上级“\(p)”不存在", english: "unknown parent entry", field: "entries")
                }
                hops += 1
                guard hops <= cleaned.count else {
                    throw .invalid("cyclic_entries", "条目“\(entry.title)”的上下级关系成环", english: "entries form a cycle", field: "entries")
                }
                parent = found.parent
            }
        }
        scheme.entries = cleaned
        return scheme
    }
}

/// One term of a scheme, possibly under another ("违规吃喝" under "享乐主义和奢靡之风").
public struct ClassificationEntry: Sendable, Equatable, Codable {
    public var code: String
    public var title: String
    public var parent: String?

    public init(code: String, title: String, parent: String? = nil) {
        self.code = code
        self.title = title
        self.parent = parent
    }
}

/// A tag on a finding: an entry of one version of one scheme.
public struct ClassificationTag: Sendable, Hashable, Codable {
    public var scheme: String
    public var version: Int
    public var entry: String

    public init(scheme: String, version: Int, entry: String) {
        self.scheme = scheme
        self.version = version
        self.entry = entry
    }
}

/// The schemes shipped with Xuncha (version 1 of each; `fourForms` came with a later release). Shipped versions are never edited: a
/// changed vocabulary ships, or is entered by the office, as a new version.
public enum ClassificationCatalog {
    public static let shipped: [ClassificationScheme] = [
        ClassificationScheme(
            code: "three_major", title: "三大问题", version: 1,
            entries: [
                .init(code: "leadership_weakened", title: "党的领导弱化"),
                .init(code: "party_building_missing", title: "党的建设缺失"),
                .init(code: "strict_governance_weak", title: "全面从严治党不力"),
            ]),
        ClassificationScheme(
            code: "four_implementations", title: "四个落实", version: 1,
            entries: [
                .init(code: "theory_and_decisions", title: "落实党的理论路线方针政策和党中央重大决策部署"),
                .init(code: "two_responsibilities", title: "落实全面从严治党主体责任和监督责任"),
                .init(code: "organisational_line", title: "落实新时代党的组织路线"),
                .init(code: "rectification", title: "落实巡视巡察、审计等监督发现问题整改"),
            ]),
        ClassificationScheme(
            code: "six_disciplines", title: "六项纪律", version: 1,
            entries: [
                .init(code: "political", title: "政治纪律"),
                .init(code: "organisational", title: "组织纪律"),
                .init(code: "integrity", title: "廉洁纪律"),
                .init(code: "mass", title: "群众纪律"),
                .init(code: "work", title: "工作纪律"),
                .init(code: "conduct", title: "生活纪律"),
            ]),
        ClassificationScheme(
            code: "four_winds", title: "四风", version: 1,
            entries: [
                .init(code: "formalism_bureaucratism", title: "形式主义、官僚主义"),
                .init(code: "orders_not_obeyed", title: "贯彻党中央决策部署有令不行、有禁不止或表态多调门高、行动少落实差", parent: "formalism_bureaucratism"),
                .init(code: "inaction", title: "履职尽责不作为、乱作为", parent: "formalism_bureaucratism"),
                .init(code: "harming_the_masses", title: "在联系服务群众中消极应付、冷硬横推、侵害群众利益", parent: "formalism_bureaucratism"),
                .init(code: "burdening_grassroots", title: "文山会海、督查检查考核过多过频，加重基层负担", parent: "formalism_bureaucratism"),
                .init(code: "hedonism_extravagance", title: "享乐主义、奢靡之风"),
                .init(code: "gifts", title: "违规收送名贵特产和礼品礼金", parent: "hedonism_extravagance"),
                .init(code: "banqueting", title: "违规吃喝", parent: "hedonism_extravagance"),
                .init(code: "weddings_funerals", title: "违规操办婚丧喜庆", parent: "hedonism_extravagance"),
                .init(code: "allowances", title: "违规发放津补贴或福利", parent: "hedonism_extravagance"),
                .init(code: "tourism", title: "公款旅游以及违规接受管理和服务对象等旅游活动安排", parent: "hedonism_extravagance"),
                .init(code: "other_hedonism", title: "其他（公车私用、超标准接待、办公用房超标等）", parent: "hedonism_extravagance"),
            ]),
        ClassificationScheme(
            code: "three_important_one_large", title: "三重一大", version: 1,
            entries: [
                .init(code: "major_decisions", title: "重大事项决策"),
                .init(code: "cadre_appointments", title: "重要干部任免"),
                .init(code: "major_projects", title: "重要项目安排"),
                .init(code: "large_funds", title: "大额度资金使用"),
            ]),
        ClassificationScheme(
            code: "fiscal_funds", title: "违规使用财政资金", version: 1,
            entries: [
                .init(code: "slush_fund", title: "设立“小金库”"),
                .init(code: "diversion", title: "挤占挪用专项资金"),
                .init(code: "false_claims", title: "虚报冒领、套取财政资金"),
                .init(code: "over_standard_spending", title: "超范围、超标准支出"),
                .init(code: "other_fiscal", title: "其他违反财经纪律问题"),
            ]),
        ClassificationScheme(
            code: "cadre_selection", title: "选人用人", version: 1,
            entries: [
                .init(code: "procedure_violations", title: "违反干部选拔任用程序"),
                .init(code: "over_establishment", title: "超职数、超规格配备干部"),
                .init(code: "promotion_despite_problems", title: "“带病提拔”、“带病上岗”"),
                .init(code: "file_falsification", title: "干部人事档案造假"),
                .init(code: "personal_matters", title: "领导干部个人有关事项报告不实"),
                .init(code: "other_selection", title: "其他选人用人问题"),
            ]),
    ]

    /// 四种形态: how a finding's people are expected to be dealt with, shipped in migration 11.
    public static let fourForms = ClassificationScheme(
        code: "four_forms", title: "四种形态", version: 1,
        entries: [
            .init(code: "first", title: "第一种形态（谈话提醒、批评教育、责令检查、诫勉）"),
            .init(code: "second", title: "第二种形态（轻处分、组织调整）"),
            .init(code: "third", title: "第三种形态（重处分、重大职务调整）"),
            .init(code: "fourth", title: "第四种形态（严重违纪涉嫌违法立案审查）"),
        ])

    /// Every scheme shipped, in display order.
    public static var all: [ClassificationScheme] { shipped + [fourForms] }
}
