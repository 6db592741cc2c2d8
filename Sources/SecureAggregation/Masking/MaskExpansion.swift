import CryptoPrimitives
import Dispatch

/// One mask to add to (or subtract from) a vector: the AES-256-CTR keystream of `seed` read as words.
/// (`package` so that the benchmarks can time the expansion alone.)
package struct MaskStream: Sendable {
    package var seed: [UInt8]
    package var subtract: Bool

    package init(seed: [UInt8], subtract: Bool) {
        self.seed = seed
        self.subtract = subtract
    }
}

/// Adds Σ ± PRG(seed) into a word buffer, expanding every keystream straight into a small scratch buffer
/// that stays in the L1 cache (16 KiB) and adding it into the matching 16 KiB of the output, so the output
/// is read and written once per stream chunk without touching main memory in between.
///
/// With `threads` > 1 the output is cut into `threads` contiguous parts aligned to AES blocks, and each part
/// starts its streams at the right counter block (the keystream is seekable: block j is AES_seed(j)).
package enum MaskExpander {
    /// Scratch size in bytes: one L1-resident chunk.
    static let chunkByteCount = 16 * 1024

    package static func apply(_ streams: [MaskStream], to words: UnsafeMutableBufferPointer<UInt32>, threads: Int)
        throws(SecAggError)
    {
        try run(streams, UnsafeMutableRawBufferPointer(words), wordSize: 4, threads: threads)
    }

    package static func apply(_ streams: [MaskStream], to words: UnsafeMutableBufferPointer<UInt64>, threads: Int)
        throws(SecAggError)
    {
        try run(streams, UnsafeMutableRawBufferPointer(words), wordSize: 8, threads: threads)
    }

    private static func run(_ streams: [MaskStream], _ raw: UnsafeMutableRawBufferPointer, wordSize: Int, threads: Int)
        throws(SecAggError)
    {
        guard !streams.isEmpty, raw.count > 0 else { return }
        let totalBlocks = (raw.count + 15) / 16
        // Parts of at least 64 KiB each, so small vectors are not split.
        let parts = max(1, min(threads, totalBlocks / 4096))
        if parts == 1 {
            try expand(streams, raw, wordSize: wordSize, firstBlock: 0)
            return
        }
        let blocksPerPart = (totalBlocks + parts - 1) / parts
        let output = UncheckedSendable(raw)
        var failures = [SecAggError?](repeating: nil, count: parts)
        failures.withUnsafeMutableBufferPointer { failureSlots in
            let slots = UncheckedSendable(failureSlots)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let startByte = part * blocksPerPart * 16
                let endByte = min(output.value.count, (part + 1) * blocksPerPart * 16)
                guard startByte < endByte else { return }
                let slice = UnsafeMutableRawBufferPointer(rebasing: output.value[startByte..<endByte])
                do throws(SecAggError) {
                    try expand(streams, slice, wordSize: wordSize, firstBlock: part * blocksPerPart)
                } catch {
                    slots.value[part] = error
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    /// The counter block for block index `block` (128-bit big-endian).
    private static func iv(block: Int) -> [UInt8] {
        var iv = [UInt8](repeating: 0, count: Prg.ivByteCount)
        var b = UInt64(block)
        for i in (8..<16).reversed() {
            iv[i] = UInt8(truncatingIfNeeded: b)
            b >>= 8
        }
        return iv
    }

    /// Single-threaded expansion of every stream into `raw`, whose first byte is keystream block `firstBlock`.
    private static func expand(
        _ streams: [MaskStream], _ raw: UnsafeMutableRawBufferPointer, wordSize: Int, firstBlock: Int
    ) throws(SecAggError) {
        let start = iv(block: firstBlock)
        let generators = try lowered { try streams.map { try Prg(seed: $0.seed, iv: start) } }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkByteCount, alignment: 64)
        defer {
            zeroize(scratch)
            scratch.deallocate()
        }
        var offset = 0
        while offset < raw.count {
            let length = min(chunkByteCount, raw.count - offset)
            let chunk = UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + length)])
            let mask = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<length])
            for (generator, stream) in zip(generators, streams) {
                try lowered { try generator.fill(mask) }
                if wordSize == 4 {
                    addWords(UInt32.self, mask, into: chunk, subtract: stream.subtract)
                } else {
                    addWords(UInt64.self, mask, into: chunk, subtract: stream.subtract)
                }
            }
            offset += length
        }
    }

    /// out[i] ±= mask[i] as little-endian words (wrapping).
    @inline(__always)
    private static func addWords<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type, _ mask: UnsafeMutableRawBufferPointer, into out: UnsafeMutableRawBufferPointer, subtract: Bool
    ) {
        let m = mask.assumingMemoryBound(to: T.self)
        let o = out.assumingMemoryBound(to: T.self)
        let n = out.count / MemoryLayout<T>.size
        #if _endian(big)
        for i in 0..<n { m[i] = T(littleEndian: m[i]) }
        #endif
        if subtract {
            for i in 0..<n { o[i] &-= m[i] }
        } else {
            for i in 0..<n { o[i] &+= m[i] }
        }
    }
}

/// `body(0) … body(count − 1)` on up to `threads` threads (index i on worker i mod threads), in order.
internal func parallelMap<T>(
    _ count: Int, threads: Int, _ body: @Sendable (Int) throws(SecAggError) -> T
) throws(SecAggError) -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        var out = [T]()
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try body(i)) }
        return out
    }
    var slots = [Result<T, SecAggError>?](repeating: nil, count: count)
    slots.withUnsafeMutableBufferPointer { buffer in
        let shared = UncheckedSendable(buffer)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < count {
                do throws(SecAggError) {
                    shared.value[i] = .success(try body(i))
                } catch {
                    shared.value[i] = .failure(error)
                }
                i += workers
            }
        }
    }
    var out = [T]()
    out.reserveCapacity(count)
    for slot in slots {
        guard let slot else { throw .crypto(.openSSLFailure(function: "parallel worker")) }
        out.append(try slot.get())
    }
    return out
}

/// Carries a value the compiler cannot prove `Sendable` into `concurrentPerform`; used only for buffers whose
/// parts are disjoint per iteration.
internal struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
