/// Bytes as lower-case hexadecimal, two digits each: how every digest is written (an audit entry's
/// and an audited row's SHA-256, evidence files, backups, archives). Spelled out digit by digit:
/// `String(format: "%02x")` per byte went through Foundation's formatter 32 times a digest, and a
/// write appends several digests, which made it a twelfth of a write's CPU.
extension Sequence where Element == UInt8 {
    public var hexadecimal: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexadecimalDigits[Int(byte >> 4)])
            digits.append(hexadecimalDigits[Int(byte & 0x0f)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

private let hexadecimalDigits = Array("0123456789abcdef".utf8)

extension BinaryInteger {
    /// The number in decimal with leading zeros to `width` digits, as `%0Nd` writes it.
    public func zeroPadded(_ width: Int) -> String {
        let text = String(self.magnitude)
        let padded = text.count < width ? String(repeating: "0", count: width - text.count - (self < 0 ? 1 : 0)) + text : text
        return self < 0 ? "-" + padded : padded
    }
}
