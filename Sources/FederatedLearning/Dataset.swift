/// A labelled classification data set held in memory.
///
/// `features` is row-major: sample `i` occupies `features[i*featureCount ..< (i+1)*featureCount]`.
/// Invariants (checked by the public initialisers): `featureCount ≥ 1`, `classCount ≥ 1`,
/// `features.count == labels.count * featureCount`, every feature is finite, and every label is in
/// `0 ..< classCount`.
public struct Dataset: Sendable, Equatable {
    /// Row-major features, `count × featureCount` values.
    public let features: [Float]
    /// One label per sample, each in `0 ..< classCount`.
    public let labels: [Int32]
    /// Features per sample.
    public let featureCount: Int
    /// Number of classes (labels are `0 ..< classCount`; a class may have no samples).
    public let classCount: Int

    /// Number of samples.
    public var count: Int { labels.count }
    /// Whether the data set holds no samples.
    public var isEmpty: Bool { labels.isEmpty }

    /// Validating initialiser. `classCount` defaults to max label + 1.
    public init(features: [Float], labels: [Int32], featureCount: Int, classCount: Int? = nil) throws(DatasetError) {
        guard featureCount >= 1 else {
            throw DatasetError.invalidShape(reason: "feature count must be ≥ 1, got \(featureCount)")
        }
        let (expected, overflow) = labels.count.multipliedReportingOverflow(by: featureCount)
        guard !overflow, expected == features.count else {
            throw DatasetError.invalidShape(
                reason: "\(labels.count) labels × \(featureCount) features needs \(labels.count)×\(featureCount) "
                    + "feature values, got \(features.count)")
        }
        if let bad = features.firstIndex(where: { !$0.isFinite }) {
            throw DatasetError.invalidShape(reason: "feature value \(bad) is not finite (\(features[bad]))")
        }
        let classes: Int
        if let given = classCount {
            classes = given
        } else if let top = labels.max() {
            classes = Int(top) + 1
        } else {
            throw DatasetError.invalidShape(reason: "class count must be given for an empty data set")
        }
        guard classes >= 1 else {
            throw DatasetError.invalidShape(reason: "class count must be ≥ 1, got \(classes)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            throw DatasetError.labelOutOfRange(
                file: "dataset", index: bad, label: Int(labels[bad]), classCount: classes)
        }
        self.init(unchecked: features, labels: labels, featureCount: featureCount, classCount: classes)
    }

    /// Validating initialiser taking `Int` labels.
    public init(features: [Float], labels: [Int], featureCount: Int, classCount: Int? = nil) throws(DatasetError) {
        var narrow = [Int32]()
        narrow.reserveCapacity(labels.count)
        for (i, l) in labels.enumerated() {
            guard let v = Int32(exactly: l), v >= 0 else {
                throw DatasetError.labelOutOfRange(
                    file: "dataset", index: i, label: l, classCount: classCount ?? Int(Int32.max))
            }
            narrow.append(v)
        }
        try self.init(features: features, labels: narrow, featureCount: featureCount, classCount: classCount)
    }

    /// For loaders and transformations that have already established the invariants.
    init(unchecked features: [Float], labels: [Int32], featureCount: Int, classCount: Int) {
        assert(features.count == labels.count * featureCount)
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
        self.classCount = classCount
    }

    /// The samples at `indices`, in that order (indices may repeat). Traps on an index out of range.
    public func subset<C: Collection>(_ indices: C) -> Dataset where C.Element == Int {
        var f = [Float]()
        f.reserveCapacity(indices.count * featureCount)
        var l = [Int32]()
        l.reserveCapacity(indices.count)
        for i in indices {
            precondition(i >= 0 && i < count, "sample index \(i) out of range 0..<\(count)")
            f.append(contentsOf: features[(i * featureCount)..<((i + 1) * featureCount)])
            l.append(labels[i])
        }
        return Dataset(unchecked: f, labels: l, featureCount: featureCount, classCount: classCount)
    }

    /// The samples of `parts`, in order.
    /// - Throws: ``DatasetError/invalidShape(reason:)`` if `parts` is empty or the parts differ in feature or
    ///   class count.
    public static func concatenating(_ parts: [Dataset]) throws(DatasetError) -> Dataset {
        guard let first = parts.first else { throw .invalidShape(reason: "nothing to concatenate") }
        var features = [Float]()
        var labels = [Int32]()
        features.reserveCapacity(parts.reduce(0) { $0 + $1.features.count })
        labels.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for (i, part) in parts.enumerated() {
            guard part.featureCount == first.featureCount, part.classCount == first.classCount else {
                throw .invalidShape(
                    reason: "part \(i) has \(part.featureCount) features and \(part.classCount) classes, part 0 has "
                        + "\(first.featureCount) and \(first.classCount)")
            }
            features.append(contentsOf: part.features)
            labels.append(contentsOf: part.labels)
        }
        return Dataset(
            unchecked: features, labels: labels, featureCount: first.featureCount, classCount: first.classCount)
    }

    /// The first `n` samples (or all, if fewer).
    public func prefix(_ n: Int) -> Dataset {
        subset(0..<Swift.min(Swift.max(n, 0), count))
    }

    /// The feature row of sample `i`.
    public func features(ofSample i: Int) -> ArraySlice<Float> {
        features[(i * featureCount)..<((i + 1) * featureCount)]
    }

    /// Number of samples of each class, indexed by label.
    public func labelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for l in labels { counts[Int(l)] += 1 }
        return counts
    }
}

/// Errors from building or loading a ``Dataset``. `description` names the file and the problem, e.g.
/// `data/train-images.idx3-ubyte: truncated: 60000×28×28 pixel bytes needs 47040000 bytes at offset 16, only
/// 1008 remain`.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file starts with the gzip magic but does not inflate.
    case corruptCompression(file: String, reason: String)
    /// The leading magic number is not the one the format requires.
    case badMagic(file: String, expected: UInt32, found: UInt32)
    /// A declared dimension is zero, too large, or otherwise unusable.
    case badDimensions(file: String, reason: String)
    /// The file is shorter than its header (or record size) requires.
    case truncated(file: String, reason: String)
    /// The file is longer than its header declares.
    case trailingBytes(file: String, reason: String)
    /// Image and label files disagree on the number of samples.
    case countMismatch(file: String, reason: String)
    /// A label is negative or ≥ the class count.
    case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
    /// In-memory data has inconsistent shape or non-finite values.
    case invalidShape(reason: String)
    /// A generator parameter is out of range.
    case invalidParameter(reason: String)

    /// The file the error is about (the path as given to the loader), if any.
    public var file: String? {
        switch self {
        case .fileNotFound(let f), .unreadable(let f, _), .corruptCompression(let f, _),
            .badMagic(let f, _, _), .badDimensions(let f, _), .truncated(let f, _), .trailingBytes(let f, _),
            .countMismatch(let f, _), .labelOutOfRange(let f, _, _, _):
            return f
        case .invalidShape, .invalidParameter:
            return nil
        }
    }

    /// A one-line, human-readable message.
    public var description: String {
        switch self {
        case .fileNotFound(let f):
            return "\(f): file not found"
        case .unreadable(let f, let r):
            return "\(f): unreadable: \(r)"
        case .corruptCompression(let f, let r):
            return "\(f): corrupt gzip data: \(r)"
        case .badMagic(let f, let e, let g):
            var hint = ""
            if g == 0x0000_0801 { hint = " (an IDX label file?)" }
            if g == 0x0000_0803 { hint = " (an IDX image file?)" }
            return "\(f): wrong magic number: expected \(hex(e)), found \(hex(g))\(hint)"
        case .badDimensions(let f, let r):
            return "\(f): bad dimensions: \(r)"
        case .truncated(let f, let r):
            return "\(f): truncated: \(r)"
        case .trailingBytes(let f, let r):
            return "\(f): length mismatch: \(r)"
        case .countMismatch(let f, let r):
            return "\(f): count mismatch: \(r)"
        case .labelOutOfRange(let f, let i, let l, let c):
            return "\(f): label out of range: sample \(i) has label \(l), class count is \(c)"
        case .invalidShape(let r):
            return "invalid data set: \(r)"
        case .invalidParameter(let r):
            return "invalid data set parameter: \(r)"
        }
    }
}

private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// A training set and a test set with the same feature and class counts.
public struct TrainTestSplit: Sendable, Equatable {
    /// The samples clients train on (partitioned among them).
    public let train: Dataset
    /// The held-out samples the server evaluates on.
    public let test: Dataset

    /// Pairs `train` and `test`.
    /// - Throws: ``DatasetError/invalidShape(reason:)`` if their feature or class counts differ.
    public init(train: Dataset, test: Dataset) throws(DatasetError) {
        guard train.featureCount == test.featureCount else {
            throw .invalidShape(
                reason: "training samples have \(train.featureCount) features, test samples \(test.featureCount)")
        }
        guard train.classCount == test.classCount else {
            throw .invalidShape(
                reason: "training set has \(train.classCount) classes, test set \(test.classCount)")
        }
        self.train = train
        self.test = test
    }
}
