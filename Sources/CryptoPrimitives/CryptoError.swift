/// Every failure of the primitives in this module.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operating system's random generator (OpenSSL `RAND_bytes`) reported a failure.
    case randomSourceFailed
    /// A key, nonce, seed or other fixed-size input had the wrong length.
    case invalidLength(what: String, expected: String, actual: Int)
    /// AES-GCM authentication failed: wrong key, nonce, associated data, or a modified ciphertext or tag.
    case authenticationFailed
    /// X25519 produced the all-zero shared secret (the peer's public key has small order).
    case weakPublicKey
    /// HKDF was asked for more than 255 · 32 bytes.
    case outputTooLong(requested: Int, maximum: Int)
    /// The deterministic generator reached its reseed interval (SP 800-90A: 2^48 requests).
    case reseedRequired
    /// A request exceeded a documented per-call limit.
    case requestTooLarge(what: String, maximum: Int)
    /// OpenSSL failed in a way that does not depend on the input; `function` names the call.
    case openSSLFailure(function: String)

    public var description: String {
        switch self {
        case .randomSourceFailed:
            return "the system random generator failed (RAND_bytes)"
        case .invalidLength(let what, let expected, let actual):
            return "\(what) must be \(expected) bytes, got \(actual)"
        case .authenticationFailed:
            return "AES-GCM authentication failed (wrong key, nonce, associated data, or tampered data)"
        case .weakPublicKey:
            return "X25519 peer public key has small order (all-zero shared secret)"
        case .outputTooLong(let requested, let maximum):
            return "HKDF output of \(requested) bytes requested; the maximum is \(maximum)"
        case .reseedRequired:
            return "HMAC_DRBG reseed interval reached; instantiate a new generator"
        case .requestTooLarge(let what, let maximum):
            return "\(what) exceeds the limit of \(maximum)"
        case .openSSLFailure(let function):
            return "OpenSSL call \(function) failed"
        }
    }
}
