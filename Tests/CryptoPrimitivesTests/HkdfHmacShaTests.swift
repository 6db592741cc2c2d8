import CryptoPrimitives
import Testing

@Suite struct HkdfTests {
    let ikm = [UInt8](repeating: 0x0b, count: 22)

    @Test func rfc5869TestCase1() throws {
        let okm = try HkdfSha256.deriveKey(
            inputKeyMaterial: ikm, salt: unhex("000102030405060708090a0b0c"), info: unhex("f0f1f2f3f4f5f6f7f8f9"),
            outputLength: 42)
        #expect(hex(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func rfc5869TestCase3EmptySaltAndInfo() throws {
        let okm = try HkdfSha256.deriveKey(inputKeyMaterial: ikm, outputLength: 42)
        #expect(hex(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func emptySaltEqualsThirtyTwoZeroBytes() throws {
        let a = try HkdfSha256.deriveKey(inputKeyMaterial: ikm, salt: [], info: [1], outputLength: 32)
        let b = try HkdfSha256.deriveKey(
            inputKeyMaterial: ikm, salt: [UInt8](repeating: 0, count: 32), info: [1], outputLength: 32)
        #expect(a == b)
    }

    /// Empty input keying material is legal in RFC 5869 (value from Python `hmac`).
    @Test func emptyInputKeyMaterial() throws {
        let okm = try HkdfSha256.deriveKey(inputKeyMaterial: [], outputLength: 32)
        #expect(hex(okm) == "eb70f01dede9afafa449eee1b1286504e1f62388b3f7dd4f956697b0e828fe18")
    }

    @Test func expandAloneMatchesRfc5869TestCase1() throws {
        let prk = unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        let okm = try HkdfSha256.expand(pseudorandomKey: prk, info: unhex("f0f1f2f3f4f5f6f7f8f9"), outputLength: 42)
        #expect(hex(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func maximumOutputLengthIsAllowedAndOneMoreThrows() throws {
        let longest = try HkdfSha256.deriveKey(inputKeyMaterial: ikm, outputLength: 255 * 32)
        #expect(longest.count == 8160)
        #expect(throws: CryptoError.outputTooLong(requested: 8161, maximum: 8160)) {
            try HkdfSha256.deriveKey(inputKeyMaterial: ikm, outputLength: 8161)
        }
        #expect(throws: CryptoError.outputTooLong(requested: 8161, maximum: 8160)) {
            try HkdfSha256.expand(pseudorandomKey: [UInt8](repeating: 1, count: 32), outputLength: 8161)
        }
    }

    @Test func nonPositiveOutputLengthThrows() {
        for length in [0, -1] {
            #expect(throws: CryptoError.invalidLength(what: "HKDF output", expected: "1...8160", actual: length)) {
                try HkdfSha256.deriveKey(inputKeyMaterial: ikm, outputLength: length)
            }
        }
    }

    @Test func shortPseudorandomKeyThrows() {
        let expected = CryptoError.invalidLength(what: "HKDF pseudorandom key", expected: "at least 32", actual: 31)
        #expect(throws: expected) {
            try HkdfSha256.expand(pseudorandomKey: [UInt8](repeating: 1, count: 31), outputLength: 32)
        }
    }

    @Test func outputsAreNestedPrefixes() throws {
        let short = try HkdfSha256.deriveKey(inputKeyMaterial: ikm, info: [9], outputLength: 40)
        let long = try HkdfSha256.deriveKey(inputKeyMaterial: ikm, info: [9], outputLength: 100)
        #expect(Array(long.prefix(40)) == short)
    }
}

@Suite struct HmacAndShaTests {
    @Test func sha256KnownAnswers() {
        let abc = Sha256.hash(Array("abc".utf8))
        #expect(hex(abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Sha256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sha256OfPartsIsHashOfConcatenation() {
        let parts: [[UInt8]] = [Array("ab".utf8), [], Array("c".utf8)]
        #expect(Sha256.hash(parts: parts) == Sha256.hash(Array("abc".utf8)))
    }

    @Test func hmacOfEmptyKeyAndMessage() {
        let tag = HmacSha256.authenticationCode(for: [], key: [])
        #expect(hex(tag) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hmacRfc4231TestCase2() {
        let message = Array("what do ya want for nothing?".utf8)
        let tag = HmacSha256.authenticationCode(for: message, key: Array("Jefe".utf8))
        #expect(hex(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func tagVerificationRejectsForgeries() {
        let key = Array("k".utf8), message = Array("m".utf8)
        let tag = HmacSha256.authenticationCode(for: message, key: key)
        #expect(HmacSha256.isValid(authenticationCode: tag, for: message, key: key))
        var flipped = tag
        flipped[31] ^= 1
        #expect(!HmacSha256.isValid(authenticationCode: flipped, for: message, key: key))
        #expect(!HmacSha256.isValid(authenticationCode: Array(tag.prefix(16)), for: message, key: key))
        #expect(!HmacSha256.isValid(authenticationCode: [], for: message, key: key))
        #expect(!HmacSha256.isValid(authenticationCode: tag, for: message + [0], key: key))
    }

    @Test func constantTimeEqualsComparesContentsAndLengths() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
    }

    @Test func zeroizeClearsInPlaceAndKeepsTheCount() {
        var secret: [UInt8] = [1, 2, 3, 4]
        zeroize(&secret)
        #expect(secret == [0, 0, 0, 0])
    }
}
