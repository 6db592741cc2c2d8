/// Every failure of Paillier keys, ciphertexts, encodings and threshold decryption.
public enum PaillierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key failed validation (size, parity, primality, consistency); the text names the check.
    case invalidKey(String)
    /// A ciphertext is not in Z*_{n²}: 0 < c < n² and gcd(c, n) = 1.
    case invalidCiphertext(String)
    /// A plaintext is not in [0, n).
    case plaintextOutOfRange
    /// Values or ciphertexts of different keys were combined.
    case keyMismatch
    /// A value does not fit the encoding: beyond ±max on encoding, or a decoded value in the overflow
    /// band (a homomorphic result left the representable range).
    case overflow(String)
    /// An encoder parameter is invalid (fraction bits, slot width, summand count, slot count).
    case invalidEncoding(String)
    /// A decryption share failed validation or its proof; the index says whose.
    case invalidDecryptionShare(index: Int, reason: String)
    /// Threshold parameters or shares that cannot be combined (too few, duplicates, wrong count).
    case invalidThresholdParameters(String)
    /// A serialized key, ciphertext or share is not in the expected format or version.
    case malformedEncoding(String)

    public var description: String {
        switch self {
        case .invalidKey(let why): return "invalid Paillier key: \(why)"
        case .invalidCiphertext(let why): return "invalid ciphertext: \(why)"
        case .plaintextOutOfRange: return "plaintext is not in [0, n)"
        case .keyMismatch: return "values belong to different Paillier keys"
        case .overflow(let why): return "overflow: \(why)"
        case .invalidEncoding(let why): return "invalid encoding parameters: \(why)"
        case .invalidDecryptionShare(let index, let why): return "invalid decryption share \(index): \(why)"
        case .invalidThresholdParameters(let why): return "invalid threshold decryption: \(why)"
        case .malformedEncoding(let why): return "malformed Paillier data: \(why)"
        }
    }

    /// A stable name for the case (used by the vector files' `error` fields).
    public var name: String {
        switch self {
        case .invalidKey: return "invalidKey"
        case .invalidCiphertext: return "invalidCiphertext"
        case .plaintextOutOfRange: return "plaintextOutOfRange"
        case .keyMismatch: return "keyMismatch"
        case .overflow: return "overflow"
        case .invalidEncoding: return "invalidEncoding"
        case .invalidDecryptionShare: return "invalidDecryptionShare"
        case .invalidThresholdParameters: return "invalidThresholdParameters"
        case .malformedEncoding: return "malformedEncoding"
        }
    }
}
