import Admission
import ArgumentParser
import Foundation
import Harness
import Networked
import RunHistory

/// Runs async work from a synchronous command and returns its result (the main thread waits; the work runs
/// on the concurrency pool).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    guard let result = box.result else { throw CommandError("the task ended without a result") }
    return try result.get()
}

/// The result of a task, handed to a waiting thread (written once before the semaphore is signalled).
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Seconds as a Duration, rejecting nonsense.
func duration(_ seconds: Double, _ name: String) throws -> Duration {
    guard seconds.isFinite, seconds > 0, seconds < 86_400 else { throw CommandError("--\(name) must be in (0, 86400) seconds") }
    return .milliseconds(Int64(seconds * 1000))
}

func stderrLine(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Coordinator of a networked run: admission by token, FedAvg rounds, the dashboard at / (Specs/networked.md).",
        discussion: """
            Clients (secagg client) are admitted with a token from t authorities (secagg authority), then run \
            the configured protocol's client side over HTTP. Protections: none, masking, secagg+ (also \
            \"authenticated\": true, whose clients need --registry). Writes \
            results.json, rounds.csv, aggregates.jsonl and traffic.json (HTTP bytes per round) to --out after \
            every round.
            """)

    @Option(help: "Experiment config (JSON), as for secagg run.") var config: String
    @Option(help: "Port (0: any free port; see --port-file).") var port: Int = 8080
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(name: .customLong("public"), help: "Admission public parameters (DIR/public.json of secagg admission setup).")
    var publicFile: String
    @Option(help: "Registry: JSON array of the clients' public keys; client id i is entry i (1-based).") var registry: String
    @Option(help: "Run id (default: a random one); also the admission session unless --session is given.") var runID: String?
    @Option(help: "Admission session id.") var session: String?
    @Option(help: "Output directory.") var out: String = "results-networked"
    @Option(help: "Write the bound port to this file once listening.") var portFile: String?
    @Option(help: "Seconds to wait for all clients' admission.") var admissionTimeout: Double = 60
    @Option(help: "Seconds for the first phase of a round (model download, training, first upload).") var trainingTimeout: Double = 120
    @Option(help: "Seconds for each later protocol phase; later clients are dropouts.") var phaseTimeout: Double = 30
    @Option(help: "Requests per second allowed per client.") var rateLimit: Double = NetworkAPI.defaultRateLimit
    @Option(help: "Run history (SQLite); an unfinished run with the same config is resumed after its last finished round.")
    var db: String = RunStore.defaultPath
    @Flag(help: "Start a new run even if the history has an unfinished one with this config.") var fresh = false
    @Flag(help: "Exit once the run has ended (after a short grace period), instead of serving the dashboard on.") var exitWhenDone = false

    mutating func run() throws {
        let experiment = try ExperimentConfig.load(path: config)
        let parameters = try AdmissionJSON.read(AdmissionPublicParameters.self, from: publicFile, as: "public parameters")
        let registered = try AdmissionJSON.read([ClientPublicKey].self, from: registry, as: "a registry")
        let store = try RunStore(path: db)
        let configJSON = experiment.resolvedJSON()
        var id = runID ?? "run-\(String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 16))"
        var runSession = session ?? id
        var resume: (round: Int, parameters: [Float], records: [RoundRecord])?
        if !fresh, let existing = try store.unfinishedRun(configJSON: configJSON), runID == nil || runID == existing {
            guard let detail = try store.run(id: existing) else { throw CommandError("\(db): run \(existing) vanished") }
            id = existing
            runSession = detail.summary.session
            if let checkpoint = try store.rollBackToLatestCheckpoint(runID: existing), checkpoint.round > 0 {
                let kept = try store.run(id: existing)?.rounds ?? []
                resume = (checkpoint.round, checkpoint.parameters, kept)
            }
            stderrLine("resuming run \(existing) after round \(resume?.round ?? 0) (\(db))")
        } else {
            try store.createRun(
                id: id, configJSON: configJSON, protection: experiment.protection.kind, session: runSession,
                totalRounds: experiment.rounds)
        }
        let settings = CoordinatorSettings(
            runID: id, session: runSession, registry: registered, admission: parameters,
            admissionTimeout: try duration(admissionTimeout, "admission-timeout"),
            trainingTimeout: try duration(trainingTimeout, "training-timeout"), phaseTimeout: try duration(phaseTimeout, "phase-timeout"),
            rateLimit: rateLimit)
        let coordinator = try Coordinator(config: experiment, settings: settings, resume: resume)
        let output = try RunOutputWriter(
            directory: out, configJSON: configJSON, previousRounds: resume?.records ?? [], traffic: coordinator.traffic)
        let (host, port, portFile, exitWhenDone, runID) = (host, port, portFile, exitWhenDone, id)
        let failed: Bool = try blocking {
            await coordinator.observe(output.listener())
            await coordinator.observe(historyListener(store, runID: runID))
            await coordinator.observe { event in
                switch event {
                case .admission(let client, let round, let admitted, let reason):
                    stderrLine("admission round \(round): client \(client) \(admitted ? "admitted" : "rejected: \(reason ?? "")")")
                case .round(let r, _, _):
                    stderrLine(String(format: "round %d: accuracy %.4f  loss %.4f  dropped %d", r.round, r.accuracy, r.loss, r.dropped))
                case .finished(let result):
                    stderrLine(String(format: "finished: accuracy %.4f", result.rounds.last?.accuracy ?? 0))
                case .failed(let why):
                    stderrLine("failed: \(why)")
                }
            }
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await CoordinatorServer.serve(coordinator, host: host, port: port) { bound in
                        stderrLine("coordinator \(runID) listening on http://\(host):\(bound)/")
                        if let portFile { try? ListeningAnnouncement.write(port: bound, to: portFile) }
                    }
                    return false
                }
                group.addTask {
                    let result = await coordinator.run()
                    if exitWhenDone {
                        // Let clients see the final state before the server goes away.
                        try await Task.sleep(for: .seconds(2))
                        return result == nil
                    }
                    try await Task.sleep(for: .seconds(365 * 86_400))
                    return result == nil
                }
                let first = try await group.next() ?? true
                group.cancelAll()
                return first
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Records a run's events in the run history; a failed write is reported, not fatal (the run goes on).
func historyListener(_ store: RunStore, runID: String) -> @Sendable (CoordinatorEvent) -> Void {
    { event in
        do {
            switch event {
            case .admission(let client, let round, let admitted, let reason):
                try store.recordAdmission(runID: runID, round: round, clientID: String(client), admitted: admitted, reason: reason)
            case .round(let record, let parameters, _):
                try store.recordRound(runID: runID, record, checkpoint: parameters)
            case .finished(let result):
                if let admission = result.admission {
                    try store.recordMetric(runID: runID, round: 0, name: RunDetail.admissionBytesMetric, value: Double(admission.bytes))
                }
                try store.finishRun(runID: runID, totalSeconds: result.totalSeconds)
            case .failed(let why):
                try store.failRun(runID: runID, reason: why)
            }
        } catch {
            stderrLine("run history: \(error)")
        }
    }
}

struct AuthorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority",
        abstract: "One admission authority as a service: checks registration and proofs, issues token shares.")

    @Option(help: "Authority index J: serves DIR/authority-J.json from --keys.") var id: Int?
    @Option(help: "Directory of secagg admission setup (with --id).") var keys: String?
    @Option(help: "Authority key file (instead of --id/--keys).") var key: String?
    @Option(help: "Registry: JSON array of registered client public keys.") var registry: String
    @Option(help: "Only issue for this session.") var session: String?
    @Option(help: "Port (0: any free port).") var port: Int = 8090
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Write the bound port to this file once listening.") var portFile: String?

    mutating func run() throws {
        let path: String
        if let key {
            path = key
        } else if let id, let keys {
            path = URL(fileURLWithPath: keys).appendingPathComponent("authority-\(id).json").path
        } else {
            throw CommandError("give --key FILE, or --id J with --keys DIR")
        }
        let file = try AdmissionJSON.read(AuthorityKeyFile.self, from: path, as: "an authority key file")
        let registered = try AdmissionJSON.read([ClientPublicKey].self, from: registry, as: "a registry")
        let service: AuthorityService
        do { service = try AuthorityService(file: file, registry: registered, session: session) } catch {
            throw CommandError("\(path): \(error)")
        }
        let (host, port, portFile) = (host, port, portFile)
        try blocking {
            try await service.serve(host: host, port: port) { bound in
                stderrLine("authority \(service.index) listening on http://\(host):\(bound)/")
                if let portFile { try? ListeningAnnouncement.write(port: bound, to: portFile) }
            }
        }
    }
}

struct ClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "A client process: admission with the authorities, then every round it is selected for.")

    @Option(help: "Coordinator URL, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "Authority URLs, comma-separated.") var authorities: String
    @Option(help: "Registered client id (1-based); the data shard is id − 1.") var id: Int
    @Option(help: "Client secret key file (secagg admission keygen).") var key: String
    @Option(help: "Experiment config whose dataset this client loads (default: the coordinator's).") var data: String?
    @Option(help: "Write each round's own update to DIR (for checking the aggregate).") var record: String?
    @Option(help: "Seconds per HTTP request.") var timeout: Double = 10
    @Option(help: "Retries of a request whose connection failed.") var retries: Int = 5
    @Option(help: "Test fault: R:K — die (SIGKILL) after uploading phase K of round R.") var crashAfter: String?
    @Option(help: "Registry (JSON array of the clients' public keys): this client's trusted copy, to verify its peers in authenticated masking.")
    var registry: String?

    mutating func run() throws {
        let serialized = try AdmissionJSON.read(SerializedClientSecretKey.self, from: key, as: "a client secret key")
        let secret: ClientSecretKey
        do { secret = try ClientSecretKey(serialized) } catch { throw CommandError("\(key): \(error)") }
        let urls = authorities.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !urls.isEmpty else { throw CommandError("--authorities: no URL given") }
        guard (0...100).contains(retries) else { throw CommandError("--retries must be in 0...100") }
        var options = ClientNode.Options(server: server, authorities: urls, id: id, key: secret)
        options.config = try data.map { try ExperimentConfig.load(path: $0) }
        options.recordDirectory = record
        options.registry = try registry.map { try AdmissionJSON.read([ClientPublicKey].self, from: $0, as: "a registry") }
        options.requestTimeout = try duration(timeout, "timeout")
        options.retries = retries
        if let crashAfter {
            let parts = crashAfter.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { throw CommandError("--crash-after must be R:K (round, phase)") }
            options.crashAfter = (parts[0], parts[1])
        }
        let id = self.id
        options.log = { stderrLine("client \(id): \($0)") }
        let node = ClientNode(options: options)
        let summary = try blocking { try await node.run() }
        stderrLine("client \(id): \(summary.finalState); contributed to rounds \(summary.roundsContributed.map(String.init).joined(separator: ", "))")
    }
}
