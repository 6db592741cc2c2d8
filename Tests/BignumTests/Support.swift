import Bignum
import CryptoPrimitives

/// Deterministic generators for tests.
enum HmacDrbgSeed {
    /// HMAC_DRBG with entropy 00 01 … 1f (the seed behind the known answers in these tests).
    static func make(_ seed: [UInt8] = Array(0..<32)) throws -> HmacDrbg {
        try HmacDrbg(entropy: seed)
    }
}

extension Bignum {
    /// Parses a decimal literal written in a test.
    static func dec(_ text: String) throws -> Bignum { try Bignum(decimal: text) }
}
