import ArgumentParser
import FederatedLearning
import Foundation
import Harness

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a FedAvg experiment from a JSON config (Specs/harness.md).",
        discussion: """
            Prints one line per round and writes DIR/results.json, DIR/rounds.csv and the plots \
            DIR/accuracy.svg, loss.svg, time.svg, bytes.svg. Data paths in the config are relative to the \
            config file.
            """)

    @Option(help: "Experiment config (JSON).") var config: String
    @Option(help: "Output directory (created if missing).") var out: String = "results"
    @Flag(help: "No per-round lines.") var quiet = false

    mutating func run() throws {
        let experiment = try ExperimentConfig.load(path: config)
        let runner = ExperimentRunner(config: experiment)
        let quiet = self.quiet
        let total = experiment.rounds
        let result = try runner.run { record in
            guard !quiet else { return }
            let line = String(
                format: "round %d/%d  accuracy %.4f  loss %.4f  %.2fs%@", record.round, total, record.accuracy,
                record.loss, record.seconds.total,
                record.maxAbsError.map { String(format: "  max|Δ| %.3g", $0) } ?? "")
            writeLine(line)
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CommandError("\(out): cannot create the output directory")
        }
        var files = ["results.json": result.json(), "rounds.csv": result.csv()]
        files.merge(result.plots()) { a, _ in a }
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try write(text, to: (out as NSString).appendingPathComponent(name))
        }
        if !quiet {
            let last = result.rounds.last
            writeLine(String(
                format: "final accuracy %.4f  loss %.4f  %.1fs  → %@", last?.accuracy ?? 0, last?.loss ?? 0,
                result.totalSeconds, (out as NSString).appendingPathComponent("results.json")))
        }
    }
}
