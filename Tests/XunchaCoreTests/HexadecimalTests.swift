import Foundation
import Testing
import XunchaCore

/// Digests and days are written digit by digit, exactly as the `printf` formats they replace wrote
/// them, so that every digest stored before still compares equal.
@Suite struct HexadecimalTests {
    @Test func everyByteIsWrittenAsPrintfWroteIt() {
        for byte in UInt8.min...UInt8.max {
            #expect([byte].hexadecimal == String(format: "%02x", byte))
        }
        #expect([UInt8]().hexadecimal == "")
        #expect(Array("abc".utf8).hexadecimal == "616263")
    }

    @Test func numbersArePaddedAsPrintfPadsThem() {
        for width in 1...6 {
            for number in [-12_345, -100, -5, 0, 7, 42, 999, 2026, 123_456_789] {
                #expect(number.zeroPadded(width) == String(format: "%0\(width)d", number), "\(number) to \(width)")
            }
        }
    }

    @Test func aDayIsWrittenYearMonthDay() {
        #expect(CalendarDay(year: 2026, month: 3, day: 9).description == "2026-03-09")
        #expect(CalendarDay(year: 5, month: 12, day: 31).description == "0005-12-31")
    }
}
