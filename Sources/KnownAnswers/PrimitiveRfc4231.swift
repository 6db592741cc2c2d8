import CryptoPrimitives

/// RFC 4231 HMAC-SHA-256 test cases in the `Len = / Key = / Msg = / MD =` layout of `cryptography_vectors`
/// (`Len` is the message length in bits; `MD` may be a truncated tag, compared as a prefix).
enum PrimitiveRfc4231 {
    /// A text file whose comments name HMAC-SHA256 and that has `MD =` lines.
    static func recognizes(_ text: String) -> Bool {
        var namesSha256 = false
        var hasDigest = false
        for line in PrimitiveText.lines(text) {
            if line.hasPrefix("#") {
                let comment = line.uppercased()
                if comment.contains("HMAC-SHA256") || comment.contains("HMAC-SHA-256") { namesSha256 = true }
            } else if line.hasPrefix("MD =") || line.hasPrefix("MD=") {
                hasDigest = true
            }
        }
        return namesSha256 && hasDigest
    }

    static func check(_ text: String, path: String, name: String) throws -> VectorCheckResult {
        struct Case {
            var line: Int
            var bits: Int?
            var key: [UInt8]?
            var message: [UInt8]?
            var digest: [UInt8]?
        }
        var cases: [Case] = []
        for (index, line) in PrimitiveText.lines(text).enumerated() {
            let number = index + 1
            guard !line.hasPrefix("#"), let pair = PrimitiveText.keyValue(line) else { continue }
            let (key, value) = (pair.key, pair.value)
            let field = "line \(number) \(key)"
            switch key {
            case "Len":
                guard let bits = Int(value), bits >= 0 else {
                    throw VectorFileError.malformed(file: path, reason: "\(field): not a bit count")
                }
                cases.append(Case(line: number, bits: bits))
            case "Key":
                if cases.last == nil || cases.last?.key != nil { cases.append(Case(line: number)) }
                cases[cases.count - 1].key = try PrimitiveText.bytes(value, path: path, field: field)
            case "Msg":
                guard cases.last?.message == nil, !cases.isEmpty else {
                    throw VectorFileError.malformed(file: path, reason: "\(field): message without a key")
                }
                cases[cases.count - 1].message = try PrimitiveText.bytes(value, path: path, field: field)
            case "MD":
                guard cases.last?.digest == nil, !cases.isEmpty else {
                    throw VectorFileError.malformed(file: path, reason: "\(field): digest without a key")
                }
                cases[cases.count - 1].digest = try PrimitiveText.bytes(value, path: path, field: field)
            default:
                throw VectorFileError.malformed(file: path, reason: "\(field): unknown field")
            }
        }
        guard !cases.isEmpty else { throw VectorFileError.malformed(file: path, reason: "no test cases") }
        var result = VectorCheckResult()
        for item in cases {
            guard let key = item.key, let message = item.message, let digest = item.digest,
                (1...HmacSha256.byteCount).contains(digest.count)
            else {
                throw VectorFileError.malformed(file: path, reason: "case at line \(item.line) is incomplete")
            }
            if let bits = item.bits, bits != message.count * 8 {
                throw VectorFileError.malformed(
                    file: path, reason: "case at line \(item.line): Len \(bits) ≠ 8 · \(message.count)")
            }
            let tag = Array(HmacSha256.authenticationCode(for: message, key: key).prefix(digest.count))
            if tag == digest {
                result.record(nil)
            } else {
                result.record("\(name) case at line \(item.line): got \(PrimitiveText.short(tag)), "
                    + "expected \(PrimitiveText.short(digest))")
            }
        }
        return result
    }
}
