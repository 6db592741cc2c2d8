public import Bignum
public import CryptoPrimitives

/// The field a share set lives in, as the CLI and the JSON encodings name it.
public enum FieldChoice: Sendable, Equatable, CustomStringConvertible {
    /// p = 2^61 − 1 with the fast ``Mersenne61`` arithmetic.
    case mersenne61
    /// Any other prime, with ``BigPrimeField`` (Bignum) arithmetic.
    case prime(BigPrimeField)

    /// Parses `mersenne61` or a decimal prime. A decimal equal to 2^61 − 1 selects ``mersenne61``.
    /// - Throws: ``SharingError/malformedNumber(_:)`` for anything else that is not a decimal number,
    ///   ``SharingError/notPrime(_:)`` for a composite modulus or one below 3.
    public init(parsing text: String) throws {
        if text == "mersenne61" {
            self = .mersenne61
            return
        }
        guard let modulus = try? Bignum(decimal: text) else { throw SharingError.malformedNumber(text) }
        try self.init(modulus: modulus)
    }

    /// The field with modulus `modulus`.
    /// - Throws: ``SharingError/notPrime(_:)`` unless `modulus` is a prime ≥ 3.
    public init(modulus: Bignum) throws {
        if modulus == Bignum(Mersenne61.prime) {
            self = .mersenne61
        } else {
            self = .prime(try BigPrimeField(modulus: modulus))
        }
    }

    public var modulus: Bignum {
        switch self {
        case .mersenne61: return Bignum(Mersenne61.prime)
        case .prime(let field): return field.modulus
        }
    }

    public var description: String {
        switch self {
        case .mersenne61: return "mersenne61"
        case .prime(let field): return field.modulus.description
        }
    }

    /// The largest share index the field allows (p − 1, capped at `Int.max`).
    var maximumShareCount: Int {
        (modulus - Bignum(1)).exactInt ?? Int.max
    }
}

/// The interchange form of Shamir shares (`Specs/secret-sharing.md`, "Share set encoding"):
/// `{"modulus":"<decimal>","threshold":t,"shares":[{"index":i,"values":["<decimal>",…]},…]}`.
///
/// A set may hold any subset of the shares (one holder's file holds one); ``merging(_:)`` joins sets from
/// different holders and rejects sets from different fields or thresholds. Decoding checks only the JSON
/// shape and the decimal strings; ``combine()`` validates everything else (field, indices, lengths, ranges)
/// and throws a ``SharingError`` naming the first problem.
public struct ShamirShareSet: Sendable, Equatable, Codable {
    public struct Share: Sendable, Equatable, Codable {
        public var index: Int
        public var values: [Bignum]

        public init(index: Int, values: [Bignum]) {
            self.index = index
            self.values = values
        }
    }

    public var modulus: Bignum
    public var threshold: Int
    public var shares: [Share]

    public init(modulus: Bignum, threshold: Int, shares: [Share]) {
        self.modulus = modulus
        self.threshold = threshold
        self.shares = shares
    }

    /// Splits `secrets` with fresh randomness from `rng` and returns all n shares.
    /// - Throws: as ``Shamir/init(field:threshold:shareCount:)`` and ``Shamir/split(_:using:)``;
    ///   ``SharingError/valueOutOfRange(what:modulus:)`` for a secret outside [0, p).
    public static func split(
        secrets: [Bignum], field: FieldChoice, threshold: Int, shareCount: Int,
        using rng: inout some RandomSource
    ) throws -> ShamirShareSet {
        switch field {
        case .mersenne61:
            return try split(secrets: secrets, in: Mersenne61(), threshold: threshold, shareCount: shareCount, using: &rng)
        case .prime(let prime):
            return try split(secrets: secrets, in: prime, threshold: threshold, shareCount: shareCount, using: &rng)
        }
    }

    private static func split<F: PrimeField>(
        secrets: [Bignum], in field: F, threshold: Int, shareCount: Int, using rng: inout some RandomSource
    ) throws -> ShamirShareSet {
        let shamir = try Shamir(field: field, threshold: threshold, shareCount: shareCount)
        let elements = try secrets.enumerated().map { j, s in
            guard !s.isNegative, s < field.modulus else {
                throw SharingError.valueOutOfRange(what: "secret \(j)", modulus: field.modulus.description)
            }
            return try field.element(s)
        }
        let shares = try shamir.split(elements, using: &rng)
        return ShamirShareSet(
            modulus: field.modulus, threshold: threshold,
            shares: shares.map { Share(index: $0.index, values: $0.values.map(field.bignum)) })
    }

    /// Joins share sets (e.g. one file per holder) into one.
    /// - Throws: ``SharingError/notEnoughShares(needed:got:)`` for no sets,
    ///   ``SharingError/modulusMismatch(expected:actual:)`` when the sets name different fields,
    ///   ``SharingError/thresholdMismatch(expected:actual:)`` when they name different thresholds.
    public static func merging(_ sets: [ShamirShareSet]) throws -> ShamirShareSet {
        guard var merged = sets.first else { throw SharingError.notEnoughShares(needed: 1, got: 0) }
        for set in sets.dropFirst() {
            guard set.modulus == merged.modulus else {
                throw SharingError.modulusMismatch(expected: merged.modulus.description, actual: set.modulus.description)
            }
            guard set.threshold == merged.threshold else {
                throw SharingError.thresholdMismatch(expected: merged.threshold, actual: set.threshold)
            }
            merged.shares += set.shares
        }
        return merged
    }

    /// Reconstructs the secrets (the first `threshold` shares are used after all are validated).
    /// - Throws: ``SharingError/notPrime(_:)`` for a modulus that is not a prime ≥ 3,
    ///   ``SharingError/invalidThreshold(threshold:shareCount:)`` for a threshold < 1, and every error of
    ///   ``Shamir/combine(_:)``; never returns a value from inconsistent shares.
    public func combine() throws -> [Bignum] {
        let field = try FieldChoice(modulus: modulus)
        switch field {
        case .mersenne61: return try combine(in: Mersenne61(), maximumShareCount: field.maximumShareCount)
        case .prime(let prime): return try combine(in: prime, maximumShareCount: field.maximumShareCount)
        }
    }

    private func combine<F: PrimeField>(in field: F, maximumShareCount: Int) throws -> [Bignum] {
        guard threshold >= 1, threshold <= maximumShareCount else {
            throw SharingError.invalidThreshold(threshold: threshold, shareCount: maximumShareCount)
        }
        let shamir = try Shamir(field: field, threshold: threshold, shareCount: maximumShareCount)
        // The same order of checks as Shamir.validate: count, indices, lengths, then values.
        guard shares.count >= threshold else {
            throw SharingError.notEnoughShares(needed: threshold, got: shares.count)
        }
        try shamir.validate(indices: shares.map(\.index))
        let length = shares[0].values.count
        guard length > 0 else { throw SharingError.emptySecrets }
        for share in shares where share.values.count != length {
            throw SharingError.vectorLengthMismatch(index: share.index, expected: length, actual: share.values.count)
        }
        let converted = try shares.map { share in
            try ShamirShare(
                index: share.index,
                values: share.values.enumerated().map { j, v in
                    guard !v.isNegative, v < field.modulus else {
                        throw SharingError.valueOutOfRange(
                            what: "share \(share.index) value \(j)", modulus: field.modulus.description)
                    }
                    return try field.element(v)
                })
        }
        return try shamir.combine(converted).map(field.bignum)
    }
}
