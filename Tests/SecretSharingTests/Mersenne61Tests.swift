import SecretSharing
import Testing

@Suite struct Mersenne61Tests {
    @Test func multiplyReduces() {
        let p: UInt64 = (1 << 61) - 1
        #expect(Mersenne61.multiply(p - 1, p - 1) == 1)
    }
}
