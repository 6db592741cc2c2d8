public import Bignum
internal import CryptoPrimitives

/// The verifiable generation of the admission group (FIPS 186-4 appendix A.1.1.2 and A.2.3, SHA-256,
/// L = |p|, N = |q|, seedlen = outlen = 256), so anyone can check that p, q and g hide no trapdoor.
///
/// Seeds: the first seed is SHA-256(``AdmissionGroup/standardSeedLabel``); a seed whose q is not prime is
/// replaced by its SHA-256. The steps are exposed one by one so a test can check the stored counter
/// directly.
public enum GroupDerivation {
    /// A.1.1.2 steps 5–6: U = SHA-256(seed) mod 2^(N−1), q = 2^(N−1) + U + 1 − (U mod 2).
    /// (q is a candidate; the caller tests primality.)
    public static func candidateQ(seed: [UInt8], bits n: Int = 256) -> Bignum {
        let top = Bignum(1) << (n - 1)
        let u = (try? Bignum(bigEndian: Sha256.hash(seed)).modulo(top)) ?? Bignum()
        return top + u + Bignum(1) - (u.isOdd ? Bignum(1) : Bignum())
    }

    /// A.1.1.2 step 11 for one counter: the candidate p from V_j = SHA-256((seed + offset + j) mod 2^seedlen),
    /// offset = 1 + counter·(n + 1), n = ⌈L/256⌉ − 1, b = L − 1 − 256·n; W = Σ V_j·2^(256 j) (V_n mod 2^b),
    /// X = W + 2^(L−1), p = X − ((X mod 2q) − 1). Returns nil if p < 2^(L−1).
    public static func candidateP(seed: [UInt8], q: Bignum, counter: Int, bits l: Int = 2048) -> Bignum? {
        let outlen = 256
        let n = (l + outlen - 1) / outlen - 1
        let b = l - 1 - n * outlen
        let seedlen = seed.count * 8
        let seedModulus = Bignum(1) << seedlen
        let s = Bignum(bigEndian: seed)
        let offset = 1 + counter * (n + 1)
        var w = Bignum()
        for j in 0...n {
            guard let value = try? (s + Bignum(offset + j)).modulo(seedModulus),
                let input = try? value.bigEndianBytes(width: seed.count)
            else { return nil }
            var v = Bignum(bigEndian: Sha256.hash(input))
            if j == n { v = (try? v.modulo(Bignum(1) << b)) ?? Bignum() }
            w += v << (j * outlen)
        }
        let x = w + (Bignum(1) << (l - 1))
        guard let c = try? x.modulo(q + q) else { return nil }
        let p = x - (c - Bignum(1))
        return p >= (Bignum(1) << (l - 1)) ? p : nil
    }

    /// A.2.3: g = SHA-256(seed ‖ "ggen" ‖ index ‖ count)^((p−1)/q) mod p for count = 1, 2, … (16-bit,
    /// big-endian) until g ≥ 2. Returns g and the count used.
    public static func canonicalGenerator(seed: [UInt8], p: Bignum, q: Bignum, index: UInt8) -> (g: Bignum, count: Int)? {
        guard let e = try? (p - Bignum(1)).quotientAndRemainder(dividingBy: q).quotient else { return nil }
        for count in 1..<(1 << 16) {
            let u = seed + Array("ggen".utf8) + [index, UInt8(count >> 8), UInt8(count & 0xff)]
            guard let g = try? Bignum(bigEndian: Sha256.hash(u)).powm(e, modulus: p) else { return nil }
            if g >= Bignum(2) { return (g, count) }
        }
        return nil
    }

    /// The whole derivation from the seed label: the seed search for q, the counter loop for p (at most
    /// 4L counters) and the canonical generator. Returns nil if the loop runs out (never for the standard label).
    public static func derive(label: String, pBits l: Int = 2048, qBits n: Int = 256, index: UInt8 = 1)
        -> (seed: [UInt8], seedIterations: Int, counter: Int, p: Bignum, q: Bignum, g: Bignum, count: Int)?
    {
        var seed = Sha256.hash(Array(label.utf8))
        var iterations = 0
        var q = candidateQ(seed: seed, bits: n)
        while !q.isProbablePrime() {
            seed = Sha256.hash(seed)
            iterations += 1
            q = candidateQ(seed: seed, bits: n)
        }
        for counter in 0..<(4 * l) {
            guard let p = candidateP(seed: seed, q: q, counter: counter, bits: l), p.isProbablePrime() else { continue }
            guard let (g, count) = canonicalGenerator(seed: seed, p: p, q: q, index: index) else { return nil }
            return (seed, iterations, counter, p, q, g, count)
        }
        return nil
    }
}
