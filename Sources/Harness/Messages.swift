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
