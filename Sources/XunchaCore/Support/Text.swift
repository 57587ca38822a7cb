import Foundation

/// Rules for free text typed by people: trimmed, bounded, free of control characters.
public enum TextRules {
    /// Trims and checks a required single-line value.
    public static func requiredLine(_ value: String?, field: String, label: String, maxLength: Int) throws(DomainError) -> String {
        try present(try optionalLine(value, field: field, label: label, maxLength: maxLength), field: field, label: label)
    }

    /// Trims and checks an optional single-line value; blank becomes nil.
    public static func optionalLine(_ value: String?, field: String, label: String, maxLength: Int) throws(DomainError) -> String? {
        guard let raw = value else { return nil }
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty { return nil }
        if line.count > maxLength { throw tooLong(field: field, label: label, maxLength: maxLength) }
        // Control, format (zero-width, bidirectional overrides) and line-separator characters are
        // invisible and can disguise a name as another.
        let invisible: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]
        if line.unicodeScalars.contains(where: { invisible.contains($0.properties.generalCategory) }) {
            throw .invalid("control_characters", "“\(label)”含有不可见字符（控制符、零宽字符或方向控制符）", english: "\(field) contains control characters", field: field)
        }
        return line
    }

    /// Trims and checks required multi-line text.
    public static func requiredText(_ value: String?, field: String, label: String, maxLength: Int) throws(DomainError) -> String {
        try present(try optionalText(value, field: field, label: label, maxLength: maxLength), field: field, label: label)
    }

    /// Trims and checks optional multi-line text (a notice, a record): line breaks are kept
    /// (CRLF becomes LF), every other invisible character is refused as in a line.
    public static func optionalText(_ value: String?, field: String, label: String, maxLength: Int) throws(DomainError) -> String? {
        guard let raw = value else { return nil }
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            _ = try optionalLine(String(line).replacingOccurrences(of: "\t", with: " "), field: field, label: label, maxLength: maxLength)
        }
        if text.count > maxLength { throw tooLong(field: field, label: label, maxLength: maxLength) }
        return text
    }

    /// A checked value that must be there: blank is refused as missing.
    private static func present(_ value: String?, field: String, label: String) throws(DomainError) -> String {
        guard let value else { throw DomainError.required(field, label: label) }
        return value
    }

    private static func tooLong(field: String, label: String, maxLength: Int) -> DomainError {
        .invalid("too_long", "“\(label)”不能超过\(maxLength)个字", english: "\(field) exceeds \(maxLength) characters", field: field)
    }
}
