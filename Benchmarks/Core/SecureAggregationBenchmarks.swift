import Benchmark
import CryptoPrimitives
import SecureAggregation

/// Secure aggregation (Specs/secagg-masking.md, Specs/secagg-plus.md), one thread unless noted:
///
/// - `SecAgg.Masking client …`: one client's whole work (key generation, all four rounds, message encoding)
///   with n = 100 clients and L = 1,000,000 parameters in Z_2^32, and its round 2 alone.
/// - `SecAgg.Mask expansion …` vs `SecAgg.Baseline Prg.fill …`: the mask expansion of that client (its 100
///   masks expanded and added into the vector) against raw AES-256-CTR keystream of the same size (100 × 4 MB
///   `Prg.fill`), in the same run. Target: expansion ≤ 2× the baseline.
/// - `SecAgg.Masking server unmasking …`: `finishUnmasking` with 10 of the 100 clients dropped after sharing
///   (90 self masks + 10 × 90 pairwise masks to regenerate), on 1 and on 2 threads. Target: < 3× the client.
/// - `SecAgg+ client …`: one SecAgg+ client's whole work at n = 100, 300, 1,000 with the recommended (k, t)
///   for γ = 0.05 corrupted and δ = 0.1 dropped clients; grows with k = O(log n), not with n.
///
/// Fixtures (other clients' messages, the server state before unmasking) are built once per process before any
/// measurement; the measured client is re-created each iteration from a copy of one HMAC_DRBG so that its keys
/// match the precomputed messages of its peers.
func registerSecureAggregationBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(4), maxIterations: 30)
    let L = SecAggFixtures.vectorLength

    Benchmark("SecAgg.Masking client n=100 L=1M all rounds", configuration: config) { benchmark in
        let f = SecAggFixtures.maskingClient
        var rng = f.drbg
        benchmark.startMeasurement()
        var client = try MaskedAggregationClient<UInt32>(id: 1, parameters: f.masking!, using: &rng)
        let bytes = [
            try client.advertiseKeys().encoded(), try client.shareKeys(f.directory).encoded(),
            try client.maskedInput(f.delivery, input: f.input).encoded(), try client.unmask(f.request).encoded(),
        ]
        benchmark.stopMeasurement()
        blackHole(bytes)
    }

    Benchmark("SecAgg.Masking client n=100 L=1M round 2 (maskedInput)", configuration: config) { benchmark in
        let f = SecAggFixtures.maskingClient
        var rng = f.drbg
        var client = try MaskedAggregationClient<UInt32>(id: 1, parameters: f.masking!, using: &rng)
        _ = try client.advertiseKeys()
        _ = try client.shareKeys(f.directory)
        benchmark.startMeasurement()
        let m = try client.maskedInput(f.delivery, input: f.input)
        benchmark.stopMeasurement()
        blackHole(m)
    }

    Benchmark("SecAgg.Mask expansion 100 streams L=1M UInt32", configuration: config) { benchmark in
        let streams = SecAggFixtures.seeds.enumerated().map { MaskStream(seed: $0.element, subtract: $0.offset % 2 == 1) }
        var words = [UInt32](repeating: 1, count: L)
        benchmark.startMeasurement()
        try words.withUnsafeMutableBufferPointer { try MaskExpander.apply(streams, to: $0, threads: 1) }
        benchmark.stopMeasurement()
        blackHole(words)
    }

    Benchmark("SecAgg.Baseline Prg.fill 100 x 1M UInt32 (AES-256-CTR)", configuration: config) { benchmark in
        let seeds = SecAggFixtures.seeds
        var words = [UInt32](repeating: 1, count: L)
        benchmark.startMeasurement()
        for seed in seeds { try Prg(seed: seed).fill(&words) }
        benchmark.stopMeasurement()
        blackHole(words)
    }

    for threads in [1, 2] {
        Benchmark("SecAgg.Masking server unmasking n=100 L=1M 10 dropped threads=\(threads)", configuration: config) {
            benchmark in
            var server = threads == 1 ? SecAggFixtures.maskingServerOneThread : SecAggFixtures.maskingServerTwoThreads
            benchmark.startMeasurement()
            let sum = try server.finishUnmasking()
            benchmark.stopMeasurement()
            blackHole(sum)
        }
    }

    for n in [100, 300, 1000] {
        let choice = SecAggFixtures.plusChoice(n)
        Benchmark("SecAgg+ client n=\(n) k=\(choice.neighbours) t=\(choice.threshold) L=1M all rounds",
                  configuration: config) { benchmark in
            let f = n == 100 ? SecAggFixtures.plus100 : n == 300 ? SecAggFixtures.plus300 : SecAggFixtures.plus1000
            var rng = f.drbg
            benchmark.startMeasurement()
            var client = try SecAggPlusClient<UInt32>(id: 1, parameters: f.plus!, using: &rng)
            let bytes = [
                try client.advertiseKeys().encoded(), try client.shareKeys(f.directory).encoded(),
                try client.maskedInput(f.delivery, input: f.input).encoded(), try client.unmask(f.request).encoded(),
            ]
            benchmark.stopMeasurement()
            blackHole(bytes)
        }
    }
}

/// What one measured client needs from its peers and the server.
struct ClientFixture: Sendable {
    var masking: MaskedAggregationParameters?
    var plus: SecAggPlusParameters?
    var drbg: HmacDrbg
    var directory: KeyDirectory
    var delivery: ShareDelivery
    var request: UnmaskRequest
    var input: [UInt32]
}

enum SecAggFixtures {
    static let vectorLength = 1_000_000
    static let clientCount = 100

    /// 100 fixed 32-byte seeds.
    static let seeds: [[UInt8]] = {
        var g = SplitMix64(seed: 0x5EC_A66_5EED)
        return (0..<clientCount).map { _ in g.bytes(count: 32) }
    }()

    static func drbg(_ label: UInt64) -> HmacDrbg {
        var g = SplitMix64(seed: label)
        // Force-try: a 32-byte entropy input is always accepted.
        return try! HmacDrbg(entropy: g.bytes(count: 32))
    }

    static func input(_ seed: UInt64) -> [UInt32] {
        var g = SplitMix64(seed: seed)
        return (0..<vectorLength).map { _ in UInt32(truncatingIfNeeded: g.next()) }
    }

    /// Runs rounds 0 and 1 for client 1's neighbours (complete graph: everyone) and builds client 1's messages.
    private static func clientFixture<C: BenchClient, S: BenchServer>(
        makeClient: (UInt32, inout HmacDrbg) throws -> C, server: S, protocolID: AggregationProtocol, session: UInt64,
        clientCount n: Int
    ) throws -> (drbg: HmacDrbg, directory: KeyDirectory, delivery: ShareDelivery, request: UnmaskRequest) {
        let measured = drbg(0xC11E47)
        var server = server
        var rng = drbg(0x0_7E5)
        var clients: [UInt32: C] = [:]
        for id in 1...UInt32(n) {
            var own = measured
            var client = id == 1 ? try makeClient(1, &own) : try makeClient(id, &rng)
            try server.receive(try client.advertiseKeys())
            clients[id] = client
        }
        let directories = try server.finishAdvertiseKeys()
        let directory = directories.first { $0.header.receiver == 1 }!
        var shares: [EncryptedShare] = []
        for entry in directory.entries where entry.client != 1 {
            let d = directories.first { $0.header.receiver == entry.client }!
            let m = try clients[entry.client]!.shareKeys(d)
            shares.append(EncryptedShare(peer: entry.client, ciphertext: m.shares.first { $0.peer == 1 }!.ciphertext))
        }
        let h = MessageHeader(protocolID: protocolID, session: session, sender: ParticipantID.server, receiver: 1)
        return (measured, directory, ShareDelivery(header: h, shares: shares),
                UnmaskRequest(header: h, survivors: directory.entries.map(\.client), dropped: []))
    }

    static let maskingClient: ClientFixture = {
        do {
            let p = try MaskedAggregationParameters(clientCount: clientCount, threshold: clientCount / 2 + 1,
                                                    vectorLength: vectorLength, ringBits: 32, session: 1)
            let r = try clientFixture(
                makeClient: { id, rng in try MaskedAggregationClient<UInt32>(id: id, parameters: p, using: &rng) },
                server: try MaskedAggregationServer<UInt32>(parameters: p), protocolID: .masking, session: 1,
                clientCount: clientCount)
            return ClientFixture(masking: p, plus: nil, drbg: r.drbg, directory: r.directory, delivery: r.delivery,
                                 request: r.request, input: input(1))
        } catch {
            fatalError("benchmark setup: \(error)")
        }
    }()

    static func plusChoice(_ n: Int) -> SecAggPlusGraphChoice {
        // Force-try: these rates are feasible for every n benchmarked.
        try! SecAggPlusParameters.recommended(clientCount: n, corruptionRate: 0.05, dropoutRate: 0.1)
    }

    static let plus100 = plusClient(100)
    static let plus300 = plusClient(300)
    static let plus1000 = plusClient(1000)

    static func plusClient(_ n: Int) -> ClientFixture {
        do {
            let choice = plusChoice(n)
            var g = SplitMix64(seed: 0x64A9)
            let p = try SecAggPlusParameters(clientCount: n, neighbours: choice.neighbours, threshold: choice.threshold,
                                             vectorLength: vectorLength, ringBits: 32, session: 2,
                                             graphSeed: g.bytes(count: 32))
            let r = try clientFixture(
                makeClient: { id, rng in try SecAggPlusClient<UInt32>(id: id, parameters: p, using: &rng) },
                server: try SecAggPlusServer<UInt32>(parameters: p), protocolID: .secAggPlus, session: 2, clientCount: n)
            return ClientFixture(masking: nil, plus: p, drbg: r.drbg, directory: r.directory, delivery: r.delivery,
                                 request: r.request, input: input(2))
        } catch {
            fatalError("benchmark setup: \(error)")
        }
    }

    /// A masking server after round 3 of a full n = 100, L = 1M run in which clients 10, 20, …, 100 dropped
    /// after sharing their keys (so 10 keys are reconstructed and 900 pairwise masks regenerated).
    static let maskingServerOneThread = maskingServer(threads: 1)
    static let maskingServerTwoThreads = maskingServer(threads: 2)

    static func maskingServer(threads: Int) -> MaskedAggregationServer<UInt32> {
        do {
            let p = try MaskedAggregationParameters(clientCount: clientCount, threshold: clientCount / 2 + 1,
                                                    vectorLength: vectorLength, ringBits: 32, session: 3)
            var server = try MaskedAggregationServer<UInt32>(parameters: p, maximumThreads: threads)
            var rng = drbg(0x5E4E4)
            var clients = try (1...clientCount).map { try MaskedAggregationClient<UInt32>(id: UInt32($0), parameters: p, using: &rng) }
            for i in clients.indices { try server.receive(try clients[i].advertiseKeys()) }
            let directories = try server.finishAdvertiseKeys()
            for d in directories { try server.receive(try clients[Int(d.header.receiver) - 1].shareKeys(d)) }
            let deliveries = try server.finishShareKeys()
            let x = input(3)
            for d in deliveries where d.header.receiver % 10 != 0 {
                try server.receive(try clients[Int(d.header.receiver) - 1].maskedInput(d, input: x))
            }
            let requests = try server.finishMaskedInput()
            for r in requests { try server.receive(try clients[Int(r.header.receiver) - 1].unmask(r)) }
            return server
        } catch {
            fatalError("benchmark setup: \(error)")
        }
    }
}

protocol BenchClient {
    mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys
    mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys
}

protocol BenchServer {
    mutating func receive(_ message: AdvertiseKeys) throws(SecAggError)
    mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory]
}

extension MaskedAggregationClient: BenchClient {}
extension SecAggPlusClient: BenchClient {}
extension MaskedAggregationServer: BenchServer {}
extension SecAggPlusServer: BenchServer {}
