import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The networked mode end to end, as separate processes on loopback (`secagg demo`, Specs/networked.md).
@Suite("Networked mode (processes)", .serialized)
struct NetworkCLITests {
    func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "secagg-\(name)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Coordinator + 3 authorities (one down) + 8 clients (one killed mid-round 1) + 1 impostor.
    @Test func demoSurvivesAKilledClientAnImpostorAndADownAuthority() throws {
        let dir = try temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try secagg([
            "demo", "--clients", "8", "--authorities", "3", "--threshold", "2", "--rounds", "2", "--impostors", "1",
            "--authorities-down", "1", "--crash-client", "3", "--phase-timeout", "3", "--dir", dir,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // Round 1: client 3 died after sharing its keys; the 7 others' sum is recovered and checked.
        #expect(lines.contains { $0.hasPrefix("round 1: 7 contributors") && $0.hasSuffix("ok") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("round 2: 7 contributors") && $0.hasSuffix("ok") }, "\(result.stdout)")
        #expect(result.stdout.contains("impostors refused: 1 of 1"))
        #expect(result.stdout.contains("authorities down: 1 of 3"))
        // The killed client really died by SIGKILL mid-round.
        let clientLog = try String(contentsOfFile: dir + "/logs/client-3.log", encoding: .utf8)
        #expect(clientLog.contains("crashing after phase 1 of round 1"))
        // The coordinator saw the impostor's attempt and rejected it.
        let coordinatorLog = try String(contentsOfFile: dir + "/logs/coordinator.log", encoding: .utf8)
        #expect(coordinatorLog.contains("client 9 rejected"))
        #expect(coordinatorLog.contains("round 1: accuracy") && coordinatorLog.contains("dropped 1"))
        // The run history has the finished run.
        let runs = try secagg(["runs", "list", "--db", dir + "/runs.sqlite", "--json"])
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout.contains("\"finished\""))
    }

    /// Authenticated masking across processes: every client verifies its peers from the registry file it
    /// is given (`--registry`), the coordinator from its own; 5 phases; the aggregate is checked.
    @Test func authenticatedDemo() throws {
        let dir = try temporaryDirectory("auth-demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try secagg([
            "demo", "--clients", "4", "--authorities", "3", "--rounds", "1", "--impostors", "0", "--authenticated", "--dir", dir,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("round 1: 4 contributors"), "\(result.stdout)")
        let plan = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
        #expect(plan.contains("\"authenticated\": true"))
        let clientLog = try String(contentsOfFile: dir + "/logs/client-1.log", encoding: .utf8)
        #expect(clientLog.contains("round 1: done"), "\(clientLog)")
    }

    /// `secagg bench network` on a small system: both sides run the same config, so the protocol bytes per
    /// round agree exactly; every networked round is checked; the HTTP traffic is at least the protocol bytes.
    @Test func benchNetworkComparesWithTheInProcessHarness() throws {
        let result = try secagg(["bench", "network", "--clients", "3", "--rounds", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["clients"] as? Int == 3)
        #expect(object["rounds_checked"] as? Int == 2)
        let local = try #require(object["in_process_protocol_bytes_per_round"] as? Double)
        let network = try #require(object["network_protocol_bytes_per_round"] as? Double)
        #expect(local > 0 && local == network)
        let http = try #require(object["http_bytes_per_round"] as? Double)
        #expect(http > network)
        #expect((object["network_round_seconds"] as? [Double])?.count == 2)
        #expect((object["wall_ratio"] as? Double).map { $0 > 0 } == true)
    }

    /// A client that is not in the config's range, a protection the networked mode does not run: one-line errors.
    @Test func demoRejectsBadOptions() throws {
        let tooMany = try secagg(["demo", "--authorities", "3", "--threshold", "2", "--authorities-down", "2"])
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr.contains("--authorities-down must be at most"))
        let protection = try secagg(["demo", "--protection", "paillier", "--dir", try temporaryDirectory("bad")])
        #expect(protection.status == 1)
        #expect(protection.stderr.contains("--protection must be one of"))
        let count = try secagg(["bench", "network", "--clients", "10,1"])
        #expect(count.status == 1)
        #expect(count.stderr.contains("--clients: 1 is not a client count in 2...100"), "\(count.stderr)")
        let unauthenticated = try secagg(["bench", "network", "--clients", "3", "--protection", "none", "--authenticated"])
        #expect(unauthenticated.status == 1)
        #expect(unauthenticated.stderr.contains("--authenticated needs --protection masking or secagg+"), "\(unauthenticated.stderr)")
    }

    /// The dashboard in a real browser while a run is in progress: headless Chromium loads `/` after round 1
    /// (rounds 2 and 3 wait for the killed client's timeout, so the run is still going) and the page shows the
    /// admitted clients and a non-empty accuracy curve (Tools/check_dashboard.py).
    @Test func dashboardInHeadlessChromiumDuringARun() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            print("chromium not installed (Tools/deps.sh: secagg_install_chromium): dashboard browser check skipped")
            return
        }
        let dir = try temporaryDirectory("dashboard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = Process()
        demo.executableURL = URL(fileURLWithPath: try secaggPath())
        demo.arguments = [
            "demo", "--clients", "8", "--authorities", "3", "--rounds", "3", "--crash-client", "3", "--phase-timeout", "4",
            "--impostors", "1", "--keep-serving", "--dir", dir,
        ]
        demo.standardOutput = FileHandle.nullDevice
        demo.standardError = FileHandle.nullDevice
        try demo.run()
        defer {
            demo.terminate()  // the demo stops its children on SIGTERM
            demo.waitUntilExit()
        }
        // Wait for the coordinator and for round 1 to finish.
        var url: URL?
        var status: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if url == nil, let text = try? String(contentsOfFile: dir + "/coordinator.port", encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                url = URL(string: "http://127.0.0.1:\(port)/")
            }
            if let url, let data = try? Data(contentsOf: url.appendingPathComponent("v1/status")),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                status = object
                if let round = object["round"] as? Int, round >= 2 { break }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let page = try #require(url, "the coordinator never listened")
        #expect(status["state"] as? String == "training", "the run should still be going: \(status)")
        let check = try run(
            "/usr/bin/env",
            [
                "python3", packageRoot.appendingPathComponent("Tools/check_dashboard.py").path, page.absoluteString,
                "--screenshot", dir + "/dashboard.png", "--expect-admitted", "8", "--expect-rounds", "1",
            ])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        // The impostor's attempt is on the page as a rejected client.
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("class=\"client rejected\""))
    }
}
