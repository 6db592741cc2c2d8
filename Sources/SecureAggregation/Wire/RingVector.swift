/// A vector of Z_2^k elements in its packed wire form: each value as a k-bit big-endian field, the fields
/// concatenated most-significant bit first and the last byte padded with zero bits, so a vector of L values
/// takes exactly ⌈L·k / 8⌉ bytes.
///
/// Wire encoding (inside a message body): count (4 bytes BE), k (1 byte), then the packed bytes. Decoding
/// checks k ∈ 1…64, the exact byte length and that the padding bits are zero (one encoding per vector).
public struct RingVector: Sendable, Equatable, Codable {
    /// k, the bits per value.
    public let bitWidth: Int
    /// The number of values.
    public let count: Int
    /// The packed values.
    public let packed: [UInt8]

    /// Packs `values`, each of which must be below 2^`bitWidth`.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` for k ∉ 1…64 or k > `Word.bitWidth`,
    ///   ``SecAggError/inputOutOfRange(index:expected:)`` for a value ≥ 2^k.
    public init<Word: RingWord>(_ values: [Word], bitWidth: Int) throws(SecAggError) {
        let ring = try Ring(bitWidth: bitWidth)
        guard bitWidth <= Word.bitWidth, Word.self == UInt32.self || Word.self == UInt64.self else {
            throw .invalidParameter(name: "ring bits k", value: "\(bitWidth)", expected: "at most \(Word.bitWidth) for \(Word.self)")
        }
        let byteCount = RingVector.byteCount(count: values.count, bitWidth: bitWidth)
        var out = [UInt8](repeating: 0, count: byteCount)
        try withWordBuffer(values, { v throws(SecAggError) in
            if let i = firstOutOfRange(v, bitWidth: bitWidth) { throw .inputOutOfRange(index: i, expected: "< 2^\(bitWidth)") }
            out.withUnsafeMutableBufferPointer { pack(v, bitWidth: bitWidth, into: $0) }
        }, { v throws(SecAggError) in
            if let i = firstOutOfRange(v, bitWidth: bitWidth) { throw .inputOutOfRange(index: i, expected: "< 2^\(bitWidth)") }
            out.withUnsafeMutableBufferPointer { pack(v, bitWidth: bitWidth, into: $0) }
        })
        self.bitWidth = ring.bitWidth
        self.count = values.count
        self.packed = out
    }

    /// Wraps already-packed bytes after checking them.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` for k ∉ 1…64,
    ///   ``SecAggError/lengthMismatch(what:expected:actual:)`` unless `packed` has ⌈count·k/8⌉ bytes,
    ///   ``SecAggError/valueOutOfRange(what:value:expected:)`` for non-zero padding bits.
    public init(bitWidth: Int, count: Int, packed: [UInt8]) throws(SecAggError) {
        _ = try Ring(bitWidth: bitWidth)
        guard count >= 0 else { throw .valueOutOfRange(what: "vector count", value: "\(count)", expected: "≥ 0") }
        let expected = RingVector.byteCount(count: count, bitWidth: bitWidth)
        guard packed.count == expected else {
            throw .lengthMismatch(what: "packed ring vector", expected: "\(expected)", actual: packed.count)
        }
        let padding = expected * 8 - count * bitWidth
        if padding > 0, let last = packed.last, last & UInt8((1 << padding) - 1) != 0 {
            throw .valueOutOfRange(what: "packed ring vector padding", value: "\(last & UInt8((1 << padding) - 1))", expected: "0")
        }
        self.bitWidth = bitWidth
        self.count = count
        self.packed = packed
    }

    /// ⌈count·k / 8⌉.
    public static func byteCount(count: Int, bitWidth: Int) -> Int { (count * bitWidth + 7) / 8 }

    /// The values as words of type `Word`.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` when k exceeds `Word`'s width.
    public func values<Word: RingWord>(as _: Word.Type = Word.self) throws(SecAggError) -> [Word] {
        guard bitWidth <= Word.bitWidth, Word.self == UInt32.self || Word.self == UInt64.self else {
            throw .invalidParameter(name: "word type for k = \(bitWidth)", value: "\(Word.self)", expected: "UInt32 or UInt64")
        }
        var out = [Word](repeating: 0, count: count)
        try withWordBuffer(&out, { o throws(SecAggError) in
            packed.withUnsafeBufferPointer { unpack($0, bitWidth: bitWidth, into: o, accumulate: false) }
        }, { o throws(SecAggError) in
            packed.withUnsafeBufferPointer { unpack($0, bitWidth: bitWidth, into: o, accumulate: false) }
        })
        return out
    }

    /// Adds the values into `sum` (wrapping), without materialising them.
    internal func accumulate<T: FixedWidthInteger & UnsignedInteger>(into sum: UnsafeMutableBufferPointer<T>) {
        packed.withUnsafeBufferPointer { unpack($0, bitWidth: bitWidth, into: sum, accumulate: true) }
    }

    /// Writes count, k and the packed bytes.
    public func encode(into writer: inout WireWriter) {
        writer.writeCount(count)
        writer.write(UInt8(bitWidth))
        writer.reserve(packed.count)
        writer.writeFixed(packed)
    }

    /// Reads and validates a vector written by ``encode(into:)``.
    public init(from reader: inout WireReader, what: String) throws(SecAggError) {
        let count = Int(try reader.readUInt32("\(what) count"))
        let k = Int(try reader.readUInt8("\(what) bits"))
        _ = try Ring(bitWidth: k)
        let length = RingVector.byteCount(count: count, bitWidth: k)
        let bytes = try reader.readFixed(length, "\(what) values")
        try self.init(bitWidth: k, count: count, packed: bytes)
    }

    private enum CodingKeys: String, CodingKey { case bitWidth, count, packed }

    /// Decodes and validates (the same checks as ``init(bitWidth:count:packed:)``).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(bitWidth: c.decode(Int.self, forKey: .bitWidth), count: c.decode(Int.self, forKey: .count),
                      packed: c.decode([UInt8].self, forKey: .packed))
    }
}

/// Packs k-bit values MSB-first into `out` (which has ⌈count·k/8⌉ zeroed bytes).
private func pack<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, bitWidth k: Int, into out: UnsafeMutableBufferPointer<UInt8>
) {
    if k == 32 || k == 64 || k == 16 || k == 8 {
        let width = k / 8
        var o = 0
        for v in values {
            var shift = k - 8
            for _ in 0..<width {
                out[o] = UInt8(truncatingIfNeeded: UInt64(v) >> UInt64(shift))
                o += 1
                shift -= 8
            }
        }
        return
    }
    var acc: UInt64 = 0   // holds `bits` pending bits in its low end (fewer than 8 between pushes)
    var bits = 0
    var o = 0
    @inline(__always) func push(_ value: UInt64, _ n: Int) {
        acc = (acc << UInt64(n)) | value
        bits += n
        while bits >= 8 {
            bits -= 8
            out[o] = UInt8(truncatingIfNeeded: acc >> UInt64(bits))
            o += 1
        }
        acc &= (UInt64(1) << UInt64(bits)) &- 1
    }
    for v in values {
        let x = UInt64(v)
        if k > 32 {
            push(x >> 32, k - 32)
            push(x & 0xFFFF_FFFF, 32)
        } else {
            push(x, k)
        }
    }
    if bits > 0 { out[o] = UInt8(truncatingIfNeeded: acc << UInt64(8 - bits)) }
}

/// Unpacks `out.count` k-bit values (k ≤ T.bitWidth), storing or adding (wrapping) them into `out`.
private func unpack<T: FixedWidthInteger & UnsignedInteger>(
    _ bytes: UnsafeBufferPointer<UInt8>, bitWidth k: Int, into out: UnsafeMutableBufferPointer<T>, accumulate: Bool
) {
    if k == 32 || k == 64 || k == 16 || k == 8 {
        let width = k / 8
        var i = 0
        for j in out.indices {
            var v: UInt64 = 0
            for _ in 0..<width {
                v = (v << 8) | UInt64(bytes[i])
                i += 1
            }
            let t = T(truncatingIfNeeded: v)
            out[j] = accumulate ? out[j] &+ t : t
        }
        return
    }
    var acc: UInt64 = 0
    var bits = 0
    var i = 0
    @inline(__always) func pull(_ n: Int) -> UInt64 {
        while bits < n {
            acc = (acc << 8) | UInt64(bytes[i])
            i += 1
            bits += 8
        }
        bits -= n
        let v = (acc >> UInt64(bits)) & ((UInt64(1) << UInt64(n)) &- 1)
        acc &= (UInt64(1) << UInt64(bits)) &- 1
        return v
    }
    for j in out.indices {
        let v: UInt64 = k > 32 ? (pull(k - 32) << 32) | pull(32) : pull(k)
        let t = T(truncatingIfNeeded: v)
        out[j] = accumulate ? out[j] &+ t : t
    }
}
