internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL.
public enum Sha256 {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// Returns the SHA-256 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        data.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { out in
                _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, out.baseAddress)
            }
        }
        return digest
    }

    /// Returns the SHA-256 digest of the concatenation of `parts` (no separators, no lengths).
    public static func hash(parts: [[UInt8]]) -> [UInt8] {
        hash(parts.flatMap { $0 })
    }
}

/// HMAC-SHA-256 (RFC 2104) through OpenSSL.
public enum HmacSha256 {
    /// Tag length in bytes.
    public static let byteCount = 32

    /// Returns HMAC-SHA-256(key, message). Any key length is allowed (RFC 2104).
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: byteCount)
        var tagLength: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                tag.withUnsafeMutableBufferPointer { out in
                    // An empty key or message may have a nil base address; OpenSSL wants a valid pointer.
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { dummy in
                        let keyPointer = k.baseAddress ?? UnsafeRawPointer(dummy.baseAddress)
                        let messagePointer = m.baseAddress?.assumingMemoryBound(to: UInt8.self)
                            ?? UnsafePointer(dummy.baseAddress)
                        _ = HMAC(EVP_sha256(), keyPointer, Int32(k.count), messagePointer, m.count,
                                 out.baseAddress, &tagLength)
                    }
                }
            }
        }
        return tag
    }

    /// Checks a tag in constant time.
    public static func isValid(
        authenticationCode tag: [UInt8], for message: [UInt8], key: [UInt8]
    ) -> Bool {
        constantTimeEquals(authenticationCode(for: message, key: key), tag)
    }
}
