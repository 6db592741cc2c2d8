public import Foundation
public import Harness
import GRDB

/// The run history of the networked coordinator: one SQLite file (through GRDB) with every run, its rounds,
/// admission events, free-form metrics and the newest model checkpoint. `Specs/run-history.md` has the
/// schema and the rules each call enforces.
///
/// Calls are synchronous and thread-safe: one serialized connection (`DatabaseQueue`) per store, each
/// call one transaction. Several processes may share a file (WAL mode, a 10 s busy timeout).
public final class RunStore: Sendable {
    private let connection: Connection
    /// The file, or nil for an in-memory store.
    public let path: String?

    /// The file `secagg serve` writes and `secagg runs` reads when no `--db` is given: relative, so in the
    /// current directory.
    public static let defaultPath = "secagg-runs.sqlite"

    /// Opens the history at `path`, creating the file when it is missing, and brings its schema up to date.
    /// - Throws: ``RunHistoryError/notARunHistory(path:reason:)`` when the file is another database or not
    ///   SQLite; ``RunHistoryError/database(_:)`` when it cannot be opened or written.
    public convenience init(path: String) throws(RunHistoryError) {
        try self.init(queue: RunStore.openQueue(path: path, mustExist: false), path: path)
        try migrate(create: true)
    }

    /// Opens an existing history (never creates a file): what `secagg runs` reads. An older schema is
    /// upgraded; a newer one (from a later `secagg`) is read as it is.
    /// - Throws: ``RunHistoryError/noHistory(path:)`` when there is no file at `path`.
    public static func openExisting(path: String) throws(RunHistoryError) -> RunStore {
        let store = try RunStore(queue: openQueue(path: path, mustExist: true), path: path)
        try store.migrate(create: false)
        return store
    }

    /// An empty history that lives as long as the value (for tests).
    public static func inMemory() throws(RunHistoryError) -> RunStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration)
        } catch {
            throw wrap(error)
        }
        let store = RunStore(queue: queue, path: nil)
        try store.migrate(create: true)
        return store
    }

    private init(queue: DatabaseQueue, path: String?) {
        self.connection = Connection(queue)
        self.path = path
    }

    /// Closes the file; later calls throw ``RunHistoryError/closed``, closing again does nothing. Dropping
    /// the last reference to the store closes it too.
    public func close() throws(RunHistoryError) {
        do {
            try connection.close()
        } catch {
            throw RunStore.wrap(error)
        }
    }

    // MARK: - Opening

    private static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "RunHistory"
        return config
    }

    private static func openQueue(path: String, mustExist: Bool) throws(RunHistoryError) -> DatabaseQueue {
        guard !path.isEmpty else { throw .invalidValue("the run history path is empty") }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue { throw .notARunHistory(path: path, reason: "it is a directory") }
        if mustExist && !exists { throw .noHistory(path: path) }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw opening(path, error)
        }
    }

    /// Checks that the database is empty or already a run history, applies the migrations it lacks and, for
    /// a file opened to write, switches it to WAL. An empty database is made a history only when `create`.
    private func migrate(create: Bool) throws(RunHistoryError) {
        let name = path ?? ":memory:"
        let migrator = Schema.migrator
        do {
            // Raw GRDB errors here (not `read`), so that `opening` can tell a file that is not SQLite.
            let (applied, tables) = try connection.use { queue in
                try queue.read { db in
                    (
                        try migrator.appliedIdentifiers(db),
                        try String.fetchAll(
                            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    )
                }
            }
            if applied.isDisjoint(with: Schema.migrationIDs) {
                if !tables.isEmpty {
                    let list = tables.sorted().prefix(5).joined(separator: ", ")
                    throw RunHistoryError.notARunHistory(path: name, reason: "it holds other tables (\(list))")
                }
                if !create { throw RunHistoryError.notARunHistory(path: name, reason: "it is empty") }
            }
            // Nothing is written to an up-to-date file (so a read-only one can still be read).
            if Set(Schema.migrationIDs).isSubset(of: applied), !create { return }
            try connection.use { queue in
                try migrator.migrate(queue)
                if create, path != nil {
                    try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
                }
            }
        } catch {
            throw RunStore.opening(name, error)
        }
    }

    private static func opening(_ path: String, _ error: any Error) -> RunHistoryError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
            return .notARunHistory(path: path, reason: "not an SQLite database")
        }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_CANTOPEN {
            return .database("cannot open \(path)")
        }
        return wrap(error)
    }

    // MARK: - Writing

    /// Starts a run in state `running`.
    /// - Parameters:
    ///   - id: 1 … 200 characters, no control characters; unique in the file.
    ///   - configJSON: the resolved config, a JSON object (stored as given: ``unfinishedRun(configJSON:)``
    ///     compares it byte for byte).
    ///   - protection: the protection kind's name; session: the coordinator's session id.
    ///   - totalRounds: ≥ 1; rounds 1 … totalRounds can be recorded.
    ///   - createdAt: stored to the millisecond (UTC).
    public func createRun(
        id: String, configJSON: String, protection: String, session: String, totalRounds: Int,
        createdAt: Date = Date()
    ) throws(RunHistoryError) {
        guard (1...200).contains(id.count), !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidValue("run id must be 1 … 200 characters without control characters") }
        guard isJSONObject(configJSON) else { throw .invalidValue("run \(quoted(id)): the config is not a JSON object") }
        guard !protection.isEmpty else { throw .invalidValue("run \(quoted(id)): the protection name is empty") }
        guard totalRounds >= 1 else { throw .invalidValue("run \(quoted(id)): total rounds must be ≥ 1, got \(totalRounds)") }
        guard Timestamp.representable(createdAt) else { throw .invalidValue("run \(quoted(id)): creation date \(createdAt)") }
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id]) != nil {
                throw RunHistoryError.duplicateRun(id)
            }
            try db.execute(
                sql: """
                    INSERT INTO runs (id, created_at, config_json, protection, session, status, total_rounds)
                    VALUES (?, ?, ?, ?, ?, 'running', ?)
                    """,
                arguments: [id, Timestamp.text(createdAt), configJSON, protection, session, totalRounds])
        }
    }

    /// Records one client's admission attempt for `round` (1 … the round after the last recorded one).
    public func recordAdmission(
        runID: String, round: Int, clientID: String, admitted: Bool, reason: String?, at: Date = Date()
    ) throws(RunHistoryError) {
        guard !clientID.isEmpty else { throw .invalidValue("run \(quoted(runID)): empty client id") }
        guard Timestamp.representable(at) else { throw .invalidValue("run \(quoted(runID)): admission date \(at)") }
        try write { db in
            let run = try runningRun(db, runID)
            let valid = 1...min(run.totalRounds, run.roundsDone + 1)
            guard valid.contains(round) else { throw RunHistoryError.roundOutOfRange(runID: runID, round: round, valid: valid) }
            try db.execute(
                sql: "INSERT INTO admission_events (run_id, round, client_id, admitted, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [runID, round, clientID, admitted, reason, Timestamp.text(at)])
        }
    }

    /// Records the next round of a running run (round numbers go 1, 2, … with no gap or repeat).
    ///
    /// A NaN accuracy or loss (a diverged model) is stored as NULL and reads back as `.nan`; ±∞ is stored
    /// as is. `maxAbsError` and `errorBound` must be finite and ≥ 0 when present (NULL means "no
    /// protection"), seconds finite and ≥ 0, byte and client counts ≥ 0, `dropped ≤ selected`.
    public func recordRound(runID: String, _ record: RoundRecord) throws(RunHistoryError) {
        try recordRound(runID: runID, record, checkpointParameters: nil)
    }

    /// Records the next round and the model after it in one transaction: either both are stored or
    /// neither, so a crash never leaves a round without its model. The checkpoint replaces the run's
    /// previous one (see ``saveCheckpoint(runID:round:parameters:)``).
    public func recordRound(runID: String, _ record: RoundRecord, checkpoint parameters: [Float]) throws(RunHistoryError) {
        try recordRound(runID: runID, record, checkpointParameters: parameters)
    }

    private func recordRound(runID: String, _ r: RoundRecord, checkpointParameters: [Float]?) throws(RunHistoryError) {
        try validate(r, runID: runID)
        try write { db in
            let run = try runningRun(db, runID)
            guard (1...run.totalRounds).contains(r.round) else {
                throw RunHistoryError.roundOutOfRange(runID: runID, round: r.round, valid: 1...run.totalRounds)
            }
            guard r.round > run.roundsDone else { throw RunHistoryError.duplicateRound(runID: runID, round: r.round) }
            guard r.round == run.roundsDone + 1 else {
                throw RunHistoryError.roundOutOfOrder(runID: runID, round: r.round, expected: run.roundsDone + 1)
            }
            try db.execute(
                sql: """
                    INSERT INTO rounds (run_id, round, accuracy, loss, max_abs_error, error_bound, seconds_admission,
                        seconds_train, seconds_protect, seconds_aggregate, bytes_upload, bytes_download,
                        clients_selected, clients_dropped)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, r.round, r.accuracy.isNaN ? nil : r.accuracy, r.loss.isNaN ? nil : r.loss, r.maxAbsError,
                    r.errorBound, r.seconds.admission, r.seconds.train, r.seconds.protect, r.seconds.aggregate,
                    r.uploadBytes, r.downloadBytes, r.selected, r.dropped,
                ])
            if let checkpointParameters {
                try insertCheckpoint(db, runID: runID, round: r.round, parameters: checkpointParameters, roundsDone: r.round)
            }
        }
    }

    /// Records a free-form number: `round` 0 for the whole run, or 1 … the round after the last recorded
    /// one. `name` is non-empty and unique per run and round; `value` is finite.
    public func recordMetric(runID: String, round: Int, name: String, value: Double) throws(RunHistoryError) {
        guard !name.isEmpty else { throw .invalidValue("run \(quoted(runID)): empty metric name") }
        guard value.isFinite else { throw .invalidValue("run \(quoted(runID)): metric \(quoted(name)) is \(value), not finite") }
        try write { db in
            let run = try runningRun(db, runID)
            let valid = 0...min(run.totalRounds, run.roundsDone + 1)
            guard valid.contains(round) else { throw RunHistoryError.roundOutOfRange(runID: runID, round: round, valid: valid) }
            let exists = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM metrics WHERE run_id = ? AND round = ? AND name = ?", arguments: [runID, round, name])
            if exists != nil { throw RunHistoryError.duplicateMetric(runID: runID, round: round, name: name) }
            try db.execute(
                sql: "INSERT INTO metrics (run_id, round, name, value) VALUES (?, ?, ?, ?)",
                arguments: [runID, round, name, value])
        }
    }

    /// Saves the model after `round` — 0 for the initial model, else a recorded round — as the run's
    /// checkpoint, deleting the older one in the same transaction (resuming needs only the newest, and a
    /// model can be megabytes). `round` must be after the current checkpoint's, and the parameter count the
    /// same as its.
    public func saveCheckpoint(runID: String, round: Int, parameters: [Float]) throws(RunHistoryError) {
        try write { db in
            let run = try runningRun(db, runID)
            try insertCheckpoint(db, runID: runID, round: round, parameters: parameters, roundsDone: run.roundsDone)
        }
    }

    /// Marks a running run finished after its last round.
    /// - Throws: ``RunHistoryError/incompleteRun(id:roundsDone:totalRounds:)`` before every round is recorded.
    public func finishRun(runID: String, totalSeconds: Double) throws(RunHistoryError) {
        guard totalSeconds.isFinite, totalSeconds >= 0 else {
            throw .invalidValue("run \(quoted(runID)): total seconds must be finite and ≥ 0, got \(totalSeconds)")
        }
        try write { db in
            let run = try runningRun(db, runID)
            guard run.roundsDone == run.totalRounds else {
                throw RunHistoryError.incompleteRun(id: runID, roundsDone: run.roundsDone, totalRounds: run.totalRounds)
            }
            try db.execute(
                sql: "UPDATE runs SET status = 'finished', total_seconds = ? WHERE id = ?", arguments: [totalSeconds, runID])
        }
    }

    /// Marks a running run failed; `reason` (non-empty) is shown by `secagg runs`. Its rounds stay.
    public func failRun(runID: String, reason: String) throws(RunHistoryError) {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidValue("run \(quoted(runID)): empty failure reason") }
        try write { db in
            _ = try runningRun(db, runID)
            try db.execute(
                sql: "UPDATE runs SET status = 'failed', failure_reason = ? WHERE id = ?", arguments: [reason, runID])
        }
    }

    /// Prepares a running run to resume: deletes what was recorded for rounds after its newest checkpoint
    /// (rounds, admission events and metrics of those rounds), in one transaction, and returns that
    /// checkpoint. The coordinator continues with round `round + 1` from `parameters`; nil means no
    /// checkpoint: every round was deleted and the run restarts at round 1 from its initial model.
    public func rollBackToLatestCheckpoint(runID: String) throws(RunHistoryError) -> (round: Int, parameters: [Float])? {
        try write { db in
            _ = try runningRun(db, runID)
            let checkpoint = try fetchCheckpoint(db, runID)
            let keep = checkpoint?.round ?? 0
            for table in ["rounds", "admission_events", "metrics"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ? AND round > ?", arguments: [runID, keep])
            }
            return checkpoint
        }
    }

    // MARK: - Reading

    /// Every run, newest first.
    public func runs() throws(RunHistoryError) -> [RunSummary] {
        try read { db in
            try Row.fetchAll(db, sql: RunStore.summarySQL + " ORDER BY created_at DESC, runs.rowid DESC")
                .map(RunStore.summary)
        }
    }

    /// Everything recorded for a run, or nil when there is no run with this id.
    public func run(id: String) throws(RunHistoryError) -> RunDetail? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: RunStore.summarySQL + " WHERE runs.id = ?", arguments: [id]) else {
                return nil
            }
            let summary = try RunStore.summary(row)
            let config: String = try row.decode(forColumn: "config_json")
            let rounds = try Row.fetchAll(db, sql: "SELECT * FROM rounds WHERE run_id = ? ORDER BY round", arguments: [id])
                .map(RunStore.roundRecord)
            let admissions = try Row.fetchAll(
                db, sql: "SELECT * FROM admission_events WHERE run_id = ? ORDER BY id", arguments: [id]
            ).map { row in
                AdmissionEvent(
                    round: try row.decode(forColumn: "round"), clientID: try row.decode(forColumn: "client_id"),
                    admitted: try row.decode(forColumn: "admitted"), reason: try row.decode(forColumn: "reason"),
                    at: try RunStore.date(row, "at"))
            }
            let metrics = try Row.fetchAll(
                db, sql: "SELECT round, name, value FROM metrics WHERE run_id = ? ORDER BY round, id", arguments: [id]
            ).map { row in
                RunMetric(
                    round: try row.decode(forColumn: "round"), name: try row.decode(forColumn: "name"),
                    value: try row.decode(forColumn: "value"))
            }
            let checkpointRound = try Int.fetchOne(
                db, sql: "SELECT MAX(round) FROM checkpoints WHERE run_id = ?", arguments: [id])
            return RunDetail(
                summary: summary, configJSON: config, rounds: rounds, admissions: admissions, metrics: metrics,
                checkpointRound: checkpointRound)
        }
    }

    /// The run's newest checkpoint, nil when it has none.
    /// - Throws: ``RunHistoryError/unknownRun(_:)`` when there is no such run.
    public func latestCheckpoint(runID: String) throws(RunHistoryError) -> (round: Int, parameters: [Float])? {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != nil else {
                throw RunHistoryError.unknownRun(runID)
            }
            return try fetchCheckpoint(db, runID)
        }
    }

    /// The newest `running` run whose config is exactly `configJSON` (byte for byte), or nil: the run a
    /// restarted coordinator resumes (`Specs/run-history.md`, "Resuming").
    public func unfinishedRun(configJSON: String) throws(RunHistoryError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT id FROM runs WHERE status = 'running' AND config_json = ?
                    ORDER BY created_at DESC, rowid DESC LIMIT 1
                    """,
                arguments: [configJSON])
        }
    }

    // MARK: - Helpers

    private func write<T>(_ body: (Database) throws -> T) throws(RunHistoryError) -> T {
        do {
            return try connection.use { queue in try queue.write(body) }
        } catch {
            throw RunStore.wrap(error)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(RunHistoryError) -> T {
        do {
            return try connection.use { queue in try queue.read(body) }
        } catch {
            throw RunStore.wrap(error)
        }
    }

    static func wrap(_ error: any Error) -> RunHistoryError {
        switch error {
        case let error as RunHistoryError: return error
        case let error as DatabaseError:
            return .database("SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message")")
        case let error as RowDecodingError: return .corruptRecord(String(String(describing: error).prefix(300)))
        default: return .database(String(String(describing: error).prefix(300)))
        }
    }

    private struct RunState {
        var totalRounds: Int
        var roundsDone: Int
    }

    /// The run's round counts; throws unless it exists and is running.
    private func runningRun(_ db: Database, _ runID: String) throws -> RunState {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT status, total_rounds, (SELECT COUNT(*) FROM rounds WHERE run_id = runs.id) AS rounds_done
                    FROM runs WHERE id = ?
                    """,
                arguments: [runID])
        else { throw RunHistoryError.unknownRun(runID) }
        let status = try RunStore.status(row)
        guard status == .running else { throw RunHistoryError.runNotRunning(id: runID, status: status) }
        return RunState(totalRounds: try row.decode(forColumn: "total_rounds"), roundsDone: try row.decode(forColumn: "rounds_done"))
    }

    private func insertCheckpoint(_ db: Database, runID: String, round: Int, parameters: [Float], roundsDone: Int) throws {
        guard !parameters.isEmpty else {
            throw RunHistoryError.invalidCheckpoint(runID: runID, round: round, reason: "no parameters")
        }
        guard (0...roundsDone).contains(round) else {
            throw RunHistoryError.invalidCheckpoint(
                runID: runID, round: round, reason: "not a recorded round (0 … \(roundsDone))")
        }
        if let current = try Row.fetchOne(
            db, sql: "SELECT round, parameter_count FROM checkpoints WHERE run_id = ? ORDER BY round DESC LIMIT 1",
            arguments: [runID])
        {
            let currentRound: Int = try current.decode(forColumn: "round")
            let count: Int = try current.decode(forColumn: "parameter_count")
            guard round > currentRound else {
                throw RunHistoryError.invalidCheckpoint(
                    runID: runID, round: round, reason: "the run already has a checkpoint for round \(currentRound)")
            }
            guard parameters.count == count else {
                throw RunHistoryError.invalidCheckpoint(
                    runID: runID, round: round,
                    reason: "\(parameters.count) parameters, the run's checkpoints have \(count)")
            }
        }
        try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ?", arguments: [runID])
        try db.execute(
            sql: "INSERT INTO checkpoints (run_id, round, parameter_count, parameters) VALUES (?, ?, ?, ?)",
            arguments: [runID, round, parameters.count, Float32LE.encode(parameters)])
    }

    private func fetchCheckpoint(_ db: Database, _ runID: String) throws -> (round: Int, parameters: [Float])? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT round, parameter_count, parameters FROM checkpoints WHERE run_id = ? ORDER BY round DESC LIMIT 1",
                arguments: [runID])
        else { return nil }
        let round: Int = try row.decode(forColumn: "round")
        let count: Int = try row.decode(forColumn: "parameter_count")
        let data: Data = try row.decode(forColumn: "parameters")
        guard let parameters = Float32LE.decode(data), parameters.count == count else {
            throw RunHistoryError.corruptRecord(
                "run \(quoted(runID)): checkpoint of round \(round) has \(data.count) bytes for \(count) parameters")
        }
        return (round, parameters)
    }

    private static let summarySQL = """
        SELECT runs.*,
            (SELECT COUNT(*) FROM rounds WHERE run_id = runs.id) AS rounds_done,
            (SELECT accuracy FROM rounds WHERE run_id = runs.id ORDER BY round DESC LIMIT 1) AS final_accuracy
        FROM runs
        """

    private static func summary(_ row: Row) throws -> RunSummary {
        let roundsDone: Int = try row.decode(forColumn: "rounds_done")
        let accuracy: Double? = try row.decode(forColumn: "final_accuracy")
        return RunSummary(
            id: try row.decode(forColumn: "id"), createdAt: try date(row, "created_at"), status: try status(row),
            failureReason: try row.decode(forColumn: "failure_reason"), protection: try row.decode(forColumn: "protection"),
            session: try row.decode(forColumn: "session"), roundsDone: roundsDone,
            totalRounds: try row.decode(forColumn: "total_rounds"),
            finalAccuracy: roundsDone == 0 ? nil : (accuracy ?? .nan), totalSeconds: try row.decode(forColumn: "total_seconds"))
    }

    private static func roundRecord(_ row: Row) throws -> RoundRecord {
        let accuracy: Double? = try row.decode(forColumn: "accuracy")
        let loss: Double? = try row.decode(forColumn: "loss")
        return RoundRecord(
            round: try row.decode(forColumn: "round"), accuracy: accuracy ?? .nan, loss: loss ?? .nan,
            maxAbsError: try row.decode(forColumn: "max_abs_error"), errorBound: try row.decode(forColumn: "error_bound"),
            seconds: .init(
                admission: try row.decode(forColumn: "seconds_admission"), train: try row.decode(forColumn: "seconds_train"),
                protect: try row.decode(forColumn: "seconds_protect"), aggregate: try row.decode(forColumn: "seconds_aggregate")),
            uploadBytes: try row.decode(forColumn: "bytes_upload"), downloadBytes: try row.decode(forColumn: "bytes_download"),
            selected: try row.decode(forColumn: "clients_selected"), dropped: try row.decode(forColumn: "clients_dropped"))
    }

    private static func status(_ row: Row) throws -> RunStatus {
        let text: String = try row.decode(forColumn: "status")
        guard let status = RunStatus(rawValue: text) else {
            throw RunHistoryError.corruptRecord("unknown run status \(quoted(text))")
        }
        return status
    }

    private static func date(_ row: Row, _ column: String) throws -> Date {
        let text: String = try row.decode(forColumn: column)
        guard let date = Timestamp.date(text) else {
            throw RunHistoryError.corruptRecord("\(column) \(quoted(text)) is not a timestamp")
        }
        return date
    }
}

/// Rejects a round record the schema would store wrongly or that no run could produce.
private func validate(_ r: RoundRecord, runID: String) throws(RunHistoryError) {
    func fail(_ what: String) -> RunHistoryError { .invalidValue("run \(quoted(runID)) round \(r.round): \(what)") }
    for (name, value) in [("max_abs_error", r.maxAbsError), ("error_bound", r.errorBound)] {
        if let value, !(value.isFinite && value >= 0) { throw fail("\(name) must be finite and ≥ 0, got \(value)") }
    }
    let seconds = [
        ("admission", r.seconds.admission), ("train", r.seconds.train), ("protect", r.seconds.protect),
        ("aggregate", r.seconds.aggregate),
    ]
    for (name, value) in seconds where !(value.isFinite && value >= 0) {
        throw fail("\(name) seconds must be finite and ≥ 0, got \(value)")
    }
    guard r.uploadBytes >= 0, r.downloadBytes >= 0 else { throw fail("byte counts must be ≥ 0") }
    guard r.selected >= 0, (0...r.selected).contains(r.dropped) else {
        throw fail("clients must satisfy 0 ≤ dropped (\(r.dropped)) ≤ selected (\(r.selected))")
    }
}

private func isJSONObject(_ text: String) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return false }
    return object is [String: Any]
}

/// The store's `DatabaseQueue` until `close()`. The lock is held for each whole call, so a call never runs
/// on a connection another thread is closing (GRDB does not check for that); the queue serializes the
/// calls anyway. Hence `@unchecked Sendable`: `queue` is only touched under `lock`.
private final class Connection: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: DatabaseQueue?

    init(_ queue: DatabaseQueue) {
        self.queue = queue
    }

    func use<T>(_ body: (DatabaseQueue) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let queue else { throw RunHistoryError.closed }
        return try body(queue)
    }

    func close() throws {
        lock.lock()
        defer { lock.unlock() }
        try queue?.close()
        queue = nil
    }
}
