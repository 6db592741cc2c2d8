import Bignum
import CryptoPrimitives
import Paillier
import SecureAggregation
import Testing

/// A deterministic generator for tests.
func paillierTestRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("paillier aggregation tests: \(label)".utf8)))
}

let aggregationKey: PaillierPrivateKey? = {
    guard var rng = try? paillierTestRandom("key") else { return nil }
    return try? PaillierKeyPair.generate(bits: 1024, using: &rng)
}()

struct PaillierAggregationFixture {
    let key: PaillierPrivateKey
    let parameters: PaillierAggregationParameters
    let encryptor: PaillierEncryptor
    let updates: [[Float]]
    let weights: [Int]

    init(clients: Int = 4, length: Int = 40, label: String = "fixture") throws {
        key = try #require(aggregationKey)
        var rng = try paillierTestRandom(label)
        parameters = try PaillierAggregationParameters(
            publicKey: key.publicKey, parameterCount: length, maxClients: clients, fractionBits: 16, clip: 4, maxWeight: 1000)
        encryptor = try PaillierEncryptor(publicKey: key.publicKey, using: &rng)
        var values: [[Float]] = []
        var ws: [Int] = []
        for _ in 0..<clients {
            values.append(try (0..<length).map { _ in Float(Double(try rng.nextUInt64() % 2_000_001) / 250_000 - 4) })
            ws.append(1 + Int(try rng.nextUInt64() % 1000))
        }
        updates = values
        weights = ws
    }

    /// The weighted mean of the (clipped) updates in Double.
    func plainMean(of clients: [Int]) -> [Double] {
        let total = Double(clients.reduce(0) { $0 + weights[$1] })
        return (0..<parameters.parameterCount).map { j in
            clients.reduce(0.0) { $0 + Double(weights[$1]) * min(max(Double(updates[$1][j]), -4), 4) } / total
        }
    }

    func messages(session: UInt64 = 7) throws -> [PaillierCiphertextsMessage] {
        var rng = try paillierTestRandom("encrypt")
        return try updates.indices.map { i in
            try PaillierAggregationClient(id: UInt32(i + 1), parameters: parameters, encryptor: encryptor)
                .encrypt(update: updates[i], weight: weights[i], session: session, using: &rng)
        }
    }
}

@Suite struct PaillierAggregationTests {
    @Test func singleKeyHolderRecoversTheWeightedMean() throws {
        let f = try PaillierAggregationFixture()
        var server = PaillierAggregationServer(parameters: f.parameters, session: 7)
        for m in try f.messages() { try server.receive(PaillierCiphertextsMessage(decoding: m.encoded())) }
        let (mean, total) = try PaillierAggregationDecryptor(key: f.key, parameters: f.parameters).decrypt(server.aggregate())
        #expect(total == f.weights.reduce(0, +))
        let expected = f.plainMean(of: Array(0..<4))
        let error = zip(mean, expected).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(error <= f.parameters.errorBound + 1e-6)
    }

    @Test func dropoutsAreJustAbsentSummands() throws {
        let f = try PaillierAggregationFixture()
        var server = PaillierAggregationServer(parameters: f.parameters, session: 7)
        let messages = try f.messages()
        for i in [0, 2] { try server.receive(messages[i]) }
        let (mean, total) = try PaillierAggregationDecryptor(key: f.key, parameters: f.parameters).decrypt(server.aggregate())
        #expect(total == f.weights[0] + f.weights[2])
        let error = zip(mean, f.plainMean(of: [0, 2])).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(error <= f.parameters.errorBound + 1e-6)
    }

    @Test func uploadIsCompact() throws {
        let key = try #require(aggregationKey)
        let p = try PaillierAggregationParameters(publicKey: key.publicKey, parameterCount: 100_000, maxClients: 10, fractionBits: 8, clip: 4, maxWeight: 1000)
        let bytesPerParameter = Double(p.ciphertextCount * key.publicKey.ciphertextByteCount) / 100_000
        #expect(bytesPerParameter <= 12)
    }

    @Test func serverRejectsBadMessagesAndStaysUsable() throws {
        let f = try PaillierAggregationFixture()
        var server = PaillierAggregationServer(parameters: f.parameters, session: 7)
        let messages = try f.messages()
        try server.receive(messages[0])
        #expect(throws: SecAggError.duplicateMessage(from: 1)) { try server.receive(messages[0]) }
        var wrongSession = messages[1]
        wrongSession.header.session = 8
        #expect(throws: SecAggError.wrongSession(expected: 7, actual: 8)) { try server.receive(wrongSession) }
        var short = messages[1]
        short.ciphertexts.removeLast()
        #expect(throws: SecAggError.self) { try server.receive(short) }
        var zero = messages[1]
        zero.ciphertexts[0] = [UInt8](repeating: 0, count: f.key.publicKey.ciphertextByteCount)
        #expect(throws: PaillierError.self) { try server.receive(zero) }
        // None of the rejected messages changed the state.
        try server.receive(messages[1])
        #expect(server.contributors == [1, 2])
        let (_, total) = try PaillierAggregationDecryptor(key: f.key, parameters: f.parameters).decrypt(server.aggregate())
        #expect(total == f.weights[0] + f.weights[1])
    }

    @Test func moreClientsThanTheHeadroomAreRefused() throws {
        let f = try PaillierAggregationFixture(clients: 3, label: "headroom")
        let tight = try PaillierAggregationParameters(
            publicKey: f.key.publicKey, parameterCount: 40, maxClients: 2, fractionBits: 16, clip: 4, maxWeight: 1000)
        var server = PaillierAggregationServer(parameters: tight, session: 7)
        var rng = try paillierTestRandom("headroom messages")
        let messages = try (0..<3).map { i in
            try PaillierAggregationClient(id: UInt32(i + 1), parameters: tight, encryptor: f.encryptor)
                .encrypt(update: f.updates[i], weight: f.weights[i], session: 7, using: &rng)
        }
        try server.receive(messages[0])
        try server.receive(messages[1])
        #expect(throws: PaillierError.self) { try server.receive(messages[2]) }
    }

    @Test func truncatedAndForgedEncodingsAreRejected() throws {
        let f = try PaillierAggregationFixture()
        let bytes = try f.messages()[0].encoded()
        #expect(throws: SecAggError.self) { try PaillierCiphertextsMessage(decoding: Array(bytes.dropLast())) }
        #expect(throws: SecAggError.self) { try PaillierCiphertextsMessage(decoding: bytes + [0]) }
        var wrongType = bytes
        wrongType[4] = 0x32
        #expect(throws: SecAggError.self) { try PaillierCiphertextsMessage(decoding: wrongType) }
        #expect(try PaillierCiphertextsMessage(decoding: bytes) == (try f.messages()[0]))
    }

    @Test func badInputsOnTheClient() throws {
        let f = try PaillierAggregationFixture()
        var rng = try paillierTestRandom("client")
        let client = try PaillierAggregationClient(id: 1, parameters: f.parameters, encryptor: f.encryptor)
        #expect(throws: SecAggError.self) { try client.encrypt(update: [1, 2], weight: 1, session: 1, using: &rng) }
        #expect(throws: SecAggError.self) { try client.encrypt(update: f.updates[0], weight: 0, session: 1, using: &rng) }
        var nan = f.updates[0]
        nan[3] = .nan
        #expect(throws: SecAggError.self) { try client.encrypt(update: nan, weight: 1, session: 1, using: &rng) }
    }
}

let thresholdPrimes: (Bignum, Bignum)? = {
    guard var rng = try? paillierTestRandom("safe primes"),
        let p = try? ThresholdPaillier.safePrime(bits: 512, using: &rng),
        let q = try? ThresholdPaillier.safePrime(bits: 512, using: &rng)
    else { return nil }
    return (p, q)
}()

@Suite struct PaillierThresholdAggregationTests {
    @Test func anyTwoOfThreeDecryptorsRecoverTheMeanAndBadSharesAreSetAside() throws {
        let (p, q) = try #require(thresholdPrimes)
        var rng = try paillierTestRandom("threshold")
        let (tp, keyShares) = try ThresholdPaillier.deal(p: p, q: q, threshold: 2, parties: 3, using: &rng)
        let parameters = try PaillierAggregationParameters(
            publicKey: tp.publicKey, parameterCount: 10, maxClients: 3, fractionBits: 12, clip: 2, maxWeight: 100)
        let encryptor = try PaillierEncryptor(publicKey: tp.publicKey, using: &rng)
        var server = PaillierAggregationServer(parameters: parameters, session: 3)
        let updates: [[Float]] = [(0..<10).map { Float($0) / 10 }, (0..<10).map { -Float($0) / 5 }]
        for (i, u) in updates.enumerated() {
            try server.receive(
                PaillierAggregationClient(id: UInt32(i + 1), parameters: parameters, encryptor: encryptor)
                    .encrypt(update: u, weight: i + 1, session: 3, using: &rng))
        }
        let aggregate = try server.aggregateMessage()
        var messages = try keyShares.enumerated().map { i, share in
            try PaillierThresholdDecryptor(id: UInt32(100 + i), share: share).decryptionShares(for: aggregate, session: 3, using: &rng)
        }
        // Decryptor 1 lies about its first share: its shares are set aside, 2 and 3 suffice.
        messages[0].wireShares[0].value = [2]
        let (mean, total) = try server.combine(messages, threshold: tp)
        #expect(total == 3)
        let expected = (0..<10).map { (1 * Double(updates[0][$0]) + 2 * Double(updates[1][$0])) / 3 }
        let error = zip(mean, expected).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(error <= parameters.errorBound + 1e-6)
        // With only the liar and one honest decryptor, combining fails with a typed error.
        #expect(throws: PaillierError.self) { try server.combine([messages[0], messages[1]], threshold: tp) }
    }
}
