import CryptoPrimitives
import SecretSharing

/// SplitMix64: a tiny deterministic generator for benchmark inputs (never for anything secret).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes of the stream.
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// The AES-256-CTR ``Prg`` as a ``RandomSource``: the fastest byte source in the package, to show the
/// cost of Shamir's arithmetic without a slow generator in front of it.
struct PrgRandomSource: RandomSource {
    let prg: Prg

    init(seed: UInt64) throws {
        var g = SplitMix64(seed: seed)
        prg = try Prg(seed: g.bytes(count: Prg.seedByteCount))
    }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) throws { try prg.fill(buffer) }
}

/// Inputs shared by the benchmarks of one process, built lazily on first use (outside any measurement:
/// every benchmark touches them before `startMeasurement()`).
enum Fixtures {
    /// Vector length L of the Shamir benchmarks.
    static let secretCount = 1_000_000
    static let threshold = 6
    static let shareCount = 10

    /// L fixed secrets in [0, 2^61 − 1).
    static let secrets: [UInt64] = {
        var g = SplitMix64(seed: 0x5EC_A66)
        return (0..<secretCount).map { _ in (g.next() >> 3) % Mersenne61.prime }
    }()

    /// A fixed-seed HMAC_DRBG (copied per iteration, so every split consumes the same stream).
    static let drbg: HmacDrbg = {
        var g = SplitMix64(seed: 0xD2B6)
        // Force-try: a 32-byte entropy input is always accepted.
        return try! HmacDrbg(entropy: g.bytes(count: 32))
    }()
}
