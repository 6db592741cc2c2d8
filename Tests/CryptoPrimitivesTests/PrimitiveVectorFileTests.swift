import Foundation
import KnownAnswers
import Testing

/// The third-party vector files in `Vectors/primitives/` pass in full, with the documented number of
/// skipped vectors, and the checker notices a changed expected value or a malformed file.
@Suite struct PrimitiveVectorFileTests {
    static let aesGcm = "primitives/wycheproof/aes_gcm_test.json"
    static let x25519 = "primitives/wycheproof/x25519_test.json"
    static let hkdf = "primitives/wycheproof/hkdf_sha256_test.json"
    static let rfc4231 = "primitives/rfc4231/rfc-4231-sha256.txt"
    static let hmacDrbg = "primitives/cavp/HMAC_DRBG_SHA256.rsp"

    func check(_ path: String) throws -> VectorCheckResult {
        try #require(try PrimitiveVectors.check(fileAt: path))
    }

    // MARK: Every file passes

    @Test func wycheproofAesGcmPassesAndSkipsOnlyUnsupportedSizes() throws {
        let result = try check(vectorPath(Self.aesGcm))
        #expect(result.failed == [])
        #expect(result.passed >= 60)
        #expect(result.passed == 66)  // AES-256, 96-bit IV: 39 valid + 27 invalid
        #expect(result.skipped == 250)  // 128/192-bit keys and IVs other than 96 bits
    }

    @Test func wycheproofX25519PassesIncludingAcceptableLowOrderPoints() throws {
        let result = try check(vectorPath(Self.x25519))
        #expect(result.failed == [])
        #expect(result.passed == 518)
        #expect(result.skipped == 0)
    }

    @Test func wycheproofHkdfPassesAndRejectsOversizedOutputs() throws {
        let result = try check(vectorPath(Self.hkdf))
        #expect(result.failed == [])
        #expect(result.passed == 86)
        #expect(result.skipped == 0)
    }

    @Test func rfc4231HmacSha256Passes() throws {
        let result = try check(vectorPath(Self.rfc4231))
        #expect(result.failed == [])
        #expect(result.passed == 6)
        #expect(result.skipped == 0)
    }

    @Test func cavpHmacDrbgSha256Passes() throws {
        let result = try check(vectorPath(Self.hmacDrbg))
        #expect(result.failed == [])
        #expect(result.passed == 60)
        #expect(result.skipped == 0)
    }

    // MARK: A changed expected value is reported

    /// Copies a Wycheproof file with one hex digit of `field` flipped in the first test of the first group
    /// that `groupMatches` accepts and whose result is "valid"; returns the copy and the test's tcId.
    func mutatedWycheproof(
        _ relative: String, field: String, groupMatches: ([String: Any]) -> Bool = { _ in true }
    ) throws -> (path: String, tcId: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath(relative)))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var groups = try #require(root["testGroups"] as? [[String: Any]])
        for g in groups.indices where groupMatches(groups[g]) {
            var tests = try #require(groups[g]["tests"] as? [[String: Any]])
            guard let t = tests.firstIndex(where: { ($0["result"] as? String) == "valid" }) else { continue }
            let original = try #require(tests[t][field] as? String)
            let last = original.last == "0" ? "1" : "0"
            tests[t][field] = String(original.dropLast()) + last
            groups[g]["tests"] = tests
            root["testGroups"] = groups
            let tcId = try #require(tests[t]["tcId"] as? Int)
            let copy = try JSONSerialization.data(withJSONObject: root)
            return (try temporaryFile(named: (relative as NSString).lastPathComponent, contents: copy), tcId)
        }
        throw VectorFileError.malformed(file: relative, reason: "no group to mutate")
    }

    @Test func flippedAesGcmCiphertextIsReportedByTcId() throws {
        let (path, tcId) = try mutatedWycheproof(Self.aesGcm, field: "ct") { group in
            (group["keySize"] as? Int) == 256 && (group["ivSize"] as? Int) == 96
        }
        let result = try check(path)
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.contains("tcId \(tcId)") == true)
        #expect(result.passed == 65)
    }

    @Test func flippedAesGcmTagIsReported() throws {
        let (path, _) = try mutatedWycheproof(Self.aesGcm, field: "tag") { group in
            (group["keySize"] as? Int) == 256 && (group["ivSize"] as? Int) == 96
        }
        #expect(try check(path).failed.count == 1)
    }

    @Test func flippedX25519SharedSecretIsReportedByTcId() throws {
        let (path, tcId) = try mutatedWycheproof(Self.x25519, field: "shared")
        let result = try check(path)
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.contains("tcId \(tcId)") == true)
    }

    @Test func flippedHkdfOutputIsReportedByTcId() throws {
        let (path, tcId) = try mutatedWycheproof(Self.hkdf, field: "okm")
        let result = try check(path)
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.contains("tcId \(tcId)") == true)
    }

    /// A copy of a text vector file with `original` replaced once by `replacement`.
    func mutatedText(_ relative: String, replacing original: String, with replacement: String) throws -> String {
        let text = try String(contentsOfFile: vectorPath(relative), encoding: .utf8)
        let range = try #require(text.range(of: original))
        let copy = text.replacingCharacters(in: range, with: replacement)
        return try temporaryFile(named: (relative as NSString).lastPathComponent, text: copy)
    }

    @Test func flippedRfc4231DigestIsReported() throws {
        let path = try mutatedText(Self.rfc4231, replacing: "MD = b0344c61", with: "MD = b1344c61")
        let result = try check(path)
        #expect(result.failed.count == 1)
        #expect(result.passed == 5)
    }

    @Test func flippedHmacDrbgReturnedBitsAreReportedByCount() throws {
        let path = try mutatedText(
            Self.hmacDrbg, replacing: "ReturnedBits = 2f118de4", with: "ReturnedBits = 2f118de5")
        let result = try check(path)
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.contains("COUNT 0") == true)
    }

    @Test func changedHmacDrbgReseedInputIsReported() throws {
        // Guards against a replay that ignores the reseed step.
        let path = try mutatedText(
            Self.hmacDrbg, replacing: "EntropyInputReseed = b1177e22", with: "EntropyInputReseed = b1177e23")
        #expect(try check(path).failed.count == 1)
    }

    // MARK: Section policy of the CAVP reader

    @Test func otherHashSectionsAreSkippedNotPassed() throws {
        let path = try mutatedText(
            Self.hmacDrbg, replacing: "[SHA-256]\n[PredictionResistance = False]\n[EntropyInputLen = 256]\n"
                + "[NonceLen = 128]\n[PersonalizationStringLen = 0]\n[AdditionalInputLen = 0]",
            with: "[SHA-1]\n[PredictionResistance = False]\n[EntropyInputLen = 256]\n"
                + "[NonceLen = 128]\n[PersonalizationStringLen = 0]\n[AdditionalInputLen = 0]")
        let result = try check(path)
        #expect(result.failed == [])
        #expect(result.passed == 45)
        #expect(result.skipped == 15)
    }

    @Test func predictionResistanceSectionsAreSkipped() throws {
        let path = try mutatedText(
            Self.hmacDrbg, replacing: "[PredictionResistance = False]", with: "[PredictionResistance = True]")
        let result = try check(path)
        #expect(result.passed == 45)
        #expect(result.skipped == 15)
    }

    /// The CAVS 14.3 layout (Reseed before both Generates) and the no-reseed layout, with vectors from the
    /// 2013 `drbgvectors_pr_false` / `drbgvectors_no_reseed` sets (SHA-256, COUNT = 0), also checked with an
    /// independent Python HMAC_DRBG.
    @Test func cavs14LayoutsAreReplayedInLineOrder() throws {
        let text = """
            # CAVS 14.3
            # DRBG800-90A information for "drbg_pr" (HMAC_DRBG)

            [SHA-256]
            [PredictionResistance = False]
            [EntropyInputLen = 256]
            [NonceLen = 128]
            [PersonalizationStringLen = 0]
            [AdditionalInputLen = 0]
            [ReturnedBitsLen = 1024]

            COUNT = 0
            EntropyInput = 06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d
            Nonce = 0e66f71edc43e42a45ad3c6fc6cdc4df
            PersonalizationString =
            EntropyInputReseed = 01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552
            AdditionalInputReseed =
            AdditionalInput =
            AdditionalInput =
            ReturnedBits = \(Self.reseedExpected)

            [SHA-256]
            [PredictionResistance = False]
            [EntropyInputLen = 256]
            [NonceLen = 128]
            [PersonalizationStringLen = 0]
            [AdditionalInputLen = 0]
            [ReturnedBitsLen = 1024]

            COUNT = 0
            EntropyInput = ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488
            Nonce = 659ba96c601dc69fc902940805ec0ca8
            PersonalizationString =
            AdditionalInput =
            AdditionalInput =
            ReturnedBits = \(Self.noReseedExpected)

            """
        let result = try check(try temporaryFile(named: "HMAC_DRBG.rsp", text: text))
        #expect(result.failed == [])
        #expect(result.passed == 2)
    }

    static let reseedExpected = "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb"
        + "2b1bc215000209208cd506cb28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b0"
        + "05de914eac2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f5885935124"
    static let noReseedExpected = "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89"
        + "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d"
        + "3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8"

    // MARK: Malformed and unknown files

    func expectMalformed(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try PrimitiveVectors.check(fileAt: path)
            Issue.record("a malformed file was accepted", sourceLocation: sourceLocation)
        } catch VectorFileError.malformed(let file, _) {
            #expect(file == path, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func truncatedJsonThrowsMalformed() throws {
        expectMalformed(try temporaryFile(named: "bad.json", text: #"{"algorithm": "AES-GCM", "testGroups": ["#))
    }

    @Test func oddLengthHexInWycheproofThrowsMalformed() throws {
        let path = try mutatedText(Self.hkdf, replacing: #""okm": "3cb25f25"#, with: #""okm": "3cb25f2"#)
        expectMalformed(path)
    }

    @Test func nonHexCharacterInWycheproofThrowsMalformed() throws {
        let path = try mutatedText(Self.x25519, replacing: #""public": "504a3699"#, with: #""public": "504a369z"#)
        expectMalformed(path)
    }

    @Test func missingWycheproofFieldThrowsMalformed() throws {
        let path = try mutatedText(Self.hkdf, replacing: #""okm":"#, with: #""okmX":"#)
        expectMalformed(path)
    }

    @Test func unknownWycheproofResultThrowsMalformed() throws {
        let path = try mutatedText(Self.hkdf, replacing: #""result": "valid""#, with: #""result": "maybe""#)
        expectMalformed(path)
    }

    @Test func oddLengthHexInRspThrowsMalformed() throws {
        let path = try mutatedText(Self.hmacDrbg, replacing: "ReturnedBits = 2f118de4", with: "ReturnedBits = 2f118de")
        expectMalformed(path)
    }

    @Test func rspRecordWithoutReturnedBitsThrowsMalformed() throws {
        let path = try mutatedText(Self.hmacDrbg, replacing: "ReturnedBits = 2f118de4", with: "Returned = 2f118de4")
        expectMalformed(path)
    }

    @Test func badHexInRfc4231ThrowsMalformed() throws {
        let path = try mutatedText(Self.rfc4231, replacing: "Msg = 4869205468657265", with: "Msg = 48692054686572g5")
        expectMalformed(path)
    }

    @Test func rfc4231LengthMismatchThrowsMalformed() throws {
        let path = try mutatedText(Self.rfc4231, replacing: "Len = 64", with: "Len = 72")
        expectMalformed(path)
    }

    @Test func missingFileThrowsUnreadable() {
        let path = vectorPath("primitives/no-such-file.json")
        #expect(throws: VectorFileError.self) { try PrimitiveVectors.check(fileAt: path) }
    }

    @Test func unknownKindsAreNil() throws {
        let other = try temporaryFile(named: "other.json", text: #"{"algorithm": "ECDSA", "testGroups": []}"#)
        #expect(try PrimitiveVectors.check(fileAt: other) == nil)
        let plain = try temporaryFile(named: "notes.txt", text: "just some notes\nKey = 00\n")
        #expect(try PrimitiveVectors.check(fileAt: plain) == nil)
        let noAlgorithm = try temporaryFile(named: "x.json", text: #"{"scheme": "shamir"}"#)
        #expect(try PrimitiveVectors.check(fileAt: noAlgorithm) == nil)
        #expect(try PrimitiveVectors.check(fileAt: vectorPath("bignum/bignum.json")) == nil)
    }
}
