import Bignum
import Testing

@Suite struct NumberTheoryTests {
    let p = (Bignum(1) << 127) - Bignum(1)  // the Mersenne prime 2^127 − 1

    // MARK: Modular exponentiation

    @Test func powmKnownAnswers() throws {
        #expect(try Bignum(4).powm(Bignum(13), modulus: Bignum(497)) == Bignum(445))
        #expect(try Bignum(2).powm(Bignum(-1), modulus: Bignum(7)) == Bignum(4))
        #expect(try Bignum(-2).powm(Bignum(3), modulus: Bignum(7)) == Bignum(6))
        #expect(try Bignum(5).powm(Bignum(0), modulus: Bignum(7)) == Bignum(1))
        // Fermat: a^(p−1) = 1 mod p.
        #expect(try Bignum(3).powm(p - Bignum(1), modulus: p) == Bignum(1))
    }

    @Test func everythingIsZeroModuloOne() throws {
        #expect(try Bignum(5).powm(Bignum(0), modulus: Bignum(1)) == Bignum())
        #expect(try Bignum(5).powm(Bignum(3), modulus: Bignum(1)) == Bignum())
        #expect(try Bignum(3).powm(Bignum(-1), modulus: Bignum(1)) == Bignum())
        #expect(try Bignum(5).powmSecret(Bignum(0), modulus: Bignum(1)) == Bignum())
        #expect(try Bignum(5).powmSecret(Bignum(3), modulus: Bignum(1)) == Bignum())
    }

    @Test func powmRejectsNonPositiveModulus() {
        for m in [0, -7] {
            #expect(throws: BignumError.invalidModulus("modulus must be positive")) {
                try Bignum(3).powm(Bignum(2), modulus: Bignum(m))
            }
        }
    }

    @Test func negativeExponentWithoutInverseThrows() {
        #expect(throws: BignumError.notInvertible) { try Bignum(6).powm(Bignum(-1), modulus: Bignum(9)) }
    }

    @Test func powmSecretAgreesWithPowm() throws {
        var rng = try HmacDrbgSeed.make()
        for bits in [8, 64, 65, 512, 2048] {
            var modulus = try Bignum.random(bits: bits, using: &rng)
            if !modulus.isOdd { modulus += Bignum(1) }
            let base = try Bignum.random(bits: bits + 5, using: &rng) - (Bignum(1) << bits)
            let exponent = try Bignum.random(bits: bits, using: &rng)
            let fast = try base.powm(exponent, modulus: modulus)
            let secret = try base.powmSecret(exponent, modulus: modulus)
            #expect(fast == secret)
        }
    }

    @Test func powmSecretRejectsEvenOrNonPositiveModulus() {
        let message = "constant-time exponentiation needs an odd positive modulus"
        for m in [10, 2, 0, -7, -8] {
            #expect(throws: BignumError.invalidModulus(message)) {
                try Bignum(3).powmSecret(Bignum(5), modulus: Bignum(m))
            }
        }
    }

    @Test func powmSecretRejectsNegativeExponent() {
        #expect(throws: BignumError.invalidArgument("constant-time exponentiation needs a non-negative exponent")) {
            try Bignum(3).powmSecret(Bignum(-1), modulus: Bignum(7))
        }
    }

    @Test func powmSecretOfZeroExponentIsOne() throws {
        #expect(try Bignum(12345).powmSecret(Bignum(0), modulus: Bignum(7)) == Bignum(1))
        #expect(try Bignum(0).powmSecret(Bignum(0), modulus: Bignum(7)) == Bignum(1))
    }

    // MARK: Inverse

    @Test func inverseKnownAnswers() throws {
        #expect(try Bignum(3).inverse(modulo: Bignum(7)) == Bignum(5))
        #expect(try Bignum(-3).inverse(modulo: Bignum(7)) == Bignum(2))
        #expect(try Bignum(10).inverse(modulo: Bignum(7)) == Bignum(5))
        let inv = try Bignum(2).inverse(modulo: p)
        #expect(try (inv * Bignum(2)).modulo(p) == Bignum(1))
    }

    @Test func noInverseThrowsNotInvertible() {
        #expect(throws: BignumError.notInvertible) { try Bignum(6).inverse(modulo: Bignum(9)) }
        #expect(throws: BignumError.notInvertible) { try Bignum(0).inverse(modulo: Bignum(7)) }
        #expect(throws: BignumError.notInvertible) { try Bignum(14).inverse(modulo: Bignum(7)) }
    }

    @Test func inverseModulusMustExceedOne() {
        for m in [1, 0, -7] {
            #expect(throws: BignumError.invalidModulus("inverse needs a modulus > 1")) {
                try Bignum(3).inverse(modulo: Bignum(m))
            }
        }
    }

    // MARK: gcd, lcm, Jacobi, CRT

    @Test func gcdAndLcmAreNonNegative() {
        #expect(Bignum.gcd(Bignum(-12), Bignum(18)) == Bignum(6))
        #expect(Bignum.gcd(Bignum(0), Bignum(0)) == Bignum(0))
        #expect(Bignum.gcd(Bignum(0), Bignum(-5)) == Bignum(5))
        #expect(Bignum.lcm(Bignum(-4), Bignum(6)) == Bignum(12))
        #expect(Bignum.lcm(Bignum(0), Bignum(6)) == Bignum(0))
    }

    @Test func jacobiKnownAnswers() throws {
        #expect(try Bignum(2).jacobi(Bignum(15)) == 1)
        #expect(try Bignum(7).jacobi(Bignum(15)) == -1)
        #expect(try Bignum(5).jacobi(Bignum(15)) == 0)
        #expect(try Bignum(-1).jacobi(Bignum(7)) == -1)
        #expect(try Bignum(1001).jacobi(Bignum(9907)) == -1)
        #expect(try Bignum(0).jacobi(Bignum(1)) == 1)
    }

    @Test func jacobiNeedsOddPositiveN() {
        for n in [0, 2, 16, -3, -1] {
            #expect(throws: BignumError.invalidModulus("Jacobi symbol needs an odd positive n")) {
                try Bignum(5).jacobi(Bignum(n))
            }
        }
    }

    @Test func crtKnownAnswers() throws {
        #expect(try Bignum.crt(residues: [2, 3, 2], moduli: [3, 5, 7]) == Bignum(23))
        #expect(try Bignum.crt(residues: [-1, -1], moduli: [4, 9]) == Bignum(35))
        #expect(try Bignum.crt(residues: [100], moduli: [7]) == Bignum(2))
        let x = try Bignum.dec("123456789012345678901234567890")
        let q = p - Bignum(2)
        let back = try Bignum.crt(residues: [x.modulo(p), x.modulo(q)], moduli: [p, q])
        #expect(back == x)
    }

    @Test func crtRejectsNonCoprimeModuli() {
        let message = "CRT moduli are not coprime"
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [1, 2], moduli: [4, 6]) }
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [1, 2, 3], moduli: [3, 5, 9]) }
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [1, 1], moduli: [7, 7]) }
    }

    @Test func crtRejectsMismatchedOrEmptyLists() {
        let message = "CRT needs as many residues as moduli (at least one)"
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [1, 2], moduli: [3]) }
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [1], moduli: [3, 5]) }
        #expect(throws: BignumError.invalidArgument(message)) { try Bignum.crt(residues: [], moduli: []) }
    }

    @Test func crtRejectsModuliBelowTwo() {
        for m in [1, 0, -5] {
            #expect(throws: BignumError.invalidArgument("CRT modulus must be > 1")) {
                try Bignum.crt(residues: [0, 0], moduli: [3, Bignum(m)])
            }
        }
    }

    // MARK: Primality

    @Test func primalityOfSmallAndSpecialValues() throws {
        for n in [-7, -2, -1, 0, 1, 4, 561, 1105, 2047, 3215031751] {
            #expect(!Bignum(n).isProbablePrime())
        }
        for n in [2, 3, 5, 65537, 2_147_483_647] {
            #expect(Bignum(n).isProbablePrime())
        }
        #expect(p.isProbablePrime())
        #expect(!(p * p).isProbablePrime())
    }

    @Test func anyRoundCountIsAccepted() {
        #expect(p.isProbablePrime(rounds: 0))
        #expect(p.isProbablePrime(rounds: -5))
        #expect(p.isProbablePrime(rounds: 64))
        #expect(!Bignum(561).isProbablePrime(rounds: Int.max))
        #expect(Bignum(65537).isProbablePrime(rounds: Int.max))
    }

    @Test func nextPrime() throws {
        #expect(Bignum(14).nextPrime() == Bignum(17))
        #expect(Bignum(17).nextPrime() == Bignum(19))
        #expect((p - Bignum(1)).nextPrime() == p)
    }

    @Test func perfectPowers() {
        #expect(Bignum(1 << 20).isPerfectPower)
        #expect(Bignum(3 * 3 * 3).isPerfectPower)
        #expect(!Bignum(12).isPerfectPower)
    }
}
