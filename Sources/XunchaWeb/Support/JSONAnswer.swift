import Foundation

/// The API's answers written as JSON straight into bytes while the values encode themselves.
///
/// Foundation's `JSONEncoder` first builds a tree of boxed values (a dictionary per object) and
/// then serialises it; for a page of 25 papers that was a third of the server's time. This
/// writer keeps one byte array and a stack of what each open value has written so far, so an
/// object's keys come out in the order the type encodes them and nothing is built twice.
///
/// What it writes is what the contract says an answer is: every key of a DTO is there, an absent
/// optional written as `null` (synthesized `Encodable` would leave it out); strings escaped as
/// JSON requires, slashes not; numbers as Foundation writes them (`2.0` as `2`); `URL` as its
/// absolute string, `Data` as Base64, `Decimal` as a number, as Foundation's defaults do.
enum JSONAnswer {
    static func bytes<T: Encodable>(of value: T) throws -> [UInt8] {
        let writer = JSONByteWriter()
        try writer.value(value, depth: 0)
        return writer.bytes
    }
}

/// The bytes written so far and, for each depth, what its value has opened.
final class JSONByteWriter {
    enum Opened {
        case nothing
        case object(first: Bool)
        case array(first: Bool)
        case scalar
    }

    // Only this writer's own methods touch these, one call at a time: the runtime's exclusivity
    // checks on every append were a third of the writing.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var opened: [Opened] = [.nothing]

    init() {
        bytes.reserveCapacity(4_096)
    }

    // MARK: Values

    /// Writes a value at `depth`: scalars directly, anything else through its own `encode(to:)`,
    /// then closes whatever that opened (an object that wrote nothing is `{}`, as Foundation's).
    func value<T: Encodable>(_ value: T, depth: Int) throws {
        // Metadata comparisons, not dynamic casts: this runs for every element of every array.
        if T.self == String.self {
            string(Self.exactly(value, String.self))
        } else if T.self == Int.self {
            literal(String(Self.exactly(value, Int.self)))
        } else if T.self == Bool.self {
            literal(Self.exactly(value, Bool.self) ? "true" : "false")
        } else if T.self == Double.self {
            try floating(Self.exactly(value, Double.self))
        } else if let text = otherNumber(value) {
            try text()
        } else if T.self == URL.self || T.self == Data.self || T.self == Decimal.self {
            try foundationValue(value)
        } else {
            let inner = depth + 1
            if opened.count <= inner { opened.append(.nothing) } else { opened[inner] = .nothing }
            try value.encode(to: JSONByteEncoder(writer: self, depth: inner))
            close(depth: inner)
        }
    }

    /// The other widths of number, written here: their own `encode(to:)` hands them back to a
    /// single-value container, which would hand them here again.
    private func otherNumber<T>(_ value: T) -> (() throws -> Void)? {
        func integer<I: BinaryInteger>(_ type: I.Type) -> (() throws -> Void)? {
            T.self == I.self ? { self.literal(String(Self.exactly(value, I.self))) } : nil
        }
        if T.self == Float.self { return { try self.floating(Self.exactly(value, Float.self)) } }
        return integer(Int64.self) ?? integer(Int32.self) ?? integer(Int16.self) ?? integer(Int8.self)
            ?? integer(UInt.self) ?? integer(UInt64.self) ?? integer(UInt32.self) ?? integer(UInt16.self) ?? integer(UInt8.self)
    }

    /// `value` read as the type its metadata was just compared equal to.
    private static func exactly<T, U>(_ value: T, _ type: U.Type) -> U {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } }
    }

    /// Foundation's JSONEncoder writes these three its own way rather than as they encode themselves.
    private func foundationValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let url as URL: string(url.absoluteString)
        case let data as Data: string(data.base64EncodedString())
        case let decimal as Decimal: literal(decimal.description)
        default: preconditionFailure("not a Foundation value")
        }
    }

    private func close(depth: Int) {
        switch opened[depth] {
        case .nothing: literal("{}")
        case .object: bytes.append(UInt8(ascii: "}"))
        case .array: bytes.append(UInt8(ascii: "]"))
        case .scalar: break
        }
    }

    // MARK: Containers

    /// Opens (or, when the value already opened one, goes on with) the object or array at `depth`:
    /// a type may write its own keys after another's `encode(to:)` wrote into the same encoder.
    func open(array: Bool, depth: Int) {
        switch (opened[depth], array) {
        case (.nothing, false):
            bytes.append(UInt8(ascii: "{"))
            opened[depth] = .object(first: true)
        case (.nothing, true):
            bytes.append(UInt8(ascii: "["))
            opened[depth] = .array(first: true)
        case (.object, false), (.array, true): break
        default: preconditionFailure("a value asked for a container after writing something else")
        }
    }

    func beginScalar(depth: Int) {
        guard case .nothing = opened[depth] else { preconditionFailure("a single value was written twice") }
        opened[depth] = .scalar
    }

    /// `"key":` after a comma when the object already has a key.
    func key(_ name: String, depth: Int) {
        if case .object(first: false) = opened[depth] { bytes.append(UInt8(ascii: ",")) } else { opened[depth] = .object(first: false) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    func element(depth: Int) {
        if case .array(first: false) = opened[depth] { bytes.append(UInt8(ascii: ",")) } else { opened[depth] = .array(first: false) }
    }

    // MARK: Scalars

    func literal(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    func null() { literal("null") }

    /// A number as Foundation writes it: `2.0` as `2`; NaN and the infinities are no JSON.
    func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ number: F) throws {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: [], debugDescription: "\(number) is not a JSON number"))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        literal(text)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as its
    /// UTF-8 bytes (Chinese text is not turned into `\u` escapes).
    func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): literal("\\\"")
        case UInt8(ascii: "\\"): literal("\\\\")
        case 0x08: literal("\\b")
        case 0x0C: literal("\\f")
        case 0x0A: literal("\\n")
        case 0x0D: literal("\\r")
        case 0x09: literal("\\t")
        default:
            let hex = Array("0123456789abcdef".utf8)
            literal("\\u00")
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }
}

/// The `Encoder` a value writes itself through: its containers write into the shared bytes.
struct JSONByteEncoder: Encoder {
    let writer: JSONByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.open(array: false, depth: depth)
        return KeyedEncodingContainer(JSONByteKeyed<Key>(writer: writer, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.open(array: true, depth: depth)
        return JSONByteUnkeyed(writer: writer, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONByteSingle(writer: writer, depth: depth)
    }
}

/// An object's keys; an absent optional is written as `null`, not left out.
private struct JSONByteKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }

    private func key(_ key: Key) { writer.key(key.stringValue, depth: depth) }

    mutating func encodeNil(forKey key: Key) throws { self.key(key); writer.null() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.key(key); writer.literal(value ? "true" : "false") }
    mutating func encode(_ value: String, forKey key: Key) throws { self.key(key); writer.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { self.key(key); try writer.floating(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { self.key(key); try writer.floating(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { self.key(key); writer.literal(String(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { self.key(key); try writer.value(value, depth: depth) }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }

    private mutating func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("JSON answers write nested values through their own encode(to:)")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("JSON answers write nested values through their own encode(to:)")
    }

    mutating func superEncoder() -> any Encoder { preconditionFailure("JSON answers have no super encoders") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("JSON answers have no super encoders") }
}

private struct JSONByteUnkeyed: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    private(set) var count = 0

    init(writer: JSONByteWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        writer.element(depth: depth)
        writer.null()
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.element(depth: depth)
        try writer.value(value, depth: depth)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("JSON answers write nested values through their own encode(to:)")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("JSON answers write nested values through their own encode(to:)")
    }

    mutating func superEncoder() -> any Encoder { preconditionFailure("JSON answers have no super encoders") }
}

private struct JSONByteSingle: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        writer.beginScalar(depth: depth)
        writer.null()
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.beginScalar(depth: depth)
        try writer.value(value, depth: depth)
    }
}
