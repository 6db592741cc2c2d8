import SecretSharing

/// Which of a client's two shared secrets a share belongs to.
public enum ShareKind: UInt8, Sendable, Codable, CustomStringConvertible {
    /// A share of the self-mask seed b_u (revealed for clients that survived).
    case maskSeed = 1
    /// A share of the masking private key s_u^SK (revealed for clients that dropped out).
    case maskingKey = 2

    public var description: String { self == .maskSeed ? "mask-seed (b)" : "masking-key (s^SK)" }
}

/// Message type tags of the masking family (``AggregationProtocol/masking`` and
/// ``AggregationProtocol/secAggPlus`` use the same messages). Tags 0x01–0x1F are reserved for this family,
/// 0x20–0x3F for Paillier aggregation, 0x40–0x5F for multi-server aggregation. 0x08–0x0C belong to the
/// authenticated variant: the signed forms of three messages (the same Swift types, with their signature
/// fields present) and the two consistency-check messages.
public enum MaskingMessageType: UInt8, Sendable, CaseIterable {
    case advertiseKeys = 0x01
    case keyDirectory = 0x02
    case shareKeys = 0x03
    case shareDelivery = 0x04
    case maskedInput = 0x05
    case unmaskRequest = 0x06
    case unmaskShares = 0x07
    /// ``AdvertiseKeys`` with its signature.
    case signedAdvertiseKeys = 0x08
    /// ``KeyDirectory`` with each entry's signature.
    case signedKeyDirectory = 0x09
    /// ``ConsistencyCheckRequest``.
    case consistencyCheckRequest = 0x0A
    /// ``ConsistencySignature``.
    case consistencySignature = 0x0B
    /// ``UnmaskRequest`` with the consistency signatures.
    case signedUnmaskRequest = 0x0C
}

/// Sizes fixed by the masking protocols.
public enum MaskingWire {
    /// X25519 public key bytes.
    public static let publicKeyByteCount = 32
    /// SHA-256 commitment to the mask seed.
    public static let commitmentByteCount = 32
    /// Mersenne61 limbs per shared 32-byte secret (7 + 7 + 7 + 7 + 4 bytes).
    public static let limbsPerSecret = 5
    /// Plaintext of one encrypted share: the b-share limbs then the s^SK-share limbs, 8 bytes BE each.
    public static let sharePlaintextByteCount = 2 * limbsPerSecret * 8
    /// Ciphertext of one encrypted share: plaintext + 16-byte GCM tag.
    public static let shareCiphertextByteCount = sharePlaintextByteCount + 16
    /// The longest signature a decoder accepts (the scheme is the signer's; admission signatures have 64 bytes).
    public static let maximumSignatureByteCount = 1024
}

private let familyProtocols: [AggregationProtocol] = [.masking, .secAggPlus]

private func readPublicKey(_ reader: inout WireReader, _ what: String) throws(SecAggError) -> [UInt8] {
    try reader.readFixed(MaskingWire.publicKeyByteCount, what)
}

/// Reads a signature byte string (4-byte length, then at most ``MaskingWire/maximumSignatureByteCount`` bytes);
/// an empty one is refused unless `allowEmpty` (then it means "no signature").
private func readSignature(_ reader: inout WireReader, _ what: String, allowEmpty: Bool = false)
    throws(SecAggError) -> [UInt8]
{
    let signature = try reader.readLengthPrefixed(what, maximum: MaskingWire.maximumSignatureByteCount)
    guard allowEmpty || !signature.isEmpty else {
        throw .valueOutOfRange(what: "\(what) length", value: "0",
                               expected: "1...\(MaskingWire.maximumSignatureByteCount)")
    }
    return signature
}

// MARK: Round 0

/// Round 0, client → server: the client's two X25519 public keys, and in the authenticated variant the
/// client's signature on them (``MaskingSignedContent/advertisedKeys(protocolID:session:client:encryptionPublicKey:maskingPublicKey:)``).
public struct AdvertiseKeys: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`) of the unsigned form.
    public static var messageType: UInt8 { MaskingMessageType.advertiseKeys.rawValue }
    /// The signed form.
    public static var variantMessageTypes: [UInt8] { [MaskingMessageType.signedAdvertiseKeys.rawValue] }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// c_u^PK: agreement key for the pairwise encryption of shares.
    public var encryptionPublicKey: [UInt8]
    /// s_u^PK: agreement key for the pairwise masks.
    public var maskingPublicKey: [UInt8]
    /// The client's signature on its keys (authenticated variant); nil in the unauthenticated protocol.
    public var signature: [UInt8]?

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, encryptionPublicKey: [UInt8], maskingPublicKey: [UInt8],
                signature: [UInt8]? = nil) {
        self.header = header
        self.encryptionPublicKey = encryptionPublicKey
        self.maskingPublicKey = maskingPublicKey
        self.signature = signature
    }

    /// 0x01, or 0x08 when signed.
    public var encodedMessageType: UInt8 {
        signature == nil ? Self.messageType : MaskingMessageType.signedAdvertiseKeys.rawValue
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) {
        writer.writeFixed(encryptionPublicKey)
        writer.writeFixed(maskingPublicKey)
        if let signature { writer.writeLengthPrefixed(signature) }
    }

    /// Reads the unsigned form (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        encryptionPublicKey = try readPublicKey(&body, "c^PK")
        maskingPublicKey = try readPublicKey(&body, "s^PK")
        signature = nil
    }

    /// Reads the unsigned (0x01) or the signed (0x08) form.
    public init(header: MessageHeader, messageType: UInt8, body: inout WireReader) throws(SecAggError) {
        try self.init(header: header, body: &body)
        if messageType == MaskingMessageType.signedAdvertiseKeys.rawValue {
            signature = try readSignature(&body, "signature")
        }
    }
}

/// Round 0 → 1, server → client: the public keys of the clients this client will share with (all
/// advertisers for masking, its graph neighbours for SecAgg+), itself included, by increasing id.
public struct KeyDirectory: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.keyDirectory.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// One client's advertised keys.
    public struct Entry: Sendable, Equatable, Codable {
        /// The client's id.
        public var client: UInt32
        /// c^PK (32 bytes).
        public var encryptionPublicKey: [UInt8]
        /// s^PK (32 bytes).
        public var maskingPublicKey: [UInt8]
        /// The client's signature on its keys, forwarded by the server (authenticated variant); nil when absent.
        public var signature: [UInt8]?

        /// Memberwise.
        public init(client: UInt32, encryptionPublicKey: [UInt8], maskingPublicKey: [UInt8], signature: [UInt8]? = nil) {
            self.client = client
            self.encryptionPublicKey = encryptionPublicKey
            self.maskingPublicKey = maskingPublicKey
            self.signature = signature
        }
    }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// Strictly increasing client ids.
    public var entries: [Entry]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, entries: [Entry]) {
        self.header = header
        self.entries = entries
    }

    /// Whether any entry carries a signature (then the message is encoded in its signed form).
    public var isSigned: Bool { entries.contains { $0.signature != nil } }

    /// 0x02, or 0x09 when any entry is signed.
    public var encodedMessageType: UInt8 {
        isSigned ? MaskingMessageType.signedKeyDirectory.rawValue : Self.messageType
    }

    /// The signed form.
    public static var variantMessageTypes: [UInt8] { [MaskingMessageType.signedKeyDirectory.rawValue] }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding"); in the signed form every entry ends
    /// with its signature as a byte string (empty for an entry without one).
    public func encodeBody(into writer: inout WireWriter) {
        let signed = isSigned
        writer.reserve(4 + entries.count * (signed ? 136 : 68))
        writer.writeCount(entries.count)
        for e in entries {
            writer.write(e.client)
            writer.writeFixed(e.encryptionPublicKey)
            writer.writeFixed(e.maskingPublicKey)
            if signed { writer.writeLengthPrefixed(e.signature ?? []) }
        }
    }

    /// Reads the unsigned form (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        try self.init(header: header, signed: false, body: &body)
    }

    /// Reads the unsigned (0x02) or the signed (0x09) form; an empty signature reads as nil.
    public init(header: MessageHeader, messageType: UInt8, body: inout WireReader) throws(SecAggError) {
        try self.init(header: header, signed: messageType == MaskingMessageType.signedKeyDirectory.rawValue, body: &body)
    }

    private init(header: MessageHeader, signed: Bool, body: inout WireReader) throws(SecAggError) {
        self.header = header
        let count = try body.readCount("key directory", minimumElementSize: signed ? 72 : 68)
        var entries = [Entry]()
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let id = try body.readUInt32("client id")
            if let last = entries.last, id <= last.client { throw .notStrictlyIncreasing(what: "key directory", id: id) }
            var entry = Entry(client: id, encryptionPublicKey: try readPublicKey(&body, "c^PK"),
                              maskingPublicKey: try readPublicKey(&body, "s^PK"))
            if signed {
                let signature = try readSignature(&body, "signature of client \(id)", allowEmpty: true)
                entry.signature = signature.isEmpty ? nil : signature
            }
            entries.append(entry)
        }
        self.entries = entries
    }
}

// MARK: Round 1

/// One AES-256-GCM encrypted share pair (b-share and s^SK-share) between two clients.
public struct EncryptedShare: Sendable, Equatable, Codable {
    /// In ``ShareKeys``: the recipient; in ``ShareDelivery``: the client that made the share.
    public var peer: UInt32
    /// ciphertext || tag (``MaskingWire/shareCiphertextByteCount`` bytes).
    public var ciphertext: [UInt8]

    /// Memberwise.
    public init(peer: UInt32, ciphertext: [UInt8]) {
        self.peer = peer
        self.ciphertext = ciphertext
    }
}

private func encodeShares(_ shares: [EncryptedShare], into writer: inout WireWriter) {
    writer.reserve(4 + shares.count * (8 + MaskingWire.shareCiphertextByteCount))
    writer.writeCount(shares.count)
    for s in shares {
        writer.write(s.peer)
        writer.writeLengthPrefixed(s.ciphertext)
    }
}

private func decodeShares(_ reader: inout WireReader, _ what: String) throws(SecAggError) -> [EncryptedShare] {
    let count = try reader.readCount(what, minimumElementSize: 8)
    var shares = [EncryptedShare]()
    shares.reserveCapacity(count)
    for _ in 0..<count {
        let peer = try reader.readUInt32("\(what) peer")
        if let last = shares.last, peer <= last.peer { throw .notStrictlyIncreasing(what: what, id: peer) }
        let ciphertext = try reader.readLengthPrefixed("\(what) ciphertext", maximum: MaskingWire.shareCiphertextByteCount)
        guard ciphertext.count == MaskingWire.shareCiphertextByteCount else {
            throw .lengthMismatch(what: "\(what) ciphertext", expected: "\(MaskingWire.shareCiphertextByteCount)",
                                  actual: ciphertext.count)
        }
        shares.append(EncryptedShare(peer: peer, ciphertext: ciphertext))
    }
    return shares
}

/// Round 1, client → server: a commitment to the mask seed and one encrypted share pair per peer.
public struct ShareKeys: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.shareKeys.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// SHA-256 commitment to b_u (lets the server detect wrong b-shares instead of unmasking wrongly).
    public var seedCommitment: [UInt8]
    /// One entry per peer in the key directory other than the sender, by increasing recipient id.
    public var shares: [EncryptedShare]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, seedCommitment: [UInt8], shares: [EncryptedShare]) {
        self.header = header
        self.seedCommitment = seedCommitment
        self.shares = shares
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) {
        writer.writeFixed(seedCommitment)
        encodeShares(shares, into: &writer)
    }

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        seedCommitment = try body.readFixed(MaskingWire.commitmentByteCount, "seed commitment")
        shares = try decodeShares(&body, "encrypted shares")
    }
}

/// Round 1 → 2, server → client: the encrypted shares addressed to this client, by increasing sender id.
/// The senders listed are the client's peers that finished round 1 (its view of U2).
public struct ShareDelivery: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.shareDelivery.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// The encrypted shares, by increasing peer id.
    public var shares: [EncryptedShare]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, shares: [EncryptedShare]) {
        self.header = header
        self.shares = shares
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) { encodeShares(shares, into: &writer) }

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        shares = try decodeShares(&body, "delivered shares")
    }
}

// MARK: Round 2

/// Round 2, client → server: y_u = x_u + PRG(b_u) + Σ± PRG(s_uv) in Z_2^k, packed.
public struct MaskedInput: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.maskedInput.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// y_u, packed in k-bit fields.
    public var values: RingVector

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, values: RingVector) {
        self.header = header
        self.values = values
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) { values.encode(into: &writer) }

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        values = try RingVector(from: &body, what: "masked input")
    }
}

/// Round 2 → 3, server → client: which of the client's peers survived (send their b-shares) and which dropped
/// (send their s^SK-shares). Both lists strictly increasing; together they must be exactly the clients whose
/// shares the recipient holds, itself included among the survivors. In the authenticated variant it also
/// carries the consistency signatures the server collected (its signed form).
public struct UnmaskRequest: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`) of the unsigned form.
    public static var messageType: UInt8 { MaskingMessageType.unmaskRequest.rawValue }
    /// The form with consistency signatures.
    public static var variantMessageTypes: [UInt8] { [MaskingMessageType.signedUnmaskRequest.rawValue] }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// Clients whose b-share is requested (their input is in the sum); includes the recipient.
    public var survivors: [UInt32]
    /// Clients whose s^SK-share is requested (their masked input did not arrive).
    public var dropped: [UInt32]
    /// Authenticated variant: signatures of clients on the survivor set U3 of the consistency check, by
    /// increasing client id (nil in the unauthenticated protocol).
    public var consistencySignatures: [ClientSignature]?

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, survivors: [UInt32], dropped: [UInt32],
                consistencySignatures: [ClientSignature]? = nil) {
        self.header = header
        self.survivors = survivors
        self.dropped = dropped
        self.consistencySignatures = consistencySignatures
    }

    /// 0x06, or 0x0C with consistency signatures.
    public var encodedMessageType: UInt8 {
        consistencySignatures == nil ? Self.messageType : MaskingMessageType.signedUnmaskRequest.rawValue
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) {
        writer.writeIDs(survivors)
        writer.writeIDs(dropped)
        if let consistencySignatures { encodeClientSignatures(consistencySignatures, into: &writer) }
    }

    /// Reads the unsigned form (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        survivors = try body.readIDs("survivors")
        dropped = try body.readIDs("dropped")
        consistencySignatures = nil
    }

    /// Reads the unsigned (0x06) or the signed (0x0C) form.
    public init(header: MessageHeader, messageType: UInt8, body: inout WireReader) throws(SecAggError) {
        try self.init(header: header, body: &body)
        if messageType == MaskingMessageType.signedUnmaskRequest.rawValue {
            consistencySignatures = try decodeClientSignatures(&body, "consistency signatures")
        }
    }
}

// MARK: Consistency check (authenticated variant, round 2.5)

/// One client's signature, as forwarded by the server.
public struct ClientSignature: Sendable, Equatable, Codable {
    /// The signer.
    public var client: UInt32
    /// The signature bytes (1 … ``MaskingWire/maximumSignatureByteCount``).
    public var signature: [UInt8]

    /// Memberwise.
    public init(client: UInt32, signature: [UInt8]) {
        self.client = client
        self.signature = signature
    }
}

private func encodeClientSignatures(_ list: [ClientSignature], into writer: inout WireWriter) {
    writer.reserve(4 + list.reduce(0) { $0 + 8 + $1.signature.count })
    writer.writeCount(list.count)
    for s in list {
        writer.write(s.client)
        writer.writeLengthPrefixed(s.signature)
    }
}

private func decodeClientSignatures(_ reader: inout WireReader, _ what: String) throws(SecAggError) -> [ClientSignature] {
    let count = try reader.readCount(what, minimumElementSize: 9)
    var list = [ClientSignature]()
    list.reserveCapacity(count)
    for _ in 0..<count {
        let client = try reader.readUInt32("\(what) client")
        if let last = list.last, client <= last.client { throw .notStrictlyIncreasing(what: what, id: client) }
        list.append(ClientSignature(client: client, signature: try readSignature(&reader, "signature of client \(client)")))
    }
    return list
}

/// Round 2 → 2.5, server → client (authenticated variant): U3, the clients whose masked input the server
/// received, for the recipient to check and sign. The same list goes to every client of U3 (for SecAgg+ too).
public struct ConsistencyCheckRequest: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.consistencyCheckRequest.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// U3, strictly increasing.
    public var survivors: [UInt32]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, survivors: [UInt32]) {
        self.header = header
        self.survivors = survivors
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) { writer.writeIDs(survivors) }

    /// Reads the body (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        survivors = try body.readIDs("survivors")
    }
}

/// Round 2.5, client → server (authenticated variant): the client's signature on the U3 it was sent
/// (``MaskingSignedContent/consistencyCheck(protocolID:session:survivors:)``).
public struct ConsistencySignature: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.consistencySignature.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// The signature (1 … ``MaskingWire/maximumSignatureByteCount`` bytes).
    public var signature: [UInt8]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, signature: [UInt8]) {
        self.header = header
        self.signature = signature
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) { writer.writeLengthPrefixed(signature) }

    /// Reads the body (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        signature = try readSignature(&body, "consistency signature")
    }
}

// MARK: Round 3

/// One revealed Shamir share: of `owner`'s secret of kind `kind`, evaluated at x = `index` (the revealing
/// client's id), as ``MaskingWire/limbsPerSecret`` Mersenne61 values.
public struct RevealedShare: Sendable, Equatable, Codable {
    /// The client whose secret this is a share of.
    public var owner: UInt32
    /// b-share or s^SK-share.
    public var kind: ShareKind
    /// The evaluation point: the revealing client's id.
    public var index: UInt32
    /// The five Mersenne61 share values (< 2^61 − 1).
    public var values: [UInt64]

    /// Memberwise.
    public init(owner: UInt32, kind: ShareKind, index: UInt32, values: [UInt64]) {
        self.owner = owner
        self.kind = kind
        self.index = index
        self.values = values
    }
}

/// Round 3, client → server: b-shares of the survivors and s^SK-shares of the dropped clients it was asked
/// for, by increasing owner id.
public struct UnmaskShares: WireMessage, Equatable {
    /// The type tag (`MaskingMessageType`).
    public static var messageType: UInt8 { MaskingMessageType.unmaskShares.rawValue }
    /// Masking and SecAgg+.
    public static var protocols: [AggregationProtocol] { familyProtocols }

    /// Routing: protocol, session, sender, receiver.
    public var header: MessageHeader
    /// The revealed shares, by increasing owner id.
    public var shares: [RevealedShare]

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, shares: [RevealedShare]) {
        self.header = header
        self.shares = shares
    }

    /// Writes the body (`Specs/secagg-masking.md`, "Wire encoding").
    public func encodeBody(into writer: inout WireWriter) {
        writer.reserve(4 + shares.count * (10 + 8 * MaskingWire.limbsPerSecret))
        writer.writeCount(shares.count)
        for s in shares {
            writer.write(s.owner)
            writer.write(s.kind.rawValue)
            writer.write(s.index)
            writer.write(UInt8(truncatingIfNeeded: s.values.count))
            for v in s.values { writer.write(v) }
        }
    }

    /// A message with the given fields (validated by the receiving state machine).
    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        let count = try body.readCount("revealed shares", minimumElementSize: 10 + 8 * MaskingWire.limbsPerSecret)
        var shares = [RevealedShare]()
        shares.reserveCapacity(count)
        for _ in 0..<count {
            let owner = try body.readUInt32("share owner")
            if let last = shares.last, owner <= last.owner {
                throw .notStrictlyIncreasing(what: "revealed shares", id: owner)
            }
            let rawKind = try body.readUInt8("share kind")
            guard let kind = ShareKind(rawValue: rawKind) else {
                throw .valueOutOfRange(what: "share kind", value: "\(rawKind)", expected: "1 (b) or 2 (s^SK)")
            }
            let index = try body.readUInt32("share index")
            let limbs = Int(try body.readUInt8("share limb count"))
            guard limbs == MaskingWire.limbsPerSecret else {
                throw .lengthMismatch(what: "share limbs", expected: "\(MaskingWire.limbsPerSecret)", actual: limbs)
            }
            var values = [UInt64]()
            values.reserveCapacity(limbs)
            for _ in 0..<limbs {
                let v = try body.readUInt64("share value")
                guard v < Mersenne61.prime else {
                    throw .valueOutOfRange(what: "share value", value: "\(v)", expected: "< 2^61 − 1")
                }
                values.append(v)
            }
            shares.append(RevealedShare(owner: owner, kind: kind, index: index, values: values))
        }
        self.shares = shares
    }
}
