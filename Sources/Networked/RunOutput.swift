import FederatedLearning
public import Foundation
public import Harness

/// Writes a networked run's results as the coordinator reports them (`Specs/networked.md`, "Output"):
/// `results.json` and `rounds.csv` in the in-process harness's format after every round, and
/// `aggregates.jsonl`, one line per round with the aggregate the server learned (the weighted mean update,
/// the contributing client ids and their total weight) — what the protocol reveals to the server anyway, so a
/// test can compare it with the clients' own records.
public final class RunOutputWriter: Sendable {
    public let directory: URL
    let configJSON: String

    let previous: [RoundRecord]
    let traffic: HTTPTraffic?

    /// - Parameters:
    ///   - previousRounds: rounds finished before a restart (their aggregates stay in the file).
    ///   - traffic: the coordinator's HTTP traffic (``Coordinator/traffic``), written to `traffic.json` after
    ///     every round.
    public init(directory: String, configJSON: String, previousRounds: [RoundRecord] = [], traffic: HTTPTraffic? = nil) throws {
        self.directory = URL(fileURLWithPath: directory)
        self.configJSON = configJSON
        previous = previousRounds
        self.traffic = traffic
        let aggregates = self.directory.appendingPathComponent("aggregates.jsonl")
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            if previousRounds.isEmpty || !FileManager.default.fileExists(atPath: aggregates.path) {
                try Data().write(to: aggregates)
            }
        } catch {
            throw NetworkError.file(path: directory, reason: "cannot create the output directory")
        }
    }

    /// The listener to pass to ``Coordinator/observe(_:)``; `rounds` accumulates the finished rounds.
    public func listener() -> @Sendable (CoordinatorEvent) -> Void {
        let rounds = RoundList()
        for r in previous { rounds.append(r) }
        return { [self] event in
            switch event {
            case .round(let record, _, let aggregate):
                rounds.append(record)
                appendAggregate(round: record.round, aggregate)
                write(RunResult(configJSON: configJSON, rounds: rounds.all, totalSeconds: 0, admission: nil))
            case .finished(let result):
                write(result)
            case .admission, .failed:
                break
            }
        }
    }

    func write(_ result: RunResult) {
        if let traffic { try? traffic.json().write(to: directory.appendingPathComponent("traffic.json"), options: .atomic) }
        try? Data(result.json().utf8).write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        try? Data(result.csv().utf8).write(to: directory.appendingPathComponent("rounds.csv"), options: .atomic)
    }

    struct AggregateLine: Codable {
        var round: Int
        var clients: [Int]
        var totalWeight: Int
        var mean: [Float]
    }

    func appendAggregate(round: Int, _ aggregate: AggregateUpdate) {
        let line = AggregateLine(round: round, clients: aggregate.clients.map { $0 + 1 }, totalWeight: aggregate.totalWeight, mean: aggregate.mean)
        guard var data = try? NetworkAPI.canonicalJSON(line) else { return }
        data.append(0x0A)
        let url = directory.appendingPathComponent("aggregates.jsonl")
        guard let handle = try? FileHandle(forWritingTo: url) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data)
    }

    /// Reads `aggregates.jsonl`.
    public static func readAggregates(in directory: String) throws -> [(round: Int, clients: [Int], totalWeight: Int, mean: [Float])] {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("aggregates.jsonl")
        guard let data = FileManager.default.contents(atPath: path.path) else {
            throw NetworkError.file(path: path.path, reason: "cannot read the file")
        }
        return try data.split(separator: 0x0A).map { line in
            let a = try JSONDecoder().decode(AggregateLine.self, from: Data(line))
            return (a.round, a.clients, a.totalWeight, a.mean)
        }
    }
}

/// A lock-protected list of rounds (the listener is called from the coordinator actor only, but must be
/// `Sendable`).
final class RoundList: @unchecked Sendable {
    private let lock = NSLock()
    private var rounds: [RoundRecord] = []

    func append(_ r: RoundRecord) {
        lock.lock()
        rounds.append(r)
        lock.unlock()
    }

    var all: [RoundRecord] {
        lock.lock()
        defer { lock.unlock() }
        return rounds
    }
}
