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

    /// The authenticated example: admission, then signed masking with dropouts after the consistency check.
    @Test func authenticatedExampleRunsWithinTheBound() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-auth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try secagg(["run", "--config", "Examples/fedavg-secagg-authenticated.json", "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json")))
            as? [String: Any])
        let protection = (json["config"] as? [String: Any])?["protection"] as? [String: Any]
        #expect(protection?["authenticated"] as? Bool == true)
        #expect((json["admission"] as? [String: Any])?["rejected"] as? Int == 2)
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count == 20)
        for r in rounds {
            #expect(try #require(r["max_abs_error"] as? Double) <= (try #require(r["error_bound"] as? Double)))
            #expect((r["clients"] as? [String: Any])?["dropped"] as? Int == 2)
        }
    }

    /// `bench aggregation --authenticated` measures both variants and prints the ratios.
    @Test(arguments: ["masking", "secagg+"])
    func benchAggregationAuthenticatedPrintsRatios(_ kind: String) throws {
        let result = try secagg(["bench", "aggregation", "--protocol", kind, "--clients", "6", "--params", "50", "--authenticated",
                                 "--dropout", "0.2", "--step", "after-consistency-check", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["client_seconds", "unauthenticated_client_seconds", "client_seconds_ratio", "server_seconds_ratio",
                    "upload_bytes_ratio", "download_bytes_ratio"] {
            #expect(doc[key] != nil, "\(kind): missing \(key)")
        }
        #expect((doc["upload_bytes_ratio"] as? Double ?? 0) > 1)
        #expect(doc["clients_included"] as? Int == 6)   // dropped after the consistency check: still in the sum
        let unsupported = try secagg(["bench", "aggregation", "--protocol", "multi-server", "--authenticated"])
        #expect(unsupported.status == 1)
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
