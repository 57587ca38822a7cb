import Testing
@testable import XunchaCore
@Test func placeholder() { #expect(true) }
