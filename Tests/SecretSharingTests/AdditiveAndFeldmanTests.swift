import Bignum
import CryptoPrimitives
import SecretSharing
import Testing

@Suite struct AdditiveTests {
    func roundTrip<R: AdditiveRing>(_ ring: R, label: String) throws {
        var rng = try testRandom(label)
        for parties in [2, 3, 7] {
            let sharing = try AdditiveSharing(ring: ring, partyCount: parties)
            let values = try ring.randomElements(count: 33, using: &rng)
            let shares = try sharing.split(values, using: &rng)
            #expect(shares.count == parties)
            #expect(try sharing.combine(shares) == values)
            // Shares of a and b add to shares of a + b.
            let other = try ring.randomElements(count: 33, using: &rng)
            let otherShares = try sharing.split(other, using: &rng)
            let summed = zip(shares, otherShares).map { x, y in zip(x, y).map { ring.add($0, $1) } }
            #expect(try sharing.combine(summed) == zip(values, other).map { ring.add($0, $1) })
        }
    }

    @Test func ring2k32() throws { try roundTrip(Ring2k32(), label: "z2^32") }
    @Test func ring2k64() throws { try roundTrip(Ring2k64(), label: "z2^64") }
    @Test func primeField() throws { try roundTrip(Mersenne61(), label: "additive m61") }

    @Test func wrapAroundInZ2k32() throws {
        let sharing = try AdditiveSharing(ring: Ring2k32(), partyCount: 2)
        #expect(try sharing.combine([[UInt32.max], [2]]) == [1])
    }

    @Test(arguments: [1, 0, -3]) func tooFewParties(_ n: Int) {
        #expect(throws: SharingError.invalidPartyCount(n)) { try AdditiveSharing(ring: Ring2k64(), partyCount: n) }
    }

    @Test func wrongNumberOfShares() throws {
        let sharing = try AdditiveSharing(ring: Ring2k64(), partyCount: 3)
        #expect(throws: SharingError.invalidPartyCount(2)) { try sharing.combine([[1], [2]]) }
    }

    @Test func lengthMismatch() throws {
        let sharing = try AdditiveSharing(ring: Ring2k64(), partyCount: 2)
        #expect(throws: SharingError.vectorLengthMismatch(index: 2, expected: 2, actual: 1)) {
            try sharing.combine([[1, 2], [3]])
        }
    }

    @Test func primeFieldValueOutOfRange() throws {
        let sharing = try AdditiveSharing(ring: Mersenne61(), partyCount: 2)
        var rng = try testRandom("additive range")
        #expect(throws: SharingError.self) { try sharing.split([Mersenne61.prime], using: &rng) }
        #expect(throws: SharingError.self) { try sharing.combine([[1], [Mersenne61.prime]]) }
    }
}

@Suite struct FeldmanTests {
    /// RFC 5114 §2.3: 2048-bit p with a 256-bit prime-order subgroup.
    static func rfc5114Group() throws -> SchnorrGroup {
        let p = try Bignum(hex: """
            87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30\
            16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B\
            6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E\
            F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026\
            C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F\
            693877FAD7EF09CADB094AE91E1A1597
            """)
        let q = try Bignum(hex: "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3")
        let g = try Bignum(hex: """
            3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555\
            BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B\
            777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55\
            A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915\
            B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451\
            5E2327CFEF98C582664B4C0F6CC41659
            """)
        return try SchnorrGroup(p: p, q: q, g: g)
    }

    @Test func dealVerifyCombine() throws {
        let group = try Self.rfc5114Group()
        let feldman = try Feldman(group: group, threshold: 3, shareCount: 5)
        var rng = try testRandom("feldman")
        let secret = try Bignum.random(below: group.q, using: &rng)
        let dealing = try feldman.deal(secret: secret, using: &rng)
        #expect(dealing.commitments.count == 3)
        #expect(dealing.commitments[0] == (try group.g.powm(secret, modulus: group.p)))
        for share in dealing.shares { try feldman.verify(share, commitments: dealing.commitments) }
        let chosen = [dealing.shares[4], dealing.shares[0], dealing.shares[2]]
        #expect(try feldman.combine(chosen, commitments: dealing.commitments) == secret)
    }

    @Test func tamperedShareIsRejectedByIndex() throws {
        let group = try Self.rfc5114Group()
        let feldman = try Feldman(group: group, threshold: 2, shareCount: 3)
        var rng = try testRandom("feldman tamper")
        let dealing = try feldman.deal(secret: Bignum(12345), using: &rng)
        var bad = dealing.shares[1]
        bad.value = try (bad.value + Bignum(1)).modulo(group.q)
        #expect(throws: SharingError.shareDoesNotMatchCommitments(index: 2)) {
            try feldman.verify(bad, commitments: dealing.commitments)
        }
        #expect(throws: SharingError.shareDoesNotMatchCommitments(index: 2)) {
            try feldman.combine([dealing.shares[0], bad], commitments: dealing.commitments)
        }
        // A correct value under another index is also caught.
        let moved = FeldmanShare(index: 3, value: dealing.shares[0].value)
        #expect(throws: SharingError.shareDoesNotMatchCommitments(index: 3)) {
            try feldman.verify(moved, commitments: dealing.commitments)
        }
    }

    @Test func badCommitmentsAndRanges() throws {
        let group = try Self.rfc5114Group()
        let feldman = try Feldman(group: group, threshold: 2, shareCount: 3)
        var rng = try testRandom("feldman commitments")
        let dealing = try feldman.deal(secret: Bignum(7), using: &rng)
        let share = dealing.shares[0]
        #expect(throws: SharingError.self) { try feldman.verify(share, commitments: [dealing.commitments[0]]) }
        #expect(throws: SharingError.self) { try feldman.verify(share, commitments: [dealing.commitments[0], Bignum(2)]) }
        #expect(throws: SharingError.self) { try feldman.verify(share, commitments: [dealing.commitments[0], group.p]) }
        #expect(throws: SharingError.shareIndexZero) {
            try feldman.verify(FeldmanShare(index: 0, value: share.value), commitments: dealing.commitments)
        }
        #expect(throws: SharingError.self) {
            try feldman.verify(FeldmanShare(index: 1, value: group.q), commitments: dealing.commitments)
        }
        #expect(throws: SharingError.self) { try feldman.deal(secret: group.q, using: &rng) }
    }

    @Test func invalidGroups() throws {
        let good = try Self.rfc5114Group()
        #expect(throws: SharingError.self) { try SchnorrGroup(p: good.p, q: good.q, g: Bignum(1)) }
        #expect(throws: SharingError.self) { try SchnorrGroup(p: good.p, q: good.q, g: good.p - Bignum(1)) }
        #expect(throws: SharingError.self) { try SchnorrGroup(p: good.p + Bignum(2), q: good.q, g: good.g) }
        #expect(throws: SharingError.self) { try SchnorrGroup(p: good.p, q: good.q.nextPrime(), g: good.g) }
    }
}
