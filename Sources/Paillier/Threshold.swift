public import Bignum
public import CryptoPrimitives

/// The public side of a t-of-ℓ threshold Paillier key (Shoup 2000 / Damgård–Jurik 2001,
/// `Specs/paillier.md` "Threshold decryption"): the key, Δ = ℓ!, the verification base v and one
/// verification key vᵢ = v^(Δ·sᵢ) per party.
public struct ThresholdPaillierParameters: Sendable, Equatable {
    public let publicKey: PaillierPublicKey
    public let threshold: Int
    public let parties: Int
    /// Δ = ℓ!.
    public let delta: Bignum
    /// A random square v ∈ Z*_{n²}.
    public let v: Bignum
    /// vᵢ for i = 1 … ℓ (element i − 1).
    public let verificationKeys: [Bignum]

    /// - Throws: ``PaillierError/invalidThresholdParameters(_:)`` unless 1 ≤ t ≤ ℓ, ℓ verification keys
    ///   are given and v and every vᵢ lie in Z*_{n²}.
    public init(publicKey: PaillierPublicKey, threshold: Int, v: Bignum, verificationKeys: [Bignum]) throws {
        let parties = verificationKeys.count
        guard threshold >= 1, threshold <= parties, parties <= 1000 else {
            throw PaillierError.invalidThresholdParameters("need 1 ≤ t ≤ ℓ ≤ 1000, got t = \(threshold), ℓ = \(parties)")
        }
        for (i, value) in ([v] + verificationKeys).enumerated() where (try? PaillierCiphertext(value, publicKey: publicKey)) == nil {
            throw PaillierError.invalidThresholdParameters(i == 0 ? "v is not in Z*_{n²}" : "verification key \(i) is not in Z*_{n²}")
        }
        self.publicKey = publicKey
        self.threshold = threshold
        self.parties = parties
        self.v = v
        self.verificationKeys = verificationKeys
        delta = (1...parties).reduce(Bignum(1)) { $0 * Bignum($1) }
    }
}

/// Party i's share sᵢ = f(i) of the decryption exponent d. Secret: wiped on release, never printed.
public struct ThresholdPaillierKeyShare: Sendable, CustomStringConvertible {
    public let parameters: ThresholdPaillierParameters
    public let index: Int
    let secret: Bignum

    /// Adopts a share (e.g. loaded from storage); checks it against the party's verification key.
    /// - Throws: ``PaillierError/invalidThresholdParameters(_:)`` for an index outside 1 … ℓ or a share
    ///   that does not match vᵢ.
    public init(parameters: ThresholdPaillierParameters, index: Int, secret: Bignum) throws {
        guard index >= 1, index <= parameters.parties else {
            throw PaillierError.invalidThresholdParameters("share index \(index) is not in 1…\(parameters.parties)")
        }
        let expected = try parameters.v.powmSecret(parameters.delta * secret, modulus: parameters.publicKey.nSquared)
        guard !secret.isNegative, expected == parameters.verificationKeys[index - 1] else {
            throw PaillierError.invalidThresholdParameters("share \(index) does not match its verification key")
        }
        self.init(unchecked: parameters, index: index, secret: secret)
    }

    init(unchecked parameters: ThresholdPaillierParameters, index: Int, secret: Bignum) {
        self.parameters = parameters
        self.index = index
        self.secret = secret
    }

    /// sᵢ itself (for storage by its owner; handle as a secret key).
    public var secretValue: Bignum { secret }

    public var description: String { "ThresholdPaillierKeyShare(index: \(index), <redacted>)" }

    /// cᵢ = c^(2Δ·sᵢ) mod n² with a proof that log_{c⁴}(cᵢ²) = log_v(vᵢ).
    /// - Throws: ``PaillierError/keyMismatch`` for a ciphertext of another key; errors of `rng`.
    public func decryptionShare(for c: PaillierCiphertext, using rng: inout some RandomSource) throws
        -> PaillierDecryptionShare
    {
        let pp = parameters
        try pp.publicKey.checkKey(c)
        let n2 = pp.publicKey.nSquared
        let exponent = pp.delta * secret  // Δ·sᵢ
        let ci = try c.value.powmSecret(exponent << 1, modulus: n2)
        let c4 = try c.value.powm(Bignum(4), modulus: n2)
        let r = try Bignum.random(bits: n2.bitWidth + 2 * 256, using: &rng)
        let a = try c4.powmSecret(r, modulus: n2)
        let b = try pp.v.powmSecret(r, modulus: n2)
        let ci2 = try ci.multiplied(by: ci, modulo: n2)
        let e = pp.challenge(index: index, c4: c4, ci2: ci2, a: a, b: b)
        let z = r + e * exponent
        return PaillierDecryptionShare(index: index, value: ci, proof: .init(a: a, b: b, z: z))
    }
}

/// One party's decryption share cᵢ with its proof of correct decryption.
public struct PaillierDecryptionShare: Sendable, Equatable {
    public struct Proof: Sendable, Equatable {
        public var a: Bignum
        public var b: Bignum
        public var z: Bignum

        public init(a: Bignum, b: Bignum, z: Bignum) {
            self.a = a
            self.b = b
            self.z = z
        }
    }

    public var index: Int
    public var value: Bignum
    public var proof: Proof

    public init(index: Int, value: Bignum, proof: Proof) {
        self.index = index
        self.value = value
        self.proof = proof
    }
}

/// The outcome of a threshold decryption: the plaintext and the shares that were set aside.
public struct ThresholdDecryption: Sendable, Equatable {
    public var plaintext: Bignum
    /// Indices of rejected shares with the reason, in the order given.
    public var rejected: [Rejection]
    /// The indices of the shares combined.
    public var used: [Int]

    public struct Rejection: Sendable, Equatable {
        public var index: Int
        public var reason: String
    }
}

extension ThresholdPaillierParameters {
    static let domain = Array("secagg/paillier/decryption-share/v1".utf8)

    /// e = SHA-256(domain ‖ I(i) ‖ E(n) ‖ E(c⁴) ‖ E(cᵢ²) ‖ E(v) ‖ E(vᵢ) ‖ E(a) ‖ E(b)) as a 256-bit integer.
    func challenge(index: Int, c4: Bignum, ci2: Bignum, a: Bignum, b: Bignum) -> Bignum {
        let width = (publicKey.nSquared.bitWidth + 7) / 8
        var input = Self.domain
        input += [UInt8(truncatingIfNeeded: index >> 24), UInt8(truncatingIfNeeded: index >> 16),
                  UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
        for x in [publicKey.n, c4, ci2, v, verificationKeys[index - 1], a, b] {
            // Every value is reduced below n² before hashing, so it fits the width.
            input += (try? x.bigEndianBytes(width: width)) ?? []
        }
        return Bignum(bigEndian: Sha256.hash(input))
    }

    /// Checks a share and its proof for ciphertext `c`.
    /// - Throws: ``PaillierError/invalidDecryptionShare(index:reason:)`` naming what failed.
    public func verify(_ share: PaillierDecryptionShare, for c: PaillierCiphertext) throws {
        let i = share.index
        func reject(_ why: String) -> PaillierError { .invalidDecryptionShare(index: i, reason: why) }
        guard i >= 1, i <= parties else { throw reject("index is not in 1…\(parties)") }
        try publicKey.checkKey(c)
        let n2 = publicKey.nSquared
        for (name, value) in [("share value", share.value), ("proof a", share.proof.a), ("proof b", share.proof.b)]
        where (try? PaillierCiphertext(value, publicKey: publicKey)) == nil {
            throw reject("\(name) is not in Z*_{n²}")
        }
        let z = share.proof.z
        guard !z.isNegative, z.bitWidth <= n2.bitWidth + 2 * 256 + delta.bitWidth + 1 else {
            throw reject("proof response out of range")
        }
        let c4 = try c.value.powm(Bignum(4), modulus: n2)
        let ci2 = try share.value.multiplied(by: share.value, modulo: n2)
        let e = challenge(index: i, c4: c4, ci2: ci2, a: share.proof.a, b: share.proof.b)
        let lhs1 = try c4.powm(z, modulus: n2)
        let rhs1 = try share.proof.a.multiplied(by: ci2.powm(e, modulus: n2), modulo: n2)
        let lhs2 = try v.powm(z, modulus: n2)
        let rhs2 = try share.proof.b.multiplied(by: verificationKeys[i - 1].powm(e, modulus: n2), modulo: n2)
        guard lhs1 == rhs1, lhs2 == rhs2 else { throw reject("proof of correct decryption does not verify") }
    }

    /// Verifies every share, sets aside invalid and duplicate ones (by index), and combines the first t
    /// valid shares: c′ = Π cᵢ^(2λᵢ), m = L(c′) · (4Δ²)⁻¹ mod n.
    /// - Throws: ``PaillierError/invalidDecryptionShare(index:reason:)`` for the first rejected share when
    ///   fewer than t valid shares remain, ``PaillierError/invalidThresholdParameters(_:)`` when fewer
    ///   than t shares were given at all.
    public func combine(_ shares: [PaillierDecryptionShare], for c: PaillierCiphertext) throws -> ThresholdDecryption {
        try publicKey.checkKey(c)
        var valid: [PaillierDecryptionShare] = []
        var rejected: [ThresholdDecryption.Rejection] = []
        var firstError: PaillierError?
        var seen = Set<Int>()
        for share in shares {
            do {
                guard !seen.contains(share.index) else {
                    throw PaillierError.invalidDecryptionShare(index: share.index, reason: "duplicate index")
                }
                try verify(share, for: c)
                seen.insert(share.index)
                valid.append(share)
            } catch let error as PaillierError {
                if case .invalidDecryptionShare(let index, let reason) = error {
                    rejected.append(.init(index: index, reason: reason))
                }
                firstError = firstError ?? error
            }
        }
        guard valid.count >= threshold else {
            if let firstError { throw firstError }
            throw PaillierError.invalidThresholdParameters("need \(threshold) shares, got \(shares.count)")
        }
        let used = Array(valid.prefix(threshold))
        let n = publicKey.n, n2 = publicKey.nSquared
        let indices = used.map(\.index)
        var product = Bignum(1)
        for share in used {
            let lambda = try lagrange(at: share.index, over: indices)
            product = try product.multiplied(by: share.value.powm(lambda << 1, modulus: n2), modulo: n2)
        }
        let l = try (product - Bignum(1)).dividedExactly(by: n)
        let inverse = try (Bignum(4) * delta * delta).inverse(modulo: n)
        let m = try l.multiplied(by: inverse, modulo: n)
        return ThresholdDecryption(plaintext: m, rejected: rejected, used: indices)
    }

    /// λᵢ = Δ · Π_{j≠i} j / (j − i), an integer.
    func lagrange(at i: Int, over indices: [Int]) throws -> Bignum {
        var numerator = delta, denominator = Bignum(1)
        for j in indices where j != i {
            numerator *= Bignum(j)
            denominator *= Bignum(j - i)
        }
        let sign = denominator.isNegative
        let value = try numerator.dividedExactly(by: denominator.magnitude)
        return sign ? -value : value
    }
}

/// The trusted dealer of threshold Paillier keys.
public enum ThresholdPaillier {
    /// Splits the key n = pq (p, q safe primes) t-of-ℓ: d ≡ 0 mod m, d ≡ 1 mod n with m = p′q′, shares
    /// of d over Z_{nm}, verification keys. Randomness is consumed exactly as `Specs/paillier.md` says.
    /// The dealer must erase p and q afterwards; the returned values hold no trace of them but the shares.
    /// - Throws: ``PaillierError/invalidKey(_:)`` unless p, q are distinct safe primes giving a valid n;
    ///   ``PaillierError/invalidThresholdParameters(_:)`` unless 1 ≤ t ≤ ℓ ≤ 1000.
    public static func deal(
        p: Bignum, q: Bignum, threshold: Int, parties: Int, using rng: inout some RandomSource
    ) throws -> (parameters: ThresholdPaillierParameters, shares: [ThresholdPaillierKeyShare]) {
        guard threshold >= 1, threshold <= parties, parties <= 1000 else {
            throw PaillierError.invalidThresholdParameters("need 1 ≤ t ≤ ℓ ≤ 1000, got t = \(threshold), ℓ = \(parties)")
        }
        let pPrime = (p - Bignum(1)) >> 1, qPrime = (q - Bignum(1)) >> 1
        guard p != q, p.isProbablePrime(), q.isProbablePrime(), pPrime.isProbablePrime(), qPrime.isProbablePrime() else {
            throw PaillierError.invalidKey("p and q must be distinct safe primes")
        }
        guard Bignum(parties) < pPrime, Bignum(parties) < qPrime else {
            throw PaillierError.invalidKey("safe primes are too small for \(parties) parties")
        }
        let key = try PaillierPublicKey(n: p * q)
        let n = key.n, n2 = key.nSquared
        let m = pPrime * qPrime
        let d = try m * m.inverse(modulo: n)
        let nm = n * m
        var coefficients = [d]
        for _ in 1..<threshold { coefficients.append(try Bignum.random(below: nm, using: &rng)) }
        var r: Bignum
        repeat { r = try Bignum.random(below: n2, using: &rng) } while Bignum.gcd(r, n) != Bignum(1)
        let v = try r.multiplied(by: r, modulo: n2)
        var secrets: [Bignum] = []
        for i in 1...parties {
            var acc = Bignum()
            for a in coefficients.reversed() { acc = try (acc * Bignum(i) + a).modulo(nm) }
            secrets.append(acc)
        }
        let delta = (1...parties).reduce(Bignum(1)) { $0 * Bignum($1) }
        let verificationKeys = try secrets.map { try v.powmSecret(delta * $0, modulus: n2) }
        let parameters = try ThresholdPaillierParameters(
            publicKey: key, threshold: threshold, v: v, verificationKeys: verificationKeys)
        let shares = secrets.enumerated().map {
            ThresholdPaillierKeyShare(unchecked: parameters, index: $0.offset + 1, secret: $0.element)
        }
        return (parameters, shares)
    }

    /// A safe prime p = 2p′ + 1 of exactly `bits` bits: p′ = random(bits: bits − 1) with its top two
    /// and lowest bits set, redrawn until p′ and 2p′ + 1 are both probable primes. Slow for large sizes
    /// (seconds at 512 bits, minutes at 1536).
    /// - Throws: ``PaillierError/invalidKey(_:)`` for bits < 16.
    public static func safePrime(bits: Int, using rng: inout some RandomSource) throws -> Bignum {
        guard bits >= 16 else { throw PaillierError.invalidKey("safe primes need at least 16 bits") }
        let set = (Bignum(3) << (bits - 3)) + Bignum(1)
        while true {
            let candidate = try Bignum.random(bits: bits - 1, using: &rng) | set
            // p′ ≡ 1 (mod 3) makes 2p′ + 1 divisible by 3: skip those cheaply.
            guard try candidate.modulo(Bignum(3)) == Bignum(2) else { continue }
            let p = (candidate << 1) + Bignum(1)
            if candidate.isProbablePrime(rounds: 25), p.isProbablePrime() { return p }
        }
    }
}
