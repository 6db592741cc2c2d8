import Admission
import ArgumentParser
import Bignum
import CryptoPrimitives
import Foundation
import KnownAnswers
import Networked

/// `secagg admission …`: each step of the admission phase (Specs/admission.md) with JSON files in and out,
/// so that every step can be checked from outside (for instance by `Tools/check_admission.py`).
///
/// Files (JSON as the library's `Codable` forms write them; integers as decimal strings):
/// - `DIR/public.json`: `AdmissionPublicParameters`;
/// - `DIR/authority-J.json` (secret): `SerializedAuthorityKey` plus the public parameters,
///   `{"version": 1, "index": J, "share": "…", "parameters": {…public.json…}}`;
/// - client key (secret): `SerializedClientSecretKey`; client public key: `ClientPublicKey`;
/// - registry: a JSON array of `ClientPublicKey`; proof: `AdmissionProof`; share: `TokenShare`;
///   token: `AdmissionToken`.
struct AdmissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admission",
        abstract: "Admission: zero-knowledge client authentication with t-of-n authorities (Specs/admission.md).",
        subcommands: [Setup.self, Keygen.self, Prove.self, Issue.self, Combine.self, Verify.self])

    struct Setup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deal the issuing key t-of-n (trusted dealer).",
            discussion: """
                Writes DIR/authority-J.json (J = 1…N; secret, one per authority, holding its key share and the \
                public parameters) and DIR/public.json (group, threshold, verification keys, issuing public key).
                """)

        @Option(help: "n: the number of authorities.") var authorities: Int
        @Option(help: "t: how many token shares make a token.") var threshold: Int
        @Option(help: "Output directory (created if missing).") var out: String

        mutating func run() throws {
            var rng = SystemRandom()
            let dealing = try AdmissionDealing.deal(threshold: threshold, authorityCount: authorities, using: &rng)
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw CommandError("\(out): cannot create the directory")
            }
            let directory = URL(fileURLWithPath: out)
            for key in dealing.authorityKeys {
                let file = AuthorityKeyFile(key: key.serialized(), parameters: dealing.parameters)
                try writeSecret(
                    AdmissionJSON.encode(file), to: directory.appendingPathComponent("authority-\(key.index).json").path)
            }
            try write(AdmissionJSON.encode(dealing.parameters), to: directory.appendingPathComponent("public.json").path)
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a client key pair (x, y = g^x).")

        @Option(help: "Secret key file (default: stdout).") var out: String?
        @Option(help: "Also write the public key to this file (register its contents).") var publicOut: String?

        mutating func run() throws {
            var rng = SystemRandom()
            let key = try ClientSecretKey.generate(using: &rng)
            let secret = try AdmissionJSON.encode(key.serialized())
            if let out { try writeSecret(secret, to: out) } else { writeLine(secret) }
            if let publicOut { try write(AdmissionJSON.encode(key.publicKey), to: publicOut) }
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove knowledge of the client secret for a session and round; prints the proof JSON.")

        @Option(help: "Client secret key file.") var key: String
        @Option(name: .customLong("public"), help: "Public parameters file (DIR/public.json).") var publicFile: String
        @Option(help: "Session id.") var session: String
        @Option(help: "Round number.") var round: UInt64

        mutating func run() throws {
            let parameters = try AdmissionJSON.read(AdmissionPublicParameters.self, from: publicFile, as: "public parameters")
            let serialized = try AdmissionJSON.read(SerializedClientSecretKey.self, from: key, as: "a client secret key")
            let clientKey: ClientSecretKey
            do { clientKey = try ClientSecretKey(serialized, group: parameters.group) } catch {
                throw CommandError("\(key): \(error)")
            }
            var rng = SystemRandom()
            let proof = try AdmissionProof.prove(
                key: clientKey, parameters: parameters, session: session, round: round, using: &rng)
            writeLine(try AdmissionJSON.encode(proof))
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As authority J: check a client's registration and proof, then print its token share JSON.")

        @Option(help: "Authority key file (DIR/authority-J.json).") var authority: String
        @Option(help: "Registry: a JSON array of registered client public keys.") var registry: String
        @Option(help: "Session id this authority issues for.") var session: String
        @Option(help: "Round number this authority issues for.") var round: UInt64
        @Argument(help: "Proof file, or - for stdin.") var proof: String = "-"

        mutating func run() throws {
            let file = try AdmissionJSON.read(AuthorityKeyFile.self, from: authority, as: "an authority key file")
            let key: AuthorityKey
            do { key = try AuthorityKey(file.key, parameters: file.parameters) } catch {
                throw CommandError("\(authority): \(error)")
            }
            let registered = try AdmissionJSON.read([ClientPublicKey].self, from: registry, as: "a registry")
            let clientProof = try AdmissionJSON.read(AdmissionProof.self, from: proof, as: "a proof")
            let issuer = Authority(key: key, parameters: file.parameters, registry: Set(registered))
            var rng = SystemRandom()
            let share: TokenShare
            do { share = try issuer.issue(for: clientProof, session: session, round: round, using: &rng) } catch {
                throw CommandError("authority \(key.index) refuses: \(error)")
            }
            writeLine(try AdmissionJSON.encode(share))
        }
    }

    struct Combine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine t good token shares into a token; prints the token JSON.",
            discussion: """
                The client, session and round are those of --proof. Shares that fail (bad DLEQ proof, another \
                client, session or round, unknown or repeated authority) are dropped and named on stderr, one \
                line each; with fewer than t good shares the command fails with one line naming them.
                """)

        @Option(name: .customLong("public"), help: "Public parameters file (DIR/public.json).") var publicFile: String
        @Option(help: "The client's proof file (fixes client, session and round).") var proof: String
        @Argument(help: "Token share files.") var shares: [String]

        mutating func run() throws {
            guard !shares.isEmpty else { throw CommandError("no token share files given") }
            let parameters = try AdmissionJSON.read(AdmissionPublicParameters.self, from: publicFile, as: "public parameters")
            let clientProof = try AdmissionJSON.read(AdmissionProof.self, from: proof, as: "a proof")
            let tokenShares = try shares.map { try AdmissionJSON.read(TokenShare.self, from: $0, as: "a token share") }
            let combination: TokenCombination
            do {
                combination = try AdmissionToken.combine(
                    tokenShares, client: clientProof.publicKey, session: clientProof.session, round: clientProof.round,
                    parameters: parameters)
            } catch {
                guard case .notEnoughValidShares = error else { throw error }
                let dropped = diagnose(tokenShares, proof: clientProof, parameters: parameters)
                let detail = dropped.map { "authority \($0.authority): \($0.reason)" }.joined(separator: "; ")
                throw CommandError(detail.isEmpty ? "\(error)" : "\(error) (dropped \(detail))")
            }
            for (authority, reason) in combination.rejected {
                writeError("dropping share of authority \(authority): \(reason)")
            }
            writeLine(try AdmissionJSON.encode(combination.token))
        }

        /// Why each failing share fails, with the checks of `AdmissionToken.combine` in the same order.
        func diagnose(_ shares: [TokenShare], proof: AdmissionProof, parameters: AdmissionPublicParameters)
            -> [(authority: Int, reason: String)]
        {
            let h = try? parameters.group.hashToGroup(client: proof.publicKey.y, session: proof.session, round: proof.round)
            var seen = Set<Int>()
            var dropped = [(authority: Int, reason: String)]()
            for share in shares {
                let reason: AdmissionError?
                if share.client != proof.publicKey {
                    reason = .tokenForAnotherClient
                } else if share.session != proof.session {
                    reason = .sessionMismatch(expected: proof.session, actual: share.session)
                } else if share.round != proof.round {
                    reason = .roundMismatch(expected: proof.round, actual: share.round)
                } else if seen.contains(share.authority) {
                    reason = .duplicateAuthority(share.authority)
                } else if let h {
                    do {
                        try share.verify(parameters: parameters, base: h)
                        seen.insert(share.authority)
                        reason = nil
                    } catch {
                        reason = error
                    }
                } else {
                    reason = .invalidShareProof(authority: share.authority)
                }
                if let reason { dropped.append((share.authority, "\(reason)")) }
            }
            return dropped
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a token with the public parameters alone; prints valid (exit 0) or fails with the reason.")

        @Option(name: .customLong("public"), help: "Public parameters file (DIR/public.json).") var publicFile: String
        @Option(help: "Expected session id.") var session: String
        @Option(help: "Expected round number.") var round: UInt64
        @Option(help: "The presenting client's public key file (default: the token's own client).") var client: String?
        @Argument(help: "Token file, or - for stdin.") var token: String = "-"

        mutating func run() throws {
            let parameters = try AdmissionJSON.read(AdmissionPublicParameters.self, from: publicFile, as: "public parameters")
            let presenting = try client.map { try AdmissionJSON.read(ClientPublicKey.self, from: $0, as: "a client public key") }
            let admissionToken = try AdmissionJSON.read(AdmissionToken.self, from: token, as: "a token")
            do {
                try AdmissionVerifier(parameters: parameters).verify(
                    admissionToken, session: session, round: round, client: presenting)
            } catch {
                throw CommandError("invalid token: \(error)")
            }
            writeLine("valid")
        }
    }
}

/// `DIR/authority-J.json`: the `SerializedAuthorityKey` fields plus `"parameters"` (the public parameters), so
/// that an authority needs only its own file.
enum AdmissionJSON {
    /// Compact JSON with sorted keys (one line).
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a file (or stdin for "-"); every failure becomes one line naming the file.
    static func read<T: Decodable>(_ type: T.Type, from path: String, as what: String) throws -> T {
        let data = try readInput(path)
        let name = path == "-" ? "stdin" : path
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw CommandError("\(name): not \(what): \(describeDecodingError(error))")
        } catch {
            throw CommandError("\(name): \(error)")
        }
    }
}

/// Writes a secret file readable by its owner only.
func writeSecret(_ text: String, to path: String) throws {
    try write(text, to: path)
    try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
}
