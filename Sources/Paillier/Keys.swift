public import Bignum
public import CryptoPrimitives

/// A Paillier public key: the modulus n (g = n + 1 implicitly), with n² precomputed.
///
/// Constructed only through validation (``init(n:)``) or key generation, so every key in hand has an odd,
/// composite, non-perfect-power n of 1024 … 8192 bits (`Specs/paillier.md`).
public struct PaillierPublicKey: Sendable, Hashable, CustomStringConvertible {
    public static let minimumBits = 1024
    public static let maximumBits = 8192

    public let n: Bignum
    public let nSquared: Bignum
    /// |n| in bits.
    public let bits: Int

    /// Validates and adopts a modulus.
    /// - Throws: ``PaillierError/invalidKey(_:)`` naming the failed check.
    public init(n: Bignum) throws {
        let bits = n.bitWidth
        guard n.signum > 0, bits >= Self.minimumBits, bits <= Self.maximumBits else {
            throw PaillierError.invalidKey("n has \(bits) bits, expected \(Self.minimumBits)…\(Self.maximumBits)")
        }
        guard n.isOdd else { throw PaillierError.invalidKey("n is even") }
        guard !n.isProbablePrime() else { throw PaillierError.invalidKey("n is prime") }
        guard !n.isPerfectPower else { throw PaillierError.invalidKey("n is a perfect power") }
        self.init(validated: n)
    }

    init(validated n: Bignum) {
        self.n = n
        nSquared = n * n
        bits = n.bitWidth
    }

    /// Bytes of a ciphertext in the binary form: 2·⌈|n|/8⌉.
    public var ciphertextByteCount: Int { 2 * ((bits + 7) / 8) }

    public var description: String { "PaillierPublicKey(\(bits) bits)" }

    public static func == (a: Self, b: Self) -> Bool { a.n == b.n }
    public func hash(into hasher: inout Hasher) { hasher.combine(n) }

    // MARK: Encryption

    /// Classic encryption: c = (1 + m·n) · rⁿ mod n² with r uniform in Z*_n (needs only DCRA).
    /// - Throws: ``PaillierError/plaintextOutOfRange`` unless 0 ≤ m < n; errors of `rng`.
    public func encrypt(_ m: Bignum, using rng: inout some RandomSource) throws -> PaillierCiphertext {
        let r = try randomUnit(using: &rng)
        return try encrypt(m, randomness: r)
    }

    /// Encryption with given randomness r ∈ Z*_n (known-answer tests; real use draws r from a CSPRNG).
    /// - Throws: ``PaillierError/plaintextOutOfRange``; ``PaillierError/invalidCiphertext(_:)`` when r is
    ///   not a unit below n.
    public func encrypt(_ m: Bignum, randomness r: Bignum) throws -> PaillierCiphertext {
        let gm = try plaintextFactor(m)
        guard r.signum > 0, r < n, Bignum.gcd(r, n) == Bignum(1) else {
            throw PaillierError.invalidCiphertext("randomness is not in Z*_n")
        }
        // The exponent n is public, so the faster variable-time powm is safe here.
        let rn = try r.powm(n, modulus: nSquared)
        return PaillierCiphertext(unchecked: try gm.multiplied(by: rn, modulo: nSquared), key: self)
    }

    /// (1 + m·n) mod n² = (n + 1)^m mod n², for 0 ≤ m < n.
    func plaintextFactor(_ m: Bignum) throws -> Bignum {
        guard !m.isNegative, m < n else { throw PaillierError.plaintextOutOfRange }
        return m * n + Bignum(1)
    }

    /// Uniform r in Z*_n: `random(below: n)` redrawn until r ≥ 1 and gcd(r, n) = 1.
    func randomUnit(using rng: inout some RandomSource) throws -> Bignum {
        while true {
            let r = try Bignum.random(below: n, using: &rng)
            if r.signum > 0, Bignum.gcd(r, n) == Bignum(1) { return r }
        }
    }

    // MARK: Homomorphic operations (inputs are validated ciphertexts of this key)

    func checkKey(_ c: PaillierCiphertext) throws {
        guard c.publicKey.n == n else { throw PaillierError.keyMismatch }
    }

    /// Enc(a + b mod n).
    public func add(_ a: PaillierCiphertext, _ b: PaillierCiphertext) throws -> PaillierCiphertext {
        try checkKey(a)
        try checkKey(b)
        return PaillierCiphertext(unchecked: try a.value.multiplied(by: b.value, modulo: nSquared), key: self)
    }

    /// Enc(a + k mod n) for a plaintext 0 ≤ k < n.
    public func add(_ a: PaillierCiphertext, plaintext k: Bignum) throws -> PaillierCiphertext {
        try checkKey(a)
        return PaillierCiphertext(unchecked: try a.value.multiplied(by: plaintextFactor(k), modulo: nSquared), key: self)
    }

    /// Enc(k · a mod n) = a^k mod n² for any integer k (a negative k uses a⁻¹; the scalar is public).
    public func multiply(_ a: PaillierCiphertext, by k: Bignum) throws -> PaillierCiphertext {
        try checkKey(a)
        return PaillierCiphertext(unchecked: try a.value.powm(k, modulus: nSquared), key: self)
    }

    /// Enc(−a mod n).
    public func negate(_ a: PaillierCiphertext) throws -> PaillierCiphertext {
        try checkKey(a)
        return PaillierCiphertext(unchecked: try a.value.inverse(modulo: nSquared), key: self)
    }

    /// The same plaintext under fresh classic randomness.
    public func rerandomize(_ a: PaillierCiphertext, using rng: inout some RandomSource) throws -> PaillierCiphertext {
        try checkKey(a)
        let rn = try randomUnit(using: &rng).powm(n, modulus: nSquared)
        return PaillierCiphertext(unchecked: try a.value.multiplied(by: rn, modulo: nSquared), key: self)
    }
}

/// A Paillier private key: p, q and the CRT precomputations of `Specs/paillier.md`.
///
/// Every value is a ``Bignum``, whose limbs are zeroed when released; `description` never prints them.
public struct PaillierPrivateKey: Sendable, CustomStringConvertible {
    public let publicKey: PaillierPublicKey
    public let p: Bignum
    public let q: Bignum
    let pSquared: Bignum
    let qSquared: Bignum
    let hp: Bignum
    let hq: Bignum
    let qInverseModP: Bignum
    let pMinusOne: Bignum
    let qMinusOne: Bignum

    /// Validates p and q and derives the key.
    /// - Throws: ``PaillierError/invalidKey(_:)`` unless p·q is a valid modulus with p ≠ q both prime.
    public init(p: Bignum, q: Bignum) throws {
        guard p != q else { throw PaillierError.invalidKey("p = q") }
        guard p.isProbablePrime(), q.isProbablePrime() else { throw PaillierError.invalidKey("p or q is not prime") }
        let publicKey = try PaillierPublicKey(n: p * q)
        let phi = (p - Bignum(1)) * (q - Bignum(1))
        guard Bignum.gcd(publicKey.n, phi) == Bignum(1) else { throw PaillierError.invalidKey("gcd(n, φ(n)) ≠ 1") }
        try self.init(publicKey: publicKey, p: p, q: q)
    }

    /// Validates p and q against an existing public key.
    /// - Throws: ``PaillierError/invalidKey(_:)`` when p·q ≠ n or p, q are not distinct primes.
    public init(publicKey: PaillierPublicKey, p: Bignum, q: Bignum) throws {
        guard p * q == publicKey.n else { throw PaillierError.invalidKey("p·q ≠ n") }
        guard p != q, p.isProbablePrime(), q.isProbablePrime() else {
            throw PaillierError.invalidKey("p and q must be distinct primes")
        }
        self.publicKey = publicKey
        self.p = p
        self.q = q
        pSquared = p * p
        qSquared = q * q
        pMinusOne = p - Bignum(1)
        qMinusOne = q - Bignum(1)
        let g = publicKey.n + Bignum(1)
        do {
            hp = try Self.lFunction(g.modulo(pSquared).powm(pMinusOne, modulus: pSquared), p).inverse(modulo: p)
            hq = try Self.lFunction(g.modulo(qSquared).powm(qMinusOne, modulus: qSquared), q).inverse(modulo: q)
            qInverseModP = try q.inverse(modulo: p)
        } catch {
            throw PaillierError.invalidKey("CRT precomputation failed (\(error))")
        }
    }

    /// L(u) = (u − 1) / d.
    static func lFunction(_ u: Bignum, _ d: Bignum) throws -> Bignum {
        try (u - Bignum(1)).dividedExactly(by: d)
    }

    public var description: String { "PaillierPrivateKey(\(publicKey.bits) bits, <redacted>)" }

    /// Decrypts with the CRT; the exponentiations by p − 1 and q − 1 are constant time.
    /// - Throws: ``PaillierError/keyMismatch`` for a ciphertext of another key.
    public func decrypt(_ c: PaillierCiphertext) throws -> Bignum {
        try publicKey.checkKey(c)
        let mp = try (Self.lFunction(c.value.modulo(pSquared).powmSecret(pMinusOne, modulus: pSquared), p) * hp)
            .modulo(p)
        let mq = try (Self.lFunction(c.value.modulo(qSquared).powmSecret(qMinusOne, modulus: qSquared), q) * hq)
            .modulo(q)
        // m = mq + q · ((mp − mq) · q⁻¹ mod p)
        let t = try ((mp - mq) * qInverseModP).modulo(p)
        return mq + q * t
    }
}

/// Key generation (`Specs/paillier.md`, normative so that vectors reproduce).
public enum PaillierKeyPair {
    /// A fresh key pair with |n| = `bits` exactly.
    /// - Throws: ``PaillierError/invalidKey(_:)`` for an odd size or one outside 1024 … 8192; errors of `rng`.
    public static func generate(bits: Int, using rng: inout some RandomSource) throws -> PaillierPrivateKey {
        guard bits % 2 == 0, bits >= PaillierPublicKey.minimumBits, bits <= PaillierPublicKey.maximumBits else {
            throw PaillierError.invalidKey(
                "key size \(bits) must be even and in \(PaillierPublicKey.minimumBits)…\(PaillierPublicKey.maximumBits)")
        }
        let half = bits / 2
        let minimumDistance = Bignum(1) << (half - 100)
        while true {
            let p = try prime(bits: half, using: &rng)
            let q = try prime(bits: half, using: &rng)
            guard p != q, (p - q).magnitude >= minimumDistance else { continue }
            let n = p * q
            guard Bignum.gcd(n, (p - Bignum(1)) * (q - Bignum(1))) == Bignum(1) else { continue }
            return try PaillierPrivateKey(publicKey: PaillierPublicKey(validated: n), p: p, q: q)
        }
    }

    /// `prime(k)`: random(bits: k) with bits k−1, k−2 and 0 set, redrawn until probably prime.
    static func prime(bits: Int, using rng: inout some RandomSource) throws -> Bignum {
        let topTwo = (Bignum(3) << (bits - 2)) + Bignum(1)
        while true {
            let candidate = try Bignum.random(bits: bits, using: &rng) | topTwo
            if candidate.isProbablePrime() { return candidate }
        }
    }
}
