import Foundation
public import Bignum
internal import SecretSharing
internal import CryptoPrimitives

/// The Schnorr group of the admission phase: p prime, q prime with q | p − 1, g of order q in Z*_p.
///
/// ``standard`` is the 2048/256-bit group generated verifiably from a public seed (FIPS 186-4 A.1.1.2 and
/// A.2.3 with SHA-256, see ``GroupDerivation``); other groups are accepted only after the checks of
/// ``init(p:q:g:)``. Every group element that enters the API is checked with ``validate(_:as:)``.
public struct AdmissionGroup: Sendable, Equatable, Codable {
    /// The prime modulus.
    public let p: Bignum
    /// The prime order of the subgroup.
    public let q: Bignum
    /// The generator of the order-q subgroup.
    public let g: Bignum
    /// (p − 1) / q, the cofactor used by hash-to-group.
    public let cofactor: Bignum
    /// Bytes of a group element in transcripts: ⌈|p| / 8⌉.
    public let elementWidth: Int
    /// Bytes of a scalar in transcripts: ⌈|q| / 8⌉.
    public let scalarWidth: Int

    /// The domain-parameter seed of ``standard`` (32 bytes, hex), the final seed of the q search.
    public static let standardSeedHex = "ffdd323b8fec7a0bcbf53b143a4e717ab068c1e2b4bedeaa10316c335d973803"
    /// The label whose SHA-256 is the first seed tried; each rejected seed s is replaced by SHA-256(s).
    public static let standardSeedLabel = "SecAggKit admission group v1"
    /// How many seeds the q search rejected before ``standardSeedHex``.
    public static let standardSeedIterations = 348
    /// The A.1.1.2 counter at which p was found.
    public static let standardCounter = 168
    /// The A.2.3 generator index.
    public static let standardGeneratorIndex: UInt8 = 1
    /// The A.2.3 count at which g was found.
    public static let standardGeneratorCount = 1

    static let standardPHex =
        "f3d1728a8d2cace22dbd26a7ef328088f8368555d025ff984f4c3f3caf214e0002d5d34e548226b720d0e566bcd412f7"
        + "66e09594c930b3cb37545866454ee45a66bfa1c71d068369128c250472ced2ef581e44acbff1830e7924436af54ce626"
        + "2019935e5562984467c29f3461dae4a7e4d333eb21b1d86e43fe9f0d4c598b68af2dc8570e1a0ca924c9f0390e03bbe8"
        + "9b12142c4f9be73069d5c3c9c0904749294c38693b48f1af35dca58d4c5a414dd3df03b00f970d01d745a3db3e1230a9"
        + "c7b5b3ba4fe3485a7b73a7c8b82c232d5ba937d0c51a4b8af7a8f8ebd3eada512415b2e61de7e3c1ed801a95ca0201ff"
        + "b9ac5bfa0f539706e0942dd8c7aa9193"
    static let standardQHex = "c80a006c7508ce44bf9885932f8528e5492bac6935b5f783aed3b6f1ad73a9b3"
    static let standardGHex =
        "95b791df65c3c5031c7bdf80b74579048f7595bfec17769029ec192becc2332c0d5621551cb7fef3ad9b1a8666719bf8"
        + "22cf623743c69f41a5119ad09e592cc1ff0c60fd42cd039e8b0ec7a83b228c66bc28801d4f8f6562dff0816be4c4cffc"
        + "8a1e3b355f74543e2fcf39adea4fd69f234f8b4c2039ccbe677064d18a34f209b4cea02ade979c74be0fa42920fe1f67"
        + "abbaed76e934d2c5d1c7a7f53d18e742a37c6a033664536e25a97923946562e30aa6ae06d84fb10825fc3831ebbea439"
        + "54cad22628830e76969583983b9b060e3b49e3fa2114f8faf8bb80fc5d21b17c6523cc07586e59bb7720dc7fff1760b1"
        + "d2c867d37e572ae610f7ec2c106b0595"

    /// The 2048/256-bit group derived from ``standardSeedHex`` (checked by the test suite, which re-derives it).
    public static let standard = AdmissionGroup(
        trusted: (try? Bignum(hex: standardPHex)) ?? Bignum(),
        q: (try? Bignum(hex: standardQHex)) ?? Bignum(),
        g: (try? Bignum(hex: standardGHex)) ?? Bignum())

    /// A group given by its parameters, after all checks: p, q probable primes, |q| ≥ 256, |p| ≥ 2048,
    /// q | p − 1, 1 < g < p and g^q ≡ 1 (mod p). The ``standard`` group is recognised without re-testing.
    /// - Throws: ``AdmissionError/invalidGroup(_:)`` naming the failed check.
    public init(p: Bignum, q: Bignum, g: Bignum) throws(AdmissionError) {
        let standard = AdmissionGroup.standard
        if p == standard.p, q == standard.q, g == standard.g {
            self = standard
            return
        }
        guard q.bitWidth >= 256 else { throw .invalidGroup("q has \(q.bitWidth) bits, at least 256 needed") }
        guard p.bitWidth >= 2048 else { throw .invalidGroup("p has \(p.bitWidth) bits, at least 2048 needed") }
        do {
            _ = try SchnorrGroup(p: p, q: q, g: g)
        } catch {
            throw .invalidGroup("\(error)")
        }
        self.init(trusted: p, q: q, g: g)
    }

    private init(trusted p: Bignum, q: Bignum, g: Bignum) {
        self.p = p
        self.q = q
        self.g = g
        self.cofactor = ((try? (p - Bignum(1)).quotientAndRemainder(dividingBy: q))?.quotient) ?? Bignum()
        self.elementWidth = p.byteCount
        self.scalarWidth = q.byteCount
    }

    /// Checks that `y` is an element of the order-q subgroup other than 1: 1 < y < p and y^q ≡ 1 (mod p).
    /// - Throws: ``AdmissionError/invalidElement(_:)`` naming `what`.
    public func validate(_ y: Bignum, as what: String) throws(AdmissionError) {
        ExponentiationTally.record(bits: q.bitWidth, secret: false)
        guard y > Bignum(1), y < p, (try? y.powm(q, modulus: p)) == Bignum(1) else {
            throw .invalidElement(what)
        }
    }

    /// Checks that `x` is in [0, q).
    /// - Throws: ``AdmissionError/invalidScalar(_:)`` naming `what`.
    public func validateScalar(_ x: Bignum, as what: String) throws(AdmissionError) {
        guard !x.isNegative, x < q else { throw .invalidScalar(what) }
    }

    /// base^exponent mod p for a public exponent (variable time).
    func power(_ base: Bignum, _ exponent: Bignum) throws(AdmissionError) -> Bignum {
        ExponentiationTally.record(bits: exponent.bitWidth, secret: false)
        return try arithmetic { try base.powm(exponent, modulus: p) }
    }

    /// base^exponent mod p for a secret exponent (constant time in the exponent, GMP `mpz_powm_sec`).
    func powerSecret(_ base: Bignum, _ exponent: Bignum) throws(AdmissionError) -> Bignum {
        ExponentiationTally.record(bits: exponent.bitWidth, secret: true)
        return try arithmetic { try base.powmSecret(exponent, modulus: p) }
    }

    /// a·b mod p.
    func multiply(_ a: Bignum, _ b: Bignum) throws(AdmissionError) -> Bignum {
        try arithmetic { try a.multiplied(by: b, modulo: p) }
    }

    /// A uniform non-zero scalar: `Bignum.random(below: q)` repeated (each a fresh draw) until non-zero.
    func randomNonZeroScalar(using rng: inout some RandomSource) throws(AdmissionError) -> Bignum {
        while true {
            let x = try drawing { try Bignum.random(below: q, using: &rng) }
            if !x.isZero { return x }
        }
    }

    private enum CodingKeys: String, CodingKey { case p, q, g }

    /// Decodes `{"p", "q", "g"}` (decimal strings) and validates as ``init(p:q:g:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            p: c.decode(Bignum.self, forKey: .p), q: c.decode(Bignum.self, forKey: .q),
            g: c.decode(Bignum.self, forKey: .g))
    }

    /// Encodes `{"p", "q", "g"}` as decimal strings.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(p, forKey: .p)
        try c.encode(q, forKey: .q)
        try c.encode(g, forKey: .g)
    }

    public static func == (lhs: AdmissionGroup, rhs: AdmissionGroup) -> Bool {
        lhs.p == rhs.p && lhs.q == rhs.q && lhs.g == rhs.g
    }
}

/// Counts the modular exponentiations of admission operations while enabled (for the benchmark that
/// compares an operation with the sum of its exponentiations timed alone). Off by default; cheap when off.
public enum ExponentiationTally {
    /// One exponentiation mod p: exponent bit length and whether it went through `mpz_powm_sec`.
    public struct Entry: Sendable, Equatable {
        public var bits: Int
        public var secret: Bool
    }

    private final class State: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        let lock = NSLock()
        var enabled = false
        var entries: [Entry] = []
    }

    private static let state = State()

    /// Starts recording (clearing earlier entries).
    public static func start() {
        state.lock.lock()
        state.enabled = true
        state.entries = []
        state.lock.unlock()
    }

    /// Stops recording and returns what was recorded.
    public static func stop() -> [Entry] {
        state.lock.lock()
        defer { state.lock.unlock() }
        state.enabled = false
        return state.entries
    }

    static func record(bits: Int, secret: Bool) {
        state.lock.lock()
        if state.enabled { state.entries.append(Entry(bits: bits, secret: secret)) }
        state.lock.unlock()
    }
}
