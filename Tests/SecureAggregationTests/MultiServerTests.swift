import CryptoPrimitives
import SecureAggregation
import Testing

func multiServerRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("multi-server tests: \(label)".utf8)))
}

@Suite struct MultiServerTests {
    func run(servers: Int, clients: Int, bitWidth: Int, droppedAtServer: [Int: Int] = [:]) throws -> (sum: [UInt64], expected: [UInt64]) {
        let parameters = try MultiServerParameters(servers: servers, parameterCount: 33, bitWidth: bitWidth)
        var rng = try multiServerRandom("run \(servers) \(clients) \(bitWidth)")
        let mask: UInt64 = bitWidth == 64 ? .max : (1 << UInt64(bitWidth)) - 1
        var aggregators = try (1...servers).map { try MultiServerAggregator(index: $0, parameters: parameters, session: 9) }
        var expected = [UInt64](repeating: 0, count: 33)
        var included: Set<Int> = []
        for c in 1...clients {
            let values = try (0..<33).map { _ in try rng.nextUInt64() & mask }
            let messages = try MultiServerClient(id: UInt32(c), parameters: parameters).shares(of: values, session: 9, using: &rng)
            #expect(messages.count == servers)
            var reachedAll = true
            for (s, message) in messages.enumerated() {
                if let lastServer = droppedAtServer[c], s >= lastServer { reachedAll = false; break }
                try aggregators[s].receive(message.encoded())
            }
            if reachedAll {
                included.insert(c)
                for i in expected.indices { expected[i] = (expected[i] &+ values[i]) & mask }
            }
        }
        let common = MultiServerAggregator.commonClients(aggregators)
        #expect(common == included.sorted().map(UInt32.init))
        let partials = try aggregators.map { try MultiServerVectorMessage(decoding: $0.partialSum(over: common).encoded()) }
        return (try MultiServerAggregator.combine(partials, parameters: parameters), expected)
    }

    @Test(arguments: [(2, 3, 32), (3, 5, 20), (4, 4, 64)])
    func sumOfPartialSumsIsTheSum(_ servers: Int, _ clients: Int, _ bits: Int) throws {
        let (sum, expected) = try run(servers: servers, clients: clients, bitWidth: bits)
        #expect(sum == expected)
    }

    @Test func clientsMissingAtSomeServerAreLeftOut() throws {
        // Client 2 reaches only server 1, client 4 only servers 1 and 2.
        let (sum, expected) = try run(servers: 3, clients: 5, bitWidth: 32, droppedAtServer: [2: 1, 4: 2])
        #expect(sum == expected)
    }

    @Test func aSeedShareAloneLooksRandom() throws {
        let parameters = try MultiServerParameters(servers: 2, parameterCount: 8, bitWidth: 32)
        var rng = try multiServerRandom("seed")
        let messages = try MultiServerClient(id: 1, parameters: parameters).shares(of: [UInt64](repeating: 0, count: 8), session: 1, using: &rng)
        let vector = try #require(messages.last as? MultiServerVectorMessage)
        #expect(try vector.vector.values(as: UInt64.self) != [UInt64](repeating: 0, count: 8))
    }

    @Test func badMessagesAreRejected() throws {
        let parameters = try MultiServerParameters(servers: 2, parameterCount: 4, bitWidth: 16)
        var rng = try multiServerRandom("bad")
        let messages = try MultiServerClient(id: 1, parameters: parameters).shares(of: [1, 2, 3, 4], session: 5, using: &rng)
        var first = try MultiServerAggregator(index: 1, parameters: parameters, session: 5)
        var second = try MultiServerAggregator(index: 2, parameters: parameters, session: 5)
        #expect(throws: SecAggError.self) { try first.receive(messages[1].encoded()) }  // addressed to server 2
        #expect(throws: SecAggError.self) { try second.receive(Array(messages[1].encoded().dropLast())) }
        try first.receive(messages[0].encoded())
        #expect(throws: SecAggError.duplicateMessage(from: 1)) { try first.receive(messages[0].encoded()) }
        var otherSession = try MultiServerAggregator(index: 1, parameters: parameters, session: 6)
        #expect(throws: SecAggError.self) { try otherSession.receive(messages[0].encoded()) }
        #expect(throws: SecAggError.self) {
            try MultiServerClient(id: 1, parameters: parameters).shares(of: [1, 2, 3, 1 << 16], session: 5, using: &rng)
        }
        #expect(throws: SecAggError.self) { try first.partialSum(over: [1, 2]) }
        let partial = try first.partialSum(over: [1])
        #expect(throws: SecAggError.self) { try MultiServerAggregator.combine([partial], parameters: parameters) }
        #expect(throws: SecAggError.self) { try MultiServerParameters(servers: 1, parameterCount: 4, bitWidth: 16) }
    }
}
