/// Every failure of the admission phase, each naming what a caller can act on.
public enum AdmissionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Group parameters that fail a check (primality, sizes, q | p − 1, order of g).
    case invalidGroup(String)
    /// A value that should be an element of the order-q subgroup (1 < y < p, y^q ≡ 1) is not.
    case invalidElement(String)
    /// A value that should be an integer in [0, q) is not.
    case invalidScalar(String)
    /// Threshold outside 1 … n, or n < 1.
    case invalidThreshold(threshold: Int, authorityCount: Int)
    /// The client's public key is not in the authority's registry.
    case unregisteredClient
    /// A Schnorr proof of knowledge that does not verify (forged, altered, or made for another transcript).
    case invalidProof
    /// A proof, share or token made for another session.
    case sessionMismatch(expected: String, actual: String)
    /// A proof, share or token made for another round.
    case roundMismatch(expected: UInt64, actual: UInt64)
    /// A token share whose DLEQ proof fails against the authority's verification key.
    case invalidShareProof(authority: Int)
    /// A token share naming an authority index outside 1 … n.
    case unknownAuthority(Int)
    /// Two token shares from the same authority.
    case duplicateAuthority(Int)
    /// Fewer than t token shares with valid DLEQ proofs.
    case notEnoughValidShares(needed: Int, got: Int)
    /// A token (or share) issued to another client than the one presenting it.
    case tokenForAnotherClient
    /// A token whose combined value σ is not the Lagrange combination of its shares.
    case invalidToken
    /// Serialized data that cannot be read (bad version, wrong lengths, inconsistent fields).
    case malformed(String)
    /// A signature encoding of the wrong length, or with a scalar outside [0, q).
    case malformedSignature(String)
    /// The random source failed.
    case randomness(String)
    /// An arithmetic failure that valid parameters cannot cause (reported rather than trapped).
    case arithmetic(String)

    public var description: String {
        switch self {
        case .invalidGroup(let reason): "invalid admission group: \(reason)"
        case .invalidElement(let what): "\(what) is not an element of the order-q subgroup"
        case .invalidScalar(let what): "\(what) is not an integer in [0, q)"
        case .invalidThreshold(let t, let n): "threshold \(t) is not in 1 … \(n) authorities"
        case .unregisteredClient: "client public key is not registered with this authority"
        case .invalidProof: "Schnorr proof of knowledge does not verify"
        case .sessionMismatch(let e, let a): "made for session \"\(a)\", expected \"\(e)\""
        case .roundMismatch(let e, let a): "made for round \(a), expected round \(e)"
        case .invalidShareProof(let j): "token share of authority \(j) has an invalid DLEQ proof"
        case .unknownAuthority(let j): "authority index \(j) is not in 1 … n"
        case .duplicateAuthority(let j): "two token shares from authority \(j)"
        case .notEnoughValidShares(let t, let got): "only \(got) valid token shares, \(t) needed"
        case .tokenForAnotherClient: "token was issued to another client"
        case .invalidToken: "token value is not the combination of its shares"
        case .malformed(let what): "malformed admission data: \(what)"
        case .malformedSignature(let what): "malformed signature: \(what)"
        case .randomness(let what): "random source failed: \(what)"
        case .arithmetic(let what): "arithmetic failure: \(what)"
        }
    }
}

/// Runs Bignum arithmetic that valid inputs cannot make fail, mapping any error to ``AdmissionError/arithmetic(_:)``.
@inline(__always)
func arithmetic<T>(_ body: () throws -> T) throws(AdmissionError) -> T {
    do { return try body() } catch { throw AdmissionError.arithmetic("\(error)") }
}

/// Runs a random draw, mapping a failure of the source to ``AdmissionError/randomness(_:)``.
@inline(__always)
func drawing<T>(_ body: () throws -> T) throws(AdmissionError) -> T {
    do { return try body() } catch { throw AdmissionError.randomness("\(error)") }
}
