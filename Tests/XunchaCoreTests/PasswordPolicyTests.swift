import Foundation
import Testing
import XunchaCore

/// 口令策略: length, character classes, the username, and generated passwords.
@Suite("口令策略 PasswordPolicy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    @Test func defaultsFollowCommonGovernmentPractice() {
        let settings = SecuritySettings()

        #expect(settings.minimumPasswordLength == 10)
        #expect(settings.requiredCharacterClasses == 3)
        #expect(settings.maxFailedSignIns == 5)
        #expect(settings.lockDuration == 15 * 60)
        #expect(settings.sessionIdleTimeout == 30 * 60)
        #expect(settings.sessionAbsoluteTimeout == 12 * 60 * 60)
    }

    /// Each accepted password beside its near miss with fewer classes; the same password cut to
    /// one character under the minimum is refused for its length.
    @Test(arguments: [
        ("Xuncha2026", "xuncha2026"), ("xuncha#2026", "xunchaa2026"), ("XUNCHA#2026", "XUNCHA#XXXX"),
        ("Xuncha#Ban!", "xuncha#ban!"), ("Ab1!Ab1!Ab", "AbxxAbxxAb"),
    ])
    func passwordOfMinimumLengthWithThreeClassesIsAccepted(password: String, fewerClasses: String) {
        #expect(throws: Never.self) { try policy.check(password, username: "zhangsan") }

        let tooFewClasses = #expect(throws: DomainError.self) { try policy.check(fewerClasses, username: "zhangsan") }
        let tooShort = #expect(throws: DomainError.self) { try policy.check(String(password.prefix(9)), username: "zhangsan") }

        #expect(tooFewClasses?.code == "weak_password")
        #expect(tooFewClasses?.message == "密码须包含大写字母、小写字母、数字、符号中的至少3类")
        #expect(tooShort?.message == "密码长度至少10位")
    }

    @Test func passwordShorterThanTheMinimumIsRejected() {
        let error = #expect(throws: DomainError.self) { try policy.check("Xuncha202", username: "zhangsan") }

        #expect(error?.code == "weak_password")
        #expect(error?.field == "new_password")
        #expect(error?.message.contains("10") == true)
    }

    @Test func oneHundredTwentyEightCharactersIsTheLongestPasswordAccepted() {
        let longest = "Aa1!" + String(repeating: "x", count: 124)

        #expect(throws: Never.self) { try policy.check(longest, username: "zhangsan") }
        let error = #expect(throws: DomainError.self) { try policy.check(longest + "x", username: "zhangsan") }

        #expect(error?.code == "weak_password")
        #expect(error?.field == "new_password")
        #expect(error?.message == "密码长度不能超过128位")
    }

    @Test(arguments: ["xunchaban2026", "XUNCHABAN2026", "xunchaban!!", "1234567890!!", "XunchabanXuncha"])
    func passwordWithOnlyTwoClassesIsRejected(password: String) {
        let error = #expect(throws: DomainError.self) { try policy.check(password, username: "zhangsan") }

        #expect(error?.code == "weak_password")
        #expect(error?.message.contains("至少3类") == true)
    }

    @Test(arguments: ["Zhangsan#2026", "ZHANGSAN@x1y", "#2026zhangSAN"])
    func passwordContainingTheUsernameIsRejectedWhateverTheCase(password: String) {
        let error = #expect(throws: DomainError.self) { try policy.check(password, username: "zhangsan") }

        #expect(error?.code == "weak_password")
        #expect(error?.message.contains("用户名") == true)
    }

    @Test func lengthIsCheckedBeforeClasses() {
        let error = #expect(throws: DomainError.self) { try policy.check("abc", username: "zhangsan") }

        #expect(error?.message.contains("长度") == true)
    }

    @Test func stricterSettingsAreEnforced() throws {
        var settings = SecuritySettings()
        settings.minimumPasswordLength = 12
        settings.requiredCharacterClasses = 4
        let strict = PasswordPolicy(settings: settings)

        try strict.check("Xuncha#2026a", username: "zhangsan")
        let tooShort = #expect(throws: DomainError.self) { try strict.check("Xuncha#2026", username: "zhangsan") }
        let threeClasses = #expect(throws: DomainError.self) { try strict.check("Xuncha20261a", username: "zhangsan") }

        #expect(tooShort?.message.contains("12") == true)
        #expect(threeClasses?.message.contains("至少4类") == true)
    }

    @Test func generatedPasswordsAlwaysPassTheDefaultPolicy() throws {
        for _ in 0..<2_000 {
            let password = policy.generateInitialPassword()
            try policy.check(password, username: "zhangsan")
            #expect(password.count == 14)
        }
    }

    @Test func generatedPasswordsPassTheStrictestClassRuleAndALongerMinimum() throws {
        var settings = SecuritySettings()
        settings.minimumPasswordLength = 20
        settings.requiredCharacterClasses = 4
        let strict = PasswordPolicy(settings: settings)

        for _ in 0..<1_000 {
            let password = strict.generateInitialPassword()
            try strict.check(password, username: "zhangsan")
            #expect(password.count == 20)
        }
    }

    @Test func generatedPasswordsAvoidCharactersThatLookAlikeOnPaper() {
        let lookAlikes = Set("0O1lI")

        for _ in 0..<1_000 {
            let password = policy.generateInitialPassword()
            #expect(!password.contains(where: lookAlikes.contains), "\(password)")
        }
    }

    @Test func generatedPasswordsDiffer() {
        let passwords = Set((0..<500).map { _ in policy.generateInitialPassword() })

        #expect(passwords.count == 500)
    }
}
