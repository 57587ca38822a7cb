import Foundation

/// Chinese numerals as ledgers and group names write ordinals (一 … 九百九十九: 第十二巡察组,
/// 第一百零五轮), or Arabic digits. Strict: “一二” or “十十” is no number.
enum ChineseNumber {
    static let digits: [Character: Int] = ["零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    /// Whether `character` may stand in a numeral.
    static func isNumeral(_ character: Character) -> Bool {
        character.isASCII && character.isNumber || digits[character] != nil || character == "百"
    }

    static func value(_ text: String) -> Int? {
        if let n = Int(text) { return n }
        let hundreds = text.split(separator: "百", omittingEmptySubsequences: false)
        switch hundreds.count {
        case 1: return belowHundred(text)
        case 2:
            guard hundreds[0].count == 1, let h = digits[hundreds[0].first!], (1...9).contains(h) else { return nil }
            var rest = String(hundreds[1])
            if rest.isEmpty { return h * 100 }
            if rest.hasPrefix("零") {
                rest.removeFirst()
                guard rest.count == 1, let ones = digits[rest.first!], (1...9).contains(ones) else { return nil }
                return h * 100 + ones
            }
            guard let tens = belowHundred(rest), tens >= 10 else { return nil }
            return h * 100 + tens
        default: return nil
        }
    }

    /// 一 … 九十九.
    private static func belowHundred(_ text: String) -> Int? {
        let parts = text.split(separator: "十", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return text.count == 1 ? digits[text.first!].flatMap { $0 < 10 ? $0 : nil } : nil
        case 2:
            let tens = parts[0].isEmpty ? 1 : parts[0].count == 1 ? digits[parts[0].first!] : nil
            let ones = parts[1].isEmpty ? 0 : parts[1].count == 1 ? digits[parts[1].first!] : nil
            guard let tens, let ones, tens < 10, ones < 10 else { return nil }
            return tens * 10 + ones
        default: return nil
        }
    }
}
