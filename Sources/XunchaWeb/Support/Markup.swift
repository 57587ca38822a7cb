/// Text placed into markup the server writes by hand (the SVG charts); templates escape through
/// Mustache. One escape serves element text and double- or single-quoted attribute values alike,
/// so no caller has to know which context it is in.
enum Markup {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
