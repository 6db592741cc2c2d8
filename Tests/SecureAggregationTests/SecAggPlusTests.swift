import CryptoPrimitives
import SecureAggregation
import Testing

@Suite struct HararyGraphTests {
    /// Every client has exactly k neighbours, the relation is symmetric and irreflexive, and the graph is
    /// the same for the same seed and different for another.
    @Test(arguments: [(7, 2), (20, 6), (21, 20), (101, 10)])
    func graphIsRegularAndSymmetric(n: Int, k: Int) throws {
        var rng = try testRandom("graph \(n) \(k)")
        let seed = try rng.bytes(count: 32)
        let g = try HararyGraph(clientCount: n, degree: k, seed: seed)
        for u in 1...n {
            let nb = g.neighbours(of: UInt32(u))
            #expect(nb.count == k)
            #expect(Set(nb).count == k && !nb.contains(UInt32(u)))
            #expect(nb == nb.sorted())
            for v in nb { #expect(g.areNeighbours(v, UInt32(u)) && g.neighbours(of: v).contains(UInt32(u))) }
        }
        #expect(try HararyGraph(clientCount: n, degree: k, seed: seed).neighbours(of: 1) == g.neighbours(of: 1))
        if k < n - 1 {
            let other = try HararyGraph(clientCount: n, degree: k, seed: try rng.bytes(count: 32))
            #expect((1...n).contains { other.neighbours(of: UInt32($0)) != g.neighbours(of: UInt32($0)) })
        }
    }

    @Test func graphParametersAreValidated() {
        let seed = [UInt8](repeating: 1, count: 32)
        for (n, k) in [(10, 3), (10, 0), (10, 10), (2, 2)] {
            expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
                try HararyGraph(clientCount: n, degree: k, seed: seed)
            }) { if case .invalidParameter = $0 { return true } else { return false } }
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try HararyGraph(clientCount: 10, degree: 4, seed: [1])
        }) { if case .invalidParameter = $0 { return true } else { return false } }
    }

    /// The recommended k grows like log n (here 100 → 300 → 1000 → 10,000), t stays above k/2 in the
    /// malicious-server model, and the values match an independent Python computation of the same bounds.
    @Test func recommendedParametersGrowLogarithmically() throws {
        let ks = try [100, 300, 1000, 10_000].map {
            try SecAggPlusParameters.recommended(clientCount: $0, corruptionRate: 0.05, dropoutRate: 0.1)
        }
        #expect(ks.map(\.neighbours) == ks.map(\.neighbours).sorted())
        #expect(ks[3].neighbours < 3 * ks[0].neighbours)
        for c in ks {
            #expect(c.log2DisconnectionBound < -41 && c.log2ExposureBound <= -40.99 && c.log2FailureBound <= -19.99)
            #expect(c.threshold >= 2 && c.threshold <= c.neighbours)
        }
        // (n, k, t) from an independent Python computation of the same bounds (hypergeometric tails via lgamma).
        let reference = [(100, 16, 6), (300, 28, 14), (1000, 36, 19), (10_000, 42, 22)]
        for ((n, k, t), c) in zip(reference, ks) {
            #expect(c.neighbours == k && c.threshold == t, "n = \(n): got (\(c.neighbours), \(c.threshold))")
        }
        // Google's SecAgg+ parameter finder (fcp/secagg/server/graph_parameter_finder_test.cc) publishes these
        // semi-honest instances with γ = 0.05, δ = 0.33: our choice coincides.
        for (n, k, t) in [(100, 28, 6), (1000, 72, 24), (10_000, 86, 29)] {
            let c = try SecAggPlusParameters.recommended(clientCount: n, corruptionRate: 0.05, dropoutRate: 0.33)
            #expect(c.neighbours == k && c.threshold == t, "n = \(n): got (\(c.neighbours), \(c.threshold))")
        }
        let malicious = try SecAggPlusParameters.recommended(clientCount: 1000, corruptionRate: 0.05, dropoutRate: 0.1,
                                                             threatModel: .maliciousServer)
        #expect(malicious.neighbours == 78 && malicious.threshold == 52)
        #expect(2 * malicious.threshold > malicious.neighbours + 1)
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try SecAggPlusParameters.recommended(clientCount: 10, corruptionRate: 0.5, dropoutRate: 0.5)
        }) { if case .invalidParameter = $0 { return true } else { return false } }
    }
}

@Suite struct SecAggPlusCorrectnessTests {
    /// Without dropouts the sum is exact, and each directory lists only the k neighbours and the client.
    @Test func sumWithoutDropoutsIsExactAndMessagesAreLocal() throws {
        var sim = try makePlus(UInt32.self, n: 20, k: 6, t: 4, length: 33, bits: 32, label: "plus exact")
        let directories = try sim.roundZero()
        #expect(directories.allSatisfy { $0.entries.count == 7 })
        let sum = try sim.roundThree(try sim.roundTwo(try sim.roundOne(directories)))
        #expect(sum == plainSum(sim.inputs, of: (1...20).map { UInt32($0) }, bits: 32, length: 33))
    }

    /// Up to k + 1 − t dropouts anywhere (so every neighbourhood keeps t holders), at every round: exact.
    @Test(arguments: [ProtocolRound.advertiseKeys, .shareKeys, .maskedInput, .unmasking])
    func dropoutsWithinEveryNeighbourhoodAreSurvived(round: ProtocolRound) throws {
        let n = 16, k = 6, t = 4
        var rng = try testRandom("plus drops \(round)")
        for count in 1...(k + 1 - t) {
            var sim = try makePlus(UInt64.self, n: n, k: k, t: t, length: 9, bits: 40, label: "plus \(round) \(count)")
            let dropped = try randomIDs(count: count, of: n, using: &rng)
            for id in dropped { sim.dropAt[id] = round }
            let sum = try sim.run()
            let contributors = (1...n).map { UInt32($0) }.filter { !dropped.contains($0) || round == .unmasking }
            #expect(sum == plainSum(sim.inputs, of: contributors, bits: 40, length: 9), "dropped \(dropped) at \(round)")
        }
    }

    /// Too many dropouts in one neighbourhood after the masked inputs: clean abort, never a wrong sum.
    @Test func neighbourhoodBelowThresholdAborts() throws {
        var sim = try makePlus(UInt32.self, n: 12, k: 4, t: 3, length: 5, bits: 32, label: "plus abort")
        let directories = try sim.roundZero()
        let d1 = try #require(directories.first { $0.header.receiver == 1 })
        // Three of client 1's four neighbours drop before sending their masked input: 1 + 1 survivor < t = 3.
        for e in d1.entries.filter({ $0.client != 1 }).prefix(3) { sim.dropAt[e.client] = .maskedInput }
        let deliveries = try sim.roundOne(directories)
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.roundTwo(deliveries) }) {
            if case .tooFewClients(round: .maskedInput, needed: 3, _) = $0 { return true } else { return false }
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.server.result() }) {
            if case .aborted = $0 { return true } else { return false }
        }
    }

    /// Fewer than t clients overall at any round: clean abort.
    @Test(arguments: [ProtocolRound.advertiseKeys, .shareKeys])
    func tooFewClientsOverallAborts(round: ProtocolRound) throws {
        var sim = try makePlus(UInt32.self, n: 8, k: 4, t: 3, length: 5, bits: 32, label: "plus few \(round)")
        for id in 1...6 { sim.dropAt[UInt32(id)] = round }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.run() }) {
            if case .tooFewClients = $0 { return true } else { return false }
        }
    }

    /// The n = 20 run with k = 8, t = 5 and dropouts at every round.
    @Test func twentyClientsWithDropouts() throws {
        var sim = try makePlus(UInt32.self, n: 20, k: 8, t: 5, length: 40, bits: 30, label: "plus twenty")
        sim.dropAt = [4: .advertiseKeys, 11: .shareKeys, 18: .maskedInput, 2: .unmasking]
        let sum = try sim.run()
        let contributors = (1...20).map { UInt32($0) }.filter { ![4, 11, 18].contains($0) }
        #expect(sum == plainSum(sim.inputs, of: contributors, bits: 30, length: 40))
    }

    /// A SecAgg+ client refuses both shares of a neighbour, and keys or shares from non-neighbours.
    @Test func clientChecksNeighbourhoodAndRefusesBothShares() throws {
        var sim = try makePlus(UInt32.self, n: 12, k: 4, t: 3, length: 5, bits: 32, label: "plus refuse")
        let directories = try sim.roundZero()
        let d1 = try #require(directories.first { $0.header.receiver == 1 })
        let outsider = try #require(directories.first { d in !d1.entries.contains { $0.client == d.header.receiver } })
        var extended = d1
        let foreign = try #require(outsider.entries.first { $0.client == outsider.header.receiver })
        extended.entries = (extended.entries + [foreign]).sorted { $0.client < $1.client }
        expectError(.unknownClient(foreign.client)) { () throws(SecAggError) in try sim.clients[1]!.shareKeys(extended) }
        let requests = try sim.roundTwo(try sim.roundOne(directories))
        let r1 = try #require(requests.first { $0.header.receiver == 1 })
        let peer = try #require(r1.survivors.first { $0 != 1 })
        let greedy = UnmaskRequest(header: r1.header, survivors: r1.survivors, dropped: [peer])
        expectError(.bothSharesRequested(peer: peer)) { () throws(SecAggError) in try sim.clients[1]!.unmask(greedy) }
        #expect(try sim.roundThree(requests) == plainSum(sim.inputs, of: (1...12).map { UInt32($0) }, bits: 32, length: 5))
    }
}
