import Bignum
import CryptoPrimitives
import SecretSharing
import Testing

@Suite struct Mersenne61Tests {
    let field = Mersenne61()
    let p = Bignum(Mersenne61.prime)

    /// Edge values: 0, 1, 2, p − 2, p − 1, 2^60, 2^32 ± 1.
    var edges: [UInt64] {
        let p = Mersenne61.prime
        return [0, 1, 2, p - 2, p - 1, 1 << 60, (1 << 32) - 1, 1 << 32, (1 << 32) + 1]
    }

    func check(_ a: UInt64, _ b: UInt64) throws {
        let (ba, bb) = (Bignum(a), Bignum(b))
        #expect(Bignum(field.add(a, b)) == (try (ba + bb).modulo(p)))
        #expect(Bignum(field.subtract(a, b)) == (try (ba - bb).modulo(p)))
        #expect(Bignum(field.multiply(a, b)) == (try (ba * bb).modulo(p)))
    }

    @Test func arithmeticMatchesBignumOnEdges() throws {
        for a in edges {
            for b in edges { try check(a, b) }
        }
    }

    @Test func arithmeticMatchesBignumOnRandomValues() throws {
        var rng = try testRandom("m61 arithmetic")
        let values = try field.randomElements(count: 2000, using: &rng)
        for i in stride(from: 0, to: values.count, by: 2) { try check(values[i], values[i + 1]) }
    }

    @Test func inverseTimesValueIsOne() throws {
        var rng = try testRandom("m61 inverse")
        for a in try field.randomElements(count: 200, using: &rng) + [1, 2, Mersenne61.prime - 1] where a != 0 {
            #expect(field.multiply(a, try field.inverse(a)) == 1)
        }
    }

    @Test func inverseOfZeroThrows() {
        #expect(throws: SharingError.self) { try field.inverse(0) }
    }

    @Test func elementRejectsValuesOutOfRange() {
        #expect(throws: SharingError.valueOutOfRange(what: "value \(Mersenne61.prime)", modulus: "\(Mersenne61.prime)")) {
            try field.element(Bignum(Mersenne61.prime))
        }
        #expect(throws: SharingError.self) { try field.element(Bignum(-1)) }
        #expect(throws: SharingError.self) { try field.element(Bignum(UInt64.max)) }
        #expect(throws: SharingError.self) { try field.element(small: Mersenne61.prime) }
    }

    @Test func randomElementsAreCanonicalAndDeterministic() throws {
        var a = try testRandom("m61 random"), b = try testRandom("m61 random")
        let x = try field.randomElements(count: 5000, using: &a)
        let y = try field.randomElements(count: 5000, using: &b)
        #expect(x == y)
        #expect(x.allSatisfy { $0 < Mersenne61.prime })
        // Top bit of the 61: about half the values should have it (rules out a stuck mask).
        let high = x.filter { $0 >> 60 == 1 }.count
        #expect(high > 2200 && high < 2800)
    }
}

@Suite struct BigPrimeFieldTests {
    @Test(arguments: ["0", "1", "2", "4", "12", "561", "-7", "340282366920938463463374607431768211457"])
    func nonPrimeModulusThrows(_ text: String) throws {
        let modulus = try Bignum(decimal: text)
        #expect(throws: SharingError.notPrime(text)) { try BigPrimeField(modulus: modulus) }
    }

    @Test func fieldChoiceParsing() throws {
        #expect(try FieldChoice(parsing: "mersenne61") == .mersenne61)
        #expect(try FieldChoice(parsing: "2305843009213693951") == .mersenne61)
        #expect(try FieldChoice(parsing: "11").modulus == Bignum(11))
        #expect(throws: SharingError.malformedNumber("0x11")) { try FieldChoice(parsing: "0x11") }
        #expect(throws: SharingError.malformedNumber("")) { try FieldChoice(parsing: "") }
        #expect(throws: SharingError.malformedNumber("1 1")) { try FieldChoice(parsing: "1 1") }
        #expect(throws: SharingError.notPrime("15")) { try FieldChoice(parsing: "15") }
    }

    @Test func arithmeticAgreesWithMersenne61() throws {
        let big = try BigPrimeField(modulus: Bignum(Mersenne61.prime))
        let small = Mersenne61()
        var rng = try testRandom("big vs m61")
        let values = try small.randomElements(count: 400, using: &rng)
        for i in stride(from: 0, to: values.count, by: 2) {
            let (a, b) = (values[i], values[i + 1])
            #expect(big.multiply(Bignum(a), Bignum(b)) == Bignum(small.multiply(a, b)))
            #expect(big.subtract(Bignum(a), Bignum(b)) == Bignum(small.subtract(a, b)))
            #expect(try big.inverse(Bignum(a)) == Bignum(try small.inverse(a)))
        }
    }

    @Test func valuesOutOfRangeThrow() throws {
        let field = try BigPrimeField(modulus: Bignum(11))
        #expect(throws: SharingError.self) { try field.element(Bignum(11)) }
        #expect(throws: SharingError.self) { try field.element(Bignum(-1)) }
        #expect(throws: SharingError.self) { try field.inverse(Bignum(0)) }
    }
}
