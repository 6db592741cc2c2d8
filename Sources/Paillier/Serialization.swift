import Bignum
public import CryptoPrimitives
public import Foundation

// Native JSON (version 1) and python-paillier (`pheutil`) formats, `Specs/paillier.md` "Serialization".

/// The native JSON documents: keys and ciphertext lists, big integers as decimal strings.
public enum PaillierJSON {
    public static let version = 1

    struct PublicKeyDocument: Codable {
        var version: Int
        var type: String
        var n: String
    }

    struct PrivateKeyDocument: Codable {
        var version: Int
        var type: String
        var n: String
        var p: String
        var q: String
    }

    struct CiphertextsDocument: Codable {
        var version: Int
        var type: String
        var n: String
        var fraction_bits: Int
        var ciphertexts: [String]
    }

    /// Ciphertexts with their key and the fixed-point scale of their plaintexts.
    public struct Ciphertexts: Sendable, Equatable {
        public var publicKey: PaillierPublicKey
        public var fractionBits: Int
        public var values: [PaillierCiphertext]

        public init(publicKey: PaillierPublicKey, fractionBits: Int, values: [PaillierCiphertext]) {
            self.publicKey = publicKey
            self.fractionBits = fractionBits
            self.values = values
        }
    }

    public static func encode(_ key: PaillierPublicKey) -> String {
        "{\"version\":1,\"type\":\"paillier-public-key\",\"n\":\"\(key.n)\"}"
    }

    public static func encode(_ key: PaillierPrivateKey) -> String {
        "{\"version\":1,\"type\":\"paillier-private-key\",\"n\":\"\(key.publicKey.n)\",\"p\":\"\(key.p)\",\"q\":\"\(key.q)\"}"
    }

    public static func encode(_ c: Ciphertexts) -> String {
        let list = c.values.map { "\"\($0.value)\"" }.joined(separator: ",")
        return "{\"version\":1,\"type\":\"paillier-ciphertexts\",\"n\":\"\(c.publicKey.n)\",\"fraction_bits\":\(c.fractionBits),\"ciphertexts\":[\(list)]}"
    }

    /// - Throws: ``PaillierError/malformedEncoding(_:)`` for another format, version or type;
    ///   ``PaillierError/invalidKey(_:)`` when the key fails validation.
    public static func decodePublicKey(_ data: Data) throws -> PaillierPublicKey {
        let doc = try decode(PublicKeyDocument.self, data, type: "paillier-public-key", version: \.version, kind: \.type)
        return try PaillierPublicKey(n: number(doc.n, "n"))
    }

    /// - Throws: as ``decodePublicKey(_:)``; ``PaillierError/invalidKey(_:)`` for p·q ≠ n.
    public static func decodePrivateKey(_ data: Data) throws -> PaillierPrivateKey {
        let doc = try decode(PrivateKeyDocument.self, data, type: "paillier-private-key", version: \.version, kind: \.type)
        let publicKey = try PaillierPublicKey(n: number(doc.n, "n"))
        return try PaillierPrivateKey(publicKey: publicKey, p: number(doc.p, "p"), q: number(doc.q, "q"))
    }

    /// - Throws: as above; ``PaillierError/invalidCiphertext(_:)`` for any value not in Z*_{n²}.
    public static func decodeCiphertexts(_ data: Data) throws -> Ciphertexts {
        let doc = try decode(CiphertextsDocument.self, data, type: "paillier-ciphertexts", version: \.version, kind: \.type)
        let key = try PaillierPublicKey(n: number(doc.n, "n"))
        guard (0...1000).contains(doc.fraction_bits) else {
            throw PaillierError.malformedEncoding("fraction_bits \(doc.fraction_bits) is not in 0…1000")
        }
        let values = try doc.ciphertexts.enumerated().map { i, text in
            try PaillierCiphertext(number(text, "ciphertexts[\(i)]"), publicKey: key)
        }
        return Ciphertexts(publicKey: key, fractionBits: doc.fraction_bits, values: values)
    }

    static func decode<T: Decodable>(
        _ type: T.Type, _ data: Data, type expected: String, version: KeyPath<T, Int>, kind: KeyPath<T, String>
    ) throws -> T {
        // Check version and type first, so a document of another kind gets a clear message.
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw PaillierError.malformedEncoding("not a JSON object")
        }
        guard header.type == expected else {
            throw PaillierError.malformedEncoding("expected type \"\(expected)\", got \(header.type.map { "\"\($0)\"" } ?? "none")")
        }
        guard header.version == PaillierJSON.version else {
            throw PaillierError.malformedEncoding("unsupported version \(header.version.map(String.init) ?? "none") (expected 1)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw PaillierError.malformedEncoding("\(expected): missing or mistyped field")
        }
    }

    struct Header: Decodable {
        var version: Int?
        var type: String?
    }

    static func number(_ text: String, _ field: String) throws -> Bignum {
        guard let value = try? Bignum(decimal: text), !value.isNegative else {
            throw PaillierError.malformedEncoding("field \(field) is not a non-negative decimal integer")
        }
        return value
    }
}

/// python-paillier's `pheutil` files (`phe` 1.5): JWK-like keys and `{"v": ciphertext, "e": exponent}`.
public enum PheFormat {
    /// The exponent `pheutil encrypt` uses: values are mantissa · 16^−32.
    public static let defaultExponent = -32

    /// An encrypted number: Enc(mantissa) with value mantissa · 16^exponent.
    public struct EncryptedNumber: Sendable, Equatable {
        public var ciphertext: PaillierCiphertext
        public var exponent: Int

        public init(ciphertext: PaillierCiphertext, exponent: Int) {
            self.ciphertext = ciphertext
            self.exponent = exponent
        }
    }

    // MARK: Keys

    public static func encode(_ key: PaillierPublicKey, kid: String = "Paillier public key written by secagg") -> String {
        let object: [String: Any] = [
            "kty": "DAJ", "alg": "PAI-GN1", "key_ops": ["encrypt"], "n": base64URL(key.n), "kid": kid,
        ]
        return json(object)
    }

    public static func encode(_ key: PaillierPrivateKey, kid: String = "Paillier private key written by secagg") -> String {
        let object: [String: Any] = [
            "kty": "DAJ", "key_ops": ["decrypt"], "p": base64URL(key.p), "q": base64URL(key.q),
            "pub": [
                "kty": "DAJ", "alg": "PAI-GN1", "key_ops": ["encrypt"], "n": base64URL(key.publicKey.n),
                "kid": "Paillier public key written by secagg",
            ] as [String: Any],
            "kid": kid,
        ]
        return json(object)
    }

    /// Reads a public key (`pheutil extract`), or the public part of a private key file.
    /// - Throws: ``PaillierError/malformedEncoding(_:)``, ``PaillierError/invalidKey(_:)``.
    public static func decodePublicKey(_ data: Data) throws -> PaillierPublicKey {
        var object = try jsonObject(data)
        if object["pub"] != nil, let inner = object["pub"] as? [String: Any] { object = inner }
        guard object["kty"] as? String == "DAJ" else { throw PaillierError.malformedEncoding("phe key: kty is not \"DAJ\"") }
        guard let n = object["n"] as? String else { throw PaillierError.malformedEncoding("phe public key: no \"n\"") }
        return try PaillierPublicKey(n: fromBase64URL(n, field: "n"))
    }

    /// Reads a private key (`pheutil genpkey`).
    public static func decodePrivateKey(_ data: Data) throws -> PaillierPrivateKey {
        let object = try jsonObject(data)
        guard object["kty"] as? String == "DAJ" else { throw PaillierError.malformedEncoding("phe key: kty is not \"DAJ\"") }
        guard (object["key_ops"] as? [String])?.contains("decrypt") == true else {
            throw PaillierError.malformedEncoding("phe private key: key_ops lacks \"decrypt\"")
        }
        guard let p = object["p"] as? String, let q = object["q"] as? String else {
            throw PaillierError.malformedEncoding("phe private key: no \"p\" or \"q\"")
        }
        let publicKey = try decodePublicKey(data)
        return try PaillierPrivateKey(publicKey: publicKey, p: fromBase64URL(p, field: "p"), q: fromBase64URL(q, field: "q"))
    }

    // MARK: Encrypted numbers

    public static func encode(_ number: EncryptedNumber) -> String {
        "{\"v\": \"\(number.ciphertext.value)\", \"e\": \(number.exponent)}"
    }

    /// Reads `{"v": "<decimal>", "e": <int>}` under `publicKey`.
    /// - Throws: ``PaillierError/malformedEncoding(_:)``; ``PaillierError/invalidCiphertext(_:)``.
    public static func decodeEncryptedNumber(_ data: Data, publicKey: PaillierPublicKey) throws -> EncryptedNumber {
        let object = try jsonObject(data)
        guard let v = object["v"] as? String, let value = try? Bignum(decimal: v) else {
            throw PaillierError.malformedEncoding("phe encrypted number: \"v\" is not a decimal string")
        }
        // Booleans also bridge to NSNumber; theirs has objCType "c".
        guard let e = object["e"] as? NSNumber, String(cString: e.objCType) != "c",
            let exponent = Int(exactly: e.doubleValue), abs(exponent) <= 4096
        else {
            throw PaillierError.malformedEncoding("phe encrypted number: \"e\" is not a small integer")
        }
        return EncryptedNumber(ciphertext: try PaillierCiphertext(value, publicKey: publicKey), exponent: exponent)
    }

    /// Enc(round(x · 16^−exponent)) as phe encodes it.
    public static func encrypt(
        _ x: Double, publicKey: PaillierPublicKey, exponent: Int = defaultExponent, using rng: inout some RandomSource
    ) throws -> EncryptedNumber {
        guard exponent <= 0 else { throw PaillierError.invalidEncoding("exponent must be ≤ 0") }
        let encoder = try FixedPointEncoder(publicKey: publicKey, fractionBits: -4 * exponent)
        let c = try publicKey.encrypt(encoder.encode(x), using: &rng)
        return EncryptedNumber(ciphertext: c, exponent: exponent)
    }

    /// The value mantissa · 16^exponent of a decrypted number (as `Double`).
    public static func decrypt(_ number: EncryptedNumber, with key: PaillierPrivateKey) throws -> Double {
        let encoder = try FixedPointEncoder(publicKey: key.publicKey, fractionBits: 0)
        let mantissa = try encoder.decodeInteger(key.decrypt(number.ciphertext))
        return FixedPointEncoder.unscaled(mantissa, bits: -4 * number.exponent)
    }

    /// The sum of two encrypted numbers, aligning exponents as phe does (the operand with the larger
    /// exponent is multiplied by 16^difference).
    public static func add(_ a: EncryptedNumber, _ b: EncryptedNumber) throws -> EncryptedNumber {
        let key = a.ciphertext.publicKey
        var (x, y) = (a, b)
        if x.exponent > y.exponent { swap(&x, &y) }
        let factor = Bignum(1) << (4 * (y.exponent - x.exponent))
        let aligned = try key.multiply(y.ciphertext, by: factor)
        return EncryptedNumber(ciphertext: try key.add(x.ciphertext, aligned), exponent: x.exponent)
    }

    // MARK: Helpers

    static func jsonObject(_ data: Data) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PaillierError.malformedEncoding("not a JSON object")
        }
        return object
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Unpadded base64url of the minimal big-endian bytes (phe's `int_to_base64`).
    static func base64URL(_ value: Bignum) -> String {
        let bytes = (try? value.bigEndianBytes()) ?? []
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String, field: String) throws -> Bignum {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        guard let data = Data(base64Encoded: standard), !data.isEmpty else {
            throw PaillierError.malformedEncoding("phe key: \"\(field)\" is not base64url")
        }
        return Bignum(bigEndian: Array(data))
    }
}
