import CryptoPrimitives
import Testing

@Suite struct PrgTests {
    let seed = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    /// `openssl enc -aes-256-ctr -K 00…1f -iv 00…00` of 64 zero bytes (also checked with Python `cryptography`).
    let keystream = unhex(
        "f29000b62a499fd0a9f39a6add2e7780f05d76ae4ab99fe5a6f69b3148c2363d"
            + "0ebcb5deb52c83bd08a8a935182c9199d24356532881602f809eb383c5ff5d56")

    @Test func bytesAreTheAes256CtrKeystream() throws {
        let prg = try Prg(seed: seed)
        #expect(try prg.bytes(count: 64) == keystream)
    }

    /// The counter is a 128-bit big-endian integer: it carries out of the low 64 bits (AES-256-ECB of the
    /// counter blocks …ffffffffffffffff, 0000000000000001 0000000000000000, … 0001, computed independently).
    @Test func counterCarriesAcrossSixtyFourBits() throws {
        let prg = try Prg(seed: seed, iv: unhex("0000000000000000ffffffffffffffff"))
        let expected = "a6fbdb5cfde07d1b58fd362177bcffdf511dd5ef9a682b7da49f91c86c4f7ac3"
            + "40c53cef92ef2d643f638b8222db1e85"
        #expect(hex(try prg.bytes(count: 48)) == expected)
    }

    @Test func uint32WordsAreLittleEndianKeystream() throws {
        let prg = try Prg(seed: seed)
        var words = [UInt32](repeating: 0, count: 16)
        try prg.fill(&words)
        for i in 0..<16 {
            let b = keystream[(4 * i)..<(4 * i + 4)].map { UInt32($0) }
            let expected = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
            #expect(words[i] == expected)
        }
        #expect(words[0] == 0xb600_90f2)
    }

    @Test func uint64WordsAreLittleEndianKeystream() throws {
        let prg = try Prg(seed: seed)
        var words = [UInt64](repeating: 0, count: 8)
        try prg.fill(&words)
        for i in 0..<8 {
            let expected = keystream[(8 * i)..<(8 * i + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(words[i] == expected)
        }
    }

    @Test func fillingInPartsContinuesTheStream() throws {
        let whole = try Prg(seed: seed)
        var all = [UInt32](repeating: 0, count: 1000)
        try whole.fill(&all)

        let parts = try Prg(seed: seed)
        var first = [UInt32](repeating: 0, count: 333)
        var empty = [UInt32]()
        var rest = [UInt32](repeating: 0, count: 667)
        try parts.fill(&first)
        try parts.fill(&empty)
        try parts.fill(&rest)
        #expect(first + rest == all)
    }

    @Test func oddByteChunksContinueTheStream() throws {
        let prg = try Prg(seed: seed)
        let pieces = try prg.bytes(count: 5) + prg.bytes(count: 11) + prg.bytes(count: 48)
        #expect(pieces == keystream)
    }

    @Test func fillOverwritesExistingContents() throws {
        let prg = try Prg(seed: seed)
        var words = [UInt32](repeating: 0xdead_beef, count: 16)
        try prg.fill(&words)
        let fresh = try Prg(seed: seed)
        var clean = [UInt32](repeating: 0, count: 16)
        try fresh.fill(&clean)
        #expect(words == clean)
    }

    @Test func differentSeedsOrIvsGiveDifferentStreams() throws {
        var otherSeed = seed
        otherSeed[0] ^= 1
        #expect(try Prg(seed: otherSeed).bytes(count: 32) != Array(keystream.prefix(32)))
        var iv = [UInt8](repeating: 0, count: 16)
        iv[15] = 1
        // iv = 1 starts one block later in the same stream.
        #expect(try Prg(seed: seed, iv: iv).bytes(count: 16) == Array(keystream[16..<32]))
    }

    @Test func seedOfWrongLengthThrows() {
        for count in [0, 16, 31, 33] {
            #expect(throws: CryptoError.invalidLength(what: "PRG seed", expected: "32", actual: count)) {
                try Prg(seed: [UInt8](repeating: 1, count: count))
            }
        }
    }

    @Test func ivOfWrongLengthThrows() {
        for count in [0, 12, 15, 17] {
            #expect(throws: CryptoError.invalidLength(what: "PRG IV", expected: "16", actual: count)) {
                try Prg(seed: [UInt8](repeating: 1, count: 32), iv: [UInt8](repeating: 0, count: count))
            }
        }
    }
}
