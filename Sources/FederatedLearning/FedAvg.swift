/// Purpose tags for ``deriveSeed(_:_:)``: every random stream of a run is `deriveSeed(runSeed, …, tag)`, so
/// changing one part of an experiment (say the partition) never shifts the randomness of another.
public enum SeedPurpose: Int, Sendable, CaseIterable {
    /// Client selection of a round: `deriveSeed(seed, round, 1)`.
    case clientSelection = 1
    /// Local training of a client in a round: `deriveSeed(seed, round, client, 2)`.
    case localTraining = 2
    /// The partition of the training set: `deriveSeed(seed, 3)` (used by callers such as the Harness).
    case partition = 3
    /// Model initialisation: `deriveSeed(seed, 4)` (used by callers).
    case modelInitialisation = 4
    /// Synthetic data generation: `deriveSeed(seed, 5)` (used by callers).
    case data = 5
}

/// FedAvg settings, validated at construction.
public struct FedAvgConfiguration: Sendable, Hashable {
    /// Clients selected per round (≥ 1; ≤ the number of clients, checked by
    /// ``FedAvg/init(model:trainingData:partition:configuration:)``).
    public let clientsPerRound: Int
    /// Local SGD hyperparameters.
    public let local: SGDConfiguration
    /// Server step size η_s: the server adds `η_s ·` mean update (1 is plain FedAvg).
    public let serverLearningRate: Float
    /// The run seed; client selection and local training derive theirs from it (see ``SeedPurpose``).
    public let seed: UInt64

    /// Validated settings.
    /// - Throws: ``TrainingError/invalidHyperparameter(name:reason:)`` if `clientsPerRound < 1` or the server
    ///   learning rate is not positive and finite.
    public init(clientsPerRound: Int, local: SGDConfiguration, serverLearningRate: Float = 1, seed: UInt64)
        throws(TrainingError)
    {
        guard clientsPerRound >= 1 else {
            throw .invalidHyperparameter(name: "clients_per_round", reason: "must be ≥ 1, got \(clientsPerRound)")
        }
        guard serverLearningRate > 0, serverLearningRate.isFinite else {
            throw .invalidHyperparameter(
                name: "server_learning_rate", reason: "must be positive and finite, got \(serverLearningRate)")
        }
        self.clientsPerRound = clientsPerRound
        self.local = local
        self.serverLearningRate = serverLearningRate
        self.seed = seed
    }
}

/// The result of one client's local training in a round.
public struct LocalTrainingResult: Sendable, Equatable {
    /// What the client submits to aggregation: `local − global` and its sample count.
    public let update: ClientUpdate
    /// Steps and losses of the local training.
    public let summary: TrainingSummary
}

/// The record of one round run by ``FedAvg/runRound(using:)``.
public struct FedAvgRound: Sendable, Equatable {
    /// The round number (0-based).
    public let round: Int
    /// The selected clients, ascending.
    public let selected: [Int]
    /// Local training results, in the order of `selected`.
    public let results: [LocalTrainingResult]
    /// The aggregate the server applied.
    public let aggregate: AggregateUpdate
}

/// Federated averaging (McMahan et al. 2017) in model-delta mode, as a step-by-step driver with no timing or
/// I/O, so a harness can measure and interpose on each step of a round:
///
/// ```swift
/// var fedAvg = try FedAvg(model: model, trainingData: data.train, partition: partition, configuration: config)
/// for _ in 0..<rounds {
///     let selected = fedAvg.selectClients()                          // 1. sample clients
///     let updates = try selected.map { try fedAvg.trainClient($0).update }  // 2. local training
///     let aggregate = try aggregator.aggregate(updates)              // 3. any Aggregator
///     try fedAvg.apply(aggregate)                                    // 4. global += η_s · mean Δ
/// }
/// ```
/// ``runRound(using:)`` does the same in one call. The value is `Sendable`: clients can train in parallel from
/// copies, each result depends only on the global model, the client's data and the seeds.
public struct FedAvg: Sendable {
    /// The settings.
    public let configuration: FedAvgConfiguration
    /// All training samples; clients see theirs through ``partition``.
    public let trainingData: Dataset
    /// Which samples each client holds.
    public let partition: Partition
    /// The server's current global model.
    public private(set) var global: Model
    /// Rounds applied so far (the number of the current round).
    public private(set) var round: Int = 0

    /// Number of clients.
    public var clientCount: Int { partition.clientCount }

    /// A FedAvg run starting from `model`.
    /// - Throws: ``TrainingError/invalidHyperparameter(name:reason:)`` if `clientsPerRound` exceeds the number of
    ///   clients; ``TrainingError/featureCountMismatch(model:data:)``,
    ///   ``TrainingError/classCountMismatch(model:data:)``,
    ///   ``TrainingError/sampleIndexOutOfRange(index:sampleCount:)`` or ``TrainingError/noSamples`` if the data,
    ///   the partition and the model do not fit together.
    public init(model: Model, trainingData: Dataset, partition: Partition, configuration: FedAvgConfiguration)
        throws(TrainingError)
    {
        guard configuration.clientsPerRound <= partition.clientCount else {
            throw .invalidHyperparameter(
                name: "clients_per_round",
                reason: "\(configuration.clientsPerRound) exceeds the number of clients (\(partition.clientCount))")
        }
        for indices in partition.clientIndices { try model.checkData(trainingData, indices) }
        self.configuration = configuration
        self.trainingData = trainingData
        self.partition = partition
        global = model
    }

    /// The clients of round `round`: the first `clientsPerRound` entries of a permutation of `0 ..< clientCount`
    /// drawn by ``Xoshiro256StarStar`` seeded with `deriveSeed(seed, round, 1)`, sorted ascending.
    public static func sampleClients(seed: UInt64, round: Int, clientCount: Int, clientsPerRound: Int) -> [Int] {
        var rng = Xoshiro256StarStar(seed: deriveSeed(seed, round, SeedPurpose.clientSelection.rawValue))
        let perm = rng.permutation(of: clientCount)
        return Array(perm.prefix(Swift.max(0, Swift.min(clientsPerRound, clientCount)))).sorted()
    }

    /// Step 1: the clients selected for the current round.
    public func selectClients() -> [Int] {
        FedAvg.sampleClients(
            seed: configuration.seed, round: round, clientCount: clientCount,
            clientsPerRound: configuration.clientsPerRound)
    }

    /// Step 2: local training of `client` for the current round, starting from ``global``, with the training
    /// seed `deriveSeed(seed, round, client, 2)`.
    /// - Returns: the update `local − global`, the sample count and a summary.
    /// - Throws: ``TrainingError/clientOutOfRange(client:clientCount:)``, ``TrainingError/diverged(epoch:)``.
    public func trainClient(_ client: Int) throws(TrainingError) -> LocalTrainingResult {
        guard client >= 0, client < clientCount else {
            throw .clientOutOfRange(client: client, clientCount: clientCount)
        }
        var local = global
        let seed = deriveSeed(configuration.seed, round, client, SeedPurpose.localTraining.rawValue)
        let summary = try local.train(
            on: trainingData, indices: partition.clientIndices[client], configuration: configuration.local,
            seed: seed)
        let delta = try local.delta(from: global)
        return LocalTrainingResult(
            update: ClientUpdate(clientID: client, delta: delta, sampleCount: summary.sampleCount), summary: summary)
    }

    /// Step 4: adds `serverLearningRate · aggregate.mean` to the global model and advances the round.
    /// - Throws: ``TrainingError/invalidAggregate(reason:)`` if the mean has the wrong length or the result is
    ///   not finite (the model and the round are unchanged then).
    public mutating func apply(_ aggregate: AggregateUpdate) throws(TrainingError) {
        do {
            try global.apply(delta: aggregate.mean, scale: configuration.serverLearningRate)
        } catch {
            throw .invalidAggregate(reason: error.description)
        }
        round += 1
    }

    /// Runs one whole round: select, train each selected client in turn, aggregate with `aggregator`, apply.
    /// - Throws: a ``TrainingError`` from training or applying, or the aggregator's `Failure`.
    @discardableResult
    public mutating func runRound<A: Aggregator>(using aggregator: inout A) throws -> FedAvgRound {
        let selected = selectClients()
        var results = [LocalTrainingResult]()
        for c in selected { results.append(try trainClient(c)) }
        let aggregate = try aggregator.aggregate(results.map(\.update))
        let number = round
        try apply(aggregate)
        return FedAvgRound(round: number, selected: selected, results: results, aggregate: aggregate)
    }

    /// Accuracy and loss of the global model on `dataset` (typically the test set).
    /// - Throws: as ``Model/evaluate(on:indices:)``.
    public func evaluate(on dataset: Dataset) throws(TrainingError) -> Evaluation {
        try global.evaluate(on: dataset)
    }
}
