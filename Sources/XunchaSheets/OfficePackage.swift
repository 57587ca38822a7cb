import Foundation
import ZIPFoundation

/// An Office Open XML package (.xlsx, .docx) built in memory: its parts deflated into a ZIP archive
/// by ZIPFoundation, every part dated alike so the same content gives the same bytes.
enum OfficePackage {
    /// Every part carries the same time, so the same document exports the same bytes.
    static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800)

    /// The archive of `parts` (path, XML text) in order. An archive in memory fails only on a bug
    /// (there is no disk to fill), so the writers keep their non-throwing signatures.
    static func archive(_ parts: [(String, String)]) -> Data {
        do {
            return try ZIPFolder.archive(parts.map { ($0.0, Data($0.1.utf8)) })
        } catch {
            preconditionFailure("writing an Office package in memory failed: \(error)")
        }
    }

    /// Text as XML character data or an attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 forbids most control characters; tabs and line breaks stay.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
