import Foundation

/// One schema change. Statements are written once; `{{C}}` marks where PostgreSQL needs the
/// binary collation that SQLite uses anyway, so both engines sort and page identically.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: [String]
    /// Statements for one engine only, run after the shared ones (full-text indexes differ).
    public var sqliteOnly: [String]
    public var postgresOnly: [String]

    public init(version: Int, name: String, statements: [String], sqliteOnly: [String] = [], postgresOnly: [String] = []) {
        self.version = version
        self.name = name
        self.statements = statements
        self.sqliteOnly = sqliteOnly
        self.postgresOnly = postgresOnly
    }

    /// A migration whose statements differ by engine, each described once (the counters' triggers).
    init(version: Int, name: String, each engines: some EngineStatements) {
        self.init(version: version, name: name, statements: [], sqliteOnly: engines.sqlite, postgresOnly: engines.postgres)
    }

    /// The statements exactly as they run on `engine`, in order (what `releasedMigrationsAreNeverEdited` pins).
    public func sql(for engine: DatabaseEngine) -> [String] {
        (statements + (engine == .postgres ? postgresOnly : sqliteOnly))
            .map { $0.replacingOccurrences(of: "{{C}}", with: engine == .postgres ? " COLLATE \"C\"" : "") }
    }
}

/// Statements written for each engine from one description.
protocol EngineStatements {
    var sqlite: [String] { get }
    var postgres: [String] { get }
}
