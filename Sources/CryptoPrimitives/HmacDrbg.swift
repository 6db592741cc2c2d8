/// NIST SP 800-90A Rev. 1 HMAC_DRBG with SHA-256: a deterministic random bit generator.
///
/// For known-answer vectors and reproducible simulations only; real keys and masks come from
/// ``SystemRandom``. The same seed always gives the same stream, so a copied generator repeats the
/// original's output (it is a value type, like the standard library's generators).
///
/// Stream definition (what `fill` does, so other implementations can reproduce it — see
/// `Specs/primitives.md`): a request for `n` bytes is served by ⌈n / 65 536⌉ consecutive SP 800-90A
/// Generate calls without additional input, each returning at most 65 536 bytes (2^19 bits, the
/// standard's `max_number_of_bits_per_request`), concatenated.
public struct HmacDrbg: RandomSource, Sendable {
    /// Largest number of bytes one Generate call returns (2^19 bits).
    public static let maximumBytesPerRequest = 1 << 16
    /// SP 800-90A `reseed_interval` for HMAC_DRBG.
    public static let reseedInterval: UInt64 = 1 << 48

    private var state: State

    /// Instantiates the generator: `seed_material = entropy || nonce || personalization`.
    ///
    /// - Parameters:
    ///   - entropy: the entropy input (the "seed"); at least 16 bytes (128-bit security strength).
    ///   - nonce: the nonce (may be empty for test vectors that fold it into `entropy`).
    ///   - personalization: optional personalization string.
    /// - Throws: ``CryptoError/invalidLength(what:expected:actual:)`` for entropy shorter than 16 bytes.
    public init(entropy: [UInt8], nonce: [UInt8] = [], personalization: [UInt8] = []) throws {
        guard entropy.count >= 16 else {
            throw CryptoError.invalidLength(what: "HMAC_DRBG entropy input", expected: "at least 16",
                                            actual: entropy.count)
        }
        state = State()
        state.update(entropy + nonce + personalization)
        state.reseedCounter = 1
    }

    /// Reseeds: `seed_material = entropy || additional`.
    public mutating func reseed(entropy: [UInt8], additional: [UInt8] = []) throws {
        guard entropy.count >= 16 else {
            throw CryptoError.invalidLength(what: "HMAC_DRBG entropy input", expected: "at least 16",
                                            actual: entropy.count)
        }
        uniquify()
        state.update(entropy + additional)
        state.reseedCounter = 1
    }

    /// One SP 800-90A Generate call: returns `count` ≤ 65 536 bytes.
    public mutating func generate(count: Int, additional: [UInt8] = []) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try generate(into: $0, additional: additional) }
        return out
    }

    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, Self.maximumBytesPerRequest)
            try generate(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + chunk)]),
                         additional: [])
            offset += chunk
        }
    }

    private mutating func generate(into out: UnsafeMutableRawBufferPointer, additional: [UInt8]) throws {
        guard out.count <= Self.maximumBytesPerRequest else {
            throw CryptoError.requestTooLarge(what: "HMAC_DRBG request", maximum: Self.maximumBytesPerRequest)
        }
        guard state.reseedCounter <= Self.reseedInterval else { throw CryptoError.reseedRequired }
        uniquify()
        if !additional.isEmpty { state.update(additional) }
        var written = 0
        while written < out.count {
            state.v = HmacSha256.authenticationCode(for: state.v, key: state.key)
            let take = min(32, out.count - written)
            for j in 0..<take { out[written + j] = state.v[j] }
            written += take
        }
        state.update(additional)
        state.reseedCounter += 1
    }

    private mutating func uniquify() {
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
    }

    /// Key K, value V and the reseed counter; wiped when released.
    private final class State: @unchecked Sendable {
        // @unchecked: only reached through HmacDrbg, which copies it before any mutation of a shared
        // instance (copy on write), so no two threads ever mutate the same State.
        var key = [UInt8](repeating: 0x00, count: 32)
        var v = [UInt8](repeating: 0x01, count: 32)
        var reseedCounter: UInt64 = 0

        func copy() -> State {
            let other = State()
            other.key = key
            other.v = v
            other.reseedCounter = reseedCounter
            return other
        }

        /// HMAC_DRBG_Update (SP 800-90A §10.1.2.2).
        func update(_ provided: [UInt8]) {
            key = HmacSha256.authenticationCode(for: v + [0x00] + provided, key: key)
            v = HmacSha256.authenticationCode(for: v, key: key)
            guard !provided.isEmpty else { return }
            key = HmacSha256.authenticationCode(for: v + [0x01] + provided, key: key)
            v = HmacSha256.authenticationCode(for: v, key: key)
        }

        deinit {
            zeroize(&key)
            zeroize(&v)
        }
    }
}

extension HmacDrbg: CustomStringConvertible {
    /// Never prints the internal state.
    public var description: String { "HmacDrbg(<redacted>)" }
}
