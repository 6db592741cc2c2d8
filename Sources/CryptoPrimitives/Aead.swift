internal import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface.
///
/// Keys are 32 bytes, nonces 12 bytes, tags 16 bytes. A nonce must never repeat under one key;
/// callers derive a fresh key per message stream or use a counter (see `Specs/primitives.md`).
public enum Aead {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// The output of ``seal(_:key:nonce:associatedData:)``.
    public struct SealedBox: Sendable, Equatable {
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(ciphertext: [UInt8], tag: [UInt8]) {
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// `ciphertext || tag`, the usual wire form.
        public var combined: [UInt8] { ciphertext + tag }

        /// Splits `ciphertext || tag`.
        /// - Throws: ``CryptoError/invalidLength(what:expected:actual:)`` when shorter than a tag.
        public init(combined: [UInt8]) throws {
            guard combined.count >= Aead.tagByteCount else {
                throw CryptoError.invalidLength(what: "AES-GCM sealed box", expected: "at least 16",
                                                actual: combined.count)
            }
            ciphertext = Array(combined.dropLast(Aead.tagByteCount))
            tag = Array(combined.suffix(Aead.tagByteCount))
        }
    }

    /// Encrypts and authenticates `plaintext`, authenticating `associatedData` too.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []
    ) throws -> SealedBox {
        try checkSizes(key: key, nonce: nonce)
        let ctx = try Context()
        guard EVP_EncryptInit_ex(ctx.pointer, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_EncryptInit_ex")
        }
        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_EncryptUpdate(ctx.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1 else {
                throw CryptoError.openSSLFailure(function: "EVP_EncryptUpdate(aad)")
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        if !plaintext.isEmpty {
            let ok = ciphertext.withUnsafeMutableBufferPointer { out in
                EVP_EncryptUpdate(ctx.pointer, out.baseAddress, &length, plaintext, Int32(plaintext.count))
            }
            guard ok == 1 else { throw CryptoError.openSSLFailure(function: "EVP_EncryptUpdate") }
        }
        var final = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptFinal_ex(ctx.pointer, &final, &length) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_EncryptFinal_ex")
        }
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(ctx.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_CIPHER_CTX_ctrl(GET_TAG)")
        }
        return SealedBox(ciphertext: ciphertext, tag: tag)
    }

    /// Verifies and decrypts. Nothing is returned unless the tag verifies.
    /// - Throws: ``CryptoError/authenticationFailed`` on any mismatch; size errors for bad key/nonce/tag.
    public static func open(_ box: SealedBox, key: [UInt8], nonce: [UInt8], associatedData: [UInt8] = []) throws
        -> [UInt8]
    {
        try checkSizes(key: key, nonce: nonce)
        guard box.tag.count == tagByteCount else {
            throw CryptoError.invalidLength(what: "AES-GCM tag", expected: "16", actual: box.tag.count)
        }
        let ctx = try Context()
        guard EVP_DecryptInit_ex(ctx.pointer, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_DecryptInit_ex")
        }
        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(ctx.pointer, nil, &length, associatedData, Int32(associatedData.count)) == 1 else {
                throw CryptoError.openSSLFailure(function: "EVP_DecryptUpdate(aad)")
            }
        }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        if !box.ciphertext.isEmpty {
            let ok = plaintext.withUnsafeMutableBufferPointer { out in
                EVP_DecryptUpdate(ctx.pointer, out.baseAddress, &length, box.ciphertext, Int32(box.ciphertext.count))
            }
            guard ok == 1 else { throw CryptoError.openSSLFailure(function: "EVP_DecryptUpdate") }
        }
        var tag = box.tag
        guard EVP_CIPHER_CTX_ctrl(ctx.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_CIPHER_CTX_ctrl(SET_TAG)")
        }
        var final = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(ctx.pointer, &final, &length) == 1 else {
            zeroize(&plaintext)
            throw CryptoError.authenticationFailed
        }
        return plaintext
    }

    private static func checkSizes(key: [UInt8], nonce: [UInt8]) throws {
        guard key.count == keyByteCount else {
            throw CryptoError.invalidLength(what: "AES-256-GCM key", expected: "32", actual: key.count)
        }
        guard nonce.count == nonceByteCount else {
            throw CryptoError.invalidLength(what: "AES-GCM nonce", expected: "12", actual: nonce.count)
        }
    }
}

/// Owns an `EVP_CIPHER_CTX` for the length of one operation (freed, and so wiped, on release).
internal final class Context {
    let pointer: OpaquePointer

    init() throws {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSLFailure(function: "EVP_CIPHER_CTX_new") }
        pointer = ctx
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }
}
