/// Hyperparameters of local mini-batch SGD, validated at construction.
public struct SGDConfiguration: Sendable, Hashable {
    /// Step size η (> 0).
    public let learningRate: Float
    /// Samples per mini-batch (≥ 1); the last batch of an epoch may be smaller.
    public let batchSize: Int
    /// Passes over the local data (≥ 1).
    public let epochs: Int
    /// L2 coefficient λ (≥ 0): each step is `θ ← θ·(1 − ηλ) − η·∇L(θ)` (= `θ − η·(∇L(θ) + λθ)`), over all
    /// parameters.
    public let weightDecay: Float

    /// Largest batch size accepted.
    public static let maximumBatchSize = 1 << 20
    /// Largest number of epochs accepted.
    public static let maximumEpochs = 100_000

    /// Validated hyperparameters.
    /// - Throws: ``TrainingError/invalidHyperparameter(name:reason:)`` for a value out of range.
    public init(learningRate: Float = 0.1, batchSize: Int = 32, epochs: Int = 1, weightDecay: Float = 0)
        throws(TrainingError)
    {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidHyperparameter(
                name: "learning_rate", reason: "must be positive and finite, got \(learningRate)")
        }
        guard batchSize >= 1, batchSize <= SGDConfiguration.maximumBatchSize else {
            throw .invalidHyperparameter(
                name: "batch_size", reason: "must be in 1 … \(SGDConfiguration.maximumBatchSize), got \(batchSize)")
        }
        guard epochs >= 1, epochs <= SGDConfiguration.maximumEpochs else {
            throw .invalidHyperparameter(
                name: "local_epochs", reason: "must be in 1 … \(SGDConfiguration.maximumEpochs), got \(epochs)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw .invalidHyperparameter(name: "weight_decay", reason: "must be ≥ 0 and finite, got \(weightDecay)")
        }
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.weightDecay = weightDecay
    }
}

/// What one call of ``Model/train(on:indices:configuration:seed:)`` did.
public struct TrainingSummary: Sendable, Equatable {
    /// Local samples (the client's weight in FedAvg).
    public let sampleCount: Int
    /// SGD steps taken (batches over all epochs).
    public let steps: Int
    /// Per epoch: the mean loss of its batches, each measured just before its step (sample-weighted).
    public let epochLosses: [Double]
}

extension Model {
    /// Mini-batch SGD on `dataset` (or its samples at `indices`), in place.
    ///
    /// One ``Xoshiro256StarStar`` seeded with `seed` draws, for each epoch in turn, a permutation of the local
    /// samples (``Xoshiro256StarStar/permutation(of:)`` of their positions in `indices`); the epoch visits them in
    /// that order in batches of `batchSize` (the last may be smaller). Each step:
    /// `θ ← θ·(1 − ηλ) − η·g` with `g` the gradient of the batch's mean cross-entropy loss (`Specs/training.md`
    /// gives the exact rounding order).
    /// - Throws: ``TrainingError/featureCountMismatch(model:data:)``,
    ///   ``TrainingError/classCountMismatch(model:data:)``, ``TrainingError/noSamples``,
    ///   ``TrainingError/sampleIndexOutOfRange(index:sampleCount:)``, and ``TrainingError/diverged(epoch:)`` if
    ///   the loss or a parameter becomes non-finite (the model is left unchanged then).
    @discardableResult
    public mutating func train(
        on dataset: Dataset, indices: [Int]? = nil, configuration: SGDConfiguration, seed: UInt64
    ) throws(TrainingError) -> TrainingSummary {
        try checkData(dataset, indices)
        let samples = indices ?? Array(0..<dataset.count)
        let n = samples.count
        let batchSize = Swift.min(configuration.batchSize, n)
        let workspace = Workspace(architecture: architecture, capacity: batchSize)
        let step = BackwardMode.sgdStep(
            learningRate: configuration.learningRate, weightDecay: configuration.weightDecay)
        var rng = Xoshiro256StarStar(seed: seed)
        var epochLosses = [Double]()
        var steps = 0
        var divergedAt: Int?
        var params = parameters
        params.withUnsafeMutableBufferPointer { params in
            dataset.features.withUnsafeBufferPointer { features in
                dataset.labels.withUnsafeBufferPointer { labels in
                    guard let p = params.baseAddress else { return }
                    var order = [Int](repeating: 0, count: n)
                    for epoch in 0..<configuration.epochs {
                        let permutation = rng.permutation(of: n)
                        for i in 0..<n { order[i] = samples[permutation[i]] }
                        var lossSum = 0.0
                        order.withUnsafeBufferPointer { order in
                            var start = 0
                            while start < n {
                                let end = Swift.min(start + batchSize, n)
                                workspace.gather(order, start..<end, features: features, labels: labels)
                                lossSum += workspace.forward(UnsafePointer(p), batch: end - start).lossSum
                                workspace.backward(p, batch: end - start, mode: step)
                                steps += 1
                                start = end
                            }
                        }
                        let mean = lossSum / Double(n)
                        epochLosses.append(mean)
                        if !mean.isFinite {
                            divergedAt = epoch
                            return
                        }
                    }
                }
            }
        }
        if let epoch = divergedAt { throw .diverged(epoch: epoch) }
        if params.contains(where: { !$0.isFinite }) { throw .diverged(epoch: configuration.epochs - 1) }
        parameters = params
        return TrainingSummary(sampleCount: n, steps: steps, epochLosses: epochLosses)
    }
}

/// Errors from models, training and FedAvg.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Layer sizes out of range.
    case invalidArchitecture(reason: String)
    /// An SGD or FedAvg setting out of range (`name` as in the experiment config).
    case invalidHyperparameter(name: String, reason: String)
    /// A parameter (or update) vector of the wrong length.
    case parameterCountMismatch(expected: Int, found: Int)
    /// A parameter is NaN or infinite.
    case nonFiniteParameter(index: Int)
    /// Two models (or a model and an update) have different architectures.
    case architectureMismatch
    /// The data's feature count differs from the model's input count.
    case featureCountMismatch(model: Int, data: Int)
    /// The data has more classes than the model has outputs.
    case classCountMismatch(model: Int, data: Int)
    /// No samples to train or evaluate on.
    case noSamples
    /// A sample index outside the data set.
    case sampleIndexOutOfRange(index: Int, sampleCount: Int)
    /// The loss or the parameters became non-finite (learning rate too large?).
    case diverged(epoch: Int)
    /// A client ID outside `0 ..< clientCount`.
    case clientOutOfRange(client: Int, clientCount: Int)
    /// The aggregate applied to the model is unusable (wrong length, non-finite, …).
    case invalidAggregate(reason: String)

    /// A one-line, human-readable message.
    public var description: String {
        switch self {
        case .invalidArchitecture(let r):
            return "invalid model architecture: \(r)"
        case .invalidHyperparameter(let n, let r):
            return "invalid \(n): \(r)"
        case .parameterCountMismatch(let e, let f):
            return "parameter vector has \(f) values, the model needs \(e)"
        case .nonFiniteParameter(let i):
            return "parameter \(i) is not finite"
        case .architectureMismatch:
            return "models have different architectures"
        case .featureCountMismatch(let m, let d):
            return "data has \(d) features per sample, the model takes \(m)"
        case .classCountMismatch(let m, let d):
            return "data has \(d) classes, the model has \(m) outputs"
        case .noSamples:
            return "no samples to train or evaluate on"
        case .sampleIndexOutOfRange(let i, let n):
            return "sample index \(i) outside 0..<\(n)"
        case .diverged(let e):
            return "training diverged in local epoch \(e) (non-finite loss or parameters; lower the learning rate)"
        case .clientOutOfRange(let c, let n):
            return "client \(c) outside 0..<\(n)"
        case .invalidAggregate(let r):
            return "invalid aggregate: \(r)"
        }
    }
}
