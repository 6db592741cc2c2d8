import ArgumentParser
import Foundation
import Harness
import RunHistory

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "The coordinator's run history (Specs/run-history.md).",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the recorded runs, newest first.",
            discussion: """
                One row per run: id, creation time (UTC), status (running, finished, failed), protection, \
                rounds recorded / total and the accuracy after the last recorded round. --json prints \
                {"version": 1, "runs": [...]}.
                """)

        @Option(help: "Run history file (default: \(RunStore.defaultPath)).") var db = RunStore.defaultPath
        @Flag(help: "Print JSON.") var json = false

        mutating func run() throws {
            let runs = try RunStore.openExisting(path: db).runs()
            if json {
                writeText(RunSummary.json(runs))
                return
            }
            guard !runs.isEmpty else {
                writeLine("no runs in \(db)")
                return
            }
            writeTable(
                header: ["ID", "CREATED (UTC)", "STATUS", "PROTECTION", "ROUNDS", "ACCURACY"],
                rows: runs.map { run in
                    [
                        run.id, display(run.createdAt), run.status.rawValue, run.protection,
                        "\(run.roundsDone)/\(run.totalRounds)", run.finalAccuracy.map { fixed($0, 4) } ?? "-",
                    ]
                })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one run: config, admission, every round and the metrics.",
            discussion: """
                --json prints the run with the keys of results.json ("config", "admission", "rounds", \
                "final") and the history's own ("id", "status", "admission_events", "metrics", …).
                """)

        @Argument(help: "The run's id (as `secagg runs list` shows it).") var id: String
        @Option(help: "Run history file (default: \(RunStore.defaultPath)).") var db = RunStore.defaultPath
        @Flag(help: "Print JSON.") var json = false

        mutating func run() throws {
            guard let detail = try RunStore.openExisting(path: db).run(id: id) else {
                throw CommandError("\(RunHistoryError.unknownRun(id)) in \(db)")
            }
            if json {
                writeText(detail.json())
                return
            }
            let s = detail.summary
            var fields: [(String, String)] = [
                ("run", s.id), ("status", s.status.rawValue), ("created", display(s.createdAt) + " UTC"),
                ("protection", s.protection), ("session", s.session), ("rounds", "\(s.roundsDone)/\(s.totalRounds)"),
            ]
            if let reason = s.failureReason { fields.append(("failure", reason)) }
            if let seconds = s.totalSeconds { fields.append(("total", fixed(seconds, 3) + " s")) }
            fields.append(("checkpoint", detail.checkpointRound.map { "after round \($0)" } ?? "none"))
            if let a = detail.admissionSummary {
                fields.append(
                    ("admission", "\(a.admitted) admitted, \(a.rejected) rejected, \(fixed(a.seconds, 3)) s, \(a.bytes) bytes"))
            } else {
                fields.append(("admission", "none recorded"))
            }
            let config = detail.configJSON.trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: "\n", omittingEmptySubsequences: false)
            fields.append(("config", config.first.map(String.init) ?? ""))
            let width = fields.map(\.0.count).max() ?? 0
            for (name, value) in fields { writeLine(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value) }
            for line in config.dropFirst() { writeLine(String(repeating: " ", count: width + 2) + line) }

            writeLine("")
            if detail.rounds.isEmpty {
                writeLine("no rounds recorded")
            } else {
                writeTable(
                    header: [
                        "ROUND", "ACCURACY", "LOSS", "MAX|Δ|", "BOUND", "ADMISSION s", "TRAIN s", "PROTECT s", "AGGREGATE s",
                        "UPLOAD B", "DOWNLOAD B", "SELECTED", "DROPPED",
                    ],
                    rows: detail.rounds.map { r in
                        [
                            String(r.round), fixed(r.accuracy, 4), fixed(r.loss, 4), r.maxAbsError.map(general) ?? "-",
                            r.errorBound.map(general) ?? "-", fixed(r.seconds.admission, 3), fixed(r.seconds.train, 3),
                            fixed(r.seconds.protect, 3), fixed(r.seconds.aggregate, 3), String(r.uploadBytes),
                            String(r.downloadBytes), String(r.selected), String(r.dropped),
                        ]
                    })
            }
            if !detail.metrics.isEmpty {
                writeLine("")
                writeTable(
                    header: ["ROUND", "METRIC", "VALUE"],
                    rows: detail.metrics.map { [String($0.round), $0.name, formatValue($0.value)] })
            }
        }
    }
}

/// `text` on stdout without adding a second newline.
private func writeText(_ text: String) {
    writeLine(text.hasSuffix("\n") ? String(text.dropLast()) : text)
}

/// Left-aligned columns two spaces apart; no trailing spaces.
private func writeTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        let cells = row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }
        let line = cells.joined(separator: "  ")
        writeLine(String(line.reversed().drop(while: { $0 == " " }).reversed()))
    }
}

/// `2023-11-14 22:13:20` (UTC).
private func display(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.string(from: date)
}

private func fixed(_ value: Double, _ digits: Int) -> String {
    value.isNaN ? "nan" : String(format: "%.\(digits)f", value)
}

private func general(_ value: Double) -> String {
    String(format: "%.3g", value)
}
