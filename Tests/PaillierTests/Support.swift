import Bignum
import CryptoPrimitives
import Paillier

/// A deterministic generator for tests: HMAC_DRBG seeded from a label.
func testRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("paillier tests: \(label)".utf8)))
}

/// One 1024-bit key for the whole test run (generation takes a moment).
let sharedKey: PaillierPrivateKey? = {
    guard var rng = try? testRandom("shared key") else { return nil }
    return try? PaillierKeyPair.generate(bits: 1024, using: &rng)
}()

struct MissingKey: Error {}

func key() throws -> PaillierPrivateKey {
    guard let sharedKey else { throw MissingKey() }
    return sharedKey
}
