/// The public parameters of one ``MaskedAggregationServer`` session, validated once here.
///
/// Clients are numbered 1 … n (their ids are also their Shamir evaluation points). Any t of the clients that
/// received a client's shares can reconstruct its secrets, so up to n − t clients may drop out in total.
/// Security: with t > n/2 (``minimumSecureThreshold(clientCount:)``) a server that lies about who dropped
/// out can never collect both shares of one client from honest clients, because each honest client reveals
/// only one kind per peer and two disjoint sets of t clients do not fit in n (`Specs/secagg-masking.md`).
public struct MaskedAggregationParameters: Sendable, Equatable, Codable {
    /// The largest number of clients accepted.
    public static let maximumClientCount = 1 << 20
    /// The largest vector length accepted (2^28 values).
    public static let maximumVectorLength = 1 << 28

    /// n: clients 1 … n may take part.
    public let clientCount: Int
    /// t: shares needed to reconstruct a secret; the least number of clients that must remain at every round.
    public let threshold: Int
    /// L: values per input vector.
    public let vectorLength: Int
    /// k: inputs and the sum are in Z_2^k.
    public let ringBits: Int
    /// The aggregation session (e.g. the training round); bound into every message and key derivation.
    public let session: UInt64

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless 2 ≤ n ≤ 2^20, 2 ≤ t ≤ n,
    ///   1 ≤ L ≤ 2^28 and 1 ≤ k ≤ 64.
    public init(clientCount: Int, threshold: Int, vectorLength: Int, ringBits: Int, session: UInt64 = 0)
        throws(SecAggError)
    {
        guard (2...Self.maximumClientCount).contains(clientCount) else {
            throw .invalidParameter(name: "clients n", value: "\(clientCount)", expected: "2...\(Self.maximumClientCount)")
        }
        guard (2...clientCount).contains(threshold) else {
            throw .invalidParameter(name: "threshold t", value: "\(threshold)", expected: "2...\(clientCount)")
        }
        try checkVector(length: vectorLength, ringBits: ringBits)
        self.clientCount = clientCount
        self.threshold = threshold
        self.vectorLength = vectorLength
        self.ringBits = ringBits
        self.session = session
    }

    /// The ring Z_2^k.
    public var ring: Ring { (try? Ring(bitWidth: ringBits)) ?? Ring.z32 }

    /// n − t: the most clients that may drop out over the whole protocol.
    public var toleratedDropouts: Int { clientCount - threshold }

    /// ⌊n/2⌋ + 1: the smallest threshold with 2t > n (see the type's security note).
    public static func minimumSecureThreshold(clientCount: Int) -> Int { clientCount / 2 + 1 }

    var configuration: MaskingConfiguration {
        MaskingConfiguration(protocolID: .masking, session: session, threshold: threshold, vectorLength: vectorLength,
                             ring: ring, topology: .complete(clientCount: clientCount))
    }

    private enum CodingKeys: String, CodingKey { case clientCount, threshold, vectorLength, ringBits, session }

    /// Decodes and validates (the same checks as the initializer).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(clientCount: c.decode(Int.self, forKey: .clientCount), threshold: c.decode(Int.self, forKey: .threshold),
                      vectorLength: c.decode(Int.self, forKey: .vectorLength), ringBits: c.decode(Int.self, forKey: .ringBits),
                      session: c.decode(UInt64.self, forKey: .session))
    }
}

extension Ring {
    /// Z_2^32.
    static let z32 = Ring(unchecked: 32)

    private init(unchecked bits: Int) { bitWidth = bits }
}

internal func checkVector(length: Int, ringBits: Int) throws(SecAggError) {
    guard (1...MaskedAggregationParameters.maximumVectorLength).contains(length) else {
        throw .invalidParameter(name: "vector length L", value: "\(length)",
                                expected: "1...\(MaskedAggregationParameters.maximumVectorLength)")
    }
    _ = try Ring(bitWidth: ringBits)
}
