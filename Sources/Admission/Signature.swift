public import Bignum
public import CryptoPrimitives

/// A Schnorr signature (e, s) in the admission group, made with a client's admission key
/// (`Specs/admission.md`, "Signatures").
///
/// Sign: k ← uniform in [1, q); R = g^k (constant time); e = int(SHA-256(Str(tag_sig) ‖ G ‖ E(y) ‖ E(R) ‖
/// u64(|m|) ‖ m)) mod q; s = (k + e·x) mod q. Encoding: S(e) ‖ S(s), 2·⌈|q|/8⌉ bytes (64 for the standard
/// group). Verify: both scalars in [0, q), y a subgroup element, R' = g^s · y^(q−e) mod p, accept iff the hash
/// of (…, R', m) reduced mod q equals e.
public struct AdmissionSignature: Sendable, Equatable {
    /// The challenge e ∈ [0, q).
    public let challenge: Bignum
    /// The response s ∈ [0, q).
    public let response: Bignum

    /// The encoded size in `group`: two scalars of ⌈|q|/8⌉ bytes.
    public static func byteCount(in group: AdmissionGroup = .standard) -> Int { 2 * group.scalarWidth }

    /// A signature from its two scalars after the range checks.
    /// - Throws: ``AdmissionError/malformedSignature(_:)`` unless 0 ≤ e, s < q.
    public init(challenge: Bignum, response: Bignum, group: AdmissionGroup = .standard) throws(AdmissionError) {
        guard !challenge.isNegative, challenge < group.q else { throw .malformedSignature("challenge e is not in [0, q)") }
        guard !response.isNegative, response < group.q else { throw .malformedSignature("response s is not in [0, q)") }
        self.challenge = challenge
        self.response = response
    }

    /// Decodes S(e) ‖ S(s).
    /// - Throws: ``AdmissionError/malformedSignature(_:)`` for a length other than ``byteCount(in:)`` or a
    ///   scalar outside [0, q).
    public init(bytes: [UInt8], group: AdmissionGroup = .standard) throws(AdmissionError) {
        let width = group.scalarWidth
        guard bytes.count == 2 * width else {
            throw .malformedSignature("\(bytes.count) bytes, expected \(2 * width)")
        }
        try self.init(
            challenge: Bignum(bigEndian: bytes[0..<width]), response: Bignum(bigEndian: bytes[width...]), group: group)
    }

    /// S(e) ‖ S(s) in `group`.
    public func bytes(group: AdmissionGroup = .standard) throws(AdmissionError) -> [UInt8] {
        let width = group.scalarWidth
        return try arithmetic {
            try challenge.bigEndianBytes(width: width) + response.bigEndianBytes(width: width)
        }
    }

    /// e = int(SHA-256(Str(tag_sig) ‖ G ‖ E(y) ‖ E(R) ‖ u64(|m|) ‖ m)) mod q.
    static func challenge(group: AdmissionGroup, y: Bignum, commitment: Bignum, message: [UInt8])
        throws(AdmissionError) -> Bignum
    {
        var t = Transcript(tag: Tag.signature, group: group)
        try t.appendGroup()
        try t.appendElement(y)
        try t.appendElement(commitment)
        t.appendUInt64(UInt64(message.count))
        t.appendRaw(message)
        return try t.challenge()
    }
}

extension ClientSecretKey {
    /// Signs `message` with this key: a Schnorr signature S(e) ‖ S(s) (see ``AdmissionSignature``).
    ///
    /// Draws one nonce k = `Bignum.random(below: q)` (redrawn while zero) from `rng`; R = g^k uses the
    /// constant-time exponentiation (`mpz_powm_sec`). k and e·x live in ``Bignum`` values, which wipe their
    /// limbs when released at the end of this call. Use the system CSPRNG (``sign(_:)``) for real
    /// signatures: a repeated or predictable nonce reveals x. A deterministic ``HmacDrbg`` is for vectors only.
    /// - Throws: ``AdmissionError/randomness(_:)``.
    public func sign(_ message: [UInt8], using rng: inout some RandomSource) throws(AdmissionError) -> [UInt8] {
        let k = try group.randomNonZeroScalar(using: &rng)
        let r = try group.powerSecret(group.g, k)
        let e = try AdmissionSignature.challenge(group: group, y: publicKey.y, commitment: r, message: message)
        let q = group.q
        let s = try arithmetic { try (k + e.multiplied(by: x, modulo: q)).modulo(q) }
        return try AdmissionSignature(challenge: e, response: s, group: group).bytes(group: group)
    }

    /// Signs `message` with a nonce from the system CSPRNG (``SystemRandom``).
    /// - Throws: ``AdmissionError/randomness(_:)``.
    public func sign(_ message: [UInt8]) throws(AdmissionError) -> [UInt8] {
        var rng = SystemRandom()
        return try sign(message, using: &rng)
    }
}

/// A client public key checked once (a subgroup element other than 1), for verifying many signatures
/// without repeating the element check (one exponentiation y^q each).
public struct SignatureVerificationKey: Sendable, Hashable {
    /// The key.
    public let publicKey: ClientPublicKey
    /// The group it was checked in.
    public let group: AdmissionGroup

    /// Checks y in `group`.
    /// - Throws: ``AdmissionError/invalidElement(_:)``.
    public init(_ publicKey: ClientPublicKey, group: AdmissionGroup = .standard) throws(AdmissionError) {
        try group.validate(publicKey.y, as: "client public key")
        self.publicKey = publicKey
        self.group = group
    }

    /// Whether `signature` is this key's signature on `message`.
    ///
    /// Malformed input throws; a well-formed signature that does not verify (another key, another message,
    /// altered bits that keep both scalars below q) returns false. Cost: two exponentiations mod p with
    /// exponents below q (g^s and y^(q−e)), variable time (everything here is public).
    /// - Throws: ``AdmissionError/malformedSignature(_:)`` when the encoding has the wrong length or a scalar
    ///   outside [0, q).
    public func verify(_ signature: [UInt8], on message: [UInt8]) throws(AdmissionError) -> Bool {
        let decoded = try AdmissionSignature(bytes: signature, group: group)
        let r = try group.multiply(
            try group.power(group.g, decoded.response), try group.power(publicKey.y, group.q - decoded.challenge))
        let e = try AdmissionSignature.challenge(group: group, y: publicKey.y, commitment: r, message: message)
        return e == decoded.challenge
    }

    public static func == (a: SignatureVerificationKey, b: SignatureVerificationKey) -> Bool {
        a.publicKey == b.publicKey && a.group == b.group
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(publicKey) }
}

extension ClientPublicKey {
    /// Whether `signature` is this key's signature on `message` in `group`: checks y (one exponentiation),
    /// then as ``SignatureVerificationKey/verify(_:on:)``. To verify many signatures of one key, make a
    /// ``SignatureVerificationKey`` once.
    /// - Throws: ``AdmissionError/invalidElement(_:)`` for a key that is not a subgroup element,
    ///   ``AdmissionError/malformedSignature(_:)`` for a malformed encoding.
    public func verify(_ signature: [UInt8], on message: [UInt8], group: AdmissionGroup = .standard)
        throws(AdmissionError) -> Bool
    {
        try SignatureVerificationKey(self, group: group).verify(signature, on: message)
    }
}
