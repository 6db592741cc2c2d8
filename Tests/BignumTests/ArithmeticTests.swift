import Bignum
import Testing

@Suite struct ArithmeticTests {
    @Test func addMultiply() throws {
        let a = try Bignum(decimal: "123456789012345678901234567890")
        let b = try Bignum(decimal: "987654321098765432109876543210")
        #expect((a + b).description == "1111111110111111111011111111100")
        #expect((a * b).description == "121932631137021795226185032733622923332237463801111263526900")
    }
}
