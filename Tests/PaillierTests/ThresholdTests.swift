import Bignum
import CryptoPrimitives
import Paillier
import Testing

/// 512-bit safe primes, found once per test run (a few seconds).
let safePrimes: (Bignum, Bignum)? = {
    guard var rng = try? testRandom("safe primes") else { return nil }
    guard let p = try? ThresholdPaillier.safePrime(bits: 512, using: &rng),
        let q = try? ThresholdPaillier.safePrime(bits: 512, using: &rng)
    else { return nil }
    return (p, q)
}()

func dealt(threshold: Int, parties: Int, label: String) throws
    -> (ThresholdPaillierParameters, [ThresholdPaillierKeyShare])
{
    let (p, q) = try #require(safePrimes)
    var rng = try testRandom(label)
    return try ThresholdPaillier.deal(p: p, q: q, threshold: threshold, parties: parties, using: &rng)
}

@Suite struct ThresholdPaillierTests {
    @Test func anyThresholdSubsetDecrypts() throws {
        let (params, shares) = try dealt(threshold: 3, parties: 5, label: "deal 3/5")
        var rng = try testRandom("threshold decrypt")
        let m = try Bignum.random(below: params.publicKey.n, using: &rng)
        let c = try params.publicKey.encrypt(m, using: &rng)
        let all = try shares.map { try $0.decryptionShare(for: c, using: &rng) }
        for subset in [[0, 1, 2], [4, 2, 0], [1, 3, 4], [0, 1, 2, 3, 4]] {
            let result = try params.combine(subset.map { all[$0] }, for: c)
            #expect(result.plaintext == m)
            #expect(result.rejected.isEmpty)
        }
    }

    @Test func sharesOfSumsDecryptTheSum() throws {
        let (params, shares) = try dealt(threshold: 2, parties: 3, label: "deal 2/3")
        var rng = try testRandom("threshold sum")
        let pk = params.publicKey
        let c = try pk.add(pk.encrypt(Bignum(1000), using: &rng), pk.encrypt(Bignum(234), using: &rng))
        let decryption = try params.combine(try shares.prefix(2).map { try $0.decryptionShare(for: c, using: &rng) }, for: c)
        #expect(decryption.plaintext == Bignum(1234))
    }

    @Test func badSharesAreRejectedByIndexAndHonestOnesStillDecrypt() throws {
        let (params, shares) = try dealt(threshold: 2, parties: 4, label: "deal 2/4")
        var rng = try testRandom("bad shares")
        let pk = params.publicKey
        let c = try pk.encrypt(Bignum(77), using: &rng)
        let other = try pk.encrypt(Bignum(78), using: &rng)
        var wrongValue = try shares[0].decryptionShare(for: c, using: &rng)
        wrongValue.value = try wrongValue.value.multiplied(by: params.v, modulo: pk.nSquared)
        var wrongProof = try shares[1].decryptionShare(for: c, using: &rng)
        wrongProof.proof.z += Bignum(1)
        let forOtherCiphertext = try shares[2].decryptionShare(for: other, using: &rng)
        let honest3 = try shares[2].decryptionShare(for: c, using: &rng)
        let honest4 = try shares[3].decryptionShare(for: c, using: &rng)
        let duplicate = honest4
        var outOfRange = honest3
        outOfRange.index = 9
        #expect(throws: PaillierError.self) { try params.verify(wrongValue, for: c) }
        #expect(throws: PaillierError.self) { try params.verify(wrongProof, for: c) }
        #expect(throws: PaillierError.self) { try params.verify(forOtherCiphertext, for: c) }
        let result = try params.combine(
            [wrongValue, wrongProof, forOtherCiphertext, honest4, duplicate, outOfRange, honest3], for: c)
        #expect(result.plaintext == Bignum(77))
        #expect(result.rejected.map(\.index) == [1, 2, 3, 4, 9])
        #expect(result.used == [4, 3])
        // With fewer than t honest shares the call fails, naming the first bad share.
        #expect(throws: PaillierError.invalidDecryptionShare(index: 1, reason: "proof of correct decryption does not verify")) {
            try params.combine([wrongValue, honest4], for: c)
        }
    }

    @Test func sharesFromAnotherKeyAreRejected() throws {
        let (params, _) = try dealt(threshold: 2, parties: 3, label: "deal A")
        // Same primes, another dealing: another d-polynomial and other verification keys.
        let (_, otherShares) = try dealt(threshold: 2, parties: 3, label: "deal B")
        var rng = try testRandom("other key shares")
        let c = try params.publicKey.encrypt(Bignum(5), using: &rng)
        let foreign = try otherShares.prefix(2).map { try $0.decryptionShare(for: c, using: &rng) }
        #expect(throws: PaillierError.self) { try params.combine(foreign, for: c) }
    }

    @Test func dealerRejectsBadParameters() throws {
        let (p, q) = try #require(safePrimes)
        var rng = try testRandom("bad deal")
        #expect(throws: PaillierError.self) { try ThresholdPaillier.deal(p: p, q: q, threshold: 0, parties: 3, using: &rng) }
        #expect(throws: PaillierError.self) { try ThresholdPaillier.deal(p: p, q: q, threshold: 4, parties: 3, using: &rng) }
        #expect(throws: PaillierError.self) { try ThresholdPaillier.deal(p: p, q: p, threshold: 2, parties: 3, using: &rng) }
        let notSafe = (Bignum(1) << 511).nextPrime()
        #expect(throws: PaillierError.self) { try ThresholdPaillier.deal(p: notSafe, q: q, threshold: 2, parties: 3, using: &rng) }
    }

    @Test func keyShareImportChecksTheVerificationKey() throws {
        let (params, shares) = try dealt(threshold: 2, parties: 3, label: "import")
        _ = try ThresholdPaillierKeyShare(parameters: params, index: 2, secret: shares[1].secretValue)
        #expect(throws: PaillierError.self) {
            try ThresholdPaillierKeyShare(parameters: params, index: 2, secret: shares[0].secretValue)
        }
        #expect(throws: PaillierError.self) {
            try ThresholdPaillierKeyShare(parameters: params, index: 4, secret: shares[0].secretValue)
        }
    }
}
