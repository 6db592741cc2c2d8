import Admission
import FederatedLearning
import Foundation
import Harness
@testable import Networked
import Testing

/// One networked run in this process: authorities and the coordinator on loopback ports, `ClientNode`s as tasks.
struct NetworkedRun {
    var fixture: Fixture
    var settings: CoordinatorSettings
    /// Authorities (1-based) left down: their URL is a port nobody listens on.
    var down: Set<Int> = []
    /// Authorities (1-based) that accept connections and never answer.
    var silent: Set<Int> = []
    var resume: (round: Int, parameters: [Float], records: [RoundRecord])?
    /// A client whose task is cancelled once round 1 reaches protocol phase 2.
    var victim: Int?
    /// Clients given no registry (they cannot verify peers in authenticated masking).
    var withoutRegistry: Set<Int> = []

    struct Outcome {
        let result: RunResult?
        let checks: [AggregateCheck.RoundCheck]
        let clients: [Int: Result<ClientNode.Summary, any Error>]
        let events: EventLog
        /// Every status the watcher saw, in order.
        let statuses: [CoordinatorStatus]
        let output: URL
        let serversStopped: Bool
        /// The run's files (results, client records); removed by ``remove()``.
        let directory: URL

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    func run() async throws -> Outcome {
        let directory = try temporaryDirectory("run")
        do {
            return try await run(in: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    func run(in directory: URL) async throws -> Outcome {
        let f = fixture
        let output = directory.appendingPathComponent("results")
        let records = directory.appendingPathComponent("updates")
        let coordinator = try Coordinator(config: f.config, settings: settings, resume: resume)
        let writer = try RunOutputWriter(
            directory: output.path, configJSON: f.config.resolvedJSON(), previousRounds: resume?.records ?? [])
        await coordinator.observe(writer.listener())
        let events = EventLog()
        await coordinator.observe(events.listener())

        var servers: [Task<Void, any Error>] = []
        var closedPorts: [ClosedPort] = []
        var authorityURLs: [String] = []
        for j in 1...f.dealing.parameters.authorityCount {
            if down.contains(j) || silent.contains(j) {
                let hole = try ClosedPort(listening: silent.contains(j))
                closedPorts.append(hole)
                authorityURLs.append("http://127.0.0.1:\(hole.port)")
                continue
            }
            let service = try f.authority(j)
            let (port, task) = try await startServer { try await service.serve(host: "127.0.0.1", port: 0, onListening: $0) }
            servers.append(task)
            authorityURLs.append("http://127.0.0.1:\(port)")
        }
        let (port, serverTask) = try await startServer {
            try await CoordinatorServer.serve(coordinator, host: "127.0.0.1", port: 0, onListening: $0)
        }
        servers.append(serverTask)
        let runTask = Task { await coordinator.run() }

        var clientTasks: [Int: Task<ClientNode.Summary, any Error>] = [:]
        for id in 1...f.config.clients {
            var options = ClientNode.Options(server: "http://127.0.0.1:\(port)", authorities: authorityURLs, id: id, key: try f.key(id))
            options.recordDirectory = records.path
            options.requestTimeout = .seconds(5)
            options.retries = 2
            options.startupTimeout = .seconds(10)
            if !withoutRegistry.contains(id) { options.registry = f.registry }
            // Half the clients read the config from the coordinator (`GET /v1/config`).
            if id % 2 == 0 { options.config = f.config }
            clientTasks[id] = Task { [options] in try await ClientNode(options: options).run() }
        }
        let victimTask = victim.flatMap { clientTasks[$0] }
        let watcher = Task { () -> [CoordinatorStatus] in
            var seen: [CoordinatorStatus] = []
            var cancelled = false
            while !Task.isCancelled {
                let status = await coordinator.status()
                if seen.last != status { seen.append(status) }
                if let victimTask, !cancelled, status.state == "training", status.round >= 1,
                    status.protocolPhase >= 2 || status.round >= 2
                {
                    victimTask.cancel()
                    cancelled = true
                }
                if status.state == "finished" || status.state == "failed" { break }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return seen
        }

        let result = await runTask.value
        let statuses = await watcher.value
        // The clients end when they see the end of the run; the ones still going after 15 s are stopped.
        let running = Array(clientTasks.values)
        let deadline = Task {
            try await Task.sleep(for: .seconds(15))
            for task in running { task.cancel() }
        }
        var clients: [Int: Result<ClientNode.Summary, any Error>] = [:]
        for (id, task) in clientTasks { clients[id] = await task.result }
        deadline.cancel()
        let stopped = await stopServers(servers)
        closedPorts.removeAll()

        let bounds = Dictionary((result?.rounds ?? []).map { ($0.round, $0.errorBound ?? 0) }, uniquingKeysWith: { a, _ in a })
        let checks = try AggregateCheck.run(output: output.path, records: records.path, bounds: bounds)
        return Outcome(
            result: result, checks: checks, clients: clients, events: events, statuses: statuses, output: output,
            serversStopped: stopped, directory: directory)
    }
}

@Suite(.serialized, .timeLimit(.minutes(2))) struct EndToEndTests {
    static func quick(_ f: Fixture) -> CoordinatorSettings {
        f.settings(admission: .seconds(20), training: .seconds(20), phase: .seconds(5))
    }

    /// Every protection: the run finishes, each round's aggregate equals the plaintext weighted mean of the
    /// contributors' own records within its bound. With secagg+, authority 3 of 3 is down (t = 2): everyone is
    /// still admitted.
    @Test(arguments: zip(["masking", "secagg+", "none"], [[], [3], []] as [[Int]]))
    func protectedRun(protection: String, down: [Int]) async throws {
        let f = try Fixture(protection: protection)
        let outcome = try await NetworkedRun(fixture: f, settings: Self.quick(f), down: Set(down)).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.map(\.round) == [1, 2])
        #expect(result.rounds.allSatisfy { $0.selected == 4 && $0.dropped == 0 })
        #expect(result.admission?.admitted == 4)
        #expect(outcome.checks.map(\.round) == [1, 2])
        for check in outcome.checks {
            #expect(check.passed, "round \(check.round): error \(check.maxAbsError) > bound \(check.bound)")
            #expect(check.contributors == [1, 2, 3, 4])
        }
        if protection == "none" {
            #expect(result.rounds.allSatisfy { $0.errorBound == nil })
        } else {
            #expect(result.rounds.allSatisfy { ($0.errorBound ?? 0) > 0 })
        }
        for id in 1...4 {
            let summary = try #require(try? outcome.clients[id]?.get(), "client \(id): \(String(describing: outcome.clients[id]))")
            #expect(summary.finalState == "finished")
            #expect(summary.roundsContributed == [1, 2])
        }
        #expect(outcome.statuses.last?.state == "finished")
        #expect(outcome.statuses.contains { $0.state == "training" && $0.round == 2 })
        // The output files of the writer.
        let results = try String(contentsOf: outcome.output.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(results.contains("\"round\": 2"))
        #expect(try RunOutputWriter.readAggregates(in: outcome.output.path).count == 2)
        #expect(outcome.serversStopped)

        // The check can fail: one client's record of round 1 altered by 0.5 in one value.
        let path = outcome.directory.appendingPathComponent("updates/client-1-round-1.json")
        var record = try JSONDecoder().decode(Recorded.self, from: Data(contentsOf: path))
        record.delta[0] += 0.5
        try NetworkAPI.canonicalJSON(record).write(to: path)
        let bounds = Dictionary(uniqueKeysWithValues: result.rounds.map { ($0.round, $0.errorBound ?? 0) })
        let rechecked = try AggregateCheck.run(
            output: outcome.output.path, records: outcome.directory.appendingPathComponent("updates").path, bounds: bounds)
        #expect(rechecked.map(\.passed) == [false, true])
    }

    /// Authenticated masking over HTTP (5 phases: signed keys, the consistency check): the server checks every
    /// signature against the registered keys, the clients against their own registry; the aggregates match.
    @Test(arguments: ["masking", "secagg+"])
    func authenticatedRun(protection: String) async throws {
        let f = try Fixture(protection: protection, authenticated: true)
        let outcome = try await NetworkedRun(fixture: f, settings: Self.quick(f)).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.allSatisfy { $0.selected == 4 && $0.dropped == 0 })
        #expect(outcome.checks.count == 2 && outcome.checks.allSatisfy { $0.passed && $0.contributors == [1, 2, 3, 4] })
        // The consistency check (phase 3 of 0…4) really ran.
        #expect(outcome.statuses.contains { $0.round == 1 && $0.protocolPhase == 4 })
        for id in 1...4 {
            #expect((try? outcome.clients[id]?.get())?.roundsContributed == [1, 2], "client \(id)")
        }
    }

    /// A client without a registry cannot verify its peers, so it does not take part (one clear error), and
    /// the others' rounds complete without it.
    @Test func authenticatedClientWithoutRegistry() async throws {
        let f = try Fixture(protection: "masking", authenticated: true)
        let settings = f.settings(admission: .seconds(20), training: .seconds(4), phase: .seconds(3))
        let outcome = try await NetworkedRun(fixture: f, settings: settings, withoutRegistry: [4]).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.allSatisfy { $0.dropped == 1 })
        #expect(outcome.checks.allSatisfy { $0.passed && $0.contributors == [1, 2, 3] })
        guard case .failure(let error) = outcome.clients[4] else {
            Issue.record("client 4 should have failed: \(String(describing: outcome.clients[4]))")
            return
        }
        #expect("\(error)".contains("--registry"))
    }

    /// An authority that accepts connections and never answers: clients stop waiting once the other two
    /// shares combine into a token, so admission takes far less than the 5 s request timeout.
    @Test func silentAuthorityDoesNotDelayAdmission() async throws {
        let f = try Fixture(protection: "none", rounds: 1)
        let outcome = try await NetworkedRun(fixture: f, settings: Self.quick(f), silent: [2]).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.admission?.admitted == 4)
        let admission = try #require(result.rounds.first?.seconds.admission)
        #expect(admission < 4, "admission took \(admission) s: the clients waited for the silent authority")
    }

    /// A client's record of its update (`ClientNode.Options.recordDirectory`).
    struct Recorded: Codable {
        var client: Int
        var round: Int
        var weight: Int
        var delta: [Float]
    }

    /// A client's task is cancelled in round 1 (at the masked-input phase or later): the round completes, the
    /// next one goes on without it, and the aggregates match the contributors' records.
    @Test func dropout() async throws {
        let f = try Fixture(protection: "masking")
        let settings = f.settings(admission: .seconds(20), training: .seconds(4), phase: .seconds(2))
        let victim = 2
        let outcome = try await NetworkedRun(fixture: f, settings: settings, victim: victim).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.map(\.round) == [1, 2])
        #expect(outcome.checks.map(\.round) == [1, 2])
        for check in outcome.checks {
            #expect(check.passed, "round \(check.round): error \(check.maxAbsError) > bound \(check.bound)")
            #expect(check.contributors.count >= 3)
        }
        // Round 2 went on without the cancelled client.
        let last = try #require(outcome.checks.last)
        #expect(last.contributors == [1, 3, 4])
        #expect(result.rounds.last?.dropped == 1)
        let victimResult = try #require(outcome.clients[victim])
        #expect(throws: (any Error).self) { try victimResult.get() }
        for id in [1, 3, 4] {
            let summary = try #require(try? outcome.clients[id]?.get(), "client \(id): \(String(describing: outcome.clients[id]))")
            #expect(summary.roundsContributed == [1, 2])
        }
        let round1 = try #require(outcome.checks.first)
        print("dropout: round 1 contributors \(round1.contributors), round 2 contributors \(last.contributors)")
    }

    /// A coordinator resumed after round 1 (parameters and record from the run history) starts at round 2, serves
    /// the given parameters and keeps the given record.
    @Test func restart() async throws {
        let f = try Fixture(protection: "masking")
        let count = try f.coordinator().parameterCount
        let parameters = (0..<count).map { Float($0 % 7) * 0.01 - 0.03 }
        let first = RoundRecord(
            round: 1, accuracy: 0.25, loss: 1.5, maxAbsError: nil, errorBound: 0.001,
            seconds: .init(admission: 0.5, train: 1, protect: 0.25, aggregate: 0.125), uploadBytes: 1234, downloadBytes: 5678,
            selected: 4, dropped: 1)
        let outcome = try await NetworkedRun(fixture: f, settings: Self.quick(f), resume: (1, parameters, [first])).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.count == 2)
        #expect(result.rounds.first == first)
        #expect(result.rounds.last?.round == 2)
        // The status never showed round 1.
        #expect(!outcome.statuses.isEmpty)
        #expect(outcome.statuses.allSatisfy { $0.round == 2 })
        #expect(outcome.statuses.contains { $0.state == "training" })
        // Round 2 started from the given parameters: after it, global = P + η·mean.
        let round2 = try #require(outcome.events.rounds.first)
        #expect(outcome.events.rounds.count == 1)
        let eta = Float(f.config.serverLearningRate)
        let expected = zip(parameters, round2.aggregate.mean).map { $0 + eta * $1 }
        let gap = zip(expected, round2.parameters).map { abs($0 - $1) }.max() ?? .infinity
        #expect(gap <= 1e-5)
        #expect(outcome.checks.map(\.round) == [2])
        #expect(outcome.checks.allSatisfy { $0.passed })
        for id in 1...4 {
            let summary = try #require(try? outcome.clients[id]?.get())
            #expect(summary.roundsContributed == [2])
        }
        // results.json has both rounds.
        struct Results: Decodable {
            struct Round: Decodable { let round: Int }
            let rounds: [Round]
        }
        let data = try Data(contentsOf: outcome.output.appendingPathComponent("results.json"))
        #expect(try JSONDecoder().decode(Results.self, from: data).rounds.map(\.round) == [1, 2])

        // Resuming after the last round: the run fails at once, saying why.
        let done = try f.coordinator(resume: (2, parameters, [first, first]))
        #expect(await done.run() == nil)
        let status = await done.status()
        #expect(status.state == "failed")
        #expect(status.failure?.contains("already finished") == true)
    }

    /// Admission before every round: tokens are bound to the round, every client is admitted again each time.
    @Test func admissionEveryRound() async throws {
        let f = try Fixture(protection: "masking", rounds: 3, perRound: true)
        let outcome = try await NetworkedRun(fixture: f, settings: Self.quick(f)).run()
        defer { outcome.remove() }
        let result = try #require(outcome.result, "the run failed: \(outcome.statuses.last?.failure ?? "?")")
        #expect(result.rounds.map(\.round) == [1, 2, 3])
        #expect(outcome.checks.count == 3)
        #expect(outcome.checks.allSatisfy { $0.passed && $0.contributors == [1, 2, 3, 4] })
        // Each round trained under tokens bound to it.
        let training = outcome.statuses.filter { $0.state == "training" }
        #expect(Set(training.map { "\($0.round):\($0.admissionRound)" }) == ["1:1", "2:2", "3:3"])
        #expect(outcome.statuses.contains { $0.state == "admission" && $0.admissionRound == 3 && $0.admitted.isEmpty })
        for id in 1...4 { #expect((try? outcome.clients[id]?.get())?.roundsContributed == [1, 2, 3]) }
    }

    /// The coordinator process dies in the middle of round 2 (its server and run stop) and a new one resumes from
    /// round 1's parameters and record on the same port: the running clients are admitted again, take part in
    /// round 2 and 3, and every round's aggregate matches their records.
    @Test func crashMidRoundAndResume() async throws {
        let f = try Fixture(protection: "masking", rounds: 3)
        let directory = try temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("results").path
        let records = directory.appendingPathComponent("updates").path
        let settings = f.settings(admission: .seconds(20), training: .seconds(10), phase: .seconds(5))

        var authorityServers: [Task<Void, any Error>] = []
        var authorityURLs: [String] = []
        for j in 1...3 {
            let service = try f.authority(j)
            let (port, task) = try await startServer { try await service.serve(host: "127.0.0.1", port: 0, onListening: $0) }
            authorityServers.append(task)
            authorityURLs.append("http://127.0.0.1:\(port)")
        }
        defer { for task in authorityServers { task.cancel() } }

        // The first coordinator.
        let first = try Coordinator(config: f.config, settings: settings)
        let firstEvents = EventLog()
        await first.observe(firstEvents.listener())
        await first.observe(try RunOutputWriter(directory: output, configJSON: f.config.resolvedJSON()).listener())
        let (port, firstServer) = try await startServer {
            try await CoordinatorServer.serve(first, host: "127.0.0.1", port: 0, onListening: $0)
        }
        let firstRun = Task { await first.run() }
        var clientTasks: [Task<ClientNode.Summary, any Error>] = []
        for id in 1...4 {
            var options = ClientNode.Options(server: "http://127.0.0.1:\(port)", authorities: authorityURLs, id: id, key: try f.key(id))
            options.recordDirectory = records
            options.requestTimeout = .seconds(5)
            options.config = f.config
            clientTasks.append(Task { [options] in try await ClientNode(options: options).run() })
        }
        // Round 2 under way (every client has fetched its plan and uploaded its keys): the process dies.
        try await eventually("round 2 to reach its second phase", timeout: .seconds(30)) {
            let status = await first.status()
            return status.round == 2 && status.state == "training" && status.protocolPhase >= 1
        }
        #expect(await stopServers([firstServer]))
        firstRun.cancel()
        _ = await firstRun.value
        let round1 = try #require(firstEvents.rounds.first)
        #expect(firstEvents.rounds.count == 1)

        // The second coordinator, from what the run history keeps: round 1's record and parameters.
        let second = try Coordinator(config: f.config, settings: settings, resume: (1, round1.parameters, [round1.record]))
        await second.observe(
            try RunOutputWriter(directory: output, configJSON: f.config.resolvedJSON(), previousRounds: [round1.record]).listener())
        let (_, secondServer) = try await startServer {
            try await CoordinatorServer.serve(second, host: "127.0.0.1", port: port, onListening: $0)
        }
        let result = await second.run()
        let deadline = Task { [clientTasks] in
            try await Task.sleep(for: .seconds(15))
            for task in clientTasks { task.cancel() }
        }
        var summaries: [Result<ClientNode.Summary, any Error>] = []
        for task in clientTasks { summaries.append(await task.result) }
        deadline.cancel()
        #expect(await stopServers([secondServer]))

        let status = await second.status()
        let finished = try #require(result, "the resumed run failed: \(status.failure ?? "?")")
        #expect(finished.rounds.map(\.round) == [1, 2, 3])
        #expect(finished.rounds.first == round1.record)
        let bounds = Dictionary(uniqueKeysWithValues: finished.rounds.map { ($0.round, $0.errorBound ?? 0) })
        let checks = try AggregateCheck.run(output: output, records: records, bounds: bounds)
        #expect(checks.map(\.round) == [1, 2, 3])
        #expect(checks.allSatisfy { $0.passed && $0.contributors == [1, 2, 3, 4] })
        for (i, summary) in summaries.enumerated() {
            #expect((try? summary.get())?.roundsContributed == [1, 2, 3], "client \(i + 1): \(summary)")
        }
    }

    /// Bodies sent in chunks (no Content-Length) over the limits get 413 too, on a real socket.
    @Test func oversizedStreamedBodies() async throws {
        let f = try Fixture()
        let coordinator = try f.coordinator()
        let (port, server) = try await startServer {
            try await CoordinatorServer.serve(coordinator, host: "127.0.0.1", port: 0, onListening: $0)
        }
        let token = try f.token(client: 1)
        let admit = Array(try NetworkAPI.canonicalJSON(AdmitRequest(client: 1, token: token)))
        let admitted = try await rawHTTP(port: port, request: fixedLengthRequest("/v1/admit", body: admit))
        #expect(admitted.status == 200, "\(admitted.text)")
        let auth = [(NetworkAPI.clientHeader, "1"), (NetworkAPI.tokenHeader, try NetworkAPI.tokenDigest(token))]
        let limit = CoordinatorServer.protocolBodyLimit(coordinator)

        // Within the limits the streamed bodies are read, and refused for what they are.
        let notJSON = try await rawHTTP(port: port, request: chunkedRequest("/v1/admit", size: 1000))
        #expect(notJSON.status == 400, "\(notJSON.text)")
        let early = try await rawHTTP(port: port, request: chunkedRequest("/v1/round/1/phase/0", headers: auth, size: 100))
        #expect(early.status == 409, "\(early.text)")
        // Over the limits: 413.
        let admitAnswer = try await rawHTTP(port: port, request: chunkedRequest("/v1/admit", size: NetworkAPI.maximumJSONBody + 1))
        #expect(admitAnswer.status == 413, "\(admitAnswer.text)")
        let uploadAnswer = try await rawHTTP(
            port: port, request: chunkedRequest("/v1/round/1/phase/0", headers: auth, size: limit + 1))
        #expect(uploadAnswer.status == 413, "\(uploadAnswer.text)")
        #expect(await coordinator.status().admitted == [1])
        #expect(await stopServers([server]))
    }
}
