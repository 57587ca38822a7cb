import Foundation

// 普遍性、倾向性问题 (domain §2.4 SystemicIssue): a problem found at several units of a round or a
// year. Two signals find them: a classification item carried by findings of at least N distinct
// units (counted in SQL by the store), and finding texts that read alike across units (compared
// here). The office turns a selection into a 专题报告 to the functional department that sets the
// rules for that field (e.g. 市财政局 for 津补贴), which answers with the rule changes it made.

/// The findings analysed: approved papers triaged as 立行立改 or 限期整改. A paper handed over as a
/// lead never enters the analysis, so a report to a department cannot reveal a lead; an untriaged
/// one waits until it is triaged; a dropped one is not a problem.
public enum SystemicAnalysis {
    public static let dispositions: [Disposition] = [.immediate, .deadline]
    /// The fewest and most distinct units a committee may require (本级参数 `systemic_unit_threshold`).
    public static let unitThresholdRange = 2...50
    public static let defaultUnitThreshold = 3
    /// Dice similarity of two texts' character bigrams above which they read alike.
    public static let defaultSimilarity = 0.5
    public static let similarityRange = 0.3...0.95
    /// The most texts compared in one request: the newest approved ones. Beyond that the page says
    /// the comparison was capped and asks for a narrower round or year.
    public static let textLimit = 5_000
}

/// What narrows the analysis: a round, a year (by approval day), and the similarity wanted.
public struct SystemicQuery: Sendable, Equatable {
    public var roundID: UUID?
    public var year: Int?
    public var similarity: Double

    public init(roundID: UUID? = nil, year: Int? = nil, similarity: Double = SystemicAnalysis.defaultSimilarity) {
        self.roundID = roundID
        self.year = year
        self.similarity = similarity
    }

    public func validated() throws(DomainError) -> SystemicQuery {
        if let year, !(2000...2100).contains(year) {
            throw .invalid("invalid_year", "年度须在2000至2100之间", english: "year out of range", field: "year")
        }
        guard SystemicAnalysis.similarityRange.contains(similarity) else {
            throw .invalid("invalid_similarity", "相似度须在0.3至0.95之间", english: "similarity must be 0.3-0.95", field: "similarity")
        }
        return self
    }

    /// The year as the statistics period (approval days in Asia/Shanghai).
    public var statisticsFilter: StatisticsFilter {
        StatisticsFilter(from: year.map { CalendarDay(year: $0, month: 1, day: 1) }, to: year.map { CalendarDay(year: $0, month: 12, day: 31) }, roundID: roundID)
    }
}

/// A unit named in a systemic problem, with how many of its findings it carries.
public struct AffectedUnit: Sendable, Equatable {
    public var unitID: UUID
    public var unitName: String
    public var findings: Int

    public init(unitID: UUID, unitName: String, findings: Int) {
        self.unitID = unitID
        self.unitName = unitName
        self.findings = findings
    }
}

/// A classification item, by its scheme version and entry code.
public struct ClassificationItemKey: Sendable, Hashable, Comparable {
    public var schemeID: String
    public var entryCode: String

    public init(schemeID: String, entryCode: String) {
        self.schemeID = schemeID
        self.entryCode = entryCode
    }

    /// `six_disciplines@1|integrity`, the value a form's checkbox carries.
    public var text: String { schemeID + "|" + entryCode }

    public init(text: String) throws(DomainError) {
        let parts = text.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalid("invalid_item", "分类项目“\(text)”格式不正确", english: "item must be scheme_id|entry_code", field: "items")
        }
        self.init(schemeID: parts[0], entryCode: parts[1])
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.schemeID, lhs.entryCode) < (rhs.schemeID, rhs.entryCode) }
}

/// A classification item found at `threshold` or more distinct units.
public struct RecurringItem: Sendable, Equatable {
    public var key: ClassificationItemKey
    /// The family (scheme) title, e.g. 六项纪律.
    public var familyTitle: String
    public var title: String
    public var findings: Int
    public var units: [AffectedUnit]

    public init(key: ClassificationItemKey, familyTitle: String, title: String, findings: Int, units: [AffectedUnit]) {
        self.key = key
        self.familyTitle = familyTitle
        self.title = title
        self.findings = findings
        self.units = units
    }
}

/// One finding's problem text as compared.
public struct ProblemText: Sendable, Equatable {
    public var findingID: UUID
    public var unitID: UUID
    public var unitName: String
    public var title: String
    public var manifestation: String

    public init(findingID: UUID, unitID: UUID, unitName: String, title: String, manifestation: String) {
        self.findingID = findingID
        self.unitID = unitID
        self.unitName = unitName
        self.title = title
        self.manifestation = manifestation
    }

    public var text: String { title + "。" + manifestation }
}

/// Texts that read alike at several units; `units` counts distinct units.
public struct SimilarTextGroup: Sendable, Equatable {
    public var texts: [ProblemText]
    public var units: [AffectedUnit]
    /// The lowest similarity of a pair that joined the group.
    public var weakestLink: Double

    public init(texts: [ProblemText], units: [AffectedUnit], weakestLink: Double) {
        self.texts = texts
        self.units = units
        self.weakestLink = weakestLink
    }
}

/// The analysis as the office reads it.
public struct SystemicProblems: Sendable, Equatable {
    public var unitThreshold: Int
    public var similarity: Double
    public var recurringItems: [RecurringItem]
    public var similarGroups: [SimilarTextGroup]
    /// Texts compared, and whether more existed than `SystemicAnalysis.textLimit`.
    public var textsCompared: Int
    public var capped: Bool

    public init(unitThreshold: Int, similarity: Double, recurringItems: [RecurringItem], similarGroups: [SimilarTextGroup], textsCompared: Int, capped: Bool) {
        self.unitThreshold = unitThreshold
        self.similarity = similarity
        self.recurringItems = recurringItems
        self.similarGroups = similarGroups
        self.textsCompared = textsCompared
        self.capped = capped
    }
}

/// Character n-gram similarity of Chinese text. Chinese has no spaces to split words on, so texts
/// are compared by their sets of adjacent character pairs (bigrams), which catch shared terms such
/// as 津补贴 or 公务接待 whatever words surround them.
public enum TextSimilarity {
    /// Drops whitespace, punctuation, symbols and digits: amounts and dates differ from unit to
    /// unit and say nothing about whether two problems are the same kind.
    public static func normalised(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            switch p.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                kept.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            default:
                continue
            }
        }
        return String(kept)
    }

    /// The distinct character n-grams of the normalised text; a text shorter than n is its own shingle.
    public static func shingles(_ text: String, n: Int = 2) -> Set<String> {
        let characters = Array(normalised(text))
        guard !characters.isEmpty else { return [] }
        guard characters.count > n else { return [String(characters)] }
        var result = Set<String>()
        result.reserveCapacity(characters.count)
        for start in 0...(characters.count - n) { result.insert(String(characters[start..<(start + n)])) }
        return result
    }

    /// Dice's coefficient 2|A∩B| / (|A|+|B|): 1 for the same shingles, 0 for none shared.
    public static func dice(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        return 2 * Double(a.intersection(b).count) / Double(a.count + b.count)
    }

    public static func dice(_ a: String, _ b: String) -> Double { dice(shingles(a), shingles(b)) }

    /// Groups texts that read alike at different units: a pair joins when its similarity reaches
    /// `threshold` and its texts belong to different units (a unit's own near-duplicates are one
    /// problem there, not a sign of a systemic one); groups are the connected pairs, kept when
    /// they span at least `minimumUnits` distinct units, widest first.
    ///
    /// Fast on thousands of texts: shingles are ranked rarest first and each text is indexed by the
    /// prefix of its ranked shingles that any text as similar as `threshold` must share with it
    /// (prefix filtering), so pairs that share only common bigrams such as 问题 are never scored.
    public static func group(_ texts: [ProblemText], threshold: Double, minimumUnits: Int) -> [SimilarTextGroup] {
        let sets = texts.map { shingles($0.text) }
        var frequency: [String: Int] = [:]
        for set in sets { for shingle in set { frequency[shingle, default: 0] += 1 } }
        let ranked = sets.map { set in set.sorted { (frequency[$0]!, $0) < (frequency[$1]!, $1) } }

        var index: [String: [Int]] = [:]
        var parent = Array(texts.indices)
        var weakest: [Int: Double] = [:]
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for i in texts.indices where !ranked[i].isEmpty {
            // Dice ≥ t needs an overlap of at least t·|A|/(2−t) with any partner.
            let size = ranked[i].count
            let overlap = Int((threshold * Double(size) / (2 - threshold)).rounded(.up))
            let prefix = ranked[i].prefix(max(1, size - overlap + 1))
            var candidates = Set<Int>()
            for shingle in prefix {
                for j in index[shingle, default: []] where texts[j].unitID != texts[i].unitID { candidates.insert(j) }
                index[shingle, default: []].append(i)
            }
            for j in candidates {
                let similarity = dice(sets[i], sets[j])
                guard similarity >= threshold else { continue }
                let (a, b) = (root(i), root(j))
                let link = min(similarity, weakest[a] ?? 1, weakest[b] ?? 1)
                if a != b {
                    parent[a] = b
                    weakest[a] = nil
                }
                weakest[b] = link
            }
        }
        var members: [Int: [Int]] = [:]
        for i in texts.indices { members[root(i), default: []].append(i) }
        var groups: [SimilarTextGroup] = []
        for (top, indices) in members where indices.count > 1 {
            let grouped = indices.map { texts[$0] }
            let units = affectedUnits(grouped)
            guard units.count >= minimumUnits else { continue }
            groups.append(SimilarTextGroup(texts: grouped.sorted { ($0.unitName, $0.title) < ($1.unitName, $1.title) }, units: units, weakestLink: weakest[top] ?? 1))
        }
        return groups.sorted { ($0.units.count, $0.texts.count, $1.texts[0].title) > ($1.units.count, $1.texts.count, $0.texts[0].title) }
    }

    static func affectedUnits(_ texts: [ProblemText]) -> [AffectedUnit] {
        var counts: [UUID: AffectedUnit] = [:]
        for text in texts { counts[text.unitID, default: AffectedUnit(unitID: text.unitID, unitName: text.unitName, findings: 0)].findings += 1 }
        return counts.values.sorted { ($0.unitName, $0.unitID.uuidString) < ($1.unitName, $1.unitID.uuidString) }
    }
}
