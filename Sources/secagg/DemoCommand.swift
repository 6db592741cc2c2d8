import Admission
import ArgumentParser
import CryptoPrimitives
import Foundation
import Harness
import Networked

#if canImport(Glibc)
import Glibc
#endif

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole networked system on loopback: authorities, coordinator and clients as separate processes.",
        discussion: """
            Deals the issuing key (t-of-A), makes a key per client and the registry, starts A authorities, the \
            coordinator (secagg serve) and N clients (secagg client) as processes, runs protected FedAvg end to \
            end, then checks every round's aggregate against the plaintext weighted mean of the contributing \
            clients' own updates. Impostors (unregistered keys) try to join and must be refused; \
            --authorities-down leaves some authorities unstarted; --crash-client kills one client mid-round 1. \
            Logs of every process are in DIR/logs; the dashboard is at the coordinator's / while it runs.
            """)

    @Option(help: "Clients N (processes).") var clients: Int = 8
    @Option(help: "Authorities A.") var authorities: Int = 3
    @Option(help: "Token threshold t (default ⌊A/2⌋ + 1).") var threshold: Int?
    @Option(help: "Rounds (built-in config).") var rounds: Int = 3
    @Option(help: "Protection: none, masking or secagg+ (built-in config).") var protection: String = "masking"
    @Option(help: "Experiment config instead of the built-in synthetic one (its clients count must equal --clients).")
    var config: String?
    @Option(help: "Impostor processes: unregistered keys that try to join.") var impostors: Int = 1
    @Option(help: "Authorities left unstarted (at most A − t).") var authoritiesDown: Int = 0
    @Option(help: "Client id killed (SIGKILL) after uploading its key shares in round 1.") var crashClient: Int?
    @Option(help: "Coordinator port (0: any free port).") var port: Int = 0
    @Option(help: "Working directory (keys, logs, results); default: a new temporary directory.") var dir: String?
    @Option(help: "Seconds per protocol phase before missing clients count as dropouts.") var phaseTimeout: Double = 5
    @Flag(help: "Keep the coordinator serving the dashboard after the run (stop with Ctrl-C).") var keepServing = false

    mutating func run() throws {
        let t = threshold ?? (authorities / 2 + 1)
        guard (2...64).contains(clients) else { throw CommandError("--clients must be in 2...64") }
        guard (1...16).contains(authorities), (1...authorities).contains(t) else {
            throw CommandError("need 1 ≤ t ≤ A ≤ 16 (A = \(authorities), t = \(t))")
        }
        guard (0...(authorities - t)).contains(authoritiesDown) else {
            throw CommandError("--authorities-down must be at most A − t = \(authorities - t)")
        }
        guard (0...8).contains(impostors) else { throw CommandError("--impostors must be in 0...8") }
        if let crashClient, !(1...clients).contains(crashClient) { throw CommandError("--crash-client must be a client id 1...\(clients)") }
        let work = try dir ?? makeTemporaryDirectory()
        let files = URL(fileURLWithPath: work)
        let logs = files.appendingPathComponent("logs")
        try createDirectory(logs.path)

        // Configuration.
        let configPath: String
        if let config {
            configPath = config
        } else {
            configPath = files.appendingPathComponent("config.json").path
            try write(try builtInConfig(), to: configPath)
        }
        let experiment = try ExperimentConfig.load(path: configPath)
        guard experiment.clients == clients else {
            throw CommandError("the config has \(experiment.clients) clients; pass --clients \(experiment.clients)")
        }

        // Dealer, client keys, registry.
        var rng = SystemRandom()
        let dealing = try AdmissionDealing.deal(threshold: t, authorityCount: authorities, using: &rng)
        let keysDirectory = files.appendingPathComponent("keys")
        try createDirectory(keysDirectory.path)
        for key in dealing.authorityKeys {
            try write(
                AdmissionJSON.encode(AuthorityKeyFile(key: key.serialized(), parameters: dealing.parameters)),
                to: keysDirectory.appendingPathComponent("authority-\(key.index).json").path)
        }
        let publicPath = keysDirectory.appendingPathComponent("public.json").path
        try write(AdmissionJSON.encode(dealing.parameters), to: publicPath)
        var registry: [ClientPublicKey] = []
        for i in 1...(clients + impostors) {
            let key = try ClientSecretKey.generate(using: &rng)
            try write(AdmissionJSON.encode(key.serialized()), to: keysDirectory.appendingPathComponent("client-\(i).json").path)
            if i <= clients { registry.append(key.publicKey) }  // impostors are not registered
        }
        let registryPath = keysDirectory.appendingPathComponent("registry.json").path
        try write(AdmissionJSON.encode(registry), to: registryPath)

        let executable = try ownExecutable()
        let processes = ProcessGroup(logs: logs)
        defer { processes.terminateAll() }
        let session = "demo-\(UInt32.random(in: 0...UInt32.max))"

        // Authorities (the last `authoritiesDown` are never started; clients still try them).
        var authorityURLs: [String] = []
        for j in 1...authorities {
            if j > authorities - authoritiesDown {
                authorityURLs.append("http://127.0.0.1:\(try unusedPort())")
                continue
            }
            let portFile = files.appendingPathComponent("authority-\(j).port").path
            try processes.start(
                "authority-\(j)", executable,
                [
                    "authority", "--id", "\(j)", "--keys", keysDirectory.path, "--registry", registryPath, "--session", session,
                    "--port", "0", "--port-file", portFile,
                ])
            authorityURLs.append("http://127.0.0.1:\(try waitForPort(portFile, process: "authority-\(j)", processes))")
        }

        // Coordinator.
        let out = files.appendingPathComponent("results").path
        let coordinatorPortFile = files.appendingPathComponent("coordinator.port").path
        var serveArguments = [
            "serve", "--config", configPath, "--public", publicPath, "--registry", registryPath, "--session", session,
            "--run-id", session, "--out", out, "--db", files.appendingPathComponent("runs.sqlite").path, "--port", "\(port)", "--port-file", coordinatorPortFile,
            "--phase-timeout", "\(phaseTimeout)", "--training-timeout", "\(max(2 * phaseTimeout, 10))", "--admission-timeout", "60",
        ]
        if !keepServing { serveArguments.append("--exit-when-done") }
        try processes.start("coordinator", executable, serveArguments)
        let coordinatorPort = try waitForPort(coordinatorPortFile, process: "coordinator", processes)
        let server = "http://127.0.0.1:\(coordinatorPort)"
        writeLine("dashboard: \(server)/   (logs: \(logs.path))")

        // Clients and impostors.
        let records = files.appendingPathComponent("updates").path
        for i in 1...(clients + impostors) {
            var arguments = [
                "client", "--server", server, "--authorities", authorityURLs.joined(separator: ","), "--id", "\(i)",
                "--key", keysDirectory.appendingPathComponent("client-\(i).json").path, "--record", records, "--timeout", "10",
            ]
            if i == crashClient { arguments += ["--crash-after", "1:1"] }
            try processes.start(i <= clients ? "client-\(i)" : "impostor-\(i)", executable, arguments)
        }

        // Ctrl-C or SIGTERM stops the children too. Installed after the last child started: an ignored signal
        // (which a dispatch source needs) would be inherited by children started later.
        let stop = processes.stopOnSignals()
        defer { stop.forEach { $0.cancel() } }

        // Wait for the coordinator (it exits when the run ends, unless --keep-serving).
        if keepServing {
            writeLine("serving the dashboard at \(server)/ — Ctrl-C to stop")
            processes.wait(for: "coordinator")
            return
        }
        let coordinatorStatus = processes.wait(for: "coordinator")
        for i in 1...(clients + impostors) { processes.wait(for: i <= clients ? "client-\(i)" : "impostor-\(i)", timeout: 20) }

        // Report and check.
        let resultsPath = URL(fileURLWithPath: out).appendingPathComponent("results.json").path
        guard coordinatorStatus == 0, let data = FileManager.default.contents(atPath: resultsPath) else {
            throw CommandError("the coordinator failed (exit \(coordinatorStatus)); see \(logs.path)/coordinator.log")
        }
        let bounds = try roundBounds(data)
        let checks = try AggregateCheck.run(output: out, records: records, bounds: bounds)
        for c in checks {
            writeLine(String(
                format: "round %d: %d contributors, max |aggregate − plaintext| %.3g (bound %.3g) %@", c.round, c.contributors.count,
                c.maxAbsError, c.bound, c.passed ? "ok" : "FAILED"))
        }
        let rejected = processes.exitStatuses.filter { $0.key.hasPrefix("impostor-") && $0.value != 0 }.count
        writeLine("impostors refused: \(rejected) of \(impostors); authorities down: \(authoritiesDown) of \(authorities)")
        writeLine("results: \(resultsPath)")
        guard checks.count == experiment.rounds, checks.allSatisfy(\.passed) else {
            throw CommandError("the aggregate check failed")
        }
        guard rejected == impostors else { throw CommandError("an impostor was not refused") }
    }

    func builtInConfig() throws -> String {
        let kinds = ["none", "masking", "secagg+"]
        guard kinds.contains(protection) else { throw CommandError("--protection must be one of \(kinds.joined(separator: ", "))") }
        guard (1...100).contains(rounds) else { throw CommandError("--rounds must be in 1...100") }
        let protectionJSON = protection == "none" ? #"{"kind": "none"}"# : #"{"kind": "\#(protection)", "value_bits": 16, "clip": 4}"#
        return """
            {
              "seed": 7,
              "dataset": {"kind": "synthetic", "classes": 10, "features": 20, "train": 4000, "test": 1000, "separation": 4.0, "noise": 1.0},
              "partition": {"kind": "iid"},
              "model": {"kind": "softmax"},
              "clients": \(clients),
              "clients_per_round": \(clients),
              "rounds": \(rounds),
              "local_epochs": 1,
              "batch_size": 32,
              "learning_rate": 0.1,
              "protection": \(protectionJSON),
              "admission": {"authorities": \(authorities), "threshold": \(threshold ?? (authorities / 2 + 1))}
            }
            """
    }

    /// error_bound per round from results.json.
    func roundBounds(_ data: Data) throws -> [Int: Double] {
        struct Results: Decodable {
            struct Round: Decodable {
                let round: Int
                let error_bound: Double?
            }
            let rounds: [Round]
        }
        let results = try JSONDecoder().decode(Results.self, from: data)
        return Dictionary(results.rounds.map { ($0.round, $0.error_bound ?? 0) }, uniquingKeysWith: { a, _ in a })
    }
}

func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "secagg-demo-\(UInt32.random(in: 0...UInt32.max))"
    try createDirectory(path)
    return path
}

func createDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw CommandError("\(path): cannot create the directory")
    }
}

/// This program's own executable, to start the other processes with.
func ownExecutable() throws -> URL {
    let proc = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    if FileManager.default.isExecutableFile(atPath: proc.path) { return proc }
    if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path) }
    throw CommandError("cannot locate the secagg executable")
}

/// A port nobody listens on (bound and released; for the authorities the demo leaves down).
func unusedPort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CommandError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw CommandError("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
    #else
    return 1  // reserved: nothing listens there
    #endif
}

/// Waits for a server process to write its port file.
func waitForPort(_ path: String, process name: String, _ processes: ProcessGroup) throws -> Int {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return port
        }
        if let status = processes.exitStatuses[name] {
            throw CommandError("\(name) exited with status \(status) before listening; see its log")
        }
        Thread.sleep(forTimeInterval: 0.05)
    }
    throw CommandError("\(name) did not start listening within 60 s")
}

/// Child processes with their logs; terminated when the demo ends (or is interrupted).
final class ProcessGroup: @unchecked Sendable {
    let logs: URL
    private let lock = NSLock()
    private var processes: [String: Process] = [:]

    init(logs: URL) { self.logs = logs }

    func start(_ name: String, _ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let logPath = logs.appendingPathComponent("\(name).log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw CommandError("\(logPath): cannot write the log")
        }
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw CommandError("cannot start \(name): \(error)") }
        lock.withLock { processes[name] = process }
    }

    func process(_ name: String) -> Process? { lock.withLock { processes[name] } }

    /// Exit statuses of the processes that ended.
    var exitStatuses: [String: Int32] {
        lock.withLock { processes.filter { !$0.value.isRunning }.mapValues(\.terminationStatus) }
    }

    /// Waits for `name` to exit (at most `timeout` seconds, then terminates it). - Returns: its status.
    @discardableResult
    func wait(for name: String, timeout: Double = 24 * 3600) -> Int32 {
        guard let process = process(name) else { return -1 }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// SIGTERM to every running child; SIGKILL to those still running 5 s later.
    func terminateAll() {
        let all = lock.withLock { Array(processes.values) }
        for process in all where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while all.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #if canImport(Glibc)
        for process in all where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        #endif
        for process in all { process.waitUntilExit() }
    }

    /// SIGINT/SIGTERM handlers that terminate every child, then exit 130/143.
    func stopOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                terminateAll()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
