import Foundation

// Simulation randomness. Federated-learning simulation (data synthesis, partitioning, initialisation,
// shuffling, client sampling) is NOT cryptographic: it only has to be fast and reproducible from a
// seed. Everything here is specified bit-exactly in Specs/training.md (integer and uniform streams are identical
// on every platform; normal and gamma variates use libm's log/sin/cos, which may differ in the last bit).

/// SplitMix64 (Steele, Lea & Flood 2014). Used to expand a 64-bit seed into generator state and to
/// derive independent sub-seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The current state (the seed, advanced by γ per output).
    public private(set) var state: UInt64

    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next output: advance the state by γ = 0x9E3779B97F4A7C15, return ``mix(_:)`` of it.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function (a bijection on `UInt64`).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Derives an independent seed from `seed` and a path of integer components (round numbers, client
/// IDs, purpose tags): `h = mix(seed + γ)`, then for each component `c`: `h = mix(h ^ mix(c + γ))`,
/// where `mix` is the SplitMix64 output function and γ = 0x9E3779B97F4A7C15 (wrapping arithmetic;
/// negative components are taken as their two's-complement bit pattern).
public func deriveSeed(_ seed: UInt64, _ components: Int...) -> UInt64 {
    deriveSeed(seed, components: components)
}

/// Array form of ``deriveSeed(_:_:)``.
public func deriveSeed(_ seed: UInt64, components: [Int]) -> UInt64 {
    let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h = SplitMix64.mix(seed &+ gamma)
    for c in components {
        h = SplitMix64.mix(h ^ SplitMix64.mix(UInt64(bitPattern: Int64(c)) &+ gamma))
    }
    return h
}

/// xoshiro256** 1.0 (Blackman & Vigna), seeded by four successive SplitMix64 outputs. The simulation
/// generator for everything in FederatedLearning; value semantics (a copy replays the same stream).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second Box–Muller variate of the last pair, if not yet consumed.
    private var spareNormal: Double?

    /// A generator whose state is the next four outputs of `SplitMix64(seed: seed)`.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
        // SplitMix64 outputs of four distinct states are distinct, so the state is never all zero.
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64-bit output of xoshiro256**.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Xoshiro256StarStar.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Xoshiro256StarStar.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1): the top 53 bits of one output times 2⁻⁵³.
    @inline(__always)
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in [0, bound) by Lemire's nearly-divisionless rejection method.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Standard normal variate by the Box–Muller transform. Each pair (u1, u2) of uniforms yields
    /// z0 = r·cos(2πu2) (returned) and z1 = r·sin(2πu2) (returned by the next call), with
    /// u1 = 1 − nextUnitDouble() ∈ (0, 1] and r = √(−2 ln u1).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1.0 - nextUnitDouble()
        let u2 = nextUnitDouble()
        let r = (-2.0 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// Normal variate with the given mean and standard deviation.
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextNormal()
    }

    /// log of a Gamma(shape, 1) variate (Marsaglia–Tsang; for shape < 1 the boost
    /// log G(shape) = log G(shape + 1) + log(U)/shape, computed in log space so tiny shapes never
    /// underflow to zero).
    public mutating func nextLogGamma(shape: Double) -> Double {
        precondition(shape > 0 && shape.isFinite, "gamma shape must be positive and finite")
        if shape < 1 {
            let u = 1.0 - nextUnitDouble()  // (0, 1]
            return nextLogGamma(shape: shape + 1) + log(u) / shape
        }
        let d = shape - 1.0 / 3.0
        let c = 1.0 / (9.0 * d).squareRoot()
        while true {
            let x = nextNormal()
            var v = 1.0 + c * x
            if v <= 0 { continue }
            v = v * v * v
            let u = 1.0 - nextUnitDouble()  // (0, 1]
            let x2 = x * x
            if u < 1.0 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1.0 - v + log(v)) {
                return log(d * v)
            }
        }
    }

    /// A Dirichlet(α·1_k) sample: normalised Gamma(α) variates, computed from their logarithms.
    public mutating func nextDirichlet(alpha: Double, count: Int) -> [Double] {
        precondition(count > 0, "Dirichlet dimension must be positive")
        var logs = [Double](repeating: 0, count: count)
        for i in 0..<count { logs[i] = nextLogGamma(shape: alpha) }
        let top = logs.max() ?? 0
        var sum = 0.0
        for i in 0..<count {
            logs[i] = exp(logs[i] - top)
            sum += logs[i]
        }
        for i in 0..<count { logs[i] /= sum }
        return logs
    }

    /// Fisher–Yates shuffle, from the last position down: for i = n−1 … 1 swap a[i] with
    /// a[nextInt(below: i + 1)]. (Not `Array.shuffle(using:)`, whose algorithm is not specified.)
    public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
            i -= 1
        }
    }

    /// A uniformly random permutation of 0..<n (identity, then ``shuffle(_:)``).
    public mutating func permutation(of n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}
