import ArgumentParser
import Foundation
import Harness
import Networked

/// `secagg bench network`: the networked system against the in-process harness on the same config.
struct NetworkBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Per-round wall time and bytes: N client processes over HTTP against the in-process harness (same config).",
        discussion: """
            For each N in --clients: runs the built-in experiment (synthetic data, softmax model, every client \
            in every round, admission by t-of-A authorities) twice — in this process with the harness (secagg \
            run), and as the loopback system of secagg demo (coordinator, authorities and N client processes) — \
            and reports, per round, wall time (the phase seconds train + protect + aggregate, admission excluded: \
            both sides define them so that they add up to the round's wall time) and bytes: the protocol \
            messages (model download, protocol uploads and downloads) on both sides, and on the network side \
            every HTTP message through the coordinator (start lines, headers, bodies, and the long polls). \
            wall_ratio = network / in-process mean round seconds is the network overhead. Every networked \
            round's aggregate is checked against the plaintext mean of its contributors' recorded updates. \
            Use a release build.
            """)

    @Option(help: "Client counts, comma-separated.") var clients: String = "10,50"
    @Option(help: "Rounds per run.") var rounds: Int = 3
    @Option(help: "Protection: none, masking or secagg+.") var protection: String = "masking"
    @Option(help: "Features of the synthetic data (the model has 10·(features + 1) parameters).") var features: Int = 20
    @Option(help: "Authorities A (threshold ⌊A/2⌋ + 1).") var authorities: Int = 3
    @Flag(help: "Authenticated masking (signed keys, consistency check).") var authenticated = false
    @Option(help: "Working directory (default: a new temporary directory, removed afterwards).") var dir: String?
    @Flag(help: "Print JSON (one object per client count, one per line).") var json = false

    struct Side {
        /// Each round's wall time: its phase seconds without admission (both sides define them to add up so).
        var roundSeconds: [Double]
        var protocolBytes: [Int]
        var meanSeconds: Double { roundSeconds.reduce(0, +) / Double(max(roundSeconds.count, 1)) }
        var meanBytes: Double { Double(protocolBytes.reduce(0, +)) / Double(max(protocolBytes.count, 1)) }

        static func wallSeconds(_ s: RoundRecord.PhaseSeconds) -> Double { s.total - s.admission }
    }

    mutating func run() throws {
        let counts = try clients.split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), (2...100).contains(n) else {
                throw CommandError("--clients: \(part) is not a client count in 2...100")
            }
            return n
        }
        guard !counts.isEmpty else { throw CommandError("--clients: give at least one count") }
        guard (1...16).contains(authorities) else { throw CommandError("--authorities must be in 1...16") }
        let base = URL(fileURLWithPath: try dir ?? makeTemporaryDirectory())
        defer { if dir == nil { try? FileManager.default.removeItem(at: base) } }
        for n in counts {
            let work = base.appendingPathComponent("clients-\(n)")
            try createDirectory(work.path)
            let threshold = authorities / 2 + 1
            let configPath = work.appendingPathComponent("config.json").path
            try write(
                try LoopbackSystem.builtInConfig(
                    clients: n, rounds: rounds, protection: protection, authorities: authorities, threshold: threshold,
                    features: features, authenticated: authenticated),
                to: configPath)
            let config = try ExperimentConfig.load(path: configPath)
            let local = try inProcess(config)
            let (network, traffic, checked) = try networked(configPath: configPath, clients: n, threshold: threshold, work: work)
            report(n: n, parameters: 10 * (features + 1), local: local, network: network, traffic: traffic, checked: checked)
        }
    }

    /// The harness in this process.
    func inProcess(_ config: ExperimentConfig) throws -> Side {
        let result = try ExperimentRunner(config: config).run()
        let admissionBytes = result.admission?.bytes ?? 0
        return Side(
            roundSeconds: result.rounds.map { Side.wallSeconds($0.seconds) },
            protocolBytes: result.rounds.map { $0.uploadBytes + $0.downloadBytes - ($0.round == 1 ? admissionBytes : 0) })
    }

    /// The loopback system; every round's aggregate checked.
    func networked(configPath: String, clients n: Int, threshold: Int, work: URL) throws -> (Side, HTTPTraffic.Report, Int) {
        var options = LoopbackSystem.Options(clients: n, authorities: authorities, threshold: threshold)
        // Generous deadlines: a phase closes as soon as every client uploaded, so they cost nothing unless a
        // client is lost (which would make the comparison meaningless anyway: it is reported below).
        options.phaseTimeout = 60
        options.trainingTimeout = 120
        let system = try LoopbackSystem.start(configPath: configPath, options: options, work: work)
        defer { system.processes.terminateAll() }
        let rounds = try system.results(coordinatorStatus: system.waitForRun())
        let checks = try system.checkAggregates(rounds)
        guard checks.count == self.rounds, checks.allSatisfy({ $0.passed && $0.contributors.count == n }) else {
            throw CommandError("N = \(n): a round lost clients or failed its aggregate check; see \(system.logs.path)")
        }
        let side = Side(
            roundSeconds: rounds.map { Side.wallSeconds($0.phaseSeconds) },
            protocolBytes: rounds.map { $0.bytes.upload + $0.bytes.download })
        return (side, try system.traffic(), checks.count)
    }

    func report(n: Int, parameters: Int, local: Side, network: Side, traffic: HTTPTraffic.Report, checked: Int) {
        let httpBytes = traffic.rounds.map { Double($0.receivedBytes + $0.sentBytes) }
        let httpMean = httpBytes.reduce(0, +) / Double(max(httpBytes.count, 1))
        let requests = Double(traffic.rounds.map(\.requests).reduce(0, +)) / Double(max(traffic.rounds.count, 1))
        let ratio = network.meanSeconds / max(local.meanSeconds, 1e-9)
        func list(_ values: [Double]) -> String { "[" + values.map { String(format: "%.4f", $0) }.joined(separator: ",") + "]" }
        if json {
            writeLine(
                "{\"clients\":\(n),\"rounds\":\(rounds),\"protection\":\"\(protection)\",\"authenticated\":\(authenticated),\"parameters\":\(parameters),"
                    + "\"in_process_round_seconds\":\(list(local.roundSeconds)),\"network_round_seconds\":\(list(network.roundSeconds)),"
                    + String(format: "\"in_process_mean_round_seconds\":%.4f,\"network_mean_round_seconds\":%.4f,\"wall_ratio\":%.2f,", local.meanSeconds, network.meanSeconds, ratio)
                    + String(format: "\"in_process_protocol_bytes_per_round\":%.0f,\"network_protocol_bytes_per_round\":%.0f,", local.meanBytes, network.meanBytes)
                    + String(format: "\"http_bytes_per_round\":%.0f,\"http_requests_per_round\":%.1f,\"http_bytes_ratio\":%.2f,", httpMean, requests, httpMean / max(local.meanBytes, 1))
                    + "\"rounds_checked\":\(checked)}")
        } else {
            writeLine("N = \(n) clients, \(parameters) parameters, \(protection)\(authenticated ? " (authenticated)" : ""), \(rounds) rounds (aggregates checked: \(checked))")
            writeLine(String(format: "  round wall time: in-process %.3f s, network %.3f s  → ratio %.2f×", local.meanSeconds, network.meanSeconds, ratio))
            writeLine(String(
                format: "  bytes per round: protocol %.0f (in-process) / %.0f (network); HTTP %.0f in %.0f requests → %.2f× the protocol bytes",
                local.meanBytes, network.meanBytes, httpMean, requests, httpMean / max(local.meanBytes, 1)))
        }
    }
}
