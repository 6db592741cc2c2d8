import Bignum
import CryptoPrimitives
import Paillier
import Testing

@Suite struct FixedPointTests {
    @Test func roundTripsSignedReals() throws {
        let sk = try key()
        var rng = try testRandom("fixed point")
        let encoder = try FixedPointEncoder(publicKey: sk.publicKey, fractionBits: 32)
        for x in [0.0, 1.5, -2.0, -2.5, 1e-6, 123456.789, -0.000123] {
            let back = try encoder.decode(sk.decrypt(sk.publicKey.encrypt(encoder.encode(x), using: &rng)))
            #expect(abs(back - x) <= 1.0 / 4_294_967_296.0)
        }
    }

    @Test func homomorphicSumOfSignedValues() throws {
        let sk = try key()
        let pk = sk.publicKey
        var rng = try testRandom("fixed sum")
        let encoder = try FixedPointEncoder(publicKey: pk, fractionBits: 16)
        let values = [-3.25, 10.5, -7.0, 0.125]
        var sum = try pk.encrypt(encoder.encode(values[0]), using: &rng)
        for x in values.dropFirst() { sum = try pk.add(sum, pk.encrypt(encoder.encode(x), using: &rng)) }
        #expect(try encoder.decode(sk.decrypt(sum)) == 0.375)
    }

    @Test func overflowBandIsAnErrorNotAWrap() throws {
        let sk = try key()
        let pk = sk.publicKey
        let encoder = try FixedPointEncoder(publicKey: pk, fractionBits: 0)
        let max = encoder.maxMagnitude
        #expect(try encoder.decodeInteger(max) == max)
        #expect(try encoder.decodeInteger(pk.n - max) == -max)
        #expect(throws: PaillierError.self) { try encoder.decodeInteger(max + Bignum(1)) }
        #expect(throws: PaillierError.self) { try encoder.decodeInteger(pk.n - max - Bignum(1)) }
        #expect(throws: PaillierError.self) { try encoder.encode(integer: max + Bignum(1)) }
        #expect(throws: PaillierError.plaintextOutOfRange) { try encoder.decodeInteger(pk.n) }
        // A real overflow: max + max decrypts into the band.
        var rng = try testRandom("overflow")
        let c = try pk.encrypt(encoder.encode(integer: max), using: &rng)
        #expect(throws: PaillierError.self) { try encoder.decodeInteger(sk.decrypt(pk.add(c, c))) }
    }

    @Test func nonFiniteAndHugeValuesAreRejected() throws {
        let encoder = try FixedPointEncoder(publicKey: key().publicKey, fractionBits: 32)
        #expect(throws: PaillierError.self) { try encoder.encode(Double.nan) }
        #expect(throws: PaillierError.self) { try encoder.encode(Double.infinity) }
        #expect(throws: PaillierError.self) { try encoder.encode(1e300) }
        #expect(throws: PaillierError.self) { try FixedPointEncoder(publicKey: key().publicKey, fractionBits: -1) }
    }
}

@Suite struct PackedTests {
    @Test func slotCountAndBytesPerParameterAt2048Bits() throws {
        // The ≤ 12 bytes/parameter target: 2048-bit n, 16-bit values, 10 summands.
        // A 2048-bit modulus from two 1024-bit primes with their top two bits set.
        let p = (Bignum(3) << 1022).nextPrime(), q = p.nextPrime()
        let key = try PaillierPublicKey(n: p * q)
        #expect(key.bits == 2048)
        let encoder = try PackedEncoder(publicKey: key, valueBits: 16, maxSummands: 10)
        #expect(encoder.slotBits == 20)
        #expect(encoder.slotCount == 102)
        let bytesPerParameter = Double(key.ciphertextByteCount) / Double(encoder.slotCount)
        #expect(bytesPerParameter <= 12)
    }

    /// With N = 16 (= 2^4, no slack in the headroom) a sum of 16 extreme vectors is exact and a 17th is
    /// both refused and, when forced through the raw key, wrong: the bound is tight.
    @Test func sumAtTheHeadroomLimitIsExact() throws {
        let sk = try key()
        var rng = try testRandom("packed limit")
        let encoder = try PackedEncoder(publicKey: sk.publicKey, valueBits: 16, maxSummands: 16)
        let encryptor = try PaillierEncryptor(publicKey: sk.publicKey, using: &rng)
        let k = encoder.slotCount
        // Extreme values in every slot: the most negative in even slots, the most positive in odd ones.
        let extreme = (0..<k).map { $0 % 2 == 0 ? encoder.valueRange.lowerBound : encoder.valueRange.upperBound }
        var sum = try encoder.encrypt(extreme, using: encryptor, rng: &rng)
        for _ in 1..<16 { sum = try encoder.add(sum, encoder.encrypt(extreme, using: encryptor, rng: &rng)) }
        #expect(sum.summands == 16)
        #expect(try encoder.decrypt(sum, with: sk) == extreme.map { $0 * 16 })
        let one = try encoder.encrypt(extreme, using: encryptor, rng: &rng)
        #expect(throws: PaillierError.self) { try encoder.add(sum, one) }
        let forced = try sk.publicKey.add(sum.ciphertext, one.ciphertext)
        let slots = try? encoder.unpack(sk.decrypt(forced))
        #expect(slots != extreme.map { $0 * 17 })
    }

    /// N = 10 reserves ⌈log₂ 10⌉ = 4 bits; the encoder still refuses an 11th summand.
    @Test func summandCountIsEnforced() throws {
        let sk = try key()
        var rng = try testRandom("packed count")
        let encoder = try PackedEncoder(publicKey: sk.publicKey, valueBits: 16, maxSummands: 10)
        let encryptor = try PaillierEncryptor(publicKey: sk.publicKey, using: &rng)
        var sum = try encoder.encrypt([1, -1], using: encryptor, rng: &rng)
        for _ in 1..<10 { sum = try encoder.add(sum, encoder.encrypt([1, -1], using: encryptor, rng: &rng)) }
        #expect(Array(try encoder.decrypt(sum, with: sk).prefix(3)) == [10, -10, 0])
        let more = try encoder.encrypt([1], using: encryptor, rng: &rng)
        #expect(throws: PaillierError.self) { try encoder.add(sum, more) }
        #expect(throws: PaillierError.self) { try encoder.decrypt(PackedCiphertext(ciphertext: sum.ciphertext, summands: 11), with: sk) }
    }

    @Test func randomVectorsSumSlotBySlot() throws {
        let sk = try key()
        var rng = try testRandom("packed random")
        let encoder = try PackedEncoder(publicKey: sk.publicKey, valueBits: 12, maxSummands: 5)
        let encryptor = try PaillierEncryptor(publicKey: sk.publicKey, using: &rng)
        var expected = [Int](repeating: 0, count: encoder.slotCount)
        var sum: PackedCiphertext?
        for _ in 0..<5 {
            let values = try (0..<encoder.slotCount).map { _ in Int(try rng.nextUInt64() % 4096) - 2048 }
            for i in values.indices { expected[i] += values[i] }
            let c = try encoder.encrypt(values, using: encryptor, rng: &rng)
            sum = try sum.map { try encoder.add($0, c) } ?? c
        }
        #expect(try encoder.decrypt(#require(sum), with: sk) == expected)
    }

    @Test func badPackingInput() throws {
        let pk = try key().publicKey
        let encoder = try PackedEncoder(publicKey: pk, valueBits: 8, maxSummands: 4)
        #expect(throws: PaillierError.self) { try encoder.pack([128]) }
        #expect(throws: PaillierError.self) { try encoder.pack([-129]) }
        #expect(throws: PaillierError.self) { try encoder.pack([Int](repeating: 0, count: encoder.slotCount + 1)) }
        #expect(throws: PaillierError.self) { try PackedEncoder(publicKey: pk, valueBits: 1, maxSummands: 4) }
        #expect(throws: PaillierError.self) { try PackedEncoder(publicKey: pk, valueBits: 60, maxSummands: 100) }
        #expect(throws: PaillierError.self) { try PackedEncoder(publicKey: pk, valueBits: 8, maxSummands: 0) }
        #expect(throws: PaillierError.plaintextOutOfRange) { try encoder.unpack(pk.n) }
    }
}
