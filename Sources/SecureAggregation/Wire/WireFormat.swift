/// The protocols that share the SecAggKit wire envelope (the header's protocol byte).
public enum AggregationProtocol: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Bonawitz et al. 2017 masking with dropout recovery over the complete graph (``MaskedAggregationServer``).
    case masking = 1
    /// Bell et al. 2020 masking over a sparse Harary graph (``SecAggPlusServer``).
    case secAggPlus = 2
    /// Additively homomorphic aggregation under Paillier (reserved for `PaillierAggregation`).
    case paillier = 3
    /// Additive sharing among non-colluding aggregators (reserved for `MultiServerAdditive`).
    case multiServer = 4

    public var description: String {
        switch self {
        case .masking: return "masking"
        case .secAggPlus: return "secagg+"
        case .paillier: return "paillier"
        case .multiServer: return "multi-server"
        }
    }
}

/// A protocol step, as used in errors and state queries.
///
/// Ordered by when the step happens: advertiseKeys < shareKeys < maskedInput < consistencyCheck < unmasking
/// < finished. The raw values are stable identifiers (the consistency check, which only the authenticated
/// variant has, was added later as 5), not the order.
public enum ProtocolRound: UInt8, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Round 0: clients advertise two X25519 public keys.
    case advertiseKeys = 0
    /// Round 1: clients Shamir-share their mask seed and masking key, encrypted pairwise.
    case shareKeys = 1
    /// Round 2: clients send their masked input.
    case maskedInput = 2
    /// Round 3: survivors reveal the shares the server needs to remove the masks.
    case unmasking = 3
    /// The aggregate has been computed.
    case finished = 4
    /// Authenticated variant only, between rounds 2 and 3 ("round 2.5"): survivors sign the survivor set U3.
    case consistencyCheck = 5

    private var order: Int {
        switch self {
        case .advertiseKeys: return 0
        case .shareKeys: return 1
        case .maskedInput: return 2
        case .consistencyCheck: return 3
        case .unmasking: return 4
        case .finished: return 5
        }
    }

    public static func < (a: ProtocolRound, b: ProtocolRound) -> Bool { a.order < b.order }

    public var description: String {
        switch self {
        case .advertiseKeys: return "0 (AdvertiseKeys)"
        case .shareKeys: return "1 (ShareKeys)"
        case .maskedInput: return "2 (MaskedInput)"
        case .consistencyCheck: return "2.5 (ConsistencyCheck)"
        case .unmasking: return "3 (Unmasking)"
        case .finished: return "finished"
        }
    }
}

/// Reserved participant ids: the server is 0, clients are 1 … n, and `allClients` addresses a broadcast.
public enum ParticipantID {
    /// The aggregation server.
    public static let server: UInt32 = 0
    /// Every client (a broadcast).
    public static let allClients: UInt32 = .max
}

/// Constants of the version-1 envelope (`Specs/secagg-masking.md`, "Wire encoding").
///
/// ```
/// offset size field
///  0     2    magic "SA" (0x53 0x41)
///  2     1    version (1)
///  3     1    protocol (AggregationProtocol raw value)
///  4     1    message type (per protocol family, see the spec)
///  5     8    session: the aggregation round number, big-endian
/// 13     4    sender id, big-endian (0 = server)
/// 17     4    receiver id, big-endian (0 = server, 0xFFFFFFFF = all clients)
/// 21     4    body length in bytes, big-endian; must equal the bytes that follow exactly
/// 25     …    body
/// ```
public enum WireFormat {
    /// "SA".
    public static let magic: UInt16 = 0x5341
    /// The version this build writes and reads.
    public static let version: UInt8 = 1
    /// Bytes before the body.
    public static let headerByteCount = 25
    /// The largest body a decoder accepts (1 GiB).
    public static let maximumBodyByteCount = 1 << 30
}

/// The routing part of every message: who sends it to whom, in which aggregation session.
public struct MessageHeader: Sendable, Equatable, Hashable, Codable {
    /// Which protocol the message belongs to.
    public var protocolID: AggregationProtocol
    /// The aggregation session (training round) the message belongs to; replays across sessions are rejected.
    public var session: UInt64
    /// The sender's id (``ParticipantID/server`` for the server).
    public var sender: UInt32
    /// The receiver's id (``ParticipantID/server`` or a client id or ``ParticipantID/allClients``).
    public var receiver: UInt32

    /// Memberwise.
    public init(protocolID: AggregationProtocol, session: UInt64, sender: UInt32, receiver: UInt32) {
        self.protocolID = protocolID
        self.session = session
        self.sender = sender
        self.receiver = receiver
    }

    /// Reads and checks the envelope of `bytes` without decoding the body: for routing encoded messages.
    /// - Returns: the header and the message type tag.
    /// - Throws: ``SecAggError/truncated(what:needed:available:)``, ``SecAggError/badMagic(_:)``,
    ///   ``SecAggError/unsupportedVersion(_:)``, ``SecAggError/unknownProtocol(_:)``,
    ///   ``SecAggError/lengthMismatch(what:expected:actual:)`` when the body length field disagrees with the data.
    public static func peek(_ bytes: [UInt8]) throws(SecAggError) -> (header: MessageHeader, messageType: UInt8) {
        let envelope = try Envelope(parsing: bytes)
        return (envelope.header, envelope.messageType)
    }
}

/// A parsed envelope: header, type tag and where the body is.
internal struct Envelope {
    var header: MessageHeader
    var messageType: UInt8
    var body: Range<Int>

    init(parsing bytes: [UInt8]) throws(SecAggError) {
        var reader = WireReader(bytes)
        let magic = try reader.readUInt16("magic")
        guard magic == WireFormat.magic else { throw .badMagic(magic) }
        let version = try reader.readUInt8("version")
        guard version == WireFormat.version else { throw .unsupportedVersion(version) }
        let rawProtocol = try reader.readUInt8("protocol")
        guard let protocolID = AggregationProtocol(rawValue: rawProtocol) else { throw .unknownProtocol(rawProtocol) }
        messageType = try reader.readUInt8("message type")
        let session = try reader.readUInt64("session")
        let sender = try reader.readUInt32("sender")
        let receiver = try reader.readUInt32("receiver")
        let length = Int(try reader.readUInt32("body length"))
        guard length <= WireFormat.maximumBodyByteCount else {
            throw .valueOutOfRange(what: "body length", value: "\(length)",
                                   expected: "at most \(WireFormat.maximumBodyByteCount)")
        }
        guard length == reader.remaining else {
            if length > reader.remaining {
                throw .truncated(what: "message body", needed: length, available: reader.remaining)
            }
            throw .lengthMismatch(what: "message body", expected: "\(length)", actual: reader.remaining)
        }
        header = MessageHeader(protocolID: protocolID, session: session, sender: sender, receiver: receiver)
        body = reader.offset..<bytes.count
    }
}

/// A message with the SecAggKit binary wire encoding: the envelope (``WireFormat``) plus a body written and
/// read by the conforming type. Other protocols (Paillier, multi-server) conform their messages to this
/// protocol to reuse the envelope, the validation and the byte accounting.
///
/// A type may have *variants*: further type tags for the same message with extra fields (the masking
/// messages' signed forms, `Specs/secagg-masking.md`). It lists them in ``variantMessageTypes``, names the
/// tag of each value in ``encodedMessageType`` and reads each in ``init(header:messageType:body:)``; a type
/// without variants implements none of the three.
public protocol WireMessage: Sendable, Codable {
    /// The message type tag (unique within the protocols of ``protocols``).
    static var messageType: UInt8 { get }
    /// Further tags this type reads and writes (default: none).
    static var variantMessageTypes: [UInt8] { get }
    /// The protocols whose envelopes may carry this message type.
    static var protocols: [AggregationProtocol] { get }
    /// Routing: protocol, session, sender, receiver.
    var header: MessageHeader { get }
    /// The tag this value is written with: ``messageType`` or one of ``variantMessageTypes`` (default:
    /// ``messageType``).
    var encodedMessageType: UInt8 { get }
    /// Writes the body (everything after the envelope) of the form ``encodedMessageType`` names.
    func encodeBody(into writer: inout WireWriter)
    /// Reads the body of the ``messageType`` form; must validate every field and throw, never trap.
    init(header: MessageHeader, body: inout WireReader) throws(SecAggError)
    /// Reads the body of the form `messageType` (one of ``messageType`` and ``variantMessageTypes``);
    /// default: ``init(header:body:)``.
    init(header: MessageHeader, messageType: UInt8, body: inout WireReader) throws(SecAggError)
}

extension WireMessage {
    /// No variants.
    public static var variantMessageTypes: [UInt8] { [] }

    /// ``messageType``.
    public var encodedMessageType: UInt8 { Self.messageType }

    /// Reads the one form of a type without variants.
    public init(header: MessageHeader, messageType: UInt8, body: inout WireReader) throws(SecAggError) {
        try self.init(header: header, body: &body)
    }
}

extension WireMessage {
    /// The wire encoding: envelope + body. Its `count` is what the message costs on the network.
    public func encoded() -> [UInt8] {
        var writer = WireWriter()
        writer.write(WireFormat.magic)
        writer.write(WireFormat.version)
        writer.write(header.protocolID.rawValue)
        writer.write(encodedMessageType)
        writer.write(header.session)
        writer.write(header.sender)
        writer.write(header.receiver)
        let lengthOffset = writer.count
        writer.write(UInt32(0))
        encodeBody(into: &writer)
        writer.patch(UInt32(truncatingIfNeeded: writer.count - WireFormat.headerByteCount), at: lengthOffset)
        return writer.bytes
    }

    /// Decodes and validates a message: envelope, type tag, protocol, every body field, no trailing bytes.
    /// - Throws: a ``SecAggError`` describing the first problem; never traps on any input.
    public init(decoding bytes: [UInt8]) throws(SecAggError) {
        let envelope = try Envelope(parsing: bytes)
        guard envelope.messageType == Self.messageType || Self.variantMessageTypes.contains(envelope.messageType) else {
            let tags = ([Self.messageType] + Self.variantMessageTypes).map(String.init).joined(separator: " or ")
            throw .unexpectedMessageType(expected: "\(tags) (\(Self.self))", actual: envelope.messageType)
        }
        guard Self.protocols.contains(envelope.header.protocolID) else {
            throw .valueOutOfRange(what: "protocol of \(Self.self)", value: "\(envelope.header.protocolID)",
                                   expected: Self.protocols.map(\.description).joined(separator: " or "))
        }
        var reader = WireReader(bytes, range: envelope.body)
        self = try Self(header: envelope.header, messageType: envelope.messageType, body: &reader)
        try reader.finish("\(Self.self) body")
    }
}

/// Appends fixed-width big-endian integers and length-prefixed byte strings to a buffer.
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer.
    public init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    public var count: Int { bytes.count }

    /// Appends one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }
    /// Appends 2 bytes, big-endian.
    public mutating func write(_ value: UInt16) { appendBigEndian(value) }
    /// Appends 4 bytes, big-endian.
    public mutating func write(_ value: UInt32) { appendBigEndian(value) }
    /// Appends 8 bytes, big-endian.
    public mutating func write(_ value: UInt64) { appendBigEndian(value) }

    /// Appends raw bytes with no length (fixed-size fields whose size the spec fixes).
    public mutating func writeFixed(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    /// Appends a 4-byte big-endian length, then the bytes.
    public mutating func writeLengthPrefixed(_ data: [UInt8]) {
        write(UInt32(truncatingIfNeeded: data.count))
        bytes.append(contentsOf: data)
    }

    /// Appends an element count as a 4-byte big-endian integer.
    public mutating func writeCount(_ count: Int) { write(UInt32(truncatingIfNeeded: count)) }

    /// Appends a list of ids: count, then each id (4 bytes big-endian).
    public mutating func writeIDs(_ ids: [UInt32]) {
        writeCount(ids.count)
        for id in ids { write(id) }
    }

    /// Reserves room for `additional` more bytes.
    public mutating func reserve(_ additional: Int) { bytes.reserveCapacity(bytes.count + additional) }

    /// Overwrites 4 bytes at `offset` (a length written before its content was known).
    mutating func patch(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads fixed-width big-endian integers and length-prefixed fields, checking every length against the data
/// left: a truncated or oversized field throws ``SecAggError/truncated(what:needed:available:)``, never traps,
/// and no allocation is sized by an unchecked length.
public struct WireReader: Sendable {
    private let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var offset: Int
    private let end: Int

    /// A reader over `bytes[range]` (all of `bytes` by default).
    public init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let r = range ?? 0..<bytes.count
        offset = r.lowerBound
        end = r.upperBound
    }

    /// Bytes not read yet.
    public var remaining: Int { end - offset }

    private mutating func take(_ count: Int, _ what: String) throws(SecAggError) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw .truncated(what: what, needed: count, available: remaining) }
        defer { offset += count }
        return offset..<(offset + count)
    }

    private mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(SecAggError) -> T {
        let r = try take(MemoryLayout<T>.size, what)
        var value: T = 0
        for i in r { value = (value << 8) | T(bytes[i]) }
        return value
    }

    /// Reads one byte; `what` names the field in errors.
    public mutating func readUInt8(_ what: String) throws(SecAggError) -> UInt8 {
        bytes[try take(1, what).lowerBound]
    }
    /// Reads 2 bytes, big-endian.
    public mutating func readUInt16(_ what: String) throws(SecAggError) -> UInt16 { try readBigEndian(UInt16.self, what) }
    /// Reads 4 bytes, big-endian.
    public mutating func readUInt32(_ what: String) throws(SecAggError) -> UInt32 { try readBigEndian(UInt32.self, what) }
    /// Reads 8 bytes, big-endian.
    public mutating func readUInt64(_ what: String) throws(SecAggError) -> UInt64 { try readBigEndian(UInt64.self, what) }

    /// Reads exactly `count` bytes.
    public mutating func readFixed(_ count: Int, _ what: String) throws(SecAggError) -> [UInt8] {
        Array(bytes[try take(count, what)])
    }

    /// Reads a 4-byte length, checks it against `maximum` and the data left, then reads that many bytes.
    public mutating func readLengthPrefixed(_ what: String, maximum: Int) throws(SecAggError) -> [UInt8] {
        let length = Int(try readUInt32("\(what) length"))
        guard length <= maximum else {
            throw .valueOutOfRange(what: "\(what) length", value: "\(length)", expected: "at most \(maximum)")
        }
        return try readFixed(length, what)
    }

    /// Reads a 4-byte element count and checks that `count · minimumElementSize` bytes are left, so that a
    /// forged count can never cause a large allocation or a long loop.
    public mutating func readCount(_ what: String, minimumElementSize: Int, maximum: Int = Int(UInt32.max))
        throws(SecAggError) -> Int
    {
        let count = Int(try readUInt32("\(what) count"))
        guard count <= maximum else {
            throw .valueOutOfRange(what: "\(what) count", value: "\(count)", expected: "at most \(maximum)")
        }
        let needed = count * max(minimumElementSize, 0)
        guard needed <= remaining else { throw .truncated(what: what, needed: needed, available: remaining) }
        return count
    }

    /// Reads a list of ids (count, then 4-byte ids) and checks that it is strictly increasing.
    public mutating func readIDs(_ what: String, maximum: Int = Int(UInt32.max)) throws(SecAggError) -> [UInt32] {
        let count = try readCount(what, minimumElementSize: 4, maximum: maximum)
        var ids = [UInt32]()
        ids.reserveCapacity(count)
        for _ in 0..<count {
            let id = try readUInt32("\(what) id")
            if let last = ids.last, id <= last { throw .notStrictlyIncreasing(what: what, id: id) }
            ids.append(id)
        }
        return ids
    }

    /// Throws unless every byte has been read.
    public func finish(_ what: String) throws(SecAggError) {
        guard remaining == 0 else { throw .lengthMismatch(what: what, expected: "no trailing bytes", actual: remaining) }
    }
}
