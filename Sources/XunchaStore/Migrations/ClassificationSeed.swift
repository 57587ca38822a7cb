import XunchaCore

/// The shipped classification schemes as INSERT statements. Migration 6 ships version 1 of each;
/// `ClassificationCatalog.shipped` is therefore frozen: a changed vocabulary is a new version in a
/// new migration (or entered by the office), never an edit.
enum ClassificationSeed {
    static func schemeID(_ scheme: ClassificationScheme) -> String { "\(scheme.code)@\(scheme.version)" }

    static func statements(_ schemes: [ClassificationScheme]) -> [String] {
        func literal(_ text: String?) -> String { text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL" }
        return schemes.flatMap { scheme in
            ["INSERT INTO classification_schemes (id, jurisdiction_id, code, title, version, created_at) VALUES (\(literal(schemeID(scheme))), NULL, \(literal(scheme.code)), \(literal(scheme.title)), \(scheme.version), 0)"]
                + scheme.entries.enumerated().map { index, entry in
                    "INSERT INTO classification_entries (scheme_id, code, title, parent_code, position) VALUES (\(literal(schemeID(scheme))), \(literal(entry.code)), \(literal(entry.title)), \(literal(entry.parent)), \(index))"
                }
        }
    }
}
