import FederatedLearning
import Testing

private let schemes: [PartitionScheme] = [.iid, .dirichlet(alpha: 0.5), .dirichlet(alpha: 0.05), .shards(perClient: 2)]

/// 1,000 samples over 10 classes (100 each).
private func labels() throws -> Dataset {
    try smallSynthetic(classes: 10, features: 2, train: 1_000, test: 10).train
}

@Suite struct PartitionTests {
    @Test(arguments: schemes)
    func everySampleIsAssignedExactlyOnce(_ scheme: PartitionScheme) throws {
        let data = try labels()
        let p = try Partition(data, clientCount: 10, scheme: scheme, seed: 7)
        let all = p.clientIndices.flatMap { $0 }.sorted()
        #expect(all == Array(0..<data.count))
        let nonEmpty = p.sizes.allSatisfy { $0 >= 1 }
        #expect(nonEmpty)
    }

    @Test(arguments: schemes)
    func sameSeedGivesSamePartition(_ scheme: PartitionScheme) throws {
        let data = try labels()
        let a = try Partition(data, clientCount: 10, scheme: scheme, seed: 7)
        let b = try Partition(data, clientCount: 10, scheme: scheme, seed: 7)
        #expect(a == b)
    }

    @Test(arguments: schemes)
    func differentSeedsGiveDifferentPartitions(_ scheme: PartitionScheme) throws {
        let data = try labels()
        let a = try Partition(data, clientCount: 10, scheme: scheme, seed: 7)
        let b = try Partition(data, clientCount: 10, scheme: scheme, seed: 8)
        #expect(a != b)
    }

    @Test func iidSizesDifferByAtMostOne() throws {
        let data = try labels()
        let p = try Partition(data, clientCount: 7, scheme: .iid, seed: 1)
        let sizes = p.sizes
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    }

    @Test func shardsGiveAtMostTwoClassesPerClient() throws {
        let data = try labels()
        let p = try Partition(data, clientCount: 10, scheme: .shards(perClient: 2), seed: 3)
        let report = p.report(for: data)
        let atMostTwo = report.classesPerClient.allSatisfy { $0 <= 2 }
        #expect(atMostTwo)
        #expect(report.sizes == [Int](repeating: 100, count: 10))
    }

    @Test func smallAlphaSkewsLabelsMoreThanLargeAlpha() throws {
        let data = try labels()
        let skewed = try Partition(data, clientCount: 10, scheme: .dirichlet(alpha: 0.05), seed: 3).report(for: data)
        let even = try Partition(data, clientCount: 10, scheme: .dirichlet(alpha: 100), seed: 3).report(for: data)
        #expect(skewed.classesPerClient.reduce(0, +) < even.classesPerClient.reduce(0, +))
        let allClasses = even.classesPerClient.allSatisfy { $0 == 10 }
        #expect(allClasses)
    }

    @Test func reportCountsLabelsPerClient() throws {
        let data = try Dataset(features: [0, 0, 0, 0], labels: [Int32(0), 1, 1, 2], featureCount: 1)
        let p = try Partition(data, clientCount: 4, scheme: .iid, seed: 0)
        let counts = p.labelCounts(in: data)
        let perClient = counts.map { $0.reduce(0, +) }
        let perClass = (0..<3).map { k in counts.reduce(0) { $0 + $1[k] } }
        #expect(perClient == [1, 1, 1, 1])
        #expect(perClass == [1, 2, 1])
        #expect(p.report(for: data).description.contains("client"))
    }
}

@Suite struct PartitionBadInputTests {
    @Test func zeroClientsIsRejected() throws {
        let data = try labels()
        let e = partitionError { () throws(PartitionError) in
            try Partition(data, clientCount: 0, scheme: .iid, seed: 0)
        }
        #expect(e == .invalidClientCount(clientCount: 0, sampleCount: 1_000))
    }

    @Test func moreClientsThanSamplesIsRejected() throws {
        let data = try labels()
        let e = partitionError { () throws(PartitionError) in
            try Partition(data, clientCount: 1_001, scheme: .iid, seed: 0)
        }
        #expect(e == .invalidClientCount(clientCount: 1_001, sampleCount: 1_000))
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func nonPositiveOrNonFiniteAlphaIsRejected(_ alpha: Double) throws {
        let data = try labels()
        let e = partitionError { () throws(PartitionError) in
            try Partition(data, clientCount: 5, scheme: .dirichlet(alpha: alpha), seed: 0)
        }
        #expect(e != nil)
    }

    @Test(arguments: [0, -2, 101, Int.max])
    func impossibleShardCountIsRejected(_ perClient: Int) throws {
        let data = try labels()
        let e = partitionError { () throws(PartitionError) in
            try Partition(data, clientCount: 10, scheme: .shards(perClient: perClient), seed: 0)
        }
        #expect(e == .invalidShards(perClient: perClient, clientCount: 10, sampleCount: 1_000))
    }

    @Test func dirichletThatCannotFillEveryClientThrows() throws {
        // Two samples of one class for two clients with tiny α: one client almost always gets both.
        let data = try Dataset(features: [0, 0], labels: [Int32(0), 0], featureCount: 1, classCount: 1)
        let e = partitionError { () throws(PartitionError) in
            try Partition(data, clientCount: 2, scheme: .dirichlet(alpha: 1e-6), seed: 0)
        }
        #expect(e == .dirichletUnsatisfiable(alpha: 1e-6, clientCount: 2, attempts: Partition.maximumDirichletAttempts))
    }
}
