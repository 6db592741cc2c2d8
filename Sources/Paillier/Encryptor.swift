public import Bignum
public import CryptoPrimitives

/// Fast Paillier encryption (Damgård–Jurik–Nielsen): the randomizer is hs^α for a fixed hs = hⁿ mod n²
/// and a short exponent α of ⌈|n|/2⌉ bits, computed from a fixed-base window table, so one encryption
/// costs ⌈|n|/2⌉/w modular multiplications instead of a |n|-bit exponentiation.
///
/// Security: DCRA plus the short-exponent indistinguishability assumption stated in
/// `Specs/paillier.md`; ``PaillierPublicKey/encrypt(_:using:)`` is the classic path that needs only DCRA.
/// The table (≈ 9.6 MB at 2048 bits with w = 7) is immutable, so one encryptor can be shared by threads.
public final class PaillierEncryptor: Sendable {
    public let publicKey: PaillierPublicKey
    /// hs = hⁿ mod n².
    public let hs: Bignum
    /// Bits of α: ⌈|n|/2⌉.
    public let exponentBits: Int
    /// Window width w of the table.
    public let window: Int
    /// table[i][j] = hs^(j · 2^(w·i)) mod n².
    private let table: [[Bignum]]

    /// Draws x ∈ Z*_n, sets h = −x² mod n and hs = hⁿ mod n², and builds the table.
    /// - Throws: ``PaillierError/invalidEncoding(_:)`` for a window outside 1 … 12; errors of `rng`.
    public convenience init(publicKey: PaillierPublicKey, window: Int = 7, using rng: inout some RandomSource) throws {
        let x = try publicKey.randomUnit(using: &rng)
        let h = try (publicKey.n - (x * x).modulo(publicKey.n)).modulo(publicKey.n)
        try self.init(publicKey: publicKey, hs: h.powm(publicKey.n, modulus: publicKey.nSquared), window: window)
    }

    /// An encryptor for a given hs (known-answer tests, or sharing one hs among parties).
    /// - Throws: ``PaillierError/invalidCiphertext(_:)`` unless hs ∈ Z*_{n²}.
    public init(publicKey: PaillierPublicKey, hs: Bignum, window: Int = 7) throws {
        guard (1...12).contains(window) else { throw PaillierError.invalidEncoding("window must be 1…12") }
        _ = try PaillierCiphertext(hs, publicKey: publicKey)  // hs must be a unit mod n²
        self.publicKey = publicKey
        self.hs = hs
        self.window = window
        exponentBits = (publicKey.bits + 1) / 2
        let windows = (exponentBits + window - 1) / window
        let n2 = publicKey.nSquared
        var rows: [[Bignum]] = []
        rows.reserveCapacity(windows)
        var base = hs  // hs^(2^(w·i))
        for _ in 0..<windows {
            var row = [Bignum(1)]
            row.reserveCapacity(1 << window)
            for _ in 1..<(1 << window) { row.append(try row[row.count - 1].multiplied(by: base, modulo: n2)) }
            base = try row[row.count - 1].multiplied(by: base, modulo: n2)  // base^(2^w)
            rows.append(row)
        }
        table = rows
    }

    /// hs^α mod n² from the table.
    public func randomizer(exponent alpha: Bignum) throws -> Bignum {
        guard !alpha.isNegative, alpha.bitWidth <= exponentBits else {
            throw PaillierError.invalidEncoding("randomizer exponent must have at most \(exponentBits) bits")
        }
        let n2 = publicKey.nSquared
        var acc: Bignum? = nil
        let mask = (1 << window) - 1
        for (i, row) in table.enumerated() {
            var digit = 0
            for b in 0..<window where alpha.testBit(i * window + b) { digit |= 1 << b }
            digit &= mask
            guard digit != 0 else { continue }
            acc = try acc.map { try $0.multiplied(by: row[digit], modulo: n2) } ?? row[digit]
        }
        return acc ?? Bignum(1)
    }

    /// Enc(m) = (1 + m·n) · hs^α mod n² with α = random(bits: ⌈|n|/2⌉) from `rng`.
    /// - Throws: ``PaillierError/plaintextOutOfRange``; errors of `rng`.
    public func encrypt(_ m: Bignum, using rng: inout some RandomSource) throws -> PaillierCiphertext {
        let gm = try publicKey.plaintextFactor(m)
        let alpha = try Bignum.random(bits: exponentBits, using: &rng)
        let value = try gm.multiplied(by: randomizer(exponent: alpha), modulo: publicKey.nSquared)
        return PaillierCiphertext(unchecked: value, key: publicKey)
    }

    /// The same plaintext under a fresh fast randomizer.
    public func rerandomize(_ c: PaillierCiphertext, using rng: inout some RandomSource) throws -> PaillierCiphertext {
        try publicKey.checkKey(c)
        let alpha = try Bignum.random(bits: exponentBits, using: &rng)
        return PaillierCiphertext(
            unchecked: try c.value.multiplied(by: randomizer(exponent: alpha), modulo: publicKey.nSquared),
            key: publicKey)
    }
}
