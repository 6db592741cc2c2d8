import Bignum
import CryptoPrimitives
import Testing

@Suite struct RandomTests {
    @Test(arguments: ["1", "2", "3", "255", "256", "257", "1000", "18446744073709551617",
                      "170141183460469231731687303715884105727"])
    func randomBelowStaysBelowTheBound(bound text: String) throws {
        let bound = try Bignum(decimal: text)
        var rng = try HmacDrbgSeed.make()
        var seen = Set<Bignum>()
        for _ in 0..<300 {
            let x = try Bignum.random(below: bound, using: &rng)
            #expect(!x.isNegative)
            #expect(x < bound)
            seen.insert(x)
        }
        if bound > Bignum(1) << 64 { #expect(seen.count == 300) }
        if bound == Bignum(3) { #expect(seen.count == 3) }
    }

    /// Known answers of the sampling rule (Specs/secret-sharing.md), from an independent Python HMAC_DRBG.
    @Test func randomBelowFollowsTheSpecifiedSamplingRule() throws {
        var rng = try HmacDrbgSeed.make()
        let bound = try Bignum(decimal: "1000000000000000000000000000000")
        let draws = try (0..<3).map { _ in try Bignum.random(below: bound, using: &rng).description }
        #expect(draws == ["170298347748389282262633247507", "702512682664393148292281746376",
                          "810475059556820659125112374542"])
        var small = try HmacDrbgSeed.make()
        let digits = try (0..<5).map { _ in try Bignum.random(below: Bignum(1000), using: &small) }
        #expect(digits == [550, 221, 570, 955, 329])
    }

    @Test func randomBelowIsDeterministicUnderOneSeed() throws {
        var a = try HmacDrbgSeed.make()
        var b = try HmacDrbgSeed.make()
        var c = try HmacDrbgSeed.make(Array(repeating: 7, count: 32))
        let bound = Bignum(1) << 300
        let fromA = try (0..<10).map { _ in try Bignum.random(below: bound, using: &a) }
        let fromB = try (0..<10).map { _ in try Bignum.random(below: bound, using: &b) }
        let fromC = try (0..<10).map { _ in try Bignum.random(below: bound, using: &c) }
        #expect(fromA == fromB)
        #expect(fromA != fromC)
    }

    @Test func randomBelowRejectsNonPositiveBounds() throws {
        var rng = try HmacDrbgSeed.make()
        for bound in [0, -1] {
            #expect(throws: BignumError.invalidArgument("random bound must be ≥ 1")) {
                try Bignum.random(below: Bignum(bound), using: &rng)
            }
        }
    }

    @Test func randomVectorCounts() throws {
        var rng = try HmacDrbgSeed.make()
        #expect(try Bignum.randomVector(count: 0, below: Bignum(10), using: &rng) == [])
        #expect(try Bignum.randomVector(count: 4, below: Bignum(1), using: &rng) == [0, 0, 0, 0])
        #expect(throws: BignumError.invalidArgument("count must be non-negative")) {
            try Bignum.randomVector(count: -1, below: Bignum(10), using: &rng)
        }
        let many = try Bignum.randomVector(count: 50, below: Bignum(37), using: &rng)
        #expect(many.count == 50)
        #expect(many.allSatisfy { $0 < Bignum(37) && !$0.isNegative })
    }

    @Test func randomBitsKnownAnswerAndRange() throws {
        var rng = try HmacDrbgSeed.make()
        #expect(try Bignum.random(bits: 100, using: &rng).description == "170298347748389282262633247507")
        #expect(try Bignum.random(bits: 0, using: &rng) == Bignum())
        for bits in [1, 7, 8, 9, 63, 64, 65, 1000] {
            let x = try Bignum.random(bits: bits, using: &rng)
            #expect(x.bitWidth <= bits)
        }
        #expect(throws: BignumError.invalidArgument("bit count must be non-negative")) {
            try Bignum.random(bits: -1, using: &rng)
        }
    }

    @Test func randomPrimeRejectsTinyBitSizes() throws {
        var rng = try HmacDrbgSeed.make()
        for bits in [1, 0, -8] {
            #expect(throws: BignumError.invalidArgument("a prime needs at least 2 bits")) {
                try Bignum.randomPrime(bits: bits, using: &rng)
            }
        }
    }

    @Test func smallestPrimeSizes() throws {
        var rng = try HmacDrbgSeed.make()
        for _ in 0..<20 {
            let two = try Bignum.randomPrime(bits: 2, using: &rng)
            #expect(two == Bignum(2) || two == Bignum(3))
            let three = try Bignum.randomPrime(bits: 3, using: &rng)
            #expect(three == Bignum(5) || three == Bignum(7))
        }
    }

    /// Checked by trial division, independently of GMP's primality test.
    @Test func sixteenBitPrimesAreReallyPrime() throws {
        var rng = try HmacDrbgSeed.make()
        for _ in 0..<20 {
            let prime = try Bignum.randomPrime(bits: 16, using: &rng)
            let n = try #require(prime.exactInt)
            #expect(n >= 1 << 15 && n < 1 << 16)
            #expect(!(2...255).contains { n % $0 == 0 })
        }
    }

    @Test func randomPrime256HasExactly256BitsAndIsPrime() throws {
        var rng = try HmacDrbgSeed.make()
        let prime = try Bignum.randomPrime(bits: 256, using: &rng)
        #expect(prime.bitWidth == 256)
        #expect(prime.isProbablePrime())
        #expect(prime.isOdd)
        var system = SystemRandom()
        let other = try Bignum.randomPrime(bits: 256, using: &system)
        #expect(other.bitWidth == 256)
        #expect(other.isProbablePrime())
    }
}
