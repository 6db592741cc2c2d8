import Foundation
import Harness

// The JSON of `secagg runs list --json` and `secagg runs show --json` (Specs/run-history.md). Keys that
// `results.json` also has ("config", "admission", "rounds" and its elements, "final", "total_seconds")
// mean the same and have the same shape; non-finite numbers are null.

extension RunSummary {
    /// One run of `secagg runs list --json`, on one line.
    public func json() -> String {
        "{" + summaryFields().joined(separator: ", ") + ", \"final\": {\"accuracy\": \(number(finalAccuracy)), "
            + "\"total_seconds\": \(number(totalSeconds))}}"
    }

    /// `{"version": 1, "runs": [...]}`, newest first as given.
    public static func json(_ runs: [RunSummary]) -> String {
        guard !runs.isEmpty else { return "{\"version\": 1, \"runs\": []}\n" }
        return "{\"version\": 1, \"runs\": [\n" + runs.map { "  " + $0.json() }.joined(separator: ",\n") + "\n]}\n"
    }

    func summaryFields() -> [String] {
        [
            "\"id\": \(JSONText.string(id))", "\"created\": \(JSONText.string(Timestamp.text(createdAt)))",
            "\"status\": \(JSONText.string(status.rawValue))",
            "\"failure_reason\": \(failureReason.map(JSONText.string) ?? "null")",
            "\"protection\": \(JSONText.string(protection))", "\"session\": \(JSONText.string(session))",
            "\"rounds_done\": \(roundsDone)", "\"total_rounds\": \(totalRounds)",
        ]
    }
}

extension RunDetail {
    /// `secagg runs show --json`: `version` (1), the summary's fields, then `config` (the stored JSON verbatim),
    /// `admission`, `admission_events`, `rounds`, `metrics`, `checkpoint_round` and `final`.
    public func json() -> String {
        let admission = admissionSummary.map {
            "{\"admitted\": \($0.admitted), \"rejected\": \($0.rejected), \"seconds\": \(JSONText.number($0.seconds)), \"bytes\": \($0.bytes)}"
        }
        let events = admissions.map {
            "    {\"round\": \($0.round), \"client\": \(JSONText.string($0.clientID)), \"admitted\": \($0.admitted), "
                + "\"reason\": \($0.reason.map(JSONText.string) ?? "null"), \"at\": \(JSONText.string(Timestamp.text($0.at)))}"
        }
        let metricLines = metrics.map {
            "    {\"round\": \($0.round), \"name\": \(JSONText.string($0.name)), \"value\": \(JSONText.number($0.value))}"
        }
        let last = rounds.last
        var lines = ["  \"version\": 1"] + summary.summaryFields().map { "  " + $0 }
        // Line breaks in JSON text are whitespace (strings cannot hold raw ones): indenting is safe.
        let config = configJSON.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\n  ")
        lines.append("  \"config\": \(config)")
        lines.append("  \"admission\": \(admission ?? "null")")
        lines.append("  \"admission_events\": " + array(events))
        lines.append("  \"rounds\": " + array(rounds.map { "    " + $0.json() }))
        lines.append("  \"metrics\": " + array(metricLines))
        lines.append("  \"checkpoint_round\": \(checkpointRound.map(String.init) ?? "null")")
        lines.append(
            "  \"final\": {\"accuracy\": \(number(last?.accuracy)), \"loss\": \(number(last?.loss)), "
                + "\"total_seconds\": \(number(summary.totalSeconds))}")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }
}

private func number(_ value: Double?) -> String {
    value.map(JSONText.number) ?? "null"
}

private func array(_ elements: [String]) -> String {
    elements.isEmpty ? "[]" : "[\n" + elements.joined(separator: ",\n") + "\n  ]"
}
