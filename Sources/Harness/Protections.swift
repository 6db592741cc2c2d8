import CryptoPrimitives
import FederatedLearning
import Foundation
import Paillier
import SecureAggregation

/// The protected kinds of `Specs/harness.md`: each runs a real protocol of `SecureAggregation` in process,
/// one object per simulated client, and reports the aggregate, the time of client work ("protect") and of
/// server work ("aggregate"), and the encoded sizes of every message.

/// Weighted FedAvg through a sum-only protocol: client k contributes (wₖ/W)·Δₖ and, in one extra
/// coordinate, wₖ itself (W = the largest client weight, public), so the sum gives Σ wₖΔₖ / W and Σ wₖ.
struct WeightedEncoding {
    let maxWeight: Int

    func scaled(_ update: ClientUpdate) -> [Double] {
        let f = Double(update.sampleCount) / Double(maxWeight)
        return update.delta.map { Double($0) * f }
    }

    /// The mean from the dequantized weighted sum and the exact total weight.
    func mean(sum: [Double], totalWeight: Int, clients: [Int]) -> AggregateUpdate {
        let factor = Double(maxWeight) / Double(totalWeight)
        return AggregateUpdate(mean: sum.map { Float($0 * factor) }, totalWeight: totalWeight, clients: clients)
    }
}

/// Client and server time and the bytes each way, for one protocol round.
struct Meter {
    let clock = ContinuousClock()
    var clientTime = Duration.zero
    var serverTime = Duration.zero
    var up = 0
    var down = 0

    /// Runs client work and adds its time.
    mutating func client<T>(_ body: () throws -> T) rethrows -> T {
        let start = clock.now
        defer { clientTime += clock.now - start }
        return try body()
    }

    /// Runs server work and adds its time.
    mutating func server<T>(_ body: () throws -> T) rethrows -> T {
        let start = clock.now
        defer { serverTime += clock.now - start }
        return try body()
    }

    func outcome(_ aggregate: AggregateUpdate, errorBound: Double?) -> ProtectedOutcome {
        ProtectedOutcome(
            aggregate: aggregate, protectSeconds: clientTime.seconds, aggregateSeconds: serverTime.seconds, uploadBytes: up,
            downloadBytes: down, errorBound: errorBound)
    }
}

/// "masking" and "secagg+": quantize, run the four rounds with dropouts at the configured step, dequantize.
/// Authenticated: the active-server variant, with the admitted clients' identities (``useIdentities(_:)``)
/// and the consistency check between masked input and unmasking.
struct MaskingProtection: RoundProtection {
    enum Variant {
        case complete(threshold: Int?)
        case sparse(neighbours: Int?, threshold: Int?)
    }

    let variant: Variant
    let valueBits: Int
    let clip: Double
    let weights: WeightedEncoding
    var rng: HmacDrbg
    var authenticated = false
    /// The admitted clients' identities (authenticated only; set by the runner after each admission).
    var identities: AdmittedIdentities?

    mutating func useIdentities(_ identities: AdmittedIdentities) { self.identities = identities }

    /// Signers and the verifier for this round's clients (protocol id i is `updates[i − 1]`), or nil.
    func session(_ updates: [ClientUpdate]) throws -> (signers: [AdmissionMaskingSigner], verifier: AdmissionIdentityDirectory)? {
        guard authenticated else { return nil }
        guard let identities else {
            throw ConfigError("protection.authenticated", "no admitted identities (the admission phase did not run)")
        }
        return try identities.session(clients: updates.map(\.clientID))
    }

    func server<S>(_ make: (MaskingServerAuthentication) throws -> S) rethrows -> S {
        try make(authenticated ? .authenticated : .unauthenticated)
    }

    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: String) throws -> ProtectedOutcome {
        let n = updates.count
        let quantizer = try Quantizer(clip: clip, valueBits: valueBits, clientCount: n)
        let k = quantizer.ringBits
        let length = updates[0].delta.count + 1
        let session = UInt64(round)
        let identities = try self.session(updates)
        switch variant {
        case .complete(let threshold):
            let p = try MaskedAggregationParameters(
                clientCount: n, threshold: min(threshold ?? (2 * n / 3 + 1), n), vectorLength: length, ringBits: k, session: session)
            func client<W: RingWord>(_ i: Int, _: W.Type) throws -> MaskedAggregationClient<W> {
                guard let identities else { return try MaskedAggregationClient<W>(id: UInt32(i), parameters: p, using: &rng) }
                return try MaskedAggregationClient<W>(
                    id: UInt32(i), parameters: p, signer: identities.signers[i - 1], verifier: identities.verifier, using: &rng)
            }
            if k <= 32 {
                var server = try self.server { try MaskedAggregationServer<UInt32>(parameters: p, authentication: $0, maximumThreads: 1) }
                var clients = try (1...n).map { try client($0, UInt32.self) }
                return try run(&server, &clients, quantizer: quantizer, updates: updates, dropped: dropped, step: step)
            }
            var server = try self.server { try MaskedAggregationServer<UInt64>(parameters: p, authentication: $0, maximumThreads: 1) }
            var clients = try (1...n).map { try client($0, UInt64.self) }
            return try run(&server, &clients, quantizer: quantizer, updates: updates, dropped: dropped, step: step)
        case .sparse(let neighbours, let threshold):
            // The Harary graph needs an even degree below n.
            var degree = min(neighbours ?? Self.defaultNeighbours(n), n - 1)
            if degree % 2 == 1 { degree -= 1 }
            let t = min(max(threshold ?? (degree / 2 + 1), 2), degree + 1)
            let p = try SecAggPlusParameters(
                clientCount: n, neighbours: degree, threshold: t, vectorLength: length, ringBits: k, session: session,
                graphSeed: SecAggPlusParameters.randomGraphSeed(using: &rng))
            func client<W: RingWord>(_ i: Int, _: W.Type) throws -> SecAggPlusClient<W> {
                guard let identities else { return try SecAggPlusClient<W>(id: UInt32(i), parameters: p, using: &rng) }
                return try SecAggPlusClient<W>(
                    id: UInt32(i), parameters: p, signer: identities.signers[i - 1], verifier: identities.verifier, using: &rng)
            }
            if k <= 32 {
                var server = try self.server { try SecAggPlusServer<UInt32>(parameters: p, authentication: $0, maximumThreads: 1) }
                var clients = try (1...n).map { try client($0, UInt32.self) }
                return try run(&server, &clients, quantizer: quantizer, updates: updates, dropped: dropped, step: step)
            }
            var server = try self.server { try SecAggPlusServer<UInt64>(parameters: p, authentication: $0, maximumThreads: 1) }
            var clients = try (1...n).map { try client($0, UInt64.self) }
            return try run(&server, &clients, quantizer: quantizer, updates: updates, dropped: dropped, step: step)
        }
    }

    /// The four rounds (authenticated: with the consistency check before unmasking); clients are 1 … n in the
    /// order of `updates`.
    mutating func run<S: AuthenticatedMaskingProtocolServer, C: AuthenticatedMaskingProtocolClient>(
        _ server: inout S, _ clients: inout [C], quantizer: Quantizer, updates: [ClientUpdate], dropped: Set<Int>, step: String
    ) throws -> ProtectedOutcome where S.Word == C.Word {
        var meter = Meter()
        let ids = (1...updates.count).map(UInt32.init)
        let droppedIDs = Set(updates.enumerated().filter { dropped.contains($0.element.clientID) }.map { UInt32($0.offset + 1) })
        func gone(after s: String) -> Set<UInt32> { step == s ? droppedIDs : [] }
        // Inputs: the quantized weighted update, then the raw weight.
        var inputs: [[C.Word]] = []
        for u in updates {
            var q: [C.Word] = try meter.client { [weights] in try quantizer.quantize(weights.scaled(u), using: &rng) }
            q.append(C.Word(u.sampleCount))
            inputs.append(q)
        }
        // Round 0: advertise keys.
        for i in clients.indices {
            let m = try meter.client { try clients[i].advertiseKeys() }
            meter.up += m.encoded().count
            try meter.server { try server.receive(m) }
        }
        let directories = try meter.server { try server.finishAdvertiseKeys() }
        // Round 1: share keys.
        var active = Set(ids).subtracting(gone(after: "after-advertise-keys"))
        for d in directories where active.contains(d.header.receiver) {
            meter.down += d.encoded().count
            let m = try meter.client { try clients[Int(d.header.receiver) - 1].shareKeys(d) }
            meter.up += m.encoded().count
            try meter.server { try server.receive(m) }
        }
        let deliveries = try meter.server { try server.finishShareKeys() }
        // Round 2: masked input.
        active.subtract(gone(after: "after-share-keys"))
        var included: [Int] = []
        for d in deliveries where active.contains(d.header.receiver) {
            meter.down += d.encoded().count
            let i = Int(d.header.receiver) - 1
            let m = try meter.client { try clients[i].maskedInput(d, input: inputs[i]) }
            meter.up += m.encoded().count
            included.append(i)
            try meter.server { try server.receive(m) }
        }
        // Clients that drop now are still in the sum: their masked input arrived.
        active.subtract(gone(after: "after-masked-input"))
        let requests: [UnmaskRequest]
        if server.isAuthenticated {
            // Round 2.5: the survivors check and sign U3; the unmasking requests carry the signatures.
            let checks = try meter.server { try server.finishMaskedInputForConsistencyCheck() }
            for c in checks where active.contains(c.header.receiver) {
                meter.down += c.encoded().count
                let m = try meter.client { try clients[Int(c.header.receiver) - 1].consistencyCheck(c) }
                meter.up += m.encoded().count
                try meter.server { try server.receive(m) }
            }
            requests = try meter.server { try server.finishConsistencyCheck() }
            active.subtract(gone(after: "after-consistency-check"))
        } else {
            requests = try meter.server { try server.finishMaskedInput() }
        }
        // Round 3: unmasking.
        for r in requests where active.contains(r.header.receiver) {
            meter.down += r.encoded().count
            let m = try meter.client { try clients[Int(r.header.receiver) - 1].unmask(r) }
            meter.up += m.encoded().count
            try meter.server { try server.receive(m) }
        }
        var sum = try meter.server { try server.finishUnmasking() }
        let totalWeight = Int(sum.removeLast())
        let mean = try meter.server {
            weights.mean(
                sum: try quantizer.dequantizeSum(sum), totalWeight: totalWeight,
                clients: included.map { updates[$0].clientID }.sorted())
        }
        let bound = quantizer.sumErrorBound(contributors: included.count) * Double(weights.maxWeight) / Double(totalWeight)
        return meter.outcome(mean, errorBound: bound)
    }

    /// k = 2⌈log₂ n⌉, at most n − 1 and even (Bell et al.: k = O(log n)).
    static func defaultNeighbours(_ n: Int) -> Int {
        let log = Int.bitWidth - (max(n, 2) - 1).leadingZeroBitCount
        let k = min(2 * log, n - 1)
        return k % 2 == 0 ? k : k - 1
    }
}

/// "paillier" and "paillier-threshold": packed, weighted fixed point under Paillier (`Specs/paillier-fedavg.md`).
struct PaillierProtection: RoundProtection {
    let key: PaillierPublicKey
    let privateKey: PaillierPrivateKey?
    let threshold: (parameters: ThresholdPaillierParameters, decryptors: [PaillierThresholdDecryptor])?
    let encryptor: PaillierEncryptor
    let fractionBits: Int
    let clip: Double
    let maxWeight: Int
    var rng: HmacDrbg

    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: String) throws -> ProtectedOutcome {
        let parameters = try PaillierAggregationParameters(
            publicKey: key, parameterCount: updates[0].delta.count, maxClients: updates.count, fractionBits: fractionBits,
            clip: clip, maxWeight: maxWeight)
        var meter = Meter()
        var server = PaillierAggregationServer(parameters: parameters, session: UInt64(round))
        var included: [Int] = []
        for u in updates where !(step == "upload" && dropped.contains(u.clientID)) {
            let message = try meter.client { [encryptor] in
                try PaillierAggregationClient(id: UInt32(u.clientID + 1), parameters: parameters, encryptor: encryptor)
                    .encrypt(update: u.delta, weight: u.sampleCount, session: UInt64(round), using: &rng)
            }
            let bytes = message.encoded()
            meter.up += bytes.count
            try meter.server { try server.receive(PaillierCiphertextsMessage(decoding: bytes)) }
            included.append(u.clientID)
        }
        let result: (mean: [Float], totalWeight: Int)
        if let privateKey {
            result = try meter.server { try PaillierAggregationDecryptor(key: privateKey, parameters: parameters).decrypt(server.aggregate()) }
        } else if let threshold {
            let aggregate = try meter.server { try server.aggregateMessage() }
            // Decryptors are committee members (counted as clients' traffic); with step "decryption" the
            // round's dropout rate removes that fraction of them.
            let droppedDecryptors = step == "decryption"
                ? Int(Double(threshold.decryptors.count) * Double(dropped.count) / Double(updates.count)) : 0
            var messages: [PaillierDecryptionSharesMessage] = []
            for d in threshold.decryptors.dropFirst(droppedDecryptors) {
                let bytes = aggregate.encoded()
                meter.down += bytes.count
                let m = try meter.client {
                    try d.decryptionShares(for: PaillierCiphertextsMessage(decoding: bytes), session: UInt64(round), using: &rng)
                }
                let encoded = m.encoded()
                meter.up += encoded.count
                messages.append(try PaillierDecryptionSharesMessage(decoding: encoded))
            }
            result = try meter.server { [server] in try server.combine(messages, threshold: threshold.parameters) }
        } else {
            throw ConfigError("protection", "no decryption key")
        }
        return meter.outcome(
            AggregateUpdate(mean: result.mean, totalWeight: result.totalWeight, clients: included.sorted()),
            errorBound: parameters.errorBound)
    }
}

/// "multi-server": quantized weighted updates split among S servers (`Specs/multi-server.md`).
struct MultiServerProtection: RoundProtection {
    let servers: Int
    let valueBits: Int
    let clip: Double
    let weights: WeightedEncoding
    var rng: HmacDrbg

    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: String) throws -> ProtectedOutcome {
        let quantizer = try Quantizer(clip: clip, valueBits: valueBits, clientCount: updates.count)
        let parameters = try MultiServerParameters(servers: servers, parameterCount: updates[0].delta.count + 1, bitWidth: quantizer.ringBits)
        let session = UInt64(round)
        var aggregators = try (1...servers).map { try MultiServerAggregator(index: $0, parameters: parameters, session: session) }
        var meter = Meter()
        for u in updates {
            if step == "upload", dropped.contains(u.clientID) { continue }
            let messages = try meter.client { [weights] in
                var q: [UInt64]
                if quantizer.ringBits <= 32 {
                    let narrow: [UInt32] = try quantizer.quantize(weights.scaled(u), using: &rng)
                    q = narrow.map(UInt64.init)
                } else {
                    q = try quantizer.quantize(weights.scaled(u), using: &rng)
                }
                q.append(UInt64(u.sampleCount))
                return try MultiServerClient(id: UInt32(u.clientID + 1), parameters: parameters).shares(of: q, session: session, using: &rng)
            }
            // With step "partial-upload" a dropped client reaches only the first server.
            let reach = step == "partial-upload" && dropped.contains(u.clientID) ? 1 : servers
            for (s, m) in messages.prefix(reach).enumerated() {
                let bytes = m.encoded()
                meter.up += bytes.count
                try meter.server { try aggregators[s].receive(bytes) }
            }
        }
        let (mean, included) = try meter.server { [aggregators, weights] in
            let common = MultiServerAggregator.commonClients(aggregators)
            let partials = try aggregators.map { try MultiServerVectorMessage(decoding: $0.partialSum(over: common).encoded()) }
            var sum = try MultiServerAggregator.combine(partials, parameters: parameters)
            let totalWeight = Int(sum.removeLast())
            let dequantized = quantizer.ringBits <= 32
                ? try quantizer.dequantizeSum(sum.map { UInt32(truncatingIfNeeded: $0) }) : try quantizer.dequantizeSum(sum)
            return (weights.mean(sum: dequantized, totalWeight: totalWeight, clients: common.map { Int($0) - 1 }), common.count)
        }
        let bound = quantizer.sumErrorBound(contributors: included) * Double(weights.maxWeight) / Double(mean.totalWeight)
        return meter.outcome(mean, errorBound: bound)
    }
}
