/// The server of SecAgg+ (Bell et al., CCS 2020): the ``MaskedAggregationServer`` state machine over the
/// Harary graph of ``SecAggPlusParameters/graph``. Each output message lists only the recipient's
/// neighbours, so messages are O(k) instead of O(n).
///
/// Thresholds apply per neighbourhood: after round 1, clients with fewer than t − 1 neighbours left are
/// dropped from U2 (repeatedly); after round 2 every survivor's seed and every dropped client's key must
/// still have t holders among the survivors, and after round 3 among the responders; otherwise the server
/// aborts with ``SecAggError/tooFewClients(round:needed:available:)``.
public struct SecAggPlusServer<Word: RingWord>: Sendable {
    private var engine: MaskingServerEngine<Word>

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` when `Word` is `UInt32` and k > 32.
    /// - Parameters:
    ///   - authentication: as for ``MaskedAggregationServer/init(parameters:authentication:maximumThreads:)``.
    public init(
        parameters: SecAggPlusParameters, authentication: MaskingServerAuthentication = .unauthenticated,
        maximumThreads: Int = defaultThreadCount
    ) throws(SecAggError) {
        engine = try MaskingServerEngine(
            config: parameters.configuration, threads: maximumThreads, authentication: authentication)
    }

    /// The round being collected (``ProtocolRound/finished`` once the sum is known).
    public var round: ProtocolRound { engine.round }
    /// Why the server aborted, if it did.
    public var abortReason: SecAggError? { engine.abortReason }
    /// Whether the server runs the authenticated variant.
    public var isAuthenticated: Bool { engine.isAuthenticated }
    /// U1: clients whose keys were accepted in round 0 (empty until round 0 is finished).
    public var advertisedClients: [UInt32] { engine.u1 }
    /// U2: clients whose shares were forwarded in round 1.
    public var sharingClients: [UInt32] { engine.u2 }
    /// U3: clients whose masked input is in the sum.
    public var maskedInputClients: [UInt32] { engine.u3 }
    /// U4: clients whose shares were used in round 3.
    public var unmaskingClients: [UInt32] { engine.u4 }

    /// Round 0: accepts one client's keys (rejects duplicates, reused and small-order keys).
    public mutating func receive(_ message: AdvertiseKeys) throws(SecAggError) { try engine.receive(message) }
    /// Round 1: accepts one client's encrypted shares (exactly one per peer in its directory).
    public mutating func receive(_ message: ShareKeys) throws(SecAggError) { try engine.receive(message) }
    /// Round 2: adds one client's masked input to the running sum.
    public mutating func receive(_ message: MaskedInput) throws(SecAggError) { try engine.receive(message) }
    /// Round 3: accepts one client's revealed shares (exactly those its request asked for).
    public mutating func receive(_ message: UnmaskShares) throws(SecAggError) { try engine.receive(message) }
    /// Round 2.5 (authenticated variant): accepts one survivor's signature on U3.
    public mutating func receive(_ message: ConsistencySignature) throws(SecAggError) { try engine.receive(message) }

    /// Decodes an encoded client message of any round and passes it to the matching `receive`.
    public mutating func receive(encoded bytes: [UInt8]) throws(SecAggError) {
        try dispatchMaskingMessage(bytes, { m throws(SecAggError) in try engine.receive(m) },
                                   { m throws(SecAggError) in try engine.receive(m) },
                                   { m throws(SecAggError) in try engine.receive(m) },
                                   { m throws(SecAggError) in try engine.receive(m) },
                                   { m throws(SecAggError) in try engine.receive(m) })
    }

    /// Ends round 0; one directory per advertiser listing its advertising neighbours and itself.
    public mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory] {
        try engine.finishAdvertiseKeys()
    }
    /// Ends round 1; one delivery per client of U2 with its neighbours' shares.
    public mutating func finishShareKeys() throws(SecAggError) -> [ShareDelivery] { try engine.finishShareKeys() }
    /// Ends round 2; one request per client of U3 covering its neighbourhood (unauthenticated protocol only).
    public mutating func finishMaskedInput() throws(SecAggError) -> [UnmaskRequest] {
        try engine.finishMaskedInput()
    }
    /// Ends round 2 of the authenticated variant: one ``ConsistencyCheckRequest`` listing the global U3 per
    /// client of U3.
    public mutating func finishMaskedInputForConsistencyCheck() throws(SecAggError) -> [ConsistencyCheckRequest] {
        try engine.finishMaskedInputForConsistencyCheck()
    }
    /// Ends round 2.5: each signer with t signers in its neighbourhood (itself included) gets an
    /// ``UnmaskRequest`` with those signatures; aborts unless every secret keeps t holders among them.
    public mutating func finishConsistencyCheck() throws(SecAggError) -> [UnmaskRequest] {
        try engine.finishConsistencyCheck()
    }
    /// Ends round 3 and returns Σ_{u∈U3} x_u mod 2^k.
    public mutating func finishUnmasking() throws(SecAggError) -> [Word] { try engine.finishUnmasking() }
    /// The aggregate once ``finishUnmasking()`` has succeeded.
    public func result() throws(SecAggError) -> [Word] { try engine.currentResult() }
}
