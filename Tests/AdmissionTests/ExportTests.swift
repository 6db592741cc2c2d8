@testable import Admission
import CryptoPrimitives
import Foundation
import Testing

/// The independent Python check (`Tools/check_admission.py`, plain Python integers) of the JSON forms:
/// a proof, token shares and a token written by this library must verify there too, and a corrupted share
/// must be rejected there too.
@Suite struct ExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func python3() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/python3") {
            return "\(dir)/python3"
        }
        throw AdmissionError.malformed("python3 is needed for the independent check (Tools/test.sh installs it)")
    }

    /// Runs the Python check; returns its exit status and output.
    static func check(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python3())
        process.arguments = [root.appendingPathComponent("Tools/check_admission.py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func pythonAcceptsOurProofsSharesAndTokensAndRejectsACorruptedShare() throws {
        var rng = try testRandom("export")
        let f = try Fixture(threshold: 3, authorities: 5, clients: 1, using: &rng)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 3, using: &rng)
        var shares = try f.shares(for: proof, session: "s", round: 3, offline: [2], using: &rng)
        shares[0] = try f.corrupted(shares[0])
        let token = try AdmissionToken.combine(
            shares, client: proof.publicKey, session: "s", round: 3, parameters: f.parameters).token
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("admission-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(f.parameters).write(to: dir.appendingPathComponent("public.json"))
        try encoder.encode(proof).write(to: dir.appendingPathComponent("proof.json"))
        for share in shares {
            try encoder.encode(share).write(to: dir.appendingPathComponent("share-\(share.authority).json"))
        }
        try encoder.encode(token).write(to: dir.appendingPathComponent("token.json"))
        let common = ["--public", dir.appendingPathComponent("public.json").path, "--session", "s", "--round", "3"]
        let goodShares = shares.dropFirst().flatMap { ["--share", dir.appendingPathComponent("share-\($0.authority).json").path] }
        let (good, goodOutput) = try Self.check(
            common + ["--proof", dir.appendingPathComponent("proof.json").path] + goodShares
                + ["--token", dir.appendingPathComponent("token.json").path])
        #expect(good == 0, "\(goodOutput)")
        let (bad, badOutput) = try Self.check(
            common + ["--share", dir.appendingPathComponent("share-\(shares[0].authority).json").path])
        #expect(bad == 1, "\(badOutput)")
        let (wrongRound, _) = try Self.check(
            ["--public", dir.appendingPathComponent("public.json").path, "--session", "s", "--round", "4",
             "--token", dir.appendingPathComponent("token.json").path])
        #expect(wrongRound == 1)
    }
}
