internal import COpenSSL

/// A pseudorandom generator: the AES-256-CTR keystream under a 32-byte seed, written straight into a
/// caller's buffer of `UInt32` / `UInt64` / bytes (no per-element allocation).
///
/// Stream definition (byte-exact, `Specs/primitives.md`): key = seed (32 bytes), initial counter block =
/// the 16-byte `iv` (default: all zero), counter incremented as a 128-bit big-endian integer; the
/// keystream is read as consecutive little-endian words. Successive `fill` calls continue the stream.
/// Used for masks in secure aggregation; not a `RandomSource` for key generation.
public final class Prg {
    public static let seedByteCount = 32
    public static let ivByteCount = 16

    private let context: Context

    /// A generator for the keystream of `seed` starting at counter block `iv`.
    /// - Throws: ``CryptoError/invalidLength(what:expected:actual:)`` for a seed ≠ 32 or iv ≠ 16 bytes.
    public init(seed: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 16)) throws {
        guard seed.count == Self.seedByteCount else {
            throw CryptoError.invalidLength(what: "PRG seed", expected: "32", actual: seed.count)
        }
        guard iv.count == Self.ivByteCount else {
            throw CryptoError.invalidLength(what: "PRG IV", expected: "16", actual: iv.count)
        }
        context = try Context()
        guard EVP_EncryptInit_ex(context.pointer, EVP_aes_256_ctr(), nil, seed, iv) == 1 else {
            throw CryptoError.openSSLFailure(function: "EVP_EncryptInit_ex(aes-256-ctr)")
        }
    }

    /// Overwrites `buffer` with the next `buffer.count` keystream bytes.
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count > 0 else { return }
        // CTR keystream = encryption of zeros, in place; chunks keep each call within Int32.
        base.update(repeating: 0, count: buffer.count)
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, 1 << 30)
            var written: Int32 = 0
            let p = base.advanced(by: offset)
            guard EVP_EncryptUpdate(context.pointer, p, &written, p, Int32(chunk)) == 1, written == Int32(chunk) else {
                throw CryptoError.openSSLFailure(function: "EVP_EncryptUpdate(aes-256-ctr)")
            }
            offset += chunk
        }
    }

    /// Overwrites `words` with keystream words (little-endian).
    public func fill(_ words: UnsafeMutableBufferPointer<UInt32>) throws {
        try fill(UnsafeMutableRawBufferPointer(words))
        #if _endian(big)
        for i in words.indices { words[i] = UInt32(littleEndian: words[i]) }
        #endif
    }

    /// Overwrites `words` with keystream words (little-endian).
    public func fill(_ words: UnsafeMutableBufferPointer<UInt64>) throws {
        try fill(UnsafeMutableRawBufferPointer(words))
        #if _endian(big)
        for i in words.indices { words[i] = UInt64(littleEndian: words[i]) }
        #endif
    }

    /// Overwrites an array of words with keystream (its count is kept).
    public func fill(_ words: inout [UInt32]) throws {
        try words.withUnsafeMutableBufferPointer { try fill($0) }
    }

    /// Overwrites an array of words with keystream (its count is kept).
    public func fill(_ words: inout [UInt64]) throws {
        try words.withUnsafeMutableBufferPointer { try fill($0) }
    }

    /// The next `count` keystream bytes.
    public func bytes(count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try fill($0) }
        return out
    }
}
