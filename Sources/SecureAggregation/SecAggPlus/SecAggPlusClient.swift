public import CryptoPrimitives

/// A client of SecAgg+ (Bell et al., CCS 2020): the ``MaskedAggregationClient`` protocol restricted to the
/// client's k neighbours in the public Harary graph of ``SecAggPlusParameters/graph``. It accepts keys and
/// shares only from its neighbours, masks only with them, and validates every server message as the
/// masking client does (same messages, protocol byte ``AggregationProtocol/secAggPlus``).
///
/// Per-client cost: k key agreements, k + 1 PRG expansions of L words and O(k·t) share arithmetic, with
/// k = O(log n).
public struct SecAggPlusClient<Word: RingWord>: Sendable {
    private var engine: MaskingClientEngine<Word>

    /// A client with id `id` ∈ 1 … n.
    /// - Throws: as ``MaskedAggregationClient/init(id:parameters:using:)``.
    public init(id: UInt32, parameters: SecAggPlusParameters, using rng: inout some RandomSource) throws(SecAggError) {
        engine = try MaskingClientEngine(id: id, config: parameters.configuration, using: &rng)
    }

    /// An authenticated client: as ``MaskedAggregationClient/init(id:parameters:signer:verifier:using:)``;
    /// the consistency check counts signatures of this client's neighbourhood only (itself included).
    public init(
        id: UInt32, parameters: SecAggPlusParameters, signer: any MaskingSigner, verifier: any MaskingIdentityVerifier,
        using rng: inout some RandomSource
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
    /// The round being collected (``ProtocolRound/finished`` once the sum is known).
    public var round: ProtocolRound { engine.round }

    /// Round 0: the two public keys.
    public mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys { try engine.advertiseKeys() }
    /// Round 1: encrypted shares for the neighbours listed in the directory (which may list only neighbours).
    public mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys {
        try engine.shareKeys(directory)
    }
    /// Round 2: the input masked with PRG(b_u) and the pairwise masks of the neighbours that shared.
    public mutating func maskedInput(_ delivery: ShareDelivery, input: [Word]) throws(SecAggError) -> MaskedInput {
        try engine.maskedInput(delivery, input: input)
    }
    /// Round 2.5, authenticated variant only: checks the global U3 (its neighbours in U3 shared keys with
    /// it, and at least t of its holders survive) and signs it.
    public mutating func consistencyCheck(_ request: ConsistencyCheckRequest) throws(SecAggError)
        -> ConsistencySignature
    {
        try engine.consistencyCheck(request)
    }
    /// Round 3: the requested shares; never both shares of one neighbour. Authenticated: only with t valid
    /// signatures on this client's U3 by members of its neighbourhood (itself included).
    public mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares {
        try engine.unmask(request)
    }
}
