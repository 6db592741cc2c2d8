public import CryptoPrimitives

/// The public parameters of one ``SecAggPlusServer`` session: Bell et al.'s SecAgg+ (CCS 2020), where each
/// client masks with and shares its secrets to only its k neighbours in a random k-regular Harary graph.
///
/// A client's secrets are Shamir-shared t-of-(k + 1) among its neighbours and itself, so t is a threshold
/// *per neighbourhood*. Choose (k, t) with ``recommended(clientCount:corruptionRate:dropoutRate:threatModel:securityBits:correctnessBits:)``;
/// the analysis is in `Specs/secagg-plus.md`.
public struct SecAggPlusParameters: Sendable, Equatable, Codable {
    /// n.
    public let clientCount: Int
    /// k: neighbours per client (even, 2 ≤ k ≤ n − 1).
    public let neighbours: Int
    /// t: shares needed per secret, 2 ≤ t ≤ k + 1.
    public let threshold: Int
    /// L.
    public let vectorLength: Int
    /// k of Z_2^k (named `ringBits` to keep it apart from the neighbour count).
    public let ringBits: Int
    /// The aggregation session.
    public let session: UInt64
    /// The public graph seed chosen by the server (32 bytes).
    public let graphSeed: [UInt8]
    /// The graph derived from (n, k, seed).
    public let graph: HararyGraph

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless 3 ≤ n ≤ 2^20, k even with
    ///   2 ≤ k ≤ n − 1, 2 ≤ t ≤ k + 1, 1 ≤ L ≤ 2^28, 1 ≤ ringBits ≤ 64 and the seed has 32 bytes.
    public init(
        clientCount: Int, neighbours: Int, threshold: Int, vectorLength: Int, ringBits: Int, session: UInt64 = 0,
        graphSeed: [UInt8]
    ) throws(SecAggError) {
        guard (3...MaskedAggregationParameters.maximumClientCount).contains(clientCount) else {
            throw .invalidParameter(name: "clients n", value: "\(clientCount)",
                                    expected: "3...\(MaskedAggregationParameters.maximumClientCount)")
        }
        graph = try HararyGraph(clientCount: clientCount, degree: neighbours, seed: graphSeed)
        guard (2...(neighbours + 1)).contains(threshold) else {
            throw .invalidParameter(name: "threshold t", value: "\(threshold)", expected: "2...\(neighbours + 1) (k + 1)")
        }
        try checkVector(length: vectorLength, ringBits: ringBits)
        self.clientCount = clientCount
        self.neighbours = neighbours
        self.threshold = threshold
        self.vectorLength = vectorLength
        self.ringBits = ringBits
        self.session = session
        self.graphSeed = graphSeed
    }

    /// A fresh graph seed (the server draws it; it is public).
    public static func randomGraphSeed(using rng: inout some RandomSource) throws(SecAggError) -> [UInt8] {
        try lowered { try rng.bytes(count: 32) }
    }

    /// The ring Z_2^k.
    public var ring: Ring { (try? Ring(bitWidth: ringBits)) ?? Ring.z32 }

    var configuration: MaskingConfiguration {
        MaskingConfiguration(protocolID: .secAggPlus, session: session, threshold: threshold, vectorLength: vectorLength,
                             ring: ring, topology: .harary(graph))
    }

    private enum CodingKeys: String, CodingKey {
        case clientCount, neighbours, threshold, vectorLength, ringBits, session, graphSeed
    }

    /// Decodes and validates (the graph is recomputed from the seed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            clientCount: c.decode(Int.self, forKey: .clientCount), neighbours: c.decode(Int.self, forKey: .neighbours),
            threshold: c.decode(Int.self, forKey: .threshold), vectorLength: c.decode(Int.self, forKey: .vectorLength),
            ringBits: c.decode(Int.self, forKey: .ringBits), session: c.decode(UInt64.self, forKey: .session),
            graphSeed: c.decode([UInt8].self, forKey: .graphSeed))
    }

    /// Encodes the parameters (the graph is not stored: it is recomputed from the seed).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clientCount, forKey: .clientCount)
        try c.encode(neighbours, forKey: .neighbours)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(vectorLength, forKey: .vectorLength)
        try c.encode(ringBits, forKey: .ringBits)
        try c.encode(session, forKey: .session)
        try c.encode(graphSeed, forKey: .graphSeed)
    }
}
