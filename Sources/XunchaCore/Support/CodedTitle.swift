import Foundation

/// A vocabulary whose values people type either as the code or as the Chinese title: forms, CSV
/// files and the API accept both ("deadline" or "限期整改").
public protocol CodedTitle: RawRepresentable, CaseIterable where RawValue == String {
    /// 中文名称.
    var title: String { get }

    /// Whether people also name the value by `text`, a short form of its title ("市级" as "市");
    /// none by default.
    func isShortTitle(_ text: String) -> Bool
}

extension CodedTitle {
    public func isShortTitle(_ text: String) -> Bool { false }

    /// The value named by its code, its Chinese title or a short form of it, surrounding spaces
    /// ignored.
    public init?(code: String) {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard let value = Self(rawValue: text) ?? Self.allCases.first(where: { $0.title == text || $0.isShortTitle(text) }) else { return nil }
        self = value
    }
}
