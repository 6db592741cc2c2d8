public import Bignum

/// A Paillier ciphertext, always an element of Z*_{n²} for its key.
///
/// The only way to make one from outside is ``init(_:publicKey:)`` (or a decoder that calls it), which
/// checks 0 < c < n² and gcd(c, n) = 1; homomorphic operations of ``PaillierPublicKey`` take validated
/// ciphertexts and return products/powers of units, which are units again, so no unchecked value is ever
/// used. Operations check that operands belong to the same key.
public struct PaillierCiphertext: Sendable, Hashable {
    public let value: Bignum
    public let publicKey: PaillierPublicKey

    /// Validates `value` as a ciphertext of `publicKey`.
    /// - Throws: ``PaillierError/invalidCiphertext(_:)`` unless 0 < c < n² and gcd(c, n) = 1.
    public init(_ value: Bignum, publicKey: PaillierPublicKey) throws {
        guard value.signum > 0 else { throw PaillierError.invalidCiphertext("c ≤ 0") }
        guard value < publicKey.nSquared else { throw PaillierError.invalidCiphertext("c ≥ n²") }
        guard Bignum.gcd(value, publicKey.n) == Bignum(1) else {
            throw PaillierError.invalidCiphertext("c shares a factor with n")
        }
        self.init(unchecked: value, key: publicKey)
    }

    init(unchecked value: Bignum, key: PaillierPublicKey) {
        self.value = value
        self.publicKey = key
    }

    /// The binary (wire) form: exactly ``PaillierPublicKey/ciphertextByteCount`` bytes, big-endian.
    public var bytes: [UInt8] {
        // Cannot overflow: c < n² < 2^(2·8·⌈|n|/8⌉).
        (try? value.bigEndianBytes(width: publicKey.ciphertextByteCount)) ?? []
    }

    /// Decodes the binary form.
    /// - Throws: ``PaillierError/malformedEncoding(_:)`` for a wrong length; as ``init(_:publicKey:)``.
    public init(bytes: [UInt8], publicKey: PaillierPublicKey) throws {
        guard bytes.count == publicKey.ciphertextByteCount else {
            throw PaillierError.malformedEncoding(
                "ciphertext has \(bytes.count) bytes, expected \(publicKey.ciphertextByteCount)")
        }
        try self.init(Bignum(bigEndian: bytes), publicKey: publicKey)
    }
}
