import CryptoPrimitives
import Testing

@Suite struct HmacDrbgTests {
    let seed = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")

    /// NIST CAVP `drbgvectors_no_reseed`, [SHA-256], no personalization or additional input, COUNT = 0.
    @Test func cavpNoReseedKnownAnswer() throws {
        var drbg = try HmacDrbg(
            entropy: unhex("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488"),
            nonce: unhex("659ba96c601dc69fc902940805ec0ca8"))
        _ = try drbg.generate(count: 128)
        let bits = try drbg.generate(count: 128)
        #expect(hex(bits) == PrimitiveVectorFileTests.noReseedExpected)
    }

    /// NIST CAVP `drbgvectors_pr_false`, [SHA-256], COUNT = 0: Reseed, then two Generates.
    @Test func cavpReseedKnownAnswer() throws {
        var drbg = try HmacDrbg(
            entropy: unhex("06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d"),
            nonce: unhex("0e66f71edc43e42a45ad3c6fc6cdc4df"))
        try drbg.reseed(entropy: unhex("01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552"))
        _ = try drbg.generate(count: 128)
        #expect(hex(try drbg.generate(count: 128)) == PrimitiveVectorFileTests.reseedExpected)
    }

    /// The stream as a `RandomSource` (value from an independent Python HMAC_DRBG).
    @Test func fillKnownAnswer() throws {
        var drbg = try HmacDrbg(entropy: seed)
        #expect(hex(try drbg.bytes(count: 32)) == "3226437dd9f98b17591aad731383303213439f64d029a5764e84e36256ddeb79")
    }

    @Test func nextUInt64ReadsEightBytesBigEndian() throws {
        var drbg = try HmacDrbg(entropy: seed)
        #expect(try drbg.nextUInt64() == 3_613_649_958_818_384_663)
    }

    @Test func entropyShorterThanSixteenBytesThrows() throws {
        let expected = CryptoError.invalidLength(what: "HMAC_DRBG entropy input", expected: "at least 16", actual: 15)
        #expect(throws: expected) { try HmacDrbg(entropy: [UInt8](repeating: 1, count: 15)) }
        let empty = CryptoError.invalidLength(what: "HMAC_DRBG entropy input", expected: "at least 16", actual: 0)
        #expect(throws: empty) {
            try HmacDrbg(entropy: [], nonce: [UInt8](repeating: 1, count: 32))
        }
        var drbg = try HmacDrbg(entropy: [UInt8](repeating: 1, count: 16))
        #expect(throws: expected) { try drbg.reseed(entropy: [UInt8](repeating: 1, count: 15)) }
    }

    @Test func singleGenerateIsLimitedTo65536Bytes() throws {
        var drbg = try HmacDrbg(entropy: seed)
        #expect(try drbg.generate(count: 65_536).count == 65_536)
        #expect(throws: CryptoError.requestTooLarge(what: "HMAC_DRBG request", maximum: 65_536)) {
            try drbg.generate(count: 65_537)
        }
    }

    /// Documented stream rule: a fill of n bytes is ⌈n / 65536⌉ Generate calls of at most 65536 bytes.
    @Test func largeFillIsConsecutiveGenerateCalls() throws {
        var byFill = try HmacDrbg(entropy: seed)
        var byGenerate = byFill
        let filled = try byFill.bytes(count: 65_536 + 100)
        let first = try byGenerate.generate(count: 65_536)
        let second = try byGenerate.generate(count: 100)
        #expect(filled == first + second)
        // Filling 65536 then 100 bytes is the same two Generate calls.
        var split = try HmacDrbg(entropy: seed)
        let twoSmall = try split.bytes(count: 65_536) + split.bytes(count: 100)
        #expect(twoSmall == filled)
    }

    @Test func copiesRepeatTheStreamAndDoNotShareState() throws {
        var original = try HmacDrbg(entropy: seed)
        _ = try original.bytes(count: 10)
        var copy = original
        let fromCopy = try copy.bytes(count: 64)
        let fromOriginal = try original.bytes(count: 64)
        #expect(fromCopy == fromOriginal)
        _ = try copy.bytes(count: 1)
        #expect(try copy.bytes(count: 16) != original.bytes(count: 16))
    }

    @Test func personalizationNonceAndAdditionalInputChangeTheOutput() throws {
        var plain = try HmacDrbg(entropy: seed)
        var personalized = try HmacDrbg(entropy: seed, personalization: [1])
        var withNonce = try HmacDrbg(entropy: seed, nonce: [1])
        let base = try plain.generate(count: 32)
        #expect(try personalized.generate(count: 32) != base)
        #expect(try withNonce.generate(count: 32) != base)
        var again = try HmacDrbg(entropy: seed)
        #expect(try again.generate(count: 32, additional: [7]) != base)
    }

    @Test func reseedChangesTheStream() throws {
        var a = try HmacDrbg(entropy: seed)
        var b = a
        try b.reseed(entropy: seed)
        #expect(try a.bytes(count: 32) != b.bytes(count: 32))
    }

    @Test func descriptionDoesNotLeakState() throws {
        let drbg = try HmacDrbg(entropy: seed)
        #expect("\(drbg)" == "HmacDrbg(<redacted>)")
    }
}

@Suite struct SystemRandomTests {
    @Test func producesRequestedSizeAndVaryingOutput() throws {
        var rng = SystemRandom()
        let a = try rng.bytes(count: 64)
        let b = try rng.bytes(count: 64)
        #expect(a.count == 64)
        #expect(a != b)
        #expect(Set(a).count > 8)
        #expect(try rng.bytes(count: 0) == [])
        #expect(try rng.bytes(count: 100_000).count == 100_000)
    }

    @Test func fillOverwritesTheWholeBuffer() throws {
        var rng = SystemRandom()
        var buffer = [UInt8](repeating: 0, count: 4096)
        try buffer.withUnsafeMutableBytes { try rng.fill($0) }
        // 4096 zero bytes from a working CSPRNG has probability 2^-32768.
        #expect(buffer.contains { $0 != 0 })
        #expect(Set(buffer).count > 200)
    }

    @Test func nextUInt64Varies() throws {
        var rng = SystemRandom()
        let draws = try (0..<8).map { _ in try rng.nextUInt64() }
        #expect(Set(draws).count == 8)
    }
}
