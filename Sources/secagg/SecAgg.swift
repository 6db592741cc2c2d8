import ArgumentParser
import Foundation

/// `secagg`: known-answer checks, secret sharing and benchmarks from the command line.
///
/// Every command reads and writes JSON. A failure prints one line `secagg: <what is wrong>` on stderr and
/// exits with status 1 (usage errors included); `--help` prints help and exits 0.
@main
struct SecAgg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secagg",
        abstract: "SecAggKit: secret sharing, secure aggregation and their checks and benchmarks.",
        subcommands: [
            RunCommand.self, RunsCommand.self, VectorsCommand.self, ShamirCommand.self, PaillierCommand.self, AdmissionCommand.self,
            BenchCommand.self, ServeCommand.self, AuthorityCommand.self, ClientCommand.self, DemoCommand.self,
        ])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success || error is ExitCode {
                exit(withError: error)  // --help, --version, or a command's own exit status: nothing to add.
            }
            writeError(oneLine(message(for: error)))
            exit(withError: ExitCode(1))
        }
    }

    /// The first non-empty line of an error message, without ArgumentParser's "Error: " prefix.
    static func oneLine(_ message: String) -> String {
        let line = message.split(separator: "\n").first.map(String.init) ?? "failed"
        return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
    }
}

/// Writes `secagg: <message>` and a newline to stderr.
func writeError(_ message: String) {
    FileHandle.standardError.write(Data("secagg: \(message)\n".utf8))
}

/// Writes `text` and a newline to stdout.
func writeLine(_ text: String) {
    print(text)
}

/// An error of a command, shown as its text.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
