import Foundation
import Synchronization

/// Source of the current time. Injected everywhere so tests are deterministic.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Source of new record identifiers.
public protocol IDGenerator: Sendable {
    func next() -> UUID
}

/// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then random bits.
/// Time-ordered ids keep B-tree inserts at the right edge of the index, which matters at
/// millions of rows; the sequence (RFC 9562 method 1) keeps ids made in the same millisecond in
/// the order they were made, so "ORDER BY id" is creation order even under a stopped test clock.
public final class UUIDv7Generator: IDGenerator {
    private let clock: any Clock
    private let state = Mutex<(millis: UInt64, sequence: UInt16)>((0, 0))

    public init(clock: any Clock = SystemClock()) {
        self.clock = clock
    }

    public func next() -> UUID {
        let now = UInt64(max(0, clock.now().timeIntervalSince1970 * 1000))
        let (millis, sequence) = state.withLock { last -> (UInt64, UInt16) in
            if now > last.millis {
                last = (now, 0)
            } else if last.sequence < 0x0FFF {
                last.sequence += 1
            } else {
                last = (last.millis + 1, 0)
            }
            return last
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 {
            bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - UInt64(i))))
        }
        var rng = SystemRandomNumberGenerator()
        for i in 8..<16 {
            bytes[i] = UInt8.random(in: 0...255, using: &rng)
        }
        bytes[6] = 0x70 | UInt8(sequence >> 8)  // version 7, then the sequence's high 4 bits
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}

extension UUID {
    /// The canonical lower-case text form used in storage and URLs. Formatted by hand: every
    /// row of every list crosses this, and Foundation's form goes through printf on Linux.
    public var text: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                var out = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    buffer[out] = Self.hexDigit(byte >> 4)
                    buffer[out + 1] = Self.hexDigit(byte & 0x0F)
                    out += 2
                }
                return out
            }
        }
    }

    fileprivate static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Parses the 36-character text form (either case) without Foundation's scanf-based parser.
    public init?(text: String) {
        var text = text
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = text.withUTF8 { utf8 in
            withUnsafeMutableBytes(of: &value) { bytes in
                guard utf8.count == 36 else { return false }
                var byteIndex = 0
                var high: UInt8? = nil
                for (position, character) in utf8.enumerated() {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        guard character == UInt8(ascii: "-") else { return false }
                        continue
                    }
                    let nibble: UInt8
                    switch character {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
                    default: return false
                    }
                    if let first = high {
                        bytes[byteIndex] = first << 4 | nibble
                        byteIndex += 1
                        high = nil
                    } else {
                        high = nibble
                    }
                }
                return true
            }
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }
}

extension Date {
    /// Milliseconds since the Unix epoch, the stored form of every timestamp (UTC).
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension Sequence where Element == UInt8 {
    /// The bytes in lower-case hexadecimal, two digits each: how every digest is written (an audit
    /// entry's and an audited row's SHA-256, evidence, backups, archives). By hand, like `UUID.text`:
    /// `String(format: "%02x")` per byte put 4–9 % of a write's CPU in Foundation's formatter.
    public var hexadecimal: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var out = 0
            for byte in bytes {
                buffer[out] = UUID.hexDigit(byte >> 4)
                buffer[out + 1] = UUID.hexDigit(byte & 0x0F)
                out += 2
            }
            return out
        }
    }
}
