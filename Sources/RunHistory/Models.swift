public import Foundation
public import Harness

/// Where a run stands. Stored as its raw value in `runs.status`.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    /// Created and not yet finished or failed; the only state that accepts records.
    case running
    /// Every round recorded and `finishRun` called.
    case finished
    /// Stopped by `failRun` with a reason.
    case failed
}

/// One row of `secagg runs list`.
public struct RunSummary: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var status: RunStatus
    /// Set only when `status` is `.failed`.
    public var failureReason: String?
    /// The protection kind (`none`, `masking`, `secagg+`, …), as the coordinator named it.
    public var protection: String
    /// The coordinator's session id (the one admission proofs are bound to).
    public var session: String
    /// Rounds recorded so far (they are numbered 1 … `roundsDone`).
    public var roundsDone: Int
    public var totalRounds: Int
    /// Accuracy after the last recorded round; nil before the first round, `.nan` if that round's accuracy
    /// was not a number.
    public var finalAccuracy: Double?
    /// Set by `finishRun`.
    public var totalSeconds: Double?

    public init(
        id: String, createdAt: Date, status: RunStatus, failureReason: String?, protection: String, session: String,
        roundsDone: Int, totalRounds: Int, finalAccuracy: Double?, totalSeconds: Double?
    ) {
        self.id = id
        self.createdAt = createdAt
        self.status = status
        self.failureReason = failureReason
        self.protection = protection
        self.session = session
        self.roundsDone = roundsDone
        self.totalRounds = totalRounds
        self.finalAccuracy = finalAccuracy
        self.totalSeconds = totalSeconds
    }

    /// `==` that treats two NaN accuracies as equal (NaN is what a NULL accuracy reads back as).
    public static func == (a: RunSummary, b: RunSummary) -> Bool {
        a.id == b.id && a.createdAt == b.createdAt && a.status == b.status && a.failureReason == b.failureReason
            && a.protection == b.protection && a.session == b.session && a.roundsDone == b.roundsDone
            && a.totalRounds == b.totalRounds && sameNumber(a.finalAccuracy, b.finalAccuracy)
            && a.totalSeconds == b.totalSeconds
    }
}

/// One attempt of one client to be admitted for a round.
public struct AdmissionEvent: Sendable, Equatable {
    /// The round the admission was for (admission before round 1 is round 1's).
    public var round: Int
    public var clientID: String
    public var admitted: Bool
    /// Why the client was rejected (or any note on an admission); nil when there is nothing to say.
    public var reason: String?
    public var at: Date

    public init(round: Int, clientID: String, admitted: Bool, reason: String?, at: Date) {
        self.round = round
        self.clientID = clientID
        self.admitted = admitted
        self.reason = reason
        self.at = at
    }
}

/// A free-form number of a run: round 0 for the whole run, 1 … total for a round.
public struct RunMetric: Sendable, Equatable {
    public var round: Int
    public var name: String
    public var value: Double

    public init(round: Int, name: String, value: Double) {
        self.round = round
        self.name = name
        self.value = value
    }
}

/// Everything recorded for one run (`secagg runs show`).
public struct RunDetail: Sendable, Equatable {
    public var summary: RunSummary
    /// The resolved config, JSON text exactly as given to `createRun`.
    public var configJSON: String
    /// Rounds 1 … `summary.roundsDone`, in order. A stored NULL accuracy or loss reads back as `.nan`.
    public var rounds: [RoundRecord]
    /// In the order they were recorded.
    public var admissions: [AdmissionEvent]
    /// By round, then in the order they were recorded.
    public var metrics: [RunMetric]
    /// The round of the newest checkpoint (0 for a checkpoint of the initial model), nil without one.
    public var checkpointRound: Int?

    public init(
        summary: RunSummary, configJSON: String, rounds: [RoundRecord], admissions: [AdmissionEvent],
        metrics: [RunMetric], checkpointRound: Int?
    ) {
        self.summary = summary
        self.configJSON = configJSON
        self.rounds = rounds
        self.admissions = admissions
        self.metrics = metrics
        self.checkpointRound = checkpointRound
    }

    /// The admission phase over the run in the shape of `results.json` "admission", nil when no admission
    /// event was recorded: `admitted` counts the distinct clients admitted in the last round that had
    /// admission events, `rejected` every rejected attempt, `seconds` the rounds' admission seconds, and
    /// `bytes` the sum of the metrics named ``RunDetail/admissionBytesMetric`` (0 when none was recorded).
    public var admissionSummary: AdmissionSummary? {
        guard let lastRound = admissions.map(\.round).max() else { return nil }
        let admitted = Set(admissions.filter { $0.round == lastRound && $0.admitted }.map(\.clientID)).count
        let rejected = admissions.filter { !$0.admitted }.count
        let seconds = rounds.reduce(0) { $0 + $1.seconds.admission }
        let bytes = metrics.filter { $0.name == RunDetail.admissionBytesMetric }.reduce(0.0) { $0 + $1.value }
        return AdmissionSummary(admitted: admitted, rejected: rejected, seconds: seconds, bytes: Int(bytes))
    }

    /// The metric name whose values are the admission phase's message bytes.
    public static let admissionBytesMetric = "admission.bytes"

    /// `==` that treats NaN accuracies and losses as equal to each other (NULL reads back as NaN).
    public static func == (a: RunDetail, b: RunDetail) -> Bool {
        a.summary == b.summary && a.configJSON == b.configJSON && a.admissions == b.admissions
            && a.metrics == b.metrics && a.checkpointRound == b.checkpointRound && a.rounds.count == b.rounds.count
            && zip(a.rounds, b.rounds).allSatisfy(sameRound)
    }
}

/// Equal, or both NaN.
func sameNumber(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let x?, let y?): return x == y || (x.isNaN && y.isNaN)
    default: return false
    }
}

/// RoundRecord equality with NaN accuracy/loss equal to NaN.
func sameRound(_ a: RoundRecord, _ b: RoundRecord) -> Bool {
    var x = a, y = b
    if sameNumber(x.accuracy, y.accuracy) { x.accuracy = 0; y.accuracy = 0 }
    if sameNumber(x.loss, y.loss) { x.loss = 0; y.loss = 0 }
    return x == y
}
