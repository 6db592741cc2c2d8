import Bignum
import CryptoPrimitives
import Paillier
import Testing

@Suite struct PaillierCoreTests {
    @Test func keyHasExactSizeAndValidates() throws {
        let sk = try key()
        #expect(sk.publicKey.bits == 1024)
        #expect(sk.p.bitWidth == 512 && sk.q.bitWidth == 512)
        #expect(try PaillierPublicKey(n: sk.publicKey.n) == sk.publicKey)
        _ = try PaillierPrivateKey(p: sk.p, q: sk.q)
    }

    @Test func encryptDecryptRoundTrip() throws {
        let sk = try key()
        let pk = sk.publicKey
        var rng = try testRandom("round trip")
        for m in [Bignum(0), Bignum(1), Bignum(42), pk.n - Bignum(1), try Bignum.random(below: pk.n, using: &rng)] {
            let c = try pk.encrypt(m, using: &rng)
            #expect(try sk.decrypt(c) == m)
        }
    }

    @Test func homomorphicProperties() throws {
        let sk = try key()
        let pk = sk.publicKey
        var rng = try testRandom("homomorphic")
        for _ in 0..<10 {
            let a = try Bignum.random(below: pk.n, using: &rng)
            let b = try Bignum.random(below: pk.n, using: &rng)
            let k = try Bignum.random(below: pk.n, using: &rng) - (pk.n >> 1)
            let ca = try pk.encrypt(a, using: &rng), cb = try pk.encrypt(b, using: &rng)
            #expect(try sk.decrypt(pk.add(ca, cb)) == (try (a + b).modulo(pk.n)))
            #expect(try sk.decrypt(pk.add(ca, plaintext: b)) == (try (a + b).modulo(pk.n)))
            #expect(try sk.decrypt(pk.multiply(ca, by: k)) == (try (a * k).modulo(pk.n)))
            #expect(try sk.decrypt(pk.negate(ca)) == (try (-a).modulo(pk.n)))
            let fresh = try pk.rerandomize(ca, using: &rng)
            #expect(fresh != ca)
            #expect(try sk.decrypt(fresh) == a)
        }
    }

    @Test func fastEncryptionDecrypts() throws {
        let sk = try key()
        var rng = try testRandom("fast")
        let encryptor = try PaillierEncryptor(publicKey: sk.publicKey, using: &rng)
        for m in [Bignum(0), Bignum(7), sk.publicKey.n - Bignum(1)] {
            let c = try encryptor.encrypt(m, using: &rng)
            #expect(try sk.decrypt(c) == m)
            #expect(try sk.decrypt(encryptor.rerandomize(c, using: &rng)) == m)
        }
        // The table gives the same randomizer as a direct exponentiation.
        let alpha = try Bignum.random(bits: encryptor.exponentBits, using: &rng)
        #expect(try encryptor.randomizer(exponent: alpha) == (try encryptor.hs.powm(alpha, modulus: sk.publicKey.nSquared)))
    }
}
