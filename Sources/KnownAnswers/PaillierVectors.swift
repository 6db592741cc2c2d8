import Bignum
import CryptoPrimitives
public import Foundation
import Paillier

/// Checks `Vectors/paillier/paillier.json` and `threshold.json` (format in `Vectors/README.md`), generated
/// independently by `Tools/gen_paillier_vectors.py` from `Specs/paillier.md`.
///
/// Everything is replayed through the public API with ``HmacDrbg`` seeded as the file says: key
/// generation, classic and fast encryption, homomorphic operations, fixed-point and packed encodings,
/// the threshold dealer, decryption shares with their proofs, and every invalid case's typed error.
public enum PaillierVectors {
    /// Checks one file; nil when its `"scheme"` is neither `"paillier"` nor `"paillier-threshold"`.
    /// - Throws: ``VectorFileError`` when the file cannot be read or is not well-formed.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        switch VectorFile.scheme(of: data) {
        case "paillier":
            let file = try VectorFile.decode(PaillierFile.self, from: data, path: path)
            var result = VectorCheckResult()
            for vector in file.vectors { check(vector, into: &result) }
            return result
        case "paillier-threshold":
            let file = try VectorFile.decode(ThresholdFile.self, from: data, path: path)
            var result = VectorCheckResult()
            for vector in file.vectors { check(vector, into: &result) }
            return result
        default:
            return nil
        }
    }

    static func big(_ text: String) throws -> Bignum { try Bignum(decimal: text) }

    /// Records nil when `body` throws a ``PaillierError`` named `expected`, a failure line otherwise.
    static func expectError(_ expected: String, _ what: String, _ body: () throws -> Void) -> String? {
        do {
            try body()
            return "\(what): expected \(expected), but it succeeded"
        } catch let error as PaillierError {
            return error.name == expected ? nil : "\(what): expected \(expected), got \(error.name)"
        } catch {
            return "\(what): expected \(expected), got \(error)"
        }
    }

    // MARK: paillier.json

    struct PaillierFile: Decodable {
        struct Key: Decodable {
            var n: String
            var p: String
            var q: String
        }
        struct Encryption: Decodable {
            var plaintext: String
            var expected_ciphertext: String
        }
        struct Fast: Decodable {
            var expected_hs: String
            var encryptions: [Encryption]
        }
        struct Homomorphic: Decodable {
            var op: String
            var comment: String?
            var a: String
            var b: String?
            var expected: String
            var expected_plaintext: String
        }
        struct FixedPoint: Decodable {
            var comment: String?
            var fraction_bits: Int
            var value: String?
            var plaintext: String?
            var expected_plaintext: String?
            var expected_mantissa: String?
            var error: String?
        }
        struct Packed: Decodable {
            var value_bits: Int
            var max_summands: Int
            var expected_slot_bits: Int
            var expected_slots: Int
            var summands: [[Int]]
            var expected_plaintexts: [String]
            var expected_sum_plaintext: String
            var expected_sum_slots: [Int]
        }
        struct InvalidCiphertext: Decodable {
            var comment: String
            var c: String
            var error: String
        }
        struct InvalidKey: Decodable {
            var comment: String
            var n: String
            var p: String?
            var q: String?
            var error: String
        }
        struct Vector: Decodable {
            var id: Int
            var seed: String
            var bits: Int
            var expected_key: Key
            var classic: [Encryption]
            var fast: Fast
            var homomorphic: [Homomorphic]
            var fixed_point: [FixedPoint]
            var packed: [Packed]
            var invalid_ciphertexts: [InvalidCiphertext]
            var invalid_keys: [InvalidKey]
        }
        var vectors: [Vector]
    }

    static func check(_ vector: PaillierFile.Vector, into result: inout VectorCheckResult) {
        let name = "paillier vector \(vector.id)"
        let key: PaillierPrivateKey
        do {
            var drbg = try HmacDrbg(entropy: Hex.decode(vector.seed))
            key = try PaillierKeyPair.generate(bits: vector.bits, using: &drbg)
            let expected = vector.expected_key
            guard key.publicKey.n.description == expected.n, key.p.description == expected.p,
                key.q.description == expected.q
            else {
                result.record("\(name): key generation differs")
                return
            }
            result.record(nil)
            let pk = key.publicKey
            for (i, entry) in vector.classic.enumerated() {
                let c = try pk.encrypt(big(entry.plaintext), using: &drbg)
                let decrypted = try key.decrypt(c).description
                let ok = c.value.description == entry.expected_ciphertext && decrypted == entry.plaintext
                result.record(ok ? nil : "\(name): classic encryption \(i) differs")
            }
            let encryptor = try PaillierEncryptor(publicKey: pk, using: &drbg)
            result.record(encryptor.hs.description == vector.fast.expected_hs ? nil : "\(name): fast setup hs differs")
            for (i, entry) in vector.fast.encryptions.enumerated() {
                let c = try encryptor.encrypt(big(entry.plaintext), using: &drbg)
                let decrypted = try key.decrypt(c).description
                let ok = c.value.description == entry.expected_ciphertext && decrypted == entry.plaintext
                result.record(ok ? nil : "\(name): fast encryption \(i) differs")
            }
        } catch {
            result.record("\(name): \(error)")
            return
        }
        for (i, op) in vector.homomorphic.enumerated() {
            result.record(checkHomomorphic(op, key: key, what: "\(name) homomorphic \(i) (\(op.op))"))
        }
        for (i, entry) in vector.fixed_point.enumerated() {
            result.record(checkFixedPoint(entry, key: key.publicKey, what: "\(name) fixed point \(i)"))
        }
        for (i, entry) in vector.packed.enumerated() {
            result.record(checkPacked(entry, key: key.publicKey, what: "\(name) packed \(i)"))
        }
        for entry in vector.invalid_ciphertexts {
            result.record(expectError(entry.error, "\(name) invalid ciphertext (\(entry.comment))") {
                _ = try PaillierCiphertext(big(entry.c), publicKey: key.publicKey)
            })
        }
        for entry in vector.invalid_keys {
            result.record(expectError(entry.error, "\(name) invalid key (\(entry.comment))") {
                let n = try big(entry.n)
                if let p = entry.p, let q = entry.q {
                    _ = try PaillierPrivateKey(publicKey: PaillierPublicKey(n: n), p: big(p), q: big(q))
                } else {
                    _ = try PaillierPublicKey(n: n)
                }
            })
        }
    }

    static func checkHomomorphic(_ op: PaillierFile.Homomorphic, key: PaillierPrivateKey, what: String) -> String? {
        do {
            let pk = key.publicKey
            let a = try PaillierCiphertext(big(op.a), publicKey: pk)
            let b = try op.b.map(big)
            let out: PaillierCiphertext
            switch (op.op, b) {
            case ("add", let b?): out = try pk.add(a, PaillierCiphertext(b, publicKey: pk))
            case ("add_plaintext", let b?): out = try pk.add(a, plaintext: b)
            case ("mul_scalar", let b?): out = try pk.multiply(a, by: b)
            case ("negate", nil): out = try pk.negate(a)
            default: return "\(what): unknown operation"
            }
            guard out.value.description == op.expected else { return "\(what): ciphertext differs" }
            return try key.decrypt(out).description == op.expected_plaintext ? nil : "\(what): plaintext differs"
        } catch {
            return "\(what): \(error)"
        }
    }

    static func checkFixedPoint(_ entry: PaillierFile.FixedPoint, key: PaillierPublicKey, what: String) -> String? {
        do {
            let encoder = try FixedPointEncoder(publicKey: key, fractionBits: entry.fraction_bits)
            if let error = entry.error, let plaintext = entry.plaintext {
                return expectError(error, what) { _ = try encoder.decodeInteger(big(plaintext)) }
            }
            if let text = entry.value, let expectedPlaintext = entry.expected_plaintext,
                let mantissa = entry.expected_mantissa
            {
                guard let x = Double(text) else { return "\(what): value \(text) is not a number" }
                let m = try encoder.encode(x)
                guard m.description == expectedPlaintext else { return "\(what): encoding of \(text) differs" }
                return try encoder.decodeInteger(m).description == mantissa ? nil : "\(what): mantissa differs"
            }
            if let plaintext = entry.plaintext, let mantissa = entry.expected_mantissa {
                return try encoder.decodeInteger(big(plaintext)).description == mantissa ? nil : "\(what): decoding differs"
            }
            return "\(what): entry has neither a value nor a plaintext"
        } catch {
            return "\(what): \(error)"
        }
    }

    static func checkPacked(_ entry: PaillierFile.Packed, key: PaillierPublicKey, what: String) -> String? {
        do {
            let encoder = try PackedEncoder(publicKey: key, valueBits: entry.value_bits, maxSummands: entry.max_summands)
            guard encoder.slotBits == entry.expected_slot_bits, encoder.slotCount == entry.expected_slots else {
                return "\(what): slot layout \(encoder.slotBits)×\(encoder.slotCount) differs"
            }
            var sum = Bignum()
            for (j, row) in entry.summands.enumerated() {
                let m = try encoder.pack(row)
                guard j < entry.expected_plaintexts.count, m.description == entry.expected_plaintexts[j] else {
                    return "\(what): packing of summand \(j) differs"
                }
                sum = try (sum + m).modulo(key.n)
            }
            guard sum.description == entry.expected_sum_plaintext else { return "\(what): sum differs" }
            return try encoder.unpack(sum) == entry.expected_sum_slots ? nil : "\(what): unpacked slots differ"
        } catch {
            return "\(what): \(error)"
        }
    }

    // MARK: threshold.json

    struct ThresholdFile: Decodable {
        struct Proof: Decodable {
            var a: String
            var b: String
            var e: String
            var z: String
        }
        struct Share: Decodable {
            var index: Int
            var c_i: String
            var proof: Proof
        }
        struct Expected: Decodable {
            struct KeyShare: Decodable {
                var index: Int
                var s: String
            }
            var n: String
            var delta: String
            var shares: [KeyShare]
            var v: String
            var verification_keys: [String]
        }
        struct Combination: Decodable {
            var indices: [Int]
            var plaintext: String
        }
        struct BadShare: Decodable {
            var comment: String
            var combine_with: [Int]
            var share: Share
            var error: String
            var index: Int
        }
        struct Decryption: Decodable {
            var ciphertext: String
            var plaintext: String
            var shares: [Share]
            var combinations: [Combination]
            var bad_shares: [BadShare]
        }
        struct Vector: Decodable {
            var id: Int
            var deal_seed: String
            var encrypt_seed: String
            var proof_seed: String
            var p: String
            var q: String
            var threshold: Int
            var parties: Int
            var expected: Expected
            var decryptions: [Decryption]
        }
        var vectors: [Vector]
    }

    static func share(_ s: ThresholdFile.Share) throws -> PaillierDecryptionShare {
        PaillierDecryptionShare(
            index: s.index, value: try big(s.c_i), proof: .init(a: try big(s.proof.a), b: try big(s.proof.b), z: try big(s.proof.z)))
    }

    static func check(_ vector: ThresholdFile.Vector, into result: inout VectorCheckResult) {
        let name = "threshold vector \(vector.id)"
        do {
            var dealRng = try HmacDrbg(entropy: Hex.decode(vector.deal_seed))
            let (parameters, keyShares) = try ThresholdPaillier.deal(
                p: big(vector.p), q: big(vector.q), threshold: vector.threshold, parties: vector.parties, using: &dealRng)
            let expected = vector.expected
            let dealt = parameters.publicKey.n.description == expected.n && parameters.delta.description == expected.delta
                && parameters.v.description == expected.v
                && parameters.verificationKeys.map(\.description) == expected.verification_keys
                && keyShares.map(\.secretValue.description) == expected.shares.map(\.s)
            guard dealt else {
                result.record("\(name): dealing differs")
                return
            }
            result.record(nil)
            var encryptRng = try HmacDrbg(entropy: Hex.decode(vector.encrypt_seed))
            var proofRng = try HmacDrbg(entropy: Hex.decode(vector.proof_seed))
            for (d, decryption) in vector.decryptions.enumerated() {
                let what = "\(name) decryption \(d)"
                let c = try parameters.publicKey.encrypt(big(decryption.plaintext), using: &encryptRng)
                guard c.value.description == decryption.ciphertext else {
                    result.record("\(what): ciphertext differs")
                    continue
                }
                let mine = try keyShares.map { try $0.decryptionShare(for: c, using: &proofRng) }
                let theirs = try decryption.shares.map(share)
                result.record(mine == theirs ? nil : "\(what): decryption shares or proofs differ")
                for s in theirs {
                    do {
                        try parameters.verify(s, for: c)
                        result.record(nil)
                    } catch {
                        result.record("\(what): share \(s.index) does not verify: \(error)")
                    }
                }
                for combination in decryption.combinations {
                    let chosen = combination.indices.compactMap { i in theirs.first { $0.index == i } }
                    let m = try parameters.combine(chosen, for: c).plaintext
                    result.record(m.description == combination.plaintext ? nil : "\(what): combining \(combination.indices) differs")
                }
                for bad in decryption.bad_shares {
                    let honest = bad.combine_with.compactMap { i in theirs.first { $0.index == i } }
                    let label = "\(what) bad share (\(bad.comment))"
                    do {
                        let shares = honest + [try share(bad.share)]
                        _ = try parameters.combine(shares, for: c)
                        result.record("\(label): combined, but should fail")
                    } catch PaillierError.invalidDecryptionShare(let index, _) {
                        result.record(index == bad.index ? nil : "\(label): rejected index \(index), expected \(bad.index)")
                    } catch {
                        result.record("\(label): \(error)")
                    }
                }
            }
        } catch {
            result.record("\(name): \(error)")
        }
    }
}
