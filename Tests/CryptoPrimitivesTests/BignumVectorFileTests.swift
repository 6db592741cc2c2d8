import Foundation
import KnownAnswers
import Testing

/// `Vectors/bignum/bignum.json` (Python-generated differential answers) passes against `Bignum`; a changed
/// answer or a malformed number is caught. (Here because this test target links `KnownAnswers`.)
@Suite struct BignumVectorFileTests {
    static let relative = "bignum/bignum.json"

    @Test func everyNumberTheoryCasePasses() throws {
        let result = try #require(try BignumVectors.check(fileAt: vectorPath(Self.relative)))
        #expect(result.failed == [])
        #expect(result.passed >= 600)
        #expect(result.passed == 653)
        #expect(result.skipped == 0)
    }

    /// A copy with `cases[kind][index][field]` replaced by `value` (a string, or JSON null when nil).
    func mutated(_ kind: String, _ index: Int, _ field: String, to value: String?) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath(Self.relative)))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var cases = try #require(root["cases"] as? [String: Any])
        var list = try #require(cases[kind] as? [[String: Any]])
        list[index][field] = value.map { $0 as Any } ?? NSNull()
        cases[kind] = list
        root["cases"] = cases
        return try temporaryFile(named: "bignum.json", contents: JSONSerialization.data(withJSONObject: root))
    }

    func failures(_ path: String) throws -> [String] {
        try #require(try BignumVectors.check(fileAt: path)).failed
    }

    @Test func wrongPowmResultIsReported() throws {
        let failed = try failures(mutated("powm", 20, "result", to: "12345"))
        #expect(failed.count == 1)
        #expect(failed.first?.contains("powm[20]") == true)
    }

    @Test func missingErrorIsReported() throws {
        // inverse[0] is 3⁻¹ mod 7 = 5; claiming "no inverse" must be caught.
        let failed = try failures(mutated("inverse", 0, "result", to: nil))
        #expect(failed.count == 1)
        #expect(failed.first?.contains("inverse[0]") == true)
    }

    @Test func wrongPrimalityIsReported() throws {
        // The Carmichael number 561 passes Fermat tests to every coprime base; claiming it prime must fail.
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath(Self.relative)))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var cases = try #require(root["cases"] as? [String: Any])
        var primes = try #require(cases["primes"] as? [[String: Any]])
        let carmichael = try #require(primes.firstIndex { ($0["value"] as? String) == "561" })
        primes[carmichael]["prime"] = true
        cases["primes"] = primes
        root["cases"] = cases
        let path = try temporaryFile(named: "bignum.json", contents: JSONSerialization.data(withJSONObject: root))
        #expect(try failures(path).count == 1)
    }

    @Test func wrongBytesAndDivisionAreReported() throws {
        #expect(try failures(mutated("bytes", 4, "hex", to: "00")).count == 1)
        #expect(try failures(mutated("divmod", 1, "remainder", to: "1")).count == 1)
        #expect(try failures(mutated("crt", 1, "result", to: "0")).count == 1)
        #expect(try failures(mutated("gcd", 3, "result", to: "-6")).count == 1)
    }

    @Test func nonDecimalNumberThrowsMalformed() throws {
        let path = try mutated("gcd", 0, "a", to: "12a")
        do {
            _ = try BignumVectors.check(fileAt: path)
            Issue.record("a malformed number was accepted")
        } catch VectorFileError.malformed(let file, let reason) {
            #expect(file == path)
            #expect(reason.contains("gcd[0]"))
        }
    }

    @Test func otherFilesAreNotBignumFiles() throws {
        #expect(try BignumVectors.check(fileAt: vectorPath("primitives/wycheproof/hkdf_sha256_test.json")) == nil)
        #expect(try BignumVectors.check(fileAt: vectorPath("primitives/cavp/HMAC_DRBG_SHA256.rsp")) == nil)
        let other = try temporaryFile(named: "s.json", text: #"{"scheme": "shamir", "version": 1}"#)
        #expect(try BignumVectors.check(fileAt: other) == nil)
    }

    @Test func bignumFileWithMissingCasesThrowsMalformed() throws {
        let path = try temporaryFile(named: "b.json", text: #"{"scheme": "bignum", "version": 1, "cases": {}}"#)
        #expect(throws: VectorFileError.self) { try BignumVectors.check(fileAt: path) }
    }
}
