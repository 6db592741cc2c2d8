import Bignum
public import CryptoPrimitives

/// One Shamir share: the evaluation at x = `index` of each of the dealer's polynomials.
public struct ShamirShare<Element: Sendable & Equatable>: Sendable, Equatable {
    /// The evaluation point x ∈ 1 … n.
    public var index: Int
    /// One value per shared secret.
    public var values: [Element]

    public init(index: Int, values: [Element]) {
        self.index = index
        self.values = values
    }
}

/// Shamir t-of-n secret sharing over a prime field, for one secret or a vector of secrets in one call.
///
/// Any `threshold` shares reconstruct; fewer reveal nothing about the secrets. Randomness is consumed in
/// the order `Specs/secret-sharing.md` fixes, so ``HmacDrbg``-driven splits match the known-answer
/// vectors. Parameters are validated once in `init`.
///
/// ```swift
/// let shamir = try Shamir(field: Mersenne61(), threshold: 3, shareCount: 5)
/// let shares = try shamir.split(secrets, using: &rng)
/// let back = try shamir.combine(Array(shares.prefix(3)))
/// ```
public struct Shamir<Field: PrimeField>: Sendable {
    public let field: Field
    public let threshold: Int
    public let shareCount: Int

    /// - Throws: ``SharingError/invalidThreshold(threshold:shareCount:)`` unless 1 ≤ t ≤ n;
    ///   ``SharingError/tooManyShares(shareCount:modulus:)`` unless n < p.
    public init(field: Field, threshold: Int, shareCount: Int) throws {
        guard threshold >= 1, threshold <= shareCount else {
            throw SharingError.invalidThreshold(threshold: threshold, shareCount: shareCount)
        }
        guard Bignum(shareCount) < field.modulus else {
            throw SharingError.tooManyShares(shareCount: shareCount, modulus: field.modulus.description)
        }
        self.field = field
        self.threshold = threshold
        self.shareCount = shareCount
    }

    /// Splits a vector of secrets into `shareCount` share vectors (indices 1 … n, in order).
    /// - Throws: ``SharingError/emptySecrets``, ``SharingError/valueOutOfRange(what:modulus:)`` for a secret
    ///   not in [0, p); errors of `rng`.
    ///
    /// Inlinable (like ``combine(_:)`` and ``validate(_:)``) so that a caller with a concrete field gets a
    /// specialised copy: the per-element range checks then compile to a tight loop, not generic calls.
    @inlinable
    public func split(_ secrets: [Field.Element], using rng: inout some RandomSource) throws
        -> [ShamirShare<Field.Element>]
    {
        guard !secrets.isEmpty else { throw SharingError.emptySecrets }
        for (j, s) in secrets.enumerated() where !field.isValid(s) {
            throw outOfRange("secret \(j)")
        }
        let length = secrets.count
        var coefficients = secrets
        coefficients.reserveCapacity(threshold * length)
        for _ in 1..<threshold {
            coefficients += try field.randomElements(count: length, using: &rng)
        }
        let points = try (1...shareCount).map { try field.element(small: UInt64($0)) }
        let values = field.evaluate(coefficients: coefficients, rowCount: threshold, length: length, at: points)
        return values.enumerated().map { ShamirShare(index: $0.offset + 1, values: $0.element) }
    }

    /// Splits one secret (each share holds one value).
    @inlinable
    public func split(secret: Field.Element, using rng: inout some RandomSource) throws
        -> [ShamirShare<Field.Element>]
    {
        try split([secret], using: &rng)
    }

    /// Reconstructs the secrets from at least `threshold` shares; the first `threshold` in the order
    /// given are used after all are validated.
    /// - Throws: ``SharingError/notEnoughShares(needed:got:)``, ``SharingError/shareIndexZero``,
    ///   ``SharingError/shareIndexOutOfRange(index:maximum:)``, ``SharingError/duplicateShareIndex(_:)``,
    ///   ``SharingError/vectorLengthMismatch(index:expected:actual:)``,
    ///   ``SharingError/valueOutOfRange(what:modulus:)``.
    @inlinable
    public func combine(_ shares: [ShamirShare<Field.Element>]) throws -> [Field.Element] {
        try validate(shares)
        let used = Array(shares.prefix(threshold))
        let lambdas = try lagrangeCoefficientsAtZero(indices: used.map(\.index))
        return field.linearCombination(weights: lambdas, of: used.map(\.values), length: used[0].values.count)
    }

    /// Checks a set of shares without reconstructing: enough of them, distinct in-range indices, equal
    /// lengths, canonical values.
    @inlinable
    public func validate(_ shares: [ShamirShare<Field.Element>]) throws {
        guard shares.count >= threshold else {
            throw SharingError.notEnoughShares(needed: threshold, got: shares.count)
        }
        try validate(indices: shares.map(\.index))
        let length = shares[0].values.count
        guard length > 0 else { throw SharingError.emptySecrets }
        for share in shares {
            guard share.values.count == length else {
                throw SharingError.vectorLengthMismatch(index: share.index, expected: length, actual: share.values.count)
            }
            for (j, v) in share.values.enumerated() where !field.isValid(v) {
                throw outOfRange("share \(share.index) value \(j)")
            }
        }
    }

    /// λᵢ = Π_{l≠i} x_l / (x_l − xᵢ) mod p for the given distinct indices: the weights that interpolate
    /// a polynomial at 0. Computed once per index set.
    public func lagrangeCoefficientsAtZero(indices: [Int]) throws -> [Field.Element] {
        try validate(indices: indices)
        let xs = try indices.map { try field.element(small: UInt64($0)) }
        return try xs.indices.map { i in
            var numerator = field.one, denominator = field.one
            for l in xs.indices where l != i {
                numerator = field.multiply(numerator, xs[l])
                denominator = field.multiply(denominator, field.subtract(xs[l], xs[i]))
            }
            return field.multiply(numerator, try field.inverse(denominator))
        }
    }

    /// ``SharingError/valueOutOfRange(what:modulus:)`` for `what` (out of line: it formats p as a Bignum).
    @usableFromInline
    func outOfRange(_ what: String) -> SharingError {
        SharingError.valueOutOfRange(what: what, modulus: field.modulus.description)
    }

    /// Checks share indices: each in 1 … n, no repeats.
    /// - Throws: ``SharingError/shareIndexZero``, ``SharingError/shareIndexOutOfRange(index:maximum:)``,
    ///   ``SharingError/duplicateShareIndex(_:)``.
    public func validate(indices: [Int]) throws {
        var seen = Set<Int>()
        for i in indices {
            guard i != 0 else { throw SharingError.shareIndexZero }
            guard i > 0, i <= shareCount else {
                throw SharingError.shareIndexOutOfRange(index: i, maximum: "\(shareCount)")
            }
            guard seen.insert(i).inserted else { throw SharingError.duplicateShareIndex(i) }
        }
    }
}
