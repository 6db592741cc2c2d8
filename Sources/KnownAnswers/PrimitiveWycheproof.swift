import CryptoPrimitives
import Foundation

/// Project Wycheproof JSON files for AES-GCM, X25519 and HKDF-SHA-256.
enum PrimitiveWycheproof {
    struct File<Group: Decodable>: Decodable {
        var algorithm: String
        var testGroups: [Group]
    }

    /// What a vector's `"result"` requires.
    enum Expectation {
        case valid, invalid, acceptable

        init(_ text: String, path: String, tcId: Int) throws {
            switch text {
            case "valid": self = .valid
            case "invalid": self = .invalid
            case "acceptable": self = .acceptable
            default:
                throw VectorFileError.malformed(file: path, reason: "tcId \(tcId): unknown result \"\(text)\"")
            }
        }
    }

    /// Applies the Wycheproof rule to an operation that either returns bytes or throws.
    static func judge(
        _ expectation: Expectation, expected: [UInt8], label: String, _ operation: () throws -> [UInt8]
    ) -> String? {
        do {
            let output = try operation()
            switch expectation {
            case .invalid: return "\(label): invalid vector accepted"
            case .valid, .acceptable:
                guard output == expected else {
                    return "\(label): got \(PrimitiveText.short(output)), expected \(PrimitiveText.short(expected))"
                }
                return nil
            }
        } catch {
            return expectation == .valid ? "\(label): threw \(error)" : nil
        }
    }

    static func label(_ name: String, _ tcId: Int, _ comment: String?) -> String {
        guard let comment, !comment.isEmpty else { return "\(name) tcId \(tcId)" }
        return "\(name) tcId \(tcId) (\(comment))"
    }

    // MARK: AES-GCM

    struct AeadGroup: Decodable {
        var keySize: Int
        var ivSize: Int
        var tagSize: Int
        var tests: [AeadTest]
    }

    struct AeadTest: Decodable {
        var tcId: Int
        var comment: String?
        var key: String
        var iv: String
        var aad: String
        var msg: String
        var ct: String
        var tag: String
        var result: String
    }

    /// AES-256-GCM with 96-bit nonces and 128-bit tags (what ``Aead`` implements); other groups are skipped.
    /// A valid vector must seal to `ct || tag` and open back to `msg`; an invalid one must fail to open.
    static func checkAesGcm(_ data: Data, path: String, name: String) throws -> VectorCheckResult {
        let file = try VectorFile.decode(File<AeadGroup>.self, from: data, path: path)
        var result = VectorCheckResult()
        for group in file.testGroups {
            guard group.keySize == Aead.keyByteCount * 8, group.ivSize == Aead.nonceByteCount * 8,
                group.tagSize == Aead.tagByteCount * 8
            else {
                result.skipped += group.tests.count
                continue
            }
            for test in group.tests {
                let field = "tcId \(test.tcId)"
                let key = try PrimitiveText.bytes(test.key, path: path, field: "\(field) key")
                let iv = try PrimitiveText.bytes(test.iv, path: path, field: "\(field) iv")
                let aad = try PrimitiveText.bytes(test.aad, path: path, field: "\(field) aad")
                let msg = try PrimitiveText.bytes(test.msg, path: path, field: "\(field) msg")
                let ct = try PrimitiveText.bytes(test.ct, path: path, field: "\(field) ct")
                let tag = try PrimitiveText.bytes(test.tag, path: path, field: "\(field) tag")
                let expectation = try Expectation(test.result, path: path, tcId: test.tcId)
                let label = label(name, test.tcId, test.comment)
                if expectation == .valid {
                    do {
                        let box = try Aead.seal(msg, key: key, nonce: iv, associatedData: aad)
                        if box.ciphertext != ct || box.tag != tag {
                            result.record("\(label): seal gave \(PrimitiveText.short(box.combined)), "
                                + "expected \(PrimitiveText.short(ct + tag))")
                            continue
                        }
                    } catch {
                        result.record("\(label): seal threw \(error)")
                        continue
                    }
                }
                result.record(judge(expectation, expected: msg, label: label) {
                    try Aead.open(Aead.SealedBox(ciphertext: ct, tag: tag), key: key, nonce: iv, associatedData: aad)
                })
            }
        }
        return result
    }

    // MARK: X25519

    struct XdhGroup: Decodable {
        var curve: String
        var tests: [XdhTest]
    }

    struct XdhTest: Decodable {
        var tcId: Int
        var comment: String?
        var `public`: String
        var `private`: String
        var shared: String
        var result: String
    }

    /// X25519 (curve25519 groups; other curves are skipped). Low-order public keys are "acceptable" in
    /// Wycheproof; ``X25519/PrivateKey/sharedSecret(with:)`` rejects them, which counts as a pass.
    static func checkX25519(_ data: Data, path: String, name: String) throws -> VectorCheckResult {
        let file = try VectorFile.decode(File<XdhGroup>.self, from: data, path: path)
        var result = VectorCheckResult()
        for group in file.testGroups {
            guard group.curve == "curve25519" else {
                result.skipped += group.tests.count
                continue
            }
            for test in group.tests {
                let field = "tcId \(test.tcId)"
                let publicKey = try PrimitiveText.bytes(test.public, path: path, field: "\(field) public")
                let privateKey = try PrimitiveText.bytes(test.private, path: path, field: "\(field) private")
                let shared = try PrimitiveText.bytes(test.shared, path: path, field: "\(field) shared")
                let expectation = try Expectation(test.result, path: path, tcId: test.tcId)
                result.record(judge(expectation, expected: shared, label: label(name, test.tcId, test.comment)) {
                    let mine = try X25519.PrivateKey(rawRepresentation: privateKey)
                    return try mine.sharedSecret(with: X25519.PublicKey(rawRepresentation: publicKey))
                })
            }
        }
        return result
    }

    // MARK: HKDF-SHA-256

    struct HkdfGroup: Decodable {
        var tests: [HkdfTest]
    }

    struct HkdfTest: Decodable {
        var tcId: Int
        var comment: String?
        var ikm: String
        var salt: String
        var info: String
        var size: Int
        var okm: String
        var result: String
    }

    /// HKDF-SHA-256 extract-and-expand; the invalid vectors ask for more than 255 · 32 bytes.
    static func checkHkdf(_ data: Data, path: String, name: String) throws -> VectorCheckResult {
        let file = try VectorFile.decode(File<HkdfGroup>.self, from: data, path: path)
        var result = VectorCheckResult()
        for group in file.testGroups {
            for test in group.tests {
                let field = "tcId \(test.tcId)"
                let ikm = try PrimitiveText.bytes(test.ikm, path: path, field: "\(field) ikm")
                let salt = try PrimitiveText.bytes(test.salt, path: path, field: "\(field) salt")
                let info = try PrimitiveText.bytes(test.info, path: path, field: "\(field) info")
                let okm = try PrimitiveText.bytes(test.okm, path: path, field: "\(field) okm")
                let expectation = try Expectation(test.result, path: path, tcId: test.tcId)
                result.record(judge(expectation, expected: okm, label: label(name, test.tcId, test.comment)) {
                    try HkdfSha256.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputLength: test.size)
                })
            }
        }
        return result
    }
}
