public import FederatedLearning

/// The messages of an unprotected FedAvg round, in the binary form whose size the harness counts
/// (`Specs/harness.md`): a 4-byte header (magic "FA", version 1, type), then fixed-width big-endian fields.
public enum PlainMessages {
    static let magic: [UInt8] = [0x46, 0x41]  // "FA"
    static let version: UInt8 = 1

    /// Server → client: the global model of a round.
    public static func globalModel(round: Int, parameters: [Float]) -> [UInt8] {
        var out = header(type: 1)
        append(UInt32(truncatingIfNeeded: round), to: &out)
        append(floats: parameters, to: &out)
        return out
    }

    /// Client → server: the update and its weight.
    public static func update(round: Int, _ update: ClientUpdate) -> [UInt8] {
        var out = header(type: 2)
        append(UInt32(truncatingIfNeeded: round), to: &out)
        append(UInt32(truncatingIfNeeded: update.clientID), to: &out)
        append(UInt64(update.sampleCount), to: &out)
        append(floats: update.delta, to: &out)
        return out
    }

    /// Decodes ``globalModel(round:parameters:)``.
    /// - Throws: ``PlainMessageError`` for a wrong header, a truncated or oversized body or a count mismatch.
    public static func decodeGlobalModel(_ bytes: [UInt8]) throws(PlainMessageError) -> (round: Int, parameters: [Float]) {
        var reader = Reader(bytes: bytes)
        try reader.header(type: 1)
        let round = Int(try reader.read(UInt32.self))
        let parameters = try reader.floats()
        try reader.end()
        return (round, parameters)
    }

    /// Decodes ``update(round:_:)``.
    /// - Throws: ``PlainMessageError`` as ``decodeGlobalModel(_:)``, and for a weight beyond `Int`.
    public static func decodeUpdate(_ bytes: [UInt8]) throws(PlainMessageError) -> (round: Int, update: ClientUpdate) {
        var reader = Reader(bytes: bytes)
        try reader.header(type: 2)
        let round = Int(try reader.read(UInt32.self))
        let client = Int(try reader.read(UInt32.self))
        let weight = try reader.read(UInt64.self)
        guard weight <= UInt64(Int.max) else { throw PlainMessageError("weight \(weight) is too large") }
        let delta = try reader.floats()
        try reader.end()
        return (round, ClientUpdate(clientID: client, delta: delta, sampleCount: Int(weight)))
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func header(type: UInt8) throws(PlainMessageError) {
            guard bytes.count >= 4, Array(bytes[0..<2]) == magic else { throw PlainMessageError("not a FedAvg message") }
            guard bytes[2] == version else { throw PlainMessageError("version \(bytes[2]), expected \(version)") }
            guard bytes[3] == type else { throw PlainMessageError("message type \(bytes[3]), expected \(type)") }
            offset = 4
        }

        mutating func read<T: FixedWidthInteger>(_: T.Type) throws(PlainMessageError) -> T {
            let size = MemoryLayout<T>.size
            guard bytes.count - offset >= size else { throw PlainMessageError("truncated at byte \(offset)") }
            var value: T = 0
            for b in bytes[offset..<offset + size] { value = value << 8 | T(b) }
            offset += size
            return value
        }

        mutating func floats() throws(PlainMessageError) -> [Float] {
            let count = Int(try read(UInt32.self))
            guard count <= (bytes.count - offset) / 4 else {
                throw PlainMessageError("\(count) values announced, \((bytes.count - offset) / 4) present")
            }
            var out = [Float]()
            out.reserveCapacity(count)
            for _ in 0..<count { out.append(Float(bitPattern: try read(UInt32.self))) }
            return out
        }

        func end() throws(PlainMessageError) {
            guard offset == bytes.count else { throw PlainMessageError("\(bytes.count - offset) trailing bytes") }
        }
    }

    static func header(type: UInt8) -> [UInt8] { magic + [version, type] }

    static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    /// A UInt32 count, then each Float's IEEE-754 bits big-endian.
    static func append(floats: [Float], to out: inout [UInt8]) {
        append(UInt32(truncatingIfNeeded: floats.count), to: &out)
        out.reserveCapacity(out.count + 4 * floats.count)
        for f in floats { append(f.bitPattern, to: &out) }
    }
}

/// A malformed ``PlainMessages`` message.
public struct PlainMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
