import Bignum
import Foundation
import Testing

@Suite struct ConversionTests {
    @Test func decimalAndHexParsing() throws {
        #expect(try Bignum(decimal: "0") == Bignum())
        #expect(try Bignum(decimal: "-0") == Bignum())
        #expect(try Bignum(decimal: "000123") == Bignum(123))
        #expect(try Bignum(decimal: "-123") == Bignum(-123))
        #expect(try Bignum(hex: "DeadBeef") == Bignum(0xdead_beef))
        #expect(try Bignum(hex: "-ff") == Bignum(-255))
        #expect(try Bignum("7fffffffffffffff", radix: 16) == Bignum(Int.max))
        let long = String(repeating: "9", count: 1300)
        #expect(try Bignum(decimal: long).description == long)
    }

    /// Every malformed text is rejected with the text and radix, never parsed partially.
    @Test(arguments: [
        "", "-", "+", "+5", " 5", "5 ", "5\n", "\t5", "1 000", "1_000", "1,000", "12a", "0x1f", "1-2", "--1", "-+1",
        "1.5", "1e5", "１２", "٣", "five", "\u{0}", "5\u{0}", "-\u{0}",
    ])
    func malformedDecimalThrows(text: String) {
        #expect(throws: BignumError.malformedNumber(text: text, radix: 10)) { try Bignum(decimal: text) }
        #expect(Bignum(text) == nil)
    }

    @Test(arguments: ["", "-", "0x1f", "0X1F", "x1f", "#ff", "g", "1g", "ff ", " ff", "f-f", "ａ", "0x"])
    func malformedHexThrows(text: String) {
        #expect(throws: BignumError.malformedNumber(text: text, radix: 16)) { try Bignum(hex: text) }
    }

    @Test func unsupportedRadixThrows() {
        #expect(throws: BignumError.invalidArgument("radix must be 10 or 16, got 8")) { try Bignum("17", radix: 8) }
        #expect(throws: BignumError.invalidArgument("radix must be 10 or 16, got 0")) { try Bignum("1", radix: 0) }
    }

    @Test func printing() throws {
        let x = try Bignum(decimal: "-255")
        #expect(x.description == "-255")
        #expect(x.hexString == "-ff")
        #expect(Bignum(255).toString(radix: 2) == "11111111")
        #expect(Bignum(35).toString(radix: 36) == "z")
        #expect(Bignum().hexString == "0")
        #expect(Bignum(0xABCDEF).hexString == "abcdef")
    }

    @Test func losslessStringRoundTrip() throws {
        let x = try Bignum(decimal: "-98765432109876543210987654321")
        #expect(Bignum(x.description) == x)
        #expect(try Bignum(hex: x.hexString) == x)
    }

    // MARK: Bytes

    @Test func bigEndianBytesPadToTheWidth() throws {
        #expect(try Bignum(0x0102).bigEndianBytes(width: 4) == [0, 0, 1, 2])
        #expect(try Bignum(0x0102).bigEndianBytes() == [1, 2])
        #expect(try Bignum().bigEndianBytes() == [])
        #expect(try Bignum().bigEndianBytes(width: 0) == [])
        #expect(try Bignum().bigEndianBytes(width: 3) == [0, 0, 0])
        #expect(try Bignum(255).bigEndianBytes(width: 1) == [255])
    }

    @Test func widthTooSmallThrowsOverflow() throws {
        #expect(throws: BignumError.overflow(byteCount: 2, width: 1)) { try Bignum(256).bigEndianBytes(width: 1) }
        #expect(throws: BignumError.overflow(byteCount: 1, width: 0)) { try Bignum(1).bigEndianBytes(width: 0) }
        #expect(throws: BignumError.overflow(byteCount: 0, width: -1)) { try Bignum().bigEndianBytes(width: -1) }
        let big = Bignum(1) << 4095
        #expect(throws: BignumError.overflow(byteCount: 512, width: 511)) { try big.bigEndianBytes(width: 511) }
        #expect(try big.bigEndianBytes(width: 512).count == 512)
    }

    @Test func negativeValuesHaveNoByteEncoding() {
        #expect(throws: BignumError.negativeValue) { try Bignum(-1).bigEndianBytes(width: 8) }
        #expect(throws: BignumError.negativeValue) { try Bignum(-1).bigEndianBytes() }
    }

    @Test func fixedWidthDecodingRejectsTruncatedAndOversizedInput() throws {
        #expect(try Bignum(bigEndian: [0, 0, 1, 2], width: 4) == Bignum(0x0102))
        #expect(throws: BignumError.wrongLength(expected: 4, actual: 3)) { try Bignum(bigEndian: [0, 1, 2], width: 4) }
        #expect(throws: BignumError.wrongLength(expected: 4, actual: 5)) {
            try Bignum(bigEndian: [0, 0, 0, 1, 2], width: 4)
        }
        #expect(throws: BignumError.wrongLength(expected: 0, actual: 1)) { try Bignum(bigEndian: [1], width: 0) }
        #expect(throws: BignumError.wrongLength(expected: -1, actual: 0)) { try Bignum(bigEndian: [], width: -1) }
        #expect(try Bignum(bigEndian: [], width: 0) == Bignum())
    }

    @Test func anyLengthDecodingAllowsLeadingZeros() {
        #expect(Bignum(bigEndian: [0, 0, 0, 5]) == Bignum(5))
        #expect(Bignum(bigEndian: [UInt8]()) == Bignum())
        #expect(Bignum(bigEndian: [UInt8](repeating: 0xff, count: 8)) == Bignum(UInt64.max))
    }

    @Test func bytesRoundTripForManySizes() throws {
        var drbg = try HmacDrbgSeed.make()
        for width in [1, 2, 7, 8, 9, 31, 32, 33, 255, 256, 512] {
            let value = try Bignum.random(bits: width * 8, using: &drbg)
            let bytes = try value.bigEndianBytes(width: width)
            #expect(bytes.count == width)
            #expect(try Bignum(bigEndian: bytes, width: width) == value)
        }
    }

    // MARK: Codable

    @Test func codableUsesADecimalString() throws {
        let value = try Bignum(decimal: "-123456789012345678901234567890")
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == #"["-123456789012345678901234567890"]"#)
        let back = try JSONDecoder().decode([Bignum].self, from: data)
        #expect(back == [value])
    }

    @Test(arguments: [#"["12a"]"#, #"[""]"#, #"["0x10"]"#, #"[" 1"]"#, #"[123]"#, #"[null]"#, #"[1.5]"#])
    func decodingAnythingButADecimalStringFails(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Bignum].self, from: Data(json.utf8)) }
    }
}
