import Admission
import CryptoPrimitives
import FederatedLearning
import Foundation
import Harness
import Hummingbird
import HummingbirdTesting
@testable import Networked
import Testing

/// The coordinator's router through HummingbirdTesting, with `Coordinator.run()` in a background task.
@Suite struct RouterTests {
    @Test func statusAndDashboard() async throws {
        let f = try Fixture()
        let coordinator = try f.coordinator()
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let response = try await client.get("/v1/status")
            #expect(response.code == 200)
            #expect(response.headers[.contentType] == "application/json")
            let status = try response.decode(CoordinatorStatus.self)
            #expect(status.state == "admission")
            #expect(status.session == f.session)
            #expect(status.runID == f.session)
            #expect(status.admissionRound == 1)
            #expect(status.totalRounds == 2)
            #expect(status.protection == "masking")
            #expect(status.admitted.isEmpty)
            #expect(status.failure == nil)

            let page = try await client.get("/")
            #expect(page.code == 200)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains(#"id="admission""#))

            let parameters = try await client.get("/v1/admission/parameters")
            #expect(parameters.code == 200)
            #expect(try parameters.decode(AdmissionPublicParameters.self) == f.dealing.parameters)

            let config = try await client.get("/v1/config")
            #expect(config.code == 200)
            let parsed = try ExperimentConfig.parse(Data(config.bytes), baseDirectory: FileManager.default.temporaryDirectory.path)
            #expect(parsed.resolvedJSON() == f.config.resolvedJSON())

            #expect(try await client.get("/v1/nothing-here").code == 404)
        }
    }

    @Test func admission() async throws {
        let f = try Fixture()
        // The window must outlast the refusals below on a loaded machine (it closes as soon as all four are
        // admitted): with the default 20 s, a slow run saw round 1 start before client 4's admission.
        let coordinator = try f.coordinator(f.settings(admission: .seconds(600)))
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            func expectRefused(_ request: AdmitRequest, _ status: Int, _ what: Comment) async throws {
                let before = await coordinator.status()
                let response = try await client.admit(request)
                #expect(response.code == status, "\(what): \(response.text)")
                #expect(response.errorMessage != nil, "\(what): an error body")
                let after = await coordinator.status()
                #expect(after.admitted == before.admitted, "\(what) changed the admitted set")
                #expect(after.state == before.state)
            }

            let wrongSession = try f.token(client: 1, session: "another-session")
            try await expectRefused(AdmitRequest(client: 1, token: wrongSession), 403, "token for another session")
            let wrongRound = try f.token(client: 1, round: 2)
            try await expectRefused(AdmitRequest(client: 1, token: wrongRound), 403, "token for another round")
            let tokenOfClient1 = try f.token(client: 1)
            try await expectRefused(AdmitRequest(client: 2, token: tokenOfClient1), 403, "client 1's token presented by client 2")
            try await expectRefused(AdmitRequest(client: 99, token: tokenOfClient1), 404, "unregistered id")
            try await expectRefused(AdmitRequest(client: 0, token: tokenOfClient1), 404, "id 0")
            try await expectRefused(AdmitRequest(client: -3, token: nil), 404, "negative id")
            try await expectRefused(AdmitRequest(client: 1, token: nil, refusal: "authorities refused"), 403, "no token")

            // An impostor (a key nobody registered) gets no token share from an authority.
            var rng = SystemRandom()
            let strangerProof = try AdmissionProof.prove(
                key: f.stranger, parameters: f.dealing.parameters, session: f.session, round: 1, using: &rng)
            #expect(throws: RequestFailure.self) { try f.issuers[0].issue(IssueRequest(proof: strangerProof)) }

            // A share proof altered: challenge and response swapped, or another share's proof.
            var swapped = tokenOfClient1
            swapped.shares[0].proof = DleqProof(
                challenge: swapped.shares[0].proof.response, response: swapped.shares[0].proof.challenge)
            try await expectRefused(AdmitRequest(client: 1, token: swapped), 403, "swapped DLEQ proof")
            var borrowed = tokenOfClient1
            borrowed.shares[0].proof = borrowed.shares[1].proof
            try await expectRefused(AdmitRequest(client: 1, token: borrowed), 403, "another share's DLEQ proof")
            var tooFew = tokenOfClient1
            tooFew.shares.removeLast()
            try await expectRefused(AdmitRequest(client: 1, token: tooFew), 403, "fewer than t shares")
            var doubled = tokenOfClient1
            doubled.shares[1] = doubled.shares[0]
            try await expectRefused(AdmitRequest(client: 1, token: doubled), 403, "a share twice")
            var otherValue = tokenOfClient1
            otherValue.value = wrongRound.value
            try await expectRefused(AdmitRequest(client: 1, token: otherValue), 403, "σ of another round")

            // Impostor text reaches the dashboard escaped.
            try await expectRefused(
                AdmitRequest(client: 77, token: nil, refusal: "<script>alert(1)</script>"), 404, "impostor with markup")
            let page = try await client.get("/")
            #expect(!page.text.contains("<script>alert(1)"))
            #expect(page.text.contains("&lt;script&gt;"))
            #expect(await coordinator.status().admitted.isEmpty)

            // The valid token admits; the failures before did not stop it.
            let admitted = try await client.admit(AdmitRequest(client: 1, token: tokenOfClient1))
            #expect(admitted.code == 200, "\(admitted.text)")
            #expect(await coordinator.status().admitted == [1])
            // The same token again: still admitted, same digest.
            #expect(try await client.admit(AdmitRequest(client: 1, token: tokenOfClient1)).code == 200)
            // Another valid token for the same client in the same admission round: refused, the first one stays.
            let second = try f.token(client: 1)
            #expect(try NetworkAPI.tokenDigest(second) != NetworkAPI.tokenDigest(tokenOfClient1))
            try await expectRefused(AdmitRequest(client: 1, token: second), 409, "a second token for an admitted client")
            // Bad tokens for an admitted client do not un-admit it.
            try await expectRefused(AdmitRequest(client: 1, token: wrongSession), 403, "wrong session after admission")
            #expect(await coordinator.status().admitted == [1])

            // Everyone else: the run leaves admission.
            _ = try await admitAll([2, 3, 4], f, client)
            #expect(await coordinator.status().admitted == [1, 2, 3, 4])
            try await eventually("training") { await coordinator.status().state == "training" }
            let status = await coordinator.status()
            #expect(status.round == 1)
            #expect(status.selected == [1, 2, 3, 4])
            // The first token still authenticates (the 409 kept it).
            let plan = try await client.get("/v1/round/1/plan", headers: authHeaders(client: 1, token: tokenOfClient1))
            #expect(plan.code == 200, "\(plan.text)")
            let stale = try await client.get("/v1/round/1/plan", headers: authHeaders(client: 1, token: second))
            #expect(stale.code == 403)
        }
    }

    @Test func authentication() async throws {
        let f = try Fixture(clientsPerRound: 3)
        let coordinator = try f.coordinator()
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            let status = await coordinator.status()
            #expect(status.selected.count == 3)
            let selected = status.selected
            let unselected = try #require(Set(1...4).subtracting(selected).first)
            let a = selected[0], b = selected[1]
            let tokenA = try #require(tokens[a]), tokenB = try #require(tokens[b])
            let tokenU = try #require(tokens[unselected])
            let digestA = try NetworkAPI.tokenDigest(tokenA)

            let endpoints: [(method: HTTPRequest.Method, uri: String)] = [
                (.get, "/v1/round/1/plan"), (.get, "/v1/round/1/model"), (.get, "/v1/round/1/phase/0"),
                (.post, "/v1/round/1/phase/0"),
            ]
            let cases: [(headers: HTTPFields, status: Int, what: String)] = [
                (HTTPFields(), 401, "no headers"),
                (try authHeaders(client: "\(a)", digest: nil), 401, "no token header"),
                (try authHeaders(client: nil, digest: digestA), 401, "no client header"),
                (try authHeaders(client: "abc", digest: digestA), 401, "a client header that is not a number"),
                (try authHeaders(client: "9", digest: digestA), 401, "an unregistered client"),
                (try authHeaders(client: "\(a)", digest: String(repeating: "0", count: 64)), 403, "a wrong digest"),
                (try authHeaders(client: "\(a)", digest: digestA.uppercased()), 403, "the digest in upper case"),
                (try authHeaders(client: "\(a)", digest: String(digestA.dropLast())), 403, "a truncated digest"),
                (try authHeaders(client: "\(b)", digest: digestA), 403, "A's token with B's id"),
                (try authHeaders(client: "\(a)", digest: NetworkAPI.tokenDigest(tokenB)), 403, "B's token with A's id"),
                (try authHeaders(client: unselected, token: tokenU), 403, "a client not selected for the round"),
            ]
            for endpoint in endpoints {
                for c in cases {
                    let response = try await client.client.execute(
                        uri: endpoint.uri, method: endpoint.method, headers: c.headers,
                        body: endpoint.method == .post ? ByteBuffer(bytes: [1, 2, 3]) : nil)
                    #expect(response.code == c.status, "\(endpoint.method) \(endpoint.uri), \(c.what): \(response.text)")
                    #expect(response.errorMessage != nil)
                }
            }
            let headersA = try authHeaders(client: a, token: tokenA)
            // Wrong rounds and phases.
            for uri in ["/v1/round/2/plan", "/v1/round/0/plan", "/v1/round/2/model", "/v1/round/7/phase/0"] {
                let response = try await client.get(uri, headers: headersA)
                #expect(response.code == 409, "\(uri): \(response.text)")
            }
            #expect(try await client.post("/v1/round/2/phase/0", headers: headersA, bytes: [1]).code == 409)
            #expect(try await client.post("/v1/round/1/phase/1", headers: headersA, bytes: [1]).code == 409)
            #expect(try await client.get("/v1/round/1/phase/9", headers: headersA).code == 404)
            // The right credentials.
            let plan = try await client.get("/v1/round/1/plan", headers: headersA)
            #expect(plan.code == 200)
            let decoded = try plan.decode(RoundPlan.self)
            #expect(decoded.round == 1)
            #expect(decoded.participants == selected)
            #expect(decoded.protocolID == UInt32(try #require(selected.firstIndex(of: a))) + 1)
            #expect(decoded.phaseCount == 4)
            let model = try await client.get("/v1/round/1/model", headers: headersA)
            #expect(model.code == 200)
            #expect(try PlainMessages.decodeGlobalModel(model.bytes).parameters.count == coordinator.parameterCount)
            // Nothing of the above moved the round.
            let after = await coordinator.status()
            #expect(after.state == "training")
            #expect(after.round == 1)
            #expect(after.protocolPhase == 0)
        }
    }

    @Test func rateLimit() async throws {
        let f = try Fixture()
        // A burst of 10, then one request per 1,000 s: no token comes back while the test runs, however slow
        // the machine.
        let coordinator = try f.coordinator(f.settings(rateLimit: 0.001, rateBurst: 10))
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            let headers = try authHeaders(client: 1, token: try #require(tokens[1]))
            // The burst of 10, then 429 with Retry-After.
            var codes: [Int] = []
            for _ in 0..<13 { codes.append(try await client.get("/v1/round/1/plan", headers: headers).code) }
            #expect(codes.prefix(10).allSatisfy { $0 == 200 })
            #expect(codes.suffix(3) == [429, 429, 429])
            let limited = try await client.get("/v1/round/1/plan", headers: headers)
            #expect(limited.headers[.retryAfter] == "1")
            // Another client is not affected; the status is open.
            #expect(try await client.get("/v1/round/1/plan", headers: authHeaders(client: 2, token: try #require(tokens[2]))).code == 200)
            #expect(try await client.get("/v1/status").code == 200)
        }
    }

    /// Anyone may post admission requests naming a registered id; they must not spend that client's allowance
    /// for its authenticated requests (else a stranger could starve an admitted client out of every round).
    @Test func admissionSpamDoesNotStarveAClient() async throws {
        let f = try Fixture()
        let coordinator = try f.coordinator(f.settings(rateLimit: 0.001, rateBurst: 10))
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            // A stranger posts 20 bogus admissions for client 2: refused, then rate limited.
            var codes: [Int] = []
            for _ in 0..<20 { codes.append(try await client.admit(AdmitRequest(client: 2, token: nil)).code) }
            #expect(codes.first == 403)
            #expect(codes.last == 429)
            #expect(await coordinator.status().admitted == [1, 2, 3, 4])
            // Client 2's own requests are still served.
            let headers = try authHeaders(client: 2, token: try #require(tokens[2]))
            let plan = try await client.get("/v1/round/1/plan", headers: headers)
            #expect(plan.code == 200, "\(plan.text)")
            let model = try await client.get("/v1/round/1/model", headers: headers)
            #expect(model.code == 200, "\(model.text)")
        }
    }

    /// With admission before every round, a token verified (off the actor) while round 1's admission was open
    /// must not admit its client once round 2's has opened: it was checked against round 1, and the authorities
    /// are asked anew for every round. (The router verifies, then calls `admit`; the interleaving is played here.)
    @Test func verificationOverlappingANewAdmissionRound() async throws {
        let f = try Fixture(protection: "none", rounds: 2, perRound: true)
        let coordinator = try f.coordinator()
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            let token = try #require(tokens[1])
            // The router reads the admission context and starts verifying a round-1 token…
            let context = await coordinator.admissionContext(client: 1)
            #expect(context.round == 1)
            try AdmissionVerifier(parameters: f.dealing.parameters).verify(
                token, session: context.session, round: context.round, client: context.key)
            let digest = Sha256.hash(Array(try NetworkAPI.canonicalJSON(token)))
            // …meanwhile round 1 ends and the admission for round 2 opens.
            var rng = SplitMix64(seed: 5)
            for id in 1...4 {
                var p = try await ManualParticipant(id: id, round: 1, token: try #require(tokens[id]), client: client, rng: &rng)
                let bytes = try await p.upload(phase: 0, client: client)
                #expect(try await client.post("/v1/round/1/phase/0", headers: p.headers, bytes: bytes).code == 202)
            }
            try await eventually("admission for round 2") { await coordinator.status().admissionRound == 2 }
            #expect(await coordinator.status().admitted.isEmpty)
            // The verification completes: refused.
            await #expect(throws: RequestFailure(403, "invalid token: made for round 1, expected round 2")) {
                try await coordinator.admit(AdmitRequest(client: 1, token: token), verification: .success(digest), round: 1, bytes: 0)
            }
            #expect(await coordinator.status().admitted.isEmpty)
            let stale = try await client.get("/v1/round/2/plan", headers: authHeaders(client: 1, token: token))
            #expect(stale.code == 403)
            // Through the router the round-1 token is refused as well, and a round-2 token admits.
            #expect(try await client.admit(AdmitRequest(client: 1, token: token)).code == 403)
            #expect(try await client.admit(AdmitRequest(client: 1, token: f.token(client: 1, round: 2))).code == 200)
            #expect(await coordinator.status().admitted == [1])
        }
    }

    /// A selected client uploads a message whose header names another participant: 400, and the round goes on
    /// (every participant's own messages are accepted and the round's aggregate is right).
    @Test(arguments: ["masking", "secagg+"])
    func spoofedSender(protection: String) async throws {
        let f = try Fixture(protection: protection, clientsPerRound: 3)
        let events = EventLog()
        let coordinator = try f.coordinator()
        await coordinator.observe(events.listener())
        let run = Task { await coordinator.run() }
        defer { run.cancel() }
        try await withRouter(CoordinatorServer.router(coordinator)) { client in
            let tokens = try await admitAll([1, 2, 3, 4], f, client)
            try await eventually("training") { await coordinator.status().state == "training" }
            let selected = await coordinator.status().selected
            var rng = SplitMix64(seed: 42)
            var participants: [ManualParticipant] = []
            for id in selected {
                participants.append(
                    try await ManualParticipant(id: id, round: 1, token: try #require(tokens[id]), client: client, rng: &rng))
            }
            for phase in 0..<4 {
                var uploads: [[UInt8]] = []
                for i in participants.indices { uploads.append(try await participants[i].upload(phase: phase, client: client)) }
                // Participant 0 sends participant 1's message as its own, then its own twice.
                let spoofed = try await client.post(
                    "/v1/round/1/phase/\(phase)", headers: participants[0].headers, bytes: uploads[1])
                #expect(spoofed.code == 400, "phase \(phase): \(spoofed.text)")
                #expect(spoofed.errorMessage?.contains("sender") == true)
                let status = await coordinator.status()
                #expect(status.state == "training" && status.round == 1 && status.protocolPhase == phase)
                for i in participants.indices {
                    let response = try await client.post(
                        "/v1/round/1/phase/\(phase)", headers: participants[i].headers, bytes: uploads[i])
                    #expect(response.code == 202, "client \(participants[i].id) phase \(phase): \(response.text)")
                    if i == 0 {
                        let again = try await client.post(
                            "/v1/round/1/phase/\(phase)", headers: participants[0].headers, bytes: uploads[0])
                        #expect(again.code == 409, "a duplicate upload: \(again.text)")
                    }
                }
            }
            try await eventually("round 1 to finish") { events.rounds.count == 1 }
            let round = try #require(events.rounds.first)
            #expect(round.record.round == 1)
            #expect(round.record.selected == 3)
            #expect(round.record.dropped == 0)
            #expect(round.aggregate.clients == selected.map { $0 - 1 })
            let plain = try PlainAggregator().aggregate(participants.map(\.update))
            #expect(round.aggregate.totalWeight == plain.totalWeight)
            let bound = try #require(round.record.errorBound)
            let error = zip(plain.mean, round.aggregate.mean).map { abs(Double($0) - Double($1)) }.max() ?? .infinity
            #expect(error <= bound + 1e-5, "max error \(error), bound \(bound)")
            #expect(await coordinator.finishedRounds().count == 1)
        }
    }
}
