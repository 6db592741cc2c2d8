import CryptoPrimitives
import SecretSharing

/// Runs a throwing call of the layers below and lowers its error to ``SecAggError``.
@inline(__always)
internal func lowered<T>(_ body: () throws -> T) throws(SecAggError) -> T {
    do {
        return try body()
    } catch let error as SecAggError {
        throw error
    } catch let error as CryptoError {
        throw .crypto(error)
    } catch let error as SharingError {
        throw .sharing(error)
    } catch {
        throw .crypto(.openSSLFailure(function: "\(error)"))
    }
}

/// The key derivations of the masking protocols (`Specs/secagg-masking.md`, "Key derivation"). Every
/// derived value is bound to the protocol, the session and the client ids, so nothing carries over
/// between sessions, protocols or pairs.
internal enum MaskingKDF {
    static let salt = Array("SecAggKit/v1".utf8)

    private static func context(_ label: String, _ p: AggregationProtocol, _ session: UInt64, _ a: UInt32, _ b: UInt32)
        -> [UInt8]
    {
        var w = WireWriter(reservingCapacity: 48)
        w.writeFixed(Array(label.utf8))
        w.write(p.rawValue)
        w.write(session)
        w.write(a)
        w.write(b)
        return w.bytes
    }

    /// The AES-256-GCM key for the shares `sender` encrypts for `receiver` (one message per key, so the nonce
    /// is fixed): HKDF(X25519(c_sender^SK, c_receiver^PK), salt, "share-encryption" ‖ p ‖ session ‖ sender ‖ receiver).
    static func shareKey(
        agreement: [UInt8], protocolID: AggregationProtocol, session: UInt64, sender: UInt32, receiver: UInt32
    ) throws(SecAggError) -> [UInt8] {
        try lowered {
            try HkdfSha256.deriveKey(
                inputKeyMaterial: agreement, salt: salt,
                info: context("share-encryption", protocolID, session, sender, receiver), outputLength: 32)
        }
    }

    /// The associated data of an encrypted share: "SecAggKit/v1 share" ‖ p ‖ session ‖ sender ‖ receiver.
    static func shareAssociatedData(protocolID: AggregationProtocol, session: UInt64, sender: UInt32, receiver: UInt32)
        -> [UInt8]
    {
        context("SecAggKit/v1 share", protocolID, session, sender, receiver)
    }

    /// The all-zero GCM nonce (each share key encrypts exactly one plaintext).
    static let shareNonce = [UInt8](repeating: 0, count: Aead.nonceByteCount)

    /// The PRG seed of the pairwise mask of clients a and b:
    /// HKDF(X25519(s_a^SK, s_b^PK), salt, "pairwise-mask" ‖ p ‖ session ‖ min(a, b) ‖ max(a, b)).
    static func pairwiseSeed(
        agreement: [UInt8], protocolID: AggregationProtocol, session: UInt64, _ a: UInt32, _ b: UInt32
    ) throws(SecAggError) -> [UInt8] {
        try lowered {
            try HkdfSha256.deriveKey(
                inputKeyMaterial: agreement, salt: salt,
                info: context("pairwise-mask", protocolID, session, min(a, b), max(a, b)), outputLength: 32)
        }
    }

    /// SHA-256("SecAggKit/v1 seed-commitment" ‖ p ‖ session ‖ owner ‖ 0 ‖ b): binds the server to the one
    /// seed b the owner shared (b is 256 uniformly random bits, so the hash reveals nothing usable).
    static func seedCommitment(seed: [UInt8], protocolID: AggregationProtocol, session: UInt64, owner: UInt32)
        -> [UInt8]
    {
        Sha256.hash(context("SecAggKit/v1 seed-commitment", protocolID, session, owner, 0) + seed)
    }
}

/// Splitting of 32-byte secrets into Mersenne61 limbs and back.
///
/// A secret B[0..<32] becomes five limbs: B[0..<7], B[7..<14], B[14..<21], B[21..<28] (56 bits each) and
/// B[28..<32] (32 bits), each read big-endian. Every limb is below 2^56 < p = 2^61 − 1, so Shamir over
/// Mersenne61 shares it exactly; a reconstructed limb outside its range proves the shares inconsistent.
internal enum SecretLimbs {
    static let limbByteCounts = [7, 7, 7, 7, 4]

    /// Appends the five limbs of a 32-byte secret.
    static func append(_ secret: [UInt8], to out: inout [UInt64]) {
        var offset = 0
        for width in limbByteCounts {
            var v: UInt64 = 0
            for i in offset..<(offset + width) { v = (v << 8) | UInt64(secret[i]) }
            out.append(v)
            offset += width
        }
    }

    /// The 32 bytes, or nil when a limb is out of its range (inconsistent shares).
    static func bytes(_ limbs: ArraySlice<UInt64>) -> [UInt8]? {
        guard limbs.count == limbByteCounts.count else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for (v, width) in zip(limbs, limbByteCounts) {
            guard v >> UInt64(8 * width) == 0 else { return nil }
            for i in (0..<width).reversed() { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
        }
        return out
    }
}

/// Secret bytes and words that are wiped when released. Immutable after `init` (the `var`s exist only so
/// `deinit` can overwrite them), hence `@unchecked Sendable`.
internal final class SecretWords: @unchecked Sendable {
    private(set) var words: [UInt64]

    init(_ words: [UInt64]) { self.words = words }

    deinit { words.withUnsafeMutableBytes { zeroize($0) } }
}

/// Secret bytes wiped when released (immutable after `init`, hence `@unchecked Sendable`).
internal final class SecretBytes: @unchecked Sendable {
    private(set) var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    deinit { zeroize(&bytes) }
}

/// Wipes an array of secret bytes.
internal func wipe(_ bytes: inout [UInt8]) { zeroize(&bytes) }
