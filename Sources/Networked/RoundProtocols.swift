import CryptoPrimitives
import FederatedLearning
import Harness
import SecureAggregation

/// One round's aggregation over encoded messages, as the coordinator runs it: phase k collects one upload per
/// expected client, then ``finish(phase:)`` yields the messages that start phase k + 1 (`Specs/networked.md`).
protocol RoundAggregationServer: Sendable {
    /// Phase names, in order (the dashboard and the status show them).
    var phaseNames: [String] { get }
    /// Accepts `bytes` from protocol participant `client` in `phase`.
    /// - Throws: when the message is malformed, not `client`'s, or not for this phase (nothing changes then).
    mutating func receive(phase: Int, from client: UInt32, _ bytes: [UInt8]) throws
    /// Ends `phase`: the messages for the next phase, keyed by protocol participant id.
    mutating func finish(phase: Int) throws -> [UInt32: [UInt8]]
    /// After the last phase: the weighted mean update, the contributors (protocol ids) and the error bound.
    func result() throws -> (mean: [Float], totalWeight: Int, contributors: [UInt32], errorBound: Double?)
}

/// A client's side of ``RoundAggregationServer``.
protocol RoundAggregationClient: Sendable {
    /// The upload of `phase`, given the server's message that ended the previous phase (nil for phase 0).
    mutating func upload(phase: Int, after download: [UInt8]?) throws -> [UInt8]
}

/// The names of the protocol phases of a protection kind.
enum RoundPhases {
    static let plain = ["update"]
    static let masking = ["advertise-keys", "share-keys", "masked-input", "unmasking"]
    /// The authenticated variant: signed keys, and the consistency check between masked input and unmasking.
    static let authenticatedMasking = ["advertise-keys", "share-keys", "masked-input", "consistency-check", "unmasking"]
}

/// Weighted FedAvg through a sum-only protocol (as the in-process harness): client k contributes (wₖ/W)·Δₖ and
/// wₖ in one extra coordinate; the mean is the dequantized sum · W / Σwₖ.
enum WeightedSum {
    static func scaled(_ update: ClientUpdate, maxWeight: Int) -> [Double] {
        let f = Double(update.sampleCount) / Double(maxWeight)
        return update.delta.map { Double($0) * f }
    }
}

// MARK: - No protection

/// `none`: each client uploads its update in the clear (the baseline of the overhead figures).
struct PlainRoundServer: RoundAggregationServer {
    let round: Int
    let parameterCount: Int
    let maxWeight: Int
    /// Registered id − 1 (the FedAvg client index) of each protocol id.
    let clientIndex: [UInt32: Int]
    var updates: [UInt32: ClientUpdate] = [:]
    var finished = false

    var phaseNames: [String] { RoundPhases.plain }

    mutating func receive(phase: Int, from client: UInt32, _ bytes: [UInt8]) throws {
        guard phase == 0, !finished else { throw NetworkError.malformed(what: "update", reason: "phase \(phase) is not open") }
        let (messageRound, update) = try PlainMessages.decodeUpdate(bytes)
        guard messageRound == round else {
            throw NetworkError.malformed(what: "update", reason: "for round \(messageRound), expected \(round)")
        }
        guard update.clientID == clientIndex[client] else {
            throw NetworkError.malformed(what: "update", reason: "client index \(update.clientID) is not the sender's")
        }
        guard update.delta.count == parameterCount else {
            throw NetworkError.malformed(what: "update", reason: "\(update.delta.count) values, expected \(parameterCount)")
        }
        guard (1...maxWeight).contains(update.sampleCount) else {
            throw NetworkError.malformed(what: "update", reason: "weight \(update.sampleCount) outside 1...\(maxWeight)")
        }
        guard update.delta.allSatisfy(\.isFinite) else {
            throw NetworkError.malformed(what: "update", reason: "a value is not finite")
        }
        guard updates[client] == nil else { throw NetworkError.malformed(what: "update", reason: "duplicate") }
        updates[client] = update
    }

    mutating func finish(phase: Int) throws -> [UInt32: [UInt8]] {
        finished = true
        return [:]
    }

    func result() throws -> (mean: [Float], totalWeight: Int, contributors: [UInt32], errorBound: Double?) {
        let ids = updates.keys.sorted()
        guard !ids.isEmpty else { throw NetworkError.runFailed("no client uploaded an update") }
        let aggregate = try PlainAggregator().aggregate(ids.compactMap { updates[$0] })
        return (aggregate.mean, aggregate.totalWeight, ids, nil)
    }
}

struct PlainRoundClient: RoundAggregationClient {
    let round: Int
    let update: ClientUpdate

    mutating func upload(phase: Int, after download: [UInt8]?) throws -> [UInt8] {
        PlainMessages.update(round: round, update)
    }
}

// MARK: - Masking (Bonawitz et al.) and SecAgg+

/// The masking phases over any ``AuthenticatedMaskingProtocolServer``: four, or five for the authenticated
/// variant (the consistency check between masked input and unmasking).
struct MaskingRoundServer<Server: AuthenticatedMaskingProtocolServer>: RoundAggregationServer {
    var server: Server
    let quantizer: Quantizer
    let maxWeight: Int
    var sum: [Server.Word]?
    var contributors: [UInt32] = []

    init(server: Server, quantizer: Quantizer, maxWeight: Int) {
        self.server = server
        self.quantizer = quantizer
        self.maxWeight = maxWeight
    }

    var authenticated: Bool { server.isAuthenticated }
    var phaseNames: [String] { authenticated ? RoundPhases.authenticatedMasking : RoundPhases.masking }
    /// The phase whose uploads are the unmasking shares.
    var unmaskingPhase: Int { authenticated ? 4 : 3 }

    mutating func receive(phase: Int, from client: UInt32, _ bytes: [UInt8]) throws {
        let (header, _) = try MessageHeader.peek(bytes)
        guard header.sender == client else {
            throw NetworkError.malformed(what: "message", reason: "sender \(header.sender) is not the authenticated client \(client)")
        }
        switch phase {
        case 0: try server.receive(AdvertiseKeys(decoding: bytes))
        case 1: try server.receive(ShareKeys(decoding: bytes))
        case 2:
            let m = try MaskedInput(decoding: bytes)
            try server.receive(m)
            contributors.append(client)
        case 3 where authenticated: try server.receive(ConsistencySignature(decoding: bytes))
        case unmaskingPhase: try server.receive(UnmaskShares(decoding: bytes))
        default: throw NetworkError.malformed(what: "message", reason: "no phase \(phase)")
        }
    }

    mutating func finish(phase: Int) throws -> [UInt32: [UInt8]] {
        func keyed(_ messages: [some WireMessage]) -> [UInt32: [UInt8]] {
            Dictionary(messages.map { ($0.header.receiver, $0.encoded()) }, uniquingKeysWith: { a, _ in a })
        }
        switch phase {
        case 0: return keyed(try server.finishAdvertiseKeys())
        case 1: return keyed(try server.finishShareKeys())
        case 2 where authenticated: return keyed(try server.finishMaskedInputForConsistencyCheck())
        case 2: return keyed(try server.finishMaskedInput())
        case 3 where authenticated: return keyed(try server.finishConsistencyCheck())
        case unmaskingPhase:
            sum = try server.finishUnmasking()
            return [:]
        default: throw NetworkError.malformed(what: "phase", reason: "no phase \(phase)")
        }
    }

    func result() throws -> (mean: [Float], totalWeight: Int, contributors: [UInt32], errorBound: Double?) {
        guard var sum else { throw NetworkError.runFailed("the unmasking phase did not finish") }
        let totalWeight = Int(sum.removeLast())
        guard totalWeight > 0 else { throw NetworkError.runFailed("the total weight is 0") }
        let factor = Double(maxWeight) / Double(totalWeight)
        let mean = try quantizer.dequantizeSum(sum).map { Float($0 * factor) }
        let bound = quantizer.sumErrorBound(contributors: contributors.count) * factor
        return (mean, totalWeight, contributors.sorted(), bound)
    }
}

struct MaskingRoundClient<Client: AuthenticatedMaskingProtocolClient>: RoundAggregationClient {
    var client: Client
    let input: [Client.Word]

    mutating func upload(phase: Int, after download: [UInt8]?) throws -> [UInt8] {
        func incoming() throws -> [UInt8] {
            guard let download else { throw NetworkError.malformed(what: "phase \(phase)", reason: "no server message") }
            return download
        }
        let authenticated = client.isAuthenticated
        switch phase {
        case 0: return try client.advertiseKeys().encoded()
        case 1: return try client.shareKeys(KeyDirectory(decoding: incoming())).encoded()
        case 2: return try client.maskedInput(ShareDelivery(decoding: incoming()), input: input).encoded()
        case 3 where authenticated: return try client.consistencyCheck(ConsistencyCheckRequest(decoding: incoming())).encoded()
        case 3 where !authenticated, 4 where authenticated: return try client.unmask(UnmaskRequest(decoding: incoming())).encoded()
        default: throw NetworkError.malformed(what: "phase", reason: "no phase \(phase)")
        }
    }
}

// MARK: - Construction from a plan

enum RoundProtocolFactory {
    /// The server side of `plan` (the plan's protocol id is ignored). An authenticated plan needs `verifier`
    /// (protocol id → the participant's registered key): the server then checks every signature on receipt.
    static func server(
        for plan: RoundPlan, parameterCount: Int, clientIndex: [UInt32: Int], verifier: (any MaskingIdentityVerifier)? = nil
    ) throws -> any RoundAggregationServer {
        var authentication = MaskingServerAuthentication.unauthenticated
        if plan.isAuthenticated {
            guard plan.protection != "none", let verifier else {
                throw NetworkError.malformed(what: "plan", reason: "an authenticated round needs masking and the registered keys")
            }
            authentication = .authenticatedVerifying(verifier)
        }
        switch plan.protection {
        case "none":
            return PlainRoundServer(
                round: plan.round, parameterCount: parameterCount, maxWeight: plan.maxWeight, clientIndex: clientIndex)
        case "masking":
            guard let p = plan.masking, let q = plan.quantizer else { throw NetworkError.malformed(what: "plan", reason: "no masking parameters") }
            if p.ringBits <= 32 {
                return MaskingRoundServer(
                    server: try MaskedAggregationServer<UInt32>(parameters: p, authentication: authentication, maximumThreads: 1),
                    quantizer: q, maxWeight: plan.maxWeight)
            }
            return MaskingRoundServer(
                server: try MaskedAggregationServer<UInt64>(parameters: p, authentication: authentication, maximumThreads: 1),
                quantizer: q, maxWeight: plan.maxWeight)
        case "secagg+":
            guard let p = plan.secAggPlus, let q = plan.quantizer else { throw NetworkError.malformed(what: "plan", reason: "no SecAgg+ parameters") }
            if p.ringBits <= 32 {
                return MaskingRoundServer(
                    server: try SecAggPlusServer<UInt32>(parameters: p, authentication: authentication, maximumThreads: 1),
                    quantizer: q, maxWeight: plan.maxWeight)
            }
            return MaskingRoundServer(
                server: try SecAggPlusServer<UInt64>(parameters: p, authentication: authentication, maximumThreads: 1),
                quantizer: q, maxWeight: plan.maxWeight)
        default:
            throw NetworkError.unsupported("protection \"\(plan.protection)\"")
        }
    }

    /// The client side of `plan` for `update` (quantized here with the CSPRNG). An authenticated plan needs
    /// `identity`: this client's signer and the directory of its peers' registered keys.
    static func client(
        for plan: RoundPlan, update: ClientUpdate, identity: (signer: any MaskingSigner, verifier: any MaskingIdentityVerifier)? = nil
    ) throws -> any RoundAggregationClient {
        var rng = SystemRandom()
        let identity = plan.isAuthenticated ? identity : nil
        if plan.isAuthenticated, identity == nil {
            throw NetworkError.unsupported("the round is authenticated: the client needs its peers' registered keys (secagg client --registry)")
        }
        switch plan.protection {
        case "none":
            guard !plan.isAuthenticated else { throw NetworkError.malformed(what: "plan", reason: "an authenticated round needs masking") }
            return PlainRoundClient(round: plan.round, update: update)
        case "masking":
            guard let p = plan.masking, let q = plan.quantizer else { throw NetworkError.malformed(what: "plan", reason: "no masking parameters") }
            if p.ringBits <= 32 {
                let c = try identity.map { try MaskedAggregationClient<UInt32>(id: plan.protocolID, parameters: p, signer: $0.signer, verifier: $0.verifier, using: &rng) }
                    ?? MaskedAggregationClient<UInt32>(id: plan.protocolID, parameters: p, using: &rng)
                return MaskingRoundClient(client: c, input: try input(q, update, plan.maxWeight, &rng))
            }
            let c = try identity.map { try MaskedAggregationClient<UInt64>(id: plan.protocolID, parameters: p, signer: $0.signer, verifier: $0.verifier, using: &rng) }
                ?? MaskedAggregationClient<UInt64>(id: plan.protocolID, parameters: p, using: &rng)
            return MaskingRoundClient(client: c, input: try input(q, update, plan.maxWeight, &rng))
        case "secagg+":
            guard let p = plan.secAggPlus, let q = plan.quantizer else { throw NetworkError.malformed(what: "plan", reason: "no SecAgg+ parameters") }
            if p.ringBits <= 32 {
                let c = try identity.map { try SecAggPlusClient<UInt32>(id: plan.protocolID, parameters: p, signer: $0.signer, verifier: $0.verifier, using: &rng) }
                    ?? SecAggPlusClient<UInt32>(id: plan.protocolID, parameters: p, using: &rng)
                return MaskingRoundClient(client: c, input: try input(q, update, plan.maxWeight, &rng))
            }
            let c = try identity.map { try SecAggPlusClient<UInt64>(id: plan.protocolID, parameters: p, signer: $0.signer, verifier: $0.verifier, using: &rng) }
                ?? SecAggPlusClient<UInt64>(id: plan.protocolID, parameters: p, using: &rng)
            return MaskingRoundClient(client: c, input: try input(q, update, plan.maxWeight, &rng))
        default:
            throw NetworkError.unsupported("protection \"\(plan.protection)\"")
        }
    }

    /// The quantized weighted update followed by the raw weight.
    static func input<Word: RingWord>(_ q: Quantizer, _ update: ClientUpdate, _ maxWeight: Int, _ rng: inout SystemRandom) throws
        -> [Word]
    {
        guard (1...maxWeight).contains(update.sampleCount) else {
            throw NetworkError.malformed(what: "update", reason: "weight \(update.sampleCount) outside 1...\(maxWeight)")
        }
        var values: [Word] = try q.quantize(WeightedSum.scaled(update, maxWeight: maxWeight), using: &rng)
        values.append(Word(update.sampleCount))
        return values
    }
}
