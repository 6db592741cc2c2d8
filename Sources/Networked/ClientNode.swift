public import Admission
import AsyncHTTPClient
import CryptoPrimitives
import FederatedLearning
import Foundation
public import Harness
import NIOCore
import SecureAggregation
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// A thin HTTP peer over AsyncHTTPClient: timeouts on every request, retries on connection failures and on
/// 429/503 answers (after their Retry-After; the coordinator changes nothing when it sends them), never on
/// another HTTP answer; a cap on response sizes.
struct HTTPPeer: Sendable {
    let base: String
    let timeout: Duration
    let retries: Int
    var headers: [(String, String)] = []

    struct Reply {
        let status: Int
        let body: [UInt8]

        func text() -> String {
            if let e = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)) { return e.error }
            return String(decoding: body.prefix(300), as: UTF8.self)
        }
    }

    func get(_ path: String, limit: Int = 1 << 30) async throws -> Reply {
        try await send(path, method: .GET, body: nil, contentType: nil, limit: limit)
    }

    func post(_ path: String, json value: some Encodable, limit: Int = 1 << 20) async throws -> Reply {
        try await send(path, method: .POST, body: Array(NetworkAPI.canonicalJSON(value)), contentType: "application/json", limit: limit)
    }

    func post(_ path: String, bytes: [UInt8]) async throws -> Reply {
        try await send(path, method: .POST, body: bytes, contentType: "application/octet-stream", limit: 1 << 16)
    }

    func send(_ path: String, method: HTTPMethod, body: [UInt8]?, contentType: String?, limit: Int) async throws -> Reply {
        let url = base + path
        var attempt = 0
        while true {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = method
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
                if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
                let response = try await HTTPClient.shared.execute(
                    request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
                let buffer = try await response.body.collect(upTo: limit)
                // Rate limited (429) or overloaded (503): wait as told (Retry-After, 1–10 s) and try again,
                // within the same retry budget as a failed connection.
                if [429, 503].contains(response.status.code), attempt < retries {
                    attempt += 1
                    let wait = response.headers.first(name: "Retry-After").flatMap { Int($0) }.map { min(max($0, 1), 10) } ?? 1
                    try await Task.sleep(for: .seconds(wait))
                    continue
                }
                return Reply(status: Int(response.status.code), body: Array(buffer.readableBytesView))
            } catch {
                attempt += 1
                guard attempt <= retries else { throw NetworkError.unreachable(url: url, reason: "\(error)") }
                try await Task.sleep(for: .milliseconds(100 * (1 << min(attempt, 5))))
            }
        }
    }
}

/// A client process of a networked run: admission with the authorities, then, for every round it is
/// selected for, fetch the model, train on its own shard, and run the protocol's client side over HTTP.
public struct ClientNode: Sendable {
    public struct Options: Sendable {
        /// Coordinator base URL, e.g. `http://127.0.0.1:8080`.
        public var server: String
        /// Authority base URLs (any t of them must answer).
        public var authorities: [String]
        /// The registered client id (1-based; its data shard is id − 1).
        public var id: Int
        public var key: ClientSecretKey
        /// The experiment config; nil: the coordinator's (`GET /v1/config`).
        public var config: ExperimentConfig?
        /// Timeout of one HTTP request.
        public var requestTimeout: Duration = .seconds(10)
        /// Retries of a request whose connection failed.
        public var retries: Int = 5
        /// How long to wait for the coordinator to answer at start.
        public var startupTimeout: Duration = .seconds(60)
        /// When set, each round's update (delta and weight) is written to `DIR/client-ID-round-R.json` — the
        /// client's own data, for checking the aggregate from outside; the coordinator never sees it.
        public var recordDirectory: String?
        /// A fault to inject for tests: after uploading phase `phase` of round `round` the process kills itself
        /// (SIGKILL), as a client that dies mid-round.
        public var crashAfter: (round: Int, phase: Int)?
        /// The registered clients' public keys (entry i − 1 is client i), from the client's own trusted copy:
        /// needed for rounds of authenticated masking, where the client verifies its peers' signatures (the
        /// coordinator is not trusted to hand out keys).
        public var registry: [ClientPublicKey]?
        public var log: @Sendable (String) -> Void = { _ in }

        public init(server: String, authorities: [String], id: Int, key: ClientSecretKey) {
            self.server = server
            self.authorities = authorities
            self.id = id
            self.key = key
        }
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// What a client did in a run.
    public struct Summary: Sendable {
        public var roundsContributed: [Int] = []
        public var finalState = ""
    }

    /// Runs until the coordinator's run ends. - Throws: ``NetworkError`` when not admitted or the run failed.
    public func run() async throws -> Summary {
        var server = HTTPPeer(base: options.server, timeout: options.requestTimeout, retries: options.retries)
        let status = try await waitForCoordinator(server)
        let config: ExperimentConfig
        if let given = options.config {
            config = given
        } else {
            let reply = try await server.get("/\(NetworkAPI.prefix)/config", limit: 1 << 20)
            guard reply.status == 200 else { throw NetworkError.http(url: options.server, status: reply.status, message: reply.text()) }
            config = try ExperimentConfig.parse(Data(reply.body), baseDirectory: FileManager.default.currentDirectoryPath)
        }
        let parametersReply = try await server.get("/\(NetworkAPI.prefix)/admission/parameters", limit: 1 << 20)
        guard parametersReply.status == 200 else {
            throw NetworkError.http(url: options.server, status: parametersReply.status, message: parametersReply.text())
        }
        let parameters = try JSONDecoder().decode(AdmissionPublicParameters.self, from: Data(parametersReply.body))
        var admittedRound = try await admit(session: status.session, round: status.admissionRound, parameters: parameters, server: &server)
        // Admitted: now the local data, this client's shard only.
        let runner = ExperimentRunner(config: config)
        let data = try runner.loadData()
        let shards = try runner.partition(of: data.train).clientIndices
        guard shards.indices.contains(options.id - 1) else {
            throw NetworkError.unsupported("client id \(options.id) has no data shard (1...\(shards.count))")
        }
        let shard = shards[options.id - 1]
        let architecture = try runner.architecture(for: data)
        let sgd = try runner.localTraining()

        var lastRound = 0
        var summary = Summary()
        // Registered id → its registry key checked as a signature key, each once per run (authenticated rounds).
        var signatureKeys: [Int: SignatureVerificationKey] = [:]
        while true {
            let reply = try await server.get("/\(NetworkAPI.prefix)/status", limit: 1 << 20)
            guard reply.status == 200 else { throw NetworkError.http(url: options.server, status: reply.status, message: reply.text()) }
            let now = try JSONDecoder().decode(CoordinatorStatus.self, from: Data(reply.body))
            switch now.state {
            case "finished":
                summary.finalState = "finished"
                return summary
            case "failed":
                throw NetworkError.runFailed(now.failure ?? "unknown reason")
            default:
                break
            }
            // A new admission round, or a coordinator that restarted and forgot this client: admit again.
            if now.admissionRound != admittedRound || !now.admitted.contains(options.id) {
                admittedRound = try await admit(session: now.session, round: now.admissionRound, parameters: parameters, server: &server)
                // A restarted coordinator resumes at the round that was in progress, which this client may have
                // begun with the old one: take part in it again.
                lastRound = min(lastRound, now.round - 1)
                continue
            }
            if now.state == "training", now.round > lastRound {
                lastRound = now.round
                if now.selected.contains(options.id) {
                    let done = try await participate(
                        round: now.round, server: server, train: data.train, shard: shard, architecture: architecture, sgd: sgd,
                        seed: config.seed, signatureKeys: &signatureKeys)
                    if done { summary.roundsContributed.append(now.round) }
                }
                continue
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func waitForCoordinator(_ server: HTTPPeer) async throws -> CoordinatorStatus {
        let deadline = ContinuousClock.now + options.startupTimeout
        while true {
            do {
                let reply = try await server.get("/\(NetworkAPI.prefix)/status", limit: 1 << 20)
                if reply.status == 200 { return try JSONDecoder().decode(CoordinatorStatus.self, from: Data(reply.body)) }
            } catch {
                if ContinuousClock.now >= deadline { throw error }
            }
            if ContinuousClock.now >= deadline {
                throw NetworkError.unreachable(url: options.server, reason: "no status within the startup timeout")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Proves to every authority, combines t good shares, presents the token. Sets the auth headers on
    /// `server`. - Returns: the admission round.
    func admit(session: String, round: UInt64, parameters: AdmissionPublicParameters, server: inout HTTPPeer) async throws -> UInt64 {
        var rng = SystemRandom()
        let proof = try AdmissionProof.prove(key: options.key, parameters: parameters, session: session, round: round, using: &rng)
        let request = IssueRequest(proof: proof)
        let timeout = options.requestTimeout
        // Ask every authority at once and stop as soon as t of the answers combine into a token, or as soon as
        // too many have refused for t to remain possible: a down or slow authority costs nothing once the
        // others have decided (and at most one timeout otherwise). Answers not waited for are logged as such.
        let client = options.key.publicKey
        let authorityCount = options.authorities.count
        typealias Answer = (String, Result<TokenShare, NetworkError>)
        func combine(_ shares: [TokenShare]) -> Result<TokenCombination, AdmissionError> {
            Result { () throws(AdmissionError) in
                try AdmissionToken.combine(shares, client: client, session: session, round: round, parameters: parameters)
            }
        }
        // The answers in arrival order and the combination of the good shares among them (each set of shares is
        // combined once: when the last share of it arrived, or at the end when fewer than t came).
        let (answers, combination) = await withTaskGroup(
            of: Answer.self, returning: ([Answer], Result<TokenCombination, AdmissionError>).self
        ) { group in
            for url in options.authorities {
                group.addTask {
                    let peer = HTTPPeer(base: url, timeout: timeout, retries: 1)
                    do {
                        let reply = try await peer.post("/\(NetworkAPI.prefix)/authority/issue", json: request)
                        guard reply.status == 200 else {
                            return (url, .failure(.http(url: url, status: reply.status, message: reply.text())))
                        }
                        return (url, .success(try JSONDecoder().decode(TokenShare.self, from: Data(reply.body))))
                    } catch let error as NetworkError {
                        return (url, .failure(error))
                    } catch {
                        return (url, .failure(.malformed(what: "token share from \(url)", reason: "\(error)")))
                    }
                }
            }
            var all: [Answer] = []
            var shares: [TokenShare] = []
            var latest: Result<TokenCombination, AdmissionError>?
            for await answer in group {
                all.append(answer)
                if case .success(let share) = answer.1 {
                    shares.append(share)
                    guard shares.count >= parameters.threshold else { continue }
                    latest = combine(shares)
                    if case .success = latest { break }
                } else if shares.count + (authorityCount - all.count) < parameters.threshold {
                    break  // hopeless: the authorities still to answer cannot make up t shares
                }
            }
            group.cancelAll()
            return (all, latest ?? combine(shares))
        }
        var refusals: [String] = []
        for case (let url, .failure(let error)) in answers {
            refusals.append("\(error)")
            options.log("authority \(url): \(error)")
        }
        let answered = Set(answers.map { $0.0 })
        for url in options.authorities where !answered.contains(url) {
            options.log("authority \(url): not waited for (decided by the others' answers)")
        }
        var token: AdmissionToken?
        var refusal: String?
        switch combination {
        case .success(let combination):
            for (authority, reason) in combination.rejected { options.log("dropped the share of authority \(authority): \(reason)") }
            token = combination.token
        case .failure(let error):
            refusal = ([("\(error)")] + refusals).joined(separator: "; ")
        }
        let reply = try await server.post("/\(NetworkAPI.prefix)/admit", json: AdmitRequest(client: options.id, token: token, refusal: refusal))
        guard reply.status == 200, let token else {
            throw NetworkError.notAdmitted(reply.status == 200 ? (refusal ?? "no token") : reply.text())
        }
        server.headers = [
            (NetworkAPI.clientHeader, "\(options.id)"), (NetworkAPI.tokenHeader, try NetworkAPI.tokenDigest(token)),
        ]
        options.log("admitted for session \(session) round \(round)")
        return round
    }

    /// One round. - Returns: whether this client completed every phase (false: it was dropped).
    func participate(
        round r: Int, server: HTTPPeer, train: Dataset, shard: [Int], architecture: ModelArchitecture, sgd: SGDConfiguration,
        seed: UInt64, signatureKeys: inout [Int: SignatureVerificationKey]
    ) async throws -> Bool {
        let planReply = try await server.get("/\(NetworkAPI.prefix)/round/\(r)/plan", limit: 1 << 20)
        guard planReply.status == 200 else {
            options.log("round \(r): no plan (\(planReply.status): \(planReply.text()))")
            return false
        }
        let plan = try JSONDecoder().decode(RoundPlan.self, from: Data(planReply.body))
        let modelReply = try await server.get("/\(NetworkAPI.prefix)/round/\(r)/model")
        guard modelReply.status == 200 else {
            options.log("round \(r): no model (\(modelReply.status): \(modelReply.text()))")
            return false
        }
        let (modelRound, parameters) = try PlainMessages.decodeGlobalModel(modelReply.body)
        guard modelRound == r else { throw NetworkError.malformed(what: "model", reason: "for round \(modelRound), expected \(r)") }
        let global = try Model(architecture, parameters: parameters)
        var local = global
        let summary = try local.train(
            on: train, indices: shard, configuration: sgd,
            seed: deriveSeed(seed, r - 1, options.id - 1, SeedPurpose.localTraining.rawValue))
        let update = ClientUpdate(clientID: options.id - 1, delta: try local.delta(from: global), sampleCount: summary.sampleCount)
        if let directory = options.recordDirectory { try record(update, round: r, in: directory) }
        var client = try RoundProtocolFactory.client(
            for: plan, update: update, identity: plan.isAuthenticated ? try identity(for: plan, signatureKeys: &signatureKeys) : nil)
        for k in 0..<plan.phaseCount {
            var download: [UInt8]?
            if k > 0 {
                guard let bytes = try await fetch(round: r, phase: k - 1, server: server) else { return false }
                download = bytes
            }
            let upload = try client.upload(phase: k, after: download)
            let reply = try await server.post("/\(NetworkAPI.prefix)/round/\(r)/phase/\(k)", bytes: upload)
            guard reply.status == 202 else {
                options.log("round \(r) phase \(k): \(reply.status): \(reply.text())")
                return false
            }
            if let crash = options.crashAfter, crash.round == r, crash.phase == k {
                options.log("crashing after phase \(k) of round \(r), as asked")
                #if canImport(Glibc)
                kill(getpid(), SIGKILL)
                #endif
                exit(137)
            }
        }
        options.log("round \(r): done")
        return true
    }

    /// This client's signer and its peers' keys for an authenticated round: protocol id i is registered client
    /// `plan.participants[i − 1]`, whose key comes from the client's own registry (checked as a signature key
    /// the first time it takes part, then kept in `signatureKeys`).
    func identity(for plan: RoundPlan, signatureKeys: inout [Int: SignatureVerificationKey]) throws
        -> (signer: any MaskingSigner, verifier: any MaskingIdentityVerifier)
    {
        guard let registry = options.registry else {
            throw NetworkError.unsupported(
                "round \(plan.round) runs authenticated masking: the client needs the registry to verify its peers (secagg client --registry)")
        }
        guard plan.participants.indices.contains(Int(plan.protocolID) - 1), plan.participants[Int(plan.protocolID) - 1] == options.id,
            Set(plan.participants).count == plan.participants.count
        else {
            throw NetworkError.malformed(what: "plan", reason: "the participants do not list client \(options.id) as protocol id \(plan.protocolID)")
        }
        var keys: [UInt32: SignatureVerificationKey] = [:]
        for (i, participant) in plan.participants.enumerated() {
            guard registry.indices.contains(participant - 1) else {
                throw NetworkError.malformed(what: "plan", reason: "participant \(participant) is not in the registry")
            }
            let key = try signatureKeys[participant] ?? SignatureVerificationKey(registry[participant - 1])
            signatureKeys[participant] = key
            keys[UInt32(i + 1)] = key
        }
        return (AdmissionMaskingSigner(key: options.key), AdmissionIdentityDirectory(keys: keys))
    }

    /// The server's message ending `phase`; nil when this client was dropped or the round ended.
    func fetch(round r: Int, phase k: Int, server: HTTPPeer) async throws -> [UInt8]? {
        while true {
            let reply = try await server.get("/\(NetworkAPI.prefix)/round/\(r)/phase/\(k)")
            switch reply.status {
            case 200: return reply.body
            case 204: continue
            default:
                options.log("round \(r) phase \(k): \(reply.status): \(reply.text())")
                return nil
            }
        }
    }

    func record(_ update: ClientUpdate, round r: Int, in directory: String) throws {
        struct Recorded: Encodable {
            let client: Int
            let round: Int
            let weight: Int
            let delta: [Float]
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent("client-\(options.id)-round-\(r).json")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try NetworkAPI.canonicalJSON(Recorded(client: options.id, round: r, weight: update.sampleCount, delta: update.delta))
                .write(to: path)
        } catch {
            throw NetworkError.file(path: path.path, reason: "cannot write the update record")
        }
    }
}
