import FederatedLearning
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Harness
import Testing

func smallConfig(_ extra: String = "") throws -> ExperimentConfig {
    try parse("""
        {"seed": 3, "dataset": {"kind": "synthetic", "classes": 4, "features": 8, "train": 400, "test": 200, "separation": 6},
         "clients": 5, "clients_per_round": 4, "rounds": 4, "batch_size": 16, "learning_rate": 0.2\(extra)}
        """)
}

@Suite struct RunnerTests {
    @Test func runProducesOneRecordPerRoundAndLearns() throws {
        let result = try ExperimentRunner(config: smallConfig()).run()
        #expect(result.rounds.count == 4)
        #expect(result.rounds.map(\.round) == [1, 2, 3, 4])
        let last = try #require(result.rounds.last)
        #expect(last.accuracy > 0.9)
        #expect(result.rounds.allSatisfy { $0.selected == 4 && $0.dropped == 0 && $0.maxAbsError == nil })
        // Bytes of the real messages: per client a global model down and an update up.
        let parameters = 8 * 4 + 4
        #expect(last.downloadBytes == 4 * (4 + 4 + 4 + 4 * parameters))
        #expect(last.uploadBytes == 4 * (4 + 4 + 4 + 8 + 4 + 4 * parameters))
    }

    @Test func sameSeedSameNumbers() throws {
        let a = try ExperimentRunner(config: smallConfig()).run()
        let b = try ExperimentRunner(config: smallConfig()).run()
        #expect(a.rounds.map(\.accuracy) == b.rounds.map(\.accuracy))
        #expect(a.rounds.map(\.loss) == b.rounds.map(\.loss))
        #expect(a.rounds.map(\.uploadBytes) == b.rounds.map(\.uploadBytes))
        let c = try ExperimentRunner(config: smallConfig().with(seed: 4)).run()
        #expect(c.rounds.map(\.loss) != a.rounds.map(\.loss))
    }

    @Test func dropoutsShrinkUploadsButNotTheRun() throws {
        let result = try ExperimentRunner(config: smallConfig(#", "dropout": {"rate": 0.5}"#)).run()
        #expect(result.rounds.allSatisfy { $0.dropped == 2 && $0.selected == 4 })
        let full = try ExperimentRunner(config: smallConfig()).run()
        #expect(result.rounds[0].uploadBytes * 2 == full.rounds[0].uploadBytes)
    }

    @Test func droppedClientsAreDeterministicAndNeverAll() {
        let selected = Array(0..<10)
        let a = ExperimentRunner.droppedClients(seed: 1, round: 3, selected: selected, rate: 0.99)
        #expect(a.count == 9)
        #expect(a == ExperimentRunner.droppedClients(seed: 1, round: 3, selected: selected, rate: 0.99))
        #expect(ExperimentRunner.droppedClients(seed: 1, round: 3, selected: selected, rate: 0.05).isEmpty)
    }

    @Test func resultsFilesHaveTheDocumentedShape() throws {
        let result = try ExperimentRunner(config: smallConfig()).run()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.json().utf8)) as? [String: Any])
        #expect(json["config"] is [String: Any])
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count == 4)
        for key in ["round", "accuracy", "loss", "max_abs_error", "seconds", "bytes", "clients"] {
            #expect(rounds[0][key] != nil, "missing \(key)")
        }
        let seconds = try #require(rounds[0]["seconds"] as? [String: Any])
        #expect(Set(seconds.keys) == ["admission", "train", "protect", "aggregate"])
        let final = try #require(json["final"] as? [String: Any])
        #expect(Set(final.keys) == ["accuracy", "loss", "total_seconds"])
        let csv = result.csv().split(separator: "\n")
        #expect(csv.count == 5)
        #expect(csv[0].hasPrefix("round,accuracy,loss,max_abs_error"))
        for (name, svg) in result.plots() {
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"), "\(name)")
            #expect(try XMLDocument(xmlString: svg).rootElement()?.name == "svg")
        }
    }

    @Test func missingDataFileIsATypedError() throws {
        let config = try parse(#"{"dataset": {"kind": "mnist-idx", "train_images": "nope-a", "train_labels": "nope-b", "test_images": "nope-c", "test_labels": "nope-d"}}"#)
        #expect(throws: DatasetError.self) { try ExperimentRunner(config: config).run() }
    }
}

extension ExperimentConfig {
    func with(seed: UInt64) -> ExperimentConfig {
        var copy = self
        copy.seed = seed
        return copy
    }
}
