import Foundation
import Harness
import Testing

func parse(_ json: String) throws -> ExperimentConfig {
    try ExperimentConfig.parse(Data(json.utf8), baseDirectory: "/base")
}

/// The config error for `json`, or nil when it parses.
func configError(_ json: String) -> ConfigError? {
    do {
        _ = try parse(json)
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        return ConfigError("?", "\(error)")
    }
}

@Suite struct ConfigTests {
    @Test func minimalConfigGetsDefaults() throws {
        let config = try parse(#"{"dataset": {"kind": "synthetic"}}"#)
        #expect(config.seed == 0)
        #expect(config.clients == 10 && config.clientsPerRound == 10 && config.rounds == 20)
        #expect(config.protection == .none)
        #expect(config.model == .softmax)
    }

    @Test func fullConfigAndRelativePaths() throws {
        let config = try parse("""
            {"seed": 7, "dataset": {"kind": "mnist-idx", "train_images": "d/a.gz", "train_labels": "d/b.gz",
             "test_images": "/abs/c", "test_labels": "d/e"},
             "partition": {"kind": "dirichlet", "alpha": 0.5}, "model": {"kind": "mlp", "hidden": [64, 32]},
             "clients": 20, "clients_per_round": 5, "rounds": 3, "local_epochs": 2, "batch_size": 16,
             "learning_rate": 0.05, "protection": {"kind": "none"}, "dropout": {"rate": 0.2, "step": "upload"}}
            """)
        #expect(config.dataset == .mnistIDX(trainImages: "/base/d/a.gz", trainLabels: "/base/d/b.gz", testImages: "/abs/c", testLabels: "/base/d/e", classes: nil))
        #expect(config.model == .mlp(hidden: [64, 32]))
        #expect(config.dropoutRate == 0.2)
        let resolved = try JSONSerialization.jsonObject(with: Data(config.resolvedJSON().utf8)) as? [String: Any]
        #expect(resolved?["clients_per_round"] as? Int == 5)
    }

    @Test(arguments: [
        (#"{"dataset": {"kind": "synthetic"}, "epochs": 3}"#, "epochs"),
        (#"{"dataset": {"kind": "synthetic", "colour": 1}}"#, "dataset.colour"),
        (#"{"dataset": {"kind": "synthetic"}, "rounds": -1}"#, "rounds"),
        (#"{"dataset": {"kind": "synthetic"}, "rounds": 2.5}"#, "rounds"),
        (#"{"dataset": {"kind": "synthetic"}, "rounds": "3"}"#, "rounds"),
        (#"{"dataset": {"kind": "synthetic"}, "clients": 5, "clients_per_round": 6}"#, "clients_per_round"),
        (#"{"dataset": {"kind": "synthetic"}, "dropout": {"rate": 1.0}}"#, "dropout.rate"),
        (#"{"dataset": {"kind": "synthetic"}, "dropout": {"rate": -0.1}}"#, "dropout.rate"),
        (#"{"dataset": {"kind": "synthetic"}, "dropout": {"rate": 0.1, "step": "never"}}"#, "dropout.step"),
        (#"{"dataset": {"kind": "synthetic"}, "partition": {"kind": "dirichlet", "alpha": 0}}"#, "partition.alpha"),
        (#"{"dataset": {"kind": "synthetic"}, "model": {"kind": "mlp", "hidden": [1, 2, 3]}}"#, "model.hidden"),
        (#"{"dataset": {"kind": "synthetic"}, "protection": {"kind": "magic"}}"#, "protection.kind"),
        (#"{"dataset": {"kind": "imagenet"}}"#, "dataset.kind"),
        (#"{"dataset": {"kind": "mnist-idx", "train_images": "a"}}"#, "dataset.train_labels"),
        (#"{"dataset": {"kind": "synthetic"}, "learning_rate": 0}"#, "learning_rate"),
        (#"{"dataset": {"kind": "synthetic"}, "batch_size": true}"#, "batch_size"),
        (#"{}"#, "dataset"),
        (#"[1, 2]"#, ""),
    ])
    func badConfigsNameTheKey(_ json: String, _ path: String) {
        let error = configError(json)
        #expect(error != nil, "\(json) was accepted")
        #expect(error?.path == path, "\(String(describing: error))")
    }

    @Test func notJSON() {
        #expect(configError("{\"dataset\": ")?.message == "not valid JSON")
    }
}
