/// One client's contribution to a FedAvg round: its model update and its weight.
public struct ClientUpdate: Sendable, Equatable {
    /// The client's index in the partition (`0 ..< clientCount`).
    public let clientID: Int
    /// The update vector, `local − global` parameters in model-delta mode (this is what gets protected).
    public let delta: [Float]
    /// The client's weight: the number of local training samples (≥ 1).
    public let sampleCount: Int

    /// Wraps an update; nothing is checked here (aggregators validate, see ``validate(_:)``).
    public init(clientID: Int, delta: [Float], sampleCount: Int) {
        self.clientID = clientID
        self.delta = delta
        self.sampleCount = sampleCount
    }

    /// The checks every aggregator makes on its input, in this order: at least one update; no client twice;
    /// every weight ≥ 1 and their sum representable; every vector non-empty, of the first one's length, and
    /// finite.
    /// - Returns: the common vector length and the total weight.
    /// - Throws: the matching ``AggregationError``.
    public static func validate(_ updates: [ClientUpdate]) throws(AggregationError) -> (length: Int, totalWeight: Int) {
        guard let first = updates.first else { throw .noUpdates }
        var seen = Set<Int>()
        var total = 0
        for u in updates {
            guard seen.insert(u.clientID).inserted else { throw .duplicateClient(clientID: u.clientID) }
            guard u.sampleCount >= 1 else { throw .invalidWeight(clientID: u.clientID, weight: u.sampleCount) }
            let (t, overflow) = total.addingReportingOverflow(u.sampleCount)
            guard !overflow else { throw .invalidWeight(clientID: u.clientID, weight: u.sampleCount) }
            total = t
        }
        let length = first.delta.count
        for u in updates {
            guard !u.delta.isEmpty else { throw .emptyUpdate(clientID: u.clientID) }
            guard u.delta.count == length else {
                throw .lengthMismatch(clientID: u.clientID, expected: length, found: u.delta.count)
            }
            if let bad = u.delta.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteValue(clientID: u.clientID, index: bad)
            }
        }
        return (length, total)
    }
}

/// The output of an ``Aggregator``: the weighted mean of the included clients' updates.
public struct AggregateUpdate: Sendable, Equatable {
    /// `Σ_k n_k·Δ_k / Σ_k n_k` over the included clients.
    public let mean: [Float]
    /// `Σ_k n_k` over the included clients.
    public let totalWeight: Int
    /// IDs of the clients whose updates are in the mean, ascending (fewer than submitted if some dropped out).
    public let clients: [Int]

    /// Wraps an aggregate (protected aggregators build theirs with this).
    public init(mean: [Float], totalWeight: Int, clients: [Int]) {
        self.mean = mean
        self.totalWeight = totalWeight
        self.clients = clients
    }
}

/// The seam between training and protection: turns per-client updates and weights into their weighted mean.
///
/// Contract (`Specs/training.md`): the result's `mean` has the updates' length and equals
/// `Σ_k n_k·Δ_k / Σ_k n_k` over `clients`, up to the aggregator's documented precision (exactly the
/// ``PlainAggregator`` result for a lossless one); inputs that fail ``ClientUpdate/validate(_:)`` throw.
/// Implementations may keep state across rounds (keys, randomness), hence `mutating`.
public protocol Aggregator: Sendable {
    /// What ``aggregate(_:)`` throws.
    associatedtype Failure: Error
    /// The weighted mean of `updates` (weights: their sample counts).
    mutating func aggregate(_ updates: [ClientUpdate]) throws(Failure) -> AggregateUpdate
}

/// Aggregation in the clear: the server sees every update. The reference the protected aggregators are
/// compared against. Accumulates `n_k·Δ_k` in `Double` in the order given, divides by `Σ n_k`, rounds to `Float`.
public struct PlainAggregator: Aggregator {
    /// A stateless plain aggregator.
    public init() {}

    /// The weighted mean of `updates`.
    /// - Throws: ``AggregationError`` as in ``ClientUpdate/validate(_:)``.
    public func aggregate(_ updates: [ClientUpdate]) throws(AggregationError) -> AggregateUpdate {
        let (length, total) = try ClientUpdate.validate(updates)
        var sum = [Double](repeating: 0, count: length)
        for u in updates {
            let w = Double(u.sampleCount)
            u.delta.withUnsafeBufferPointer { d in
                for i in 0..<length { sum[i] += w * Double(d[i]) }
            }
        }
        let inverse = 1 / Double(total)
        let mean = sum.map { Float($0 * inverse) }
        return AggregateUpdate(mean: mean, totalWeight: total, clients: updates.map(\.clientID).sorted())
    }
}

/// Errors from aggregating client updates.
public enum AggregationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No update to aggregate.
    case noUpdates
    /// The same client submitted twice.
    case duplicateClient(clientID: Int)
    /// A weight below 1, or weights whose sum overflows.
    case invalidWeight(clientID: Int, weight: Int)
    /// A zero-length update.
    case emptyUpdate(clientID: Int)
    /// An update whose length differs from the first update's.
    case lengthMismatch(clientID: Int, expected: Int, found: Int)
    /// An update value that is NaN or infinite.
    case nonFiniteValue(clientID: Int, index: Int)

    /// A one-line, human-readable message.
    public var description: String {
        switch self {
        case .noUpdates:
            return "no client updates to aggregate"
        case .duplicateClient(let c):
            return "client \(c) submitted more than one update"
        case .invalidWeight(let c, let w):
            return "client \(c) has invalid weight \(w) (need ≥ 1, and a total that fits in Int)"
        case .emptyUpdate(let c):
            return "client \(c) sent an empty update"
        case .lengthMismatch(let c, let e, let f):
            return "client \(c) sent \(f) values, expected \(e)"
        case .nonFiniteValue(let c, let i):
            return "client \(c) sent a non-finite value at index \(i)"
        }
    }
}
