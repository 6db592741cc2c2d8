internal import CGMP

extension Bignum {
    /// (self · other) mod modulus in [0, modulus), without a separate product value.
    /// - Throws: ``BignumError/invalidModulus(_:)`` for a modulus ≤ 0.
    public func multiplied(by other: Bignum, modulo modulus: Bignum) throws -> Bignum {
        guard modulus.signum > 0 else { throw BignumError.invalidModulus("modulus must be positive") }
        return Bignum.make { result in
            __gmpz_mul(result, pointer, other.pointer)
            __gmpz_mod(result, result, modulus.pointer)
        }
    }

    /// The integer value of a `Double` that is a finite whole number; nil otherwise.
    public init?(exactly value: Double) {
        guard value.isFinite, value.rounded(.towardZero) == value else { return nil }
        self.init()
        __gmpz_set_d(storage.value, value)  // exact for integral doubles
    }

    /// The nearest `Double` (round half to even, like Python's `float(int)`); ±infinity beyond the range.
    public var doubleValue: Double {
        let magnitude = self.magnitude
        let bits = magnitude.bitWidth
        guard bits > 53 else { return __gmpz_get_d(pointer) }  // exact
        // Keep 54 bits (53 + a rounding bit); the rest only matters as a sticky bit.
        let dropped = bits - 54
        guard let top = (magnitude >> dropped).exactUInt64 else { return .nan }
        let sticky = Int(__gmpz_scan1(magnitude.pointer, 0)) < dropped
        var kept = top >> 1
        if top & 1 == 1 && (sticky || kept & 1 == 1) { kept += 1 }
        let result = Double(kept) * Double(sign: .plus, exponent: dropped + 1, significand: 1)
        return isNegative ? -result : result
    }
}

extension Bignum {
    /// Bitwise OR (two's complement semantics for negative values, as GMP `mpz_ior`).
    public static func | (lhs: Bignum, rhs: Bignum) -> Bignum { make { __gmpz_ior($0, lhs.pointer, rhs.pointer) } }

    /// Bitwise AND (two's complement semantics for negative values, as GMP `mpz_and`).
    public static func & (lhs: Bignum, rhs: Bignum) -> Bignum { make { __gmpz_and($0, lhs.pointer, rhs.pointer) } }
}
