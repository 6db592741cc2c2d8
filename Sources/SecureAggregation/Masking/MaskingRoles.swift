/// The four-round masking protocol as seen by a driver (a harness, a transport): implemented alike by
/// ``MaskedAggregationClient`` (Bonawitz et al.) and ``SecAggPlusClient`` (Bell et al.), so one driver
/// runs either.
public protocol MaskingProtocolClient: Sendable {
    associatedtype Word: RingWord
    mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys
    mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys
    mutating func maskedInput(_ delivery: ShareDelivery, input: [Word]) throws(SecAggError) -> MaskedInput
    mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares
}

/// The server side of ``MaskingProtocolClient``: ``MaskedAggregationServer`` and ``SecAggPlusServer``.
public protocol MaskingProtocolServer: Sendable {
    associatedtype Word: RingWord
    mutating func receive(_ message: AdvertiseKeys) throws(SecAggError)
    mutating func receive(_ message: ShareKeys) throws(SecAggError)
    mutating func receive(_ message: MaskedInput) throws(SecAggError)
    mutating func receive(_ message: UnmaskShares) throws(SecAggError)
    mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory]
    mutating func finishShareKeys() throws(SecAggError) -> [ShareDelivery]
    mutating func finishMaskedInput() throws(SecAggError) -> [UnmaskRequest]
    mutating func finishUnmasking() throws(SecAggError) -> [Word]
}

/// The authenticated variant as seen by a driver (Bonawitz et al.'s active-server protocol; the client
/// was made with a signer and a verifier). The flow is the four rounds of ``MaskingProtocolClient`` with
/// signed messages, plus the consistency check between masked input and unmasking:
/// `advertiseKeys()` → `shareKeys(_:)` → `maskedInput(_:input:)` → `consistencyCheck(_:)` → `unmask(_:)`.
public protocol AuthenticatedMaskingProtocolClient: MaskingProtocolClient {
    /// Whether this client runs the authenticated variant (made with a signer and a verifier).
    var isAuthenticated: Bool { get }
    /// Round 2.5: checks U3 and signs it.
    mutating func consistencyCheck(_ request: ConsistencyCheckRequest) throws(SecAggError) -> ConsistencySignature
}

/// The server side of ``AuthenticatedMaskingProtocolClient`` (made with an authenticated
/// ``MaskingServerAuthentication``). Round 2 ends with ``finishMaskedInputForConsistencyCheck()`` instead of
/// `finishMaskedInput()`; the consistency signatures are received, and ``finishConsistencyCheck()`` returns
/// the unmasking requests. Rounds 0, 1 and 3 are the calls of ``MaskingProtocolServer``.
public protocol AuthenticatedMaskingProtocolServer: MaskingProtocolServer {
    /// Whether this server runs the authenticated variant.
    var isAuthenticated: Bool { get }
    /// Ends round 2: one consistency-check request (listing U3) per client of U3.
    mutating func finishMaskedInputForConsistencyCheck() throws(SecAggError) -> [ConsistencyCheckRequest]
    /// Round 2.5: accepts one client's signature on U3.
    mutating func receive(_ message: ConsistencySignature) throws(SecAggError)
    /// Ends round 2.5: one unmasking request, with the collected signatures, per client that signed.
    mutating func finishConsistencyCheck() throws(SecAggError) -> [UnmaskRequest]
}

extension MaskedAggregationClient: AuthenticatedMaskingProtocolClient {}
extension SecAggPlusClient: AuthenticatedMaskingProtocolClient {}
extension MaskedAggregationServer: AuthenticatedMaskingProtocolServer {}
extension SecAggPlusServer: AuthenticatedMaskingProtocolServer {}
