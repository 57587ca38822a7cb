// Roles proposed for an account (an account import), which the security administrator approves once.

extension Migrations {
    /// 拟授角色: the roles a console import proposes for a new account and the unit unit roles act for.
    /// The account holds no role until the security administrator approves the proposal (三员分立).
    static let v0031 = Migration(
        version: 31, name: "role proposals on accounts",
        statements: [
            "ALTER TABLE users ADD COLUMN proposed_roles TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE users ADD COLUMN proposed_unit_id TEXT REFERENCES units(id)",
        ])
}
