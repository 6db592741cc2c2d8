import Foundation

/// The server of Bonawitz et al.'s secure aggregation: collects each round's messages, then produces the
/// next round's messages, and finally the sum of the surviving clients' inputs in Z_2^k.
///
/// ```swift
/// var server = try MaskedAggregationServer<UInt32>(parameters: p)
/// for m in adverts { try server.receive(m) };   let directories = try server.finishAdvertiseKeys()
/// for m in shares  { try server.receive(m) };   let deliveries  = try server.finishShareKeys()
/// for m in inputs  { try server.receive(m) };   let requests    = try server.finishMaskedInput()
/// for m in reveals { try server.receive(m) };   let sum         = try server.finishUnmasking()
/// ```
///
/// `receive` rejects (throws, and ignores) a message from the wrong protocol, session or round, from a client
/// not in the current participant set, a duplicate, or one with any malformed field; the round continues.
/// The `finish…` calls abort cleanly with ``SecAggError/tooFewClients(round:needed:available:)`` when fewer than
/// t clients remain; after an abort every call throws ``SecAggError/aborted(_:)``. Every output message is
/// addressed to one client (`header.receiver`); on the complete graph they share their contents.
public struct MaskedAggregationServer<Word: RingWord>: Sendable {
    private var engine: MaskingServerEngine<Word>

    /// - Parameters:
    ///   - authentication: ``MaskingServerAuthentication/unauthenticated`` (default) for the semi-honest
    ///     protocol, or the authenticated variant (signatures required and forwarded, optionally checked).
    ///   - maximumThreads: threads for removing the masks in ``finishUnmasking()`` (default: all cores).
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` when `Word` is `UInt32` and k > 32.
    public init(
        parameters: MaskedAggregationParameters, authentication: MaskingServerAuthentication = .unauthenticated,
        maximumThreads: Int = defaultThreadCount
    ) throws(SecAggError) {
        engine = try MaskingServerEngine(
            config: parameters.configuration, threads: maximumThreads, authentication: authentication)
    }

    /// The round the server is collecting (``ProtocolRound/finished`` once the sum is known).
    public var round: ProtocolRound { engine.round }
    /// Why the server aborted, if it did.
    public var abortReason: SecAggError? { engine.abortReason }
    /// Whether the server runs the authenticated variant.
    public var isAuthenticated: Bool { engine.isAuthenticated }
    /// U1, U2, U3, U4: clients that completed rounds 0 … 3 (empty until the round is finished).
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

    /// Ends round 0: U1 = the advertisers (≥ t, else abort); one key directory per client of U1.
    public mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory] {
        try engine.finishAdvertiseKeys()
    }

    /// Ends round 1: U2 = the clients whose shares arrived (≥ t, else abort); one delivery per client of U2.
    public mutating func finishShareKeys() throws(SecAggError) -> [ShareDelivery] { try engine.finishShareKeys() }

    /// Ends round 2: U3 = the clients whose masked input arrived (≥ t, else abort); one request per client of U3.
    /// Unauthenticated protocol only (the authenticated variant uses ``finishMaskedInputForConsistencyCheck()``).
    public mutating func finishMaskedInput() throws(SecAggError) -> [UnmaskRequest] {
        try engine.finishMaskedInput()
    }

    /// Ends round 2 of the authenticated variant: U3 = the clients whose masked input arrived (≥ t, else
    /// abort); one ``ConsistencyCheckRequest`` listing U3 per client of U3.
    public mutating func finishMaskedInputForConsistencyCheck() throws(SecAggError) -> [ConsistencyCheckRequest] {
        try engine.finishMaskedInputForConsistencyCheck()
    }

    /// Ends round 2.5: the clients that signed U3 (≥ t, else abort) each get an ``UnmaskRequest`` carrying
    /// every signature collected.
    public mutating func finishConsistencyCheck() throws(SecAggError) -> [UnmaskRequest] {
        try engine.finishConsistencyCheck()
    }

    /// Ends round 3: reconstructs b_u for u ∈ U3 (checked against its commitment) and s_v^SK for
    /// v ∈ U2 \ U3 (checked against s_v^PK), removes every mask and returns Σ_{u∈U3} x_u mod 2^k.
    /// - Throws: ``SecAggError/tooFewClients(round:needed:available:)`` with fewer than t responses,
    ///   ``SecAggError/reconstructionFailed(owner:secret:)`` for inconsistent shares (never a wrong sum).
    public mutating func finishUnmasking() throws(SecAggError) -> [Word] { try engine.finishUnmasking() }

    /// The aggregate once ``finishUnmasking()`` has succeeded.
    /// - Throws: ``SecAggError/notFinished(round:)`` before, ``SecAggError/aborted(_:)`` after an abort.
    public func result() throws(SecAggError) -> [Word] { try engine.currentResult() }
}

/// The number of active processors (the default for server-side parallel mask removal).
public var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Decodes a client → server message of the masking family and hands it to the matching closure.
internal func dispatchMaskingMessage(
    _ bytes: [UInt8],
    _ advertise: (AdvertiseKeys) throws(SecAggError) -> Void,
    _ share: (ShareKeys) throws(SecAggError) -> Void,
    _ masked: (MaskedInput) throws(SecAggError) -> Void,
    _ unmask: (UnmaskShares) throws(SecAggError) -> Void,
    _ consistency: (ConsistencySignature) throws(SecAggError) -> Void
) throws(SecAggError) {
    let (_, type) = try MessageHeader.peek(bytes)
    switch MaskingMessageType(rawValue: type) {
    case .advertiseKeys, .signedAdvertiseKeys: try advertise(try AdvertiseKeys(decoding: bytes))
    case .shareKeys: try share(try ShareKeys(decoding: bytes))
    case .maskedInput: try masked(try MaskedInput(decoding: bytes))
    case .unmaskShares: try unmask(try UnmaskShares(decoding: bytes))
    case .consistencySignature: try consistency(try ConsistencySignature(decoding: bytes))
    default: throw .unexpectedMessageType(expected: "a client message (1, 3, 5, 7, 8 or 11)", actual: type)
    }
}
