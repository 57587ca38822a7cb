import Foundation

/// A list's filters as they come in a URL: an absent or empty parameter filters nothing, and a
/// value that does not parse is refused rather than ignored.
public enum QueryParameters {
    /// The value of `key` parsed by `parse`; `refusal` names what is wrong with the text.
    public static func value<Value>(
        _ parameters: [String: String], _ key: String, as parse: (String) -> Value?, refusal: (String) -> DomainError
    ) throws(DomainError) -> Value? {
        guard let text = parameters[key], !text.isEmpty else { return nil }
        guard let value = parse(text) else { throw refusal(text) }
        return value
    }

    /// The committee a list is narrowed to (`jurisdiction_id`).
    public static func jurisdictionID(_ parameters: [String: String]) throws(DomainError) -> UUID? {
        try value(parameters, "jurisdiction_id", as: UUID.init(uuidString:)) { _ in
            .invalid("invalid_id", "党委编号格式不正确", english: "jurisdiction_id is not a UUID", field: "jurisdiction_id")
        }
    }
}
