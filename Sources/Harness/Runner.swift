public import FederatedLearning
import Foundation

/// One harness run: data, partition, model, FedAvg rounds with the configured protection and dropouts,
/// timing each phase and counting the bytes of the real messages (`Specs/harness.md`).
public struct ExperimentRunner: Sendable {
    public let config: ExperimentConfig

    public init(config: ExperimentConfig) {
        self.config = config
    }

    /// What one round reports to a progress callback.
    public typealias Progress = @Sendable (RoundRecord) -> Void

    /// Loads the data (or generates the synthetic set).
    /// - Throws: ``DatasetError`` naming the file and the problem.
    public func loadData() throws -> TrainTestSplit {
        switch config.dataset {
        case .synthetic(let generator):
            return generator.generate(seed: deriveSeed(config.seed, SeedPurpose.data.rawValue))
        case .mnistIDX(let trainImages, let trainLabels, let testImages, let testLabels, let classes):
            return try IDX.loadSplit(
                trainImages: trainImages, trainLabels: trainLabels, testImages: testImages, testLabels: testLabels,
                classCount: classes)
        case .cifar10(let directory):
            return try CIFAR10.load(directory: directory)
        }
    }

    /// The clients that drop out of a round: ⌊rate · |selected|⌋ of them, chosen by a permutation seeded with
    /// `deriveSeed(seed, round, 6)`; never all of them (rate < 1).
    public static func droppedClients(seed: UInt64, round: Int, selected: [Int], rate: Double) -> Set<Int> {
        let count = Int((rate * Double(selected.count)).rounded(.down))
        guard count > 0 else { return [] }
        var rng = Xoshiro256StarStar(seed: deriveSeed(seed, round, 6))
        let order = rng.permutation(of: selected.count)
        return Set(order.prefix(count).map { selected[$0] })
    }

    /// Runs every round.
    /// - Throws: data, training and aggregation errors (typed, one line each).
    public func run(progress: Progress? = nil) throws -> RunResult {
        let clock = ContinuousClock()
        let started = clock.now
        let data = try loadData()
        let partition = try Partition(
            data.train, clientCount: config.clients, scheme: config.partition,
            seed: deriveSeed(config.seed, SeedPurpose.partition.rawValue))
        let architecture: ModelArchitecture
        switch config.model {
        case .softmax:
            architecture = try .softmaxRegression(inputCount: data.train.featureCount, classCount: data.train.classCount)
        case .mlp(let hidden):
            architecture = try .mlp(inputCount: data.train.featureCount, hidden: hidden, classCount: data.train.classCount)
        }
        let model = Model(architecture, seed: deriveSeed(config.seed, SeedPurpose.modelInitialisation.rawValue))
        let local = try SGDConfiguration(
            learningRate: Float(config.learningRate), batchSize: config.batchSize, epochs: config.localEpochs,
            weightDecay: Float(config.weightDecay))
        var fedAvg = try FedAvg(
            model: model, trainingData: data.train, partition: partition,
            configuration: FedAvgConfiguration(
                clientsPerRound: config.clientsPerRound, local: local,
                serverLearningRate: Float(config.serverLearningRate), seed: config.seed))
        var protection = try makeProtection()
        var records: [RoundRecord] = []
        for round in 0..<config.rounds {
            var seconds = RoundRecord.PhaseSeconds()
            let selected = fedAvg.selectClients()
            let dropped = Self.droppedClients(seed: config.seed, round: round, selected: selected, rate: config.dropoutRate)
            let download = PlainMessages.globalModel(round: round, parameters: fedAvg.global.parameters).count * selected.count
            var updates: [ClientUpdate] = []
            let trainStart = clock.now
            for client in selected { updates.append(try fedAvg.trainClient(client).update) }
            seconds.train = (clock.now - trainStart).seconds
            let outcome = try protection.aggregate(round: round, updates: updates, dropped: dropped, step: config.dropoutStep)
            seconds.protect = outcome.protectSeconds
            seconds.aggregate = outcome.aggregateSeconds
            seconds.admission = outcome.admissionSeconds
            var maxAbsError: Double?
            if config.protection != .none {
                let plain = try PlainAggregator().aggregate(updates.filter { !dropped.contains($0.clientID) })
                maxAbsError = zip(plain.mean, outcome.aggregate.mean).reduce(0.0) { max($0, Double(abs($1.0 - $1.1))) }
            }
            try fedAvg.apply(outcome.aggregate)
            let evaluation = try fedAvg.evaluate(on: data.test)
            let record = RoundRecord(
                round: round + 1, accuracy: evaluation.accuracy, loss: evaluation.loss, maxAbsError: maxAbsError,
                seconds: seconds, uploadBytes: outcome.uploadBytes, downloadBytes: download + outcome.downloadBytes,
                selected: selected.count, dropped: dropped.count)
            records.append(record)
            progress?(record)
        }
        return RunResult(configJSON: config.resolvedJSON(), rounds: records, totalSeconds: (clock.now - started).seconds)
    }

    func makeProtection() throws -> any RoundProtection {
        switch config.protection {
        case .none: return PlainProtection()
        }
    }
}

/// The outcome of one protected aggregation.
public struct ProtectedOutcome: Sendable {
    public var aggregate: AggregateUpdate
    public var admissionSeconds = 0.0
    public var protectSeconds = 0.0
    public var aggregateSeconds = 0.0
    /// Bytes all clients sent / received in the protection protocol's messages.
    public var uploadBytes = 0
    public var downloadBytes = 0
}

/// How a round's updates reach the server: in the clear, or through a protocol of `SecureAggregation`.
protocol RoundProtection {
    /// Aggregates the updates of the clients that do not drop; `dropped` clients vanish at `step`.
    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: ExperimentConfig.DropoutStep)
        throws -> ProtectedOutcome
}

/// No protection: each surviving client sends its update in the clear (`PlainMessages.update`).
struct PlainProtection: RoundProtection {
    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: ExperimentConfig.DropoutStep)
        throws -> ProtectedOutcome
    {
        let survivors = updates.filter { !dropped.contains($0.clientID) }
        let upload = survivors.reduce(0) { $0 + PlainMessages.update(round: round, $1).count }
        let clock = ContinuousClock()
        let start = clock.now
        let aggregate = try PlainAggregator().aggregate(survivors)
        return ProtectedOutcome(aggregate: aggregate, aggregateSeconds: (clock.now - start).seconds, uploadBytes: upload)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
