internal import Bignum
internal import CryptoPrimitives

/// Byte-exact transcript encodings of `Specs/admission.md` ("Encodings").
///
/// Element of Z_p: `elementWidth` = ⌈|p|/8⌉ bytes big-endian; scalar of Z_q: ⌈|q|/8⌉ bytes big-endian;
/// tag and session: 4-byte big-endian length then the UTF-8 bytes; round: 8 bytes big-endian; counters
/// and indices: 4 bytes big-endian.
struct Transcript {
    private(set) var bytes: [UInt8] = []
    let group: AdmissionGroup

    init(tag: String, group: AdmissionGroup) {
        self.group = group
        appendString(tag)
    }

    mutating func appendString(_ text: String) {
        let utf8 = Array(text.utf8)
        appendUInt32(UInt32(truncatingIfNeeded: utf8.count))
        bytes += utf8
    }

    /// Raw bytes without a length (only for fixed-length values such as a 32-byte digest).
    mutating func appendRaw(_ raw: [UInt8]) { bytes += raw }

    mutating func appendUInt32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendUInt64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendElement(_ x: Bignum) throws(AdmissionError) {
        let width = group.elementWidth
        bytes += try arithmetic { try x.bigEndianBytes(width: width) }
    }

    mutating func appendScalar(_ x: Bignum) throws(AdmissionError) {
        let width = group.scalarWidth
        bytes += try arithmetic { try x.bigEndianBytes(width: width) }
    }

    /// E(p) ‖ S(q) ‖ E(g).
    mutating func appendGroup() throws(AdmissionError) {
        try appendElement(group.p)
        try appendScalar(group.q)
        try appendElement(group.g)
    }

    var digest: [UInt8] { Sha256.hash(bytes) }

    /// SHA-256 of the transcript as a big-endian integer, reduced mod q.
    func challenge() throws(AdmissionError) -> Bignum {
        let q = group.q
        let d = digest
        return try arithmetic { try Bignum(bigEndian: d).modulo(q) }
    }
}

/// Domain-separation tags (ASCII), fixed by the spec.
enum Tag {
    static let schnorr = "SecAggKit/admission/v1/schnorr-pok"
    static let dleq = "SecAggKit/admission/v1/dleq"
    static let hashToGroup = "SecAggKit/admission/v1/hash-to-group"
    static let authoritySet = "SecAggKit/admission/v1/authority-set"
    static let signature = "SecAggKit/admission/v1/signature"
}
