/// Every failure of secret sharing: invalid parameters, malformed or inconsistent shares.
public enum SharingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Threshold outside 1…shareCount.
    case invalidThreshold(threshold: Int, shareCount: Int)
    /// More shares requested than the field has non-zero indices (n must be < p).
    case tooManyShares(shareCount: Int, modulus: String)
    /// Share index 0 is the secret itself and is never a share.
    case shareIndexZero
    /// A share index is negative or beyond the largest allowed (the field size − 1 or the share count).
    case shareIndexOutOfRange(index: Int, maximum: String)
    /// The same index appears twice among the shares given.
    case duplicateShareIndex(Int)
    /// Fewer shares than the threshold.
    case notEnoughShares(needed: Int, got: Int)
    /// A share's vector length differs from the others'.
    case vectorLengthMismatch(index: Int, expected: Int, actual: Int)
    /// A secret or share value is not in [0, modulus).
    case valueOutOfRange(what: String, modulus: String)
    /// Shares, secrets or parameters come from different fields or groups.
    case modulusMismatch(expected: String, actual: String)
    /// Share sets to be merged name different thresholds.
    case thresholdMismatch(expected: Int, actual: Int)
    /// A field modulus that is not prime (or < 3).
    case notPrime(String)
    /// Nothing to share.
    case emptySecrets
    /// Fewer than two parties for additive sharing, or share vectors of different counts.
    case invalidPartyCount(Int)
    /// A Feldman share does not satisfy g^share = Π C_k^(i^k).
    case shareDoesNotMatchCommitments(index: Int)
    /// Group parameters (p, q, g) or a commitment failed validation; the text says which check.
    case invalidGroup(String)
    /// A number in a text encoding could not be parsed.
    case malformedNumber(String)

    public var description: String {
        switch self {
        case .invalidThreshold(let t, let n):
            return "threshold \(t) is invalid for \(n) shares (need 1 ≤ threshold ≤ shares)"
        case .tooManyShares(let n, let p):
            return "\(n) shares need \(n) distinct non-zero indices below the modulus \(p)"
        case .shareIndexZero:
            return "share index 0 is not allowed (index 0 is the secret)"
        case .shareIndexOutOfRange(let i, let maximum):
            return "share index \(i) is out of range 1...\(maximum)"
        case .duplicateShareIndex(let i):
            return "share index \(i) appears more than once"
        case .notEnoughShares(let needed, let got):
            return "need at least \(needed) shares, got \(got)"
        case .vectorLengthMismatch(let i, let expected, let actual):
            return "share \(i) holds \(actual) values, expected \(expected)"
        case .valueOutOfRange(let what, let p):
            return "\(what) is not in [0, \(p))"
        case .modulusMismatch(let expected, let actual):
            return "modulus mismatch: expected \(expected), got \(actual)"
        case .thresholdMismatch(let expected, let actual):
            return "threshold mismatch: expected \(expected), got \(actual)"
        case .notPrime(let p):
            return "modulus \(p.count > 60 ? String(p.prefix(60)) + "…" : p) is not prime"
        case .emptySecrets:
            return "no secrets to share"
        case .invalidPartyCount(let n):
            return "additive sharing needs at least 2 parties and equal share counts, got \(n)"
        case .shareDoesNotMatchCommitments(let i):
            return "share \(i) does not match the dealer's commitments"
        case .invalidGroup(let why):
            return "invalid group: \(why)"
        case .malformedNumber(let text):
            return "malformed number \"\(text.prefix(40))\""
        }
    }

    /// A stable name for the case (used by the known-answer vector files' `error` fields).
    public var name: String {
        switch self {
        case .invalidThreshold: return "invalidThreshold"
        case .tooManyShares: return "tooManyShares"
        case .shareIndexZero: return "shareIndexZero"
        case .shareIndexOutOfRange: return "shareIndexOutOfRange"
        case .duplicateShareIndex: return "duplicateShareIndex"
        case .notEnoughShares: return "notEnoughShares"
        case .vectorLengthMismatch: return "vectorLengthMismatch"
        case .valueOutOfRange: return "valueOutOfRange"
        case .modulusMismatch: return "modulusMismatch"
        case .thresholdMismatch: return "thresholdMismatch"
        case .notPrime: return "notPrime"
        case .emptySecrets: return "emptySecrets"
        case .invalidPartyCount: return "invalidPartyCount"
        case .shareDoesNotMatchCommitments: return "shareDoesNotMatchCommitments"
        case .invalidGroup: return "invalidGroup"
        case .malformedNumber: return "malformedNumber"
        }
    }
}
