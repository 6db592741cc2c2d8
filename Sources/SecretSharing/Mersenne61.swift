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

    /// Inlinable so that callers specialised for this field (``Shamir``'s `split` / `validate`) check a
    /// whole vector in a tight loop instead of one call per element.
    @inlinable
    public func isValid(_ a: UInt64) -> Bool { a < (1 << 61) - 1 }  // p as a literal, folded when inlined

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

    /// (hi · 2^64 + lo) mod p for any 128-bit value, branch-free: the value is split into 61-bit pieces
    /// (bits 0–60, 61–121, 122–127), whose sum is congruent to it because 2^61 ≡ 1, and is below 2^63.
    @inline(__always)
    static func reduce(high hi: UInt64, low lo: UInt64) -> UInt64 {
        reduce((lo & prime) &+ ((lo >> 61) | ((hi << 3) & prime)) &+ (hi >> 58))
    }

    /// Products of canonical elements are below 2^122, so up to 63 of them (plus one element) sum below
    /// 2^128; sums of products are reduced at least every `productsPerReduction` terms.
    static var productsPerReduction: Int { 32 }

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

    /// Evaluates each polynomial as Σₖ cₖ · xᵏ with the powers xᵏ mod p computed once per point: the
    /// products are added up as 128-bit integers and reduced once per value (one 64×64→128 multiply and
    /// an add-with-carry per coefficient, instead of a full reduction per Horner step). Elements are
    /// processed in blocks that keep every coefficient row in the L1 cache while all points are served.
    /// The values are the same as Horner's rule gives: both are the canonical residue in [0, p).
    public func evaluate(coefficients: [UInt64], rowCount: Int, length: Int, at points: [UInt64]) -> [[UInt64]] {
        var outputs = points.map { _ in [UInt64](repeating: 0, count: length) }
        guard length > 0, rowCount > 0 else { return outputs }
        // powers[s · rowCount + k] = x_s^k mod p.
        var powers = [UInt64](repeating: 1, count: points.count * rowCount)
        for (s, x) in points.enumerated() {
            for k in 1..<rowCount {
                powers[s * rowCount + k] = Self.multiply(powers[s * rowCount + k - 1], x)
            }
        }
        let block = 512
        coefficients.withUnsafeBufferPointer { c in
            powers.withUnsafeBufferPointer { allPowers in
                var start = 0
                while start < length {
                    let end = min(start + block, length)
                    for s in points.indices {
                        let xk = UnsafeBufferPointer(rebasing: allPowers[(s * rowCount)..<((s + 1) * rowCount)])
                        outputs[s].withUnsafeMutableBufferPointer { out in
                            for j in start..<end {
                                out[j] = Self.sumOfProducts(c, stride: length, column: j, powers: xk)
                            }
                        }
                    }
                    start = end
                }
            }
        }
        return outputs
    }

    /// Σₖ c[k · stride + column] · powers[k] mod p, with powers[0] = 1.
    @inline(__always)
    static func sumOfProducts(
        _ c: UnsafeBufferPointer<UInt64>, stride: Int, column: Int, powers: UnsafeBufferPointer<UInt64>
    ) -> UInt64 {
        var lo = c[column], hi: UInt64 = 0
        var k = 1
        while k < powers.count {
            let chunkEnd = min(k + productsPerReduction, powers.count)
            while k < chunkEnd {
                let (productHigh, productLow) = c[k * stride + column].multipliedFullWidth(by: powers[k])
                let (sum, carry) = lo.addingReportingOverflow(productLow)
                lo = sum
                hi = hi &+ productHigh &+ (carry ? 1 : 0)
                k += 1
            }
            if k < powers.count {
                lo = reduce(high: hi, low: lo)
                hi = 0
            }
        }
        return reduce(high: hi, low: lo)
    }

    /// Σᵢ wᵢ · vᵢ over blocks of elements: 128-bit partial sums per element (kept in the L1 cache), one
    /// pass over each input vector per block, one reduction per output value.
    public func linearCombination(weights: [UInt64], of vectors: [[UInt64]], length: Int) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: length)
        let terms = min(weights.count, vectors.count)
        guard length > 0, terms > 0 else { return result }
        let block = 1024
        var lowSums = [UInt64](repeating: 0, count: block), highSums = [UInt64](repeating: 0, count: block)
        result.withUnsafeMutableBufferPointer { out in
            lowSums.withUnsafeMutableBufferPointer { lo in
                highSums.withUnsafeMutableBufferPointer { hi in
                    var start = 0
                    while start < length {
                        let count = min(block, length - start)
                        for j in 0..<count {
                            lo[j] = 0
                            hi[j] = 0
                        }
                        for i in 0..<terms {
                            let w = weights[i]
                            vectors[i].withUnsafeBufferPointer { v in
                                for j in 0..<count {
                                    let (productHigh, productLow) = w.multipliedFullWidth(by: v[start + j])
                                    let (sum, carry) = lo[j].addingReportingOverflow(productLow)
                                    lo[j] = sum
                                    hi[j] = hi[j] &+ productHigh &+ (carry ? 1 : 0)
                                }
                            }
                            if (i + 1) % Self.productsPerReduction == 0 {
                                for j in 0..<count {
                                    lo[j] = Self.reduce(high: hi[j], low: lo[j])
                                    hi[j] = 0
                                }
                            }
                        }
                        for j in 0..<count { out[start + j] = Self.reduce(high: hi[j], low: lo[j]) }
                        start += count
                    }
                }
            }
        }
        return result
    }
}
