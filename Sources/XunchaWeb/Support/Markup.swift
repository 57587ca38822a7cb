/// Text placed into markup the server writes by hand (the SVG charts, the ledger's rows); templates escape through
/// Mustache. One escape serves element text and double- or single-quoted attribute values alike,
/// so no caller has to know which context it is in.
enum Markup {
    static func escaped(_ text: String) -> String {
        // Most text has nothing to escape (Chinese prose, numbers, dates): hand it back as it is.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
