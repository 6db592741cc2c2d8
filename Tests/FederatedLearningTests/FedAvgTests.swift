import FederatedLearning
import Testing

@Suite struct PlainAggregatorTests {
    @Test func weightedMeanUsesSampleCounts() throws {
        let updates = [
            ClientUpdate(clientID: 3, delta: [1, 0, 4], sampleCount: 1),
            ClientUpdate(clientID: 1, delta: [4, 3, 0], sampleCount: 2),
        ]
        let result = try PlainAggregator().aggregate(updates)
        #expect(result.mean == [3, 2, Float(4.0 / 3.0)])
        #expect(result.totalWeight == 3)
        #expect(result.clients == [1, 3])
    }

    @Test func emptyInputIsRejected() {
        let e = aggregationError { () throws(AggregationError) in try PlainAggregator().aggregate([]) }
        #expect(e == .noUpdates)
    }

    @Test func mismatchedLengthsAreRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([
                ClientUpdate(clientID: 0, delta: [1, 2], sampleCount: 1),
                ClientUpdate(clientID: 1, delta: [1, 2, 3], sampleCount: 1),
            ])
        }
        #expect(e == .lengthMismatch(clientID: 1, expected: 2, found: 3))
    }

    @Test func nonFiniteValuesAreRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([ClientUpdate(clientID: 4, delta: [1, .nan], sampleCount: 1)])
        }
        #expect(e == .nonFiniteValue(clientID: 4, index: 1))
    }

    @Test func zeroWeightIsRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([ClientUpdate(clientID: 2, delta: [1], sampleCount: 0)])
        }
        #expect(e == .invalidWeight(clientID: 2, weight: 0))
    }

    @Test func overflowingTotalWeightIsRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([
                ClientUpdate(clientID: 0, delta: [1], sampleCount: Int.max),
                ClientUpdate(clientID: 1, delta: [1], sampleCount: 1),
            ])
        }
        #expect(e == .invalidWeight(clientID: 1, weight: 1))
    }

    @Test func duplicateClientIsRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([
                ClientUpdate(clientID: 5, delta: [1], sampleCount: 1),
                ClientUpdate(clientID: 5, delta: [2], sampleCount: 1),
            ])
        }
        #expect(e == .duplicateClient(clientID: 5))
    }

    @Test func emptyUpdateIsRejected() {
        let e = aggregationError { () throws(AggregationError) in
            try PlainAggregator().aggregate([ClientUpdate(clientID: 0, delta: [], sampleCount: 1)])
        }
        #expect(e == .emptyUpdate(clientID: 0))
    }
}

/// FedAvg on the small synthetic problem: 10 IID clients, 5 per round.
private func syntheticRun(seed: UInt64 = 11, clientsPerRound: Int = 5) throws -> (FedAvg, TrainTestSplit) {
    let data = try smallSynthetic(classes: 4, features: 10, train: 600, test: 200, separation: 8)
    let partition = try Partition(data.train, clientCount: 10, scheme: .iid, seed: 1)
    let model = Model(try .mlp(inputCount: 10, hidden: [16], classCount: 4), seed: 2)
    let config = try FedAvgConfiguration(
        clientsPerRound: clientsPerRound, local: SGDConfiguration(learningRate: 0.1, batchSize: 10, epochs: 1),
        seed: seed)
    return (try FedAvg(model: model, trainingData: data.train, partition: partition, configuration: config), data)
}

@Suite struct FedAvgTests {
    @Test func reachesHighAccuracyOnSyntheticData() throws {
        var (fedAvg, data) = try syntheticRun()
        var aggregator = PlainAggregator()
        let before = try fedAvg.evaluate(on: data.test)
        for _ in 0..<10 { try fedAvg.runRound(using: &aggregator) }
        let after = try fedAvg.evaluate(on: data.test)
        #expect(after.accuracy >= 0.95)
        #expect(after.loss < before.loss)
        #expect(fedAvg.round == 10)
    }

    @Test func sameSeedGivesIdenticalParameters() throws {
        var (a, _) = try syntheticRun(seed: 3)
        var (b, _) = try syntheticRun(seed: 3)
        var (c, _) = try syntheticRun(seed: 4)
        var aggregator = PlainAggregator()
        for _ in 0..<3 {
            try a.runRound(using: &aggregator)
            try b.runRound(using: &aggregator)
            try c.runRound(using: &aggregator)
        }
        #expect(a.global.parameters == b.global.parameters)
        #expect(a.global.parameters != c.global.parameters)
    }

    @Test func stepByStepRoundEqualsRunRound() throws {
        var (manual, _) = try syntheticRun()
        var (whole, _) = try syntheticRun()
        let selected = manual.selectClients()
        let updates = try selected.map { try manual.trainClient($0).update }
        try manual.apply(PlainAggregator().aggregate(updates))
        var aggregator = PlainAggregator()
        let record = try whole.runRound(using: &aggregator)
        #expect(record.selected == selected)
        #expect(manual.global == whole.global)
    }

    @Test func updateIsLocalMinusGlobal() throws {
        let (fedAvg, _) = try syntheticRun()
        let result = try fedAvg.trainClient(0)
        var local = fedAvg.global
        try local.apply(delta: result.update.delta)
        #expect(result.update.sampleCount == 60)
        #expect(result.update.delta.count == fedAvg.global.parameters.count)
        #expect(local != fedAvg.global)
    }

    @Test func clientSelectionIsDeterministicAndInRange() {
        let a = FedAvg.sampleClients(seed: 1, round: 4, clientCount: 100, clientsPerRound: 10)
        let b = FedAvg.sampleClients(seed: 1, round: 4, clientCount: 100, clientsPerRound: 10)
        let c = FedAvg.sampleClients(seed: 1, round: 5, clientCount: 100, clientsPerRound: 10)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count == 10)
        let inRange = a.allSatisfy { $0 >= 0 && $0 < 100 }
        #expect(inRange)
        #expect(a == a.sorted())
    }

    @Test func tooManyClientsPerRoundIsRejected() throws {
        let data = try smallSynthetic()
        let partition = try Partition(data.train, clientCount: 10, scheme: .iid, seed: 1)
        let model = Model(try .softmaxRegression(inputCount: 10, classCount: 4), seed: 2)
        let config = try FedAvgConfiguration(clientsPerRound: 11, local: SGDConfiguration(), seed: 0)
        let e = trainingError { () throws(TrainingError) in
            try FedAvg(model: model, trainingData: data.train, partition: partition, configuration: config)
        }
        #expect(e == .invalidHyperparameter(name: "clients_per_round", reason: "11 exceeds the number of clients (10)"))
    }

    @Test func invalidClientAndAggregateAreRejected() throws {
        var (fedAvg, _) = try syntheticRun()
        let e1 = trainingError { () throws(TrainingError) in try fedAvg.trainClient(10) }
        #expect(e1 == .clientOutOfRange(client: 10, clientCount: 10))
        let before = fedAvg.global
        let e2 = trainingError { () throws(TrainingError) in
            try fedAvg.apply(AggregateUpdate(mean: [1], totalWeight: 1, clients: [0]))
        }
        #expect(e2 != nil)
        #expect(fedAvg.global == before)
        #expect(fedAvg.round == 0)
    }
}

/// The accuracy bars on real handwritten digits (Examples/data/digits, IDX): 10 IID clients, all
/// selected every round, ≤ 30 rounds; softmax regression ≥ 90 %, MLP ≥ 93 % test accuracy.
@Suite struct DigitsAccuracyTests {
    private func run(_ architecture: ModelArchitecture, rounds: Int, learningRate: Float) throws -> Evaluation {
        let digits = try loadDigits()
        let partition = try Partition(digits.train, clientCount: 10, scheme: .iid, seed: 1)
        let config = try FedAvgConfiguration(
            clientsPerRound: 10, local: SGDConfiguration(learningRate: learningRate, batchSize: 16, epochs: 2),
            seed: 7)
        var fedAvg = try FedAvg(
            model: Model(architecture, seed: 2), trainingData: digits.train, partition: partition,
            configuration: config)
        var aggregator = PlainAggregator()
        for _ in 0..<rounds { try fedAvg.runRound(using: &aggregator) }
        return try fedAvg.evaluate(on: digits.test)
    }

    @Test func softmaxRegressionReaches90Percent() throws {
        let result = try run(.softmaxRegression(inputCount: 64, classCount: 10), rounds: 30, learningRate: 0.5)
        #expect(result.accuracy >= 0.90)
    }

    @Test func mlpReaches93Percent() throws {
        let result = try run(.mlp(inputCount: 64, hidden: [64], classCount: 10), rounds: 30, learningRate: 0.2)
        #expect(result.accuracy >= 0.93)
    }
}
