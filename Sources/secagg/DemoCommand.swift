import ArgumentParser
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
    @Flag(help: "Authenticated masking: signed keys and the consistency check (built-in config).") var authenticated = false
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
        let work = URL(fileURLWithPath: try dir ?? makeTemporaryDirectory())
        try createDirectory(work.path)

        // Configuration.
        let configPath: String
        if let config {
            configPath = config
        } else {
            configPath = work.appendingPathComponent("config.json").path
            try write(
                try LoopbackSystem.builtInConfig(
                    clients: clients, rounds: rounds, protection: protection, authorities: authorities, threshold: t,
                    authenticated: authenticated),
                to: configPath)
        }
        let experiment = try ExperimentConfig.load(path: configPath)
        guard experiment.clients == clients else {
            throw CommandError("the config has \(experiment.clients) clients; pass --clients \(experiment.clients)")
        }

        var options = LoopbackSystem.Options(clients: clients, authorities: authorities, threshold: t)
        options.impostors = impostors
        options.authoritiesDown = authoritiesDown
        options.crashClient = crashClient
        options.port = port
        options.phaseTimeout = phaseTimeout
        options.trainingTimeout = max(2 * phaseTimeout, 10)
        options.keepServing = keepServing
        let system = try LoopbackSystem.start(configPath: configPath, options: options, work: work)
        let processes = system.processes
        defer { processes.terminateAll() }
        writeLine("dashboard: \(system.server)/   (logs: \(system.logs.path))")

        // Ctrl-C or SIGTERM stops the children too. Installed after the last child started: an ignored signal
        // (which a dispatch source needs) would be inherited by children started later.
        let stop = processes.stopOnSignals()
        defer { stop.forEach { $0.cancel() } }

        // Wait for the coordinator (it exits when the run ends, unless --keep-serving).
        if keepServing {
            writeLine("serving the dashboard at \(system.server)/ — Ctrl-C to stop")
            processes.wait(for: "coordinator")
            return
        }
        let results = try system.results(coordinatorStatus: system.waitForRun())

        // Report and check.
        let checks = try system.checkAggregates(results)
        for c in checks {
            writeLine(String(
                format: "round %d: %d contributors, max |aggregate − plaintext| %.3g (bound %.3g) %@", c.round, c.contributors.count,
                c.maxAbsError, c.bound, c.passed ? "ok" : "FAILED"))
        }
        let rejected = processes.exitStatuses.filter { $0.key.hasPrefix("impostor-") && $0.value != 0 }.count
        writeLine("impostors refused: \(rejected) of \(impostors); authorities down: \(authoritiesDown) of \(authorities)")
        writeLine("results: \(system.out)/results.json")
        guard checks.count == experiment.rounds, checks.allSatisfy(\.passed) else {
            throw CommandError("the aggregate check failed")
        }
        guard rejected == impostors else { throw CommandError("an impostor was not refused") }
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
