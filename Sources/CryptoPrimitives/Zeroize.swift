internal import COpenSSL

/// Overwrites memory with zeros in a way the compiler may not elide (OpenSSL's `OPENSSL_cleanse`).
@inlinable
public func zeroize(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    _zeroize(base, buffer.count)
}

@usableFromInline
internal func _zeroize(_ pointer: UnsafeMutableRawPointer, _ count: Int) {
    copenssl_cleanse(pointer, count)
}

/// Overwrites an array's bytes with zeros (in place, keeping its count).
public func zeroize(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { zeroize($0) }
}

/// Compares two byte sequences in time that depends only on their lengths, not their contents.
public func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
    return difference == 0
}
