import CryptoPrimitives
import SecureAggregation
import Testing

@Suite struct MaskedAggregationCorrectnessTests {
    /// Without dropouts the unmasked sum is the plaintext sum, for a 32-bit, a 20-bit, a 48-bit and a 64-bit ring.
    @Test(arguments: [32, 20, 1])
    func sumWithoutDropoutsIsExact32(bits: Int) throws {
        var sim = try makeMasking(UInt32.self, n: 5, t: 3, length: 37, bits: bits, label: "exact32 \(bits)")
        let sum = try sim.run()
        #expect(sum == plainSum(sim.inputs, of: [1, 2, 3, 4, 5], bits: bits, length: 37))
        #expect(try sim.server.result() == sum)
    }

    @Test(arguments: [48, 64, 33])
    func sumWithoutDropoutsIsExact64(bits: Int) throws {
        var sim = try makeMasking(UInt64.self, n: 4, t: 3, length: 21, bits: bits, label: "exact64 \(bits)")
        let sum = try sim.run()
        #expect(sum == plainSum(sim.inputs, of: [1, 2, 3, 4], bits: bits, length: 21))
    }

    /// Dropouts at every round, 1 … n − t of them, lowest / highest / random ids: the sum over U3 is exact.
    @Test(arguments: [ProtocolRound.advertiseKeys, .shareKeys, .maskedInput, .unmasking])
    func dropoutsUpToTheToleranceAreSurvived(round: ProtocolRound) throws {
        let n = 7, t = 4, length = 19
        var rng = try testRandom("dropouts \(round)")
        for count in 1...(n - t) {
            for pattern in 0..<3 {
                var sim = try makeMasking(UInt32.self, n: n, t: t, length: length, bits: 32,
                                          label: "drop \(round) \(count) \(pattern)")
                let dropped: [UInt32] = switch pattern {
                case 0: (1...count).map { UInt32($0) }
                case 1: ((n - count + 1)...n).map { UInt32($0) }
                default: try randomIDs(count: count, of: n, using: &rng)
                }
                for id in dropped { sim.dropAt[id] = round }
                let sum = try sim.run()
                // Inputs count when the client sent its masked input (dropping only in round 3 still counts).
                let contributors = (1...n).map { UInt32($0) }.filter { !dropped.contains($0) || round == .unmasking }
                #expect(sim.server.maskedInputClients == contributors)
                #expect(sum == plainSum(sim.inputs, of: contributors, bits: 32, length: length),
                        "round \(round), dropped \(dropped)")
            }
        }
    }

    /// Dropouts spread over all rounds, n − t in total.
    @Test func dropoutsAcrossRoundsAreSurvived() throws {
        var sim = try makeMasking(UInt32.self, n: 8, t: 5, length: 11, bits: 24, label: "mixed")
        sim.dropAt = [2: .shareKeys, 5: .maskedInput, 8: .unmasking]
        let sum = try sim.run()
        #expect(sum == plainSum(sim.inputs, of: [1, 3, 4, 6, 7, 8], bits: 24, length: 11))
    }

    /// One dropout more than n − t at any round: the server aborts with tooFewClients, and stays aborted.
    @Test(arguments: [ProtocolRound.advertiseKeys, .shareKeys, .maskedInput, .unmasking])
    func oneDropoutTooManyAbortsCleanly(round: ProtocolRound) throws {
        let n = 6, t = 4
        var sim = try makeMasking(UInt32.self, n: n, t: t, length: 5, bits: 32, label: "abort \(round)")
        for id in 1...(n - t + 1) { sim.dropAt[UInt32(id)] = round }
        expectError(.tooFewClients(round: round, needed: t, available: t - 1)) { () throws(SecAggError) in try sim.run() }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.server.result() }) {
            if case .aborted(.tooFewClients) = $0 { return true }
            return false
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.server.finishUnmasking() }) {
            if case .aborted = $0 { return true }
            return false
        }
    }

    /// The n = 20 run: t = 11, nine dropouts spread over the rounds.
    @Test func twentyClientsWithNineDropouts() throws {
        var sim = try makeMasking(UInt32.self, n: 20, t: 11, length: 64, bits: 32, label: "twenty")
        sim.dropAt = [3: .advertiseKeys, 7: .advertiseKeys, 1: .shareKeys, 12: .shareKeys, 20: .maskedInput,
                      9: .maskedInput, 15: .maskedInput, 4: .unmasking, 17: .unmasking]
        let sum = try sim.run()
        let contributors = (1...20).map { UInt32($0) }.filter { ![3, 7, 1, 12, 20, 9, 15].contains($0) }
        #expect(sum == plainSum(sim.inputs, of: contributors, bits: 32, length: 64))
    }

    /// The masked input reveals nothing obvious: it differs from the input in almost every coordinate, and
    /// two runs with different randomness give different masked inputs for the same input.
    @Test func maskedInputIsNotTheInput() throws {
        var sim = try makeMasking(UInt32.self, n: 3, t: 2, length: 256, bits: 32, label: "hide")
        let deliveries = try sim.roundOne(try sim.roundZero())
        let d = try #require(deliveries.first { $0.header.receiver == 2 })
        let y = try sim.clients[2]!.maskedInput(d, input: sim.inputs[2]!).values.values(as: UInt32.self)
        let same = zip(y, sim.inputs[2]!).filter { $0 == $1 }.count
        #expect(same < 4)
    }

    /// The same DRBG seeds give byte-identical messages (reproducible simulations).
    @Test func runsAreDeterministicUnderTheDrbg() throws {
        var a = try makeMasking(UInt32.self, n: 4, t: 3, length: 9, bits: 32, label: "det")
        var b = try makeMasking(UInt32.self, n: 4, t: 3, length: 9, bits: 32, label: "det")
        #expect(try a.run() == (try b.run()))
        #expect(a.uploadBytes == b.uploadBytes)
    }

    /// Bytes on the wire follow the encoding: a masked input of L values in Z_2^k is 25 + 5 + ⌈L·k/8⌉ bytes.
    @Test func maskedInputSizeIsPacked() throws {
        var sim = try makeMasking(UInt32.self, n: 3, t: 2, length: 100, bits: 20, label: "size")
        let deliveries = try sim.roundOne(try sim.roundZero())
        let d = try #require(deliveries.first)
        let m = try sim.clients[d.header.receiver]!.maskedInput(d, input: sim.inputs[d.header.receiver]!)
        #expect(m.encoded().count == WireFormat.headerByteCount + 5 + 250)
    }

    @Test func parametersAreValidated() {
        expectError(.invalidParameter(name: "threshold t", value: "1", expected: "2...5")) { () throws(SecAggError) in
            try MaskedAggregationParameters(clientCount: 5, threshold: 1, vectorLength: 3, ringBits: 32)
        }
        expectError(.invalidParameter(name: "threshold t", value: "6", expected: "2...5")) { () throws(SecAggError) in
            try MaskedAggregationParameters(clientCount: 5, threshold: 6, vectorLength: 3, ringBits: 32)
        }
        expectError(.invalidParameter(name: "ring bits k", value: "65", expected: "1...64")) { () throws(SecAggError) in
            try MaskedAggregationParameters(clientCount: 5, threshold: 3, vectorLength: 3, ringBits: 65)
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try MaskedAggregationParameters(clientCount: 5, threshold: 3, vectorLength: 0, ringBits: 32)
        }) { if case .invalidParameter = $0 { return true } else { return false } }
        #expect(MaskedAggregationParameters.minimumSecureThreshold(clientCount: 10) == 6)
    }

    /// Masks depend on k only, not on the word type: UInt64 storage of a 20-bit ring sends the same bytes and
    /// gets the same sum as UInt32 storage; UInt32 cannot hold a 40-bit ring.
    @Test func wordTypeDoesNotChangeTheProtocol() throws {
        var narrow = try makeMasking(UInt32.self, n: 4, t: 3, length: 13, bits: 20, label: "words")
        var wide = try makeMasking(UInt64.self, n: 4, t: 3, length: 13, bits: 20, label: "words")
        narrow.dropAt[2] = .maskedInput
        wide.dropAt[2] = .maskedInput
        #expect(try narrow.run().map(UInt64.init) == (try wide.run()))
        #expect(narrow.uploadBytes == wide.uploadBytes)
        var rng = try testRandom("word")
        let p = try MaskedAggregationParameters(clientCount: 3, threshold: 2, vectorLength: 4, ringBits: 40)
        expectError(.invalidParameter(name: "word type for k = 40", value: "UInt32", expected: "UInt64")) { () throws(SecAggError) in
            try MaskedAggregationClient<UInt32>(id: 1, parameters: p, using: &rng)
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try MaskedAggregationServer<UInt32>(parameters: p)
        }) { if case .invalidParameter = $0 { return true } else { return false } }
        let p3 = try MaskedAggregationParameters(clientCount: 3, threshold: 2, vectorLength: 4, ringBits: 20)
        expectError(.invalidParameter(name: "client id", value: "4", expected: "1...3")) { () throws(SecAggError) in
            try MaskedAggregationClient<UInt32>(id: 4, parameters: p3, using: &rng)
        }
    }

    /// A client rejects an input of the wrong length or with a value ≥ 2^k, and can then send a good one.
    @Test func inputsAreValidated() throws {
        var sim = try makeMasking(UInt32.self, n: 3, t: 2, length: 4, bits: 8, label: "inputs")
        let deliveries = try sim.roundOne(try sim.roundZero())
        let d = try #require(deliveries.first { $0.header.receiver == 1 })
        expectError(.inputLengthMismatch(expected: 4, actual: 3)) { () throws(SecAggError) in
            try sim.clients[1]!.maskedInput(d, input: [1, 2, 3])
        }
        expectError(.inputOutOfRange(index: 2, expected: "< 2^8")) { () throws(SecAggError) in
            try sim.clients[1]!.maskedInput(d, input: [1, 2, 256, 3])
        }
        _ = try sim.clients[1]!.maskedInput(d, input: [1, 2, 255, 3])
    }
}
