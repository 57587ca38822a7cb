import Foundation

/// Sign-in and password rules. Defaults follow common practice for government systems
/// (等保 level 2/3); each is a setting because deploying jurisdictions differ.
public struct SecuritySettings: Sendable, Equatable {
    /// Minimum password length.
    public var minimumPasswordLength: Int = 10
    /// How many of the four classes (upper, lower, digit, symbol) a password needs.
    public var requiredCharacterClasses: Int = 3
    /// Failed sign-ins in a row that lock the account.
    public var maxFailedSignIns: Int = 5
    /// How long a lock lasts.
    public var lockDuration: TimeInterval = 15 * 60
    /// A session ends after this long without a request.
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, whatever its use.
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 60 * 60

    public init() {}
}

/// 口令策略.
public struct PasswordPolicy: Sendable {
    public let settings: SecuritySettings

    public init(settings: SecuritySettings = .init()) {
        self.settings = settings
    }

    /// Checks a new password; the message tells the person exactly what is missing.
    public func check(_ password: String, username: String) throws(DomainError) {
        if password.count < settings.minimumPasswordLength {
            throw .invalid(
                "weak_password", "密码长度至少\(settings.minimumPasswordLength)位",
                english: "password shorter than \(settings.minimumPasswordLength)", field: "new_password")
        }
        let maximum = max(128, settings.minimumPasswordLength)
        if password.count > maximum {
            throw .invalid("weak_password", "密码长度不能超过\(maximum)位", english: "password longer than \(maximum)", field: "new_password")
        }
        var classes = 0
        if password.contains(where: { $0.isASCII && $0.isUppercase }) { classes += 1 }
        if password.contains(where: { $0.isASCII && $0.isLowercase }) { classes += 1 }
        if password.contains(where: { $0.isASCII && $0.isNumber }) { classes += 1 }
        if password.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) { classes += 1 }
        if classes < settings.requiredCharacterClasses {
            throw .invalid(
                "weak_password", "密码须包含大写字母、小写字母、数字、符号中的至少\(settings.requiredCharacterClasses)类",
                english: "password needs \(settings.requiredCharacterClasses) character classes", field: "new_password")
        }
        if password.lowercased().contains(username.lowercased()) {
            throw .invalid("weak_password", "密码不能包含用户名", english: "password contains the username", field: "new_password")
        }
    }

    /// A random password that satisfies the policy, for new accounts and resets.
    public func generateInitialPassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let lower = Array("abcdefghijkmnpqrstuvwxyz")
        let digits = Array("23456789")
        let symbols = Array("@#%+=?")
        var rng = SystemRandomNumberGenerator()
        let length = max(14, settings.minimumPasswordLength)
        var chars: [Character] = [
            upper.randomElement(using: &rng)!, lower.randomElement(using: &rng)!,
            digits.randomElement(using: &rng)!, symbols.randomElement(using: &rng)!,
        ]
        let all = upper + lower + digits + symbols
        while chars.count < length { chars.append(all.randomElement(using: &rng)!) }
        chars.shuffle(using: &rng)
        return String(chars)
    }
}
