import FederatedLearning
import Foundation

/// The end-to-end correctness check of a networked run: for every round, the aggregate the coordinator
/// learned equals the plaintext weighted mean of the contributing clients' own recorded updates, within the
/// round's error bound (quantization; 0 slack with no protection beyond float rounding).
public enum AggregateCheck {
    public struct RoundCheck: Sendable, Equatable {
        public var round: Int
        public var contributors: [Int]
        public var maxAbsError: Double
        public var bound: Double
        public var passed: Bool { maxAbsError <= bound }
    }

    struct Recorded: Decodable {
        let client: Int
        let round: Int
        let weight: Int
        let delta: [Float]
    }

    /// Compares `output/aggregates.jsonl` with `records/client-I-round-R.json`; `bounds[r]` is round r's error
    /// bound (nil: the protocol is exact up to float rounding, 1e-5 is allowed).
    public static func run(output: String, records: String, bounds: [Int: Double]) throws -> [RoundCheck] {
        var checks: [RoundCheck] = []
        for aggregate in try RunOutputWriter.readAggregates(in: output) {
            var updates: [ClientUpdate] = []
            for client in aggregate.clients {
                let path = URL(fileURLWithPath: records).appendingPathComponent("client-\(client)-round-\(aggregate.round).json")
                guard let data = FileManager.default.contents(atPath: path.path) else {
                    throw NetworkError.file(path: path.path, reason: "no record of a contributing client's update")
                }
                let r = try JSONDecoder().decode(Recorded.self, from: data)
                updates.append(ClientUpdate(clientID: client - 1, delta: r.delta, sampleCount: r.weight))
            }
            let plain = try PlainAggregator().aggregate(updates)
            guard plain.mean.count == aggregate.mean.count else {
                throw NetworkError.malformed(what: "aggregate of round \(aggregate.round)", reason: "length differs from the updates'")
            }
            guard plain.totalWeight == aggregate.totalWeight else {
                throw NetworkError.malformed(
                    what: "aggregate of round \(aggregate.round)",
                    reason: "total weight \(aggregate.totalWeight), the records sum to \(plain.totalWeight)")
            }
            let error = zip(plain.mean, aggregate.mean).reduce(0.0) { max($0, Double(abs($1.0 - $1.1))) }
            checks.append(
                RoundCheck(
                    round: aggregate.round, contributors: aggregate.clients, maxAbsError: error,
                    bound: (bounds[aggregate.round] ?? 0) + 1e-5))
        }
        return checks
    }
}
