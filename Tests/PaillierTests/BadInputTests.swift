import Bignum
import CryptoPrimitives
import Foundation
import Paillier
import Testing

@Suite struct PaillierBadInputTests {
    @Test func ciphertextOutOfZStar() throws {
        let sk = try key()
        let pk = sk.publicKey
        #expect(throws: PaillierError.invalidCiphertext("c ≤ 0")) { try PaillierCiphertext(Bignum(0), publicKey: pk) }
        #expect(throws: PaillierError.invalidCiphertext("c ≤ 0")) { try PaillierCiphertext(Bignum(-5), publicKey: pk) }
        #expect(throws: PaillierError.invalidCiphertext("c ≥ n²")) { try PaillierCiphertext(pk.nSquared, publicKey: pk) }
        #expect(throws: PaillierError.invalidCiphertext("c ≥ n²")) {
            try PaillierCiphertext(pk.nSquared + Bignum(1), publicKey: pk)
        }
        #expect(throws: PaillierError.invalidCiphertext("c shares a factor with n")) {
            try PaillierCiphertext(sk.p * Bignum(12345), publicKey: pk)
        }
        #expect(throws: PaillierError.invalidCiphertext("c shares a factor with n")) { try PaillierCiphertext(pk.n, publicKey: pk) }
    }

    @Test func wireFormLengthIsChecked() throws {
        let pk = try key().publicKey
        var rng = try testRandom("wire")
        let c = try pk.encrypt(Bignum(5), using: &rng)
        #expect(c.bytes.count == pk.ciphertextByteCount)
        #expect(try PaillierCiphertext(bytes: c.bytes, publicKey: pk) == c)
        #expect(throws: PaillierError.self) { try PaillierCiphertext(bytes: Array(c.bytes.dropFirst()), publicKey: pk) }
        #expect(throws: PaillierError.self) { try PaillierCiphertext(bytes: [0] + c.bytes, publicKey: pk) }
    }

    @Test func invalidPublicKeys() throws {
        let sk = try key()
        #expect(throws: PaillierError.invalidKey("n is even")) { try PaillierPublicKey(n: sk.publicKey.n + Bignum(1)) }
        let prime = (Bignum(1) << 1023).nextPrime()
        #expect(throws: PaillierError.invalidKey("n is prime")) { try PaillierPublicKey(n: prime) }
        #expect(throws: PaillierError.invalidKey("n is a perfect power")) { try PaillierPublicKey(n: sk.p * sk.p) }
        #expect(throws: PaillierError.self) { try PaillierPublicKey(n: sk.p) }  // 512 bits: too small
        #expect(throws: PaillierError.self) { try PaillierPublicKey(n: Bignum(-1) * sk.publicKey.n) }
    }

    @Test func invalidPrivateKeys() throws {
        let sk = try key()
        #expect(throws: PaillierError.invalidKey("p·q ≠ n")) {
            try PaillierPrivateKey(publicKey: sk.publicKey, p: sk.p, q: sk.q.nextPrime())
        }
        #expect(throws: PaillierError.self) { try PaillierPrivateKey(p: sk.p, q: sk.p) }
        #expect(throws: PaillierError.self) { try PaillierPrivateKey(p: sk.p, q: sk.q + Bignum(2)) }
        #expect(throws: PaillierError.self) { try PaillierKeyPair.generate(bits: 1023, using: &SystemRandomBox.rng) }
        #expect(throws: PaillierError.self) { try PaillierKeyPair.generate(bits: 512, using: &SystemRandomBox.rng) }
    }

    @Test func plaintextOutOfRange() throws {
        let pk = try key().publicKey
        var rng = try testRandom("plaintext range")
        #expect(throws: PaillierError.plaintextOutOfRange) { try pk.encrypt(pk.n, using: &rng) }
        #expect(throws: PaillierError.plaintextOutOfRange) { try pk.encrypt(Bignum(-1), using: &rng) }
        let c = try pk.encrypt(Bignum(1), using: &rng)
        #expect(throws: PaillierError.plaintextOutOfRange) { try pk.add(c, plaintext: pk.n) }
    }

    @Test func ciphertextsOfAnotherKey() throws {
        let sk = try key()
        var rng = try testRandom("other key")
        let other = try PaillierKeyPair.generate(bits: 1024, using: &rng)
        let c = try other.publicKey.encrypt(Bignum(3), using: &rng)
        let mine = try sk.publicKey.encrypt(Bignum(3), using: &rng)
        #expect(throws: PaillierError.keyMismatch) { try sk.decrypt(c) }
        #expect(throws: PaillierError.keyMismatch) { try sk.publicKey.add(mine, c) }
    }

    @Test func malformedNativeDocuments() throws {
        let sk = try key()
        let good = PaillierJSON.encode(sk)
        #expect(try PaillierJSON.decodePrivateKey(Data(good.utf8)).publicKey == sk.publicKey)
        let truncated = String(good.prefix(good.count / 2))
        #expect(throws: PaillierError.self) { try PaillierJSON.decodePrivateKey(Data(truncated.utf8)) }
        let wrongVersion = good.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        #expect(throws: PaillierError.malformedEncoding("unsupported version 2 (expected 1)")) {
            try PaillierJSON.decodePrivateKey(Data(wrongVersion.utf8))
        }
        let wrongType = PaillierJSON.encode(sk.publicKey)
        #expect(throws: PaillierError.self) { try PaillierJSON.decodePrivateKey(Data(wrongType.utf8)) }
        let badNumber = good.replacingOccurrences(of: "\"p\":\"", with: "\"p\":\"x")
        #expect(throws: PaillierError.self) { try PaillierJSON.decodePrivateKey(Data(badNumber.utf8)) }
        var rng = try testRandom("native ct")
        let c = try sk.publicKey.encrypt(Bignum(9), using: &rng)
        let doc = PaillierJSON.encode(.init(publicKey: sk.publicKey, fractionBits: 8, values: [c]))
        #expect(try PaillierJSON.decodeCiphertexts(Data(doc.utf8)).values == [c])
        for bad in [Bignum(0), sk.publicKey.nSquared, sk.q] {
            let replaced = doc.replacingOccurrences(of: "\"\(c.value)\"", with: "\"\(bad)\"")
            #expect(throws: PaillierError.self) { try PaillierJSON.decodeCiphertexts(Data(replaced.utf8)) }
        }
    }

    @Test func pheFormatRoundTripAndErrors() throws {
        let sk = try key()
        var rng = try testRandom("phe")
        let privateText = PheFormat.encode(sk)
        let back = try PheFormat.decodePrivateKey(Data(privateText.utf8))
        #expect(back.publicKey == sk.publicKey && back.p == sk.p)
        #expect(try PheFormat.decodePublicKey(Data(PheFormat.encode(sk.publicKey).utf8)) == sk.publicKey)
        let number = try PheFormat.encrypt(-2.5, publicKey: sk.publicKey, using: &rng)
        let parsed = try PheFormat.decodeEncryptedNumber(Data(PheFormat.encode(number).utf8), publicKey: sk.publicKey)
        #expect(try PheFormat.decrypt(parsed, with: sk) == -2.5)
        let other = try PheFormat.encrypt(4, publicKey: sk.publicKey, exponent: -3, using: &rng)
        #expect(try PheFormat.decrypt(PheFormat.add(parsed, other), with: sk) == 1.5)
        #expect(throws: PaillierError.self) { try PheFormat.decodePrivateKey(Data(privateText.prefix(40).utf8)) }
        #expect(throws: PaillierError.self) {
            try PheFormat.decodeEncryptedNumber(Data(#"{"v": "0", "e": -32}"#.utf8), publicKey: sk.publicKey)
        }
        #expect(throws: PaillierError.self) {
            try PheFormat.decodeEncryptedNumber(Data(#"{"v": 12, "e": -32}"#.utf8), publicKey: sk.publicKey)
        }
        #expect(throws: PaillierError.self) {
            try PheFormat.decodeEncryptedNumber(Data(#"{"v": "12", "e": -3.5}"#.utf8), publicKey: sk.publicKey)
        }
    }
}

/// A SystemRandom for calls that fail before drawing.
enum SystemRandomBox {
    nonisolated(unsafe) static var rng = SystemRandom()
}
