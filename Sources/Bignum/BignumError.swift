/// Every failure of ``Bignum`` operations and conversions.
public enum BignumError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A string was not a number in the expected radix (empty, stray characters, whitespace, …).
    case malformedNumber(text: String, radix: Int)
    /// A value needs more bytes than the fixed width allows.
    case overflow(byteCount: Int, width: Int)
    /// A fixed-width decoding got the wrong number of bytes.
    case wrongLength(expected: Int, actual: Int)
    /// Negative values have no unsigned byte encoding.
    case negativeValue
    /// Division or reduction by zero.
    case divisionByZero
    /// The value has no inverse modulo the modulus (they share a factor).
    case notInvertible
    /// The modulus is not acceptable for this operation (zero, negative, even where odd is required, …).
    case invalidModulus(String)
    /// Any other out-of-domain argument; the text says which and why.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .malformedNumber(let text, let radix):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "malformed base-\(radix) number: \"\(shown)\""
        case .overflow(let byteCount, let width):
            return "value needs \(byteCount) bytes but the field is \(width) bytes wide"
        case .wrongLength(let expected, let actual):
            return "expected \(expected) bytes, got \(actual)"
        case .negativeValue:
            return "negative values have no unsigned byte encoding"
        case .divisionByZero:
            return "division by zero"
        case .notInvertible:
            return "value is not invertible modulo the modulus"
        case .invalidModulus(let why):
            return "invalid modulus: \(why)"
        case .invalidArgument(let why):
            return "invalid argument: \(why)"
        }
    }
}
