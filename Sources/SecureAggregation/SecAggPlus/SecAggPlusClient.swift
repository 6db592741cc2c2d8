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
    /// Round 3: the requested shares; never both shares of one neighbour.
    public mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares {
        try engine.unmask(request)
    }
}
