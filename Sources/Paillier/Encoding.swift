public import Bignum
public import CryptoPrimitives

/// Signed integers and reals as Paillier plaintexts (`Specs/paillier.md`, "Encodings").
///
/// An integer v with |v| ≤ max = ⌊n/3⌋ − 1 (python-paillier's `max_int`) is encoded as v mod n. Decoding maps [0, max] to itself and
/// [n − max, n) to negatives; a value in between means a homomorphic result left the range and throws
/// ``PaillierError/overflow(_:)`` — never a wrap. Reals are scaled by 2^`fractionBits` and rounded.
public struct FixedPointEncoder: Sendable {
    public let publicKey: PaillierPublicKey
    public let fractionBits: Int
    /// ⌊n/3⌋ − 1, the largest magnitude encoded (python-paillier's `max_int`).
    public let maxMagnitude: Bignum

    /// - Throws: ``PaillierError/invalidEncoding(_:)`` unless 0 ≤ fractionBits ≤ 1000.
    public init(publicKey: PaillierPublicKey, fractionBits: Int = 32) throws {
        guard (0...1000).contains(fractionBits) else {
            throw PaillierError.invalidEncoding("fraction bits must be 0…1000, got \(fractionBits)")
        }
        self.publicKey = publicKey
        self.fractionBits = fractionBits
        maxMagnitude = try publicKey.n.quotientAndRemainder(dividingBy: Bignum(3)).quotient - Bignum(1)
    }

    /// The plaintext of a signed integer (already scaled).
    /// - Throws: ``PaillierError/overflow(_:)`` when |v| > max.
    public func encode(integer v: Bignum) throws -> Bignum {
        guard v.magnitude <= maxMagnitude else { throw PaillierError.overflow("|value| exceeds ⌊n/3⌋ − 1") }
        return try v.modulo(publicKey.n)
    }

    /// The plaintext of round(x · 2^fractionBits).
    /// - Throws: ``PaillierError/overflow(_:)`` for a non-finite x or one beyond the range.
    public func encode(_ x: Double) throws -> Bignum {
        try encode(integer: Self.scaled(x, bits: fractionBits))
    }

    /// round(x · 2^bits) as an integer (ties to even, as Python and phe round).
    static func scaled(_ x: Double, bits: Int) throws -> Bignum {
        guard x.isFinite else { throw PaillierError.overflow("value \(x) is not finite") }
        // x · 2^bits is exact in binary floating point unless it overflows; then scale the integer.
        let scaledDouble = x * Double(sign: .plus, exponent: min(bits, 900), significand: 1)
        guard scaledDouble.isFinite else { throw PaillierError.overflow("value \(x) is too large") }
        guard let integral = Bignum(exactly: scaledDouble.rounded(.toNearestOrEven)) else {
            throw PaillierError.overflow("value \(x) cannot be scaled")
        }
        return bits > 900 ? integral << (bits - 900) : integral
    }

    /// The signed integer of a plaintext.
    /// - Throws: ``PaillierError/plaintextOutOfRange`` unless 0 ≤ m < n; ``PaillierError/overflow(_:)``
    ///   for m in the overflow band (max, n − max).
    public func decodeInteger(_ m: Bignum) throws -> Bignum {
        guard !m.isNegative, m < publicKey.n else { throw PaillierError.plaintextOutOfRange }
        if m <= maxMagnitude { return m }
        if m >= publicKey.n - maxMagnitude { return m - publicKey.n }
        throw PaillierError.overflow("decrypted value is in the overflow band: a result left ±(⌊n/3⌋ − 1)")
    }

    /// The real value v / 2^fractionBits of a plaintext (nearest `Double`, truncated beyond 53 bits).
    public func decode(_ m: Bignum) throws -> Double {
        let v = try decodeInteger(m)
        return Self.unscaled(v, bits: fractionBits)
    }

    static func unscaled(_ v: Bignum, bits: Int) -> Double {
        // Shift large values down first so the Double conversion keeps its 53 significant bits.
        let excess = max(0, v.magnitude.bitWidth - 1000)
        let shifted = excess > 0 ? (v.isNegative ? -(v.magnitude >> excess) : v >> excess) : v
        return shifted.doubleValue * Double(sign: .plus, exponent: excess - bits, significand: 1)
    }
}

/// Many signed slots in one plaintext, with headroom so that sums of up to `maxSummands` packed
/// plaintexts unpack exactly (BatchCrypt-style; `Specs/paillier.md`, "Packed slots").
///
/// Slot width s = valueBits + ⌈log₂ maxSummands⌉; slots per plaintext k = ⌊(|n| − 2)/s⌋. A slot holds a
/// signed integer in [−2^(valueBits−1), 2^(valueBits−1)) (e.g. a 16-bit fixed-point model weight).
public struct PackedEncoder: Sendable {
    public let publicKey: PaillierPublicKey
    public let valueBits: Int
    public let maxSummands: Int
    /// s.
    public let slotBits: Int
    /// k.
    public let slotCount: Int

    /// - Throws: ``PaillierError/invalidEncoding(_:)`` unless 2 ≤ valueBits, 1 ≤ maxSummands, s ≤ 62 and
    ///   at least one slot fits.
    public init(publicKey: PaillierPublicKey, valueBits: Int, maxSummands: Int) throws {
        guard valueBits >= 2 else { throw PaillierError.invalidEncoding("valueBits must be ≥ 2") }
        guard maxSummands >= 1 else { throw PaillierError.invalidEncoding("maxSummands must be ≥ 1") }
        let headroom = Int.bitWidth - (maxSummands - 1).leadingZeroBitCount  // ⌈log₂ N⌉
        let slotBits = valueBits + headroom
        guard slotBits <= 62 else {
            throw PaillierError.invalidEncoding("slot width \(slotBits) bits exceeds 62")
        }
        let slotCount = (publicKey.bits - 2) / slotBits
        guard slotCount >= 1 else { throw PaillierError.invalidEncoding("no slot fits in \(publicKey.bits) bits") }
        self.publicKey = publicKey
        self.valueBits = valueBits
        self.maxSummands = maxSummands
        self.slotBits = slotBits
        self.slotCount = slotCount
    }

    /// Smallest and largest slot value accepted by ``pack(_:)``.
    public var valueRange: ClosedRange<Int> { -(1 << (valueBits - 1))...((1 << (valueBits - 1)) - 1) }

    /// The plaintext Σ vᵢ · 2^(s·i) mod n for up to k values (missing slots are 0).
    /// - Throws: ``PaillierError/overflow(_:)`` for a value outside ``valueRange`` or more than k values.
    public func pack(_ values: [Int]) throws -> Bignum {
        guard values.count <= slotCount else {
            throw PaillierError.overflow("\(values.count) values exceed the \(slotCount) slots of a plaintext")
        }
        let range = valueRange
        var total = Bignum()
        for (i, v) in values.enumerated().reversed() {
            guard range.contains(v) else {
                throw PaillierError.overflow("slot \(i) value \(v) is outside \(range.lowerBound)…\(range.upperBound)")
            }
            total = (total << slotBits) + Bignum(v)
        }
        // Horner from the top slot down leaves slot 0 in the low bits; negative totals wrap mod n.
        return try total.modulo(publicKey.n)
    }

    /// The k slot values of a plaintext that is a sum of at most `maxSummands` packed plaintexts.
    /// - Throws: ``PaillierError/plaintextOutOfRange``; ``PaillierError/overflow(_:)`` when the plaintext is
    ///   not a signed-digit sum of k slots (e.g. more summands than the headroom allows).
    public func unpack(_ m: Bignum) throws -> [Int] {
        guard !m.isNegative, m < publicKey.n else { throw PaillierError.plaintextOutOfRange }
        let half = publicKey.n >> 1
        var rest = m > half ? m - publicKey.n : m
        let modulus = Bignum(1) << slotBits
        let halfSlot = 1 << (slotBits - 1)
        var slots: [Int] = []
        slots.reserveCapacity(slotCount)
        for _ in 0..<slotCount {
            guard let r = try rest.modulo(modulus).exactInt else { throw PaillierError.overflow("slot decode") }
            let digit = r >= halfSlot ? r - (1 << slotBits) : r
            rest = (rest - Bignum(digit)) >> slotBits
            slots.append(digit)
        }
        guard rest.isZero else {
            throw PaillierError.overflow("packed plaintext does not fit \(slotCount) slots of \(slotBits) bits")
        }
        return slots
    }
}

/// A packed ciphertext that counts its summands, so a sum can never silently exceed the headroom the
/// encoder reserved: ``PackedEncoder/add(_:_:)`` refuses to go past `maxSummands`.
public struct PackedCiphertext: Sendable, Equatable {
    public let ciphertext: PaillierCiphertext
    /// How many packed plaintexts this ciphertext sums (1 for a fresh encryption).
    public let summands: Int

    public init(ciphertext: PaillierCiphertext, summands: Int = 1) {
        self.ciphertext = ciphertext
        self.summands = summands
    }
}

extension PackedEncoder {
    /// Packs and encrypts up to k values.
    public func encrypt(_ values: [Int], using encryptor: PaillierEncryptor, rng: inout some RandomSource) throws
        -> PackedCiphertext
    {
        guard encryptor.publicKey == publicKey else { throw PaillierError.keyMismatch }
        return PackedCiphertext(ciphertext: try encryptor.encrypt(pack(values), using: &rng))
    }

    /// The homomorphic sum, slot by slot.
    /// - Throws: ``PaillierError/overflow(_:)`` when the sum would hold more than `maxSummands` summands.
    public func add(_ a: PackedCiphertext, _ b: PackedCiphertext) throws -> PackedCiphertext {
        let total = a.summands + b.summands
        guard a.summands >= 1, b.summands >= 1, total <= maxSummands else {
            throw PaillierError.overflow("a sum of \(total) packed ciphertexts exceeds the headroom for \(maxSummands)")
        }
        return PackedCiphertext(ciphertext: try publicKey.add(a.ciphertext, b.ciphertext), summands: total)
    }

    /// Decrypts and unpacks the k slot sums.
    /// - Throws: ``PaillierError/overflow(_:)`` for more summands than the headroom allows.
    public func decrypt(_ c: PackedCiphertext, with key: PaillierPrivateKey) throws -> [Int] {
        guard c.summands >= 1, c.summands <= maxSummands else {
            throw PaillierError.overflow("\(c.summands) summands exceed the headroom for \(maxSummands)")
        }
        return try unpack(key.decrypt(c.ciphertext))
    }
}
