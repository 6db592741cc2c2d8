/// Lower-case hexadecimal text for vector files.
public enum Hex {
    /// Decodes an even-length string of hex digits (either case).
    /// - Throws: ``VectorFileError/malformed(file:reason:)`` for odd length or a non-hex character.
    public static func decode(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else {
            throw VectorFileError.malformed(file: "", reason: "hex string of odd length \(digits.count)")
        }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = value(of: digits[i]), let lo = value(of: digits[i + 1]) else {
                throw VectorFileError.malformed(file: "", reason: "non-hex character in \"\(text.prefix(20))\"")
            }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// Lower-case hex of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
