/// A seeded synthetic classification problem: one Gaussian cluster per class, so demos and tests need no
/// download. Class `c` has mean `μ_c` with coordinates drawn from N(0, separation² / (2·featureCount)), so the
/// expected distance between two class means is `separation` noise standard deviations; a sample of class `c`
/// is `μ_c + noise·z` with `z` standard normal. Train and test samples come from the same means. The exact
/// random stream (so a second implementation reproduces the data) is in `Specs/training.md`.
public struct SyntheticClassification: Sendable, Hashable {
    /// Number of classes (≥ 2).
    public let classCount: Int
    /// Features per sample (≥ 1).
    public let featureCount: Int
    /// Training samples (≥ 1).
    public let trainCount: Int
    /// Test samples (≥ 1).
    public let testCount: Int
    /// Expected distance between two class means, in units of the noise standard deviation (> 0).
    public let separation: Double
    /// Standard deviation of the per-feature noise (> 0).
    public let noise: Double

    /// Largest `(trainCount + testCount) · featureCount` accepted (2³¹ values, 8 GiB of Float).
    public static let maximumValues = 1 << 31

    /// Validated parameters.
    /// - Throws: ``DatasetError/invalidParameter(reason:)`` for a value out of the ranges above.
    public init(
        classCount: Int = 10, featureCount: Int = 20, trainCount: Int = 5_000, testCount: Int = 1_000,
        separation: Double = 4.0, noise: Double = 1.0
    ) throws(DatasetError) {
        guard classCount >= 2 else { throw .invalidParameter(reason: "classCount must be ≥ 2, got \(classCount)") }
        guard featureCount >= 1 else {
            throw .invalidParameter(reason: "featureCount must be ≥ 1, got \(featureCount)")
        }
        guard trainCount >= 1 else { throw .invalidParameter(reason: "trainCount must be ≥ 1, got \(trainCount)") }
        guard testCount >= 1 else { throw .invalidParameter(reason: "testCount must be ≥ 1, got \(testCount)") }
        guard separation > 0, separation.isFinite else {
            throw .invalidParameter(reason: "separation must be positive and finite, got \(separation)")
        }
        guard noise > 0, noise.isFinite else {
            throw .invalidParameter(reason: "noise must be positive and finite, got \(noise)")
        }
        let (samples, o1) = trainCount.addingReportingOverflow(testCount)
        let (values, o2) = samples.multipliedReportingOverflow(by: featureCount)
        guard !o1, !o2, values <= SyntheticClassification.maximumValues else {
            throw .invalidParameter(
                reason: "(\(trainCount) + \(testCount)) samples × \(featureCount) features exceeds "
                    + "\(SyntheticClassification.maximumValues) values")
        }
        self.classCount = classCount
        self.featureCount = featureCount
        self.trainCount = trainCount
        self.testCount = testCount
        self.separation = separation
        self.noise = noise
    }

    /// Generates the train and test sets from `seed` (same parameters and seed → identical data).
    public func generate(seed: UInt64) -> TrainTestSplit {
        var rng = Xoshiro256StarStar(seed: seed)
        let scale = separation / (2.0 * Double(featureCount)).squareRoot()
        var means = [Double](repeating: 0, count: classCount * featureCount)
        for i in means.indices { means[i] = scale * rng.nextNormal() }
        let train = samples(trainCount, means: means, rng: &rng)
        let test = samples(testCount, means: means, rng: &rng)
        return TrainTestSplit(unchecked: train, test: test)
    }

    /// `n` samples: labels `i mod classCount` shuffled (Fisher–Yates), then features row by row.
    private func samples(_ n: Int, means: [Double], rng: inout Xoshiro256StarStar) -> Dataset {
        var labels = (0..<n).map { Int32($0 % classCount) }
        rng.shuffle(&labels)
        var features = [Float](repeating: 0, count: n * featureCount)
        for i in 0..<n {
            let base = Int(labels[i]) * featureCount
            for j in 0..<featureCount {
                features[i * featureCount + j] = Float(means[base + j] + noise * rng.nextNormal())
            }
        }
        return Dataset(unchecked: features, labels: labels, featureCount: featureCount, classCount: classCount)
    }
}

extension TrainTestSplit {
    /// For generators that build matching sets by construction.
    init(unchecked train: Dataset, test: Dataset) {
        assert(train.featureCount == test.featureCount && train.classCount == test.classCount)
        self.train = train
        self.test = test
    }
}
