public import Bignum
public import CryptoPrimitives

/// A ring whose elements can be added, subtracted and sampled uniformly: what additive sharing needs.
public protocol AdditiveRing: Sendable {
    associatedtype Element: Sendable, Equatable
    /// The ring's size as an integer (2^32, 2^64 or the prime p).
    var order: Bignum { get }
    var zero: Element { get }
    func add(_ a: Element, _ b: Element) -> Element
    func subtract(_ a: Element, _ b: Element) -> Element
    /// Whether `a` is a canonical element (in [0, order)).
    func isValid(_ a: Element) -> Bool
    /// `count` uniform elements, by the sampling rule of `Specs/secret-sharing.md`.
    func randomElements(count: Int, using rng: inout some RandomSource) throws -> [Element]
}

/// A prime field F_p: the arithmetic Shamir sharing needs, plus bulk kernels that concrete fields
/// implement with tight loops (the protocol witness is called once per row, never per element).
public protocol PrimeField: AdditiveRing {
    /// The prime p.
    var modulus: Bignum { get }
    var one: Element { get }
    func multiply(_ a: Element, _ b: Element) -> Element
    /// a⁻¹ mod p. - Throws: ``SharingError/valueOutOfRange(what:modulus:)`` for zero.
    func inverse(_ a: Element) throws -> Element
    /// The element with integer value `value`. - Throws: ``SharingError/valueOutOfRange(what:modulus:)``
    /// unless 0 ≤ value < p.
    func element(_ value: Bignum) throws -> Element
    /// The element with value `value` (share indices). - Throws: unless value < p.
    func element(small value: UInt64) throws -> Element
    /// The integer value of an element.
    func bignum(_ a: Element) -> Bignum

    /// Evaluates `rowCount` coefficient rows at each point of `points` by Horner's rule.
    ///
    /// `coefficients` is row-major, `rowCount × length`: row k holds the k-th coefficient of each of the
    /// `length` polynomials (row 0: the constant terms). Returns one vector of `length` values per point.
    func evaluate(coefficients: [Element], rowCount: Int, length: Int, at points: [Element]) -> [[Element]]

    /// Σᵢ weights[i] · vectors[i], element-wise (each vector has `length` elements).
    func linearCombination(weights: [Element], of vectors: [[Element]], length: Int) -> [Element]
}

extension PrimeField {
    public var order: Bignum { modulus }

    /// The generic Horner evaluation (concrete fields override it with faster loops).
    public func evaluate(coefficients: [Element], rowCount: Int, length: Int, at points: [Element]) -> [[Element]] {
        points.map { x in
            (0..<length).map { j in
                var acc = coefficients[(rowCount - 1) * length + j]
                var k = rowCount - 2
                while k >= 0 {
                    acc = add(multiply(acc, x), coefficients[k * length + j])
                    k -= 1
                }
                return acc
            }
        }
    }

    /// The generic linear combination (concrete fields override it with faster loops).
    public func linearCombination(weights: [Element], of vectors: [[Element]], length: Int) -> [Element] {
        var acc = [Element](repeating: zero, count: length)
        for (w, v) in zip(weights, vectors) {
            for j in 0..<length { acc[j] = add(acc[j], multiply(w, v[j])) }
        }
        return acc
    }

    /// −a mod p.
    public func negate(_ a: Element) -> Element { subtract(zero, a) }
}
