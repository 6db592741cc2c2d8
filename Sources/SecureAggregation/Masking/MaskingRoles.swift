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

extension MaskedAggregationClient: MaskingProtocolClient {}
extension SecAggPlusClient: MaskingProtocolClient {}
extension MaskedAggregationServer: MaskingProtocolServer {}
extension SecAggPlusServer: MaskingProtocolServer {}
