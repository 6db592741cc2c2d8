import Bignum
import Testing

@Suite struct ArithmeticTests {
    func big(_ text: String) throws -> Bignum { try Bignum(decimal: text) }

    @Test func addMultiply() throws {
        let a = try big("123456789012345678901234567890")
        let b = try big("987654321098765432109876543210")
        #expect((a + b).description == "1111111110111111111011111111100")
        #expect((a * b).description == "121932631137021795226185032733622923332237463801111263526900")
    }

    @Test func subtractionAndNegationCrossZero() throws {
        let a = try big("18446744073709551616")  // 2^64
        #expect((Bignum(1) - a).description == "-18446744073709551615")
        #expect((-a).description == "-18446744073709551616")
        #expect(-(-a) == a)
        #expect((a - a).isZero)
        #expect((-a).magnitude == a)
    }

    @Test func compoundAssignmentMatchesOperators() throws {
        let a = try big("-340282366920938463463374607431768211457")
        let b = try big("99999999999999999999")
        var x = a
        x += b
        #expect(x == a + b)
        x -= b
        #expect(x == a)
        x *= b
        #expect(x == a * b)
    }

    /// `x op= x` passes the same storage as both operands; the result must still be right.
    @Test func compoundAssignmentWithItself() throws {
        let start = try big("123456789123456789123456789")
        var x = start
        x += x
        #expect(x == start * Bignum(2))
        var y = start
        y *= y
        #expect(y == start * start)
        var z = start
        z -= z
        #expect(z.isZero)
        #expect(start.description == "123456789123456789123456789")
    }

    @Test func shifts() throws {
        let one = Bignum(1)
        #expect((one << 200).bitWidth == 201)
        #expect(((one << 200) >> 200) == one)
        #expect((Bignum(-5) >> 1) == Bignum(-3))  // rounds toward −∞
        #expect((Bignum(5) >> 1) == Bignum(2))
        #expect((Bignum(-1) >> 64) == Bignum(-1))
        #expect((Bignum(7) << 0) == Bignum(7))
    }

    @Test func quotientAndRemainderTruncateTowardZero() throws {
        let cases: [(Int, Int)] = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, -3)]
        for (a, b) in cases {
            let (q, r) = try Bignum(a).quotientAndRemainder(dividingBy: Bignum(b))
            #expect(q == Bignum(a / b))
            #expect(r == Bignum(a % b))
        }
    }

    @Test func moduloIsNonNegative() throws {
        #expect(try Bignum(-7).modulo(Bignum(3)) == Bignum(2))
        #expect(try Bignum(-7).modulo(Bignum(-3)) == Bignum(2))
        #expect(try Bignum(7).modulo(Bignum(-3)) == Bignum(1))
        #expect(try Bignum(-9).modulo(Bignum(3)) == Bignum(0))
    }

    @Test func divisionByZeroThrows() throws {
        let a = try big("123456789012345678901234567890")
        #expect(throws: BignumError.divisionByZero) { try a.quotientAndRemainder(dividingBy: Bignum()) }
        #expect(throws: BignumError.divisionByZero) { try a.modulo(Bignum(0)) }
        #expect(throws: BignumError.divisionByZero) { try a.dividedExactly(by: Bignum()) }
        #expect(throws: BignumError.divisionByZero) { try Bignum().modulo(Bignum()) }
    }

    @Test func exactDivision() throws {
        let a = try big("1000000000000000000000")
        #expect(try a.dividedExactly(by: Bignum(1000)) == (try big("1000000000000000000")))
        #expect(a.isDivisible(by: Bignum(1024)))
        #expect(!a.isDivisible(by: Bignum(7)))
        #expect(throws: BignumError.invalidArgument("division is not exact")) { try a.dividedExactly(by: Bignum(7)) }
        #expect(Bignum().isDivisible(by: Bignum()))
        #expect(!a.isDivisible(by: Bignum()))
    }

    @Test func squareRoot() throws {
        let n = try big("152415787532388367504942236884722755800955129")  // (12345678901234567890123)^2
        #expect(try n.squareRoot() == (try big("12345678901234567890123")))
        #expect(try (n + Bignum(1)).squareRoot() == (try big("12345678901234567890123")))
        #expect(try (n - Bignum(1)).squareRoot() == (try big("12345678901234567890122")))
        #expect(throws: BignumError.invalidArgument("square root of a negative number")) { try Bignum(-4).squareRoot() }
    }

    @Test func propertiesOfSignAndSize() throws {
        #expect(Bignum().signum == 0)
        #expect(Bignum(-3).signum == -1)
        #expect(Bignum(-3).isNegative)
        #expect(Bignum(-3).isOdd)
        #expect(!Bignum(10).isOdd)
        #expect(Bignum().bitWidth == 0)
        #expect(Bignum().byteCount == 0)
        #expect(Bignum(255).byteCount == 1)
        #expect(Bignum(256).byteCount == 2)
        #expect(Bignum(-256).bitWidth == 9)
        #expect(Bignum(5).testBit(0))
        #expect(!Bignum(5).testBit(1))
        #expect(!Bignum(5).testBit(1000))
    }

    @Test func machineIntegerBounds() throws {
        #expect(Bignum(Int.min).exactInt == Int.min)
        #expect(Bignum(Int.max).exactInt == Int.max)
        #expect((Bignum(Int.max) + Bignum(1)).exactInt == nil)
        #expect(Bignum(UInt64.max).exactUInt64 == UInt64.max)
        #expect((Bignum(UInt64.max) + Bignum(1)).exactUInt64 == nil)
        #expect(Bignum(-1).exactUInt64 == nil)
        #expect(Bignum(Int.min).description == "-9223372036854775808")
    }

    @Test func comparisonAndHashing() throws {
        let a = try big("-100000000000000000000")
        let b = try big("99")
        #expect(a < b)
        #expect(b > a)
        #expect(Bignum(-1) < Bignum(0))
        let again = try big("-100000000000000000000")
        #expect(a == again)
        #expect(a.hashValue == again.hashValue)
        #expect(Set([a, again, b]).count == 2)
        #expect(Bignum(1) != Bignum(-1))
    }

    @Test func integerLiterals() {
        let x: Bignum = 42
        #expect(x == Bignum(42))
        #expect(x.description == "42")
    }

    /// A copy shares storage until one side mutates; the other side must keep its value.
    @Test func mutatingACopyLeavesTheOriginal() throws {
        let original = try big("987654321987654321987654321")
        var copy = original
        copy += Bignum(1)
        #expect(original.description == "987654321987654321987654321")
        #expect(copy.description == "987654321987654321987654322")

        var source = original
        let snapshot = source
        source *= Bignum(2)
        source -= Bignum(5)
        #expect(snapshot == original)
        #expect(source == original * Bignum(2) - Bignum(5))
    }
}
