import Bignum
import CryptoPrimitives

/// A deterministic generator for property tests: HMAC_DRBG seeded from the test's name.
func testRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("secret-sharing tests: \(label)".utf8)))
}

/// A uniform integer in 0..<bound from the generator.
func uniform(_ bound: Int, using rng: inout HmacDrbg) throws -> Int {
    Int(try rng.nextUInt64() % UInt64(bound))
}

/// A random subset of `count` distinct elements of 1...n, in random order.
func randomIndices(count: Int, of n: Int, using rng: inout HmacDrbg) throws -> [Int] {
    var pool = Array(1...n)
    var chosen: [Int] = []
    for _ in 0..<count {
        chosen.append(pool.remove(at: try uniform(pool.count, using: &rng)))
    }
    return chosen
}
