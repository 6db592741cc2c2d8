public import FederatedLearning
import CryptoPrimitives
import Foundation
import Paillier
import SecureAggregation

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

    /// The run's partition of `train` among its clients.
    public func partition(of train: Dataset) throws(PartitionError) -> Partition {
        try Partition(
            train, clientCount: config.clients, scheme: config.partition,
            seed: deriveSeed(config.seed, SeedPurpose.partition.rawValue))
    }

    /// The configured model's architecture for `data`'s feature and class counts.
    public func architecture(for data: TrainTestSplit) throws(TrainingError) -> ModelArchitecture {
        switch config.model {
        case .softmax:
            try .softmaxRegression(inputCount: data.train.featureCount, classCount: data.train.classCount)
        case .mlp(let hidden):
            try .mlp(inputCount: data.train.featureCount, hidden: hidden, classCount: data.train.classCount)
        }
    }

    /// The clients' local SGD settings.
    public func localTraining() throws(TrainingError) -> SGDConfiguration {
        try SGDConfiguration(
            learningRate: Float(config.learningRate), batchSize: config.batchSize, epochs: config.localEpochs,
            weightDecay: Float(config.weightDecay))
    }

    /// Runs every round.
    /// - Throws: data, training and aggregation errors (typed, one line each).
    public func run(progress: Progress? = nil) throws -> RunResult {
        let clock = ContinuousClock()
        let started = clock.now
        let data = try loadData()
        let partition = try partition(of: data.train)
        let model = Model(try architecture(for: data), seed: deriveSeed(config.seed, SeedPurpose.modelInitialisation.rawValue))
        let local = try localTraining()
        var fedAvg = try FedAvg(
            model: model, trainingData: data.train, partition: partition,
            configuration: FedAvgConfiguration(
                clientsPerRound: config.clientsPerRound, local: local,
                serverLearningRate: Float(config.serverLearningRate), seed: config.seed))
        var protection = try makeProtection(maxWeight: partition.sizes.max() ?? 1)
        var admissionRNG = try HmacDrbg(entropy: Sha256.hash(Array("secagg admission setup \(config.seed)".utf8)))
        let admission = try config.admission.map { try AdmissionPhase(settings: $0, clients: config.clients, rng: &admissionRNG) }
        var admitted = Set(0..<config.clients)
        var admissionSummary: AdmissionSummary?
        var records: [RoundRecord] = []
        for round in 0..<config.rounds {
            var seconds = RoundRecord.PhaseSeconds()
            var admissionBytes = 0
            if let admission, round == 0 || admission.settings.perRound {
                let outcome = admission.admit(session: "secagg-run-\(config.seed)", round: UInt64(round + 1), seed: config.seed)
                guard outcome.impostorsAdmitted == 0 else {
                    throw ConfigError("admission", "\(outcome.impostorsAdmitted) impostors were admitted")
                }
                guard outcome.admitted.count >= config.clientsPerRound else {
                    throw ConfigError(
                        "admission", "only \(outcome.admitted.count) of \(config.clients) clients were admitted; \(config.clientsPerRound) are needed per round")
                }
                admitted = outcome.admitted
                seconds.admission = outcome.seconds
                if config.protection.isAuthenticated {
                    // Each admitted public key is checked once (a subgroup element) for the round's signatures.
                    let start = clock.now
                    protection.useIdentities(try AdmittedIdentities(clientKeys: admission.clientKeys, admitted: admitted))
                    seconds.admission += (clock.now - start).seconds
                }
                admissionBytes = outcome.bytes
                var summary = admissionSummary ?? AdmissionSummary()
                summary.admitted = outcome.admitted.count
                summary.rejected += outcome.rejected
                summary.seconds += outcome.seconds
                summary.bytes += outcome.bytes
                admissionSummary = summary
            }
            // Only admitted clients take part.
            let selected = fedAvg.selectClients().filter { admitted.contains($0) }
            let dropped = Self.droppedClients(seed: config.seed, round: round, selected: selected, rate: config.dropoutRate)
            let download = PlainMessages.globalModel(round: round, parameters: fedAvg.global.parameters).count * selected.count
            var updates: [ClientUpdate] = []
            let trainStart = clock.now
            for client in selected { updates.append(try fedAvg.trainClient(client).update) }
            seconds.train = (clock.now - trainStart).seconds
            let outcome = try protection.aggregate(round: round, updates: updates, dropped: dropped, step: config.dropoutStep)
            seconds.protect = outcome.protectSeconds
            seconds.aggregate = outcome.aggregateSeconds
            seconds.admission += outcome.admissionSeconds
            var maxAbsError: Double?
            if config.protection != .none {
                // The plaintext reference: the same clients the protocol included.
                let included = Set(outcome.aggregate.clients)
                let plain = try PlainAggregator().aggregate(updates.filter { included.contains($0.clientID) })
                maxAbsError = zip(plain.mean, outcome.aggregate.mean).reduce(0.0) { max($0, Double(abs($1.0 - $1.1))) }
            }
            try fedAvg.apply(outcome.aggregate)
            let evaluation = try fedAvg.evaluate(on: data.test)
            let record = RoundRecord(
                round: round + 1, accuracy: evaluation.accuracy, loss: evaluation.loss, maxAbsError: maxAbsError,
                errorBound: outcome.errorBound,
                seconds: seconds, uploadBytes: outcome.uploadBytes + admissionBytes, downloadBytes: download + outcome.downloadBytes,
                selected: selected.count, dropped: dropped.count)
            records.append(record)
            progress?(record)
        }
        return RunResult(
            configJSON: config.resolvedJSON(), rounds: records, totalSeconds: (clock.now - started).seconds,
            admission: admissionSummary)
    }

    /// The protection of the run; keys are generated once per run from the run seed (a deterministic
    /// HMAC_DRBG, so runs are reproducible — a deployment would use `SystemRandom`).
    func makeProtection(maxWeight: Int) throws -> any RoundProtection {
        var rng = try HmacDrbg(entropy: Sha256.hash(Array("secagg harness \(config.seed)".utf8)))
        let weights = WeightedEncoding(maxWeight: maxWeight)
        switch config.protection {
        case .none:
            return PlainProtection()
        case .masking(let threshold, let bits, let clip, let authenticated):
            return MaskingProtection(
                variant: .complete(threshold: threshold), valueBits: bits, clip: clip, weights: weights, rng: rng,
                authenticated: authenticated)
        case .secAggPlus(let k, let t, let bits, let clip, let authenticated):
            return MaskingProtection(
                variant: .sparse(neighbours: k, threshold: t), valueBits: bits, clip: clip, weights: weights, rng: rng,
                authenticated: authenticated)
        case .paillier(let keyBits, let f, let clip):
            let key = try PaillierKeyPair.generate(bits: keyBits, using: &rng)
            let encryptor = try PaillierEncryptor(publicKey: key.publicKey, using: &rng)
            return PaillierProtection(
                key: key.publicKey, privateKey: key, threshold: nil, encryptor: encryptor, fractionBits: f, clip: clip,
                maxWeight: maxWeight, rng: rng)
        case .paillierThreshold(let keyBits, let decryptors, let t, let f, let clip):
            let p = try ThresholdPaillier.safePrime(bits: keyBits / 2, using: &rng)
            var q = try ThresholdPaillier.safePrime(bits: keyBits / 2, using: &rng)
            while q == p { q = try ThresholdPaillier.safePrime(bits: keyBits / 2, using: &rng) }
            let (parameters, shares) = try ThresholdPaillier.deal(p: p, q: q, threshold: t, parties: decryptors, using: &rng)
            let encryptor = try PaillierEncryptor(publicKey: parameters.publicKey, using: &rng)
            return PaillierProtection(
                key: parameters.publicKey, privateKey: nil,
                threshold: (parameters, shares.map { PaillierThresholdDecryptor(id: UInt32(1_000_000 + $0.index), share: $0) }),
                encryptor: encryptor, fractionBits: f, clip: clip, maxWeight: maxWeight, rng: rng)
        case .multiServer(let servers, let bits, let clip):
            return MultiServerProtection(servers: servers, valueBits: bits, clip: clip, weights: weights, rng: rng)
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
    /// The protocol's stated bound on |protected − plaintext mean| per coordinate for this round.
    public var errorBound: Double?
}

/// How a round's updates reach the server: in the clear, or through a protocol of `SecureAggregation`.
protocol RoundProtection {
    /// Aggregates the updates of the clients that do not drop; `dropped` clients vanish at `step`.
    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: String)
        throws -> ProtectedOutcome
    /// The identities of the clients admitted by the latest admission phase (authenticated kinds sign with
    /// them; the others ignore them).
    mutating func useIdentities(_ identities: AdmittedIdentities)
}

extension RoundProtection {
    mutating func useIdentities(_ identities: AdmittedIdentities) {}
}

/// No protection: each surviving client sends its update in the clear (`PlainMessages.update`).
struct PlainProtection: RoundProtection {
    mutating func aggregate(round: Int, updates: [ClientUpdate], dropped: Set<Int>, step: String)
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
