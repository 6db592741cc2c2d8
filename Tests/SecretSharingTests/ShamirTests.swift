import Bignum
import CryptoPrimitives
import SecretSharing
import Testing

@Suite struct ShamirPropertyTests {
    /// Any t of the n shares, in any order, reconstruct; so do all n.
    func roundTrip<F: PrimeField>(_ field: F, label: String, trials: Int) throws {
        var rng = try testRandom(label)
        for _ in 0..<trials {
            let n = 1 + (try uniform(10, using: &rng))
            let t = 1 + (try uniform(n, using: &rng))
            let m = 1 + (try uniform(8, using: &rng))
            let shamir = try Shamir(field: field, threshold: t, shareCount: n)
            let secrets = try field.randomElements(count: m, using: &rng)
            let shares = try shamir.split(secrets, using: &rng)
            #expect(shares.map(\.index) == Array(1...n))
            #expect(shares.allSatisfy { $0.values.count == m })
            let chosen = try randomIndices(count: t, of: n, using: &rng).map { shares[$0 - 1] }
            #expect(try shamir.combine(chosen) == secrets)
            #expect(try shamir.combine(shares.reversed()) == secrets)
        }
    }

    @Test func roundTripMersenne61() throws { try roundTrip(Mersenne61(), label: "rt m61", trials: 60) }

    @Test func roundTripBigPrime() throws {
        let p = try Bignum(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639747")
        try roundTrip(BigPrimeField(modulus: p), label: "rt big", trials: 30)
    }

    @Test func roundTripSmallestField() throws {
        // p = 11 allows n = 10 (indices 1…10).
        try roundTrip(BigPrimeField(modulus: Bignum(11)), label: "rt 11", trials: 30)
    }

    /// Shares are linear: adding two share vectors index-wise shares the sum of the secrets.
    @Test func sharesAreAdditivelyHomomorphic() throws {
        let field = Mersenne61()
        let shamir = try Shamir(field: field, threshold: 3, shareCount: 5)
        var rng = try testRandom("homomorphic")
        let a = try field.randomElements(count: 16, using: &rng)
        let b = try field.randomElements(count: 16, using: &rng)
        let sa = try shamir.split(a, using: &rng), sb = try shamir.split(b, using: &rng)
        let sum = zip(sa, sb).map { x, y in
            ShamirShare(index: x.index, values: zip(x.values, y.values).map { field.add($0, $1) })
        }
        let expected = zip(a, b).map { field.add($0, $1) }
        #expect(try shamir.combine([sum[4], sum[0], sum[2]]) == expected)
    }

    /// Interpolating the constant polynomial 1 gives 1: the weights for any index set sum to 1.
    @Test func lagrangeWeightsSumToOne() throws {
        let field = Mersenne61()
        let shamir = try Shamir(field: field, threshold: 4, shareCount: 9)
        var rng = try testRandom("lagrange")
        for _ in 0..<20 {
            let indices = try randomIndices(count: 4, of: 9, using: &rng)
            let weights = try shamir.lagrangeCoefficientsAtZero(indices: indices)
            #expect(weights.reduce(0) { field.add($0, $1) } == 1)
        }
    }

    @Test func thresholdOneSharesAreTheSecret() throws {
        let shamir = try Shamir(field: Mersenne61(), threshold: 1, shareCount: 3)
        var rng = try testRandom("t1")
        let shares = try shamir.split([42, 7], using: &rng)
        #expect(shares.allSatisfy { $0.values == [42, 7] })
    }

    @Test func splitIsDeterministicUnderTheDrbg() throws {
        let shamir = try Shamir(field: Mersenne61(), threshold: 3, shareCount: 5)
        var a = try testRandom("det"), b = try testRandom("det")
        #expect(try shamir.split([1, 2, 3], using: &a) == (try shamir.split([1, 2, 3], using: &b)))
    }
}

@Suite struct ShamirBadInputTests {
    let field = Mersenne61()
    var shamir: Shamir<Mersenne61> { get throws { try Shamir(field: field, threshold: 3, shareCount: 5) } }

    func shares() throws -> [ShamirShare<UInt64>] {
        var rng = try testRandom("bad input")
        return try shamir.split([10, 20, 30], using: &rng)
    }

    @Test func thresholdAboveShareCount() {
        #expect(throws: SharingError.invalidThreshold(threshold: 6, shareCount: 5)) {
            try Shamir(field: field, threshold: 6, shareCount: 5)
        }
    }

    @Test(arguments: [0, -1]) func thresholdBelowOne(_ t: Int) {
        #expect(throws: SharingError.invalidThreshold(threshold: t, shareCount: 5)) {
            try Shamir(field: field, threshold: t, shareCount: 5)
        }
    }

    @Test func tooManySharesForTheField() throws {
        let small = try BigPrimeField(modulus: Bignum(11))
        #expect(throws: SharingError.tooManyShares(shareCount: 11, modulus: "11")) {
            try Shamir(field: small, threshold: 2, shareCount: 11)
        }
    }

    @Test func emptySecrets() throws {
        var rng = try testRandom("empty")
        #expect(throws: SharingError.emptySecrets) { try shamir.split([], using: &rng) }
    }

    @Test func secretNotBelowModulus() throws {
        var rng = try testRandom("secret range")
        #expect(throws: SharingError.valueOutOfRange(what: "secret 1", modulus: "\(Mersenne61.prime)")) {
            try shamir.split([1, Mersenne61.prime], using: &rng)
        }
    }

    @Test func shareIndexZero() throws {
        var s = try shares()
        s[0].index = 0
        #expect(throws: SharingError.shareIndexZero) { try shamir.combine(Array(s.prefix(3))) }
    }

    @Test func duplicateShareIndex() throws {
        let s = try shares()
        #expect(throws: SharingError.duplicateShareIndex(2)) { try shamir.combine([s[1], s[0], s[1]]) }
    }

    @Test(arguments: [6, -2, Int.max]) func shareIndexOutOfRange(_ index: Int) throws {
        var s = try shares()
        s[2].index = index
        #expect(throws: SharingError.shareIndexOutOfRange(index: index, maximum: "5")) {
            try shamir.combine(Array(s.prefix(3)))
        }
    }

    @Test func fewerThanThresholdShares() throws {
        let s = try shares()
        #expect(throws: SharingError.notEnoughShares(needed: 3, got: 2)) { try shamir.combine(Array(s.prefix(2))) }
        #expect(throws: SharingError.notEnoughShares(needed: 3, got: 0)) { try shamir.combine([]) }
    }

    @Test func vectorLengthMismatch() throws {
        var s = try shares()
        s[4].values.removeLast()
        #expect(throws: SharingError.vectorLengthMismatch(index: 5, expected: 3, actual: 2)) {
            try shamir.combine(s)
        }
    }

    @Test func shareValueNotBelowModulus() throws {
        var s = try shares()
        s[1].values[2] = Mersenne61.prime
        #expect(throws: SharingError.valueOutOfRange(what: "share 2 value 2", modulus: "\(Mersenne61.prime)")) {
            try shamir.combine(s)
        }
    }

    /// An invalid share after the first t still fails the whole call: nothing is returned from a set
    /// that contains bad input.
    @Test func invalidExtraShareIsNotIgnored() throws {
        var s = try shares()
        s[4].values[0] = UInt64.max
        #expect(throws: SharingError.self) { try shamir.combine(s) }
    }
}

@Suite struct ShareSetTests {
    func split(_ field: FieldChoice, t: Int = 2, n: Int = 3) throws -> ShamirShareSet {
        var rng = try testRandom("share set \(field)")
        return try ShamirShareSet.split(
            secrets: [Bignum(5), Bignum(9)], field: field, threshold: t, shareCount: n, using: &rng)
    }

    @Test func splitMergeCombine() throws {
        let set = try split(.mersenne61, t: 3, n: 5)
        let holders = set.shares.map { ShamirShareSet(modulus: set.modulus, threshold: set.threshold, shares: [$0]) }
        let merged = try ShamirShareSet.merging([holders[4], holders[1], holders[3]])
        #expect(try merged.combine() == [Bignum(5), Bignum(9)])
    }

    @Test func sharesFromDifferentFieldsAreRejected() throws {
        let a = try split(.mersenne61)
        let b = try split(FieldChoice(parsing: "1000003"))
        #expect(throws: SharingError.modulusMismatch(expected: "\(Mersenne61.prime)", actual: "1000003")) {
            try ShamirShareSet.merging([a, b])
        }
    }

    @Test func differentThresholdsAreRejected() throws {
        let a = try split(.mersenne61, t: 2)
        let b = try split(.mersenne61, t: 3)
        #expect(throws: SharingError.thresholdMismatch(expected: 2, actual: 3)) { try ShamirShareSet.merging([a, b]) }
    }

    @Test func nonPrimeModulusInASetIsRejected() throws {
        var set = try split(.mersenne61)
        set.modulus = Bignum(Mersenne61.prime) + Bignum(2)
        #expect(throws: SharingError.notPrime((Bignum(Mersenne61.prime) + Bignum(2)).description)) { try set.combine() }
    }

    @Test func valueAtOrAboveTheModulusIsRejected() throws {
        var set = try split(FieldChoice(parsing: "1000003"))
        set.shares[0].values[1] = Bignum(1_000_003)
        #expect(throws: SharingError.valueOutOfRange(what: "share 1 value 1", modulus: "1000003")) { try set.combine() }
        set.shares[0].values[1] = Bignum(-1)
        #expect(throws: SharingError.self) { try set.combine() }
    }

    @Test func thresholdBelowOneInASetIsRejected() throws {
        var set = try split(.mersenne61)
        set.threshold = 0
        #expect(throws: SharingError.self) { try set.combine() }
    }

    @Test func secretOutOfRangeOnSplit() throws {
        var rng = try testRandom("split range")
        #expect(throws: SharingError.valueOutOfRange(what: "secret 0", modulus: "11")) {
            try ShamirShareSet.split(
                secrets: [Bignum(11)], field: FieldChoice(parsing: "11"), threshold: 2, shareCount: 3, using: &rng)
        }
    }
}
