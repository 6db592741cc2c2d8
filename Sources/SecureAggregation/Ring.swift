/// The machine words that hold elements of Z_2^k: `UInt32` (k ≤ 32) or `UInt64` (any k ≤ 64).
///
/// Arithmetic runs modulo 2^32 or 2^64 (wrapping) and is reduced modulo 2^k at the protocol boundaries; as
/// 2^k divides the word modulus, every intermediate sum is correct modulo 2^k. Masks are always the AES-CTR
/// keystream read as W-bit words with W = 32 for k ≤ 32 and 64 above (``Ring/wordBitWidth``), whichever
/// word type a party uses; `UInt64` storage of a k ≤ 32 ring is converted internally.
public protocol RingWord: FixedWidthInteger, UnsignedInteger, Sendable, Codable {}

extension UInt32: RingWord {}
extension UInt64: RingWord {}

/// The ring Z_2^k for 1 ≤ k ≤ 64.
public struct Ring: Sendable, Equatable, Hashable, Codable {
    /// k: elements are integers in [0, 2^k).
    public let bitWidth: Int

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless 1 ≤ k ≤ 64.
    public init(bitWidth: Int) throws(SecAggError) {
        guard (1...64).contains(bitWidth) else {
            throw .invalidParameter(name: "ring bits k", value: "\(bitWidth)", expected: "1...64")
        }
        self.bitWidth = bitWidth
    }

    /// 2^k − 1.
    public var mask: UInt64 { bitWidth == 64 ? .max : (UInt64(1) << UInt64(bitWidth)) - 1 }

    /// The word width W the masks are defined in: 32 for k ≤ 32, 64 otherwise (fixed by k alone, so every
    /// party expands the same masks whatever word type it stores values in).
    public var wordBitWidth: Int { bitWidth <= 32 ? 32 : 64 }

    /// Checks that `Word` can hold this ring's elements: `UInt32` for k ≤ 32, `UInt64` for any k.
    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` otherwise.
    public func checkWordType<Word: RingWord>(_: Word.Type) throws(SecAggError) {
        let supported = Word.self == UInt32.self || Word.self == UInt64.self
        guard supported, Word.bitWidth >= bitWidth else {
            throw .invalidParameter(name: "word type for k = \(bitWidth)", value: "\(Word.self)",
                                    expected: bitWidth <= 32 ? "UInt32 or UInt64" : "UInt64")
        }
    }

    /// The smallest k such that the sum of `clients` values, each an integer of magnitude < 2^`bits`, fits in
    /// Z_2^k as a two's-complement integer: k = bits + ⌈log₂ clients⌉ + 1.
    public static func bitWidth(forValueBits bits: Int, clients: Int) -> Int {
        bits + ceilLog2(clients) + 1
    }
}

/// ⌈log₂ n⌉ for n ≥ 1 (0 for n ≤ 1).
@inline(__always)
internal func ceilLog2(_ n: Int) -> Int {
    n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
}

// MARK: Word kernels
//
// Generic code over `Word` only does per-vector work; every per-element loop is in a concrete kernel over
// `UInt32` or `UInt64` buffers, so nothing depends on cross-module specialisation of the public generics.

/// Runs `body32` or `body64` on the storage of `words`, whichever matches `Word` (UInt32 / UInt64).
@inline(__always)
internal func withWordBuffer<Word: RingWord, R>(
    _ words: inout [Word],
    _ body32: (UnsafeMutableBufferPointer<UInt32>) throws(SecAggError) -> R,
    _ body64: (UnsafeMutableBufferPointer<UInt64>) throws(SecAggError) -> R
) throws(SecAggError) -> R {
    let result: Result<R, SecAggError> = words.withUnsafeMutableBytes { raw in
        do throws(SecAggError) {
            if Word.bitWidth == 32 {
                return .success(try raw.withMemoryRebound(to: UInt32.self) { buffer throws(SecAggError) in try body32(buffer) })
            } else {
                return .success(try raw.withMemoryRebound(to: UInt64.self) { buffer throws(SecAggError) in try body64(buffer) })
            }
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// Read-only variant of ``withWordBuffer(_:_:_:)``.
@inline(__always)
internal func withWordBuffer<Word: RingWord, R>(
    _ words: [Word],
    _ body32: (UnsafeBufferPointer<UInt32>) throws(SecAggError) -> R,
    _ body64: (UnsafeBufferPointer<UInt64>) throws(SecAggError) -> R
) throws(SecAggError) -> R {
    let result: Result<R, SecAggError> = words.withUnsafeBytes { raw in
        do throws(SecAggError) {
            if Word.bitWidth == 32 {
                return .success(try raw.withMemoryRebound(to: UInt32.self) { buffer throws(SecAggError) in try body32(buffer) })
            } else {
                return .success(try raw.withMemoryRebound(to: UInt64.self) { buffer throws(SecAggError) in try body64(buffer) })
            }
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The index of the first value ≥ 2^k, if any.
internal func firstOutOfRange<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafeBufferPointer<T>, bitWidth k: Int
) -> Int? {
    guard k < T.bitWidth else { return nil }
    var any: T = 0
    for v in values { any |= v >> T(k) }
    guard any != 0 else { return nil }
    return values.firstIndex { $0 >> T(k) != 0 }
}

/// values[i] &= 2^k − 1.
internal func reduce<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeMutableBufferPointer<T>, bitWidth k: Int) {
    guard k < T.bitWidth else { return }
    let mask: T = (T(1) << T(k)) &- 1
    for i in values.indices { values[i] &= mask }
}

/// Adds Σ ± PRG(seed) into `words` in the ring's mask width W and reduces modulo 2^k. When `Word` is wider
/// than W (UInt64 storage of a k ≤ 32 ring) the values are narrowed to 32 bits (exact: they are below 2^k),
/// masked and widened back, so the masks are the same as for `UInt32` storage.
internal func applyMasks<Word: RingWord>(
    _ streams: [MaskStream], to words: inout [Word], ring: Ring, threads: Int
) throws(SecAggError) {
    let k = ring.bitWidth
    if Word.bitWidth == ring.wordBitWidth {
        try withWordBuffer(&words, { w throws(SecAggError) in
            try MaskExpander.apply(streams, to: w, threads: threads)
            reduce(w, bitWidth: k)
        }, { w throws(SecAggError) in
            try MaskExpander.apply(streams, to: w, threads: threads)
            reduce(w, bitWidth: k)
        })
        return
    }
    try withWordBuffer(&words, { _ throws(SecAggError) in
        throw .invalidParameter(name: "word type for k = \(k)", value: "UInt32", expected: "UInt64")
    }, { wide throws(SecAggError) in
        var narrow = [UInt32](repeating: 0, count: wide.count)
        try narrow.withUnsafeMutableBufferPointer { (n: inout UnsafeMutableBufferPointer<UInt32>) throws(SecAggError) in
            for i in wide.indices { n[i] = UInt32(truncatingIfNeeded: wide[i]) }
            try MaskExpander.apply(streams, to: n, threads: threads)
            reduce(n, bitWidth: k)
            for i in wide.indices { wide[i] = UInt64(n[i]) }
        }
    })
}
