import CryptoPrimitives
import Testing

@Suite struct X25519Tests {
    // RFC 7748 §6.1.
    let alicePrivate = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    let alicePublic = unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
    let bobPrivate = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
    let bobPublic = unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

    @Test func rfc7748PublicKeysAndSharedSecret() throws {
        let alice = try X25519.PrivateKey(rawRepresentation: alicePrivate)
        let bob = try X25519.PrivateKey(rawRepresentation: bobPrivate)
        #expect(try alice.publicKey().rawRepresentation == alicePublic)
        #expect(try bob.publicKey().rawRepresentation == bobPublic)
        let fromAlice = try alice.sharedSecret(with: X25519.PublicKey(rawRepresentation: bobPublic))
        let fromBob = try bob.sharedSecret(with: X25519.PublicKey(rawRepresentation: alicePublic))
        #expect(hex(fromAlice) == shared)
        #expect(hex(fromBob) == shared)
    }

    @Test func freshKeysAgree() throws {
        var rng = SystemRandom()
        let a = try X25519.PrivateKey(using: &rng)
        let b = try X25519.PrivateKey(using: &rng)
        #expect(a.rawRepresentation != b.rawRepresentation)
        let ab = try a.sharedSecret(with: b.publicKey())
        let ba = try b.sharedSecret(with: a.publicKey())
        #expect(ab == ba)
        #expect(ab.count == 32)
    }

    /// A malicious peer sends a small-order point to force a known (all-zero) shared secret.
    @Test func lowOrderPublicKeysAreRejected() throws {
        let me = try X25519.PrivateKey(rawRepresentation: alicePrivate)
        let lowOrder = [
            "0000000000000000000000000000000000000000000000000000000000000000",  // u = 0
            "0100000000000000000000000000000000000000000000000000000000000000",  // u = 1
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  // order 8
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",  // order 8
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // u = p - 1
        ]
        for text in lowOrder {
            let peer = try X25519.PublicKey(rawRepresentation: unhex(text))
            #expect(throws: CryptoError.weakPublicKey) { try me.sharedSecret(with: peer) }
        }
    }

    @Test func keysOfWrongLengthThrowInvalidLength() {
        for count in [0, 31, 33] {
            let raw = [UInt8](repeating: 9, count: count)
            #expect(throws: CryptoError.invalidLength(what: "X25519 private key", expected: "32", actual: count)) {
                try X25519.PrivateKey(rawRepresentation: raw)
            }
            #expect(throws: CryptoError.invalidLength(what: "X25519 public key", expected: "32", actual: count)) {
                try X25519.PublicKey(rawRepresentation: raw)
            }
        }
    }

    @Test func privateKeyDescriptionIsRedacted() throws {
        let key = try X25519.PrivateKey(rawRepresentation: alicePrivate)
        let text = "\(key)"
        #expect(text == "X25519.PrivateKey(<redacted>)")
        #expect(!text.contains("77076d0a"))
    }
}
