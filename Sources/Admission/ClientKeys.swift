public import Bignum
public import CryptoPrimitives

/// A client's public identity y = g^x, an element of the order-q subgroup.
public struct ClientPublicKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// y = g^x mod p.
    public let y: Bignum

    /// A public key after checking that `y` is a subgroup element other than 1.
    /// - Throws: ``AdmissionError/invalidElement(_:)``.
    public init(y: Bignum, group: AdmissionGroup = .standard) throws(AdmissionError) {
        try group.validate(y, as: "client public key")
        self.y = y
    }

    /// Without validation: only for values this module computed itself.
    init(trusted y: Bignum) { self.y = y }

    private enum CodingKeys: String, CodingKey { case version, y }

    /// Decodes `{"version": 1, "y": "<decimal>"}`; the value is validated against the standard group.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version == 1 else { throw AdmissionError.malformed("client public key version \(version)") }
        try self.init(y: c.decode(Bignum.self, forKey: .y))
    }

    /// Encodes `{"version": 1, "y": "<decimal>"}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .version)
        try c.encode(y, forKey: .y)
    }

    public var description: String { "ClientPublicKey(\(y.hexString.prefix(16))…)" }
}

/// A client's secret key x ∈ [1, q). Not `Codable`: export goes through ``serialized()`` explicitly.
/// The value is wiped when released (``Bignum`` clears its limbs on deinit).
public struct ClientSecretKey: Sendable, CustomStringConvertible {
    let x: Bignum
    /// The matching public key g^x.
    public let publicKey: ClientPublicKey
    /// The group the key lives in.
    public let group: AdmissionGroup

    /// Generates a key: x = `Bignum.random(below: q)`, redrawn while zero; y = g^x in constant time.
    /// - Throws: ``AdmissionError/randomness(_:)``.
    public static func generate(group: AdmissionGroup = .standard, using rng: inout some RandomSource)
        throws(AdmissionError) -> ClientSecretKey
    {
        let x = try group.randomNonZeroScalar(using: &rng)
        return try ClientSecretKey(x: x, group: group)
    }

    /// A key from its secret value x ∈ [1, q).
    /// - Throws: ``AdmissionError/invalidScalar(_:)`` for x outside [1, q).
    public init(x: Bignum, group: AdmissionGroup = .standard) throws(AdmissionError) {
        try group.validateScalar(x, as: "client secret key")
        guard !x.isZero else { throw .invalidScalar("client secret key (zero)") }
        self.x = x
        self.group = group
        self.publicKey = ClientPublicKey(trusted: try group.powerSecret(group.g, x))
    }

    /// The explicit, versioned export of the secret (for key files; handle as a secret).
    public func serialized() -> SerializedClientSecretKey {
        SerializedClientSecretKey(version: 1, x: x, y: publicKey.y)
    }

    /// Reads a key exported by ``serialized()``; checks the version and that y = g^x.
    /// - Throws: ``AdmissionError/malformed(_:)``, ``AdmissionError/invalidScalar(_:)``.
    public init(_ serialized: SerializedClientSecretKey, group: AdmissionGroup = .standard) throws(AdmissionError) {
        guard serialized.version == 1 else { throw .malformed("client secret key version \(serialized.version)") }
        try self.init(x: serialized.x, group: group)
        guard publicKey.y == serialized.y else { throw .malformed("client key file: y ≠ g^x") }
    }

    public var description: String { "ClientSecretKey(<redacted>, public: \(publicKey))" }
}

/// The file form of a client secret key: `{"version": 1, "x": "<decimal>", "y": "<decimal>"}`.
public struct SerializedClientSecretKey: Sendable, Codable {
    /// Format version (1).
    public var version: Int
    /// The secret x.
    public var x: Bignum
    /// The public y = g^x (checked on import).
    public var y: Bignum
}
