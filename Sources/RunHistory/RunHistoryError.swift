/// Every failure of the run history: bad input, a rule of the store broken, or SQLite itself.
///
/// `description` is one line (the CLI prints it as `secagg: <description>`).
public enum RunHistoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The history file does not exist (opening for reading never creates one).
    case noHistory(path: String)
    /// The file exists but is not a SecAggKit run history (another SQLite database, or not SQLite).
    case notARunHistory(path: String, reason: String)
    /// No run has this id.
    case unknownRun(String)
    /// A run with this id already exists.
    case duplicateRun(String)
    /// The run is finished or failed, so nothing more can be recorded for it.
    case runNotRunning(id: String, status: RunStatus)
    /// Round `round` of the run is already recorded.
    case duplicateRound(runID: String, round: Int)
    /// Rounds are recorded in order: the next one must be `expected`.
    case roundOutOfOrder(runID: String, round: Int, expected: Int)
    /// A round number outside what the call accepts (`valid` says the range).
    case roundOutOfRange(runID: String, round: Int, valid: ClosedRange<Int>)
    /// `finishRun` before every round was recorded.
    case incompleteRun(id: String, roundsDone: Int, totalRounds: Int)
    /// A metric of this name is already recorded for the round.
    case duplicateMetric(runID: String, round: Int, name: String)
    /// A checkpoint that cannot be saved (no parameters, not after the latest one, round not recorded).
    case invalidCheckpoint(runID: String, round: Int, reason: String)
    /// An argument out of its domain; the text names it and says why.
    case invalidValue(String)
    /// A stored row that cannot be read back (edited by hand, or a damaged file).
    case corruptRecord(String)
    /// The store was closed with `close()`.
    case closed
    /// SQLite reported an error (I/O, locking, a constraint the checks above did not anticipate).
    case database(String)

    public var description: String {
        let text: String
        switch self {
        case .noHistory(let path): text = "no run history at \(path)"
        case .notARunHistory(let path, let reason): text = "\(path) is not a run history: \(reason)"
        case .unknownRun(let id): text = "no run with id \(quoted(id))"
        case .duplicateRun(let id): text = "a run with id \(quoted(id)) already exists"
        case .runNotRunning(let id, let status): text = "run \(quoted(id)) is \(status.rawValue), not running"
        case .duplicateRound(let id, let round): text = "run \(quoted(id)) already has round \(round)"
        case .roundOutOfOrder(let id, let round, let expected):
            text = "run \(quoted(id)): round \(round) recorded out of order, the next round is \(expected)"
        case .roundOutOfRange(let id, let round, let valid):
            text = "run \(quoted(id)): round \(round) is not in \(valid.lowerBound) … \(valid.upperBound)"
        case .incompleteRun(let id, let done, let total):
            text = "run \(quoted(id)) has \(done) of \(total) rounds and cannot be finished (fail it instead)"
        case .duplicateMetric(let id, let round, let name):
            text = "run \(quoted(id)) already has metric \(quoted(name)) for round \(round)"
        case .invalidCheckpoint(let id, let round, let reason):
            text = "run \(quoted(id)): checkpoint for round \(round): \(reason)"
        case .invalidValue(let why): text = "invalid value: \(why)"
        case .corruptRecord(let why): text = "damaged run history: \(why)"
        case .closed: text = "the run history is closed"
        case .database(let why): text = "run history database: \(why)"
        }
        return singleLine(text)
    }
}

/// `"id"`, with the id cut to 80 characters so a hostile id cannot flood a one-line message.
func quoted(_ text: String) -> String {
    "\"" + (text.count > 80 ? text.prefix(80) + "…" : text) + "\""
}

/// The text with line breaks replaced by spaces.
func singleLine(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
}
