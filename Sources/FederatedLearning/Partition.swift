/// How training samples are divided among clients. The algorithms are specified step by step in
/// `Specs/training.md` so that another implementation produces the same split from the same seed.
public enum PartitionScheme: Sendable, Hashable {
    /// Independent, identically distributed: a random permutation cut into near-equal consecutive pieces.
    case iid
    /// Label skew: for each class, client proportions drawn from Dirichlet(α·1); small α → few classes per
    /// client. Redrawn (up to ``Partition/maximumDirichletAttempts`` times) until every client has a sample.
    case dirichlet(alpha: Double)
    /// McMahan et al. (2017) pathological non-IID: samples sorted by label, cut into
    /// `clientCount·perClient` equal shards, each client gets `perClient` random shards.
    case shards(perClient: Int)
}

/// An assignment of sample indices to clients: every index of the data set appears in exactly one client's
/// list, and every client has at least one sample.
public struct Partition: Sendable, Equatable {
    /// `clientIndices[c]`: the sample indices of client `c`, ascending.
    public let clientIndices: [[Int]]

    /// How many times the Dirichlet scheme redraws before giving up.
    public static let maximumDirichletAttempts = 1_000

    /// Number of clients.
    public var clientCount: Int { clientIndices.count }
    /// Samples per client.
    public var sizes: [Int] { clientIndices.map(\.count) }

    /// Splits the samples of `dataset` among `clientCount` clients, deterministically from `seed`.
    /// - Throws: ``PartitionError`` if `clientCount < 1` or exceeds the sample count, α is not positive and
    ///   finite, the shard parameters do not fit, or a Dirichlet split leaves a client empty in every attempt.
    public init(_ dataset: Dataset, clientCount: Int, scheme: PartitionScheme, seed: UInt64) throws(PartitionError) {
        try self.init(labels: dataset.labels, classCount: dataset.classCount, clientCount: clientCount,
                      scheme: scheme, seed: seed)
    }

    /// Splits sample indices `0 ..< labels.count` (labels in `0 ..< classCount`) among `clientCount` clients.
    /// - Throws: as ``init(_:clientCount:scheme:seed:)``.
    public init(labels: [Int32], classCount: Int, clientCount: Int, scheme: PartitionScheme, seed: UInt64)
        throws(PartitionError)
    {
        let n = labels.count
        guard clientCount >= 1 else { throw .invalidClientCount(clientCount: clientCount, sampleCount: n) }
        guard clientCount <= n else { throw .invalidClientCount(clientCount: clientCount, sampleCount: n) }
        var rng = Xoshiro256StarStar(seed: seed)
        var lists: [[Int]]
        switch scheme {
        case .iid:
            let perm = rng.permutation(of: n)
            lists = (0..<clientCount).map { c in Array(perm[(c * n / clientCount)..<((c + 1) * n / clientCount)]) }
        case .dirichlet(let alpha):
            guard alpha > 0, alpha.isFinite else { throw .invalidAlpha(alpha) }
            lists = try Partition.dirichlet(
                labels: labels, classCount: classCount, clientCount: clientCount, alpha: alpha, rng: &rng)
        case .shards(let perClient):
            let (shardCount, overflow) = clientCount.multipliedReportingOverflow(by: perClient)
            guard perClient >= 1, !overflow, shardCount <= n else {
                throw .invalidShards(perClient: perClient, clientCount: clientCount, sampleCount: n)
            }
            // Stable sort by label: ties keep ascending index order.
            let sorted = (0..<n).sorted { (labels[$0], $0) < (labels[$1], $1) }
            let shardOrder = rng.permutation(of: shardCount)
            lists = (0..<clientCount).map { c in
                var mine = [Int]()
                for t in 0..<perClient {
                    let s = shardOrder[c * perClient + t]
                    mine.append(contentsOf: sorted[(s * n / shardCount)..<((s + 1) * n / shardCount)])
                }
                return mine
            }
        }
        clientIndices = lists.map { $0.sorted() }
    }

    private static func dirichlet(
        labels: [Int32], classCount: Int, clientCount: Int, alpha: Double, rng: inout Xoshiro256StarStar
    ) throws(PartitionError) -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, l) in labels.enumerated() where l >= 0 && Int(l) < classCount { byClass[Int(l)].append(i) }
        for _ in 0..<maximumDirichletAttempts {
            var lists = [[Int]](repeating: [], count: clientCount)
            for k in 0..<classCount {
                var members = byClass[k]
                rng.shuffle(&members)
                let p = rng.nextDirichlet(alpha: alpha, count: clientCount)
                let nk = members.count
                var start = 0
                var cumulative = 0.0
                for j in 0..<clientCount {
                    let end: Int
                    if j == clientCount - 1 {
                        end = nk
                    } else {
                        cumulative += p[j]
                        end = Swift.min(nk, Swift.max(start, Int((cumulative * Double(nk)).rounded(.down))))
                    }
                    lists[j].append(contentsOf: members[start..<end])
                    start = end
                }
            }
            if lists.allSatisfy({ !$0.isEmpty }) { return lists }
        }
        throw .dirichletUnsatisfiable(alpha: alpha, clientCount: clientCount, attempts: maximumDirichletAttempts)
    }

    /// `counts[c][k]`: how many samples of class `k` client `c` holds.
    public func labelCounts(in dataset: Dataset) -> [[Int]] {
        clientIndices.map { indices in
            var counts = [Int](repeating: 0, count: dataset.classCount)
            for i in indices where i >= 0 && i < dataset.count { counts[Int(dataset.labels[i])] += 1 }
            return counts
        }
    }

    /// A table of label counts per client, for logs and reports.
    public func report(for dataset: Dataset) -> PartitionReport {
        PartitionReport(labelCounts: labelCounts(in: dataset))
    }
}

/// Label counts per client; `description` renders them as a text table (one row per client).
public struct PartitionReport: Sendable, Equatable, CustomStringConvertible {
    /// `labelCounts[c][k]`: samples of class `k` at client `c`.
    public let labelCounts: [[Int]]

    /// Samples per client.
    public var sizes: [Int] { labelCounts.map { $0.reduce(0, +) } }

    /// Number of classes present at each client.
    public var classesPerClient: [Int] { labelCounts.map { $0.filter { $0 > 0 }.count } }

    /// The label counts as a text table: a header row, then one row per client with its total.
    public var description: String {
        guard let classes = labelCounts.first?.count else { return "(no clients)" }
        var width = 5
        for row in labelCounts { for v in row { width = Swift.max(width, String(v).count + 1) } }
        func pad(_ s: String) -> String { String(repeating: " ", count: Swift.max(0, width - s.count)) + s }
        var lines = [pad("client") + (0..<classes).map { pad("c\($0)") }.joined() + pad("total")]
        for (c, row) in labelCounts.enumerated() {
            lines.append(pad(String(c)) + row.map { pad(String($0)) }.joined() + pad(String(row.reduce(0, +))))
        }
        return lines.joined(separator: "\n")
    }
}

/// Errors from ``Partition``.
public enum PartitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The client count is below 1 or above the number of samples.
    case invalidClientCount(clientCount: Int, sampleCount: Int)
    /// The Dirichlet concentration α is not positive and finite.
    case invalidAlpha(Double)
    /// Shards per client below 1, or clients × shards per client exceeds the number of samples.
    case invalidShards(perClient: Int, clientCount: Int, sampleCount: Int)
    /// Every Dirichlet draw left some client without samples.
    case dirichletUnsatisfiable(alpha: Double, clientCount: Int, attempts: Int)

    /// A one-line, human-readable message.
    public var description: String {
        switch self {
        case .invalidClientCount(let c, let n):
            return "invalid client count \(c): need 1 ≤ clients ≤ samples (\(n))"
        case .invalidAlpha(let a):
            return "invalid Dirichlet alpha \(a): must be positive and finite"
        case .invalidShards(let s, let c, let n):
            return "invalid shards: \(s) per client × \(c) clients must be ≥ 1 each and ≤ samples (\(n))"
        case .dirichletUnsatisfiable(let a, let c, let t):
            return "Dirichlet(\(a)) split left a client of \(c) empty in all \(t) attempts; use a larger alpha or "
                + "fewer clients"
        }
    }
}
