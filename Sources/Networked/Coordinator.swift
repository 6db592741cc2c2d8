public import Admission
import CryptoPrimitives
public import FederatedLearning
import Foundation
public import Harness
import SecureAggregation

/// What the coordinator needs beyond the experiment config.
public struct CoordinatorSettings: Sendable {
    /// The run's id (also the admission session unless `session` is set).
    public var runID: String
    /// The admission session tokens must be bound to.
    public var session: String
    /// Registered clients: client id i (1-based) is `registry[i − 1]`.
    public var registry: [ClientPublicKey]
    /// The authorities' public parameters, to verify tokens with no authority online.
    public var admission: AdmissionPublicParameters
    /// How long the coordinator waits for every registered client to be admitted before training starts
    /// anyway (with at least two admitted clients).
    public var admissionTimeout: Duration
    /// How long the first phase of a round may take (clients fetch the model, train, then upload).
    public var trainingTimeout: Duration
    /// How long every later protocol phase may take; clients missing at the deadline are dropouts.
    public var phaseTimeout: Duration
    /// Requests per second allowed per client (see ``NetworkAPI/defaultRateLimit``).
    public var rateLimit: Double
    /// Requests a client may make in a burst before ``rateLimit`` applies; nil: 10 s worth of `rateLimit`.
    public var rateBurst: Double?

    public init(
        runID: String, session: String? = nil, registry: [ClientPublicKey], admission: AdmissionPublicParameters,
        admissionTimeout: Duration = .seconds(60), trainingTimeout: Duration = .seconds(120),
        phaseTimeout: Duration = .seconds(30), rateLimit: Double = NetworkAPI.defaultRateLimit,
        rateBurst: Double? = nil
    ) {
        self.runID = runID
        self.session = session ?? runID
        self.registry = registry
        self.admission = admission
        self.admissionTimeout = admissionTimeout
        self.trainingTimeout = trainingTimeout
        self.phaseTimeout = phaseTimeout
        self.rateLimit = rateLimit
        self.rateBurst = rateBurst
    }
}

/// A failed request: the HTTP status and a one-line reason (sent as `{"error": …}`).
public struct RequestFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "HTTP \(status): \(message)" }
}

/// What the coordinator reports as a run goes (the run history store and the console listen).
public enum CoordinatorEvent: Sendable {
    case admission(client: Int, round: Int, admitted: Bool, reason: String?)
    case round(RoundRecord, parameters: [Float], aggregate: AggregateUpdate)
    case finished(RunResult)
    case failed(String)
}

/// The coordinator of a networked run: admission by token, then FedAvg rounds whose aggregation is the
/// configured protocol's server side, driven by the clients' HTTP requests (`Specs/networked.md`).
///
/// All state lives in this actor; the HTTP layer (``CoordinatorServer``) only decodes requests and calls it.
/// Nothing here reveals an individual client's update, mask seed or key share: the protocol messages a client
/// can fetch are those addressed to it.
public actor Coordinator {
    public nonisolated let config: ExperimentConfig
    /// HTTP traffic through the coordinator's router, total and per round.
    public nonisolated let traffic = HTTPTraffic()
    public nonisolated let settings: CoordinatorSettings
    let verifier: AdmissionVerifier
    /// Registered client id → its public key checked as a signature key (authenticated masking only).
    let signatureKeys: [Int: SignatureVerificationKey]
    /// Values in the model (the protocol vectors carry one more, the weight).
    public nonisolated let parameterCount: Int
    let test: Dataset
    let maxWeight: Int
    let serverLearningRate: Float
    var global: Model
    let clock = ContinuousClock()

    enum State: Equatable {
        case admission
        case training
        case finished
        case failed(String)
    }

    struct ClientRecord {
        var state: DashboardSnapshot.ClientState = .pending
        var reason: String?
        var digest: [UInt8]?
        var admissionRound: UInt64 = 0
        var roundsContributed = 0
    }

    /// One round in progress.
    struct RoundState {
        let number: Int
        let selected: [Int]
        let protocolIDs: [Int: UInt32]
        let clientOf: [UInt32: Int]
        let plans: [Int: RoundPlan]
        var server: any RoundAggregationServer
        var phase = 0
        var expected: Set<Int>
        var uploaded: Set<Int> = []
        /// downloads[k][client]: the server's message ending phase k for that client.
        var downloads: [[Int: [UInt8]]] = []
        var upBytes = 0
        var downBytes = 0
    }

    var state = State.admission
    var round = 0
    var admissionRound: UInt64 = 1
    var clients: [Int: ClientRecord]
    var current: RoundState?
    var records: [RoundRecord] = []
    var admissionSummary = AdmissionSummary()
    var phaseText = "admission"
    var buckets: [Int: RateBucket] = [:]
    var listeners: [@Sendable (CoordinatorEvent) -> Void] = []
    var startRound = 1
    /// Rejected admission attempts under unregistered ids (at most 64 kept), for the dashboard.
    var strangers: [Int: String] = [:]

    /// - Parameters:
    ///   - resume: a finished round, the global parameters after it and the records of rounds 1 … round (from
    ///     the run history), to continue a run after a restart.
    /// - Throws: ``NetworkError/unsupported(_:)`` for a protection the networked mode does not run; data and
    ///   model errors.
    public init(
        config: ExperimentConfig, settings: CoordinatorSettings, resume: (round: Int, parameters: [Float], records: [RoundRecord])? = nil
    ) throws {
        switch config.protection {
        case .none, .masking, .secAggPlus: break
        default:
            throw NetworkError.unsupported(
                "protection \"\(config.protection.kind)\" (secagg serve runs none, masking and secagg+; use secagg run for the others)")
        }
        guard settings.registry.count == config.clients else {
            throw NetworkError.unsupported(
                "the registry has \(settings.registry.count) clients, the config \(config.clients)")
        }
        self.config = config
        self.settings = settings
        verifier = AdmissionVerifier(parameters: settings.admission)
        if config.protection.isAuthenticated {
            var keys: [Int: SignatureVerificationKey] = [:]
            for (i, key) in settings.registry.enumerated() {
                do { keys[i + 1] = try SignatureVerificationKey(key) } catch {
                    throw NetworkError.unsupported("registry entry \(i + 1) is not a valid signature key: \(error)")
                }
            }
            signatureKeys = keys
        } else {
            signatureKeys = [:]
        }
        let runner = ExperimentRunner(config: config)
        let data = try runner.loadData()
        test = data.test
        maxWeight = try runner.partition(of: data.train).sizes.max() ?? 1
        serverLearningRate = Float(config.serverLearningRate)
        let architecture = try runner.architecture(for: data)
        global = Model(architecture, seed: deriveSeed(config.seed, SeedPurpose.modelInitialisation.rawValue))
        parameterCount = global.parameters.count
        if let resume {
            try global.setParameters(resume.parameters)
            startRound = resume.round + 1
            records = Array(resume.records.prefix(resume.round))
        }
        clients = Dictionary(uniqueKeysWithValues: (1...config.clients).map { ($0, ClientRecord()) })
    }

    /// Adds an observer of admissions, rounds and the end of the run (called on the actor).
    public func observe(_ listener: @escaping @Sendable (CoordinatorEvent) -> Void) {
        listeners.append(listener)
    }

    func emit(_ event: CoordinatorEvent) {
        for l in listeners { l(event) }
    }

    // MARK: - The round loop

    /// Runs admission and every round; returns when the run ends.
    @discardableResult
    public func run() async -> RunResult? {
        let started = clock.now
        do {
            if startRound > config.rounds { throw NetworkError.runFailed("every round is already finished") }
            for r in startRound...config.rounds {
                let admissionSeconds = (r == startRound || perRound) ? try await admissionWindow(round: r) : 0
                try await runRound(r, admissionSeconds: admissionSeconds)
            }
            state = .finished
            phaseText = "finished"
            let result = RunResult(
                configJSON: config.resolvedJSON(), rounds: records, totalSeconds: (clock.now - started).seconds,
                admission: admissionSummary)
            emit(.finished(result))
            return result
        } catch {
            let reason = (error as? NetworkError).map { "\($0)" } ?? "\(error)"
            state = .failed(reason)
            phaseText = "failed: \(reason)"
            current = nil
            emit(.failed(reason))
            return nil
        }
    }

    var perRound: Bool { config.admission?.perRound ?? false }

    /// Opens admission for tokens bound to round `r` (or 1) and waits for every registered client or the
    /// deadline. - Returns: the seconds spent.
    func admissionWindow(round r: Int) async throws -> Double {
        let start = clock.now
        let bound: UInt64 = perRound ? UInt64(r) : 1
        if bound != admissionRound || r == startRound {
            admissionRound = bound
            for id in clients.keys where clients[id]?.admissionRound != bound {
                clients[id]?.state = .pending
                clients[id]?.digest = nil
            }
        }
        state = .admission
        round = r
        phaseText = "admission for round \(r) of \(config.rounds)"
        let deadline = clock.now + settings.admissionTimeout
        while admittedIDs.count < config.clients, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        guard admittedIDs.count >= 2 else {
            throw NetworkError.runFailed("only \(admittedIDs.count) clients were admitted before the deadline; at least 2 are needed")
        }
        state = .training
        let seconds = (clock.now - start).seconds
        admissionSummary.admitted = admittedIDs.count
        admissionSummary.seconds += seconds
        return seconds
    }

    var admittedIDs: [Int] { clients.filter { $0.value.state == .admitted }.map(\.key).sorted() }

    /// The round's masking session: bound to the run and the round, so no message is valid in another run.
    func protocolSession(round r: Int) -> UInt64 {
        let digest = Sha256.hash(Array("SecAggKit/networked/v1/session \(settings.runID) \(r)".utf8))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    func runRound(_ r: Int, admissionSeconds: Double) async throws {
        round = r
        let sampled = FedAvg.sampleClients(
            seed: config.seed, round: r - 1, clientCount: config.clients, clientsPerRound: config.clientsPerRound)
        let admitted = Set(admittedIDs)
        let selected = sampled.map { $0 + 1 }.filter { admitted.contains($0) }
        guard selected.count >= 2 else {
            throw NetworkError.runFailed("round \(r): only \(selected.count) of the sampled clients are admitted")
        }
        current = try makeRound(r, selected: selected)
        let roundStart = clock.now
        traffic.startRound(r)
        // When each phase closed (all expected uploads in, or its deadline passed): the record's phase seconds
        // partition the round's wall time (Specs/networked.md, "Output and history").
        var closed: [ContinuousClock.Instant] = []
        let phaseNames = current?.server.phaseNames ?? []
        for k in phaseNames.indices {
            phaseText = "round \(r) of \(config.rounds): \(phaseNames[k])"
            let deadline = clock.now + (k == 0 ? settings.trainingTimeout : settings.phaseTimeout)
            while let c = current, !c.expected.isSubset(of: c.uploaded), clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            guard var c = current else { throw NetworkError.runFailed("round \(r) vanished") }
            closed.append(clock.now)
            let messages: [UInt32: [UInt8]]
            do {
                messages = try c.server.finish(phase: k)
            } catch {
                throw NetworkError.runFailed("round \(r) aborted in phase \(phaseNames[k]): \(error)")
            }
            var byClient: [Int: [UInt8]] = [:]
            for (id, bytes) in messages {
                if let client = c.clientOf[id] { byClient[client] = bytes }
            }
            c.downloads.append(byClient)
            c.phase = k + 1
            if k + 1 < phaseNames.count {
                c.expected = Set(byClient.keys)
                c.uploaded = []
            }
            current = c
        }
        guard let c = current else { throw NetworkError.runFailed("round \(r) vanished") }
        let outcome: (mean: [Float], totalWeight: Int, contributors: [UInt32], errorBound: Double?)
        do {
            outcome = try c.server.result()
        } catch {
            throw NetworkError.runFailed("round \(r): \(error)")
        }
        let contributors = outcome.contributors.compactMap { c.clientOf[$0] }
        let aggregate = AggregateUpdate(mean: outcome.mean, totalWeight: outcome.totalWeight, clients: contributors.map { $0 - 1 })
        do {
            try global.apply(delta: aggregate.mean, scale: serverLearningRate)
        } catch {
            throw NetworkError.runFailed("round \(r): \(error)")
        }
        let evaluation = try global.evaluate(on: test)
        for id in contributors { clients[id]?.roundsContributed += 1 }
        var seconds = RoundRecord.PhaseSeconds()
        seconds.admission = admissionSeconds
        let firstClosed = closed.first ?? roundStart, lastClosed = closed.last ?? roundStart
        seconds.train = (firstClosed - roundStart).seconds
        seconds.protect = (lastClosed - firstClosed).seconds
        seconds.aggregate = (clock.now - lastClosed).seconds
        // Dropped: selected clients that did not complete the last phase.
        let record = RoundRecord(
            round: r, accuracy: evaluation.accuracy, loss: evaluation.loss, maxAbsError: nil, errorBound: outcome.errorBound,
            seconds: seconds, uploadBytes: c.upBytes, downloadBytes: c.downBytes, selected: selected.count,
            dropped: selected.count - c.uploaded.count)
        records.append(record)
        traffic.endRound(r)
        current = nil
        emit(.round(record, parameters: global.parameters, aggregate: aggregate))
    }

    /// The plans and the server side of round `r`.
    func makeRound(_ r: Int, selected: [Int]) throws -> RoundState {
        let n = selected.count
        let ids = Dictionary(uniqueKeysWithValues: selected.enumerated().map { ($0.element, UInt32($0.offset + 1)) })
        let clientOf = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        let length = global.parameters.count + 1
        let session = protocolSession(round: r)
        var masking: MaskedAggregationParameters?
        var plus: SecAggPlusParameters?
        var quantizer: Quantizer?
        switch config.protection {
        case .none:
            break
        case .masking(let threshold, let valueBits, let clip, _):
            let q = try Quantizer(clip: clip, valueBits: valueBits, clientCount: n)
            quantizer = q
            masking = try MaskedAggregationParameters(
                clientCount: n, threshold: min(threshold ?? (2 * n / 3 + 1), n), vectorLength: length, ringBits: q.ringBits,
                session: session)
        case .secAggPlus(let neighbours, let threshold, let valueBits, let clip, _):
            let q = try Quantizer(clip: clip, valueBits: valueBits, clientCount: n)
            quantizer = q
            var degree = min(neighbours ?? Self.defaultNeighbours(n), n - 1)
            if degree % 2 == 1 { degree -= 1 }
            let t = min(max(threshold ?? (degree / 2 + 1), 2), degree + 1)
            var rng = SystemRandom()
            plus = try SecAggPlusParameters(
                clientCount: n, neighbours: degree, threshold: t, vectorLength: length, ringBits: q.ringBits, session: session,
                graphSeed: SecAggPlusParameters.randomGraphSeed(using: &rng))
        default:
            throw NetworkError.unsupported("protection \"\(config.protection.kind)\"")
        }
        let authenticated = config.protection.isAuthenticated
        // One plan for all; each client's copy gets its protocol id, and the phase count is the server's own.
        var template = RoundPlan(
            round: r, protection: config.protection.kind, protocolID: 0, participants: selected, phaseCount: 0,
            masking: masking, secAggPlus: plus, quantizer: quantizer, maxWeight: maxWeight, authenticated: authenticated)
        // Authenticated: the server checks each signature on receipt against the participant's registered key.
        let directory = authenticated
            ? AdmissionIdentityDirectory(keys: Dictionary(uniqueKeysWithValues: clientOf.compactMap { id, client in
                signatureKeys[client].map { (id, $0) } }))
            : nil
        let server = try RoundProtocolFactory.server(
            for: template, parameterCount: global.parameters.count,
            clientIndex: Dictionary(uniqueKeysWithValues: clientOf.map { ($0.key, $0.value - 1) }), verifier: directory)
        template.phaseCount = server.phaseNames.count
        var plans: [Int: RoundPlan] = [:]
        for client in selected {
            var plan = template
            plan.protocolID = ids[client] ?? 0
            plans[client] = plan
        }
        return RoundState(
            number: r, selected: selected, protocolIDs: ids, clientOf: clientOf, plans: plans, server: server,
            expected: Set(selected))
    }

    /// k = 2⌈log₂ n⌉, at most n − 1 and even (the in-process harness's default).
    static func defaultNeighbours(_ n: Int) -> Int {
        let log = Int.bitWidth - (max(n, 2) - 1).leadingZeroBitCount
        let k = min(2 * log, n - 1)
        return k % 2 == 0 ? k : k - 1
    }

    // MARK: - Requests

    /// `GET /v1/status`.
    public func status() -> CoordinatorStatus {
        let stateName: String
        var failure: String?
        switch state {
        case .admission: stateName = "admission"
        case .training: stateName = "training"
        case .finished: stateName = "finished"
        case .failed(let why):
            stateName = "failed"
            failure = why
        }
        return CoordinatorStatus(
            state: stateName, runID: settings.runID, session: settings.session, admissionRound: admissionRound, phase: phaseText,
            round: round, totalRounds: config.rounds, protection: config.protection.kind, selected: current?.selected ?? [],
            protocolPhase: current?.phase ?? 0, admitted: admittedIDs, failure: failure)
    }

    /// `POST /v1/admit`, after the token was verified off the actor (`verified` is nil or the reason it failed)
    /// against admission round `round`.
    func admit(
        _ request: AdmitRequest, verification: Result<[UInt8], RequestFailure>, round: UInt64, bytes: Int
    ) throws(RequestFailure) {
        var verification = verification
        if case .success = verification, round != admissionRound {
            // A new admission round opened while the token was verified: it was checked against the old one.
            verification = .failure(RequestFailure(403, "invalid token: made for round \(round), expected round \(admissionRound)"))
        }
        // Unregistered ids share one bucket, so random ids cannot grow the table. Anyone may post an admission
        // naming a registered id, so those attempts spend a bucket of their own (key −1 − id), not the one of the
        // client's authenticated requests: a stranger cannot starve an admitted client out of its rounds.
        try spend(client: request.client, bucket: clients[request.client] == nil ? -1 : -1 - request.client)
        guard clients[request.client] != nil else {
            let reason = "client \(request.client) is not registered" + (request.refusal.map { "; \($0.prefix(200))" } ?? "")
            if strangers.count < 64 || strangers[request.client] != nil { strangers[request.client] = reason }
            admissionSummary.rejected += 1
            emit(.admission(client: request.client, round: Int(admissionRound), admitted: false, reason: reason))
            throw RequestFailure(404, reason)
        }
        admissionSummary.bytes += bytes
        switch verification {
        case .success(let digest):
            if clients[request.client]?.state == .admitted, clients[request.client]?.digest != digest,
                clients[request.client]?.admissionRound == admissionRound
            {
                // A second token for an admitted client in the same admission round: keep the first.
                throw RequestFailure(409, "client \(request.client) is already admitted for this round")
            }
            clients[request.client]?.state = .admitted
            clients[request.client]?.reason = nil
            clients[request.client]?.digest = digest
            clients[request.client]?.admissionRound = admissionRound
            emit(.admission(client: request.client, round: Int(admissionRound), admitted: true, reason: nil))
        case .failure(let failure):
            if clients[request.client]?.state != .admitted {
                clients[request.client]?.state = .rejected
                clients[request.client]?.reason = failure.message
            }
            admissionSummary.rejected += 1
            emit(.admission(client: request.client, round: Int(admissionRound), admitted: false, reason: failure.message))
            throw failure
        }
    }

    /// The session and round tokens must be bound to now, and the registered key of `client`.
    func admissionContext(client: Int) -> (session: String, round: UInt64, key: ClientPublicKey?) {
        let key = (1...settings.registry.count).contains(client) ? settings.registry[client - 1] : nil
        return (settings.session, admissionRound, key)
    }

    /// Checks the admission headers of a request. - Throws: 401 without a known client and token, 403 for a
    /// token that is not the one admitted for the current admission round, 429 over the rate limit.
    func authenticate(client: String?, token: String?) throws(RequestFailure) -> Int {
        guard let client, let id = Int(client), let token else {
            throw RequestFailure(401, "missing \(NetworkAPI.clientHeader) or \(NetworkAPI.tokenHeader) header")
        }
        guard let record = clients[id] else { throw RequestFailure(401, "client \(id) is not registered") }
        try spend(client: id)
        guard record.state == .admitted, let digest = record.digest, record.admissionRound == admissionRound else {
            throw RequestFailure(403, "client \(id) is not admitted for session \(settings.session) round \(admissionRound)")
        }
        guard constantTimeEqual(Array(token.utf8), Array(NetworkAPI.hex(digest).utf8)) else {
            throw RequestFailure(403, "the token is not the one admitted for client \(id)")
        }
        return id
    }

    func spend(client: Int, bucket key: Int? = nil) throws(RequestFailure) {
        let key = key ?? client
        var bucket = buckets[key] ?? RateBucket(rate: settings.rateLimit, burst: settings.rateBurst ?? 10 * settings.rateLimit, now: clock.now)
        guard bucket.take(now: clock.now) else { throw RequestFailure(429, "rate limit exceeded for client \(client)") }
        buckets[key] = bucket
    }

    /// The round `r` state for a selected `client`.
    func roundState(_ r: Int, client: Int) throws(RequestFailure) -> RoundState {
        guard let c = current, c.number == r else {
            throw RequestFailure(409, "round \(r) is not in progress (current: \(round), \(phaseText))")
        }
        guard c.plans[client] != nil else { throw RequestFailure(403, "client \(client) is not selected for round \(r)") }
        return c
    }

    /// `GET /v1/round/R/plan`.
    func plan(round r: Int, client: Int) throws(RequestFailure) -> RoundPlan {
        let c = try roundState(r, client: client)
        guard let plan = c.plans[client] else { throw RequestFailure(403, "client \(client) is not selected for round \(r)") }
        return plan
    }

    /// `GET /v1/round/R/model`: the global model at the start of round R.
    func model(round r: Int, client: Int) throws(RequestFailure) -> [UInt8] {
        _ = try roundState(r, client: client)
        let bytes = PlainMessages.globalModel(round: r, parameters: global.parameters)
        current?.downBytes += bytes.count
        return bytes
    }

    /// `POST /v1/round/R/phase/K`.
    func upload(round r: Int, phase k: Int, client: Int, bytes: [UInt8]) throws(RequestFailure) {
        var c = try roundState(r, client: client)
        guard k == c.phase else { throw RequestFailure(409, "phase \(k) is not open (phase \(c.phase) is)") }
        guard c.expected.contains(client) else {
            throw RequestFailure(410, "client \(client) dropped out of round \(r) before phase \(k)")
        }
        guard !c.uploaded.contains(client), let id = c.protocolIDs[client] else {
            throw RequestFailure(409, "client \(client) already uploaded phase \(k)")
        }
        do {
            try c.server.receive(phase: k, from: id, bytes)
        } catch {
            throw RequestFailure(400, "\(error)")
        }
        c.uploaded.insert(client)
        c.upBytes += bytes.count
        current = c
    }

    /// `GET /v1/round/R/phase/K`: nil while phase K is still open.
    func download(round r: Int, phase k: Int, client: Int) throws(RequestFailure) -> [UInt8]? {
        let c = try roundState(r, client: client)
        guard k >= 0, k < c.server.phaseNames.count else { throw RequestFailure(404, "round \(r) has no phase \(k)") }
        guard k < c.downloads.count else { return nil }
        guard let bytes = c.downloads[k][client] else {
            throw RequestFailure(410, "client \(client) dropped out of round \(r) in phase \(k)")
        }
        current?.downBytes += bytes.count
        return bytes
    }

    /// The finished rounds.
    func finishedRounds() -> [RoundRecord] { records }

    /// The dashboard page (`Specs/harness.md`, "Dashboard"): reloads itself every 2 s until the run ends.
    func dashboard() -> String {
        var rows = clients.keys.sorted().compactMap { id in
            clients[id].map { DashboardSnapshot.Client(id: id, state: $0.state, reason: $0.reason, roundsContributed: $0.roundsContributed) }
        }
        // Attempts under ids nobody registered (impostors), newest reason per id.
        for (id, reason) in strangers.sorted(by: { $0.key < $1.key }) {
            rows.append(DashboardSnapshot.Client(id: id, state: .rejected, reason: reason))
        }
        var items: [(name: String, value: String)] = [
            ("run", self.settings.runID), ("session", self.settings.session), ("protection", config.protection.kind),
            ("clients", "\(config.clients) (\(config.clientsPerRound) per round)"), ("rounds", "\(config.rounds)"),
            ("model", "\(config.model)"), ("local epochs", "\(config.localEpochs)"), ("learning rate", "\(config.learningRate)"),
            ("admission", "\(self.settings.admission.threshold) of \(self.settings.admission.verificationKeys.count) authorities"
                + (perRound ? ", every round" : ", once")),
            ("phase timeout", "\(self.settings.phaseTimeout)"),
        ]
        if case .failed(let why) = state { items.append(("failure", why)) }
        let finished = state == .finished || { if case .failed = state { return true } else { return false } }()
        let snapshot = DashboardSnapshot(
            runID: self.settings.runID, configuration: items, phase: phaseText, round: round, totalRounds: config.rounds,
            clients: rows, rounds: records, finished: finished)
        return DashboardPage.render(snapshot, refreshSeconds: finished ? nil : 2)
    }
}

/// A token bucket: `rate` requests per second on average, bursts of up to 10 s worth.
struct RateBucket {
    let rate: Double
    let burst: Double
    var tokens: Double
    var last: ContinuousClock.Instant

    init(rate: Double, burst: Double, now: ContinuousClock.Instant) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        last = now
    }

    mutating func take(now: ContinuousClock.Instant) -> Bool {
        tokens = min(burst, tokens + (now - last).seconds * rate)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in a.indices { diff |= a[i] ^ b[i] }
    return diff == 0
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
