public import Bignum

/// Authority j's share of a client's admission token: σ_j = H(y, session, round)^{k_j} with a DLEQ proof
/// that log_g(v_j) = log_h(σ_j).
public struct TokenShare: Sendable, Equatable, Codable {
    /// The issuing authority j ∈ 1 … n.
    public var authority: Int
    /// The client the share was issued to.
    public var client: ClientPublicKey
    /// The session.
    public var session: String
    /// The round.
    public var round: UInt64
    /// σ_j.
    public var value: Bignum
    /// The DLEQ proof against v_j.
    public var proof: DleqProof

    /// A share from its parts (no checks; see ``verify(parameters:base:)``).
    public init(authority: Int, client: ClientPublicKey, session: String, round: UInt64, value: Bignum, proof: DleqProof) {
        self.authority = authority
        self.client = client
        self.session = session
        self.round = round
        self.value = value
        self.proof = proof
    }

    /// Checks the share against base h = H(client, session, round): known authority, σ_j a subgroup element,
    /// and the DLEQ proof against v_j.
    /// - Throws: ``AdmissionError/unknownAuthority(_:)``, ``AdmissionError/invalidShareProof(authority:)``.
    public func verify(parameters: AdmissionPublicParameters, base h: Bignum) throws(AdmissionError) {
        let v = try parameters.verificationKey(of: authority)
        let group = parameters.group
        do { try group.validate(value, as: "token share") } catch { throw .invalidShareProof(authority: authority) }
        guard proof.isValid(h: h, v: v, w: value, group: group) else { throw .invalidShareProof(authority: authority) }
    }
}

/// An admission token: σ = H(y, session, round)^k, with the t token shares (and their DLEQ proofs) it was
/// combined from, so that anyone holding the public parameters can verify it with no authority online.
public struct AdmissionToken: Sendable, Equatable, Codable {
    /// The admitted client.
    public var client: ClientPublicKey
    /// The session.
    public var session: String
    /// The round.
    public var round: UInt64
    /// σ = Π σ_j^{λ_j} over ``shares``.
    public var value: Bignum
    /// The t shares used, in the order combined.
    public var shares: [TokenShare]

    /// A token from its parts (no checks; see ``AdmissionVerifier``).
    public init(client: ClientPublicKey, session: String, round: UInt64, value: Bignum, shares: [TokenShare]) {
        self.client = client
        self.session = session
        self.round = round
        self.value = value
        self.shares = shares
    }
}

/// The client side of combining: which shares were dropped, and the token built from t good ones.
public struct TokenCombination: Sendable {
    /// The token.
    public let token: AdmissionToken
    /// Shares that were dropped, with the reason (bad DLEQ, another client/session/round, duplicate,
    /// unknown authority), in input order.
    public let rejected: [(authority: Int, reason: AdmissionError)]
}

extension AdmissionToken {
    /// Combines token shares into a token for `client` in (`session`, `round`): every share is checked
    /// (addressed to this client, session and round; known, not repeated authority; valid DLEQ proof),
    /// bad ones are dropped, and the first t good ones in input order are combined by Lagrange in the
    /// exponent, σ = Π σ_j^{λ_j}.
    /// - Throws: ``AdmissionError/notEnoughValidShares(needed:got:)`` when fewer than t shares are good.
    public static func combine(
        _ shares: [TokenShare], client: ClientPublicKey, session: String, round: UInt64,
        parameters: AdmissionPublicParameters
    ) throws(AdmissionError) -> TokenCombination {
        let group = parameters.group
        let h = try group.hashToGroup(client: client.y, session: session, round: round)
        var good = [TokenShare]()
        var rejected = [(authority: Int, reason: AdmissionError)]()
        var seen = Set<Int>()
        for share in shares {
            do throws(AdmissionError) {
                try checkBinding(share, client: client, session: session, round: round)
                guard !seen.contains(share.authority) else { throw .duplicateAuthority(share.authority) }
                try share.verify(parameters: parameters, base: h)
                seen.insert(share.authority)
                good.append(share)
            } catch {
                rejected.append((share.authority, error))
            }
        }
        guard good.count >= parameters.threshold else {
            throw .notEnoughValidShares(needed: parameters.threshold, got: good.count)
        }
        let used = Array(good.prefix(parameters.threshold))
        let sigma = try parameters.combineInExponent(indices: used.map(\.authority), values: used.map(\.value))
        let token = AdmissionToken(client: client, session: session, round: round, value: sigma, shares: used)
        return TokenCombination(token: token, rejected: rejected)
    }

    static func checkBinding(_ share: TokenShare, client: ClientPublicKey, session: String, round: UInt64)
        throws(AdmissionError)
    {
        guard share.client == client else { throw .tokenForAnotherClient }
        guard share.session == session else { throw .sessionMismatch(expected: session, actual: share.session) }
        guard share.round == round else { throw .roundMismatch(expected: round, actual: share.round) }
    }
}

/// The aggregator's check of admission tokens, needing only the public parameters (no authority online).
public struct AdmissionVerifier: Sendable {
    /// The public parameters tokens are checked against.
    public let parameters: AdmissionPublicParameters

    /// A verifier for the authority set of `parameters`.
    public init(parameters: AdmissionPublicParameters) { self.parameters = parameters }

    /// Verifies `token` for (`session`, `round`), presented by `client` (nil: accept the token's own client).
    ///
    /// Checks in order: session, round, client; y a subgroup element; at least t shares; each share bound
    /// to the same client/session/round, from a distinct known authority, σ_j valid with a valid DLEQ proof
    /// against v_j for h = H(y, session, round); then σ = Π σ_j^{λ_j} over the first t shares.
    /// Cost for t shares: 1 + 5t + t exponentiations mod p (hash-to-group, subgroup check and 4 for each
    /// DLEQ, one per Lagrange term), plus one for y.
    /// - Throws: ``AdmissionError/sessionMismatch(expected:actual:)``,
    ///   ``AdmissionError/roundMismatch(expected:actual:)``, ``AdmissionError/tokenForAnotherClient``,
    ///   ``AdmissionError/invalidElement(_:)``, ``AdmissionError/notEnoughValidShares(needed:got:)``,
    ///   ``AdmissionError/unknownAuthority(_:)``, ``AdmissionError/duplicateAuthority(_:)``,
    ///   ``AdmissionError/invalidShareProof(authority:)``, ``AdmissionError/invalidToken``.
    public func verify(_ token: AdmissionToken, session: String, round: UInt64, client: ClientPublicKey? = nil)
        throws(AdmissionError)
    {
        guard token.session == session else { throw .sessionMismatch(expected: session, actual: token.session) }
        guard token.round == round else { throw .roundMismatch(expected: round, actual: token.round) }
        if let client, client != token.client { throw .tokenForAnotherClient }
        let group = parameters.group
        try group.validate(token.client.y, as: "client public key")
        guard token.shares.count >= parameters.threshold else {
            throw .notEnoughValidShares(needed: parameters.threshold, got: token.shares.count)
        }
        let h = try group.hashToGroup(client: token.client.y, session: session, round: round)
        var seen = Set<Int>()
        for share in token.shares {
            try AdmissionToken.checkBinding(share, client: token.client, session: session, round: round)
            guard share.authority >= 1, share.authority <= parameters.authorityCount else {
                throw .unknownAuthority(share.authority)
            }
            guard seen.insert(share.authority).inserted else { throw .duplicateAuthority(share.authority) }
            try share.verify(parameters: parameters, base: h)
        }
        let used = Array(token.shares.prefix(parameters.threshold))
        let sigma = try parameters.combineInExponent(indices: used.map(\.authority), values: used.map(\.value))
        guard sigma == token.value else { throw .invalidToken }
    }
}
