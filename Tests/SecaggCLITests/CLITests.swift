import Foundation
import Testing

/// The package root (this file is Tests/SecaggCLITests/CLITests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `secagg` executable built alongside the test bundle.
func secaggPath() throws -> String {
    var candidates: [URL] = []
    if let argument = CommandLine.arguments.first {
        // .build/<config>/SecAggKitPackageTests.xctest (a file on Linux, a bundle on macOS).
        var dir = URL(fileURLWithPath: argument).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("secagg"))
            dir = dir.deletingLastPathComponent()
        }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/secagg"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CLIError("secagg executable not found next to the tests: \(candidates.map(\.path))")
    }
    return found.path
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read before waiting so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func secagg(_ arguments: [String], stdin: String? = nil) throws -> Run {
    try run(secaggPath(), arguments, stdin: stdin)
}

/// Finds python3 on PATH.
func python3() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/python3"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CLIError("python3 is needed for the independent check (Tools/test.sh installs it)")
}

@Suite struct VectorsVerifyTests {
    @Test func allShippedVectorsPass() throws {
        let result = try secagg(["vectors", "verify"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix("vectors, all passed"), "\(last)")
        #expect(!result.stdout.contains("FAIL"))
    }

    /// Changing one expected value in a copy of a vector file makes verification fail.
    func expectFailure(copying relative: String, replacing old: String, with new: String) throws {
        let source = packageRoot.appendingPathComponent(relative)
        let text = try String(contentsOf: source, encoding: .utf8)
        let range = try #require(text.range(of: old), "\(old) not in \(relative)")
        let mutated = text.replacingCharacters(in: range, with: new)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent(source.lastPathComponent)
        try mutated.write(to: target, atomically: true, encoding: .utf8)
        let result = try secagg(["vectors", "verify", target.path])
        #expect(result.status != 0, "mutation \(old) → \(new) in \(relative) was not detected")
        #expect(result.stdout.contains("FAIL"))
        // The unchanged copy passes, so the failure is due to the mutation.
        try text.write(to: target, atomically: true, encoding: .utf8)
        #expect(try secagg(["vectors", "verify", target.path]).status == 0)
    }

    @Test func changedShamirShareIsDetected() throws {
        let doc = try JSONSerialization.jsonObject(
            with: Data(contentsOf: packageRoot.appendingPathComponent("Vectors/shamir/shamir.json"))) as? [String: Any]
        let vectors = try #require(doc?["vectors"] as? [[String: Any]])
        let shares = try #require(vectors[4]["expected_shares"] as? [[String: Any]])
        let value = try #require((shares[1]["values"] as? [String])?.first)
        let changed = String(value.dropLast()) + (value.last == "1" ? "2" : "1")
        try expectFailure(copying: "Vectors/shamir/shamir.json", replacing: "\"\(value)\"", with: "\"\(changed)\"")
    }

    @Test func changedFeldmanCommitmentIsDetected() throws {
        let doc = try JSONSerialization.jsonObject(
            with: Data(contentsOf: packageRoot.appendingPathComponent("Vectors/feldman/feldman.json"))) as? [String: Any]
        let vectors = try #require(doc?["vectors"] as? [[String: Any]])
        let commitment = try #require((vectors[2]["expected_commitments"] as? [String])?.last)
        let changed = String(commitment.dropLast()) + (commitment.last == "3" ? "7" : "3")
        try expectFailure(copying: "Vectors/feldman/feldman.json", replacing: "\"\(commitment)\"", with: "\"\(changed)\"")
    }

    @Test func changedErrorNameIsDetected() throws {
        try expectFailure(
            copying: "Vectors/shamir/shamir.json", replacing: "\"error\": \"shareIndexZero\"",
            with: "\"error\": \"duplicateShareIndex\"")
    }

    @Test func unknownOrMissingFilesFail() throws {
        let missing = try secagg(["vectors", "verify", "/nonexistent/vectors"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("secagg: "))
        let unknown = try secagg(["vectors", "verify", "Package.swift"])
        #expect(unknown.status != 0)
    }
}

@Suite struct ShamirCommandTests {
    @Test func splitThenCombineRoundTrips() throws {
        let split = try secagg(["shamir", "split", "--threshold", "3", "--shares", "5", "--secrets", "1,2,2305843009213693950"])
        #expect(split.status == 0, "\(split.stderr)")
        let combined = try secagg(["shamir", "combine", "-"], stdin: split.stdout)
        #expect(combined.status == 0, "\(combined.stderr)")
        #expect(combined.stdout == "[\"1\",\"2\",\"2305843009213693950\"]\n")
    }

    @Test func splitOutputHasTheDocumentedShape() throws {
        let split = try secagg([
            "shamir", "split", "--threshold", "2", "--shares", "3", "--field", "11", "--secrets", "4",
            "--drbg-seed", "000102030405060708090a0b0c0d0e0f",
        ])
        #expect(split.status == 0)
        #expect(split.stdout.hasPrefix("{\"modulus\":\"11\",\"threshold\":2,\"shares\":[{\"index\":1,\"values\":[\""))
        let again = try secagg([
            "shamir", "split", "--threshold", "2", "--shares", "3", "--field", "11", "--secrets", "4",
            "--drbg-seed", "000102030405060708090a0b0c0d0e0f",
        ])
        #expect(again.stdout == split.stdout)
    }

    @Test(arguments: [
        ["shamir", "split", "--threshold", "4", "--shares", "3", "--secrets", "1"],
        ["shamir", "split", "--threshold", "2", "--shares", "3", "--field", "21", "--secrets", "1"],
        ["shamir", "split", "--threshold", "2", "--shares", "3", "--secrets", "abc"],
        ["shamir", "split", "--shares", "3", "--secrets", "1"],
        ["shamir", "combine", "/nonexistent.json"],
        ["bench", "prg", "--elements", "0"],
        ["no-such-command"],
    ])
    func errorsAreOneLineWithStatusOne(_ arguments: [String]) throws {
        let result = try secagg(arguments)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("secagg: "))
        #expect(result.stdout.isEmpty)
    }

    @Test func combineRejectsIndexZeroWithAClearLine() throws {
        let input = #"{"modulus":"11","threshold":2,"shares":[{"index":0,"values":["1"]},{"index":2,"values":["3"]}]}"#
        let result = try secagg(["shamir", "combine"], stdin: input)
        #expect(result.status == 1)
        #expect(result.stderr == "secagg: share index 0 is not allowed (index 0 is the secret)\n")
    }

    /// The independent Python check (Tools/check_shamir.py) of split and combine.
    @Test func independentPythonCheckPasses() throws {
        let result = try run(python3(), ["Tools/check_shamir.py", "--secagg", secaggPath()])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("shamir-cli: ") && result.stdout.contains(" passed, 0 failed"))
    }
}

@Suite struct BenchCommandTests {
    @Test func benchJSONShapes() throws {
        let shamir = try secagg(["bench", "shamir", "--elements", "1000", "--threshold", "3", "--shares", "5", "--json"])
        #expect(shamir.status == 0, "\(shamir.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(shamir.stdout.utf8)) as? [String: Any]
        #expect((doc?["split_share_elements_per_s"] as? NSNumber)?.doubleValue ?? 0 > 0)
        #expect((doc?["combine_elements_per_s"] as? NSNumber)?.doubleValue ?? 0 > 0)
        let prg = try secagg(["bench", "prg", "--elements", "1000", "--json"])
        let prgDoc = try JSONSerialization.jsonObject(with: Data(prg.stdout.utf8)) as? [String: Any]
        #expect((prgDoc?["bytes_per_s"] as? NSNumber)?.doubleValue ?? 0 > 0)
    }
}
