import CZlib
import FederatedLearning
import Foundation
import Testing

/// A fresh directory under the system temporary directory, removed by ``TempDirectory/remove()``.
struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` as is; returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Writes `bytes` gzip-compressed to `name` with zlib's `gzopen(path, "wb")` / `gzwrite`; returns the path.
    @discardableResult
    func writeGzip(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        guard let file = gzopen(p, "wb") else { throw GzipWriteFailed() }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, written == Int32(bytes.count) else { throw GzipWriteFailed() }
        return p
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

struct GzipWriteFailed: Error {}

/// The committed digits set (`Examples/data/digits`), found relative to this source file.
func digitsPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/data/digits").appendingPathComponent(name).path
}

/// Loads the committed digits set through the IDX loader.
func loadDigits() throws -> TrainTestSplit {
    try IDX.loadSplit(
        trainImages: digitsPath("train-images-idx3-ubyte.gz"), trainLabels: digitsPath("train-labels-idx1-ubyte.gz"),
        testImages: digitsPath("t10k-images-idx3-ubyte.gz"), testLabels: digitsPath("t10k-labels-idx1-ubyte.gz"))
}

/// A small synthetic problem for fast tests.
func smallSynthetic(
    classes: Int = 4, features: Int = 10, train: Int = 400, test: Int = 200, separation: Double = 6, seed: UInt64 = 1
) throws -> TrainTestSplit {
    try SyntheticClassification(
        classCount: classes, featureCount: features, trainCount: train, testCount: test, separation: separation
    ).generate(seed: seed)
}

/// Runs `body` and returns the `DatasetError` it throws (nil if it throws nothing or another error).
func datasetError<T>(_ body: () throws(DatasetError) -> T) -> DatasetError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Runs `body` and returns the `PartitionError` it throws, if any.
func partitionError<T>(_ body: () throws(PartitionError) -> T) -> PartitionError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Runs `body` and returns the `TrainingError` it throws, if any.
func trainingError<T>(_ body: () throws(TrainingError) -> T) -> TrainingError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Runs `body` and returns the `AggregationError` it throws, if any.
func aggregationError<T>(_ body: () throws(AggregationError) -> T) -> AggregationError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
