public import CryptoPrimitives

/// A client of Bonawitz et al.'s secure aggregation (CCS 2017, semi-honest variant with dropout recovery):
/// a transport-free state machine that consumes the server's messages and returns its own, round by round.
///
/// ```swift
/// var client = try MaskedAggregationClient<UInt32>(id: 3, parameters: p, using: &rng)
/// let m0 = try client.advertiseKeys()                       // → server
/// let m1 = try client.shareKeys(directory)                  // KeyDirectory from the server
/// let m2 = try client.maskedInput(delivery, input: x)       // ShareDelivery from the server; x in Z_2^k
/// let m3 = try client.unmask(request)                       // UnmaskRequest from the server
/// ```
///
/// All randomness (two X25519 key pairs, the self-mask seed b_u, the Shamir coefficients) is drawn in `init`.
/// Each method validates its input completely and throws a ``SecAggError`` without changing state when it
/// is wrong. Security note: the client never reveals both the mask-seed share and the key share of one peer,
/// in one request or across requests (``SecAggError/bothSharesRequested(peer:)``).
///
/// **Authenticated variant** (Bonawitz et al.'s active-server protocol, `Specs/secagg-masking.md`): made with
/// ``init(id:parameters:signer:verifier:using:)``, the client signs its keys, checks every signature in the
/// key directory, signs the survivor set in ``consistencyCheck(_:)`` and unmasks only when the request
/// carries t valid signatures on that same set. A failed signature check aborts the client for good.
public struct MaskedAggregationClient<Word: RingWord>: Sendable {
    private var engine: MaskingClientEngine<Word>

    /// A client with id `id` ∈ 1 … n.
    /// - Parameters:
    ///   - rng: the randomness for keys, seed and shares (`SystemRandom` for real use).
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` for an id outside 1 … n or a `Word`
    ///   that cannot hold the ring (`UInt32` needs k ≤ 32; `UInt64` holds any k); errors of `rng`.
    public init(id: UInt32, parameters: MaskedAggregationParameters, using rng: inout some RandomSource)
        throws(SecAggError)
    {
        engine = try MaskingClientEngine(id: id, config: parameters.configuration, using: &rng)
    }

    /// An authenticated client (the active-server variant): `signer` is this client's identity, `verifier`
    /// the directory of the admitted clients' identities.
    /// - Throws: as ``init(id:parameters:using:)``.
    public init(
        id: UInt32, parameters: MaskedAggregationParameters, signer: any MaskingSigner,
        verifier: any MaskingIdentityVerifier, using rng: inout some RandomSource
    ) throws(SecAggError) {
        engine = try MaskingClientEngine(
            id: id, config: parameters.configuration,
            authentication: ClientAuthentication(signer: signer, verifier: verifier), using: &rng)
    }

    /// Whether this client runs the authenticated variant.
    public var isAuthenticated: Bool { engine.isAuthenticated }
    /// Why this client aborted (a failed signature check in the authenticated variant), if it did.
    public var abortReason: SecAggError? { engine.abortReason }

    /// This client's id.
    public var id: UInt32 { engine.id }
    /// The round whose message this client produces next (``ProtocolRound/finished`` after unmasking).
    public var round: ProtocolRound { engine.round }

    /// Round 0: the two public keys c_u^PK, s_u^PK (authenticated: with this client's signature on them).
    /// - Throws: ``SecAggError/unexpectedMessage(message:round:)`` when called twice;
    ///   ``SecAggError/signingFailed(reason:)``.
    public mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys { try engine.advertiseKeys() }

    /// Round 1: checks the key directory (this client's keys echoed, ≥ t entries, all keys distinct) and
    /// returns the encrypted shares of b_u and s_u^SK for every other client listed, plus a commitment to b_u.
    /// Authenticated: first checks every entry's signature and aborts on the first bad one.
    /// - Throws: ``SecAggError/missingSignature(client:)``, ``SecAggError/invalidSignature(client:)`` (then
    ///   the client is aborted), ``SecAggError/wrongAuthenticationMode(what:authenticated:)`` for a directory
    ///   of the other variant.
    public mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys {
        try engine.shareKeys(directory)
    }

    /// Round 2: decrypts the shares received (any forged one rejects the delivery) and returns the masked
    /// input y_u = x_u + PRG(b_u) + Σ_{v>u} PRG(s_uv) − Σ_{v<u} PRG(s_uv) in Z_2^k.
    /// - Parameter input: L values, each below 2^k.
    public mutating func maskedInput(_ delivery: ShareDelivery, input: [Word]) throws(SecAggError) -> MaskedInput {
        try engine.maskedInput(delivery, input: input)
    }

    /// Round 2.5, authenticated variant only: checks U3 (contains this client, ≥ t clients, only clients it
    /// was told of in round 2) and signs it.
    /// - Throws: ``SecAggError/consistencyCheckRefused(reason:)``, ``SecAggError/unknownClient(_:)``,
    ///   ``SecAggError/tooFewClients(round:needed:available:)``,
    ///   ``SecAggError/wrongAuthenticationMode(what:authenticated:)`` in the unauthenticated protocol.
    public mutating func consistencyCheck(_ request: ConsistencyCheckRequest) throws(SecAggError)
        -> ConsistencySignature
    {
        try engine.consistencyCheck(request)
    }

    /// Round 3: the b-shares of the listed survivors and the s^SK-shares of the listed dropped clients.
    /// Authenticated: only when the lists follow the U3 this client signed and the request carries t valid
    /// signatures of clients of U3 over that same U3 (else ``SecAggError/notEnoughConsistencySignatures(needed:valid:)``
    /// and the client aborts; nothing is revealed).
    /// - Throws: ``SecAggError/bothSharesRequested(peer:)`` when a peer is listed both ways (or was revealed the
    ///   other way before); ``SecAggError/unmaskingRefused(reason:)`` for a second request or when this client is
    ///   listed as dropped; ``SecAggError/tooFewClients(round:needed:available:)`` for fewer than t survivors.
    public mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares {
        try engine.unmask(request)
    }
}
