import ArgumentParser
import Bignum
import CryptoPrimitives
import Foundation
import Paillier

/// `--format native|phe`: SecAggKit's versioned JSON or python-paillier's `pheutil` files.
enum PaillierFileFormat: String, ExpressibleByArgument, CaseIterable {
    case native, phe
}

struct PaillierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paillier",
        abstract: "Paillier encryption, interoperable with python-paillier (Specs/paillier.md).",
        subcommands: [Keygen.self, Encrypt.self, Add.self, Decrypt.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a key pair (n of exactly --bits bits).")

        @Option(help: "Modulus size: even, 1024…8192 (2048 or 3072 recommended).") var bits: Int = 2048
        @Option(help: "Private key file (default: stdout).") var out: String?
        @Option(help: "Also write the public key to this file.") var publicOut: String?
        @Option(help: "native or phe (pheutil's JWK files).") var format: PaillierFileFormat = .native

        mutating func run() throws {
            var rng = SystemRandom()
            let key = try PaillierKeyPair.generate(bits: bits, using: &rng)
            let privateText = format == .native ? PaillierJSON.encode(key) : PheFormat.encode(key)
            try write(privateText, to: out)
            if let publicOut {
                let publicText = format == .native ? PaillierJSON.encode(key.publicKey) : PheFormat.encode(key.publicKey)
                try write(publicText, to: publicOut)
            }
        }
    }

    struct Encrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt comma-separated numbers.",
            discussion: """
                native: one JSON document with all ciphertexts (fixed point, --fraction-bits). phe: one \
                {"v":…,"e":-32} object per line, as pheutil encrypt writes (save each line to its own file \
                for pheutil).
                """)

        @Option(help: "Public key file (a private key file works too).") var key: String
        @Option(help: "Comma-separated numbers; write --values=-1.5,2 when the first is negative.") var values: String
        @Option(help: "Fixed-point fraction bits (native format).") var fractionBits: Int = 32
        @Flag(help: "Use the fast (Damgård–Jurik–Nielsen) encryptor.") var fast = false
        @Option(help: "native or phe.") var format: PaillierFileFormat = .native

        mutating func run() throws {
            let numbers = try parseNumbers(values)
            let publicKey = try readPublicKey(key, format: format)
            var rng = SystemRandom()
            let encryptor = fast ? try PaillierEncryptor(publicKey: publicKey, using: &rng) : nil
            func encrypt(_ m: Bignum) throws -> PaillierCiphertext {
                if let encryptor { return try encryptor.encrypt(m, using: &rng) }
                return try publicKey.encrypt(m, using: &rng)
            }
            switch format {
            case .native:
                let encoder = try FixedPointEncoder(publicKey: publicKey, fractionBits: fractionBits)
                let ciphertexts = try numbers.map { try encrypt(encoder.encode($0)) }
                writeLine(PaillierJSON.encode(.init(publicKey: publicKey, fractionBits: fractionBits, values: ciphertexts)))
            case .phe:
                let exponent = PheFormat.defaultExponent
                let encoder = try FixedPointEncoder(publicKey: publicKey, fractionBits: -4 * exponent)
                for x in numbers {
                    writeLine(PheFormat.encode(.init(ciphertext: try encrypt(encoder.encode(x)), exponent: exponent)))
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add two ciphertext files element-wise.")

        @Argument(help: "First ciphertext file.") var first: String
        @Argument(help: "Second ciphertext file.") var second: String
        @Option(help: "Public key file (needed for phe files, which do not name their key).") var key: String?
        @Option(help: "native or phe.") var format: PaillierFileFormat = .native

        mutating func run() throws {
            switch format {
            case .native:
                let a = try PaillierJSON.decodeCiphertexts(readInput(first))
                let b = try PaillierJSON.decodeCiphertexts(readInput(second))
                guard a.publicKey == b.publicKey else { throw PaillierError.keyMismatch }
                guard a.fractionBits == b.fractionBits else {
                    throw CommandError("fraction bits differ: \(a.fractionBits) and \(b.fractionBits)")
                }
                guard a.values.count == b.values.count else {
                    throw CommandError("files hold \(a.values.count) and \(b.values.count) ciphertexts")
                }
                if let key {
                    guard try readPublicKey(key, format: .native) == a.publicKey else { throw PaillierError.keyMismatch }
                }
                let sums = try zip(a.values, b.values).map { try a.publicKey.add($0, $1) }
                writeLine(PaillierJSON.encode(.init(publicKey: a.publicKey, fractionBits: a.fractionBits, values: sums)))
            case .phe:
                guard let key else { throw CommandError("--key is required with --format phe") }
                let publicKey = try readPublicKey(key, format: .phe)
                let a = try readPheNumbers(first, publicKey: publicKey)
                let b = try readPheNumbers(second, publicKey: publicKey)
                guard a.count == b.count else { throw CommandError("files hold \(a.count) and \(b.count) numbers") }
                for (x, y) in zip(a, b) { writeLine(PheFormat.encode(try PheFormat.add(x, y))) }
            }
        }
    }

    struct Decrypt: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decrypt a ciphertext file; prints one value per line.")

        @Option(help: "Private key file.") var key: String
        @Argument(help: "Ciphertext file, or - for stdin.") var file: String = "-"
        @Option(help: "native or phe.") var format: PaillierFileFormat = .native

        mutating func run() throws {
            switch format {
            case .native:
                let privateKey = try PaillierJSON.decodePrivateKey(readInput(key))
                let ciphertexts = try PaillierJSON.decodeCiphertexts(readInput(file))
                guard ciphertexts.publicKey == privateKey.publicKey else { throw PaillierError.keyMismatch }
                let encoder = try FixedPointEncoder(publicKey: privateKey.publicKey, fractionBits: ciphertexts.fractionBits)
                for c in ciphertexts.values { writeLine(formatValue(try encoder.decode(privateKey.decrypt(c)))) }
            case .phe:
                let privateKey = try PheFormat.decodePrivateKey(readInput(key))
                for number in try readPheNumbers(file, publicKey: privateKey.publicKey) {
                    writeLine(formatValue(try PheFormat.decrypt(number, with: privateKey)))
                }
            }
        }
    }
}

/// Shortest round-trip decimal of a value (as Python prints floats: `1.5`, `-2.0`, `1e-06`).
func formatValue(_ x: Double) -> String {
    "\(x)"
}

func parseNumbers(_ text: String) throws -> [Double] {
    try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { i, part in
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let x = Double(trimmed), x.isFinite else {
            throw CommandError("value \(i + 1) \"\(trimmed.prefix(40))\" is not a finite number")
        }
        return x
    }
}

/// A public key from a native or phe file (public or private key files both work).
func readPublicKey(_ path: String, format: PaillierFileFormat) throws -> PaillierPublicKey {
    let data = try readInput(path)
    switch format {
    case .phe: return try PheFormat.decodePublicKey(data)
    case .native:
        if let key = try? PaillierJSON.decodePrivateKey(data) { return key.publicKey }
        return try PaillierJSON.decodePublicKey(data)
    }
}

/// phe encrypted numbers: one JSON object per non-empty line (a pheutil file holds exactly one).
func readPheNumbers(_ path: String, publicKey: PaillierPublicKey) throws -> [PheFormat.EncryptedNumber] {
    let lines = String(decoding: try readInput(path), as: UTF8.self).split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !lines.isEmpty else { throw CommandError("\(path): no encrypted numbers") }
    return try lines.map { try PheFormat.decodeEncryptedNumber(Data($0.utf8), publicKey: publicKey) }
}
