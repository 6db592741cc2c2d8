@testable import Admission
import Bignum
import CryptoPrimitives
import Foundation
import Testing

@Suite struct SignatureTests {
    @Test func signatureVerifiesUnderItsKeyAndMessage() throws {
        var rng = try testRandom("signature round trip")
        let key = try ClientSecretKey.generate(using: &rng)
        let verifier = try SignatureVerificationKey(key.publicKey)
        for message in [[], [0x00], Array("round 7".utf8), [UInt8](repeating: 0xA5, count: 1000)] as [[UInt8]] {
            let signature = try key.sign(message, using: &rng)
            #expect(signature.count == AdmissionSignature.byteCount())
            #expect(try verifier.verify(signature, on: message))
            #expect(try key.publicKey.verify(signature, on: message))
        }
        // The system CSPRNG variant signs too (nonces differ, both verify).
        let a = try key.sign(Array("m".utf8)), b = try key.sign(Array("m".utf8))
        #expect(a != b)
        #expect(try verifier.verify(a, on: Array("m".utf8)) && verifier.verify(b, on: Array("m".utf8)))
    }

    /// A signature does not carry over to another client's key (impersonation with a copied signature).
    @Test func signatureDoesNotVerifyUnderAnotherKey() throws {
        var rng = try testRandom("signature wrong key")
        let alice = try ClientSecretKey.generate(using: &rng), bob = try ClientSecretKey.generate(using: &rng)
        let signature = try alice.sign(Array("keys of client 3".utf8), using: &rng)
        #expect(try !bob.publicKey.verify(signature, on: Array("keys of client 3".utf8)))
    }

    /// A signature does not carry over to another message, including a prefix or an extension of it (the
    /// message length is hashed) or one altered bit.
    @Test func signatureDoesNotVerifyOnAnotherMessage() throws {
        var rng = try testRandom("signature wrong message")
        let key = try ClientSecretKey.generate(using: &rng)
        let message = Array("U3 = {1, 2, 3, 5}".utf8)
        let signature = try key.sign(message, using: &rng)
        var flipped = message
        flipped[4] ^= 0x01
        for other in [flipped, Array(message.dropLast()), message + [0], []] {
            #expect(try !key.publicKey.verify(signature, on: other))
        }
    }

    /// Altered bits in e or s are rejected; encodings of the wrong length or with a scalar ≥ q are malformed.
    @Test func malformedAndAlteredSignaturesAreRejected() throws {
        var rng = try testRandom("signature malformed")
        let key = try ClientSecretKey.generate(using: &rng)
        let verifier = try SignatureVerificationKey(key.publicKey)
        let message = Array("advertise".utf8)
        let signature = try key.sign(message, using: &rng)
        for byte in [0, 31, 32, 63] {
            var bad = signature
            bad[byte] ^= 0x01
            // Flipping a low bit of byte 0 / 32 keeps the scalar < q with overwhelming probability here; check.
            let decoded = try? AdmissionSignature(bytes: bad)
            if decoded != nil { #expect(try !verifier.verify(bad, on: message), "byte \(byte)") }
        }
        let q = AdmissionGroup.standard.q
        let e = Array(signature[0..<32]), s = Array(signature[32...])
        let qBytes = try q.bigEndianBytes(width: 32)
        for (bad, what) in [
            (e + qBytes, "s = q"), (qBytes + s, "e = q"), (e + [UInt8](repeating: 0xFF, count: 32), "s = 2^256 − 1"),
            (Array(signature.dropLast()), "63 bytes"), (signature + [0], "65 bytes"), ([], "empty"),
        ] {
            let error = admissionError { _ = try verifier.verify(bad, on: message) }
            guard case .malformedSignature = error else {
                Issue.record("\(what): expected malformedSignature, got \(String(describing: error))")
                continue
            }
        }
        // (0, 0) is well formed and simply wrong.
        #expect(try !verifier.verify([UInt8](repeating: 0, count: 64), on: message))
    }

    /// A key that is not a subgroup element is refused before any signature is looked at.
    @Test func verificationKeyMustBeASubgroupElement() throws {
        // y = p − 1 has order 2, not q (ClientPublicKey validates too; go through the trusted initialiser).
        let bad = ClientPublicKey(trusted: AdmissionGroup.standard.p - Bignum(1))
        #expect(admissionError { _ = try SignatureVerificationKey(bad) } == .invalidElement("client public key"))
        #expect(admissionError { _ = try bad.verify([UInt8](repeating: 0, count: 64), on: []) }
            == .invalidElement("client public key"))
    }

    @Test func signatureEncodingRoundTrips() throws {
        var rng = try testRandom("signature encoding")
        let key = try ClientSecretKey.generate(using: &rng)
        let bytes = try key.sign([1, 2, 3], using: &rng)
        let decoded = try AdmissionSignature(bytes: bytes)
        #expect(try decoded.bytes() == bytes)
        #expect(admissionError { _ = try AdmissionSignature(challenge: Bignum(-1), response: Bignum(0)) }
            == .malformedSignature("challenge e is not in [0, q)"))
    }

    // MARK: Known answers

    struct SignatureFile: Decodable {
        struct Signature: Decodable {
            var message, signature: String
            var nonce, commitment, challenge, response: Bignum
        }
        struct Key: Decodable {
            var id: Int
            var seed: String
            var x, y: Bignum
            var signatures: [Signature]
        }
        struct Invalid: Decodable {
            var id: Int
            var comment: String
            var y: Bignum
            var message, signature, expect: String
        }
        var scheme, tag: String
        var keys: [Key]
        var invalid: [Invalid]
    }

    static func load() throws -> SignatureFile {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("Vectors/admission/signature.json")
        return try JSONDecoder().decode(SignatureFile.self, from: Data(contentsOf: url))
    }

    /// Every vector key and signature is reproduced from its DRBG seed, including the nonce and R = g^k.
    @Test func vectorSignaturesReplayThroughTheAPI() throws {
        let file = try Self.load()
        #expect(file.scheme == "admission-signature" && file.tag == Tag.signature)
        #expect(file.keys.count == 3 && file.keys.flatMap(\.signatures).count == 7)
        #expect(file.keys.flatMap(\.signatures).contains { $0.message.isEmpty })
        let group = AdmissionGroup.standard
        for v in file.keys {
            let seed = try #require(Hex.decode(v.seed))
            var rng = try HmacDrbg(entropy: seed)
            let key = try ClientSecretKey.generate(using: &rng)
            #expect(key.x == v.x && key.publicKey.y == v.y, "key \(v.id)")
            for (i, expected) in v.signatures.enumerated() {
                let message = try #require(Hex.decode(expected.message))
                var probe = rng   // the same DRBG state: the nonce the signature is about to draw
                let k = try group.randomNonZeroScalar(using: &probe)
                #expect(k == expected.nonce, "key \(v.id) signature \(i)")
                #expect(try group.g.powm(k, modulus: group.p) == expected.commitment)
                let signature = try key.sign(message, using: &rng)
                #expect(Hex.encode(signature) == expected.signature, "key \(v.id) signature \(i)")
                let decoded = try AdmissionSignature(bytes: signature)
                #expect(decoded.challenge == expected.challenge && decoded.response == expected.response)
                #expect(try key.publicKey.verify(signature, on: message))
            }
        }
    }

    /// Negative vectors: each one is rejected, or refused as malformed, exactly as the file says.
    @Test func vectorNegativeCasesAreRejected() throws {
        let file = try Self.load()
        #expect(file.invalid.count >= 10)
        #expect(Set(file.invalid.map(\.expect)) == ["reject", "malformed"])
        for v in file.invalid {
            let key = try SignatureVerificationKey(try ClientPublicKey(y: v.y))
            let message = try #require(Hex.decode(v.message)), signature = try #require(Hex.decode(v.signature))
            var outcome = "accept"
            switch admissionError({ outcome = try key.verify(signature, on: message) ? "accept" : "reject" }) {
            case nil: break
            case .malformedSignature?: outcome = "malformed"
            case let other?: outcome = "error \(other)"
            }
            #expect(outcome == v.expect, "vector \(v.id): \(v.comment)")
        }
    }
}
