import Admission
import CryptoPrimitives
import FederatedLearning
import Foundation
import Harness
import Hummingbird
import HummingbirdTesting
@testable import Networked
import Testing

/// A tiny networked experiment: a synthetic config, a t-of-A dealing, the registered clients' keys (client id
/// i is `keys[i − 1]`), an unregistered key, and the authorities as values (issuing is called directly).
struct Fixture: Sendable {
    let config: ExperimentConfig
    let dealing: AdmissionDealing
    let keys: [ClientSecretKey]
    /// A key nobody registered (an impostor).
    let stranger: ClientSecretKey
    let session: String
    /// Authorities that serve any session (so tests can make tokens for the wrong session).
    let issuers: [AuthorityService]

    /// - Parameters:
    ///   - protection: `none`, `masking` or `secagg+`.
    ///   - clientsPerRound: nil: every client.
    ///   - perRound: admission before every round (tokens bound to the round) rather than once.
    ///   - authenticated: authenticated masking (clients sign with their admission keys).
    init(
        protection: String = "masking", clients: Int = 4, clientsPerRound: Int? = nil, rounds: Int = 2, authorities: Int = 3,
        threshold: Int = 2, perRound: Bool = false, authenticated: Bool = false
    ) throws {
        let protectionJSON =
            protection == "none"
            ? #"{"kind": "none"}"# : #"{"kind": "\#(protection)", "value_bits": 16, "clip": 4, "authenticated": \#(authenticated)}"#
        let json = """
            {
              "seed": 7,
              "dataset": {"kind": "synthetic", "classes": 3, "features": 8, "train": 400, "test": 120, "separation": 4.0, "noise": 1.0},
              "partition": {"kind": "iid"},
              "model": {"kind": "softmax"},
              "clients": \(clients),
              "clients_per_round": \(clientsPerRound ?? clients),
              "rounds": \(rounds),
              "local_epochs": 1,
              "batch_size": 16,
              "learning_rate": 0.1,
              "protection": \(protectionJSON),
              "admission": {"authorities": \(authorities), "threshold": \(threshold), "per_round": \(perRound)}
            }
            """
        config = try ExperimentConfig.parse(Data(json.utf8), baseDirectory: FileManager.default.temporaryDirectory.path)
        var rng = SystemRandom()
        let dealing = try AdmissionDealing.deal(threshold: threshold, authorityCount: authorities, using: &rng)
        self.dealing = dealing
        var keys: [ClientSecretKey] = []
        for _ in 0..<clients { keys.append(try ClientSecretKey.generate(using: &rng)) }
        self.keys = keys
        stranger = try ClientSecretKey.generate(using: &rng)
        session = "test-\(UUID().uuidString.prefix(8))"
        let registry = keys.map(\.publicKey)
        issuers = try dealing.authorityKeys.map { key in
            try AuthorityService(
                file: AuthorityKeyFile(key: key.serialized(), parameters: dealing.parameters), registry: registry, session: nil)
        }
    }

    var registry: [ClientPublicKey] { keys.map(\.publicKey) }

    /// The authority service of authority j (1-based), bound to this fixture's session (as `secagg authority`).
    func authority(_ j: Int) throws -> AuthorityService {
        let key = try #require(dealing.authorityKeys.first { $0.index == j })
        return try AuthorityService(
            file: AuthorityKeyFile(key: key.serialized(), parameters: dealing.parameters), registry: registry, session: session)
    }

    func settings(
        admission: Duration = .seconds(20), training: Duration = .seconds(30), phase: Duration = .seconds(5),
        rateLimit: Double = NetworkAPI.defaultRateLimit, rateBurst: Double? = nil
    ) -> CoordinatorSettings {
        CoordinatorSettings(
            runID: session, registry: registry, admission: dealing.parameters, admissionTimeout: admission,
            trainingTimeout: training, phaseTimeout: phase, rateLimit: rateLimit, rateBurst: rateBurst)
    }

    func coordinator(
        _ settings: CoordinatorSettings? = nil, resume: (round: Int, parameters: [Float], records: [RoundRecord])? = nil
    ) throws -> Coordinator {
        try Coordinator(config: config, settings: settings ?? self.settings(), resume: resume)
    }

    /// The key of registered client `id`.
    func key(_ id: Int) throws -> ClientSecretKey {
        try #require(keys.indices.contains(id - 1) ? keys[id - 1] : nil, "no client \(id)")
    }

    /// A token for `key` in (`session`, `round`): a proof, t token shares from the first t authorities, combined.
    func token(_ key: ClientSecretKey, session: String? = nil, round: UInt64 = 1) throws -> AdmissionToken {
        let session = session ?? self.session
        var rng = SystemRandom()
        let proof = try AdmissionProof.prove(key: key, parameters: dealing.parameters, session: session, round: round, using: &rng)
        var shares: [TokenShare] = []
        for issuer in issuers.prefix(dealing.parameters.threshold) { shares.append(try issuer.issue(IssueRequest(proof: proof))) }
        return try AdmissionToken.combine(
            shares, client: key.publicKey, session: session, round: round, parameters: dealing.parameters
        ).token
    }

    func token(client id: Int, session: String? = nil, round: UInt64 = 1) throws -> AdmissionToken {
        try token(key(id), session: session, round: round)
    }
}

/// A failure of the test machinery itself (a timeout, a server that did not start).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds. - Throws: ``TestFailure`` after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A deterministic generator for the fuzz cases (SplitMix64).
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// Collects what a coordinator reports (its listener is `Sendable` and called on the actor).
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [CoordinatorEvent] = []

    func listener() -> @Sendable (CoordinatorEvent) -> Void {
        { [self] event in
            lock.lock()
            events.append(event)
            lock.unlock()
        }
    }

    var all: [CoordinatorEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }

    /// The finished rounds: record, global parameters after the round, aggregate.
    var rounds: [(record: RoundRecord, parameters: [Float], aggregate: AggregateUpdate)] {
        all.compactMap { event in
            if case .round(let record, let parameters, let aggregate) = event { return (record, parameters, aggregate) }
            return nil
        }
    }
}

// MARK: - HTTP helpers for the router tests

/// Sends requests to a router through HummingbirdTesting (no sockets).
struct RouterClient: Sendable {
    let client: any TestClientProtocol

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, headers: HTTPFields = [:], bytes: [UInt8]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    func post(_ uri: String, headers: HTTPFields = [:], json value: some Encodable) async throws -> TestResponse {
        try await post(uri, headers: headers, bytes: Array(NetworkAPI.canonicalJSON(value)))
    }

    func admit(_ request: AdmitRequest) async throws -> TestResponse {
        try await post("/v1/admit", json: request)
    }
}

/// Runs `body` against `router` through HummingbirdTesting's router framework.
func withRouter<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: @Sendable (RouterClient) async throws -> T
) async throws -> T {
    let app = Application(router: router)
    return try await app.test(.router) { client in try await body(RouterClient(client: client)) }
}

extension TestResponse {
    var code: Int { status.code }
    var bytes: [UInt8] { Array(body.readableBytesView) }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bytes))
    }

    /// The `error` of a JSON error body (nil when the body is not one).
    var errorMessage: String? { try? decode(ErrorBody.self).error }
}

/// The admission headers of client `id` with token header `digest`.
func authHeaders(client id: String?, digest: String?) throws -> HTTPFields {
    var headers = HTTPFields()
    if let id { headers[try fieldName(NetworkAPI.clientHeader)] = id }
    if let digest { headers[try fieldName(NetworkAPI.tokenHeader)] = digest }
    return headers
}

func authHeaders(client id: Int, token: AdmissionToken) throws -> HTTPFields {
    try authHeaders(client: "\(id)", digest: NetworkAPI.tokenDigest(token))
}

func fieldName(_ name: String) throws -> HTTPFields.Element.Name {
    try #require(HTTPFields.Element.Name(name))
}

/// Admits every client of `ids` through the router with a fresh token. - Returns: the tokens by id.
func admitAll(_ ids: [Int], _ fixture: Fixture, _ client: RouterClient) async throws -> [Int: AdmissionToken] {
    var tokens: [Int: AdmissionToken] = [:]
    for id in ids {
        let token = try fixture.token(client: id)
        let response = try await client.admit(AdmitRequest(client: id, token: token))
        #expect(response.code == 200, "admitting client \(id): \(response.text)")
        tokens[id] = token
    }
    return tokens
}

/// A protocol participant driven by hand through the router: its plan, its update and its protocol state.
struct ManualParticipant {
    let id: Int
    let headers: HTTPFields
    let plan: RoundPlan
    let update: ClientUpdate
    var machine: any RoundAggregationClient

    /// Fetches the plan of round `round` and makes a small update (values in ±0.5, weight ≤ W).
    init(id: Int, round: Int, token: AdmissionToken, client: RouterClient, rng: inout SplitMix64) async throws {
        self.id = id
        headers = try authHeaders(client: id, token: token)
        let response = try await client.get("/v1/round/\(round)/plan", headers: headers)
        #expect(response.code == 200, "plan of client \(id): \(response.text)")
        plan = try response.decode(RoundPlan.self)
        let modelResponse = try await client.get("/v1/round/\(round)/model", headers: headers)
        #expect(modelResponse.code == 200)
        let (modelRound, parameters) = try PlainMessages.decodeGlobalModel(modelResponse.bytes)
        #expect(modelRound == round)
        let delta = (0..<parameters.count).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        update = ClientUpdate(clientID: id - 1, delta: delta, sampleCount: Int.random(in: 1...plan.maxWeight, using: &rng))
        machine = try RoundProtocolFactory.client(for: plan, update: update)
    }

    /// The upload of `phase`, fetching the server's message that ended the previous phase first.
    mutating func upload(phase: Int, client: RouterClient) async throws -> [UInt8] {
        var download: [UInt8]?
        if phase > 0 {
            // Long poll: 204 while the phase is still open.
            var response = try await client.get("/v1/round/\(plan.round)/phase/\(phase - 1)", headers: headers)
            while response.code == 204 {
                response = try await client.get("/v1/round/\(plan.round)/phase/\(phase - 1)", headers: headers)
            }
            #expect(response.code == 200, "client \(id) fetching phase \(phase - 1): \(response.code) \(response.text)")
            download = response.bytes
        }
        return try machine.upload(phase: phase, after: download)
    }
}
