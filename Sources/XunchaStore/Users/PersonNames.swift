import Foundation
import SQLKit

/// 姓名 as records carry them: people are named by 姓名, never by account; the account follows in
/// brackets only when another account has the same 姓名 ("张伟（zhangwei2）"), so two namesakes
/// stay told apart in every paper, signature and history. Decided in SQL, in this one place.
enum PersonNames {
    /// The SQL expression for the shown name of the `users` row aliased `alias`. The namesake
    /// lookup is served by `users_display_name` (migration 36).
    static func shown(_ alias: String) -> String {
        """
        CASE WHEN EXISTS (SELECT 1 FROM users namesake WHERE namesake.display_name = \(alias).display_name AND namesake.id <> \(alias).id)
        THEN \(alias).display_name || '（' || \(alias).username || '）' ELSE \(alias).display_name END
        """
    }

    /// The shown name of one account.
    static func shown(of id: UUID, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT \(unsafeRaw: shown("u")) AS shown_name FROM users u WHERE u.id = \(bind: id.text)").first()?.string("shown_name")
    }
}
