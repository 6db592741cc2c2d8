public import Bignum
public import CryptoPrimitives

/// The field F_p with p = 2^61 − 1, elements as `UInt64` in [0, p).
///
/// Arithmetic is branch-free: products are reduced with shifts and masks (2^61 ≡ 1 mod p) and a final
/// conditional subtraction selected by a mask, so timing does not depend on the values.
public struct Mersenne61: PrimeField, Equatable {
    /// p = 2^61 − 1.
    public static let prime: UInt64 = (1 << 61) - 1

    public init() {}

    public var modulus: Bignum { Bignum(Self.prime) }
    public var zero: UInt64 { 0 }
    public var one: UInt64 { 1 }

    public func isValid(_ a: UInt64) -> Bool { a < Self.prime }

    /// x mod p for x < 2^62, branch-free.
    @inline(__always)
    public static func reduce(_ x: UInt64) -> UInt64 {
        let r = (x & prime) &+ (x >> 61)          // ≤ p + 1
        let t = r &- prime                       // top bit set iff r < p
        let keep = UInt64(bitPattern: Int64(bitPattern: t) >> 63)
        return (r & keep) | (t & ~keep)
    }

    @inline(__always)
    public static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { reduce(a &+ b) }

    @inline(__always)
    public static func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 { reduce(a &+ (prime &- b)) }

    @inline(__always)
    public static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        return reduce((lo & prime) &+ ((hi << 3) | (lo >> 61)))
    }

    public func add(_ a: UInt64, _ b: UInt64) -> UInt64 { Self.add(a, b) }
    public func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 { Self.subtract(a, b) }
    public func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 { Self.multiply(a, b) }

    public func inverse(_ a: UInt64) throws -> UInt64 {
        guard a != 0, a < Self.prime else {
            throw SharingError.valueOutOfRange(what: "inverse of \(a)", modulus: "non-zero below \(Self.prime)")
        }
        // Fermat: a^(p−2).
        var result: UInt64 = 1, base = a, e = Self.prime - 2
        while e > 0 {
            if e & 1 == 1 { result = Self.multiply(result, base) }
            base = Self.multiply(base, base)
            e >>= 1
        }
        return result
    }

    public func element(_ value: Bignum) throws -> UInt64 {
        guard let v = value.exactUInt64, v < Self.prime else {
            throw SharingError.valueOutOfRange(what: "value \(value)", modulus: "\(Self.prime)")
        }
        return v
    }

    public func element(small value: UInt64) throws -> UInt64 {
        guard value < Self.prime else {
            throw SharingError.valueOutOfRange(what: "value \(value)", modulus: "\(Self.prime)")
        }
        return value
    }

    public func bignum(_ a: UInt64) -> Bignum { Bignum(a) }

    /// Uniform elements: 8 bytes big-endian each, low 61 bits kept, 2^61 − 1 rejected and redrawn
    /// (probability 2^−61), as in `Specs/secret-sharing.md`.
    public func randomElements(count: Int, using rng: inout some RandomSource) throws -> [UInt64] {
        var out = [UInt64](repeating: 0, count: count)
        var rejected = [Int]()
        try out.withUnsafeMutableBufferPointer { words in
            try rng.fill(UnsafeMutableRawBufferPointer(words))
            for i in words.indices {
                let v = UInt64(bigEndian: words[i]) & Self.prime
                words[i] = v
                if v == Self.prime { rejected.append(i) }
            }
        }
        for i in rejected {
            var v = Self.prime
            while v == Self.prime { v = try rng.nextUInt64() & Self.prime }
            out[i] = v
        }
        return out
    }

    /// Horner evaluation in cache-sized blocks: for each block of elements (all rows stay in cache),
    /// every point, every row.
    public func evaluate(coefficients: [UInt64], rowCount: Int, length: Int, at points: [UInt64]) -> [[UInt64]] {
        var outputs = [[UInt64]](repeating: [UInt64](repeating: 0, count: length), count: points.count)
        guard length > 0, rowCount > 0 else { return outputs }
        let block = 512
        coefficients.withUnsafeBufferPointer { c in
            var start = 0
            while start < length {
                let end = min(start + block, length)
                for s in points.indices {
                    let x = points[s]
                    outputs[s].withUnsafeMutableBufferPointer { out in
                        // out = row_{t−1}; then out = out·x + row_k for k = t−2 … 0.
                        let top = (rowCount - 1) * length
                        for j in start..<end { out[j] = c[top + j] }
                        var k = rowCount - 2
                        while k >= 0 {
                            let row = k * length
                            for j in start..<end {
                                out[j] = Self.add(Self.multiply(out[j], x), c[row + j])
                            }
                            k -= 1
                        }
                    }
                }
                start = end
            }
        }
        return outputs
    }

    public func linearCombination(weights: [UInt64], of vectors: [[UInt64]], length: Int) -> [UInt64] {
        var acc = [UInt64](repeating: 0, count: length)
        acc.withUnsafeMutableBufferPointer { out in
            for (w, v) in zip(weights, vectors) {
                v.withUnsafeBufferPointer { input in
                    for j in 0..<length { out[j] = Self.add(out[j], Self.multiply(w, input[j])) }
                }
            }
        }
        return acc
    }
}
