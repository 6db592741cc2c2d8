internal import COpenSSL

/// HKDF with SHA-256 (RFC 5869) through OpenSSL's `EVP_KDF` "HKDF".
public enum HkdfSha256 {
    /// The largest output RFC 5869 allows: 255 · HashLen.
    public static let maximumOutputLength = 255 * 32

    /// Derives `outputLength` bytes from input keying material, `salt` and `info` (extract, then expand).
    ///
    /// An empty `salt` means HashLen zero bytes (RFC 5869 §2.2).
    /// - Throws: ``CryptoError/outputTooLong(requested:maximum:)`` past 8160 bytes,
    ///   ``CryptoError/invalidLength(what:expected:actual:)`` for a length below 1.
    public static func deriveKey(
        inputKeyMaterial ikm: [UInt8], salt: [UInt8] = [], info: [UInt8] = [], outputLength: Int
    ) throws -> [UInt8] {
        try derive(mode: EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, key: ikm, salt: salt, info: info,
                   outputLength: outputLength)
    }

    /// HKDF-Expand alone, from a pseudorandom key of at least 32 bytes.
    public static func expand(pseudorandomKey prk: [UInt8], info: [UInt8] = [], outputLength: Int) throws -> [UInt8] {
        guard prk.count >= 32 else {
            throw CryptoError.invalidLength(what: "HKDF pseudorandom key", expected: "at least 32", actual: prk.count)
        }
        return try derive(mode: EVP_KDF_HKDF_MODE_EXPAND_ONLY, key: prk, salt: [], info: info,
                          outputLength: outputLength)
    }

    private static func derive(
        mode: Int32, key: [UInt8], salt: [UInt8], info: [UInt8], outputLength: Int
    ) throws -> [UInt8] {
        guard outputLength > 0 else {
            throw CryptoError.invalidLength(
                what: "HKDF output", expected: "1...\(maximumOutputLength)", actual: outputLength)
        }
        guard outputLength <= maximumOutputLength else {
            throw CryptoError.outputTooLong(requested: outputLength, maximum: maximumOutputLength)
        }
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else {
            throw CryptoError.openSSLFailure(function: "EVP_KDF_fetch")
        }
        defer { EVP_KDF_free(kdf) }
        guard let ctx = EVP_KDF_CTX_new(kdf) else { throw CryptoError.openSSLFailure(function: "EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(ctx) }

        var out = [UInt8](repeating: 0, count: outputLength)
        var modeValue = mode
        var keyBytes = key
        var saltBytes = salt
        var infoBytes = info
        defer { zeroize(&keyBytes) }
        // Parameter names and the digest name are static strings, so their pointers stay valid;
        // empty octet strings are left out (OpenSSL then uses the RFC defaults).
        let ok: Int32 = withUnsafeMutablePointer(to: &modeValue) { modePointer in
            keyBytes.withUnsafeMutableBytes { k in
                saltBytes.withUnsafeMutableBytes { s in
                    infoBytes.withUnsafeMutableBytes { i in
                        var params = [
                            OSSL_PARAM_construct_utf8_string(cString("digest"), mutableCString("SHA256"), 0),
                            OSSL_PARAM_construct_int(cString("mode"), modePointer),
                        ]
                        if k.count > 0 {
                            params.append(OSSL_PARAM_construct_octet_string(cString("key"), k.baseAddress, k.count))
                        } else {
                            // OpenSSL rejects a missing key; an empty IKM is legal in RFC 5869.
                            params.append(OSSL_PARAM_construct_octet_string(
                                cString("key"), UnsafeMutableRawPointer(mutating: emptyBytePointer), 0))
                        }
                        if s.count > 0 {
                            params.append(OSSL_PARAM_construct_octet_string(cString("salt"), s.baseAddress, s.count))
                        }
                        if i.count > 0 {
                            params.append(OSSL_PARAM_construct_octet_string(cString("info"), i.baseAddress, i.count))
                        }
                        params.append(OSSL_PARAM_construct_end())
                        return out.withUnsafeMutableBufferPointer { o in
                            EVP_KDF_derive(ctx, o.baseAddress, o.count, &params)
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw CryptoError.openSSLFailure(function: "EVP_KDF_derive") }
        return out
    }
}

private let emptyByte: StaticString = "\0"
private var emptyBytePointer: UnsafeRawPointer { UnsafeRawPointer(emptyByte.utf8Start) }

/// A C string pointer into a static string literal (valid for the life of the program).
internal func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// The same, as the mutable pointer some OpenSSL constructors take (they never write through it).
internal func mutableCString(_ s: StaticString) -> UnsafeMutablePointer<CChar> {
    UnsafeMutablePointer(mutating: cString(s))
}
