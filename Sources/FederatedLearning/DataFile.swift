// The only file that touches zlib: a small reader over `gzopen`/`gzread` that reads gzip-compressed and
// plain files alike (zlib passes a file without the gzip magic through unchanged), in bounded chunks, so a
// hostile header that declares a huge size never makes us allocate more than the file really holds.
internal import CZlib
import Foundation

/// A read-only handle on a data file, gzip-compressed or plain. Every failure is a ``DatasetError`` that
/// names the file; nothing here traps on a short, corrupt or hostile file.
final class DataFile {
    /// The path as the caller gave it (used in error messages).
    let path: String
    private let handle: gzFile
    /// Bytes delivered so far (after decompression).
    private(set) var position = 0
    /// Whether the file is gzip-compressed (as opposed to read as is).
    let isCompressed: Bool

    /// Largest single `gzread` request (zlib takes an `unsigned` length and returns an `int`).
    private static let chunkSize = 1 << 20

    /// Opens `path` for reading.
    /// - Throws: ``DatasetError/fileNotFound(file:)`` if nothing is at `path`,
    ///   ``DatasetError/unreadable(file:reason:)`` if it is a directory or cannot be opened.
    init(path: String) throws(DatasetError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(file: path)
        }
        guard !isDirectory.boolValue else {
            throw .unreadable(file: path, reason: "is a directory")
        }
        guard let h = gzopen(path, "rb") else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        handle = h
        _ = gzbuffer(h, 1 << 17)
        // gzdirect is only meaningful after the first read; peek at the magic ourselves instead.
        isCompressed = DataFile.hasGzipMagic(path)
    }

    deinit { gzclose(handle) }

    private static func hasGzipMagic(_ path: String) -> Bool {
        guard let fh = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? fh.close() }
        guard let head = try? fh.read(upToCount: 2) else { return false }
        return head.count == 2 && head[head.startIndex] == 0x1F && head[head.startIndex + 1] == 0x8B
    }

    /// Reads up to `count` bytes; fewer only at the end of the data.
    /// - Throws: ``DatasetError/corruptCompression(file:reason:)`` or ``DatasetError/truncated(file:reason:)``
    ///   (a gzip stream that ends before its trailer), ``DatasetError/unreadable(file:reason:)`` on I/O errors.
    func read(upTo count: Int) throws(DatasetError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Swift.min(count, DataFile.chunkSize))
        var remaining = count
        while remaining > 0 {
            let want = Swift.min(remaining, DataFile.chunkSize)
            let before = out.count
            out.append(contentsOf: repeatElement(0, count: want))
            let got = out.withUnsafeMutableBytes { raw in
                gzread(handle, raw.baseAddress.map { $0 + before }, UInt32(want))
            }
            if got < 0 { try throwError() }
            let n = Int(got)
            out.removeLast(want - n)
            position += n
            remaining -= n
            if n < want {
                try checkCleanEnd()
                break
            }
        }
        return out
    }

    /// Reads exactly `count` bytes of `what` (for messages).
    /// - Throws: ``DatasetError/truncated(file:reason:)`` if the data ends first.
    func read(exactly count: Int, what: String) throws(DatasetError) -> [UInt8] {
        let start = position
        let bytes = try read(upTo: count)
        guard bytes.count == count else {
            throw .truncated(
                file: path,
                reason: "\(what) needs \(count) bytes at offset \(start), only \(bytes.count) remain"
                    + (isCompressed ? " (after decompression)" : ""))
        }
        return bytes
    }

    /// Reads all remaining data, up to `limit` bytes.
    /// - Throws: ``DatasetError/badDimensions(file:reason:)`` if there is more than `limit`.
    func readToEnd(limit: Int) throws(DatasetError) -> [UInt8] {
        let bytes = try read(upTo: limit)
        if bytes.count == limit, try !isAtEnd() {
            throw .badDimensions(file: path, reason: "more than \(limit) bytes of data (the loader's limit)")
        }
        return bytes
    }

    /// Whether the data is exhausted (reads one byte to find out, which also lets zlib verify the gzip trailer).
    func isAtEnd() throws(DatasetError) -> Bool {
        var byte: UInt8 = 0
        let got = gzread(handle, &byte, 1)
        if got < 0 { try throwError() }
        if got == 0 {
            try checkCleanEnd()
            return true
        }
        position += 1
        return false
    }

    /// After a short read: distinguishes a clean end of file from a gzip stream cut short.
    private func checkCleanEnd() throws(DatasetError) {
        var code: Int32 = 0
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? ""
        switch code {
        case Z_OK, Z_STREAM_END:
            return
        case Z_BUF_ERROR:
            throw .truncated(file: path, reason: "gzip stream ends early (\(message)) after \(position) bytes")
        default:
            throw DataFile.error(path: path, code: code, message: message)
        }
    }

    private func throwError() throws(DatasetError) -> Never {
        var code: Int32 = 0
        let message = gzerror(handle, &code).map { String(cString: $0) } ?? "unknown error"
        throw DataFile.error(path: path, code: code, message: message)
    }

    private static func error(path: String, code: Int32, message: String) -> DatasetError {
        switch code {
        case Z_ERRNO:
            return .unreadable(file: path, reason: String(cString: strerror(errno)))
        case Z_BUF_ERROR:
            return .truncated(file: path, reason: "gzip stream ends early (\(message))")
        default:
            return .corruptCompression(file: path, reason: message)
        }
    }
}

/// Big-endian `UInt32` at `offset` of `bytes` (the caller guarantees 4 bytes are there).
@inline(__always)
func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
        | UInt32(bytes[offset + 3])
}

/// Appends `value` big-endian.
@inline(__always)
func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    bytes.append(UInt8(truncatingIfNeeded: value >> 16))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
}
