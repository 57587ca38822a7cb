import Foundation
import Testing
import XunchaCore

@Suite("登录限速")
struct SignInThrottleTests {
    let throttle = SignInThrottle(settings: SecuritySettings())
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func eachPauseDoublesTheLastUpToADay() {
        let minutes = (0..<10).map { throttle.pause(afterStrikes: $0) / 60 }
        #expect(Array(minutes.prefix(5)) == [15, 30, 60, 120, 240])
        #expect(throttle.pause(afterStrikes: 9) == SignInThrottle.memory)
    }

    @Test func underAttackAnUnrecognisedAddressGetsOneAttemptAndARecognisedOneItsFullAllowance() {
        #expect(throttle.limit(.pair, accountUnderAttack: true, recognised: false) == 1)
        #expect(throttle.limit(.pair, accountUnderAttack: true, recognised: true) == 5)
        #expect(throttle.limit(.pair, accountUnderAttack: false, recognised: false) == 5)
    }

    @Test func aBlockedAddressRefusesOnlyNamesItHasNotSignedInToBefore() {
        let blocked = SignInThrottle.Counter(failures: 0, strikes: 1, blockedUntil: now.addingTimeInterval(60), lastFailedAt: now)
        #expect(throttle.refusal(pair: nil, address: blocked, recognised: false, at: now) != nil)
        #expect(throttle.refusal(pair: nil, address: blocked, recognised: true, at: now) == nil)
        #expect(throttle.refusal(pair: blocked, address: nil, recognised: true, at: now) != nil)
    }
}
