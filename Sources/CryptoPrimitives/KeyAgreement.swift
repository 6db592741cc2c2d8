internal import COpenSSL

/// X25519 Diffie–Hellman (RFC 7748) through OpenSSL.
public enum X25519 {
    public static let keyByteCount = 32

    /// A private key: 32 random bytes (clamped by the X25519 function itself). Wiped on release,
    /// never printed, not `Codable`: export it explicitly with ``rawRepresentation``.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        private let storage: SecretBytes

        /// A fresh key from `rng`.
        public init(using rng: inout some RandomSource) throws {
            storage = SecretBytes(try rng.bytes(count: X25519.keyByteCount))
        }

        /// Imports 32 raw bytes.
        public init(rawRepresentation: [UInt8]) throws {
            guard rawRepresentation.count == X25519.keyByteCount else {
                throw CryptoError.invalidLength(what: "X25519 private key", expected: "32",
                                                actual: rawRepresentation.count)
            }
            storage = SecretBytes(rawRepresentation)
        }

        /// The raw 32 bytes (handle with care).
        public var rawRepresentation: [UInt8] { storage.bytes }

        /// The matching public key.
        public func publicKey() throws -> PublicKey {
            let pkey = try makePrivate()
            defer { EVP_PKEY_free(pkey) }
            var out = [UInt8](repeating: 0, count: X25519.keyByteCount)
            var length = out.count
            guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1, length == X25519.keyByteCount else {
                throw CryptoError.openSSLFailure(function: "EVP_PKEY_get_raw_public_key")
            }
            return try PublicKey(rawRepresentation: out)
        }

        /// The shared secret with `peer`: X25519(self, peer), 32 bytes.
        /// - Throws: ``CryptoError/weakPublicKey`` when the result is all zeros (small-order peer key).
        public func sharedSecret(with peer: PublicKey) throws -> [UInt8] {
            let mine = try makePrivate()
            defer { EVP_PKEY_free(mine) }
            guard let theirs = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peer.rawRepresentation,
                                                           X25519.keyByteCount) else {
                throw CryptoError.openSSLFailure(function: "EVP_PKEY_new_raw_public_key")
            }
            defer { EVP_PKEY_free(theirs) }
            guard let ctx = EVP_PKEY_CTX_new(mine, nil) else {
                throw CryptoError.openSSLFailure(function: "EVP_PKEY_CTX_new")
            }
            defer { EVP_PKEY_CTX_free(ctx) }
            guard EVP_PKEY_derive_init(ctx) == 1 else { throw CryptoError.openSSLFailure(function: "EVP_PKEY_derive_init") }
            guard EVP_PKEY_derive_set_peer(ctx, theirs) == 1 else {
                throw CryptoError.openSSLFailure(function: "EVP_PKEY_derive_set_peer")
            }
            var secret = [UInt8](repeating: 0, count: X25519.keyByteCount)
            var length = secret.count
            // OpenSSL refuses to derive the all-zero secret of a small-order point.
            guard EVP_PKEY_derive(ctx, &secret, &length) == 1, length == X25519.keyByteCount else {
                ERR_clear_error()
                throw CryptoError.weakPublicKey
            }
            guard secret.contains(where: { $0 != 0 }) else { throw CryptoError.weakPublicKey }
            return secret
        }

        private func makePrivate() throws -> OpaquePointer {
            guard let pkey = storage.bytes.withUnsafeBufferPointer({ raw in
                EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, raw.baseAddress, raw.count)
            }) else {
                throw CryptoError.openSSLFailure(function: "EVP_PKEY_new_raw_private_key")
            }
            return pkey
        }

        public var description: String { "X25519.PrivateKey(<redacted>)" }
    }

    /// A public key: 32 bytes, the u-coordinate (RFC 7748). Any 32-byte string is accepted, as RFC
    /// 7748 prescribes; small-order keys are caught when they produce an all-zero shared secret.
    public struct PublicKey: Sendable, Hashable {
        public let rawRepresentation: [UInt8]

        public init(rawRepresentation: [UInt8]) throws {
            guard rawRepresentation.count == X25519.keyByteCount else {
                throw CryptoError.invalidLength(what: "X25519 public key", expected: "32",
                                                actual: rawRepresentation.count)
            }
            self.rawRepresentation = rawRepresentation
        }
    }
}

/// Secret bytes that are wiped when the last reference goes away.
internal final class SecretBytes: @unchecked Sendable {
    // @unchecked: `bytes` is set once in init and only read afterwards.
    private(set) var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    deinit { zeroize(&bytes) }
}
