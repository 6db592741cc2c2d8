import Admission
import Bignum
import CryptoPrimitives
import Dispatch
import Foundation

/// `secagg bench admission`: the cost of admitting clients with t-of-n authorities, per phase and in total.
public enum AdmissionBenchmark {
    public struct Result: Sendable, Equatable {
        /// Mean seconds per client of each phase, measured one client at a time on one core.
        public var prove: Double
        /// All n authorities verifying the proof and issuing a share (with its DLEQ proof).
        public var issue: Double
        public var combine: Double
        public var verify: Double
        /// prove + issue + combine + verify.
        public var perClient: Double
        /// The same client's modular exponentiations timed alone, one after another (the floor).
        public var exponentiationFloor: Double
        /// Wall-clock seconds to admit all clients, spread over every core.
        public var totalSeconds: Double
        public var cores: Int
        /// JSON bytes per client: its proof to each authority, the shares back and the token.
        public var bytesPerClient: Double
    }

    /// - Throws: ``ConfigError`` for invalid sizes; ``AdmissionError`` from the protocol.
    public static func run(clients: Int, authorities: Int, threshold: Int, seed: UInt64 = 1) throws -> Result {
        guard clients >= 1, authorities >= 1, (1...authorities).contains(threshold) else {
            throw ConfigError("", "need clients ≥ 1 and 1 ≤ threshold ≤ authorities")
        }
        var rng = try HmacDrbg(entropy: Sha256.hash(Array("secagg admission benchmark \(seed)".utf8)))
        let settings = AdmissionSettings(authorities: authorities, threshold: threshold, maliciousAuthorities: 0, impostors: 0, perRound: false)
        let phase = try AdmissionPhase(settings: settings, clients: clients, rng: &rng)
        let clock = ContinuousClock()
        // Per-phase costs, sequentially, over up to 20 clients.
        let sample = min(clients, 20)
        var times = [Duration](repeating: .zero, count: 4)
        var bytes = 0
        var tally: [ExponentiationTally.Entry] = []
        let encoder = JSONEncoder()
        for i in 0..<sample {
            let key = phase.clientKeys[i]
            if i == 0 { ExponentiationTally.start() }
            var start = clock.now
            let proof = try AdmissionProof.prove(key: key, parameters: phase.parameters, session: "bench", round: 1, using: &rng)
            times[0] += clock.now - start
            start = clock.now
            let shares = try phase.authorities.map { try $0.issue(for: proof, session: "bench", round: 1, using: &rng) }
            times[1] += clock.now - start
            start = clock.now
            let token = try AdmissionToken.combine(shares, client: key.publicKey, session: "bench", round: 1, parameters: phase.parameters).token
            times[2] += clock.now - start
            start = clock.now
            try AdmissionVerifier(parameters: phase.parameters).verify(token, session: "bench", round: 1, client: key.publicKey)
            times[3] += clock.now - start
            if i == 0 { tally = ExponentiationTally.stop() }
            bytes += try encoder.encode(proof).count * authorities + shares.reduce(0) { $0 + (try encoder.encode($1).count) }
                + encoder.encode(token).count
        }
        let perPhase = times.map { $0.seconds / Double(sample) }
        // The floor: the same exponentiations (same exponent sizes, same constant-time choice) alone.
        let group = phase.parameters.group
        let base = try Bignum.random(below: group.p, using: &rng)
        var floor = Duration.zero
        for entry in tally {
            let exponent = try Bignum.random(bits: max(entry.bits, 1), using: &rng) | (Bignum(1) << max(entry.bits - 1, 0))
            let start = clock.now
            _ = entry.secret ? try base.powmSecret(exponent, modulus: group.p) : try base.powm(exponent, modulus: group.p)
            floor += clock.now - start
        }
        // Everyone, on all cores.
        let start = clock.now
        let outcome = phase.admit(session: "bench-all", round: 1, seed: seed)
        let total = (clock.now - start).seconds
        guard outcome.admitted.count == clients else {
            throw ConfigError("", "only \(outcome.admitted.count) of \(clients) clients were admitted")
        }
        return Result(
            prove: perPhase[0], issue: perPhase[1], combine: perPhase[2], verify: perPhase[3],
            perClient: perPhase.reduce(0, +), exponentiationFloor: floor.seconds, totalSeconds: total,
            cores: ProcessInfo.processInfo.activeProcessorCount, bytesPerClient: Double(bytes) / Double(sample))
    }
}
