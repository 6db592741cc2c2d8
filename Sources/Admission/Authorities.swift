public import Bignum
public import CryptoPrimitives
internal import SecretSharing

/// What every party knows about the authorities: the group, t and n, the verification keys v_j = g^{k_j}
/// (j = 1 … n) and the issuing public key Y = g^k.
public struct AdmissionPublicParameters: Sendable, Equatable, Codable {
    /// The group.
    public let group: AdmissionGroup
    /// t: how many token shares make a token.
    public let threshold: Int
    /// v_1 … v_n, in authority order.
    public let verificationKeys: [Bignum]
    /// Y = g^k (the dealer's published key; with the v_j it fixes k).
    public let issuingPublicKey: Bignum
    /// D = SHA-256(Str(tag) ‖ u32(n) ‖ u32(t) ‖ E(Y) ‖ E(v_1) ‖ … ‖ E(v_n)), bound into every proof.
    public let authoritySetDigest: [UInt8]
    let shamir: Shamir<BigPrimeField>

    /// n: the number of authorities.
    public var authorityCount: Int { verificationKeys.count }

    /// Parameters after checks: 1 ≤ t ≤ n, every key a subgroup element other than 1, and Y equal to the
    /// Lagrange combination of v_1 … v_t (so the keys are consistent shares of one k).
    /// - Throws: ``AdmissionError/invalidThreshold(threshold:authorityCount:)``,
    ///   ``AdmissionError/invalidElement(_:)``, ``AdmissionError/malformed(_:)``.
    public init(group: AdmissionGroup, threshold: Int, verificationKeys: [Bignum], issuingPublicKey: Bignum)
        throws(AdmissionError)
    {
        let n = verificationKeys.count
        guard n >= 1, threshold >= 1, threshold <= n else {
            throw .invalidThreshold(threshold: threshold, authorityCount: n)
        }
        for (j, v) in verificationKeys.enumerated() { try group.validate(v, as: "verification key \(j + 1)") }
        try group.validate(issuingPublicKey, as: "issuing public key")
        do {
            shamir = try Shamir(field: BigPrimeField(modulus: group.q), threshold: threshold, shareCount: n)
        } catch {
            throw .invalidGroup("\(error)")
        }
        self.group = group
        self.threshold = threshold
        self.verificationKeys = verificationKeys
        self.issuingPublicKey = issuingPublicKey
        var t = Transcript(tag: Tag.authoritySet, group: group)
        t.appendUInt32(UInt32(truncatingIfNeeded: n))
        t.appendUInt32(UInt32(truncatingIfNeeded: threshold))
        try t.appendElement(issuingPublicKey)
        for v in verificationKeys { try t.appendElement(v) }
        authoritySetDigest = t.digest
        let first = Array(1...threshold)
        let combined = try combineInExponent(indices: first, values: Array(verificationKeys.prefix(threshold)))
        guard combined == issuingPublicKey else {
            throw .malformed("verification keys do not interpolate to the issuing public key")
        }
    }

    /// The verification key v_j of authority j (1-based).
    /// - Throws: ``AdmissionError/unknownAuthority(_:)``.
    public func verificationKey(of j: Int) throws(AdmissionError) -> Bignum {
        guard j >= 1, j <= authorityCount else { throw .unknownAuthority(j) }
        return verificationKeys[j - 1]
    }

    /// Π values_i^{λ_i} mod p with λ_i the Lagrange coefficients at 0 for the given distinct indices.
    func combineInExponent(indices: [Int], values: [Bignum]) throws(AdmissionError) -> Bignum {
        let lambdas: [Bignum]
        do { lambdas = try shamir.lagrangeCoefficientsAtZero(indices: indices) } catch {
            throw .malformed("share indices \(indices): \(error)")
        }
        var acc = Bignum(1)
        for (lambda, value) in zip(lambdas, values) {
            acc = try group.multiply(acc, try group.power(value, lambda))
        }
        return acc
    }

    private enum CodingKeys: String, CodingKey { case version, group, threshold, verificationKeys, issuingPublicKey }

    /// Decodes `{"version": 1, "group", "threshold", "verificationKeys", "issuingPublicKey"}` with the checks of init.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version == 1 else { throw AdmissionError.malformed("public parameters version \(version)") }
        try self.init(
            group: c.decode(AdmissionGroup.self, forKey: .group), threshold: c.decode(Int.self, forKey: .threshold),
            verificationKeys: c.decode([Bignum].self, forKey: .verificationKeys),
            issuingPublicKey: c.decode(Bignum.self, forKey: .issuingPublicKey))
    }

    /// Encodes the fields of ``init(from:)``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .version)
        try c.encode(group, forKey: .group)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(verificationKeys, forKey: .verificationKeys)
        try c.encode(issuingPublicKey, forKey: .issuingPublicKey)
    }

    public static func == (lhs: AdmissionPublicParameters, rhs: AdmissionPublicParameters) -> Bool {
        lhs.group == rhs.group && lhs.threshold == rhs.threshold && lhs.verificationKeys == rhs.verificationKeys
            && lhs.issuingPublicKey == rhs.issuingPublicKey
    }
}

/// Authority j's secret: its Shamir share k_j of the issuing key. Not `Codable`; see ``serialized()``.
public struct AuthorityKey: Sendable, CustomStringConvertible {
    /// The authority index j ∈ 1 … n.
    public let index: Int
    let share: Bignum

    /// A key from its parts; checks k_j ∈ [0, q), the index, and g^{k_j} = v_j.
    /// - Throws: ``AdmissionError/unknownAuthority(_:)``, ``AdmissionError/invalidScalar(_:)``,
    ///   ``AdmissionError/malformed(_:)``.
    public init(index: Int, share: Bignum, parameters: AdmissionPublicParameters) throws(AdmissionError) {
        let v = try parameters.verificationKey(of: index)
        try parameters.group.validateScalar(share, as: "authority \(index) key share")
        guard try parameters.group.powerSecret(parameters.group.g, share) == v else {
            throw .malformed("authority \(index) key share does not match its verification key")
        }
        self.index = index
        self.share = share
    }

    init(trustedIndex index: Int, share: Bignum) {
        self.index = index
        self.share = share
    }

    /// The explicit, versioned export `{"version": 1, "index": j, "share": "<decimal>"}` (a secret).
    public func serialized() -> SerializedAuthorityKey { SerializedAuthorityKey(version: 1, index: index, share: share) }

    /// Reads ``serialized()`` output, with the checks of ``init(index:share:parameters:)``.
    public init(_ serialized: SerializedAuthorityKey, parameters: AdmissionPublicParameters) throws(AdmissionError) {
        guard serialized.version == 1 else { throw .malformed("authority key version \(serialized.version)") }
        try self.init(index: serialized.index, share: serialized.share, parameters: parameters)
    }

    public var description: String { "AuthorityKey(index: \(index), <redacted>)" }
}

/// The file form of an authority key.
public struct SerializedAuthorityKey: Sendable, Codable {
    /// Format version (1).
    public var version: Int
    /// j.
    public var index: Int
    /// k_j.
    public var share: Bignum
}

/// What the trusted dealer outputs: the public parameters and one key per authority (index order).
public struct AdmissionDealing: Sendable {
    /// Published to everyone.
    public let parameters: AdmissionPublicParameters
    /// `authorityKeys[j − 1]` goes to authority j only.
    public let authorityKeys: [AuthorityKey]

    /// Deals a fresh issuing key: k = `Bignum.random(below: q)` redrawn while zero, then
    /// `Shamir(field: BigPrimeField(q), t, n).split(secret: k)` (t − 1 coefficients in one draw, the
    /// secret-sharing sampling rule), v_j = g^{k_j}, Y = g^k (constant time). The dealer then forgets k.
    /// A DKG (Pedersen/Gennaro et al.) would replace this function; the rest of the module is unchanged.
    /// - Throws: ``AdmissionError/invalidThreshold(threshold:authorityCount:)``, ``AdmissionError/randomness(_:)``.
    public static func deal(
        group: AdmissionGroup = .standard, threshold: Int, authorityCount: Int, using rng: inout some RandomSource
    ) throws(AdmissionError) -> AdmissionDealing {
        guard authorityCount >= 1, threshold >= 1, threshold <= authorityCount else {
            throw .invalidThreshold(threshold: threshold, authorityCount: authorityCount)
        }
        let k = try group.randomNonZeroScalar(using: &rng)
        let shares: [ShamirShare<Bignum>]
        do {
            let shamir = try Shamir(field: BigPrimeField(modulus: group.q), threshold: threshold, shareCount: authorityCount)
            shares = try shamir.split(secret: k, using: &rng)
        } catch {
            throw .randomness("\(error)")
        }
        var keys = [AuthorityKey]()
        var verification = [Bignum]()
        for share in shares {
            guard let value = share.values.first else { throw .arithmetic("empty Shamir share") }
            keys.append(AuthorityKey(trustedIndex: share.index, share: value))
            verification.append(try group.powerSecret(group.g, value))
        }
        let publicKey = try group.powerSecret(group.g, k)
        let parameters = try AdmissionPublicParameters(
            group: group, threshold: threshold, verificationKeys: verification, issuingPublicKey: publicKey)
        return AdmissionDealing(parameters: parameters, authorityKeys: keys)
    }
}

/// One authority: checks a client's registration and proof, then issues its token share σ_j = h^{k_j}
/// with a DLEQ proof against v_j.
public struct Authority: Sendable {
    /// This authority's key.
    public let key: AuthorityKey
    /// The public parameters.
    public let parameters: AdmissionPublicParameters
    /// The public keys this authority admits.
    public var registry: Set<ClientPublicKey>

    /// An authority with its key, the public parameters and its registry.
    public init(key: AuthorityKey, parameters: AdmissionPublicParameters, registry: Set<ClientPublicKey>) {
        self.key = key
        self.parameters = parameters
        self.registry = registry
    }

    /// Issues a token share for the client of `proof` in (`session`, `round`).
    ///
    /// Checks in order: the proof's session, its round, the registration of its key, the proof itself.
    /// Then h = H(y, session, round), σ_j = h^{k_j} (constant time) and a DLEQ proof (one nonce draw).
    /// - Throws: ``AdmissionError/sessionMismatch(expected:actual:)``,
    ///   ``AdmissionError/roundMismatch(expected:actual:)``, ``AdmissionError/unregisteredClient``,
    ///   ``AdmissionError/invalidElement(_:)``, ``AdmissionError/invalidScalar(_:)``,
    ///   ``AdmissionError/invalidProof``, ``AdmissionError/randomness(_:)``.
    public func issue(for proof: AdmissionProof, session: String, round: UInt64, using rng: inout some RandomSource)
        throws(AdmissionError) -> TokenShare
    {
        guard proof.session == session else { throw .sessionMismatch(expected: session, actual: proof.session) }
        guard proof.round == round else { throw .roundMismatch(expected: round, actual: proof.round) }
        guard registry.contains(proof.publicKey) else { throw .unregisteredClient }
        try proof.verify(parameters: parameters)
        let group = parameters.group
        let h = try group.hashToGroup(client: proof.publicKey.y, session: session, round: round)
        let sigma = try group.powerSecret(h, key.share)
        let v = try parameters.verificationKey(of: key.index)
        let dleq = try DleqProof.prove(secret: key.share, h: h, v: v, w: sigma, group: group, using: &rng)
        return TokenShare(
            authority: key.index, client: proof.publicKey, session: session, round: round, value: sigma, proof: dleq)
    }
}
