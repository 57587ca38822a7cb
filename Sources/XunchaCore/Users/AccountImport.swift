import Foundation

/// `xuncha import accounts FILE.csv`: accounts from a spreadsheet (姓名, 账号, 单位, 角色), all rows
/// or none. The roles a row names are only proposed (拟授角色): who opens an account does not decide
/// what it may do, so the security administrator approves each account's proposal once.
public struct AccountImportPlan: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var username: String
        public var displayName: String
        /// The roles proposed for the security administrator's approval; empty when none.
        public var proposedRoles: Set<Role>
        /// The unit a unit role acts for, by name (resolved in the jurisdiction by the store).
        public var unitName: String?
    }

    public static let columns: [UnitImportPlan.Column] = [
        .init(key: "name", title: "姓名", required: true),
        .init(key: "username", title: "账号", required: true),
        .init(key: "unit", title: "单位", required: false),
        .init(key: "roles", title: "角色", required: false),
    ]

    /// Several roles in one cell are separated by 、 or ; (also ；, ，, ,).
    static let roleSeparators: Set<Character> = ["、", ";", "；", ",", "，"]

    /// A problem of one row, said with its row and column.
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var text: String

        public init(line: Int, column: String, _ message: String) {
            self.init(line: line, text: UnitImportPlan.Column.problem(line: line, column: column, message))
        }

        init(line: Int, text: String) {
            self.line = line
            self.text = text
        }
    }

    /// The good rows.
    public var rows: [Row]
    /// What is wrong with the other rows. The store adds what only the database knows (usernames
    /// taken, unknown units) and rejects the file with every problem at once.
    public var problems: [Problem]

    /// The error rejecting the file, every problem in row order, or nil when there is none.
    public static func rejection(_ problems: [Problem]) -> DomainError? {
        problems.isEmpty ? nil : UnitImportPlan.rejection(problems.sorted { $0.line < $1.line }.map(\.text))
    }

    /// Reads the file. A header, empty or oversized file is refused at once; row problems are
    /// collected in `problems`, each naming its row and column.
    public static func plan(_ table: CSVTable) throws(DomainError) -> AccountImportPlan {
        var headerProblems: [String] = []
        let indexOf = UnitImportPlan.Column.positions(of: columns, in: table.header, problems: &headerProblems)
        if !headerProblems.isEmpty { throw UnitImportPlan.rejection(headerProblems) }
        if table.rows.isEmpty { throw .invalid("empty_file", "文件没有数据行", english: "file has no data rows") }
        if table.rows.count > UnitImportPlan.maximumRows {
            throw .invalid("too_many_rows", "一次最多导入\(UnitImportPlan.maximumRows)行", english: "at most \(UnitImportPlan.maximumRows) rows per file")
        }
        var rows: [Row] = []
        var problems: [Problem] = []
        var firstLineOfUsername: [String: Int] = [:]
        for record in table.rows {
            func value(_ key: String) -> String {
                guard let index = indexOf[key], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            func problem(_ column: String, _ text: String) { problems.append(Problem(line: record.line, column: column, text)) }
            if let width = UnitImportPlan.Column.widthProblem(of: record, in: table) {
                problems.append(Problem(line: record.line, text: width))
                continue
            }
            let before = problems.count
            var displayName = ""
            do { displayName = try TextRules.requiredLine(value("name"), field: "display_name", label: "姓名", maxLength: 40) } catch { problem("姓名", error.message) }
            var username = ""
            do {
                username = try UserDraft.validUsername(value("username"))
                if let earlier = firstLineOfUsername[username] {
                    problem("账号", "与第\(earlier)行重复（“\(username)”）")
                } else {
                    firstLineOfUsername[username] = record.line
                }
            } catch {
                problem("账号", error.message)
            }
            var unitName: String?
            do { unitName = try TextRules.optionalLine(value("unit"), field: "unit", label: "单位", maxLength: 100) } catch { problem("单位", error.message) }
            var roles = Set<Role>()
            for code in value("roles").split(whereSeparator: { roleSeparators.contains($0) }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !code.isEmpty {
                guard let role = Role(code: code) else {
                    problem("角色", "未知的角色“\(code)”（可用：\(Role.allCases.filter { !$0.isAdministrator }.map(\.title).joined(separator: "、"))）")
                    continue
                }
                if role.isAdministrator {
                    problem("角色", "三员角色“\(role.title)”只能在控制台用 xuncha user add 授予")
                    continue
                }
                roles.insert(role)
            }
            guard problems.count == before else { continue }
            if roles.isEmpty {
                if unitName != nil { problem("单位", "只有被巡察单位角色可以指定所属单位；未拟授角色的账号请留空") }
            } else {
                // The combination is checked now, so the security administrator's approval cannot fail on it.
                do { _ = try RoleSet(roles, unitGiven: unitName != nil) } catch { problem(error.field == "unit_id" ? "单位" : "角色", error.message) }
            }
            guard problems.count == before else { continue }
            rows.append(Row(line: record.line, username: username, displayName: displayName, proposedRoles: roles, unitName: unitName))
        }
        return AccountImportPlan(rows: rows, problems: problems)
    }
}
