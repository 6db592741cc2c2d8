public import Bignum
public import CryptoPrimitives

/// The field F_p for any prime p ≥ 3, elements as ``Bignum`` in [0, p). For keys, seeds and group
/// exponents; vectors of model weights use the much faster ``Mersenne61``.
public struct BigPrimeField: PrimeField, Equatable {
    public let modulus: Bignum

    /// - Throws: ``SharingError/notPrime(_:)`` unless `modulus` ≥ 3 is a probable prime.
    public init(modulus: Bignum) throws {
        guard modulus >= Bignum(3), modulus.isProbablePrime() else { throw SharingError.notPrime(modulus.description) }
        self.modulus = modulus
    }

    public var zero: Bignum { Bignum() }
    public var one: Bignum { Bignum(1) }

    public func isValid(_ a: Bignum) -> Bool { !a.isNegative && a < modulus }

    // Reductions cannot fail: the modulus is a validated prime ≥ 3.
    private func reduce(_ x: Bignum) -> Bignum { (try? x.modulo(modulus)) ?? Bignum() }

    public func add(_ a: Bignum, _ b: Bignum) -> Bignum {
        let s = a + b
        return s >= modulus ? s - modulus : s
    }

    public func subtract(_ a: Bignum, _ b: Bignum) -> Bignum {
        let d = a - b
        return d.isNegative ? d + modulus : d
    }

    public func multiply(_ a: Bignum, _ b: Bignum) -> Bignum { reduce(a * b) }

    public func inverse(_ a: Bignum) throws -> Bignum {
        guard isValid(a), !a.isZero else {
            throw SharingError.valueOutOfRange(what: "inverse of \(a)", modulus: "non-zero below \(modulus)")
        }
        do { return try a.inverse(modulo: modulus) } catch { throw SharingError.notPrime(modulus.description) }
    }

    public func element(_ value: Bignum) throws -> Bignum {
        guard isValid(value) else { throw SharingError.valueOutOfRange(what: "value \(value)", modulus: "\(modulus)") }
        return value
    }

    public func element(small value: UInt64) throws -> Bignum { try element(Bignum(value)) }

    public func bignum(_ a: Bignum) -> Bignum { a }

    public func randomElements(count: Int, using rng: inout some RandomSource) throws -> [Bignum] {
        try Bignum.randomVector(count: count, below: modulus, using: &rng)
    }
}
