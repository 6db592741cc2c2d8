internal import CGMP

/// An arbitrary-precision signed integer over GMP's `mpz_t`, with value semantics.
///
/// Copy on write: copies share storage until one is mutated. Storage is cleared and freed when the
/// last copy goes away, and GMP's allocator is set to wipe every block it frees or moves, so secret
/// values are zeroed before their memory is released (`Specs/bignum.md`).
///
/// Operations that cannot fail on valid values are operators (`+`, `-`, `*`, `<<`); those with a
/// domain (division, modular arithmetic, conversions) throw ``BignumError``.
public struct Bignum: Sendable {
    internal var storage: Storage

    internal init(storage: Storage) { self.storage = storage }

    /// Zero.
    public init() { storage = Storage() }

    /// The value of a machine integer.
    public init(_ value: Int) {
        storage = Storage()
        __gmpz_set_si(storage.value, value)
    }

    /// The value of an unsigned machine integer.
    public init(_ value: UInt64) {
        storage = Storage()
        __gmpz_set_ui(storage.value, UInt(value))
    }

    /// Runs `body` on a fresh result value and returns it.
    @inline(__always)
    internal static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> Bignum {
        let result = Storage()
        body(result.value)
        return Bignum(storage: result)
    }

    /// Makes the storage unique before a mutation.
    internal mutating func uniqueValue() -> UnsafeMutablePointer<__mpz_struct> {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage.value
    }

    internal var pointer: UnsafePointer<__mpz_struct> { UnsafePointer(storage.value) }

    // MARK: Properties

    /// −1, 0 or 1.
    public var signum: Int { Int(cgmp_sgn(pointer)) }
    public var isZero: Bool { signum == 0 }
    public var isNegative: Bool { signum < 0 }
    public var isOdd: Bool { cgmp_odd_p(pointer) != 0 }

    /// Number of bits in |self| (0 for zero).
    public var bitWidth: Int { isZero ? 0 : Int(__gmpz_sizeinbase(pointer, 2)) }

    /// Number of bytes of the unsigned big-endian encoding of |self| (0 for zero).
    public var byteCount: Int { (bitWidth + 7) / 8 }

    /// Whether bit `index` of |self| is set.
    public func testBit(_ index: Int) -> Bool {
        precondition(index >= 0, "bit index must be non-negative")
        return __gmpz_tstbit(pointer, UInt(index)) != 0
    }

    /// |self|.
    public var magnitude: Bignum { Bignum.make { __gmpz_abs($0, pointer) } }

    // MARK: Arithmetic that cannot fail

    public static func + (lhs: Bignum, rhs: Bignum) -> Bignum { make { __gmpz_add($0, lhs.pointer, rhs.pointer) } }
    public static func - (lhs: Bignum, rhs: Bignum) -> Bignum { make { __gmpz_sub($0, lhs.pointer, rhs.pointer) } }
    public static func * (lhs: Bignum, rhs: Bignum) -> Bignum { make { __gmpz_mul($0, lhs.pointer, rhs.pointer) } }
    public static prefix func - (value: Bignum) -> Bignum { make { __gmpz_neg($0, value.pointer) } }

    public static func += (lhs: inout Bignum, rhs: Bignum) {
        let r = rhs.pointer
        __gmpz_add(lhs.uniqueValue(), lhs.pointer, r)
    }

    public static func -= (lhs: inout Bignum, rhs: Bignum) {
        let r = rhs.pointer
        __gmpz_sub(lhs.uniqueValue(), lhs.pointer, r)
    }

    public static func *= (lhs: inout Bignum, rhs: Bignum) {
        let r = rhs.pointer
        __gmpz_mul(lhs.uniqueValue(), lhs.pointer, r)
    }

    /// self · 2^shift.
    public static func << (lhs: Bignum, shift: Int) -> Bignum {
        precondition(shift >= 0, "shift must be non-negative")
        return make { __gmpz_mul_2exp($0, lhs.pointer, UInt(shift)) }
    }

    /// ⌊self / 2^shift⌋ (rounding towards −∞).
    public static func >> (lhs: Bignum, shift: Int) -> Bignum {
        precondition(shift >= 0, "shift must be non-negative")
        return make { __gmpz_fdiv_q_2exp($0, lhs.pointer, UInt(shift)) }
    }

    // MARK: Division

    /// Quotient rounded towards zero and remainder with the sign of `self`, as for Swift's `Int`.
    /// - Throws: ``BignumError/divisionByZero``.
    public func quotientAndRemainder(dividingBy divisor: Bignum) throws -> (quotient: Bignum, remainder: Bignum) {
        guard !divisor.isZero else { throw BignumError.divisionByZero }
        let q = Storage(), r = Storage()
        __gmpz_tdiv_qr(q.value, r.value, pointer, divisor.pointer)
        return (Bignum(storage: q), Bignum(storage: r))
    }

    /// self mod |modulus|, always in [0, |modulus|).
    /// - Throws: ``BignumError/divisionByZero``.
    public func modulo(_ modulus: Bignum) throws -> Bignum {
        guard !modulus.isZero else { throw BignumError.divisionByZero }
        return Bignum.make { __gmpz_mod($0, pointer, modulus.pointer) }
    }

    /// Whether `divisor` divides `self` exactly.
    public func isDivisible(by divisor: Bignum) -> Bool {
        __gmpz_divisible_p(pointer, divisor.pointer) != 0
    }

    /// self / divisor when the division is known to be exact (faster than general division).
    /// - Throws: ``BignumError/divisionByZero``, ``BignumError/invalidArgument(_:)`` if not exact.
    public func dividedExactly(by divisor: Bignum) throws -> Bignum {
        guard !divisor.isZero else { throw BignumError.divisionByZero }
        guard isDivisible(by: divisor) else { throw BignumError.invalidArgument("division is not exact") }
        return Bignum.make { __gmpz_divexact($0, pointer, divisor.pointer) }
    }

    // MARK: Number theory

    /// Greatest common divisor (non-negative).
    public static func gcd(_ a: Bignum, _ b: Bignum) -> Bignum { make { __gmpz_gcd($0, a.pointer, b.pointer) } }

    /// Least common multiple (non-negative).
    public static func lcm(_ a: Bignum, _ b: Bignum) -> Bignum { make { __gmpz_lcm($0, a.pointer, b.pointer) } }

    /// ⌊√self⌋ for self ≥ 0.
    /// - Throws: ``BignumError/invalidArgument(_:)`` for a negative value.
    public func squareRoot() throws -> Bignum {
        guard !isNegative else { throw BignumError.invalidArgument("square root of a negative number") }
        return Bignum.make { __gmpz_sqrt($0, pointer) }
    }

    /// Whether self = a^b for some integers a and b > 1 (0 and 1 count as perfect powers).
    public var isPerfectPower: Bool { __gmpz_perfect_power_p(pointer) != 0 }

    /// The inverse of self modulo `modulus`, in [0, modulus).
    /// - Throws: ``BignumError/invalidModulus(_:)`` for modulus ≤ 1, ``BignumError/notInvertible``.
    public func inverse(modulo modulus: Bignum) throws -> Bignum {
        guard modulus.signum > 0, modulus != Bignum(1) else {
            throw BignumError.invalidModulus("inverse needs a modulus > 1")
        }
        let result = Storage()
        guard __gmpz_invert(result.value, pointer, modulus.pointer) != 0 else { throw BignumError.notInvertible }
        return Bignum(storage: result)
    }

    /// self^exponent mod modulus (variable time: for public exponents only).
    ///
    /// A negative exponent uses the inverse of `self`.
    /// - Throws: ``BignumError/invalidModulus(_:)`` for modulus ≤ 0, ``BignumError/notInvertible``.
    public func powm(_ exponent: Bignum, modulus: Bignum) throws -> Bignum {
        guard modulus.signum > 0 else { throw BignumError.invalidModulus("modulus must be positive") }
        if exponent.isNegative {
            if modulus == Bignum(1) { return Bignum() }  // every value is invertible mod 1, and ≡ 0
            let inv = try inverse(modulo: modulus)
            return try inv.powm(-exponent, modulus: modulus)
        }
        return Bignum.make { __gmpz_powm($0, pointer, exponent.pointer, modulus.pointer) }
    }

    /// self^exponent mod modulus in time independent of the exponent's value (GMP `mpz_powm_sec`).
    ///
    /// Security: constant time in `exponent` (for a fixed exponent size) and in `self`; use it for every
    /// secret exponent. The modulus must be odd, the exponent non-negative.
    /// - Throws: ``BignumError/invalidModulus(_:)`` for an even or non-positive modulus,
    ///   ``BignumError/invalidArgument(_:)`` for a negative exponent.
    public func powmSecret(_ exponent: Bignum, modulus: Bignum) throws -> Bignum {
        guard modulus.signum > 0, modulus.isOdd else {
            throw BignumError.invalidModulus("constant-time exponentiation needs an odd positive modulus")
        }
        guard !exponent.isNegative else {
            throw BignumError.invalidArgument("constant-time exponentiation needs a non-negative exponent")
        }
        if exponent.isZero { return try Bignum(1).modulo(modulus) }
        return Bignum.make { __gmpz_powm_sec($0, pointer, exponent.pointer, modulus.pointer) }
    }

    /// The Jacobi symbol (self / n) for odd positive n: −1, 0 or 1.
    /// - Throws: ``BignumError/invalidModulus(_:)`` when n is not odd and positive.
    public func jacobi(_ n: Bignum) throws -> Int {
        guard n.signum > 0, n.isOdd else { throw BignumError.invalidModulus("Jacobi symbol needs an odd positive n") }
        return Int(__gmpz_jacobi(pointer, n.pointer))
    }

    /// Combines residues by the Chinese remainder theorem: the unique x in [0, Π mᵢ) with x ≡ rᵢ (mod mᵢ).
    /// - Throws: ``BignumError/invalidArgument(_:)`` for mismatched or empty lists, moduli ≤ 1, or moduli
    ///   that are not pairwise coprime.
    public static func crt(residues: [Bignum], moduli: [Bignum]) throws -> Bignum {
        guard !residues.isEmpty, residues.count == moduli.count else {
            throw BignumError.invalidArgument("CRT needs as many residues as moduli (at least one)")
        }
        var x = Bignum()
        var m = Bignum(1)
        for (r, mi) in zip(residues, moduli) {
            guard mi > Bignum(1) else { throw BignumError.invalidArgument("CRT modulus must be > 1") }
            guard gcd(m, mi) == Bignum(1) else { throw BignumError.invalidArgument("CRT moduli are not coprime") }
            // x' = x + m · ((r − x) · m⁻¹ mod mᵢ)
            let t = try ((r - x) * m.inverse(modulo: mi)).modulo(mi)
            x = x + m * t
            m = m * mi
        }
        return try x.modulo(m)
    }

    /// Probable-prime test: trial division, then GMP's Baillie–PSW test followed by `rounds` − 24
    /// Miller–Rabin rounds with pseudo-random bases (`mpz_probab_prime_p`). No composite is known to pass
    /// Baillie–PSW; the extra rounds bound the error by 4^−(rounds−24) beyond it.
    public func isProbablePrime(rounds: Int = 40) -> Bool {
        guard signum > 0 else { return false }
        return __gmpz_probab_prime_p(pointer, Int32(clamping: max(rounds, 25))) != 0
    }

    /// The smallest probable prime > self.
    public func nextPrime() -> Bignum { Bignum.make { __gmpz_nextprime($0, pointer) } }
}

// MARK: - Comparison, hashing, literals

extension Bignum: Comparable, Hashable {
    public static func == (lhs: Bignum, rhs: Bignum) -> Bool { __gmpz_cmp(lhs.pointer, rhs.pointer) == 0 }
    public static func < (lhs: Bignum, rhs: Bignum) -> Bool { __gmpz_cmp(lhs.pointer, rhs.pointer) < 0 }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(signum)
        let size = Int(__gmpz_size(pointer))
        for i in 0..<size { hasher.combine(__gmpz_getlimbn(pointer, i)) }
    }
}

extension Bignum: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Bignum {
    /// The value as an `Int`, if it fits.
    public var exactInt: Int? {
        guard __gmpz_fits_slong_p(pointer) != 0 else { return nil }
        return __gmpz_get_si(pointer)
    }

    /// The value as a `UInt64`, if it fits.
    public var exactUInt64: UInt64? {
        guard !isNegative, __gmpz_fits_ulong_p(pointer) != 0 else { return nil }
        return UInt64(__gmpz_get_ui(pointer))
    }
}
