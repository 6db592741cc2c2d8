import Foundation

/// A JSON document as a tree, to mutate valid request bodies structurally (keys removed, values of the wrong
/// type, huge numbers) and print them back. Numbers are kept as their text.
indirect enum JSONValue: Decodable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number or a literal, printed as is (`1`, `1e400`, `true`, `null`).
    case raw(String)

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: JSONValue] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .raw("null")
            } else if let value = try? single.decode(Int64.self) {
                self = .raw("\(value)")
            } else if let value = try? single.decode(Bool.self) {
                self = .raw("\(value)")
            } else if let value = try? single.decode(Double.self) {
                self = .raw("\(value)")
            } else {
                self = .string(try single.decode(String.self))
            }
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) }

    /// The JSON text (keys sorted).
    var text: String {
        switch self {
        case .object(let members):
            return "{" + members.keys.sorted().map { "\(Self.quote($0)):\(members[$0]?.text ?? "null")" }.joined(separator: ",") + "}"
        case .array(let elements): return "[" + elements.map(\.text).joined(separator: ",") + "]"
        case .string(let s): return Self.quote(s)
        case .raw(let r): return r
        }
    }

    var bytes: [UInt8] { Array(text.utf8) }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A path to a value: object keys and array indices.
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// Every path in the tree (the root excluded), parents before children.
    var paths: [[Step]] {
        var out: [[Step]] = []
        func walk(_ value: JSONValue, _ prefix: [Step]) {
            switch value {
            case .object(let members):
                for key in members.keys.sorted() {
                    out.append(prefix + [.key(key)])
                    if let child = members[key] { walk(child, prefix + [.key(key)]) }
                }
            case .array(let elements):
                for (i, child) in elements.enumerated() {
                    out.append(prefix + [.index(i)])
                    walk(child, prefix + [.index(i)])
                }
            case .string, .raw: break
            }
        }
        walk(self, [])
        return out
    }

    func value(at path: [Step]) -> JSONValue? {
        guard let first = path.first else { return self }
        switch (self, first) {
        case (.object(let members), .key(let key)): return members[key]?.value(at: Array(path.dropFirst()))
        case (.array(let elements), .index(let i)) where elements.indices.contains(i):
            return elements[i].value(at: Array(path.dropFirst()))
        default: return nil
        }
    }

    /// The tree with the value at `path` replaced (nil: removed).
    func replacing(_ path: [Step], with replacement: JSONValue?) -> JSONValue {
        guard let first = path.first else { return replacement ?? .raw("null") }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case (.object(var members), .key(let key)):
            if rest.isEmpty {
                members[key] = replacement
            } else if let child = members[key] {
                members[key] = child.replacing(rest, with: replacement)
            }
            return .object(members)
        case (.array(var elements), .index(let i)) where elements.indices.contains(i):
            if rest.isEmpty {
                if let replacement { elements[i] = replacement } else { elements.remove(at: i) }
            } else {
                elements[i] = elements[i].replacing(rest, with: replacement)
            }
            return .array(elements)
        default:
            return self
        }
    }
}

/// Malformed bodies derived from a valid one, deterministically from `seed`.
enum FuzzCases {
    struct Case {
        let name: String
        let body: [UInt8]
    }

    /// Values of the wrong type, out of range or absurd, put in place of every value of a JSON body.
    static let replacements: [JSONValue] = [
        .raw("null"), .raw("true"), .raw("0"), .raw("-1"), .raw("1.5"), .raw("1e400"), .raw("-1e400"),
        .raw("18446744073709551616"), .raw("-9223372036854775809"), .raw("99999999999999999999999999999999999999"),
        .string(""), .string("-1"), .string("0"), .string("abc"), .string("1e9"), .string("0x10"), .string(" 1"),
        .string(String(repeating: "9", count: 5000)), .string("\u{0}"), .array([]), .object([:]),
        .array([.raw("1"), .string("x")]),
    ]

    /// JSON that is well formed but not the request.
    static let junkJSON: [String] = [
        "", " ", "null", "true", "0", "-0", "1e400", "\"\"", "[]", "{}", "[{}]", "{\"client\":null}",
        "{\"client\":\"1\"}", "{\"client\":1.5}", "{\"client\":1e400}", "{\"client\":99999999999999999999999999}",
        "{\"client\":-9223372036854775809}", "{\"client\":1,\"token\":5}", "{\"client\":1,\"token\":{}}",
        "{\"client\":1,\"token\":[]}", "{\"client\":1,\"token\":\"\"}", "{\"client\":1,\"refusal\":7}",
        "{\"proof\":null}", "{\"proof\":{}}", "{\"proof\":[]}", "{\"proof\":{\"publicKey\":{\"y\":\"2\"}}}",
        "{\"client\":1,\"client\":2}", "{\"client\":1", "{\"client\":1}}", "{\"client\":1,}", "{'client':1}",
        "{\"client\":01}", "{\"client\":+1}", "{\"client\":NaN}", "{\"client\":Infinity}", "\u{FEFF}{\"client\":1}",
        "{\"client\":1,\"token\":{\"client\":{\"y\":\"1\"},\"session\":\"s\",\"round\":1,\"value\":\"1\",\"shares\":[]}}",
        "{\"\\ud800\":1}", "\"\\ud800\"", "{\"client\":\"\\u0000\"}",
    ]

    /// Random bytes (some behind a plausible prefix), truncations every `step` bytes, bit flips at the given
    /// byte positions (nil: `flips` random positions), extensions, junk JSON, deep nesting and, for a JSON
    /// body, every structural mutation.
    static func make(
        valid: [UInt8], seed: UInt64, randomCount: Int = 300, truncationStep: Int = 1, flipPositions: Range<Int>? = nil,
        flips: Int = 200, json: Bool
    ) -> [Case] {
        var rng = SplitMix64(seed: seed)
        var cases: [Case] = []
        for i in 0..<randomCount {
            let length = Int.random(in: 0...2048, using: &rng)
            var body = rng.bytes(length)
            if i % 3 == 1 { body = Array(valid.prefix(Int.random(in: 0...min(32, valid.count), using: &rng))) + body }
            cases.append(Case(name: "random \(i) (\(body.count) bytes)", body: body))
        }
        for length in stride(from: 0, to: valid.count, by: max(1, truncationStep)) {
            cases.append(Case(name: "truncated to \(length) bytes", body: Array(valid.prefix(length))))
        }
        if let positions = flipPositions {
            for position in positions where position < valid.count {
                for bit in 0..<8 {
                    var body = valid
                    body[position] ^= UInt8(1 << bit)
                    cases.append(Case(name: "bit \(bit) of byte \(position) flipped", body: body))
                }
            }
        } else {
            for _ in 0..<flips {
                let position = Int.random(in: 0..<valid.count, using: &rng)
                let bit = Int.random(in: 0..<8, using: &rng)
                var body = valid
                body[position] ^= UInt8(1 << bit)
                cases.append(Case(name: "bit \(bit) of byte \(position) flipped", body: body))
            }
        }
        cases.append(Case(name: "one trailing byte", body: valid + [0]))
        cases.append(Case(name: "the body twice", body: valid + valid))
        cases.append(Case(name: "1000 trailing bytes", body: valid + rng.bytes(1000)))
        for junk in junkJSON { cases.append(Case(name: "junk JSON \(junk.debugDescription.prefix(60))", body: Array(junk.utf8))) }
        for depth in [600, 100_000] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            cases.append(Case(name: "\(depth) nested arrays", body: Array(arrays.utf8)))
            let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            cases.append(Case(name: "\(depth) nested objects", body: Array(objects.utf8)))
            let inside = "{\"client\":1,\"token\":" + arrays + "}"
            cases.append(Case(name: "\(depth) nested arrays as the token", body: Array(inside.utf8)))
        }
        if json, let tree = try? JSONValue.parse(valid) {
            for path in tree.paths {
                let name = path.map { step -> String in
                    switch step {
                    case .key(let k): k
                    case .index(let i): "\(i)"
                    }
                }.joined(separator: ".")
                cases.append(Case(name: "without \(name)", body: tree.replacing(path, with: nil).bytes))
                for replacement in replacements where tree.value(at: path) != replacement {
                    cases.append(
                        Case(name: "\(name) = \(replacement.text.prefix(24))", body: tree.replacing(path, with: replacement).bytes))
                }
            }
        }
        return cases
    }
}
