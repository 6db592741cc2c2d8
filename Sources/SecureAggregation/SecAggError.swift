public import CryptoPrimitives
public import SecretSharing

/// Every failure of the secure aggregation protocols, their wire encoding and the quantizer.
///
/// Cases say what was wrong and where (client id, field, expected range). A message that fails a check is
/// rejected with one of these errors and leaves the receiving state machine unchanged, so the round goes on
/// with the other messages; the cases that end a run (``tooFewClients(round:needed:available:)``,
/// ``reconstructionFailed(owner:secret:)``) move the server to its aborted state, after which every call
/// throws ``aborted(_:)``. Nothing ever returns a wrong aggregate.
public enum SecAggError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Parameters and local input

    /// A parameter (protocol, quantizer or graph) is outside its allowed range.
    case invalidParameter(name: String, value: String, expected: String)
    /// A client's input vector (or a quantizer input) has the wrong length.
    case inputLengthMismatch(expected: Int, actual: Int)
    /// A client's input value at `index` is not a canonical ring element (≥ 2^k) or not a finite number.
    case inputOutOfRange(index: Int, expected: String)

    // MARK: Wire encoding

    /// The input ended before a field could be read.
    case truncated(what: String, needed: Int, available: Int)
    /// The first two bytes are not the magic "SA" (0x53 0x41).
    case badMagic(UInt16)
    /// The encoding version is not one this build reads.
    case unsupportedVersion(UInt8)
    /// The protocol byte of the header names no known protocol.
    case unknownProtocol(UInt8)
    /// The message type tag is not the one expected (or not a known one).
    case unexpectedMessageType(expected: String, actual: UInt8)
    /// A length field disagrees with the data (body length, fixed-size field, trailing bytes).
    case lengthMismatch(what: String, expected: String, actual: Int)
    /// A decoded field is outside its allowed range.
    case valueOutOfRange(what: String, value: String, expected: String)
    /// A list of client ids is not strictly increasing (unsorted or repeated id).
    case notStrictlyIncreasing(what: String, id: UInt32)

    // MARK: Protocol state machines

    /// The message belongs to another protocol.
    case wrongProtocol(expected: AggregationProtocol, actual: AggregationProtocol)
    /// The message belongs to another aggregation session (a replay from an earlier round of training).
    case wrongSession(expected: UInt64, actual: UInt64)
    /// The message is addressed to someone else.
    case wrongRecipient(expected: UInt32, actual: UInt32)
    /// The message claims a sender that may not send it (e.g. a broadcast not from the server).
    case wrongSender(expected: String, actual: UInt32)
    /// The message or call belongs to another round than the current one.
    case unexpectedMessage(message: String, round: ProtocolRound)
    /// The sender (or a listed peer) is not a participant that may appear at this point.
    case unknownClient(UInt32)
    /// A second message from the same client in the same round (duplicate or replay).
    case duplicateMessage(from: UInt32)
    /// A public key equal to one already advertised by another client (or by the same client twice).
    case duplicatePublicKey(client: UInt32)
    /// An X25519 public key of `client` gives the all-zero shared secret (small-order point).
    case invalidPublicKey(client: UInt32)
    /// An encrypted share from `from` failed AES-GCM authentication (forged, altered or misrouted).
    case decryptionFailed(from: UInt32)
    /// A revealed or decrypted share has a bad evaluation point.
    case invalidShareIndex(index: UInt32, expected: UInt32)
    /// A revealed share is of the other kind than the request asked for.
    case wrongShareKind(owner: UInt32, expected: ShareKind)
    /// A message leaves out an entry it must contain (e.g. an encrypted share for a listed peer).
    case missingEntry(what: String, client: UInt32)
    /// The server asked this client for both the mask-seed share and the key share of `peer`: refused.
    case bothSharesRequested(peer: UInt32)
    /// The unmasking request is inconsistent with what this client knows: refused.
    case unmaskingRefused(reason: String)
    /// Fewer than the threshold of clients remain at `round`: the protocol cannot finish securely.
    case tooFewClients(round: ProtocolRound, needed: Int, available: Int)
    /// The shares of `owner`'s secret did not reconstruct a value matching its commitment / public key.
    case reconstructionFailed(owner: UInt32, secret: ShareKind)
    /// The server has aborted; `reason` is the error that ended the run.
    indirect case aborted(SecAggError)
    /// The result was asked for before the unmasking round finished.
    case notFinished(round: ProtocolRound)

    // MARK: Authenticated variant

    /// A message or call of the other variant: `what` belongs to the authenticated protocol and this party
    /// runs the unauthenticated one (`authenticated` false), or the reverse (`authenticated` true).
    case wrongAuthenticationMode(what: String, authenticated: Bool)
    /// A signature that should be present is missing (an unsigned key-directory entry).
    case missingSignature(client: UInt32)
    /// `client`'s signature does not verify under its admitted identity (forged, altered, made for another
    /// session, protocol, client or key, or the client has no identity).
    case invalidSignature(client: UInt32)
    /// The local signer failed (e.g. its random source); nothing was sent.
    case signingFailed(reason: String)
    /// The survivor set of a consistency check is inconsistent with what this client knows: refused.
    case consistencyCheckRefused(reason: String)
    /// An unmasking request carries fewer than `needed` valid consistency signatures over the survivor set
    /// this client signed (by distinct clients of that set; for SecAgg+, of this client's neighbourhood).
    case notEnoughConsistencySignatures(needed: Int, valid: Int)

    // MARK: Wrapped errors of the layers below

    /// A primitive failed in a way not attributable to a peer (e.g. the system random source).
    case crypto(CryptoError)
    /// Secret sharing rejected its input.
    case sharing(SharingError)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            return "parameter \(name) = \(value) is invalid (expected \(expected))"
        case .inputLengthMismatch(let expected, let actual):
            return "input has \(actual) values, expected \(expected)"
        case .inputOutOfRange(let index, let expected):
            return "input value \(index) is out of range (expected \(expected))"
        case .truncated(let what, let needed, let available):
            return "truncated message: \(what) needs \(needed) bytes, \(available) left"
        case .badMagic(let magic):
            return "not a SecAggKit message (magic 0x\(String(magic, radix: 16)), expected 0x5341)"
        case .unsupportedVersion(let v):
            return "unsupported wire version \(v) (this build reads version \(WireFormat.version))"
        case .unknownProtocol(let p):
            return "unknown protocol id \(p)"
        case .unexpectedMessageType(let expected, let actual):
            return "message type \(actual) where \(expected) was expected"
        case .lengthMismatch(let what, let expected, let actual):
            return "\(what): length \(actual), expected \(expected)"
        case .valueOutOfRange(let what, let value, let expected):
            return "\(what) = \(value) is out of range (expected \(expected))"
        case .notStrictlyIncreasing(let what, let id):
            return "\(what) is not strictly increasing at id \(id) (unsorted or repeated)"
        case .wrongProtocol(let expected, let actual):
            return "message of protocol \(actual), expected \(expected)"
        case .wrongSession(let expected, let actual):
            return "message of session \(actual), expected session \(expected) (replayed or misrouted)"
        case .wrongRecipient(let expected, let actual):
            return "message addressed to \(actual), expected \(expected)"
        case .wrongSender(let expected, let actual):
            return "message from \(actual), expected \(expected)"
        case .unexpectedMessage(let message, let round):
            return "\(message) is not accepted in round \(round)"
        case .unknownClient(let id):
            return "client \(id) is not a participant at this point"
        case .duplicateMessage(let id):
            return "second message from client \(id) in this round (duplicate or replay)"
        case .duplicatePublicKey(let id):
            return "client \(id) advertised a public key already in use"
        case .invalidPublicKey(let id):
            return "public key of client \(id) has small order"
        case .decryptionFailed(let id):
            return "encrypted share from client \(id) failed authentication"
        case .invalidShareIndex(let index, let expected):
            return "share index \(index), expected \(expected)"
        case .wrongShareKind(let owner, let expected):
            return "share of client \(owner) should be a \(expected) share"
        case .missingEntry(let what, let id):
            return "missing \(what) for client \(id)"
        case .bothSharesRequested(let peer):
            return "refused: the server asked for both the mask-seed and the key share of client \(peer)"
        case .unmaskingRefused(let reason):
            return "refused to unmask: \(reason)"
        case .tooFewClients(let round, let needed, let available):
            return "only \(available) clients remain in round \(round), the threshold is \(needed): aborted"
        case .reconstructionFailed(let owner, let secret):
            return "the \(secret) shares of client \(owner) do not reconstruct a consistent secret"
        case .aborted(let reason):
            return "the aggregation was aborted: \(reason)"
        case .notFinished(let round):
            return "no result yet: the protocol is in round \(round)"
        case .wrongAuthenticationMode(let what, let authenticated):
            return authenticated
                ? "\(what) belongs to the unauthenticated protocol, but this party runs the authenticated one"
                : "\(what) belongs to the authenticated protocol, but this party runs the unauthenticated one"
        case .missingSignature(let id):
            return "missing signature of client \(id)"
        case .invalidSignature(let id):
            return "the signature of client \(id) does not verify under its identity"
        case .signingFailed(let reason):
            return "signing failed: \(reason)"
        case .consistencyCheckRefused(let reason):
            return "refused the consistency check: \(reason)"
        case .notEnoughConsistencySignatures(let needed, let valid):
            return "refused to unmask: only \(valid) valid consistency signatures over this client's survivor set, \(needed) needed"
        case .crypto(let error):
            return "cryptographic failure: \(error)"
        case .sharing(let error):
            return "secret sharing failure: \(error)"
        }
    }
}
