import Foundation
import Testing

@Suite struct SecureAggregationCommandTests {
    @Test func secaggExampleStaysWithinTheQuantizationBound() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-sa-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try secagg(["run", "--config", "Examples/fedavg-secagg.json", "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json")))
        let rounds = try #require((json as? [String: Any])?["rounds"] as? [[String: Any]])
        #expect(rounds.count == 20)
        for r in rounds {
            let error = try #require(r["max_abs_error"] as? Double)
            let bound = try #require(r["error_bound"] as? Double)
            #expect(error <= bound)
            #expect((r["clients"] as? [String: Any])?["dropped"] as? Int == 2)
        }
    }

    @Test(arguments: ["masking", "secagg+", "paillier", "paillier-threshold", "multi-server"])
    func benchAggregationPrintsTheDocumentedFields(_ kind: String) throws {
        var arguments = ["bench", "aggregation", "--protocol", kind, "--clients", "5", "--params", "50", "--dropout", "0.2", "--json"]
        if kind.hasPrefix("paillier") { arguments += ["--options", #"{"key_bits": 1024}"#] }
        let result = try secagg(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["client_seconds", "server_seconds", "upload_bytes_per_client", "download_bytes_per_client", "max_abs_error"] {
            #expect(doc[key] != nil, "\(kind): missing \(key)")
        }
        #expect((doc["max_abs_error"] as? Double ?? 1) <= (doc["error_bound"] as? Double ?? 0))
    }

    @Test func benchAggregationRejectsBadInput() throws {
        for arguments in [
            ["bench", "aggregation", "--protocol", "rot13"],
            ["bench", "aggregation", "--protocol", "masking", "--dropout", "1"],
            ["bench", "aggregation", "--protocol", "masking", "--options", "[1]"],
            ["bench", "aggregation", "--protocol", "masking", "--clients", "6", "--dropout", "0.5", "--step", "after-share-keys",
             "--options", #"{"threshold": 5}"#],
        ] {
            let result = try secagg(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.hasPrefix("secagg: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }
}
