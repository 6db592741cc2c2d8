import Benchmark
import FederatedLearning

/// One local epoch of mini-batch SGD (batch 32, shuffled, as a FedAvg client runs it) over 10,000 dense synthetic
/// 784-feature samples of 10 classes: softmax regression 784-10 and the MLP 784-128-10. Paired with
/// `Tools/bench_numpy_training.py` (the same models, sizes, batch size and initialisation rule in NumPy), run in
/// the same session. The custom metric `samples/s` is 10,000 / wall-clock time of the epoch.
func registerTrainingBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, TrainingFixtures.samplesPerSecond], scalingFactor: .one,
        maxDuration: .seconds(5), maxIterations: 50)
    let sgd: SGDConfiguration
    let softmax: ModelArchitecture
    let mlp: ModelArchitecture
    do {
        sgd = try SGDConfiguration(learningRate: 0.01, batchSize: TrainingFixtures.batchSize, epochs: 1)
        softmax = try .softmaxRegression(inputCount: TrainingFixtures.featureCount, classCount: 10)
        mlp = try .mlp(inputCount: TrainingFixtures.featureCount, hidden: [128], classCount: 10)
    } catch {
        fatalError("benchmark setup: \(error)")
    }

    for (name, architecture) in [("softmax 784-10", softmax), ("MLP 784-128-10", mlp)] {
        Benchmark(
            "Training.\(name) epoch n=\(TrainingFixtures.sampleCount) batch=\(TrainingFixtures.batchSize)",
            configuration: config
        ) { benchmark in
            let data = TrainingFixtures.data
            var model = Model(architecture, seed: 1)
            let clock = ContinuousClock()
            let start = clock.now
            benchmark.startMeasurement()
            try model.train(on: data, configuration: sgd, seed: 2)
            benchmark.stopMeasurement()
            let seconds = (clock.now - start) / .seconds(1)
            benchmark.measurement(TrainingFixtures.samplesPerSecond, Int(Double(data.count) / seconds))
            blackHole(model)
        }
    }
}

/// The training set shared by the benchmarks of one process, generated on first use (outside the measurement).
enum TrainingFixtures {
    static let sampleCount = 10_000
    static let featureCount = 784
    static let batchSize = 32
    /// Samples processed per second of one epoch (larger is better).
    static let samplesPerSecond = BenchmarkMetric.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false)

    /// Dense Gaussian-cluster data (``SyntheticClassification``), 10 classes, fixed seed.
    static let data: Dataset = {
        do {
            return try SyntheticClassification(
                classCount: 10, featureCount: featureCount, trainCount: sampleCount, testCount: 1
            ).generate(seed: 0x7EA1).train
        } catch {
            fatalError("benchmark data: \(error)")
        }
    }()
}
