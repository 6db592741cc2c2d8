/// A source of random bytes: the system CSPRNG (``SystemRandom``) for real use, or the deterministic
/// ``HmacDrbg`` for known-answer vectors and reproducible simulations.
///
/// Every API in SecAggKit that samples takes `using rng: inout some RandomSource`, in the style of the
/// standard library's `RandomNumberGenerator`. A value type conforming to this protocol copies its state
/// when copied: two copies of a deterministic generator produce the same stream.
public protocol RandomSource {
    /// Fills `buffer` with random bytes, or throws; it never returns predictable or partial output.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) throws
}

extension RandomSource {
    /// Returns `count` random bytes.
    public mutating func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0, "byte count must be non-negative")
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try fill($0) }
        return out
    }

    /// Returns a uniformly random `UInt64` (8 bytes read big-endian).
    public mutating func nextUInt64() throws -> UInt64 {
        var raw = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        try withUnsafeMutableBytes(of: &raw) { try fill($0) }
        return withUnsafeBytes(of: raw) { bytes in bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } }
    }
}
