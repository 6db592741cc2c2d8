import FederatedLearning
import Testing

@Suite struct DatasetShapeTests {
    @Test func mismatchedFeatureCountIsRejected() {
        #expect(throws: (any Error).self) { try Dataset(features: [1, 2, 3], labels: [0, 1], featureCount: 2) }
    }
}
