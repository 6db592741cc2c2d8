public import Bignum
public import CryptoPrimitives

/// A non-interactive Schnorr proof of knowledge of x with y = g^x, bound by Fiat–Shamir to a session, a
/// round and an authority set: c = SHA-256(tag ‖ E(p) ‖ S(q) ‖ E(g) ‖ E(y) ‖ E(a) ‖ Str(session) ‖ u64(round)
/// ‖ D) mod q, where D is ``AdmissionPublicParameters/authoritySetDigest``; verified by g^s = a·y^c.
public struct AdmissionProof: Sendable, Equatable, Codable {
    /// The prover's public key y.
    public var publicKey: ClientPublicKey
    /// The session the proof is for.
    public var session: String
    /// The round the proof is for.
    public var round: UInt64
    /// The commitment a = g^r.
    public var commitment: Bignum
    /// The response s = r + c·x mod q.
    public var response: Bignum

    /// A proof from its parts (no checks; see ``verify(parameters:)``).
    public init(publicKey: ClientPublicKey, session: String, round: UInt64, commitment: Bignum, response: Bignum) {
        self.publicKey = publicKey
        self.session = session
        self.round = round
        self.commitment = commitment
        self.response = response
    }

    /// Proves knowledge of `key`'s secret for (`session`, `round`) towards the authority set of `parameters`.
    /// Draws one nonce r = `Bignum.random(below: q)` (redrawn while zero); a = g^r and c·x use constant-time code.
    /// - Throws: ``AdmissionError/randomness(_:)``.
    public static func prove(
        key: ClientSecretKey, parameters: AdmissionPublicParameters, session: String, round: UInt64,
        using rng: inout some RandomSource
    ) throws(AdmissionError) -> AdmissionProof {
        let group = parameters.group
        let r = try group.randomNonZeroScalar(using: &rng)
        let a = try group.powerSecret(group.g, r)
        let c = try challenge(
            group: group, y: key.publicKey.y, a: a, session: session, round: round,
            digest: parameters.authoritySetDigest)
        let q = group.q
        let s = try arithmetic { try (r + c.multiplied(by: key.x, modulo: q)).modulo(q) }
        return AdmissionProof(publicKey: key.publicKey, session: session, round: round, commitment: a, response: s)
    }

    /// The Fiat–Shamir challenge of the spec.
    static func challenge(
        group: AdmissionGroup, y: Bignum, a: Bignum, session: String, round: UInt64, digest: [UInt8]
    ) throws(AdmissionError) -> Bignum {
        var t = Transcript(tag: Tag.schnorr, group: group)
        try t.appendGroup()
        try t.appendElement(y)
        try t.appendElement(a)
        t.appendString(session)
        t.appendUInt64(round)
        t.appendRaw(digest)
        return try t.challenge()
    }

    /// Checks the proof against its own session and round: y and a subgroup elements, s ∈ [0, q), g^s = a·y^c.
    /// Callers compare ``session`` and ``round`` to the expected ones first (``Authority`` does).
    /// - Throws: ``AdmissionError/invalidElement(_:)``, ``AdmissionError/invalidScalar(_:)``,
    ///   ``AdmissionError/invalidProof``.
    public func verify(parameters: AdmissionPublicParameters) throws(AdmissionError) {
        let group = parameters.group
        try group.validate(publicKey.y, as: "client public key")
        try group.validate(commitment, as: "proof commitment")
        try group.validateScalar(response, as: "proof response")
        let c = try Self.challenge(
            group: group, y: publicKey.y, a: commitment, session: session, round: round,
            digest: parameters.authoritySetDigest)
        let left = try group.power(group.g, response)
        let right = try group.multiply(commitment, try group.power(publicKey.y, c))
        guard left == right else { throw .invalidProof }
    }
}
