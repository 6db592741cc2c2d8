internal import CGMP

extension Bignum {
    /// Parses a number in `radix` 10 or 16: an optional leading `-` then at least one digit; no spaces,
    /// signs elsewhere, prefixes or separators (hex digits in either case).
    /// - Throws: ``BignumError/malformedNumber(text:radix:)``.
    public init(_ text: String, radix: Int) throws {
        guard radix == 10 || radix == 16 else {
            throw BignumError.invalidArgument("radix must be 10 or 16, got \(radix)")
        }
        let utf8 = Array(text.utf8)
        let digits = utf8.first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ Self.isDigit($0, radix: radix) }) else {
            throw BignumError.malformedNumber(text: text, radix: radix)
        }
        storage = Storage()
        let ok = text.withCString { __gmpz_set_str(storage.value, $0, Int32(radix)) }
        guard ok == 0 else { throw BignumError.malformedNumber(text: text, radix: radix) }
    }

    /// Parses a decimal string (see ``init(_:radix:)``).
    public init(decimal text: String) throws { try self.init(text, radix: 10) }

    /// Parses a hexadecimal string (see ``init(_:radix:)``).
    public init(hex text: String) throws { try self.init(text, radix: 16) }

    private static func isDigit(_ c: UInt8, radix: Int) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): return radix == 16
        default: return false
        }
    }

    /// The digits in `radix` (2…36), lowercase, with a leading `-` when negative.
    public func toString(radix: Int) -> String {
        precondition((2...36).contains(radix), "radix must be in 2...36")
        let size = Int(__gmpz_sizeinbase(pointer, Int32(radix))) + 2
        var buffer = [CChar](repeating: 0, count: size)
        return buffer.withUnsafeMutableBufferPointer { out in
            _ = __gmpz_get_str(out.baseAddress, Int32(radix), pointer)
            return String(cString: out.baseAddress!)  // non-nil: the buffer has at least 2 elements
        }
    }

    /// Lowercase hexadecimal digits (leading `-` when negative).
    public var hexString: String { toString(radix: 16) }

    /// The unsigned big-endian bytes of the value, without leading zeros (empty for zero).
    /// - Throws: ``BignumError/negativeValue``.
    public func bigEndianBytes() throws -> [UInt8] {
        try bigEndianBytes(width: byteCount)
    }

    /// The unsigned big-endian encoding left-padded with zeros to exactly `width` bytes.
    /// - Throws: ``BignumError/negativeValue``, ``BignumError/overflow(byteCount:width:)``.
    public func bigEndianBytes(width: Int) throws -> [UInt8] {
        guard !isNegative else { throw BignumError.negativeValue }
        let needed = byteCount
        guard needed <= width else { throw BignumError.overflow(byteCount: needed, width: width) }
        var out = [UInt8](repeating: 0, count: width)
        guard needed > 0 else { return out }
        out.withUnsafeMutableBytes { raw in
            var written = 0
            _ = __gmpz_export(raw.baseAddress?.advanced(by: width - needed), &written, 1, 1, 1, 0, pointer)
        }
        return out
    }

    /// The non-negative integer with these big-endian bytes (any length, leading zeros allowed).
    public init(bigEndian bytes: some Collection<UInt8>) {
        storage = Storage()
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        array.withUnsafeBytes { raw in
            __gmpz_import(storage.value, raw.count, 1, 1, 1, 0, raw.baseAddress)
        }
    }

    /// Decodes a fixed-width big-endian field: exactly `width` bytes.
    /// - Throws: ``BignumError/wrongLength(expected:actual:)`` for truncated or oversized input.
    public init(bigEndian bytes: some Collection<UInt8>, width: Int) throws {
        guard bytes.count == width else { throw BignumError.wrongLength(expected: width, actual: bytes.count) }
        self.init(bigEndian: bytes)
    }
}

extension Bignum: CustomStringConvertible, LosslessStringConvertible {
    /// Decimal digits.
    public var description: String { toString(radix: 10) }

    /// Parses decimal digits; `nil` when malformed.
    public init?(_ description: String) {
        guard let value = try? Bignum(decimal: description) else { return nil }
        self = value
    }
}

extension Bignum: Codable {
    /// Decodes a JSON string of decimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Bignum(decimal: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a decimal integer string, got \"\(text.prefix(40))\"")
        }
    }

    /// Encodes as a JSON string of decimal digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
