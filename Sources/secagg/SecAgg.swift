import ArgumentParser

/// `secagg`: known-answer checks, secret sharing and benchmarks from the command line.
@main
struct SecAgg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secagg",
        abstract: "SecAggKit: secret sharing, secure aggregation and their checks and benchmarks.",
        subcommands: [])
}
