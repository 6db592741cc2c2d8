import KnownAnswers
import Testing

@Suite struct ResultTests {
    @Test func recordCountsPassesAndFailures() {
        var result = VectorCheckResult()
        result.record(nil)
        result.record("vector 2: mismatch")
        #expect(result.passed == 1)
        #expect(result.failed == ["vector 2: mismatch"])
    }
}
