import Admission
import CryptoPrimitives
import Foundation
import Harness
import Networked

/// The networked system on loopback, as separate processes of this executable: the dealer's keys, A − D
/// authorities, the coordinator (`secagg serve`) and N clients plus K impostors (`secagg client`). Shared by
/// `secagg demo` and `secagg bench network` (`Specs/networked.md`, "Demo and checks").
struct LoopbackSystem {
    struct Options {
        var clients: Int
        var authorities: Int
        var threshold: Int
        var impostors = 0
        /// The last `authoritiesDown` authorities are never started (clients still try them).
        var authoritiesDown = 0
        /// This client kills itself after uploading phase 1 of round 1.
        var crashClient: Int?
        var port = 0
        var phaseTimeout: Double = 5
        var trainingTimeout: Double = 10
        var keepServing = false
    }

    let options: Options
    let work: URL
    let logs: URL
    let processes: ProcessGroup
    /// The coordinator's base URL.
    let server: String
    /// The coordinator's output directory (results.json, aggregates.jsonl, traffic.json).
    let out: String
    /// Where the clients record their own updates (for ``AggregateCheck``).
    let records: String

    /// Process (and log) name of client i: `client-i` for registered clients, `impostor-i` after them.
    static func processName(_ i: Int, clients: Int) -> String { i <= clients ? "client-\(i)" : "impostor-\(i)" }

    var clientNames: [String] {
        (1...(options.clients + options.impostors)).map { Self.processName($0, clients: options.clients) }
    }

    /// Deals keys and starts every process; returns once they all run. The caller owns `processes` (terminate
    /// them when done).
    static func start(configPath: String, options: Options, work: URL) throws -> LoopbackSystem {
        let logs = work.appendingPathComponent("logs")
        try createDirectory(logs.path)

        // Dealer, client keys, registry.
        var rng = SystemRandom()
        let dealing = try AdmissionDealing.deal(threshold: options.threshold, authorityCount: options.authorities, using: &rng)
        let keysDirectory = work.appendingPathComponent("keys")
        try createDirectory(keysDirectory.path)
        for key in dealing.authorityKeys {
            try write(
                AdmissionJSON.encode(AuthorityKeyFile(key: key.serialized(), parameters: dealing.parameters)),
                to: keysDirectory.appendingPathComponent("authority-\(key.index).json").path)
        }
        let publicPath = keysDirectory.appendingPathComponent("public.json").path
        try write(AdmissionJSON.encode(dealing.parameters), to: publicPath)
        var registry: [ClientPublicKey] = []
        for i in 1...(options.clients + options.impostors) {
            let key = try ClientSecretKey.generate(using: &rng)
            try write(AdmissionJSON.encode(key.serialized()), to: keysDirectory.appendingPathComponent("client-\(i).json").path)
            if i <= options.clients { registry.append(key.publicKey) }  // impostors are not registered
        }
        let registryPath = keysDirectory.appendingPathComponent("registry.json").path
        try write(AdmissionJSON.encode(registry), to: registryPath)

        let executable = try ownExecutable()
        let processes = ProcessGroup(logs: logs)
        do {
            let session = "loopback-\(UInt32.random(in: 0...UInt32.max))"

            // Authorities.
            var authorityURLs: [String] = []
            for j in 1...options.authorities {
                if j > options.authorities - options.authoritiesDown {
                    authorityURLs.append("http://127.0.0.1:\(try unusedPort())")
                    continue
                }
                let portFile = work.appendingPathComponent("authority-\(j).port").path
                try processes.start(
                    "authority-\(j)", executable,
                    [
                        "authority", "--id", "\(j)", "--keys", keysDirectory.path, "--registry", registryPath, "--session", session,
                        "--port", "0", "--port-file", portFile,
                    ])
                authorityURLs.append("http://127.0.0.1:\(try waitForPort(portFile, process: "authority-\(j)", processes))")
            }

            // Coordinator.
            let out = work.appendingPathComponent("results").path
            let coordinatorPortFile = work.appendingPathComponent("coordinator.port").path
            var serveArguments = [
                "serve", "--config", configPath, "--public", publicPath, "--registry", registryPath, "--session", session,
                "--run-id", session, "--out", out, "--db", work.appendingPathComponent("runs.sqlite").path, "--port", "\(options.port)",
                "--port-file", coordinatorPortFile, "--phase-timeout", "\(options.phaseTimeout)", "--training-timeout",
                "\(options.trainingTimeout)", "--admission-timeout", "60",
            ]
            if !options.keepServing { serveArguments.append("--exit-when-done") }
            try processes.start("coordinator", executable, serveArguments)
            let coordinatorPort = try waitForPort(coordinatorPortFile, process: "coordinator", processes)
            let server = "http://127.0.0.1:\(coordinatorPort)"

            // Clients and impostors.
            let records = work.appendingPathComponent("updates").path
            for i in 1...(options.clients + options.impostors) {
                var arguments = [
                    "client", "--server", server, "--authorities", authorityURLs.joined(separator: ","), "--id", "\(i)",
                    "--key", keysDirectory.appendingPathComponent("client-\(i).json").path, "--record", records, "--timeout", "10",
                    "--registry", registryPath,
                ]
                if i == options.crashClient { arguments += ["--crash-after", "1:1"] }
                try processes.start(processName(i, clients: options.clients), executable, arguments)
            }
            return LoopbackSystem(
                options: options, work: work, logs: logs, processes: processes, server: server, out: out, records: records)
        } catch {
            processes.terminateAll()
            throw error
        }
    }

    /// Waits for the coordinator to exit, then (at most 20 s each) for the clients. - Returns: the
    /// coordinator's exit status.
    func waitForRun() -> Int32 {
        let status = processes.wait(for: "coordinator")
        for name in clientNames { processes.wait(for: name, timeout: 20) }
        return status
    }

    /// A round of the coordinator's results.json (`Specs/harness.md`), the fields the loopback tools read.
    struct ReportedRound: Decodable {
        struct Seconds: Decodable {
            let admission: Double
            let train: Double
            let protect: Double
            let aggregate: Double
        }
        struct Bytes: Decodable {
            let upload: Int
            let download: Int
        }
        let round: Int
        let error_bound: Double?
        let seconds: Seconds
        let bytes: Bytes

        var phaseSeconds: RoundRecord.PhaseSeconds {
            RoundRecord.PhaseSeconds(admission: seconds.admission, train: seconds.train, protect: seconds.protect, aggregate: seconds.aggregate)
        }
    }

    /// The rounds of the coordinator's results.json, or an error naming its log.
    func results(coordinatorStatus: Int32) throws -> [ReportedRound] {
        struct Results: Decodable { let rounds: [ReportedRound] }
        let path = URL(fileURLWithPath: out).appendingPathComponent("results.json").path
        guard coordinatorStatus == 0, let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("the coordinator failed (exit \(coordinatorStatus)); see \(logs.path)/coordinator.log")
        }
        return try JSONDecoder().decode(Results.self, from: data).rounds
    }

    /// Checks every round's aggregate against the plaintext weighted mean of its contributors' recorded updates,
    /// within the round's error bound.
    func checkAggregates(_ rounds: [ReportedRound]) throws -> [AggregateCheck.RoundCheck] {
        let bounds = Dictionary(rounds.map { ($0.round, $0.error_bound ?? 0) }, uniquingKeysWith: { a, _ in a })
        return try AggregateCheck.run(output: out, records: records, bounds: bounds)
    }

    /// The coordinator's traffic.json.
    func traffic() throws -> HTTPTraffic.Report {
        let path = URL(fileURLWithPath: out).appendingPathComponent("traffic.json").path
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("\(path): missing") }
        return try HTTPTraffic.Report.read(data)
    }

    /// The built-in experiment: synthetic 10-class data, softmax model (10·(features + 1) parameters), IID
    /// split, every client in every round.
    static func builtInConfig(
        clients: Int, rounds: Int, protection: String, authorities: Int, threshold: Int, features: Int = 20, trainSamples: Int = 4000,
        authenticated: Bool = false
    ) throws -> String {
        let kinds = ["none", "masking", "secagg+"]
        guard kinds.contains(protection) else { throw CommandError("--protection must be one of \(kinds.joined(separator: ", "))") }
        guard (1...100).contains(rounds) else { throw CommandError("--rounds must be in 1...100") }
        guard (2...100_000).contains(features) else { throw CommandError("--features must be in 2...100000") }
        guard !authenticated || protection != "none" else { throw CommandError("--authenticated needs --protection masking or secagg+") }
        let protectionJSON = protection == "none"
            ? #"{"kind": "none"}"#
            : #"{"kind": "\#(protection)", "value_bits": 16, "clip": 4\#(authenticated ? ", \"authenticated\": true" : "")}"#
        return """
            {
              "seed": 7,
              "dataset": {"kind": "synthetic", "classes": 10, "features": \(features), "train": \(trainSamples), "test": 1000, "separation": 4.0, "noise": 1.0},
              "partition": {"kind": "iid"},
              "model": {"kind": "softmax"},
              "clients": \(clients),
              "clients_per_round": \(clients),
              "rounds": \(rounds),
              "local_epochs": 1,
              "batch_size": 32,
              "learning_rate": 0.1,
              "protection": \(protectionJSON),
              "admission": {"authorities": \(authorities), "threshold": \(threshold)}
            }
            """
    }
}
