import Foundation
import Testing
import XunchaCore

/// UUIDv7 record ids and the millisecond timestamps every record stores.
@Suite("标识 UUIDv7 and epoch milliseconds")
struct IdentifierTests {
    static let instant = Date(epochMilliseconds: 1_767_225_600_123)

    func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test func idsCarryVersionSevenAndTheRFCVariant() {
        let generator = UUIDv7Generator(clock: FixedClock(date: Self.instant))

        for _ in 0..<1_000 {
            let id = bytes(generator.next())
            #expect(id[6] >> 4 == 0x7)
            #expect(id[8] >> 6 == 0b10)
        }
    }

    @Test func textFormShowsTheVersionDigit() {
        let text = UUIDv7Generator(clock: FixedClock(date: Self.instant)).next().text

        #expect(Array(text)[14] == "7")
        #expect(text == text.lowercased())
        #expect(text.count == 36)
    }

    @Test func firstFortyEightBitsAreTheClocksMilliseconds() {
        let id = bytes(UUIDv7Generator(clock: FixedClock(date: Self.instant)).next())

        let millis = id[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }

        #expect(millis == 1_767_225_600_123)
    }

    @Test func idsAreOrderedByTimeForIncreasingClockValues() {
        let offsets: [Int64] = [0, 1, 2, 255, 256, 1_000, 65_536, 86_400_000, 31_536_000_000]

        let texts = offsets.map { offset in
            UUIDv7Generator(clock: FixedClock(date: Date(epochMilliseconds: 1_767_225_600_000 + offset))).next().text
        }

        #expect(texts == texts.sorted())
        #expect(Set(texts).count == texts.count)
    }

    @Test func idsOfTheSameMillisecondStillDiffer() {
        let generator = UUIDv7Generator(clock: FixedClock(date: Self.instant))

        let ids = Set((0..<1_000).map { _ in generator.next() })

        #expect(ids.count == 1_000)
    }

    @Test func uuidTextIsLowerCase() {
        let id = UUID(uuidString: "0198A000-0000-7000-8000-00000000ABCD")!

        #expect(id.text == "0198a000-0000-7000-8000-00000000abcd")
    }

    @Test(arguments: [Int64(0), 1, 999, 1_767_225_600_123, 4_102_444_800_000, -86_400_001])
    func epochMillisecondsRoundTrip(millis: Int64) {
        #expect(Date(epochMilliseconds: millis).epochMilliseconds == millis)
    }

    @Test func epochMillisecondsRoundToTheNearestMillisecond() {
        #expect(Date(timeIntervalSince1970: 1.0004).epochMilliseconds == 1_000)
        #expect(Date(timeIntervalSince1970: 1.0006).epochMilliseconds == 1_001)
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    @Test func theFastFormAgreesWithFoundationBothWays() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(id.text == id.uuidString.lowercased())
            #expect(UUID(text: id.text) == id)
            #expect(UUID(text: id.uuidString) == id)
        }
    }

    @Test(arguments: ["", "not-a-uuid", "0198a000-0000-7000-8000-00000000000", "0198a000-0000-7000-8000-00000000000g", "0198a000x0000-7000-8000-000000000000", "0198a000-0000-7000-8000-0000000000001"])
    func malformedTextIsRefused(text: String) {
        #expect(UUID(text: text) == nil)
    }

    /// Digests stored before the hand-written form must still compare equal: every byte reads as
    /// `printf`'s `%02x` wrote it.
    @Test func bytesAreWrittenInHexadecimalAsPrintfWroteThem() {
        for byte in UInt8.min...UInt8.max {
            #expect([byte].hexadecimal == String(format: "%02x", byte))
        }
        #expect([UInt8]().hexadecimal == "")
        #expect("Xuncha 巡察".utf8.hexadecimal == "58756e63686120e5b7a1e5af9f")
        #expect([UInt8](repeating: 0xab, count: 32).lazy.prefix(8).hexadecimal == "abababababababab")
    }
}

@Suite("UUIDv7 sequence")
struct UUIDv7SequenceTests {
    @Test func idsMadeInTheSameMillisecondSortInTheOrderTheyWereMade() {
        let generator = UUIDv7Generator(clock: FixedClock(date: Date(timeIntervalSince1970: 1_798_000_000)))
        let ids = (0..<5_000).map { _ in generator.next().text }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }
}
