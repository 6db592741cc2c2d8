import Admission
import FederatedLearning
import CryptoPrimitives
import Foundation

/// One full protocol round of a protected kind on random updates (`secagg bench aggregation`).
public enum AggregationBenchmark {
    public struct Result: Sendable, Equatable {
        /// Mean seconds of one client's work (quantize/encrypt and every protocol step it takes part in).
        public var clientSeconds: Double
        /// Seconds of the server's work (and of decryption).
        public var serverSeconds: Double
        public var uploadBytesPerClient: Double
        public var downloadBytesPerClient: Double
        /// max |protected − plaintext mean| over the coordinates.
        public var maxAbsError: Double
        /// The protocol's bound on it.
        public var errorBound: Double
        public var includedClients: Int
    }

    /// The cost of one admission signature and of one verification (the fastest of `runs` each, one core),
    /// to compare the added cost of authenticated masking with the signature arithmetic it does.
    public static func signatureCosts(runs: Int = 50) throws -> (sign: Double, verify: Double) {
        var rng = try HmacDrbg(entropy: Sha256.hash(Array("secagg bench signature costs".utf8)))
        let key = try ClientSecretKey.generate(using: &rng)
        let verifier = try SignatureVerificationKey(key.publicKey)
        let message = [UInt8](repeating: 0x5A, count: 200)
        let clock = ContinuousClock()
        var sign = Double.infinity, verify = Double.infinity
        var signature: [UInt8] = []
        for _ in 0..<max(runs, 1) {
            sign = min(sign, try clock.measure { signature = try key.sign(message, using: &rng) }.seconds)
            var ok = false
            verify = min(verify, try clock.measure { ok = try verifier.verify(signature, on: message) }.seconds)
            guard ok else { throw ConfigError("", "benchmark signature does not verify") }
        }
        return (sign, verify)
    }

    /// Runs one round: `clients` updates of `parameters` values uniform in [−1, 1) with weight 1 (a seeded
    /// generator), ⌊dropoutRate · clients⌋ of them dropping at `step` (default: the kind's first step).
    /// - Throws: ``ConfigError`` for parameters the kind rejects; protocol errors (e.g. too many dropouts).
    public static func run(
        protection: ExperimentConfig.Protection, clients: Int, parameters: Int, dropoutRate: Double = 0,
        step: String? = nil, seed: UInt64 = 1
    ) throws -> Result {
        guard clients >= 1, parameters >= 1 else { throw ConfigError("", "clients and parameters must be ≥ 1") }
        guard dropoutRate >= 0, dropoutRate < 1 else { throw ConfigError("dropout", "rate must be in [0, 1)") }
        let step = step ?? protection.dropoutSteps[0]
        guard protection.dropoutSteps.contains(step) else {
            throw ConfigError("dropout.step", "unknown step \"\(step)\" for \(protection.kind)")
        }
        var random = Xoshiro256StarStar(seed: seed)
        let updates = (0..<clients).map { id in
            ClientUpdate(clientID: id, delta: (0..<parameters).map { _ in Float(random.nextUnitDouble() * 2 - 1) }, sampleCount: 1)
        }
        let dropped = ExperimentRunner.droppedClients(seed: seed, round: 0, selected: Array(0..<clients), rate: dropoutRate)
        var config = try ExperimentConfig.parse(Data(#"{"dataset": {"kind": "synthetic"}}"#.utf8), baseDirectory: "/")
        config.seed = seed
        config.protection = protection
        var protector = try ExperimentRunner(config: config).makeProtection(maxWeight: 1)
        if protection.isAuthenticated {
            // Every client admitted, with keys from a seeded generator (the admission phase itself is not timed).
            var keyRNG = try HmacDrbg(entropy: Sha256.hash(Array("secagg bench identities \(seed)".utf8)))
            let keys = try (0..<clients).map { _ in try ClientSecretKey.generate(using: &keyRNG) }
            protector.useIdentities(try AdmittedIdentities(clientKeys: keys, admitted: Set(0..<clients)))
        }
        let outcome = try protector.aggregate(round: 0, updates: updates, dropped: dropped, step: step)
        let included = Set(outcome.aggregate.clients)
        let plain = try PlainAggregator().aggregate(updates.filter { included.contains($0.clientID) })
        let error = zip(plain.mean, outcome.aggregate.mean).reduce(0.0) { max($0, Double(abs($1.0 - $1.1))) }
        return Result(
            clientSeconds: outcome.protectSeconds / Double(clients), serverSeconds: outcome.aggregateSeconds,
            uploadBytesPerClient: Double(outcome.uploadBytes) / Double(clients),
            downloadBytesPerClient: Double(outcome.downloadBytes) / Double(clients), maxAbsError: error,
            errorBound: outcome.errorBound ?? 0, includedClients: included.count)
    }
}
