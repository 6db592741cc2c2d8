import Admission
import Bignum
import CryptoPrimitives
public import Foundation

/// Checks `Vectors/admission/signature.json` (format in `Specs/admission.md`, "Signatures"), written by
/// `Tools/gen_admission_vectors.py`: per key, the DRBG-driven key and one signature per message must be
/// reproduced byte for byte by ``ClientSecretKey/sign(_:using:)`` and verify; every negative vector must be
/// rejected (`"reject"`: ``SignatureVerificationKey/verify(_:on:)`` returns false) or refused as malformed
/// (`"malformed"`: it throws ``AdmissionError/malformedSignature(_:)``).
public enum AdmissionSignatureVectors {
    /// Checks one file; nil when its `"scheme"` is not `"admission-signature"`.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        guard VectorFile.scheme(of: data) == "admission-signature" else { return nil }
        let file = try VectorFile.decode(FileLayout.self, from: data, path: path)
        var result = VectorCheckResult()
        for key in file.keys { result.record(check(key)) }
        for vector in file.invalid { result.record(check(vector)) }
        return result
    }

    struct FileLayout: Decodable {
        struct Signature: Decodable {
            var message, signature: String
            var challenge, response: Bignum
        }
        struct Key: Decodable {
            var id: Int
            var seed: String
            var x, y: Bignum
            var signatures: [Signature]
        }
        struct Invalid: Decodable {
            var id: Int
            var y: Bignum
            var message, signature, expect: String
        }
        var keys: [Key]
        var invalid: [Invalid]
    }

    /// nil when every signature of the key replays and verifies, else what differed.
    static func check(_ v: FileLayout.Key) -> String? {
        let name = "signature key \(v.id)"
        do {
            var rng = try HmacDrbg(entropy: Hex.decode(v.seed))
            let key = try ClientSecretKey.generate(using: &rng)
            guard key.serialized().x == v.x, key.publicKey.y == v.y else { return "\(name): key differs" }
            let verifier = try SignatureVerificationKey(key.publicKey)
            for (i, expected) in v.signatures.enumerated() {
                let message = try Hex.decode(expected.message)
                let signature = try key.sign(message, using: &rng)
                guard Hex.encode(signature) == expected.signature else { return "\(name): signature \(i) differs" }
                let decoded = try AdmissionSignature(bytes: signature)
                guard decoded.challenge == expected.challenge, decoded.response == expected.response else {
                    return "\(name): signature \(i) scalars differ"
                }
                guard try verifier.verify(signature, on: message) else { return "\(name): signature \(i) does not verify" }
            }
            return nil
        } catch {
            return "\(name): \(error)"
        }
    }

    /// nil when the negative vector is rejected the expected way.
    static func check(_ v: FileLayout.Invalid) -> String? {
        let name = "signature vector \(v.id)"
        do {
            let verifier = try SignatureVerificationKey(try ClientPublicKey(y: v.y))
            let message = try Hex.decode(v.message), signature = try Hex.decode(v.signature)
            let outcome: String
            do {
                outcome = try verifier.verify(signature, on: message) ? "accept" : "reject"
            } catch .malformedSignature {
                outcome = "malformed"
            }
            return outcome == v.expect ? nil : "\(name): \(outcome), expected \(v.expect)"
        } catch {
            return "\(name): \(error)"
        }
    }
}
