public import Bignum
public import CryptoPrimitives

/// A Chaum–Pedersen proof (Fiat–Shamir, SHA-256) that log_g(v) = log_h(w), in the compact form (c, s):
/// A = g^r, B = h^r, c = SHA-256(tag ‖ E(p) ‖ S(q) ‖ E(g) ‖ E(h) ‖ E(v) ‖ E(w) ‖ E(A) ‖ E(B)) mod q,
/// s = r + c·k mod q. Verification recomputes A = g^s·v^(q−c), B = h^s·w^(q−c) and compares the hash.
public struct DleqProof: Sendable, Equatable, Codable {
    /// The challenge c ∈ [0, q).
    public var challenge: Bignum
    /// The response s ∈ [0, q).
    public var response: Bignum

    /// A proof from its parts (no checks).
    public init(challenge: Bignum, response: Bignum) {
        self.challenge = challenge
        self.response = response
    }

    /// Proves log_g(v) = log_h(w) = k. Draws one nonce r = `Bignum.random(below: q)` (redrawn while zero);
    /// the exponentiations by r and the product c·k are on secrets and use constant-time code.
    /// - Throws: ``AdmissionError/randomness(_:)``.
    public static func prove(
        secret k: Bignum, h: Bignum, v: Bignum, w: Bignum, group: AdmissionGroup, using rng: inout some RandomSource
    ) throws(AdmissionError) -> DleqProof {
        let r = try group.randomNonZeroScalar(using: &rng)
        let a = try group.powerSecret(group.g, r)
        let b = try group.powerSecret(h, r)
        let c = try challenge(group: group, h: h, v: v, w: w, a: a, b: b)
        let q = group.q
        let s = try arithmetic { try (r + c.multiplied(by: k, modulo: q)).modulo(q) }
        return DleqProof(challenge: c, response: s)
    }

    static func challenge(group: AdmissionGroup, h: Bignum, v: Bignum, w: Bignum, a: Bignum, b: Bignum)
        throws(AdmissionError) -> Bignum
    {
        var t = Transcript(tag: Tag.dleq, group: group)
        try t.appendGroup()
        for x in [h, v, w, a, b] { try t.appendElement(x) }
        return try t.challenge()
    }

    /// Whether the proof shows log_g(v) = log_h(w). The caller has validated h, v and w as subgroup
    /// elements; c and s must lie in [0, q). Cost: four exponentiations mod p with 256-bit exponents.
    public func isValid(h: Bignum, v: Bignum, w: Bignum, group: AdmissionGroup) -> Bool {
        guard !challenge.isNegative, challenge < group.q, !response.isNegative, response < group.q else { return false }
        do {
            let minusC = group.q - challenge
            let a = try group.multiply(try group.power(group.g, response), try group.power(v, minusC))
            let b = try group.multiply(try group.power(h, response), try group.power(w, minusC))
            return try Self.challenge(group: group, h: h, v: v, w: w, a: a, b: b) == challenge
        } catch {
            return false
        }
    }
}
