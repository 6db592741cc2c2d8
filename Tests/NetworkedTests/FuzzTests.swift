import Admission
import CryptoPrimitives
import FederatedLearning
import Foundation
import Harness
import Hummingbird
import HummingbirdTesting
@testable import Networked
import Testing

/// Malformed, truncated, bit-flipped and oversized requests: every answer is a 4xx, and nothing changes.
@Suite struct FuzzTests {
    /// Counts answers by status code, for the test's log line.
    struct Tally: CustomStringConvertible {
        var codes: [Int: Int] = [:]
        var total: Int { codes.values.reduce(0, +) }
        mutating func add(_ code: Int) { codes[code, default: 0] += 1 }
        var description: String { codes.keys.sorted().map { "\($0)×\(codes[$0] ?? 0)" }.joined(separator: " ") }
    }

    @Test(arguments: ["masking", "none"])
    func coordinatorEndpoints(protection: String) async throws {
        let f = try Fixture(protection: protection, clientsPerRound: 3)
        // A long first phase (nobody uploads during the fuzz) and no rate limit in the way.
        let coordinator = try f.coordinator(f.settings(training: .seconds(600), rateLimit: 1_000_000))
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            let before = await coordinator.status()
            let finishedBefore = await coordinator.finishedRounds()
            let a = before.selected[0], b = before.selected[1]
            var rng = SplitMix64(seed: 0x5EC_A66)
            var participant = try await ManualParticipant(
                id: a, round: 1, token: try #require(tokens[a]), client: client, rng: &rng)
            let validUpload = try await participant.upload(phase: 0, client: client)

            // POST /v1/admit.
            var admitTally = Tally()
            let fresh = try f.token(client: a)
            let validAdmit = Array(try NetworkAPI.canonicalJSON(AdmitRequest(client: a, token: fresh)))
            let admitCases = FuzzCases.make(
                valid: validAdmit, seed: 1, truncationStep: max(1, validAdmit.count / 150), flips: 300, json: true)
            for c in admitCases {
                let response = try await client.post("/v1/admit", bytes: c.body)
                admitTally.add(response.code)
                if let decoded = try? JSONDecoder().decode(AdmitRequest.self, from: Data(c.body)), decoded.client == a,
                    decoded.token == fresh
                {
                    // The same request in other words: a second token for an admitted client.
                    #expect(response.code == 409, "admit, \(c.name): \(response.code) \(response.text)")
                } else {
                    #expect((400..<500).contains(response.code), "admit, \(c.name): \(response.code) \(response.text)")
                }
            }
            let tooLarge = try await client.post("/v1/admit", bytes: [UInt8](repeating: 0x20, count: NetworkAPI.maximumJSONBody + 1))
            #expect(tooLarge.code == 413)
            let atLimit = try await client.post("/v1/admit", bytes: [UInt8](repeating: 0x20, count: NetworkAPI.maximumJSONBody))
            #expect(atLimit.code == 400, "a body at the limit is read (and is not JSON)")
            let huge = try await client.post("/v1/admit", bytes: [UInt8](repeating: 0x7B, count: 4 * NetworkAPI.maximumJSONBody))
            #expect(huge.code == 413)
            #expect(admitTally.total > 300)

            // POST /v1/round/1/phase/0, authenticated as a selected client that has not uploaded yet. Every bit of
            // the envelope is checked (a flip in a payload value may still be a well-formed message, so only the
            // header is flipped: magic, version, protocol, type, session, sender, receiver, length — or for the
            // plain update: magic, version, type, round, client index).
            var uploadTally = Tally()
            let uploadURI = "/v1/round/1/phase/0"
            let headerLength = protection == "none" ? 12 : 25
            var uploadCases = FuzzCases.make(
                valid: validUpload, seed: 2, truncationStep: max(1, validUpload.count / 200), flipPositions: 0..<headerLength,
                json: false)
            if protection == "none" { uploadCases += try plainUpdateCases(participant, coordinator: coordinator, other: b) }
            for c in uploadCases {
                let response = try await client.post(uploadURI, headers: participant.headers, bytes: c.body)
                uploadTally.add(response.code)
                #expect((400..<500).contains(response.code), "upload, \(c.name): \(response.code) \(response.text)")
            }
            let limit = CoordinatorServer.protocolBodyLimit(coordinator)
            let over = try await client.post(uploadURI, headers: participant.headers, bytes: [UInt8](repeating: 0, count: limit + 1))
            #expect(over.code == 413)
            let exactly = try await client.post(uploadURI, headers: participant.headers, bytes: [UInt8](repeating: 0, count: limit))
            #expect(exactly.code == 400)
            // Strangers are refused before their body is read.
            let stranger = try await client.post(uploadURI, bytes: [UInt8](repeating: 0, count: limit + 1))
            #expect(stranger.code == 401)
            #expect(uploadTally.total > 300)

            // Admission headers: random values.
            var headerTally = Tally()
            let digestA = try NetworkAPI.tokenDigest(try #require(tokens[a]))
            for i in 0..<200 {
                let id: String? =
                    switch i % 4 {
                    case 0: "\(a)"
                    case 1: nil
                    default: randomPrintable(&rng, maxLength: 24)
                    }
                let digest: String? =
                    switch i % 5 {
                    case 0: nil
                    case 1: String(digestA.prefix(Int.random(in: 0..<64, using: &rng)))
                    case 2: digestA.map { _ in "0123456789abcdef".randomElement(using: &rng) ?? "0" }.map(String.init).joined()
                    default: randomPrintable(&rng, maxLength: 100)
                    }
                if id == "\(a)", digest == digestA { continue }
                let headers = try authHeaders(client: id, digest: digest)
                for uri in ["/v1/round/1/plan", uploadURI] {
                    let response = try await client.client.execute(
                        uri: uri, method: uri == uploadURI ? .post : .get, headers: headers,
                        body: uri == uploadURI ? ByteBuffer(bytes: validUpload) : nil)
                    headerTally.add(response.code)
                    #expect([401, 403].contains(response.code), "headers \(id ?? "-")/\(digest ?? "-"): \(response.code)")
                }
            }

            // Malformed path parameters, with valid credentials.
            var pathTally = Tally()
            let badValues = [
                "abc", "-1", "99999999999999999999999", "9223372036854775808", "-9223372036854775808", "1.0", "0x1", "1e3",
                "%20", "+-1", "%FF", "１", "1%00", "--1", "NaN",
            ]
            var uris: [String] = ["/v1/round//phase/0", "/v1/round/1/phase/", "/v1/round/1/phase/0/extra", "/v1/round/1/plan/x"]
            for v in badValues {
                uris += ["/v1/round/\(v)/plan", "/v1/round/\(v)/model", "/v1/round/\(v)/phase/0", "/v1/round/1/phase/\(v)", "/v1/round/\(v)/phase/\(v)"]
            }
            uris += ["/v1/round/9223372036854775807/plan", "/v1/round/1/phase/9223372036854775807"]
            for uri in uris {
                for method in [HTTPRequest.Method.get, .post] {
                    let response = try await client.client.execute(
                        uri: uri, method: method, headers: participant.headers,
                        body: method == .post ? ByteBuffer(bytes: [0x46]) : nil)
                    pathTally.add(response.code)
                    #expect((400..<500).contains(response.code), "\(method) \(uri): \(response.code) \(response.text)")
                }
            }

            print(
                "fuzz (\(protection)): admit \(admitTally); upload \(uploadTally); headers \(headerTally); paths \(pathTally)")

            // Nothing changed: the status, the finished rounds, and the client can still upload its message.
            #expect(await coordinator.status() == before)
            #expect(await coordinator.finishedRounds() == finishedBefore)
            let genuine = try await client.post(uploadURI, headers: participant.headers, bytes: validUpload)
            #expect(genuine.code == 202, "\(genuine.text)")
            #expect(await coordinator.status().admitted == [1, 2, 3, 4])
        }
    }

    /// Well-formed plain updates that break a rule: NaN, weights out of range, wrong lengths, another client's
    /// index, another round, a weight beyond `Int`.
    func plainUpdateCases(_ p: ManualParticipant, coordinator: Coordinator, other: Int) throws -> [FuzzCases.Case] {
        let u = p.update
        let maxWeight = p.plan.maxWeight
        func encoded(round: Int = 1, clientID: Int? = nil, delta: [Float]? = nil, weight: Int? = nil) -> [UInt8] {
            PlainMessages.update(
                round: round, ClientUpdate(clientID: clientID ?? u.clientID, delta: delta ?? u.delta, sampleCount: weight ?? u.sampleCount))
        }
        var nan = u.delta
        nan[0] = .nan
        var infinite = u.delta
        infinite[infinite.count - 1] = -.infinity
        var hugeWeight = encoded()
        for i in 12..<20 { hugeWeight[i] = 0xFF }
        return [
            .init(name: "NaN", body: encoded(delta: nan)),
            .init(name: "−∞", body: encoded(delta: infinite)),
            .init(name: "weight 0", body: encoded(weight: 0)),
            .init(name: "weight W + 1", body: encoded(weight: maxWeight + 1)),
            .init(name: "weight 2^64 − 1", body: hugeWeight),
            .init(name: "one value short", body: encoded(delta: Array(u.delta.dropLast()))),
            .init(name: "one value more", body: encoded(delta: u.delta + [0])),
            .init(name: "no values", body: encoded(delta: [])),
            .init(name: "another client's index", body: encoded(clientID: other - 1)),
            .init(name: "round 2", body: encoded(round: 2)),
            .init(name: "round 0", body: encoded(round: 0)),
            .init(name: "a global model message", body: PlainMessages.globalModel(round: 1, parameters: u.delta)),
        ]
    }

    func randomPrintable(_ rng: inout SplitMix64, maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        return String(decoding: (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }, as: UTF8.self)
    }

    /// The authority's router: malformed issue requests are 4xx; the valid one is served before and after.
    @Test func authorityEndpoint() async throws {
        let f = try Fixture()
        let service = try f.authority(2)
        var random = SystemRandom()
        let key = try f.key(1)
        let proof = try AdmissionProof.prove(key: key, parameters: f.dealing.parameters, session: f.session, round: 1, using: &random)
        let valid = IssueRequest(proof: proof)
        let validBytes = Array(try NetworkAPI.canonicalJSON(valid))
        try await withRouter(service.router()) { client in
            var random = SystemRandom()
            let info = try await client.get("/v1/authority")
            #expect(info.code == 200)
            #expect(try info.decode([String: Int].self) == ["authority": 2])

            let served = try await client.post("/v1/authority/issue", bytes: validBytes)
            #expect(served.code == 200, "\(served.text)")
            let share = try served.decode(TokenShare.self)
            #expect(share.authority == 2)
            #expect(share.client == key.publicKey)
            #expect(share.session == f.session)

            // Refusals.
            let otherSession = try AdmissionProof.prove(
                key: key, parameters: f.dealing.parameters, session: "another", round: 1, using: &random)
            #expect(try await client.post("/v1/authority/issue", json: IssueRequest(proof: otherSession)).code == 403)
            let stranger = try AdmissionProof.prove(
                key: f.stranger, parameters: f.dealing.parameters, session: f.session, round: 1, using: &random)
            #expect(try await client.post("/v1/authority/issue", json: IssueRequest(proof: stranger)).code == 403)
            var forged = proof
            forged.response = proof.commitment
            #expect(try await client.post("/v1/authority/issue", json: IssueRequest(proof: forged)).code == 403)
            var replayed = proof
            replayed.round = 2
            #expect(try await client.post("/v1/authority/issue", json: IssueRequest(proof: replayed)).code == 403)

            var tally = Tally()
            let cases = FuzzCases.make(
                valid: validBytes, seed: 3, truncationStep: max(1, validBytes.count / 150), flips: 300, json: true)
            for c in cases {
                let response = try await client.post("/v1/authority/issue", bytes: c.body)
                tally.add(response.code)
                if let decoded = try? JSONDecoder().decode(IssueRequest.self, from: Data(c.body)), decoded.proof == proof {
                    #expect(response.code == 200, "issue, \(c.name) is the valid request: \(response.code)")
                } else {
                    #expect((400..<500).contains(response.code), "issue, \(c.name): \(response.code) \(response.text)")
                }
            }
            #expect(tally.total > 300)
            let tooLarge = try await client.post(
                "/v1/authority/issue", bytes: [UInt8](repeating: 0x20, count: NetworkAPI.maximumJSONBody + 1))
            #expect(tooLarge.code == 413)
            for uri in ["/v1/authority/issue/x", "/v1/authority/issues"] {
                #expect((400..<500).contains(try await client.post(uri, bytes: validBytes).code))
            }
            #expect((400..<500).contains(try await client.get("/v1/authority/issue").code))
            print("fuzz (authority): \(tally)")
            #expect(try await client.post("/v1/authority/issue", bytes: validBytes).code == 200)
        }
    }
}
