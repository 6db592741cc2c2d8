import ArgumentParser
import Bignum
import CryptoPrimitives
import Foundation
import KnownAnswers
import SecretSharing

struct ShamirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shamir", abstract: "Shamir t-of-n secret sharing (Specs/secret-sharing.md).",
        subcommands: [Split.self, Combine.self])

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split secrets into n shares, any t of which reconstruct.",
            discussion: """
                Writes {"modulus":"<decimal>","threshold":t,"shares":[{"index":i,"values":["<decimal>",…]},…]} \
                to stdout. Randomness comes from the system CSPRNG; --drbg-seed makes the output \
                reproducible (HMAC_DRBG, for tests and vectors only: never for real secrets).
                """)

        @Option(help: "Shares needed to reconstruct (t).") var threshold: Int
        @Option(help: "Shares to produce (n).") var shares: Int
        @Option(help: "mersenne61 or a decimal prime.") var field: String = "mersenne61"
        @Option(help: "Comma-separated decimal secrets, each in [0, modulus).") var secrets: String
        @Option(help: ArgumentHelp("Hex seed for a deterministic HMAC_DRBG (testing only).", visibility: .hidden))
        var drbgSeed: String?

        mutating func run() throws {
            let field = try FieldChoice(parsing: field)
            let parts = secrets.split(separator: ",", omittingEmptySubsequences: false)
            let values = try parts.enumerated().map { j, text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard let value = try? Bignum(decimal: trimmed) else {
                    throw CommandError("secret \(j + 1) \"\(trimmed.prefix(40))\" is not a decimal number")
                }
                return value
            }
            let set: ShamirShareSet
            if let drbgSeed {
                guard let seed = try? Hex.decode(drbgSeed), seed.count >= 16 else {
                    throw CommandError("--drbg-seed needs at least 16 bytes of hex")
                }
                var rng = try HmacDrbg(entropy: seed)
                set = try ShamirShareSet.split(
                    secrets: values, field: field, threshold: threshold, shareCount: shares, using: &rng)
            } else {
                var rng = SystemRandom()
                set = try ShamirShareSet.split(
                    secrets: values, field: field, threshold: threshold, shareCount: shares, using: &rng)
            }
            writeLine(ShareSetJSON.encode(set))
        }
    }

    struct Combine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reconstruct secrets from at least t shares; prints a JSON array of decimal strings.",
            discussion: """
                Each input holds the shape `shamir split` writes, with any subset of the shares; several \
                files (one per holder) are merged and must name the same modulus and threshold.
                """)

        @Argument(help: "Share files, or - for stdin (default: -).") var files: [String] = []

        mutating func run() throws {
            let inputs = files.isEmpty ? ["-"] : files
            let sets = try inputs.map { try ShareSetJSON.read(path: $0) }
            let secrets = try ShamirShareSet.merging(sets).combine()
            writeLine(ShareSetJSON.encode(strings: secrets.map(\.description)))
        }
    }
}

/// The share-set JSON of the CLI: written by hand so the key order is the documented one.
enum ShareSetJSON {
    static func encode(_ set: ShamirShareSet) -> String {
        let shares = set.shares.map { share in
            "{\"index\":\(share.index),\"values\":\(encode(strings: share.values.map(\.description)))}"
        }
        return "{\"modulus\":\"\(set.modulus)\",\"threshold\":\(set.threshold),\"shares\":[\(shares.joined(separator: ","))]}"
    }

    static func encode(strings: [String]) -> String {
        "[" + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    static func read(path: String) throws -> ShamirShareSet {
        let data = try readInput(path)
        let name = path == "-" ? "stdin" : path
        do {
            return try JSONDecoder().decode(ShamirShareSet.self, from: data)
        } catch let error as DecodingError {
            throw CommandError("\(name): not a share set: \(describeDecodingError(error))")
        }
    }
}
