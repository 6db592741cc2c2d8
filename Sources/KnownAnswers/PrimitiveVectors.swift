public import Foundation

/// Checks third-party known-answer files for `CryptoPrimitives` (provenance and policy in `Vectors/README.md`).
///
/// Kinds recognised:
/// - Project Wycheproof JSON, by its `"algorithm"`: `"AES-GCM"` (AES-256, 96-bit nonce, 128-bit tag only;
///   other sizes are skipped), `"XDH"` (curve25519 groups), `"HKDF-SHA-256"`;
/// - RFC 4231 HMAC-SHA-256 test cases in the `Len/Key/Msg/MD` text layout;
/// - NIST CAVP HMAC_DRBG response files (`.rsp`): SHA-256 sections without prediction resistance
///   (other hashes and prediction-resistance sections are skipped).
///
/// Wycheproof semantics: a `"valid"` vector must succeed with the expected output; an `"invalid"` one must
/// throw; an `"acceptable"` one passes when it either throws or gives the expected output (for X25519 these
/// are low-order and twist points: SecAggKit throws ``CryptoError/weakPublicKey`` on an all-zero secret
/// and computes RFC 7748 on the rest).
public enum PrimitiveVectors {
    /// Checks a third-party primitive vector file; nil when the file is not one of the kinds we know.
    /// - Throws: ``VectorFileError/unreadable(file:reason:)`` when the file cannot be read,
    ///   ``VectorFileError/malformed(file:reason:)`` for bad JSON, a missing field, odd or non-hex digits.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        let name = (path as NSString).lastPathComponent
        if PrimitiveText.startsLikeJSON(data) {
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: data)
            } catch {
                throw VectorFileError.malformed(file: path, reason: "invalid JSON")
            }
            guard let fields = object as? [String: Any], let algorithm = fields["algorithm"] as? String else {
                return nil
            }
            switch algorithm {
            case "AES-GCM": return try PrimitiveWycheproof.checkAesGcm(data, path: path, name: name)
            case "XDH": return try PrimitiveWycheproof.checkX25519(data, path: path, name: name)
            case "HKDF-SHA-256": return try PrimitiveWycheproof.checkHkdf(data, path: path, name: name)
            default: return nil
            }
        }
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        if PrimitiveCavpDrbg.recognizes(text, name: name) {
            return try PrimitiveCavpDrbg.check(text, path: path, name: name)
        }
        if PrimitiveRfc4231.recognizes(text) {
            return try PrimitiveRfc4231.check(text, path: path, name: name)
        }
        return nil
    }
}

/// Small parsing helpers shared by the primitive checkers.
enum PrimitiveText {
    /// Whether the first non-blank byte opens a JSON object or array.
    static func startsLikeJSON(_ data: Data) -> Bool {
        for byte in data {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    /// Decodes hex, naming the file and the field in the error.
    static func bytes(_ hex: String, path: String, field: String) throws -> [UInt8] {
        do {
            return try Hex.decode(hex)
        } catch VectorFileError.malformed(_, let reason) {
            throw VectorFileError.malformed(file: path, reason: "\(field): \(reason)")
        }
    }

    /// The lines of `text` without line terminators (LF or CRLF).
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// Splits `Key = value` (spaces around `=` optional; the value may be empty).
    static func keyValue(_ line: Substring) -> (key: String, value: String)? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        return (key, value)
    }

    /// A short rendering of bytes for failure messages.
    static func short(_ bytes: [UInt8]) -> String {
        let text = Hex.encode(bytes)
        return text.count > 24 ? String(text.prefix(24)) + "…" : text
    }
}
