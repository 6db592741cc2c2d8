/// The seam between the authenticated masking protocols and whatever gives clients their identities
/// (`Specs/ARCHITECTURE.md`): SecureAggregation signs and verifies only through these two protocols and
/// never imports the identity layer. The harness implements them with the keys of the Admission phase.

/// A client's own signing identity for the authenticated masking variant.
///
/// The client signs two messages per session, both built by ``MaskingSignedContent``: its round-0 keys and
/// the survivor set U3 of the consistency check. The scheme is the implementer's (the harness uses Schnorr
/// signatures with the client's admission key, 64 bytes); signatures of 1 … ``MaskingWire/maximumSignatureByteCount``
/// bytes fit the wire format.
public protocol MaskingSigner: Sendable {
    /// Signs `message` with this client's identity key.
    /// - Throws: ``SecAggError/signingFailed(reason:)`` (e.g. when the random source fails).
    func sign(_ message: [UInt8]) throws(SecAggError) -> [UInt8]
}

/// The directory of admitted identities: checks that a signature was made by the identity of client `id`.
public protocol MaskingIdentityVerifier: Sendable {
    /// Whether `signature` is a valid signature on `message` by the identity admitted as client `client`.
    /// Returns false for a client without an identity (not admitted) and for malformed signatures; never throws.
    func verify(_ signature: [UInt8], on message: [UInt8], by client: UInt32) -> Bool
}

/// How a masking server treats signatures.
public enum MaskingServerAuthentication: Sendable {
    /// The semi-honest protocol of Bonawitz et al.: no signatures; signed messages are rejected.
    case unauthenticated
    /// The authenticated protocol: signatures are required and forwarded; the server holds no keys and
    /// checks none (clients check every signature themselves).
    case authenticated
    /// As ``authenticated``, and the server also checks each signature on receipt with `verifier`, so a
    /// bad advertiser or signer is rejected early (``SecAggError/invalidSignature(client:)``) instead of
    /// making the honest clients abort.
    case authenticatedVerifying(any MaskingIdentityVerifier)

    var isAuthenticated: Bool {
        if case .unauthenticated = self { return false }
        return true
    }

    var verifier: (any MaskingIdentityVerifier)? {
        if case .authenticatedVerifying(let verifier) = self { return verifier }
        return nil
    }
}

/// The exact bytes clients sign in the authenticated variant (`Specs/secagg-masking.md`, "Signed
/// encodings"). Tags and byte strings are length-prefixed (4 bytes big-endian), integers big-endian; the
/// protocol byte and the session bind every signature to one run of one protocol.
public enum MaskingSignedContent {
    /// Tag of the round-0 key signature.
    public static let advertiseKeysTag = "SecAggKit/v1/masking/advertise-keys"
    /// Tag of the consistency-check signature.
    public static let consistencyCheckTag = "SecAggKit/v1/masking/consistency-check"

    /// Str(tag) ‖ protocol (1) ‖ session (8) ‖ client (4) ‖ Str(c^PK) ‖ Str(s^PK), Str(x) = u32(|x|) ‖ x.
    public static func advertisedKeys(
        protocolID: AggregationProtocol, session: UInt64, client: UInt32, encryptionPublicKey: [UInt8],
        maskingPublicKey: [UInt8]
    ) -> [UInt8] {
        var w = WireWriter(reservingCapacity: 4 + advertiseKeysTag.utf8.count + 13 + 8 + encryptionPublicKey.count
            + maskingPublicKey.count)
        w.writeLengthPrefixed(Array(advertiseKeysTag.utf8))
        w.write(protocolID.rawValue)
        w.write(session)
        w.write(client)
        w.writeLengthPrefixed(encryptionPublicKey)
        w.writeLengthPrefixed(maskingPublicKey)
        return w.bytes
    }

    /// Str(tag) ‖ protocol (1) ‖ session (8) ‖ count (4) ‖ the ids of U3 (4 each, strictly increasing).
    public static func consistencyCheck(protocolID: AggregationProtocol, session: UInt64, survivors: [UInt32])
        -> [UInt8]
    {
        var w = WireWriter(reservingCapacity: 4 + consistencyCheckTag.utf8.count + 13 + 4 * survivors.count)
        w.writeLengthPrefixed(Array(consistencyCheckTag.utf8))
        w.write(protocolID.rawValue)
        w.write(session)
        w.writeIDs(survivors)
        return w.bytes
    }
}
