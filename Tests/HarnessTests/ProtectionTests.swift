import Foundation
import Harness
import Testing

/// Small runs of every protected kind, with dropouts at each step: the protected mean stays within the
/// protocol's stated bound of the plaintext mean of the same clients, and training ends where plain does.
@Suite struct ProtectionTests {
    func config(_ protection: String, dropout: String = "", rounds: Int = 3) throws -> ExperimentConfig {
        try parse("""
            {"seed": 5, "dataset": {"kind": "synthetic", "classes": 3, "features": 6, "train": 300, "test": 150, "separation": 6},
             "clients": 8, "clients_per_round": 6, "rounds": \(rounds), "batch_size": 16, "learning_rate": 0.2,
             "protection": \(protection)\(dropout)}
            """)
    }

    func check(_ protection: String, dropout: String = "", expectDropped: Int = 0) throws -> RunResult {
        let result = try ExperimentRunner(config: config(protection, dropout: dropout)).run()
        for r in result.rounds {
            let error = try #require(r.maxAbsError)
            let bound = try #require(r.errorBound)
            #expect(error <= bound + 1e-6, "\(protection) \(dropout): round \(r.round) error \(error) > bound \(bound)")
            #expect(r.dropped == expectDropped)
            #expect(r.uploadBytes > 0)
        }
        return result
    }

    @Test(arguments: ["", #", "dropout": {"rate": 0.34, "step": "after-advertise-keys"}"#,
                      #", "dropout": {"rate": 0.34, "step": "after-share-keys"}"#,
                      #", "dropout": {"rate": 0.34, "step": "after-masked-input"}"#])
    func masking(_ dropout: String) throws {
        _ = try check(#"{"kind": "masking", "threshold": 4, "value_bits": 16, "clip": 2}"#, dropout: dropout,
                      expectDropped: dropout.isEmpty ? 0 : 2)
    }

    @Test(arguments: ["", #", "dropout": {"rate": 0.2, "step": "after-share-keys"}"#])
    func secAggPlus(_ dropout: String) throws {
        _ = try check(#"{"kind": "secagg+", "neighbours": 4, "threshold": 3}"#, dropout: dropout,
                      expectDropped: dropout.isEmpty ? 0 : 1)
    }

    @Test func tooManyDropoutsAbortTheRunCleanly() throws {
        let c = try config(#"{"kind": "masking", "threshold": 5}"#, dropout: #", "dropout": {"rate": 0.34, "step": "after-share-keys"}"#)
        #expect(throws: (any Error).self) { try ExperimentRunner(config: c).run() }
    }

    @Test(arguments: ["", #", "dropout": {"rate": 0.5, "step": "upload"}"#])
    func paillier(_ dropout: String) throws {
        _ = try check(#"{"kind": "paillier", "key_bits": 1024, "fraction_bits": 16}"#, dropout: dropout,
                      expectDropped: dropout.isEmpty ? 0 : 3)
    }

    @Test func paillierThresholdWithADroppedDecryptor() throws {
        _ = try check(#"{"kind": "paillier-threshold", "key_bits": 1024, "decryptors": 3, "threshold": 2}"#,
                      dropout: #", "dropout": {"rate": 0.34, "step": "decryption"}"#, expectDropped: 2)
    }

    @Test(arguments: ["", #", "dropout": {"rate": 0.34, "step": "upload"}"#, #", "dropout": {"rate": 0.34, "step": "partial-upload"}"#])
    func multiServer(_ dropout: String) throws {
        _ = try check(#"{"kind": "multi-server", "servers": 3, "value_bits": 16}"#, dropout: dropout,
                      expectDropped: dropout.isEmpty ? 0 : 2)
    }

    @Test func protectedTrainingMatchesPlainAccuracy() throws {
        let plain = try ExperimentRunner(config: config(#"{"kind": "none"}"#, rounds: 5)).run()
        let masked = try ExperimentRunner(config: config(#"{"kind": "masking"}"#, rounds: 5)).run()
        let a = try #require(plain.rounds.last?.accuracy), b = try #require(masked.rounds.last?.accuracy)
        #expect(abs(a - b) <= 0.005 + 1e-9)
    }

    @Test func dropoutStepMustBelongToTheKind() {
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "paillier"}, "dropout": {"rate": 0.1, "step": "after-share-keys"}}"#)?.path == "dropout.step")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "masking", "colour": 1}}"#)?.path == "protection.colour")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "paillier", "key_bits": 1000}}"#)?.path == "protection.key_bits")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "multi-server", "servers": 1}}"#)?.path == "protection.servers")
    }
}
