import Foundation
import Harness
import Testing

/// The authenticated masking kinds in the harness: identities from the admission phase, the consistency
/// round, its dropout step and its bytes.
@Suite struct AuthenticatedProtectionTests {
    static let admission = #""admission": {"authorities": 3, "threshold": 2, "impostors": 1}"#

    func config(_ protection: String, dropout: String = "", rounds: Int = 2, admission: String = admission) throws
        -> ExperimentConfig
    {
        try parse("""
            {"seed": 5, "dataset": {"kind": "synthetic", "classes": 3, "features": 6, "train": 300, "test": 150, "separation": 6},
             "clients": 8, "clients_per_round": 6, "rounds": \(rounds), "batch_size": 16, "learning_rate": 0.2,
             \(admission), "protection": \(protection)\(dropout)}
            """)
    }

    func run(_ protection: String, dropout: String = "", expectDropped: Int) throws -> RunResult {
        let result = try ExperimentRunner(config: config(protection, dropout: dropout)).run()
        for r in result.rounds {
            let error = try #require(r.maxAbsError), bound = try #require(r.errorBound)
            #expect(error <= bound + 1e-6, "\(protection) \(dropout): round \(r.round) error \(error) > bound \(bound)")
            #expect(r.dropped == expectDropped)
        }
        return result
    }

    /// Dropouts at every step of the authenticated masking run, the consistency check included.
    @Test(arguments: ["", "after-advertise-keys", "after-share-keys", "after-masked-input", "after-consistency-check"])
    func authenticatedMasking(_ step: String) throws {
        let dropout = step.isEmpty ? "" : #", "dropout": {"rate": 0.34, "step": "\#(step)"}"#
        _ = try run(#"{"kind": "masking", "threshold": 4, "authenticated": true}"#, dropout: dropout,
                    expectDropped: step.isEmpty ? 0 : 2)
    }

    @Test(arguments: ["", "after-share-keys", "after-consistency-check"])
    func authenticatedSecAggPlus(_ step: String) throws {
        let dropout = step.isEmpty ? "" : #", "dropout": {"rate": 0.2, "step": "\#(step)"}"#
        _ = try run(#"{"kind": "secagg+", "neighbours": 4, "threshold": 3, "authenticated": true}"#, dropout: dropout,
                    expectDropped: step.isEmpty ? 0 : 1)
    }

    /// One dropout more than the threshold allows ends the run with the protocol's error.
    @Test func tooManyDropoutsAtTheConsistencyCheckAbortTheRun() throws {
        let c = try config(#"{"kind": "masking", "threshold": 5, "authenticated": true}"#,
                           dropout: #", "dropout": {"rate": 0.34, "step": "after-consistency-check"}"#)
        #expect(throws: (any Error).self) { try ExperimentRunner(config: c).run() }
    }

    /// Same seed, same data: the authenticated run gives the same model as the unauthenticated one and adds
    /// exactly the signed messages' bytes (n = 6 clients, 64-byte signatures, no dropouts), per round:
    /// upload 6 · (4 + 64) for the signed keys + 6 · 93 for the consistency signatures; download
    /// 6 · 6 · (4 + 64) in the directories + 6 · (29 + 4 · 6) consistency requests + 6 · (4 + 6 · 72) in the
    /// unmasking requests.
    @Test func authenticationAddsExactlyTheSignedBytesAndChangesNoNumber() throws {
        let plain = try ExperimentRunner(config: config(#"{"kind": "masking", "threshold": 4}"#, rounds: 3)).run()
        let auth = try ExperimentRunner(config: config(#"{"kind": "masking", "threshold": 4, "authenticated": true}"#, rounds: 3)).run()
        for (p, a) in zip(plain.rounds, auth.rounds) {
            #expect(p.accuracy == a.accuracy && p.loss == a.loss && p.maxAbsError == a.maxAbsError)
            #expect(a.uploadBytes - p.uploadBytes == 6 * 68 + 6 * 93, "round \(a.round)")
            #expect(a.downloadBytes - p.downloadBytes == 6 * 6 * 68 + 6 * (29 + 24) + 6 * (4 + 6 * 72), "round \(a.round)")
        }
    }

    /// Identities come from the admission phase: authenticated kinds need it, and the new step and key are
    /// checked like every other (errors name the key path).
    @Test func configErrorsNameTheKey() {
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "masking", "authenticated": true}}"#)?.path
            == "protection.authenticated")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "secagg+", "authenticated": true}}"#)?.path
            == "protection.authenticated")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, \#(Self.admission), "protection": {"kind": "masking", "authenticated": 1}}"#)?.path
            == "protection.authenticated")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, \#(Self.admission), "protection": {"kind": "paillier", "authenticated": true}}"#)?.path
            == "protection.authenticated")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "masking"}, "dropout": {"rate": 0.1, "step": "after-consistency-check"}}"#)?.path
            == "dropout.step")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, \#(Self.admission), "protection": {"kind": "masking", "authenticated": true}, "dropout": {"rate": 0.1, "step": "after-consistency-check"}}"#) == nil)
    }

    @Test func resolvedConfigShowsTheVariant() throws {
        let c = try config(#"{"kind": "secagg+", "authenticated": true}"#)
        let resolved = try JSONSerialization.jsonObject(with: Data(c.resolvedJSON().utf8)) as? [String: Any]
        let protection = try #require(resolved?["protection"] as? [String: Any])
        #expect(protection["authenticated"] as? Bool == true)
        #expect(c.protection.dropoutSteps.last == "after-consistency-check")
    }
}
