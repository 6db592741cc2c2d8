import Foundation
import Harness
import RunHistory
import Testing

@Suite struct RunsCLITests {
    let configJSON = #"{"seed": 4, "rounds": 2, "protection": {"kind": "masking"}}"#

    func record(_ round: Int, accuracy: Double) -> RoundRecord {
        RoundRecord(
            round: round, accuracy: accuracy, loss: 0.5, maxAbsError: 2e-5, errorBound: 6e-5,
            seconds: .init(admission: 0.5, train: 1, protect: 0.25, aggregate: 0.125), uploadBytes: 4000,
            downloadBytes: 8000, selected: 5, dropped: 1)
    }

    /// A history with a finished run "alpha" and a failed run "beta", made through the library.
    func makeHistory() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("history.sqlite").path
        let store = try RunStore(path: path)
        try store.createRun(
            id: "alpha", configJSON: configJSON, protection: "masking", session: "sess-a", totalRounds: 2,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        try store.recordAdmission(runID: "alpha", round: 1, clientID: "c1", admitted: true, reason: nil)
        try store.recordAdmission(runID: "alpha", round: 1, clientID: "mallory", admitted: false, reason: "bad proof")
        try store.recordMetric(runID: "alpha", round: 1, name: "bytes.admission", value: 2048)
        try store.recordRound(runID: "alpha", record(1, accuracy: 0.8125), checkpoint: [1, 2])
        try store.recordRound(runID: "alpha", record(2, accuracy: 0.9375), checkpoint: [3, 4])
        try store.finishRun(runID: "alpha", totalSeconds: 3.75)
        try store.createRun(
            id: "beta", configJSON: configJSON, protection: "paillier", session: "sess-b", totalRounds: 5,
            createdAt: Date(timeIntervalSince1970: 1_700_000_600))
        try store.recordRound(runID: "beta", record(1, accuracy: 0.5))
        try store.failRun(runID: "beta", reason: "too many dropouts")
        try store.close()
        return (directory, path)
    }

    @Test func listShowsEveryRunNewestFirst() throws {
        let (directory, path) = try makeHistory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try secagg(["runs", "list", "--db", path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ID     CREATED (UTC)"))
        #expect(lines[1].split(separator: " ", omittingEmptySubsequences: true) == [
            "beta", "2023-11-14", "22:23:20", "failed", "paillier", "1/5", "0.5000",
        ])
        #expect(lines[2].split(separator: " ", omittingEmptySubsequences: true) == [
            "alpha", "2023-11-14", "22:13:20", "finished", "masking", "2/2", "0.9375",
        ])

        let json = try secagg(["runs", "list", "--db", path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == ["beta", "alpha"])
        #expect(runs[1]["status"] as? String == "finished")
        #expect((runs[1]["final"] as? [String: Any])?["accuracy"] as? Double == 0.9375)
        #expect(runs[0]["failure_reason"] as? String == "too many dropouts")
    }

    @Test func showPrintsConfigAdmissionRoundsAndMetrics() throws {
        let (directory, path) = try makeHistory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try secagg(["runs", "show", "alpha", "--db", path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("status      finished"))
        #expect(out.contains("rounds      2/2"))
        #expect(out.contains("admission   1 admitted, 1 rejected, 1.000 s, 0 bytes"))
        #expect(out.contains("config      \(configJSON)"))
        #expect(out.contains("checkpoint  after round 2"))
        let lines = out.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("ROUND  ACCURACY") })
        #expect(lines[header + 1].split(separator: " ").first == "1")
        #expect(lines[header + 1].contains("0.8125"))
        #expect(lines[header + 2].contains("0.9375") && lines[header + 2].contains("4000") && lines[header + 2].contains("8000"))
        #expect(lines.contains { $0.hasPrefix("ROUND  METRIC") })
        #expect(lines.last?.split(separator: " ", omittingEmptySubsequences: true) == ["1", "bytes.admission", "2048.0"])

        let failed = try secagg(["runs", "show", "beta", "--db", path])
        #expect(failed.stdout.contains("failure     too many dropouts"))

        let json = try secagg(["runs", "show", "alpha", "--db", path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["config"] as? [String: Any])?["seed"] as? Int == 4)
        let rounds = try #require(object["rounds"] as? [[String: Any]])
        #expect(rounds.map { $0["accuracy"] as? Double } == [0.8125, 0.9375])
        #expect((rounds[0]["seconds"] as? [String: Any])?["train"] as? Double == 1)
        #expect((object["admission"] as? [String: Any])?["rejected"] as? Int == 1)
        #expect((object["final"] as? [String: Any])?["total_seconds"] as? Double == 3.75)
    }

    @Test func aMissingHistoryIsAnErrorAndIsNotCreated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("absent.sqlite").path
        for arguments in [["runs", "list", "--db", path], ["runs", "show", "alpha", "--db", path]] {
            let result = try secagg(arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "secagg: no run history at \(path)\n")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        // The default path is relative to the current directory (the package root here).
        let inRoot = packageRoot.appendingPathComponent("secagg-runs.sqlite").path
        if !FileManager.default.fileExists(atPath: inRoot) {
            let defaultPath = try secagg(["runs", "list"])
            #expect(defaultPath.stderr == "secagg: no run history at secagg-runs.sqlite\n")
            #expect(!FileManager.default.fileExists(atPath: inRoot))
        }
    }

    @Test func anUnknownIdIsAnErrorOnOneLine() throws {
        let (directory, path) = try makeHistory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try secagg(["runs", "show", "gamma", "--db", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "secagg: no run with id \"gamma\" in \(path)\n")

        let notHistory = directory.appendingPathComponent("notes.txt")
        try Data(String(repeating: "notes\n", count: 50).utf8).write(to: notHistory)
        let foreign = try secagg(["runs", "list", "--db", notHistory.path])
        #expect(foreign.status == 1)
        #expect(foreign.stderr == "secagg: \(notHistory.path) is not a run history: not an SQLite database\n")
    }
}
