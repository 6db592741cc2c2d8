public import CryptoPrimitives

/// Multi-server additive aggregation (`Specs/multi-server.md`): each client splits its quantized update
/// x ∈ (Z_2^k)^L additively among S ≥ 2 non-colluding aggregators. Servers 1 … S−1 receive only a 32-byte PRG
/// seed (their share is the AES-256-CTR expansion of it), server S receives x − Σ shares; each server sums
/// what it received over the clients present at every server, and the sum of the S partial sums is Σ x.
/// Privacy holds while at least one server does not collude with the others; channels client → server are
/// assumed confidential and authenticated (TLS in a deployment).
public struct MultiServerParameters: Sendable, Equatable {
    public let servers: Int
    /// L.
    public let parameterCount: Int
    /// k (1 … 64): values live in Z_2^k.
    public let bitWidth: Int

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)``.
    public init(servers: Int, parameterCount: Int, bitWidth: Int) throws(SecAggError) {
        guard (2...64).contains(servers) else { throw .invalidParameter(name: "servers", value: "\(servers)", expected: "2…64") }
        guard parameterCount >= 1 else {
            throw .invalidParameter(name: "parameter count", value: "\(parameterCount)", expected: "≥ 1")
        }
        guard (1...64).contains(bitWidth) else { throw .invalidParameter(name: "ring bits k", value: "\(bitWidth)", expected: "1…64") }
        self.servers = servers
        self.parameterCount = parameterCount
        self.bitWidth = bitWidth
    }

    var mask: UInt64 { bitWidth == 64 ? .max : (1 << UInt64(bitWidth)) - 1 }

    /// The share a seed stands for: the seed's AES-256-CTR keystream as little-endian UInt64 words, each
    /// reduced mod 2^k.
    func expand(seed: [UInt8]) throws -> [UInt64] {
        var words = [UInt64](repeating: 0, count: parameterCount)
        try Prg(seed: seed).fill(&words)
        if bitWidth < 64 {
            let m = mask
            for i in words.indices { words[i] &= m }
        }
        return words
    }
}

// MARK: Messages

/// Client → server j < S: the 32-byte seed of the client's share for that server.
public struct MultiServerSeedShareMessage: WireMessage, Equatable {
    public static let messageType: UInt8 = 0x41
    public static let protocols: [AggregationProtocol] = [.multiServer]
    public var header: MessageHeader
    public var seed: [UInt8]

    public init(header: MessageHeader, seed: [UInt8]) {
        self.header = header
        self.seed = seed
    }

    public func encodeBody(into writer: inout WireWriter) { writer.writeFixed(seed) }

    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        seed = try body.readFixed(Prg.seedByteCount, "share seed")
    }
}

/// Client → server S, and server → everyone (a partial sum): a whole vector in Z_2^k.
public struct MultiServerVectorMessage: WireMessage, Equatable {
    public static let messageType: UInt8 = 0x42
    public static let protocols: [AggregationProtocol] = [.multiServer]
    public var header: MessageHeader
    public var vector: RingVector

    public init(header: MessageHeader, vector: RingVector) {
        self.header = header
        self.vector = vector
    }

    public func encodeBody(into writer: inout WireWriter) { vector.encode(into: &writer) }

    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        vector = try RingVector(from: &body, what: "vector")
    }
}

// MARK: Participants

/// A client: splits its quantized update into S shares (S − 1 seeds and one vector).
public struct MultiServerClient: Sendable {
    public let id: UInt32
    public let parameters: MultiServerParameters

    public init(id: UInt32, parameters: MultiServerParameters) {
        self.id = id
        self.parameters = parameters
    }

    /// The S messages, in server order (server ids 1 … S): seeds for servers 1 … S−1, the vector for server S.
    /// - Throws: ``SecAggError/inputLengthMismatch(expected:actual:)``, ``SecAggError/inputOutOfRange(index:expected:)``
    ///   for a value ≥ 2^k; errors of `rng`.
    public func shares(of values: [UInt64], session: UInt64, using rng: inout some RandomSource) throws -> [any WireMessage] {
        guard values.count == parameters.parameterCount else {
            throw SecAggError.inputLengthMismatch(expected: parameters.parameterCount, actual: values.count)
        }
        let mask = parameters.mask
        if let i = values.firstIndex(where: { $0 & ~mask != 0 }) {
            throw SecAggError.inputOutOfRange(index: i, expected: "< 2^\(parameters.bitWidth)")
        }
        var last = values
        var messages: [any WireMessage] = []
        for server in 1..<parameters.servers {
            var seed = try rng.bytes(count: Prg.seedByteCount)
            defer { zeroize(&seed) }
            let share = try parameters.expand(seed: seed)
            for i in last.indices { last[i] = (last[i] &- share[i]) & mask }
            messages.append(MultiServerSeedShareMessage(
                header: header(session: session, server: server), seed: seed))
        }
        messages.append(MultiServerVectorMessage(
            header: header(session: session, server: parameters.servers),
            vector: try RingVector(last, bitWidth: parameters.bitWidth)))
        return messages
    }

    func header(session: UInt64, server: Int) -> MessageHeader {
        MessageHeader(protocolID: .multiServer, session: session, sender: id, receiver: UInt32(server))
    }
}

/// One aggregator: keeps what each client sent it and sums over the clients that reached every server.
public struct MultiServerAggregator: Sendable {
    public let index: Int
    public let parameters: MultiServerParameters
    public let session: UInt64
    private var seeds: [UInt32: [UInt8]] = [:]
    private var vectors: [UInt32: [UInt64]] = [:]

    /// Server `index` ∈ 1 … S (server S receives vectors, the others seeds).
    public init(index: Int, parameters: MultiServerParameters, session: UInt64) throws(SecAggError) {
        guard (1...parameters.servers).contains(index) else {
            throw .invalidParameter(name: "server index", value: "\(index)", expected: "1…\(parameters.servers)")
        }
        self.index = index
        self.parameters = parameters
        self.session = session
    }

    /// The clients this server holds a share of.
    public var clients: Set<UInt32> { Set(seeds.keys).union(vectors.keys) }

    /// Accepts one client's share (decoded from the wire).
    /// - Throws: ``SecAggError`` for a wrong session or recipient, a duplicate, or the wrong kind of share.
    public mutating func receive(_ bytes: [UInt8]) throws(SecAggError) {
        let (header, type) = try MessageHeader.peek(bytes)
        guard header.session == session else { throw .wrongSession(expected: session, actual: header.session) }
        guard header.receiver == UInt32(index) else { throw .wrongRecipient(expected: UInt32(index), actual: header.receiver) }
        guard !clients.contains(header.sender) else { throw .duplicateMessage(from: header.sender) }
        if index < parameters.servers {
            guard type == MultiServerSeedShareMessage.messageType else {
                throw .unexpectedMessageType(expected: "seed share", actual: type)
            }
            seeds[header.sender] = try MultiServerSeedShareMessage(decoding: bytes).seed
        } else {
            guard type == MultiServerVectorMessage.messageType else {
                throw .unexpectedMessageType(expected: "vector share", actual: type)
            }
            let vector = try MultiServerVectorMessage(decoding: bytes).vector
            guard vector.bitWidth == parameters.bitWidth, vector.count == parameters.parameterCount else {
                throw .lengthMismatch(what: "vector share", expected: "\(parameters.parameterCount)×\(parameters.bitWidth) bits",
                                      actual: vector.count)
            }
            vectors[header.sender] = try vector.values(as: UInt64.self)
        }
    }

    /// The partial sum over `included` (the clients every server received), as a broadcast message.
    /// - Throws: ``SecAggError/missingEntry(what:client:)`` for an included client this server has no share of.
    public func partialSum(over included: [UInt32]) throws -> MultiServerVectorMessage {
        var sum = [UInt64](repeating: 0, count: parameters.parameterCount)
        for client in included {
            let share: [UInt64]
            if let seed = seeds[client] {
                do { share = try parameters.expand(seed: seed) } catch {
                    throw SecAggError.invalidParameter(name: "share seed", value: "client \(client)", expected: "32 bytes")
                }
            } else if let vector = vectors[client] {
                share = vector
            } else {
                throw SecAggError.missingEntry(what: "share", client: client)
            }
            for i in sum.indices { sum[i] = sum[i] &+ share[i] }
        }
        let mask = parameters.mask
        for i in sum.indices { sum[i] &= mask }
        return MultiServerVectorMessage(
            header: MessageHeader(protocolID: .multiServer, session: session, sender: UInt32(index), receiver: ParticipantID.allClients),
            vector: try RingVector(sum, bitWidth: parameters.bitWidth))
    }

    /// The clients present at every server: the intersection the partial sums must use.
    public static func commonClients(_ aggregators: [MultiServerAggregator]) -> [UInt32] {
        guard var common = aggregators.first?.clients else { return [] }
        for a in aggregators.dropFirst() { common.formIntersection(a.clients) }
        return common.sorted()
    }

    /// Σ of the S partial sums mod 2^k: the sum of the included clients' values.
    /// - Throws: ``SecAggError`` when a partial sum is missing, duplicated or of another shape.
    public static func combine(_ partials: [MultiServerVectorMessage], parameters: MultiServerParameters) throws(SecAggError) -> [UInt64] {
        let senders = Set(partials.map(\.header.sender))
        guard partials.count == parameters.servers, senders == Set((1...parameters.servers).map(UInt32.init)) else {
            throw .tooFewClients(round: .unmasking, needed: parameters.servers, available: senders.count)
        }
        var total = [UInt64](repeating: 0, count: parameters.parameterCount)
        for p in partials {
            guard p.vector.bitWidth == parameters.bitWidth, p.vector.count == parameters.parameterCount else {
                throw .lengthMismatch(what: "partial sum", expected: "\(parameters.parameterCount)", actual: p.vector.count)
            }
            let values = try p.vector.values(as: UInt64.self)
            for i in total.indices { total[i] = total[i] &+ values[i] }
        }
        let mask = parameters.mask
        return total.map { $0 & mask }
    }
}
