import Foundation
import Testing

/// `secagg admission …` end to end through the executable, in a temporary directory (Specs/admission.md).
@Suite struct AdmissionCLITests {
    /// A dealt 3-of-5 authority set, two clients (only `a` registered), a proof of `a` for ("s1", round 1) and
    /// the token shares of all five authorities.
    struct Flow {
        let dir: URL
        let session = "s1"
        let round = "1"

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-admission-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try ok(secagg(["admission", "setup", "--authorities", "5", "--threshold", "3", "--out", path("dealer")]))
            for client in ["a", "b"] {
                try ok(secagg(["admission", "keygen", "--out", path("\(client).json"), "--public-out", path("\(client).pub.json")]))
            }
            let registered = try String(contentsOfFile: path("a.pub.json"), encoding: .utf8)
            try "[\(registered)]".write(toFile: path("registry.json"), atomically: true, encoding: .utf8)
            try save(ok(prove("a", round: round)), as: "proof.json")
            for j in 1...5 {
                try save(ok(issue(authority: j, proof: "proof.json")), as: "share-\(j).json")
            }
        }

        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var publicFile: String { path("dealer/public.json") }
        var sharePaths: [String] { (1...5).map { path("share-\($0).json") } }

        func cleanUp() { try? FileManager.default.removeItem(at: dir) }

        func prove(_ client: String, session: String? = nil, round: String) throws -> Run {
            try secagg([
                "admission", "prove", "--key", path("\(client).json"), "--public", publicFile,
                "--session", session ?? self.session, "--round", round,
            ])
        }

        func issue(authority j: Int, proof: String, session: String? = nil, round: String? = nil) throws -> Run {
            try secagg([
                "admission", "issue", "--authority", path("dealer/authority-\(j).json"), "--registry",
                path("registry.json"), "--session", session ?? self.session, "--round", round ?? self.round,
                path(proof),
            ])
        }

        func combine(_ shares: [String]) throws -> Run {
            try secagg(["admission", "combine", "--public", publicFile, "--proof", path("proof.json")] + shares)
        }

        func verify(_ token: String, session: String? = nil, round: String? = nil) throws -> Run {
            try secagg([
                "admission", "verify", "--public", publicFile, "--session", session ?? self.session, "--round",
                round ?? self.round, path(token),
            ])
        }

        @discardableResult func save(_ text: String, as name: String) throws -> String {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }

        /// A copy of share j whose σ_j is replaced by share `from`'s (a valid element, but the DLEQ proof fails).
        func corruptedShare(_ j: Int, from other: Int) throws -> String {
            var share = try jsonObject(path("share-\(j).json"))
            share["value"] = try jsonObject(path("share-\(other).json"))["value"]
            let data = try JSONSerialization.data(withJSONObject: share)
            return try save(String(decoding: data, as: UTF8.self), as: "corrupted-\(j).json")
        }

        func jsonObject(_ file: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        }
    }

    /// Expects status 0 and returns stdout.
    @discardableResult static func ok(_ result: Run, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Expects status 1, nothing on stdout and exactly one stderr line `secagg: …` containing `reason`.
    static func failsWithOneLine(
        _ result: Run, containing reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result.stdout)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 1 && result.stderr.hasSuffix("\n"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("secagg: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(reason), "expected “\(reason)” in \(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func fullFlowAdmitsRegisteredClient() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        for j in 1...5 {
            #expect(FileManager.default.fileExists(atPath: flow.path("dealer/authority-\(j).json")))
        }
        let publicDoc = try flow.jsonObject(flow.publicFile)
        #expect(publicDoc["threshold"] as? Int == 3)
        #expect((publicDoc["verificationKeys"] as? [String])?.count == 5)
        let authorityDoc = try flow.jsonObject(flow.path("dealer/authority-2.json"))
        #expect(authorityDoc["index"] as? Int == 2 && authorityDoc["version"] as? Int == 1)
        #expect(authorityDoc["share"] is String && authorityDoc["parameters"] is [String: Any])
        let keyDoc = try flow.jsonObject(flow.path("a.json"))
        #expect(keyDoc["x"] is String && keyDoc["y"] is String && keyDoc["version"] as? Int == 1)

        let combined = try flow.combine(flow.sharePaths)
        let token = try flow.save(Self.ok(combined), as: "token.json")
        #expect(combined.stderr.isEmpty, "\(combined.stderr)")
        let tokenDoc = try flow.jsonObject(token)
        #expect((tokenDoc["shares"] as? [Any])?.count == 3)
        let verified = try flow.verify("token.json")
        #expect(verified.status == 0 && verified.stdout == "valid\n", "\(verified.stdout)\(verified.stderr)")
        // Any three shares make a valid token.
        let other = try flow.save(Self.ok(flow.combine(Array(flow.sharePaths.suffix(3)))), as: "token-345.json")
        #expect(try flow.verify(URL(fileURLWithPath: other).lastPathComponent).stdout == "valid\n")
    }

    @Test func unregisteredClientIsRefused() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        try flow.save(Self.ok(flow.prove("b", round: flow.round)), as: "proof-b.json")
        Self.failsWithOneLine(try flow.issue(authority: 1, proof: "proof-b.json"), containing: "not registered")
    }

    @Test func proofForAnotherRoundIsRefused() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        try flow.save(Self.ok(flow.prove("a", round: "2")), as: "proof-round2.json")
        Self.failsWithOneLine(
            try flow.issue(authority: 3, proof: "proof-round2.json"), containing: "made for round 2, expected round 1")
        try flow.save(Self.ok(flow.prove("a", session: "other", round: "1")), as: "proof-other.json")
        Self.failsWithOneLine(try flow.issue(authority: 3, proof: "proof-other.json"), containing: "session")
    }

    @Test func tokenForAnotherRoundOrSessionIsRejected() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        try flow.save(Self.ok(flow.combine(flow.sharePaths)), as: "token.json")
        Self.failsWithOneLine(try flow.verify("token.json", round: "2"), containing: "made for round 1, expected round 2")
        Self.failsWithOneLine(
            try flow.verify("token.json", session: "s2"), containing: #"made for session "s1", expected "s2""#)
    }

    @Test func combineFailsWithOnlyTwoGoodShares() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        let shares = try [
            flow.path("share-1.json"), flow.corruptedShare(2, from: 1), flow.corruptedShare(3, from: 1),
            flow.corruptedShare(4, from: 5), flow.path("share-5.json"),
        ]
        Self.failsWithOneLine(try flow.combine(shares), containing: "only 2 valid token shares, 3 needed")
        Self.failsWithOneLine(try flow.combine(Array(flow.sharePaths.prefix(2))), containing: "only 2 valid token shares")
    }

    @Test func corruptedShareIsDroppedByName() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        let shares = try [
            flow.path("share-1.json"), flow.corruptedShare(2, from: 1), flow.path("share-3.json"),
            flow.corruptedShare(4, from: 3), flow.path("share-5.json"),
        ]
        let combined = try flow.combine(shares)
        try flow.save(Self.ok(combined), as: "token.json")
        let lines = combined.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(combined.stderr)")
        #expect(lines.first?.hasPrefix("secagg: dropping share of authority 2: ") == true, "\(combined.stderr)")
        #expect(lines.last?.hasPrefix("secagg: dropping share of authority 4: ") == true, "\(combined.stderr)")
        #expect(combined.stderr.contains("invalid DLEQ proof"))
        let used = try #require(flow.jsonObject(flow.path("token.json"))["shares"] as? [[String: Any]])
        #expect(used.compactMap { $0["authority"] as? Int } == [1, 3, 5])
        #expect(try flow.verify("token.json").stdout == "valid\n")
    }

    @Test func truncatedJsonIsOneLine() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        let proof = try String(contentsOfFile: flow.path("proof.json"), encoding: .utf8)
        try flow.save(String(proof.prefix(proof.count / 2)), as: "truncated.json")
        Self.failsWithOneLine(try flow.issue(authority: 1, proof: "truncated.json"), containing: "truncated.json")
        let share = try String(contentsOfFile: flow.path("share-1.json"), encoding: .utf8)
        let truncatedShare = try flow.save(String(share.prefix(100)), as: "truncated-share.json")
        Self.failsWithOneLine(
            try flow.combine([truncatedShare] + flow.sharePaths.suffix(3)), containing: "truncated-share.json")
        Self.failsWithOneLine(
            try secagg(["admission", "verify", "--public", flow.publicFile, "--session", "s1", "--round", "1", "-"],
                       stdin: "{\"client\":"),
            containing: "stdin")
    }

    @Test func malformedNumberIsOneLine() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        var share = try flow.jsonObject(flow.path("share-1.json"))
        share["value"] = "12ab34"
        let bad = try flow.save(String(decoding: JSONSerialization.data(withJSONObject: share), as: UTF8.self), as: "bad-value.json")
        Self.failsWithOneLine(try flow.combine([bad] + flow.sharePaths.suffix(3)), containing: "decimal")
        var proof = try flow.jsonObject(flow.path("proof.json"))
        proof["round"] = 1.5
        try flow.save(String(decoding: JSONSerialization.data(withJSONObject: proof), as: UTF8.self), as: "bad-round.json")
        Self.failsWithOneLine(try flow.issue(authority: 1, proof: "bad-round.json"), containing: "bad-round.json")
        Self.failsWithOneLine(try flow.prove("a", round: "-1"), containing: "round")
        Self.failsWithOneLine(
            try secagg(["admission", "setup", "--authorities", "5", "--threshold", "6", "--out", flow.path("x")]),
            containing: "threshold 6")
    }

    /// Tools/check_admission.py (plain Python integers) accepts the CLI's proof, shares and token, and rejects a
    /// corrupted share.
    @Test func pythonCheckAgreesWithCLI() throws {
        let flow = try Flow()
        defer { flow.cleanUp() }
        try flow.save(Self.ok(flow.combine(flow.sharePaths)), as: "token.json")
        let base = ["Tools/check_admission.py", "--public", flow.publicFile, "--session", "s1", "--round", "1"]
        let good = try run(
            python3(),
            base + ["--proof", flow.path("proof.json"), "--token", flow.path("token.json")]
                + flow.sharePaths.flatMap { ["--share", $0] })
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.split(separator: "\n").count == 7 && !good.stdout.contains("invalid"), "\(good.stdout)")
        let corrupted = try flow.corruptedShare(2, from: 4)
        let bad = try run(python3(), base + ["--share", corrupted])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("invalid DLEQ proof"), "\(bad.stdout)")
        let otherRound = try run(python3(), ["Tools/check_admission.py", "--public", flow.publicFile, "--session", "s1",
                                             "--round", "2", "--token", flow.path("token.json")])
        #expect(otherRound.status == 1, "\(otherRound.stdout)")
    }
}
