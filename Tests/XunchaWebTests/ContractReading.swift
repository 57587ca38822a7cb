import Foundation
@testable import XunchaWeb

/// The keys a request body's `Decodable` reads, as the JSON keys a client sends (`lead.person_name`,
/// `work_history[].from_year`): found by decoding the type from a decoder that has every key and
/// records each one asked for, nested values and one element of every array included.
enum DecodedKeys {
    static func of<T: Decodable>(_ type: T.Type) throws -> Set<String> {
        let recorder = KeyRecorder()
        _ = try T(from: RecordingDecoder(recorder: recorder, path: ""))
        return recorder.paths
    }
}

private final class KeyRecorder {
    var paths = Set<String>()
}

private struct RecordingDecoder: Decoder {
    let recorder: KeyRecorder
    let path: String

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingKeyed<Key>(recorder: recorder, path: path))
    }

    func unkeyedContainer() -> any UnkeyedDecodingContainer { RecordingUnkeyed(recorder: recorder, path: path + "[]") }
    func singleValueContainer() -> any SingleValueDecodingContainer { RecordingSingle(recorder: recorder, path: path) }
}

/// Every key is there and holds a value: a string is empty, a number zero, a flag false.
private struct RecordingKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: KeyRecorder
    let path: String

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    private func record(_ key: Key) -> String {
        let name = (path.isEmpty ? "" : path + ".") + JSONBody.snakeCase(key.stringValue)
        recorder.paths.insert(name)
        return name
    }

    func contains(_ key: Key) -> Bool { _ = record(key); return true }
    func decodeNil(forKey key: Key) throws -> Bool { _ = record(key); return false }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { _ = record(key); return false }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { _ = record(key); return "" }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { _ = record(key); return 0 }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { _ = record(key); return 0 }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { _ = record(key); return 0 }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { _ = record(key); return 0 }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { _ = record(key); return 0 }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { _ = record(key); return 0 }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { _ = record(key); return 0 }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { _ = record(key); return 0 }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { _ = record(key); return 0 }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { _ = record(key); return 0 }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { _ = record(key); return 0 }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { _ = record(key); return 0 }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: RecordingDecoder(recorder: recorder, path: record(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(RecordingKeyed<NestedKey>(recorder: recorder, path: record(key)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { RecordingUnkeyed(recorder: recorder, path: record(key) + "[]") }
    func superDecoder() throws -> any Decoder { RecordingDecoder(recorder: recorder, path: path) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RecordingDecoder(recorder: recorder, path: record(key)) }
}

/// An array of one element.
private struct RecordingUnkeyed: UnkeyedDecodingContainer {
    let recorder: KeyRecorder
    let path: String
    var currentIndex = 0

    init(recorder: KeyRecorder, path: String) {
        self.recorder = recorder
        self.path = path
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try RecordingSingle(recorder: recorder, path: path).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return KeyedDecodingContainer(RecordingKeyed<NestedKey>(recorder: recorder, path: path))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return RecordingUnkeyed(recorder: recorder, path: path + "[]")
    }

    mutating func superDecoder() throws -> any Decoder { RecordingDecoder(recorder: recorder, path: path) }
}

private struct RecordingSingle: SingleValueDecodingContainer {
    let recorder: KeyRecorder
    let path: String

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let blank = Self.blank(type) { return blank }
        return try T(from: RecordingDecoder(recorder: recorder, path: path))
    }

    /// An empty string, false or zero for a value the JSON carries as such; nil for anything else.
    static func blank<T>(_ type: T.Type) -> T? {
        if type == String.self { return "" as? T }
        if type == Bool.self { return false as? T }
        if let integer = type as? any BinaryInteger.Type { return integer.zero as? T }
        if let float = type as? any BinaryFloatingPoint.Type { return float.zero as? T }
        return nil
    }
}

/// openapi.yaml read as far as the tests need it: block mappings and sequences, flow mappings and
/// sequences on one line, quoted and plain scalars; block scalars (`|`, `>-`) are skipped.
indirect enum ContractNode {
    case map([String: ContractNode])
    case list([ContractNode])
    case scalar(String)

    subscript(key: String) -> ContractNode? {
        if case .map(let entries) = self { return entries[key] }
        return nil
    }

    var text: String? {
        if case .scalar(let value) = self { return value }
        return nil
    }

    var items: [ContractNode] {
        if case .list(let items) = self { return items }
        return []
    }

    static func parse(_ text: String) -> ContractNode {
        var reader = BlockReader(
            lines: text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
                let content = line.drop { $0 == " " }
                guard !content.isEmpty, !content.hasPrefix("#") else { return nil }
                return (line.count - content.count, String(content))
            })
        return reader.block(indent: 0)
    }
}

private struct BlockReader {
    var lines: [(indent: Int, text: String)]
    var index = 0

    /// The mapping or sequence whose lines start at `indent`.
    mutating func block(indent: Int) -> ContractNode {
        guard index < lines.count else { return .scalar("") }
        if lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
            var items: [ContractNode] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("-") {
                let rest = String(lines[index].text.dropFirst()).trimmingCharacters(in: .whitespaces)
                if Self.split(rest) == nil {
                    items.append(FlowReader.value(rest))
                    index += 1
                    skipDeeper(than: indent)
                } else {
                    // The item's first key sits where the dash and its space were.
                    lines[index] = (indent + 2, rest)
                    items.append(block(indent: indent + 2))
                }
            }
            return .list(items)
        }
        var entries: [String: ContractNode] = [:]
        while index < lines.count, lines[index].indent == indent, let (key, value) = Self.split(lines[index].text) {
            index += 1
            if value.isEmpty {
                if index < lines.count, lines[index].indent > indent {
                    entries[key] = block(indent: lines[index].indent)
                } else if index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("- ") {
                    entries[key] = block(indent: indent)
                } else {
                    entries[key] = .scalar("")
                }
            } else {
                entries[key] = ["|", "|-", ">", ">-"].contains(value) ? .scalar("") : FlowReader.value(value)
                skipDeeper(than: indent)
            }
        }
        return .map(entries)
    }

    /// Block scalars and a plain scalar's continuation lines.
    mutating func skipDeeper(than indent: Int) {
        while index < lines.count, lines[index].indent > indent { index += 1 }
    }

    /// `key: value` or `key:`, the key unquoted; nil for a line that is no mapping entry.
    static func split(_ line: String) -> (String, String)? {
        var key: String
        var rest: Substring
        if line.hasPrefix("\""), let close = line.dropFirst().firstIndex(of: "\"") {
            key = String(line[line.index(after: line.startIndex)..<close])
            rest = line[line.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            rest = rest.dropFirst()
        } else if !line.hasPrefix("{"), !line.hasPrefix("["), let colon = line.range(of: ": ") ?? (line.hasSuffix(":") ? line.range(of: ":", options: .backwards) : nil) {
            key = String(line[..<colon.lowerBound])
            rest = line[colon.upperBound...]
        } else {
            return nil
        }
        key = key.trimmingCharacters(in: .whitespaces)
        return (key, rest.trimmingCharacters(in: .whitespaces))
    }
}

/// A value on one line: `{a: b, c: [d, e]}`, `"quoted"`, or plain text.
private struct FlowReader {
    let characters: [Character]
    var index = 0

    static func value(_ text: String) -> ContractNode {
        guard text.hasPrefix("{") || text.hasPrefix("[") || text.hasPrefix("\"") else { return .scalar(text) }
        var reader = FlowReader(characters: Array(text))
        return reader.node()
    }

    mutating func node() -> ContractNode {
        skipSpaces()
        guard index < characters.count else { return .scalar("") }
        switch characters[index] {
        case "{":
            index += 1
            var entries: [String: ContractNode] = [:]
            while index < characters.count {
                skipSpaces()
                if characters[index] == "}" { index += 1; break }
                let key = scalar(until: [":"])
                index += 1
                entries[key] = node()
                skipSpaces()
                if index < characters.count, characters[index] == "," { index += 1 }
            }
            return .map(entries)
        case "[":
            index += 1
            var items: [ContractNode] = []
            while index < characters.count {
                skipSpaces()
                if characters[index] == "]" { index += 1; break }
                items.append(node())
                skipSpaces()
                if index < characters.count, characters[index] == "," { index += 1 }
            }
            return .list(items)
        default:
            return .scalar(scalar(until: [",", "}", "]"]))
        }
    }

    mutating func scalar(until stops: Set<Character>) -> String {
        skipSpaces()
        if index < characters.count, characters[index] == "\"" {
            index += 1
            var text = ""
            while index < characters.count, characters[index] != "\"" {
                if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                text.append(characters[index])
                index += 1
            }
            index += 1
            return text
        }
        var text = ""
        while index < characters.count, !stops.contains(characters[index]) {
            text.append(characters[index])
            index += 1
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " { index += 1 }
    }
}

/// The contract's schemas, with `$ref`, `allOf`, `oneOf` and `anyOf` followed.
struct Contract {
    let root: ContractNode

    static func load() throws -> Contract {
        Contract(root: ContractNode.parse(try String(contentsOf: Resources.url("openapi.yaml"), encoding: .utf8)))
    }

    /// The JSON body schema of `method path`.
    func requestBody(_ operation: String) -> ContractNode? {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        return root["paths"]?[parts[1]]?[parts[0]]?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    func resolved(_ schema: ContractNode) -> ContractNode {
        guard let reference = schema["$ref"]?.text, let name = reference.split(separator: "/").last,
            let target = root["components"]?["schemas"]?[String(name)]
        else { return schema }
        return resolved(target)
    }

    /// The properties a schema declares, its parts' included.
    func properties(of schema: ContractNode) -> [String: ContractNode] {
        let schema = resolved(schema)
        var found: [String: ContractNode] = [:]
        for combiner in ["allOf", "oneOf", "anyOf"] {
            for part in schema[combiner]?.items ?? [] { found.merge(properties(of: part)) { $1 } }
        }
        if case .map(let declared)? = schema["properties"] { found.merge(declared) { $1 } }
        return found
    }

    /// Whether the schema declares a key path such as `lead.person_name` or `work_history[].from_year`.
    func declares(_ path: String, in schema: ContractNode) -> Bool {
        var current = schema
        for segment in path.split(separator: ".") {
            var name = Substring(segment)
            var arrays = 0
            while name.hasSuffix("[]") {
                name = name.dropLast(2)
                arrays += 1
            }
            guard let next = properties(of: current)[String(name)] else { return false }
            current = next
            for _ in 0..<arrays {
                guard let items = resolved(current)["items"] else { return false }
                current = items
            }
        }
        return true
    }
}
