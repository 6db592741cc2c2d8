import FederatedLearning
import Testing

@Suite struct DatasetShapeTests {
    @Test func mismatchedFeatureCountIsRejected() {
        let error = datasetError { () throws(DatasetError) in
            try Dataset(features: [1, 2, 3], labels: [Int32(0), 1], featureCount: 2)
        }
        #expect(error?.isInvalidShape == true)
    }

    @Test func zeroFeatureCountIsRejected() {
        let error = datasetError { () throws(DatasetError) in
            try Dataset(features: [], labels: [Int32](), featureCount: 0)
        }
        #expect(error?.isInvalidShape == true)
    }

    @Test func nonFiniteFeatureIsRejected() {
        let error = datasetError { () throws(DatasetError) in
            try Dataset(features: [1, .nan], labels: [Int32(0)], featureCount: 2)
        }
        #expect(error?.isInvalidShape == true)
    }

    @Test func labelAtClassCountIsOutOfRange() {
        let error = datasetError { () throws(DatasetError) in
            try Dataset(features: [1, 2], labels: [Int32(0), 3], featureCount: 1, classCount: 3)
        }
        #expect(error == .labelOutOfRange(file: "dataset", index: 1, label: 3, classCount: 3))
    }

    @Test func negativeIntLabelIsOutOfRange() {
        let error = datasetError { () throws(DatasetError) in
            try Dataset(features: [1, 2], labels: [0, -1], featureCount: 1, classCount: 2)
        }
        #expect(error?.file == "dataset")
    }

    @Test func classCountDefaultsToLargestLabelPlusOne() throws {
        let d = try Dataset(features: [1, 2, 3], labels: [Int32(0), 4, 2], featureCount: 1)
        #expect(d.classCount == 5)
        #expect(d.labelCounts() == [1, 0, 1, 0, 1])
    }

    @Test func subsetTakesRowsInOrder() throws {
        let d = try Dataset(features: [0, 1, 10, 11, 20, 21], labels: [Int32(0), 1, 2], featureCount: 2)
        let s = d.subset([2, 0])
        #expect(s.features == [20, 21, 0, 1])
        #expect(s.labels == [2, 0])
        #expect(s.classCount == 3)
    }

    @Test func concatenatingRejectsDifferentShapes() throws {
        let a = try Dataset(features: [1, 2], labels: [Int32(0)], featureCount: 2, classCount: 2)
        let b = try Dataset(features: [1], labels: [Int32(0)], featureCount: 1, classCount: 2)
        let error = datasetError { () throws(DatasetError) in try Dataset.concatenating([a, b]) }
        #expect(error?.isInvalidShape == true)
    }

    @Test func trainTestSplitRejectsDifferentFeatureCounts() throws {
        let a = try Dataset(features: [1, 2], labels: [Int32(0)], featureCount: 2, classCount: 2)
        let b = try Dataset(features: [1], labels: [Int32(0)], featureCount: 1, classCount: 2)
        let error = datasetError { () throws(DatasetError) in try TrainTestSplit(train: a, test: b) }
        #expect(error?.isInvalidShape == true)
    }
}

@Suite struct SyntheticDataTests {
    @Test func sameSeedGivesIdenticalData() throws {
        let a = try smallSynthetic(seed: 42)
        let b = try smallSynthetic(seed: 42)
        #expect(a == b)
    }

    @Test func differentSeedsGiveDifferentData() throws {
        let a = try smallSynthetic(seed: 1)
        let b = try smallSynthetic(seed: 2)
        #expect(a.train.features != b.train.features)
    }

    @Test func shapesAndBalancedLabels() throws {
        let s = try smallSynthetic(classes: 4, features: 10, train: 400, test: 200)
        #expect(s.train.count == 400)
        #expect(s.test.count == 200)
        #expect(s.train.features.count == 4_000)
        #expect(s.train.labelCounts() == [100, 100, 100, 100])
    }

    @Test func invalidParametersAreRejected() {
        let e1 = datasetError { () throws(DatasetError) in try SyntheticClassification(classCount: 1) }
        #expect(e1 != nil)
        let e2 = datasetError { () throws(DatasetError) in try SyntheticClassification(featureCount: 0) }
        #expect(e2 != nil)
        let e3 = datasetError { () throws(DatasetError) in try SyntheticClassification(trainCount: 0) }
        #expect(e3 != nil)
        let e4 = datasetError { () throws(DatasetError) in try SyntheticClassification(testCount: 0) }
        #expect(e4 != nil)
        let e5 = datasetError { () throws(DatasetError) in try SyntheticClassification(separation: 0) }
        #expect(e5 != nil)
        let e6 = datasetError { () throws(DatasetError) in try SyntheticClassification(separation: .infinity) }
        #expect(e6 != nil)
        let e7 = datasetError { () throws(DatasetError) in try SyntheticClassification(noise: -1) }
        #expect(e7 != nil)
        let huge = datasetError { () throws(DatasetError) in try SyntheticClassification(featureCount: 1 << 40) }
        #expect(huge?.isInvalidParameter == true)
    }
}

extension DatasetError {
    var isInvalidShape: Bool {
        if case .invalidShape = self { return true }
        return false
    }

    var isInvalidParameter: Bool {
        if case .invalidParameter = self { return true }
        return false
    }

    var isTruncated: Bool {
        if case .truncated = self { return true }
        return false
    }

    var isBadDimensions: Bool {
        if case .badDimensions = self { return true }
        return false
    }

    var isCountMismatch: Bool {
        if case .countMismatch = self { return true }
        return false
    }

    var isTrailingBytes: Bool {
        if case .trailingBytes = self { return true }
        return false
    }

    var isCorruptCompression: Bool {
        if case .corruptCompression = self { return true }
        return false
    }

    var isUnreadable: Bool {
        if case .unreadable = self { return true }
        return false
    }

    var isLabelOutOfRange: Bool {
        if case .labelOutOfRange = self { return true }
        return false
    }
}
