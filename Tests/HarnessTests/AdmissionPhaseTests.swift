import Foundation
import Harness
import Testing

@Suite struct AdmissionPhaseTests {
    func config(_ admission: String, rounds: Int = 2) throws -> ExperimentConfig {
        try parse("""
            {"seed": 9, "dataset": {"kind": "synthetic", "classes": 3, "features": 6, "train": 300, "test": 100, "separation": 6},
             "clients": 6, "clients_per_round": 6, "rounds": \(rounds), "admission": \(admission)}
            """)
    }

    @Test func honestClientsAdmittedImpostorsRejectedUnderFaultyAuthorities() throws {
        // 3-of-5 with n − t = 2 malicious authorities, 4 impostors (2 unregistered, 2 with stolen public keys).
        let result = try ExperimentRunner(config: config(#"{"authorities": 5, "threshold": 3, "malicious_authorities": 2, "impostors": 4}"#)).run()
        let admission = try #require(result.admission)
        #expect(admission.admitted == 6)
        #expect(admission.rejected == 4)
        #expect(admission.bytes > 0)
        #expect(result.rounds[0].seconds.admission > 0)
        #expect(result.rounds[1].seconds.admission == 0)  // once, before round 1
        #expect(result.rounds.allSatisfy { $0.selected == 6 })
        let json = try JSONSerialization.jsonObject(with: Data(result.json().utf8)) as? [String: Any]
        let summary = try #require(json?["admission"] as? [String: Any])
        #expect(summary["admitted"] as? Int == 6)
        #expect(summary["rejected"] as? Int == 4)
    }

    @Test func perRoundAdmission() throws {
        let result = try ExperimentRunner(config: config(#"{"authorities": 3, "threshold": 2, "impostors": 1, "per_round": true}"#)).run()
        #expect(result.rounds.allSatisfy { $0.seconds.admission > 0 })
        #expect(result.admission?.rejected == 2)
    }

    @Test func tooManyMaliciousAuthoritiesLeaveNoOneAdmittedAndTheRunStops() throws {
        let c = try config(#"{"authorities": 3, "threshold": 2, "malicious_authorities": 2}"#)
        #expect(throws: ConfigError.self) { try ExperimentRunner(config: c).run() }
    }

    @Test func badAdmissionConfigs() {
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "admission": {"authorities": 3, "threshold": 4}}"#)?.path == "admission.threshold")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "admission": {"colour": 1}}"#)?.path == "admission.colour")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "admission": {"per_round": 1}}"#)?.path == "admission.per_round")
        #expect(configError(#"{"dataset": {"kind": "synthetic"}, "admission": {"impostors": -1}}"#)?.path == "admission.impostors")
    }
}
