import CryptoPrimitives
import SecureAggregation
import Testing

/// A deterministic generator for tests: HMAC_DRBG seeded from a label.
func testRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("secure-aggregation tests: \(label)".utf8)))
}

/// A uniform integer in 0..<bound.
func uniform(_ bound: Int, using rng: inout HmacDrbg) throws -> Int {
    Int(try rng.nextUInt64() % UInt64(bound))
}

/// `count` distinct ids of 1...n in random order.
func randomIDs(count: Int, of n: Int, using rng: inout HmacDrbg) throws -> [UInt32] {
    var pool = (1...n).map { UInt32($0) }
    var out = [UInt32]()
    for _ in 0..<count { out.append(pool.remove(at: try uniform(pool.count, using: &rng))) }
    return out
}

/// Random vectors in Z_2^k, one per client id 1...n.
func randomInputs<Word: RingWord>(
    _: Word.Type, clients n: Int, length: Int, bits k: Int, using rng: inout HmacDrbg
) throws -> [UInt32: [Word]] {
    let mask: UInt64 = k == 64 ? .max : (1 << UInt64(k)) - 1
    var out: [UInt32: [Word]] = [:]
    for id in 1...n {
        out[UInt32(id)] = try (0..<length).map { _ in Word(truncatingIfNeeded: try rng.nextUInt64() & mask) }
    }
    return out
}

/// Σ inputs[id] for `ids`, mod 2^k.
func plainSum<Word: RingWord>(_ inputs: [UInt32: [Word]], of ids: [UInt32], bits k: Int, length: Int) -> [Word] {
    let mask = k >= Word.bitWidth ? Word.max : (Word(1) << Word(k)) - 1
    var sum = [Word](repeating: 0, count: length)
    for id in ids {
        for (i, v) in (inputs[id] ?? []).enumerated() { sum[i] &+= v }
    }
    return sum.map { $0 & mask }
}

// The two protocols have the same round methods; these protocols let one simulation drive both.

protocol MaskingClient {
    associatedtype Word: RingWord
    var id: UInt32 { get }
    var abortReason: SecAggError? { get }
    mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys
    mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys
    mutating func maskedInput(_ delivery: ShareDelivery, input: [Word]) throws(SecAggError) -> MaskedInput
    mutating func consistencyCheck(_ request: ConsistencyCheckRequest) throws(SecAggError) -> ConsistencySignature
    mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares
}

protocol MaskingServer {
    associatedtype Word: RingWord
    var maskedInputClients: [UInt32] { get }
    var isAuthenticated: Bool { get }
    mutating func receive(encoded bytes: [UInt8]) throws(SecAggError)
    mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory]
    mutating func finishShareKeys() throws(SecAggError) -> [ShareDelivery]
    mutating func finishMaskedInput() throws(SecAggError) -> [UnmaskRequest]
    mutating func finishMaskedInputForConsistencyCheck() throws(SecAggError) -> [ConsistencyCheckRequest]
    mutating func finishConsistencyCheck() throws(SecAggError) -> [UnmaskRequest]
    mutating func finishUnmasking() throws(SecAggError) -> [Word]
    func result() throws(SecAggError) -> [Word]
}

extension MaskedAggregationClient: MaskingClient {}
extension SecAggPlusClient: MaskingClient {}
extension MaskedAggregationServer: MaskingServer {}
extension SecAggPlusServer: MaskingServer {}

/// One simulated run: every message goes through its wire encoding (`encoded()` / `init(decoding:)`).
struct Simulation<Client: MaskingClient, Server: MaskingServer> where Client.Word == Server.Word {
    typealias Word = Client.Word
    var clients: [UInt32: Client]
    var server: Server
    let inputs: [UInt32: [Word]]
    /// A client sends nothing from this round on.
    var dropAt: [UInt32: ProtocolRound] = [:]
    /// Bytes sent by clients and by the server.
    var uploadBytes = 0
    var downloadBytes = 0

    init(clients: [Client], server: Server, inputs: [UInt32: [Word]]) {
        self.clients = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0) })
        self.server = server
        self.inputs = inputs
    }

    func alive(_ id: UInt32, in round: ProtocolRound) -> Bool {
        guard let drop = dropAt[id] else { return true }
        return round < drop
    }

    mutating func upload(_ bytes: [UInt8]) throws(SecAggError) {
        uploadBytes += bytes.count
        try server.receive(encoded: bytes)
    }

    mutating func roundZero() throws(SecAggError) -> [KeyDirectory] {
        for id in clients.keys.sorted() where alive(id, in: .advertiseKeys) {
            try upload(try clients[id]!.advertiseKeys().encoded())
        }
        return try server.finishAdvertiseKeys()
    }

    mutating func roundOne(_ directories: [KeyDirectory]) throws(SecAggError) -> [ShareDelivery] {
        for d in directories where alive(d.header.receiver, in: .shareKeys) {
            let bytes = d.encoded()
            downloadBytes += bytes.count
            try upload(try clients[d.header.receiver]!.shareKeys(try KeyDirectory(decoding: bytes)).encoded())
        }
        return try server.finishShareKeys()
    }

    /// Round 2 up to the server's finish: unauthenticated, the unmasking requests; authenticated, the
    /// consistency round too (``roundTwoAndAHalf(_:)``).
    mutating func roundTwo(_ deliveries: [ShareDelivery]) throws(SecAggError) -> [UnmaskRequest] {
        try sendMaskedInputs(deliveries)
        if server.isAuthenticated { return try roundTwoAndAHalf(try server.finishMaskedInputForConsistencyCheck()) }
        return try server.finishMaskedInput()
    }

    mutating func sendMaskedInputs(_ deliveries: [ShareDelivery]) throws(SecAggError) {
        for d in deliveries where alive(d.header.receiver, in: .maskedInput) {
            let id = d.header.receiver
            let bytes = d.encoded()
            downloadBytes += bytes.count
            try upload(try clients[id]!.maskedInput(try ShareDelivery(decoding: bytes), input: inputs[id]!).encoded())
        }
    }

    /// Authenticated variant: every live client of U3 checks and signs U3.
    mutating func roundTwoAndAHalf(_ requests: [ConsistencyCheckRequest]) throws(SecAggError) -> [UnmaskRequest] {
        for r in requests where alive(r.header.receiver, in: .consistencyCheck) {
            let bytes = r.encoded()
            downloadBytes += bytes.count
            try upload(try clients[r.header.receiver]!.consistencyCheck(try ConsistencyCheckRequest(decoding: bytes)).encoded())
        }
        return try server.finishConsistencyCheck()
    }

    mutating func roundThree(_ requests: [UnmaskRequest]) throws(SecAggError) -> [Word] {
        for r in requests where alive(r.header.receiver, in: .unmasking) {
            let bytes = r.encoded()
            downloadBytes += bytes.count
            try upload(try clients[r.header.receiver]!.unmask(try UnmaskRequest(decoding: bytes)).encoded())
        }
        return try server.finishUnmasking()
    }

    /// All four rounds; returns the server's sum.
    mutating func run() throws(SecAggError) -> [Word] {
        try roundThree(try roundTwo(try roundOne(try roundZero())))
    }
}

typealias MaskingSimulation<W: RingWord> = Simulation<MaskedAggregationClient<W>, MaskedAggregationServer<W>>
typealias PlusSimulation<W: RingWord> = Simulation<SecAggPlusClient<W>, SecAggPlusServer<W>>

/// Test identities for the authenticated variant, without the Admission layer: client u's "signature" is
/// HMAC-SHA-256 under a key derived from (`realm`, u). Only the verifier and u know that key, so within a
/// test it behaves like a signature for the protocol's purposes (unforgeable by anyone else, bound to the
/// message and the client); the harness tests run the real Admission signatures.
struct TestIdentities: MaskingIdentityVerifier {
    let realm: String
    /// Clients with an identity (nil: all).
    var admitted: Set<UInt32>?

    init(realm: String = "test identities", admitted: Set<UInt32>? = nil) {
        self.realm = realm
        self.admitted = admitted
    }

    func key(_ client: UInt32) -> [UInt8] { Sha256.hash(Array("\(realm) \(client)".utf8)) }

    func signer(for client: UInt32) -> TestSigner { TestSigner(key: key(client)) }

    func verify(_ signature: [UInt8], on message: [UInt8], by client: UInt32) -> Bool {
        if let admitted, !admitted.contains(client) { return false }
        return HmacSha256.isValid(authenticationCode: signature, for: message, key: key(client))
    }
}

struct TestSigner: MaskingSigner {
    let key: [UInt8]
    func sign(_ message: [UInt8]) throws(SecAggError) -> [UInt8] {
        HmacSha256.authenticationCode(for: message, key: key)
    }
}

/// A masking simulation with clients 1...n and random inputs (authenticated: every client gets an identity
/// of `identities` and the server `server` authentication).
func makeMasking<W: RingWord>(
    _: W.Type, n: Int, t: Int, length: Int, bits: Int, session: UInt64 = 7, label: String,
    authenticated: Bool = false, identities: TestIdentities = TestIdentities(),
    server authentication: MaskingServerAuthentication? = nil
) throws -> MaskingSimulation<W> {
    var rng = try testRandom(label)
    let p = try MaskedAggregationParameters(clientCount: n, threshold: t, vectorLength: length, ringBits: bits,
                                            session: session)
    let clients = try (1...n).map {
        authenticated
            ? try MaskedAggregationClient<W>(id: UInt32($0), parameters: p, signer: identities.signer(for: UInt32($0)),
                                             verifier: identities, using: &rng)
            : try MaskedAggregationClient<W>(id: UInt32($0), parameters: p, using: &rng)
    }
    let inputs = try randomInputs(W.self, clients: n, length: length, bits: bits, using: &rng)
    let mode = authentication ?? (authenticated ? .authenticated : .unauthenticated)
    return Simulation(clients: clients,
                      server: try MaskedAggregationServer<W>(parameters: p, authentication: mode, maximumThreads: 2),
                      inputs: inputs)
}

/// A SecAgg+ simulation with clients 1...n and random inputs (authenticated as for ``makeMasking``).
func makePlus<W: RingWord>(
    _: W.Type, n: Int, k: Int, t: Int, length: Int, bits: Int, label: String, authenticated: Bool = false,
    identities: TestIdentities = TestIdentities()
) throws -> PlusSimulation<W> {
    var rng = try testRandom(label)
    let p = try SecAggPlusParameters(clientCount: n, neighbours: k, threshold: t, vectorLength: length, ringBits: bits,
                                     session: 11, graphSeed: try rng.bytes(count: 32))
    let clients = try (1...n).map {
        authenticated
            ? try SecAggPlusClient<W>(id: UInt32($0), parameters: p, signer: identities.signer(for: UInt32($0)),
                                      verifier: identities, using: &rng)
            : try SecAggPlusClient<W>(id: UInt32($0), parameters: p, using: &rng)
    }
    let inputs = try randomInputs(W.self, clients: n, length: length, bits: bits, using: &rng)
    return Simulation(clients: clients,
                      server: try SecAggPlusServer<W>(parameters: p, authentication: authenticated ? .authenticated : .unauthenticated,
                                                      maximumThreads: 2),
                      inputs: inputs)
}

/// Asserts that `body` throws exactly `expected`.
func expectError<T>(
    _ expected: SecAggError, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(SecAggError) -> T
) {
    do {
        _ = try body()
        Issue.record("expected \(expected), got success", sourceLocation: sourceLocation)
    } catch {
        #expect(error == expected, sourceLocation: sourceLocation)
    }
}

/// Asserts that `body` throws some SecAggError matching `predicate`.
func expectError<T>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(SecAggError) -> T,
    matching predicate: (SecAggError) -> Bool
) {
    do {
        _ = try body()
        Issue.record("expected an error, got success", sourceLocation: sourceLocation)
    } catch {
        #expect(predicate(error), "unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
