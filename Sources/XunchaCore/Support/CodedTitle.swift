import Foundation

/// A vocabulary whose values people type either as the code or as the Chinese title: forms, CSV
/// files and the API accept both ("deadline" or "限期整改").
public protocol CodedTitle: RawRepresentable, CaseIterable where RawValue == String {
    /// 中文名称.
    var title: String { get }
}

extension CodedTitle {
    /// The value named by its code or its Chinese title, surrounding spaces ignored.
    public init?(code: String) {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard let value = Self(rawValue: text) ?? Self.allCases.first(where: { $0.title == text }) else { return nil }
        self = value
    }
}
