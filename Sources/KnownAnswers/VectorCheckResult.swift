/// The outcome of checking one vector file: how many vectors passed, which failed (one line each,
/// naming the vector and what differed) and how many were skipped as out of scope.
public struct VectorCheckResult: Sendable, Equatable {
    public var passed: Int
    public var failed: [String]
    public var skipped: Int

    public init(passed: Int = 0, failed: [String] = [], skipped: Int = 0) {
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
    }

    /// Records one vector: passed when `failure` is nil.
    public mutating func record(_ failure: String?) {
        if let failure { failed.append(failure) } else { passed += 1 }
    }
}
