import Foundation

/// What one round of a run measured (`results.json` "rounds", `rounds.csv`).
public struct RoundRecord: Sendable, Equatable {
    public var round: Int
    public var accuracy: Double
    public var loss: Double
    /// max |protected − plaintext| over the aggregate's coordinates; nil when protection is `none`.
    public var maxAbsError: Double?
    /// The protocol's bound on that difference (quantization/fixed point); nil when protection is `none`.
    public var errorBound: Double?
    /// Seconds per phase: admission, train, protect, aggregate.
    public var seconds: PhaseSeconds
    /// Bytes all clients uploaded / downloaded in this round's protocol messages.
    public var uploadBytes: Int
    public var downloadBytes: Int
    public var selected: Int
    public var dropped: Int

    public init(
        round: Int, accuracy: Double, loss: Double, maxAbsError: Double?, errorBound: Double?, seconds: PhaseSeconds,
        uploadBytes: Int, downloadBytes: Int, selected: Int, dropped: Int
    ) {
        self.round = round
        self.accuracy = accuracy
        self.loss = loss
        self.maxAbsError = maxAbsError
        self.errorBound = errorBound
        self.seconds = seconds
        self.uploadBytes = uploadBytes
        self.downloadBytes = downloadBytes
        self.selected = selected
        self.dropped = dropped
    }

    /// The round as one line of JSON, the element of `results.json` "rounds" (keys in the documented order;
    /// non-finite numbers are null).
    public func json() -> String {
        "{\"round\": \(round), \"accuracy\": \(JSONText.number(accuracy)), \"loss\": \(JSONText.number(loss)), "
            + "\"max_abs_error\": \(maxAbsError.map { JSONText.number($0) } ?? "null"), "
            + "\"error_bound\": \(errorBound.map { JSONText.number($0) } ?? "null"), "
            + "\"seconds\": {\"admission\": \(JSONText.number(seconds.admission)), \"train\": \(JSONText.number(seconds.train)), "
            + "\"protect\": \(JSONText.number(seconds.protect)), \"aggregate\": \(JSONText.number(seconds.aggregate))}, "
            + "\"bytes\": {\"upload\": \(uploadBytes), \"download\": \(downloadBytes)}, "
            + "\"clients\": {\"selected\": \(selected), \"dropped\": \(dropped)}}"
    }

    public struct PhaseSeconds: Sendable, Equatable {
        public var admission = 0.0
        public var train = 0.0
        public var protect = 0.0
        public var aggregate = 0.0

        public init() {}

        public init(admission: Double, train: Double, protect: Double, aggregate: Double) {
            self.admission = admission
            self.train = train
            self.protect = protect
            self.aggregate = aggregate
        }

        public var total: Double { admission + train + protect + aggregate }
    }
}

/// The admission phase over a run (`results.json` "admission").
public struct AdmissionSummary: Sendable, Equatable {
    /// Clients admitted (at the last admission).
    public var admitted = 0
    /// Attempts rejected, summed over admissions (impostors and failed clients).
    public var rejected = 0
    public var seconds = 0.0
    public var bytes = 0

    public init(admitted: Int = 0, rejected: Int = 0, seconds: Double = 0, bytes: Int = 0) {
        self.admitted = admitted
        self.rejected = rejected
        self.seconds = seconds
        self.bytes = bytes
    }
}

/// A finished run: the resolved config and every round.
public struct RunResult: Sendable, Equatable {
    /// The resolved config as JSON text (defaults filled in).
    public var configJSON: String
    public var rounds: [RoundRecord]
    public var totalSeconds: Double
    /// nil when the run had no admission phase.
    public var admission: AdmissionSummary?

    public init(configJSON: String, rounds: [RoundRecord], totalSeconds: Double, admission: AdmissionSummary?) {
        self.configJSON = configJSON
        self.rounds = rounds
        self.totalSeconds = totalSeconds
        self.admission = admission
    }

    /// `results.json` (keys in the documented order).
    public func json() -> String {
        let lines = rounds.map { "    " + $0.json() }
        let last = rounds.last
        return """
            {
              "version": 1,
              "config": \(configJSON),
              "admission": \(admission.map { "{\"admitted\": \($0.admitted), \"rejected\": \($0.rejected), \"seconds\": \(JSONText.number($0.seconds)), \"bytes\": \($0.bytes)}" } ?? "null"),
              "rounds": [
            \(lines.joined(separator: ",\n"))
              ],
              "final": {"accuracy": \(JSONText.number(last?.accuracy ?? 0)), "loss": \(JSONText.number(last?.loss ?? 0)), "total_seconds": \(JSONText.number(totalSeconds))}
            }

            """
    }

    /// `rounds.csv`: one row per round.
    public func csv() -> String {
        var out = "round,accuracy,loss,max_abs_error,error_bound,seconds_admission,seconds_train,seconds_protect,seconds_aggregate,bytes_upload,bytes_download,clients_selected,clients_dropped\n"
        for r in rounds {
            let fields: [String] = [
                String(r.round), JSONText.number(r.accuracy), JSONText.number(r.loss), r.maxAbsError.map { JSONText.number($0) } ?? "",
                r.errorBound.map { JSONText.number($0) } ?? "", JSONText.number(r.seconds.admission), JSONText.number(r.seconds.train), JSONText.number(r.seconds.protect),
                JSONText.number(r.seconds.aggregate), String(r.uploadBytes), String(r.downloadBytes), String(r.selected),
                String(r.dropped),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The four plots: accuracy.svg, loss.svg, time.svg (seconds per phase per round), bytes.svg.
    public func plots() -> [String: String] {
        let xs = rounds.map { Double($0.round) }
        return [
            "accuracy.svg": SVGChart.lineChart(
                title: "Test accuracy", xLabel: "round", yLabel: "accuracy", xs: xs,
                series: [.init(name: "accuracy", values: rounds.map(\.accuracy))]),
            "loss.svg": SVGChart.lineChart(
                title: "Test loss", xLabel: "round", yLabel: "cross-entropy", xs: xs,
                series: [.init(name: "loss", values: rounds.map(\.loss))]),
            "time.svg": SVGChart.stackedBarChart(
                title: "Time per phase", xLabel: "round", yLabel: "seconds", xs: xs,
                series: [
                    .init(name: "admission", values: rounds.map(\.seconds.admission)),
                    .init(name: "train", values: rounds.map(\.seconds.train)),
                    .init(name: "protect", values: rounds.map(\.seconds.protect)),
                    .init(name: "aggregate", values: rounds.map(\.seconds.aggregate)),
                ]),
            "bytes.svg": SVGChart.stackedBarChart(
                title: "Bytes per round (all clients)", xLabel: "round", yLabel: "bytes", xs: xs,
                series: [
                    .init(name: "upload", values: rounds.map { Double($0.uploadBytes) }),
                    .init(name: "download", values: rounds.map { Double($0.downloadBytes) }),
                ]),
        ]
    }
}

/// Small helpers for hand-written JSON (public: RunHistory writes the same number and string forms).
public enum JSONText {
    /// A finite number in shortest round-trip form; non-finite values become null.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
