import Foundation
import GRDB
import Harness
import RunHistory
import Testing

let config = #"{"seed": 1, "rounds": 3, "protection": {"kind": "masking"}}"#

func round(
    _ n: Int, accuracy: Double = 0.5, loss: Double = 1.25, maxAbsError: Double? = 1e-5, bytes: Int = 1000
) -> RoundRecord {
    RoundRecord(
        round: n, accuracy: accuracy, loss: loss, maxAbsError: maxAbsError, errorBound: maxAbsError.map { $0 * 3 },
        seconds: .init(admission: 0.25, train: 1.5, protect: 0.125, aggregate: 0.0625), uploadBytes: bytes,
        downloadBytes: 2 * bytes, selected: 10, dropped: n % 3)
}

/// A fresh directory under the temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runhistory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// Checks the error a call throws, and that its description is one line.
func expectError(
    _ expected: RunHistoryError, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(expected), nothing was thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error as? RunHistoryError == expected, sourceLocation: sourceLocation)
        #expect(!"\(error)".contains("\n"), sourceLocation: sourceLocation)
    }
}

@Suite struct RunStoreTests {
    @Test func everyTableRoundTrips() throws {
        let store = try RunStore.inMemory()
        let created = Date(timeIntervalSince1970: 1_700_000_000.123)
        try store.createRun(
            id: "run-1", configJSON: config, protection: "masking", session: "s-1", totalRounds: 3, createdAt: created)
        let at = Date(timeIntervalSince1970: 1_700_000_001.5)
        try store.recordAdmission(runID: "run-1", round: 1, clientID: "c1", admitted: true, reason: nil, at: at)
        try store.recordAdmission(runID: "run-1", round: 1, clientID: "c2", admitted: true, reason: nil, at: at)
        try store.recordAdmission(
            runID: "run-1", round: 1, clientID: "impostor", admitted: false, reason: "bad proof", at: at)
        try store.recordMetric(runID: "run-1", round: 0, name: "keygen.seconds", value: 2.5)
        try store.recordMetric(runID: "run-1", round: 1, name: RunDetail.admissionBytesMetric, value: 4096)
        let rounds = [round(1, maxAbsError: nil), round(2, accuracy: 0.75), round(3, accuracy: 0.875, loss: .infinity)]
        try store.recordRound(runID: "run-1", rounds[0])
        try store.saveCheckpoint(runID: "run-1", round: 1, parameters: [4, 5, 6, 7, 8, 9])
        try store.recordMetric(runID: "run-1", round: 2, name: "bytes.protect.upload", value: 123)
        try store.recordRound(runID: "run-1", rounds[1], checkpoint: [1, 2, 3, 4, 5, 6])
        let parameters: [Float] = [-0.0, .infinity, .leastNonzeroMagnitude, 1.5, -3e38, .nan]
        try store.recordRound(runID: "run-1", rounds[2])
        try store.saveCheckpoint(runID: "run-1", round: 3, parameters: parameters)
        try store.finishRun(runID: "run-1", totalSeconds: 12.5)

        let summary = RunSummary(
            id: "run-1", createdAt: created, status: .finished, failureReason: nil, protection: "masking",
            session: "s-1", roundsDone: 3, totalRounds: 3, finalAccuracy: 0.875, totalSeconds: 12.5)
        let detail = try #require(try store.run(id: "run-1"))
        #expect(abs(detail.summary.createdAt.timeIntervalSince(created)) < 1e-6)
        var expectedSummary = summary
        expectedSummary.createdAt = detail.summary.createdAt
        #expect(detail.summary == expectedSummary)
        #expect(try store.runs() == [expectedSummary])
        #expect(detail.configJSON == config)
        #expect(detail.rounds == rounds)
        #expect(
            detail.admissions == [
                AdmissionEvent(round: 1, clientID: "c1", admitted: true, reason: nil, at: at),
                AdmissionEvent(round: 1, clientID: "c2", admitted: true, reason: nil, at: at),
                AdmissionEvent(round: 1, clientID: "impostor", admitted: false, reason: "bad proof", at: at),
            ])
        #expect(
            detail.metrics == [
                RunMetric(round: 0, name: "keygen.seconds", value: 2.5),
                RunMetric(round: 1, name: RunDetail.admissionBytesMetric, value: 4096),
                RunMetric(round: 2, name: "bytes.protect.upload", value: 123),
            ])
        #expect(detail.checkpointRound == 3)
        #expect(detail.admissionSummary == AdmissionSummary(admitted: 2, rejected: 1, seconds: 0.75, bytes: 4096))

        let checkpoint = try #require(try store.latestCheckpoint(runID: "run-1"))
        #expect(checkpoint.round == 3)
        // Bit for bit, NaN and −0 included.
        #expect(checkpoint.parameters.map(\.bitPattern) == parameters.map(\.bitPattern))
    }

    @Test func nanAccuracyIsStoredAsNullAndReadsBackAsNaN() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("h.sqlite").path
        let store = try RunStore(path: path)
        try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 2)
        try store.recordRound(runID: "r", round(1, accuracy: .nan, loss: .nan))
        let detail = try #require(try store.run(id: "r"))
        #expect(detail.rounds[0].accuracy.isNaN && detail.rounds[0].loss.isNaN)
        #expect(detail.summary.finalAccuracy?.isNaN == true)
        #expect(detail.rounds.count == 1 && detail == detail)
        let json = try JSONSerialization.jsonObject(with: Data(detail.json().utf8)) as? [String: Any]
        let first = try #require((json?["rounds"] as? [[String: Any]])?.first)
        #expect(first["accuracy"] is NSNull)
        try store.close()
        let raw = try DatabaseQueue(path: path)
        let stored = try raw.read { db in
            try Row.fetchOne(db, sql: "SELECT accuracy IS NULL AS a, loss IS NULL AS l FROM rounds")
        }
        #expect(stored?["a"] == true && stored?["l"] == true)
    }

    @Test func openingAnExistingFileMigratesOnceAndKeepsData() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        do {
            let store = try RunStore(path: path)
            try store.createRun(id: "a", configJSON: config, protection: "none", session: "s", totalRounds: 1)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        let again = try RunStore(path: path)
        #expect(try again.runs().map(\.id) == ["a"])
        try again.close()
        let reader = try RunStore.openExisting(path: path)
        #expect(try reader.runs().map(\.id) == ["a"])
        try reader.close()

        let raw = try DatabaseQueue(path: path)
        let (migrations, tables, journal) = try raw.read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(migrations.count == 1)
        for table in ["runs", "rounds", "admission_events", "metrics", "checkpoints"] {
            #expect(tables.contains(table), "\(table)")
        }
        #expect(journal == "wal")
        let foreignKeys = try raw.read { db in try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('rounds')") }
        #expect(foreignKeys == ["runs"])
    }

    @Test func openingWithoutCreatingRefusesMissingAndForeignFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("none.sqlite").path
        expectError(.noHistory(path: missing)) { _ = try RunStore.openExisting(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let text = directory.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        expectError(.notARunHistory(path: text, reason: "not an SQLite database")) {
            _ = try RunStore.openExisting(path: text)
        }
        expectError(.notARunHistory(path: text, reason: "not an SQLite database")) { _ = try RunStore(path: text) }

        let foreign = directory.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE people (name TEXT)") }
        expectError(.notARunHistory(path: foreign, reason: "it holds other tables (people)")) {
            _ = try RunStore(path: foreign)
        }
        let tables = try DatabaseQueue(path: foreign).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["people"])  // untouched

        let empty = directory.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil))
        expectError(.notARunHistory(path: empty, reason: "it is empty")) { _ = try RunStore.openExisting(path: empty) }
        let unreachable = directory.appendingPathComponent("no/such/dir/h.sqlite").path
        expectError(.database("cannot open \(unreachable)")) { _ = try RunStore(path: unreachable) }
        expectError(.notARunHistory(path: directory.path, reason: "it is a directory")) {
            _ = try RunStore.openExisting(path: directory.path)
        }
    }

    @Test func roundAndCheckpointAreOneTransaction() throws {
        let store = try RunStore.inMemory()
        try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 3)
        try store.recordRound(runID: "r", round(1), checkpoint: [1, 2])
        // A checkpoint that cannot be stored (wrong size) takes its round with it.
        expectError(.invalidCheckpoint(runID: "r", round: 2, reason: "3 parameters, the run's checkpoints have 2")) {
            try store.recordRound(runID: "r", round(2), checkpoint: [1, 2, 3])
        }
        expectError(.invalidCheckpoint(runID: "r", round: 2, reason: "no parameters")) {
            try store.recordRound(runID: "r", round(2), checkpoint: [])
        }
        #expect(try store.run(id: "r")?.rounds.map(\.round) == [1])
        #expect(try store.latestCheckpoint(runID: "r")?.round == 1)
        // A round that cannot be stored takes its checkpoint with it.
        expectError(.duplicateRound(runID: "r", round: 1)) { try store.recordRound(runID: "r", round(1), checkpoint: [9, 9]) }
        #expect(try store.latestCheckpoint(runID: "r")?.parameters == [1, 2])

        try store.recordRound(runID: "r", round(2), checkpoint: [3, 4])
        let checkpoint = try #require(try store.latestCheckpoint(runID: "r"))
        #expect(checkpoint.round == 2 && checkpoint.parameters == [3, 4])
        // Only the newest checkpoint is kept; older rounds and the initial model cannot be saved after it.
        expectError(.invalidCheckpoint(runID: "r", round: 1, reason: "the run already has a checkpoint for round 2")) {
            try store.saveCheckpoint(runID: "r", round: 1, parameters: [0, 0])
        }
        expectError(.invalidCheckpoint(runID: "r", round: 3, reason: "not a recorded round (0 … 2)")) {
            try store.saveCheckpoint(runID: "r", round: 3, parameters: [0, 0])
        }
    }

    @Test func resumeFindsTheNewestRunningRunWithTheSameConfig() throws {
        let store = try RunStore.inMemory()
        #expect(try store.unfinishedRun(configJSON: config) == nil)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        try store.createRun(id: "old", configJSON: config, protection: "none", session: "s", totalRounds: 1, createdAt: t0)
        try store.createRun(
            id: "new", configJSON: config, protection: "none", session: "s", totalRounds: 1, createdAt: t0 + 60)
        try store.createRun(
            id: "other", configJSON: config + " ", protection: "none", session: "s", totalRounds: 1, createdAt: t0 + 120)
        #expect(try store.unfinishedRun(configJSON: config) == "new")
        #expect(try store.unfinishedRun(configJSON: config + " ") == "other")
        try store.failRun(runID: "new", reason: "coordinator crashed")
        #expect(try store.unfinishedRun(configJSON: config) == "old")
        try store.recordRound(runID: "old", round(1))
        try store.finishRun(runID: "old", totalSeconds: 1)
        #expect(try store.unfinishedRun(configJSON: config) == nil)
        #expect(try store.runs().map(\.id) == ["other", "new", "old"])
        #expect(try store.runs().map(\.status) == [.running, .failed, .finished])
        #expect(try store.runs()[1].failureReason == "coordinator crashed")
    }

    @Test func rollingBackDropsEverythingAfterTheNewestCheckpoint() throws {
        let store = try RunStore.inMemory()
        try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 5)
        try store.recordMetric(runID: "r", round: 0, name: "keygen.seconds", value: 1)
        #expect(try store.rollBackToLatestCheckpoint(runID: "r") == nil)
        try store.recordRound(runID: "r", round(1), checkpoint: [1])
        try store.recordRound(runID: "r", round(2), checkpoint: [2])
        try store.recordAdmission(runID: "r", round: 3, clientID: "c", admitted: true, reason: nil)
        try store.recordRound(runID: "r", round(3))  // no checkpoint: a crash here loses round 3
        try store.recordMetric(runID: "r", round: 3, name: "m", value: 1)
        try store.recordAdmission(runID: "r", round: 4, clientID: "c", admitted: true, reason: nil)

        let resumed = try #require(try store.rollBackToLatestCheckpoint(runID: "r"))
        #expect(resumed.round == 2 && resumed.parameters == [2])
        let detail = try #require(try store.run(id: "r"))
        #expect(detail.rounds.map(\.round) == [1, 2])
        #expect(detail.admissions.isEmpty)
        #expect(detail.metrics == [RunMetric(round: 0, name: "keygen.seconds", value: 1)])
        try store.recordRound(runID: "r", round(3), checkpoint: [3])
        #expect(try store.run(id: "r")?.summary.roundsDone == 3)
    }

    @Test func unknownRunsAndDuplicatesAreTypedErrors() throws {
        let store = try RunStore.inMemory()
        let x = RunHistoryError.unknownRun("x")
        expectError(x) { try store.recordRound(runID: "x", round(1)) }
        expectError(x) { try store.recordRound(runID: "x", round(1), checkpoint: [1]) }
        expectError(x) { try store.recordAdmission(runID: "x", round: 1, clientID: "c", admitted: true, reason: nil) }
        expectError(x) { try store.recordMetric(runID: "x", round: 1, name: "m", value: 1) }
        expectError(x) { try store.saveCheckpoint(runID: "x", round: 0, parameters: [1]) }
        expectError(x) { try store.finishRun(runID: "x", totalSeconds: 1) }
        expectError(x) { try store.failRun(runID: "x", reason: "r") }
        expectError(x) { _ = try store.latestCheckpoint(runID: "x") }
        expectError(x) { _ = try store.rollBackToLatestCheckpoint(runID: "x") }
        #expect(try store.run(id: "x") == nil)

        try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 2)
        expectError(.duplicateRun("r")) {
            try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 2)
        }
        try store.recordRound(runID: "r", round(1))
        expectError(.duplicateRound(runID: "r", round: 1)) { try store.recordRound(runID: "r", round(1)) }
        expectError(.roundOutOfRange(runID: "r", round: 3, valid: 1...2)) { try store.recordRound(runID: "r", round(3)) }
        expectError(.roundOutOfRange(runID: "r", round: 0, valid: 1...2)) { try store.recordRound(runID: "r", round(0)) }
        try store.recordMetric(runID: "r", round: 1, name: "m", value: 1)
        expectError(.duplicateMetric(runID: "r", round: 1, name: "m")) {
            try store.recordMetric(runID: "r", round: 1, name: "m", value: 2)
        }
        expectError(.roundOutOfRange(runID: "r", round: 3, valid: 0...2)) {
            try store.recordMetric(runID: "r", round: 3, name: "m", value: 1)
        }
        expectError(.roundOutOfRange(runID: "r", round: 0, valid: 1...2)) {
            try store.recordAdmission(runID: "r", round: 0, clientID: "c", admitted: true, reason: nil)
        }
        expectError(.incompleteRun(id: "r", roundsDone: 1, totalRounds: 2)) { try store.finishRun(runID: "r", totalSeconds: 1) }

        try store.createRun(id: "gap", configJSON: config, protection: "none", session: "s", totalRounds: 5)
        expectError(.roundOutOfOrder(runID: "gap", round: 2, expected: 1)) { try store.recordRound(runID: "gap", round(2)) }
        expectError(.roundOutOfRange(runID: "gap", round: 3, valid: 1...1)) {
            try store.recordAdmission(runID: "gap", round: 3, clientID: "c", admitted: true, reason: nil)
        }

        try store.recordRound(runID: "r", round(2))
        try store.finishRun(runID: "r", totalSeconds: 3)
        let finished = RunHistoryError.runNotRunning(id: "r", status: .finished)
        expectError(finished) { try store.recordMetric(runID: "r", round: 0, name: "late", value: 1) }
        expectError(finished) { try store.failRun(runID: "r", reason: "late") }
        expectError(finished) { try store.finishRun(runID: "r", totalSeconds: 3) }
        expectError(finished) { _ = try store.rollBackToLatestCheckpoint(runID: "r") }
        #expect(try store.run(id: "r")?.summary.status == .finished)
    }

    @Test func invalidValuesAreRejected() throws {
        let store = try RunStore.inMemory()
        func rejected(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("accepted", sourceLocation: sourceLocation)
            } catch {
                guard case .invalidValue = error as? RunHistoryError else {
                    Issue.record("\(error)", sourceLocation: sourceLocation)
                    return
                }
                #expect(!"\(error)".contains("\n"), sourceLocation: sourceLocation)
            }
        }
        rejected { try store.createRun(id: "", configJSON: config, protection: "none", session: "s", totalRounds: 1) }
        rejected { try store.createRun(id: "a\nb", configJSON: config, protection: "none", session: "s", totalRounds: 1) }
        rejected { try store.createRun(id: "r", configJSON: "[1]", protection: "none", session: "s", totalRounds: 1) }
        rejected { try store.createRun(id: "r", configJSON: "{", protection: "none", session: "s", totalRounds: 1) }
        rejected { try store.createRun(id: "r", configJSON: config, protection: "", session: "s", totalRounds: 1) }
        rejected { try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 0) }
        rejected {
            try store.createRun(
                id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 1,
                createdAt: Date(timeIntervalSince1970: 1e13))
        }
        #expect(try store.runs().isEmpty)

        try store.createRun(id: "r", configJSON: config, protection: "none", session: "s", totalRounds: 2)
        var bad = round(1)
        bad.maxAbsError = .nan
        rejected { try store.recordRound(runID: "r", bad) }
        bad = round(1)
        bad.errorBound = -1
        rejected { try store.recordRound(runID: "r", bad) }
        bad = round(1)
        bad.seconds.train = .infinity
        rejected { try store.recordRound(runID: "r", bad) }
        bad = round(1)
        bad.uploadBytes = -1
        rejected { try store.recordRound(runID: "r", bad) }
        bad = round(1)
        bad.dropped = bad.selected + 1
        rejected { try store.recordRound(runID: "r", bad) }
        rejected { try store.recordMetric(runID: "r", round: 1, name: "", value: 1) }
        rejected { try store.recordMetric(runID: "r", round: 1, name: "m", value: .nan) }
        rejected { try store.recordAdmission(runID: "r", round: 1, clientID: "", admitted: true, reason: nil) }
        rejected { try store.failRun(runID: "r", reason: "  \n") }
        rejected { try store.finishRun(runID: "r", totalSeconds: -1) }
        #expect(try store.run(id: "r")?.rounds.isEmpty == true)
        #expect(try store.run(id: "r")?.summary.status == .running)
    }

    @Test func aReopenedStoreResumesAfterItsLastFinishedRound() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("coordinator.sqlite").path
        do {  // The first coordinator: two rounds, then it dies (no finishRun).
            let store = try RunStore(path: path)
            try store.createRun(id: "r", configJSON: config, protection: "masking", session: "s", totalRounds: 3)
            try store.saveCheckpoint(runID: "r", round: 0, parameters: [0, 0, 0])
            try store.recordRound(runID: "r", round(1), checkpoint: [1, 1, 1])
            try store.recordRound(runID: "r", round(2, accuracy: 0.625), checkpoint: [2, 2, 2])
            try store.close()
            expectError(.closed) { _ = try store.runs() }
            expectError(.closed) { try store.recordRound(runID: "r", round(3)) }
            try store.close()  // again: nothing to do
        }
        let store = try RunStore(path: path)  // The restarted coordinator.
        let id = try #require(try store.unfinishedRun(configJSON: config))
        #expect(id == "r")
        let checkpoint = try #require(try store.rollBackToLatestCheckpoint(runID: id))
        #expect(checkpoint.round == 2 && checkpoint.parameters == [2, 2, 2])
        let detail = try #require(try store.run(id: id))
        #expect(detail.rounds == [round(1), round(2, accuracy: 0.625)])
        try store.recordRound(runID: id, round(3), checkpoint: [3, 3, 3])
        try store.finishRun(runID: id, totalSeconds: 9)
        #expect(try store.unfinishedRun(configJSON: config) == nil)
        #expect(try RunStore.openExisting(path: path).runs().first?.roundsDone == 3)
    }

    @Test func concurrentWritersFromManyTasks() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RunStore(path: directory.appendingPathComponent("h.sqlite").path)
        try store.createRun(id: "shared", configJSON: config, protection: "none", session: "s", totalRounds: 1)
        let tasks = 8, roundsPerRun = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    let id = "run-\(t)"
                    try store.createRun(
                        id: id, configJSON: config, protection: "none", session: "s", totalRounds: roundsPerRun)
                    for r in 1...roundsPerRun {
                        try store.recordAdmission(runID: id, round: r, clientID: "c\(t)", admitted: true, reason: nil)
                        try store.recordRound(runID: id, round(r, bytes: t), checkpoint: [Float(t), Float(r)])
                        try store.recordMetric(runID: "shared", round: 1, name: "task\(t).round\(r)", value: Double(r))
                    }
                    try store.finishRun(runID: id, totalSeconds: Double(t))
                }
            }
            try await group.waitForAll()
        }
        let runs = try store.runs()
        #expect(runs.count == tasks + 1)
        for t in 0..<tasks {
            let detail = try #require(try store.run(id: "run-\(t)"))
            #expect(detail.summary.status == .finished)
            #expect(detail.rounds.map(\.round) == Array(1...roundsPerRun))
            #expect(detail.rounds.allSatisfy { $0.uploadBytes == t })
            #expect(detail.admissions.count == roundsPerRun)
            #expect(try store.latestCheckpoint(runID: "run-\(t)")?.parameters == [Float(t), Float(roundsPerRun)])
        }
        #expect(try store.run(id: "shared")?.metrics.count == tasks * roundsPerRun)
    }

    @Test func jsonUsesTheKeysOfResultsJSON() throws {
        let store = try RunStore.inMemory()
        try store.createRun(
            id: "r\"1", configJSON: config, protection: "masking", session: "s", totalRounds: 2,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123))
        try store.recordAdmission(runID: "r\"1", round: 1, clientID: "c", admitted: false, reason: "replayed proof")
        try store.recordRound(runID: "r\"1", round(1, maxAbsError: nil))
        try store.recordRound(runID: "r\"1", round(2))
        try store.finishRun(runID: "r\"1", totalSeconds: 4.5)
        let detail = try #require(try store.run(id: "r\"1"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(detail.json().utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["id"] as? String == "r\"1")
        #expect(object["created"] as? String == "2023-11-14T22:13:20.123Z")
        #expect(object["status"] as? String == "finished")
        #expect((object["config"] as? [String: Any])?["seed"] as? Int == 1)
        let rounds = try #require(object["rounds"] as? [[String: Any]])
        #expect(rounds.count == 2)
        #expect(rounds[0]["max_abs_error"] is NSNull)
        #expect((rounds[1]["bytes"] as? [String: Any])?["upload"] as? Int == 1000)
        #expect((rounds[1]["clients"] as? [String: Any])?["dropped"] as? Int == 2)
        // The round objects are exactly those of results.json.
        let result = RunResult(configJSON: config, rounds: detail.rounds, totalSeconds: 4.5, admission: nil)
        let resultsRounds = try #require(
            (try JSONSerialization.jsonObject(with: Data(result.json().utf8)) as? [String: Any])?["rounds"] as? [[String: Any]])
        #expect(NSArray(array: rounds).isEqual(to: resultsRounds))
        let final = try #require(object["final"] as? [String: Any])
        #expect(final["accuracy"] as? Double == 0.5 && final["total_seconds"] as? Double == 4.5)
        let admission = try #require(object["admission"] as? [String: Any])
        #expect(admission["admitted"] as? Int == 0 && admission["rejected"] as? Int == 1)
        let events = try #require(object["admission_events"] as? [[String: Any]])
        #expect(events.first?["reason"] as? String == "replayed proof")

        let list = try #require(
            try JSONSerialization.jsonObject(with: Data(RunSummary.json(store.runs()).utf8)) as? [String: Any])
        let runs = try #require(list["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["rounds_done"] as? Int == 2 && runs[0]["total_rounds"] as? Int == 2)
        #expect(try JSONSerialization.jsonObject(with: Data(RunSummary.json([]).utf8)) is [String: Any])

        // A config written over several lines (with a string holding an escaped line break) stays valid JSON.
        let pretty = "{\n  \"seed\": 2,\n  \"note\": \"a\\nb\"\n}\n"
        try store.createRun(id: "pretty", configJSON: pretty, protection: "none", session: "s", totalRounds: 1)
        let prettyJSON = try #require(try store.run(id: "pretty")).json()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(prettyJSON.utf8)) as? [String: Any])
        #expect((parsed["config"] as? [String: Any])?["note"] as? String == "a\nb")
        #expect(try store.run(id: "pretty")?.configJSON == pretty)
    }
}
