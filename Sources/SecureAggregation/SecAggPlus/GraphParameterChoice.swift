import Foundation

/// What the server is assumed to do, for choosing SecAgg+ parameters.
public enum ThreatModel: String, Sendable, Codable {
    /// The server follows the protocol and tries to learn from what it sees, possibly with the corrupted clients.
    case semiHonest
    /// The server may also lie about which clients dropped out (to different clients differently); t is then
    /// raised so that it can never collect both shares of one client: 2t > k + 1 + (corrupted neighbours).
    case maliciousServer
}

/// A (k, t) choice for SecAgg+ and the bounds it was chosen against (log₂ of probabilities, all
/// upper bounds; see `Specs/secagg-plus.md`).
public struct SecAggPlusGraphChoice: Sendable, Equatable, Codable {
    /// k: neighbours per client.
    public let neighbours: Int
    /// t: threshold per neighbourhood.
    public let threshold: Int
    /// log₂ of the bound on the probability that the surviving honest clients' graph is disconnected.
    public let log2DisconnectionBound: Double
    /// log₂ of the bound on the probability that some client has ≥ t corrupted neighbours.
    public let log2ExposureBound: Double
    /// log₂ of the bound on the probability that some client has fewer than t surviving neighbours.
    public let log2FailureBound: Double
}

extension SecAggPlusParameters {
    /// The smallest even k (and its t) such that, for n clients of which at most ⌊γn⌋ are corrupted and at most
    /// ⌊δn⌋ drop out, placed on a Harary graph by a uniformly random permutation:
    ///
    /// 1. security: P[the surviving honest clients' subgraph is disconnected] < 2^−(σ+1) and
    ///    P[some client has ≥ t corrupted neighbours] ≤ 2^−(σ+1) (each by a union bound over the n clients);
    /// 2. correctness: P[some client has fewer than t surviving neighbours] ≤ 2^−η;
    /// 3. for ``ThreatModel/maliciousServer``: 2t > k + 1 + a, a the corrupted-neighbour bound of 1.
    ///
    /// This is the analysis of Bell et al. (CCS 2020, §4–5: k = O(log n + σ), t a constant fraction of k)
    /// with exact hypergeometric tails, as in Google's SecAgg+ implementation.
    /// - Parameters:
    ///   - corruptionRate: γ ∈ [0, 1), the fraction of clients colluding with the server.
    ///   - dropoutRate: δ ∈ [0, 1), the fraction of clients that may drop out; γ + δ < 1.
    ///   - securityBits: σ (default 40). - correctnessBits: η (default 20).
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` for rates out of range or when no even
    ///   k ≤ n − 1 satisfies the conditions (small n with large γ + δ).
    public static func recommended(
        clientCount n: Int, corruptionRate gamma: Double, dropoutRate delta: Double,
        threatModel: ThreatModel = .semiHonest, securityBits sigma: Double = 40, correctnessBits eta: Double = 20
    ) throws(SecAggError) -> SecAggPlusGraphChoice {
        guard n >= 3, n <= MaskedAggregationParameters.maximumClientCount else {
            throw .invalidParameter(name: "clients n", value: "\(n)", expected: "3...\(MaskedAggregationParameters.maximumClientCount)")
        }
        guard gamma >= 0, gamma < 1, delta >= 0, delta < 1, gamma + delta < 1 else {
            throw .invalidParameter(name: "corruption/dropout rates", value: "\(gamma), \(delta)",
                                    expected: "each in [0, 1) with a sum below 1")
        }
        guard sigma > 0, eta > 0 else {
            throw .invalidParameter(name: "security/correctness bits", value: "\(sigma), \(eta)", expected: "> 0")
        }
        let corrupted = Int((gamma * Double(n) + 1e-9).rounded(.down))
        let dropped = Int((delta * Double(n) + 1e-9).rounded(.down))
        let bad = corrupted + dropped
        let ln2 = M_LN2
        let securityTarget = -(sigma + 1) * ln2 - log(Double(n))   // per client
        let correctnessTarget = -eta * ln2 - log(Double(n))        // per client
        // Neighbours are drawn from the other n − 1 clients; worst case: all bad clients are among them.
        let others = n - 1
        for k in stride(from: 2, through: n - 1, by: 2) {
            // Disconnection needs k/2 consecutive bad clients in two separate places on the ring.
            var logDisconnect = -Double.infinity
            if k <= bad, n - k - 1 > 0 {
                logDisconnect = log(Double(n)) + log(Double(n - k - 1)) - log(2)
                    + lgamma(Double(bad + 1)) + lgamma(Double(n - k + 1)) - lgamma(Double(n + 1))
                    - lgamma(Double(bad - k + 1))
            }
            guard logDisconnect < -(sigma + 1) * ln2 else { continue }
            // Smallest t with P[≥ t corrupted neighbours] within the per-client security target.
            var tSecure = 2
            while tSecure <= k + 1,
                  logUpperTail(population: others, marked: min(corrupted, others), draws: k, atLeast: tSecure)
                      > securityTarget {
                tSecure += 1
            }
            var t = tSecure
            if threatModel == .maliciousServer { t = max(t, (k + 1 + (tSecure - 1)) / 2 + 1) }
            guard t <= k else { continue }
            // Correctness: a dropped client's key needs t surviving neighbours (it holds no share itself).
            let surviving = max(others - dropped, 0)
            let logFail = logLowerTail(population: others, marked: surviving, draws: k, atMost: t - 1)
            guard logFail <= correctnessTarget else { continue }
            let exposure = logUpperTail(population: others, marked: min(corrupted, others), draws: k, atLeast: tSecure)
            return SecAggPlusGraphChoice(
                neighbours: k, threshold: t, log2DisconnectionBound: logDisconnect / ln2,
                log2ExposureBound: (exposure + log(Double(n))) / ln2, log2FailureBound: (logFail + log(Double(n))) / ln2)
        }
        throw .invalidParameter(name: "SecAgg+ graph for n = \(n), γ = \(gamma), δ = \(delta)", value: "none",
                                expected: "a feasible (k, t); use more clients or lower rates")
    }
}

/// ln P[X = x] for X hypergeometric (population N, K marked, n drawn).
private func logHypergeometric(population N: Int, marked K: Int, draws n: Int, _ x: Int) -> Double {
    guard x >= 0, x <= n, x <= K, n - x <= N - K else { return -.infinity }
    func logChoose(_ a: Int, _ b: Int) -> Double {
        lgamma(Double(a + 1)) - lgamma(Double(b + 1)) - lgamma(Double(a - b + 1))
    }
    return logChoose(K, x) + logChoose(N - K, n - x) - logChoose(N, n)
}

/// ln of a sum of exp(terms), stable.
private func logSumExp(_ terms: [Double]) -> Double {
    guard let m = terms.max(), m > -.infinity else { return -.infinity }
    return m + log(terms.reduce(0) { $0 + exp($1 - m) })
}

/// ln P[X ≥ x].
private func logUpperTail(population N: Int, marked K: Int, draws n: Int, atLeast x: Int) -> Double {
    guard x <= n else { return -.infinity }
    return logSumExp((max(x, 0)...n).map { logHypergeometric(population: N, marked: K, draws: n, $0) })
}

/// ln P[X ≤ x].
private func logLowerTail(population N: Int, marked K: Int, draws n: Int, atMost x: Int) -> Double {
    guard x >= 0 else { return -.infinity }
    return logSumExp((0...min(x, n)).map { logHypergeometric(population: N, marked: K, draws: n, $0) })
}
