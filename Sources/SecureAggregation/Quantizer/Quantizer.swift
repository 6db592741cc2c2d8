public import CryptoPrimitives

/// Maps real-valued model updates into Z_2^k and the aggregated sum back (`Specs/quantizer.md`).
///
/// 1. Clip each value to [−c, c].
/// 2. Scale by s = (2^b − 1) / c and round *stochastically* to an integer q with |q| ≤ 2^b − 1: ⌊x·s⌋ + 1 with
///    probability frac(x·s), else ⌊x·s⌋, so E[q] = x·s (unbiased).
/// 3. Store q in Z_2^k as its two's complement, k = b + ⌈log₂ n⌉ + 1: a sum of n such integers has magnitude
///    below 2^(k−1), so it never wraps and reads back exactly as a signed k-bit integer.
/// 4. Dequantize: the signed sum divided by s.
///
/// Error bound per coordinate for a sum of m ≤ n clients (checked by the tests):
/// |dequantizeSum − Σ clip(x_i)| < m / s (each rounding moves by less than one step 1/s), plus the clipping
/// error Σ |x_i − clip(x_i)| when inputs exceed c; the mean's error is below 1/s. Floating point adds at most
/// m·c·2^−50.
public struct Quantizer: Sendable, Equatable, Codable {
    /// c > 0: the clipping bound.
    public let clip: Double
    /// b: magnitude bits of a quantized value (1 ≤ b).
    public let valueBits: Int
    /// n: the most values that will be summed.
    public let clientCount: Int
    /// k = b + ⌈log₂ n⌉ + 1 ≤ 64.
    public let ringBits: Int

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless c is finite and > 0, b ≥ 1,
    ///   n ≥ 1 and k = b + ⌈log₂ n⌉ + 1 ≤ 64.
    public init(clip: Double, valueBits: Int, clientCount: Int) throws(SecAggError) {
        guard clip.isFinite, clip > 0 else {
            throw .invalidParameter(name: "clip c", value: "\(clip)", expected: "finite and > 0")
        }
        guard clientCount >= 1 else {
            throw .invalidParameter(name: "clients n", value: "\(clientCount)", expected: "≥ 1")
        }
        let k = Ring.bitWidth(forValueBits: valueBits, clients: clientCount)
        guard valueBits >= 1, k <= 64 else {
            throw .invalidParameter(name: "value bits b", value: "\(valueBits)",
                                    expected: "1...\(63 - ceilLog2(clientCount)) so that b + ⌈log₂ n⌉ + 1 ≤ 64")
        }
        self.clip = clip
        self.valueBits = valueBits
        self.clientCount = clientCount
        ringBits = k
    }

    /// The ring Z_2^k of the quantized values.
    public var ring: Ring { (try? Ring(bitWidth: ringBits)) ?? Ring.z32 }

    /// 2^b − 1: the largest |q|.
    public var maximumMagnitude: UInt64 { valueBits >= 64 ? .max : (UInt64(1) << UInt64(valueBits)) - 1 }

    /// s = (2^b − 1) / c: quantization steps per unit.
    public var scale: Double { Double(maximumMagnitude) / clip }

    /// The bound m / s on |dequantizeSum − Σ clip(x_i)| for m contributors (rounding only).
    public func sumErrorBound(contributors m: Int) -> Double { Double(m) / scale }

    /// The bound 1 / s on the mean's rounding error.
    public var meanErrorBound: Double { 1 / scale }

    /// x clipped to [−c, c].
    public func clipped(_ x: Double) -> Double { min(max(x, -clip), clip) }

    /// Quantizes `values` into Z_2^k (stochastic rounding from `rng`).
    /// - Throws: ``SecAggError/inputOutOfRange(index:expected:)`` for a NaN (infinities are clipped);
    ///   ``SecAggError/invalidParameter(name:value:expected:)`` when `Word` is `UInt32` and k > 32.
    public func quantize<Word: RingWord>(_ values: [Double], using rng: inout some RandomSource) throws(SecAggError)
        -> [Word]
    {
        try ring.checkWordType(Word.self)
        var out = [Word](repeating: 0, count: values.count)
        var randomness = RandomBlock()
        let me = self
        try values.withUnsafeBufferPointer { (x: UnsafeBufferPointer<Double>) throws(SecAggError) in
            try withWordBuffer(&out, { o throws(SecAggError) in try me.quantize(x, into: o, &randomness, &rng) },
                               { o throws(SecAggError) in try me.quantize(x, into: o, &randomness, &rng) })
        }
        return out
    }

    /// Quantizes `Float` values (see ``quantize(_:using:)-(([Double],_))``).
    public func quantize<Word: RingWord>(_ values: [Float], using rng: inout some RandomSource) throws(SecAggError)
        -> [Word]
    {
        try ring.checkWordType(Word.self)
        var out = [Word](repeating: 0, count: values.count)
        var randomness = RandomBlock()
        let me = self
        try values.withUnsafeBufferPointer { (x: UnsafeBufferPointer<Float>) throws(SecAggError) in
            try withWordBuffer(&out, { o throws(SecAggError) in try me.quantize(x, into: o, &randomness, &rng) },
                               { o throws(SecAggError) in try me.quantize(x, into: o, &randomness, &rng) })
        }
        return out
    }

    /// The real-valued sum Σ clip(x_i) (within ``sumErrorBound(contributors:)``) from the Z_2^k sum.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` when `Word` is `UInt32` and k > 32.
    public func dequantizeSum<Word: RingWord>(_ sum: [Word]) throws(SecAggError) -> [Double] {
        try ring.checkWordType(Word.self)
        let k = UInt64(ringBits)
        let mask = ring.mask
        let half: UInt64 = 1 << (k - 1)
        let s = scale
        return sum.map { w in
            let v = UInt64(w) & mask
            let signed: Int64 = v >= half ? (k == 64 ? Int64(bitPattern: v) : Int64(v) - Int64(bitPattern: mask) - 1) : Int64(v)
            return Double(signed) / s
        }
    }

    /// The mean of `contributors` clipped inputs (within ``meanErrorBound``) from the Z_2^k sum.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless 1 ≤ contributors ≤ n.
    public func dequantizeMean<Word: RingWord>(_ sum: [Word], contributors: Int) throws(SecAggError) -> [Double] {
        guard (1...clientCount).contains(contributors) else {
            throw .invalidParameter(name: "contributors", value: "\(contributors)", expected: "1...\(clientCount)")
        }
        let m = Double(contributors)
        return try dequantizeSum(sum).map { $0 / m }
    }

    /// The kernel: clip, scale, stochastic rounding with 53-bit uniforms, two's complement mod 2^k.
    private func quantize<F: BinaryFloatingPoint, T: FixedWidthInteger & UnsignedInteger>(
        _ x: UnsafeBufferPointer<F>, into out: UnsafeMutableBufferPointer<T>, _ randomness: inout RandomBlock,
        _ rng: inout some RandomSource
    ) throws(SecAggError) {
        let s = scale, c = clip
        let limit = Int64(maximumMagnitude)
        let mask = T(truncatingIfNeeded: ring.mask)
        for i in x.indices {
            let value = Double(x[i])
            guard !value.isNaN else { throw .inputOutOfRange(index: i, expected: "a number (not NaN)") }
            let scaled = min(max(value, -c), c) * s
            let floor = scaled.rounded(.down)
            let fraction = scaled - floor
            let u = Double(try randomness.next(&rng) >> 11) * 0x1p-53   // uniform in [0, 1)
            var q = Int64(floor) + (u < fraction ? 1 : 0)
            q = min(max(q, -limit), limit)
            out[i] = T(truncatingIfNeeded: q) & mask
        }
    }
}

/// Buffered 64-bit uniforms from a RandomSource: 4,096-byte requests, each word 8 bytes little-endian.
private struct RandomBlock {
    private var words = [UInt64](repeating: 0, count: 512)
    private var used = 512

    mutating func next(_ rng: inout some RandomSource) throws(SecAggError) -> UInt64 {
        if used == words.count {
            try lowered { try words.withUnsafeMutableBytes { try rng.fill($0) } }
            used = 0
        }
        defer { used += 1 }
        return UInt64(littleEndian: words[used])
    }
}
