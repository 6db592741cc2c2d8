import Foundation
import Testing

@Suite struct RunCommandTests {
    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func exampleConfigRunsAndWritesEveryFile() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try secagg(["run", "--config", "Examples/fedavg-plain.json", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 21)  // 20 rounds + the final line
        #expect(lines[0].hasPrefix("round 1/20  accuracy "))
        for name in ["results.json", "rounds.csv", "accuracy.svg", "loss.svg", "time.svg", "bytes.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json")))
        let final = (json as? [String: Any])?["final"] as? [String: Any]
        #expect((final?["accuracy"] as? Double ?? 0) > 0.75)
    }

    /// IDX files: 4-byte magic (0, 0, type 8, dims), big-endian sizes, then bytes.
    func idxImages(count: Int, rows: Int = 2, columns: Int = 2, magic: [UInt8] = [0, 0, 8, 3]) -> Data {
        var d = Data(magic)
        for v in [count, rows, columns] { d += withUnsafeBytes(of: UInt32(v).bigEndian) { Data($0) } }
        d += Data((0..<(count * rows * columns)).map { UInt8($0 % 256) })
        return d
    }

    func idxLabels(_ labels: [UInt8]) -> Data {
        var d = Data([0, 0, 8, 1])
        d += withUnsafeBytes(of: UInt32(labels.count).bigEndian) { Data($0) }
        return d + Data(labels)
    }

    func runWith(train images: Data, labels: Data, extra: String = #", "rounds": 1"#) throws -> Run {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try images.write(to: dir.appendingPathComponent("ti"))
        try labels.write(to: dir.appendingPathComponent("tl"))
        try idxImages(count: 4).write(to: dir.appendingPathComponent("si"))
        try idxLabels([0, 1, 0, 1]).write(to: dir.appendingPathComponent("sl"))
        let config = """
            {"dataset": {"kind": "mnist-idx", "train_images": "ti", "train_labels": "tl", "test_images": "si",
             "test_labels": "sl", "classes": 2}, "clients": 2\(extra)}
            """
        try config.write(to: dir.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        return try secagg(["run", "--config", dir.appendingPathComponent("c.json").path, "--out", dir.appendingPathComponent("out").path])
    }

    @Test func smallIDXSetRuns() throws {
        let result = try runWith(train: idxImages(count: 6), labels: idxLabels([0, 1, 0, 1, 0, 1]))
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: ["truncated images", "wrong magic", "label out of range", "mismatched counts", "truncated labels",
                      "unknown key", "negative rounds", "clients_per_round > clients", "dropout rate 1", "missing file"])
    func badInputIsOneLineWithStatusOne(_ kind: String) throws {
        let good = idxImages(count: 6), labels = idxLabels([0, 1, 0, 1, 0, 1])
        let result: Run
        switch kind {
        case "truncated images": result = try runWith(train: good.prefix(good.count - 3), labels: labels)
        case "wrong magic": result = try runWith(train: idxImages(count: 6, magic: [0, 0, 8, 1]), labels: labels)
        case "label out of range": result = try runWith(train: good, labels: idxLabels([0, 1, 0, 1, 0, 200]))
        case "mismatched counts": result = try runWith(train: good, labels: idxLabels([0, 1, 0, 1]))
        case "truncated labels": result = try runWith(train: good, labels: labels.prefix(9))
        case "unknown key": result = try runWith(train: good, labels: labels, extra: #", "rounds": 1, "colour": "blue""#)
        case "negative rounds": result = try runWith(train: good, labels: labels, extra: #", "rounds": -2"#)
        case "clients_per_round > clients": result = try runWith(train: good, labels: labels, extra: #", "rounds": 1, "clients_per_round": 3"#)
        case "dropout rate 1": result = try runWith(train: good, labels: labels, extra: #", "rounds": 1, "dropout": {"rate": 1}"#)
        default: result = try secagg(["run", "--config", "/nonexistent/config.json"])
        }
        #expect(result.status == 1, "\(kind): \(result.stdout)")
        #expect(result.stderr.hasPrefix("secagg: ") && result.stderr.split(separator: "\n").count == 1, "\(kind): \(result.stderr)")
    }
}
