import ArgumentParser
import KnownAnswers

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors", abstract: "Known-answer vector files.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every known-answer file under the given paths.",
            discussion: """
                Prints one line per file and a final line "N files, M vectors, all passed" (or the count \
                of failures); exits 0 only if every vector passed. Directories are searched for .json, .rsp \
                and .txt files.
                """)

        @Argument(help: "Vector files or directories (default: Vectors).")
        var paths: [String] = []

        mutating func run() throws {
            let files = try VectorVerifier.files(in: paths.isEmpty ? ["Vectors"] : paths)
            guard !files.isEmpty else { throw CommandError("no vector files found under \(paths.joined(separator: ", "))") }
            var vectors = 0, failures = 0, broken = 0
            for file in files {
                do {
                    let report = try VectorVerifier.check(fileAt: file)
                    let r = report.result
                    vectors += r.passed + r.failed.count
                    failures += r.failed.count
                    let skipped = r.skipped > 0 ? ", \(r.skipped) skipped" : ""
                    if r.failed.isEmpty {
                        writeLine("ok    \(file): \(r.passed) vectors\(skipped)")
                    } else {
                        writeLine("FAIL  \(file): \(r.failed.count) of \(r.passed + r.failed.count) vectors failed\(skipped)")
                        for line in r.failed.prefix(20) { writeLine("      \(line)") }
                        if r.failed.count > 20 { writeLine("      … and \(r.failed.count - 20) more") }
                    }
                } catch {
                    broken += 1
                    writeLine("FAIL  \(file): \(error)")
                }
            }
            if failures == 0 && broken == 0 {
                writeLine("\(files.count) files, \(vectors) vectors, all passed")
            } else {
                let unreadable = broken > 0 ? ", \(broken) files unreadable" : ""
                writeLine("\(files.count) files, \(vectors) vectors, \(failures) failed\(unreadable)")
                throw ExitCode(1)
            }
        }
    }
}
