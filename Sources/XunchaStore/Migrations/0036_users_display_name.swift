// People are named by 姓名, with the account only beside a namesake's: finding namesakes is an index probe.

extension Migrations {
    /// Every session and every sign-in asks whether another account has the same 姓名
    /// (`PersonNames.shown`); this index answers it without reading the whole `users` table.
    static let v0036 = Migration(
        version: 36, name: "users by display name, to tell namesakes apart",
        statements: [
            "CREATE INDEX users_display_name ON users (display_name)"
        ])
}
