internal import COpenSSL

/// The system CSPRNG: OpenSSL's `RAND_bytes` (its default DRBG, seeded from the operating system).
///
/// A failure of `RAND_bytes` throws ``CryptoError/randomSourceFailed``; the buffer is then wiped, so a
/// caller that ignores the error still never sees stale or predictable bytes.
public struct SystemRandom: RandomSource, Sendable {
    public init() {}

    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, 1 << 30)
            let ok = RAND_bytes(base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk))
            guard ok == 1 else {
                zeroize(buffer)
                throw CryptoError.randomSourceFailed
            }
            offset += chunk
        }
    }
}
