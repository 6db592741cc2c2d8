import CryptoPrimitives
import Foundation
import SecureAggregation
import Testing

@Suite struct WireFormatTests {
    static let h = MessageHeader(protocolID: .masking, session: 0x0102_0304_0506_0708, sender: 3, receiver: 0)

    /// One message of every type with non-trivial contents.
    static func samples() throws -> [(name: String, bytes: [UInt8], decode: ([UInt8]) throws(SecAggError) -> Any)] {
        let key = (0..<32).map { UInt8($0) }
        let key2 = (0..<32).map { UInt8(255 - $0) }
        let ct = [UInt8](repeating: 0xAB, count: MaskingWire.shareCiphertextByteCount)
        let advertise = AdvertiseKeys(header: h, encryptionPublicKey: key, maskingPublicKey: key2)
        let directory = KeyDirectory(header: h, entries: [
            .init(client: 1, encryptionPublicKey: key, maskingPublicKey: key2),
            .init(client: 4, encryptionPublicKey: key2, maskingPublicKey: key),
        ])
        let shares = ShareKeys(header: h, seedCommitment: key, shares: [.init(peer: 1, ciphertext: ct), .init(peer: 2, ciphertext: ct)])
        let delivery = ShareDelivery(header: h, shares: [.init(peer: 5, ciphertext: ct)])
        let masked = MaskedInput(header: h, values: try RingVector([UInt32](arrayLiteral: 1, 2, 3, 0xFFFFF), bitWidth: 20))
        let request = UnmaskRequest(header: h, survivors: [1, 2, 3], dropped: [4])
        let reveal = UnmaskShares(header: h, shares: [
            .init(owner: 1, kind: .maskSeed, index: 3, values: [1, 2, 3, 4, 5]),
            .init(owner: 4, kind: .maskingKey, index: 3, values: [6, 7, 8, 9, (1 << 61) - 2]),
        ])
        // The authenticated variant's forms.
        let signature = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let signedAdvertise = AdvertiseKeys(header: h, encryptionPublicKey: key, maskingPublicKey: key2, signature: signature)
        let signedDirectory = KeyDirectory(header: h, entries: [
            .init(client: 1, encryptionPublicKey: key, maskingPublicKey: key2, signature: signature),
            .init(client: 4, encryptionPublicKey: key2, maskingPublicKey: key),   // unsigned entry: empty byte string
        ])
        let check = ConsistencyCheckRequest(header: h, survivors: [1, 2, 5])
        let consistency = ConsistencySignature(header: h, signature: signature)
        let signedRequest = UnmaskRequest(header: h, survivors: [1, 2, 3], dropped: [4], consistencySignatures: [
            ClientSignature(client: 1, signature: signature), ClientSignature(client: 3, signature: [9]),
        ])
        return [
            ("AdvertiseKeys", advertise.encoded(), { b throws(SecAggError) in try AdvertiseKeys(decoding: b) }),
            ("signed AdvertiseKeys", signedAdvertise.encoded(), { b throws(SecAggError) in try AdvertiseKeys(decoding: b) }),
            ("signed KeyDirectory", signedDirectory.encoded(), { b throws(SecAggError) in try KeyDirectory(decoding: b) }),
            ("ConsistencyCheckRequest", check.encoded(), { b throws(SecAggError) in try ConsistencyCheckRequest(decoding: b) }),
            ("ConsistencySignature", consistency.encoded(), { b throws(SecAggError) in try ConsistencySignature(decoding: b) }),
            ("signed UnmaskRequest", signedRequest.encoded(), { b throws(SecAggError) in try UnmaskRequest(decoding: b) }),
            ("KeyDirectory", directory.encoded(), { b throws(SecAggError) in try KeyDirectory(decoding: b) }),
            ("ShareKeys", shares.encoded(), { b throws(SecAggError) in try ShareKeys(decoding: b) }),
            ("ShareDelivery", delivery.encoded(), { b throws(SecAggError) in try ShareDelivery(decoding: b) }),
            ("MaskedInput", masked.encoded(), { b throws(SecAggError) in try MaskedInput(decoding: b) }),
            ("UnmaskRequest", request.encoded(), { b throws(SecAggError) in try UnmaskRequest(decoding: b) }),
            ("UnmaskShares", reveal.encoded(), { b throws(SecAggError) in try UnmaskShares(decoding: b) }),
        ]
    }

    /// Every message decodes to itself and re-encodes to the same bytes.
    @Test func everyMessageRoundTrips() throws {
        let key = (0..<32).map { UInt8($0) }
        let a = AdvertiseKeys(header: Self.h, encryptionPublicKey: key, maskingPublicKey: key.reversed())
        #expect(try AdvertiseKeys(decoding: a.encoded()) == a)
        let r = UnmaskRequest(header: Self.h, survivors: [1, 9, 70_000], dropped: [])
        #expect(try UnmaskRequest(decoding: r.encoded()) == r)
        for sample in try Self.samples() {
            let decoded = try sample.decode(sample.bytes)
            let again = try #require(decoded as? any WireMessage).encoded()
            #expect(again == sample.bytes, "\(sample.name)")
        }
    }

    /// The envelope is byte-exact: magic, version, protocol, type, session, sender, receiver, body length.
    @Test func envelopeLayoutIsByteExact() throws {
        let a = AdvertiseKeys(header: MessageHeader(protocolID: .secAggPlus, session: 0x0102_0304_0506_0708, sender: 0x0A0B_0C0D,
                                                    receiver: 0), encryptionPublicKey: [UInt8](repeating: 1, count: 32),
                              maskingPublicKey: [UInt8](repeating: 2, count: 32))
        let bytes = a.encoded()
        #expect(Array(bytes.prefix(25)) == [0x53, 0x41, 1, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0, 0, 0, 0, 64])
        #expect(bytes.count == 25 + 64)
        let peeked = try MessageHeader.peek(bytes)
        #expect(peeked.header == a.header)
        #expect(peeked.messageType == MaskingMessageType.advertiseKeys.rawValue)
    }

    /// Every strict prefix of every message is rejected with a typed error (never a trap).
    @Test func everyTruncationIsRejected() throws {
        for sample in try Self.samples() {
            for length in 0..<sample.bytes.count {
                expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
                    try sample.decode(Array(sample.bytes.prefix(length)))
                }) { error in
                    switch error {
                    case .truncated, .lengthMismatch: return true
                    default: return false
                    }
                }
            }
        }
    }

    /// Trailing bytes, a wrong magic, version, protocol or type tag are each rejected.
    @Test func envelopeFieldsAreChecked() throws {
        let bytes = try #require(try Self.samples().first).bytes
        expectError(.lengthMismatch(what: "message body", expected: "64", actual: 65)) { () throws(SecAggError) in
            try AdvertiseKeys(decoding: bytes + [0])
        }
        var bad = bytes
        bad[0] = 0x54
        expectError(.badMagic(0x5441)) { () throws(SecAggError) in try AdvertiseKeys(decoding: bad) }
        bad = bytes
        bad[2] = 2
        expectError(.unsupportedVersion(2)) { () throws(SecAggError) in try AdvertiseKeys(decoding: bad) }
        bad = bytes
        bad[3] = 9
        expectError(.unknownProtocol(9)) { () throws(SecAggError) in try AdvertiseKeys(decoding: bad) }
        bad = bytes
        bad[3] = AggregationProtocol.paillier.rawValue
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try AdvertiseKeys(decoding: bad) }) {
            if case .valueOutOfRange = $0 { return true } else { return false }
        }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try ShareKeys(decoding: bytes) }) {
            if case .unexpectedMessageType(_, 1) = $0 { return true } else { return false }
        }
        bad = bytes
        bad[21] = 0x7F   // body length of ~2 GB
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try AdvertiseKeys(decoding: bad) }) {
            if case .valueOutOfRange = $0 { return true } else { return false }
        }
    }

    /// A forged element count cannot cause a large allocation: it is checked against the bytes left.
    @Test func oversizedCountsAreRejected() throws {
        let directory = KeyDirectory(header: Self.h, entries: [])
        var bytes = directory.encoded()
        bytes.replaceSubrange(25..<29, with: [0xFF, 0xFF, 0xFF, 0xFF])
        expectError(.truncated(what: "key directory", needed: 0xFFFF_FFFF * 68, available: 0)) { () throws(SecAggError) in
            try KeyDirectory(decoding: bytes)
        }
        let request = UnmaskRequest(header: Self.h, survivors: [], dropped: [])
        bytes = request.encoded()
        bytes.replaceSubrange(25..<29, with: [0, 0, 0, 200])
        expectError(.truncated(what: "survivors", needed: 800, available: 4)) { () throws(SecAggError) in
            try UnmaskRequest(decoding: bytes)
        }
    }

    /// Unsorted or repeated ids, unknown share kinds, share values ≥ p and wrong fixed lengths are rejected.
    @Test func bodyFieldsAreChecked() throws {
        let unsorted = UnmaskRequest(header: Self.h, survivors: [2, 2], dropped: [])
        expectError(.notStrictlyIncreasing(what: "survivors", id: 2)) { () throws(SecAggError) in
            try UnmaskRequest(decoding: unsorted.encoded())
        }
        let share = RevealedShare(owner: 1, kind: .maskSeed, index: 3, values: [1, 2, 3, 4, 5])
        var bytes = UnmaskShares(header: Self.h, shares: [share]).encoded()
        bytes[29 + 4] = 3   // kind
        expectError(.valueOutOfRange(what: "share kind", value: "3", expected: "1 (b) or 2 (s^SK)")) { () throws(SecAggError) in
            try UnmaskShares(decoding: bytes)
        }
        let big = RevealedShare(owner: 1, kind: .maskSeed, index: 3, values: [1, 2, 3, 4, (1 << 61) - 1])
        expectError(.valueOutOfRange(what: "share value", value: "\((1 << 61) - 1)", expected: "< 2^61 − 1")) { () throws(SecAggError) in
            try UnmaskShares(decoding: UnmaskShares(header: Self.h, shares: [big]).encoded())
        }
        bytes = UnmaskShares(header: Self.h, shares: [share]).encoded()
        bytes[29 + 9] = 3   // limb count
        expectError(.lengthMismatch(what: "share limbs", expected: "5", actual: 3)) { () throws(SecAggError) in
            try UnmaskShares(decoding: bytes)
        }
        let shortCiphertext = ShareDelivery(header: Self.h, shares: [.init(peer: 1, ciphertext: [1, 2, 3])])
        expectError(.lengthMismatch(what: "delivered shares ciphertext", expected: "96", actual: 3)) { () throws(SecAggError) in
            try ShareDelivery(decoding: shortCiphertext.encoded())
        }
    }

    /// The authenticated variant's forms: their tags, byte layout and sizes, and every bad length or count.
    @Test func signedFormsAreByteExactAndChecked() throws {
        let key = [UInt8](repeating: 1, count: 32), signature = [UInt8](repeating: 0xEE, count: 64)
        let signed = AdvertiseKeys(header: Self.h, encryptionPublicKey: key, maskingPublicKey: key, signature: signature)
        let bytes = signed.encoded()
        #expect(bytes[4] == 0x08 && bytes.count == 25 + 64 + 4 + 64)
        #expect(Array(bytes[89..<93]) == [0, 0, 0, 64])
        #expect(try AdvertiseKeys(decoding: bytes) == signed)
        // The unsigned tag with a signature appended is trailing garbage; the signed tag without one is truncated.
        var retagged = bytes
        retagged[4] = 0x01
        expectError(.lengthMismatch(what: "AdvertiseKeys body", expected: "no trailing bytes", actual: 68)) {
            () throws(SecAggError) in try AdvertiseKeys(decoding: retagged)
        }
        let unsigned = AdvertiseKeys(header: Self.h, encryptionPublicKey: key, maskingPublicKey: key)
        var claimsSigned = unsigned.encoded()
        claimsSigned[4] = 0x08
        expectError(.truncated(what: "signature length", needed: 4, available: 0)) { () throws(SecAggError) in
            try AdvertiseKeys(decoding: claimsSigned)
        }
        // Empty and oversized signatures.
        for (message, what): (any WireMessage, String) in [
            (AdvertiseKeys(header: Self.h, encryptionPublicKey: key, maskingPublicKey: key, signature: []), "signature length"),
            (ConsistencySignature(header: Self.h, signature: []), "consistency signature length"),
        ] {
            let encoded = message.encoded()
            expectError(.valueOutOfRange(what: what, value: "0", expected: "1...1024")) { () throws(SecAggError) in
                if message is AdvertiseKeys { _ = try AdvertiseKeys(decoding: encoded) } else { _ = try ConsistencySignature(decoding: encoded) }
            }
        }
        let huge = ConsistencySignature(header: Self.h, signature: [UInt8](repeating: 1, count: 1025))
        expectError(.valueOutOfRange(what: "consistency signature length", value: "1025", expected: "at most 1024")) {
            () throws(SecAggError) in try ConsistencySignature(decoding: huge.encoded())
        }
        // Consistency signatures: strictly increasing signers, each with a non-empty signature; counts checked.
        let unsorted = UnmaskRequest(header: Self.h, survivors: [1], dropped: [], consistencySignatures: [
            ClientSignature(client: 3, signature: [1]), ClientSignature(client: 3, signature: [2]),
        ])
        expectError(.notStrictlyIncreasing(what: "consistency signatures", id: 3)) { () throws(SecAggError) in
            try UnmaskRequest(decoding: unsorted.encoded())
        }
        let emptySignature = UnmaskRequest(header: Self.h, survivors: [1], dropped: [], consistencySignatures: [
            ClientSignature(client: 3, signature: []), ClientSignature(client: 4, signature: [UInt8](repeating: 2, count: 10)),
        ])
        expectError(.valueOutOfRange(what: "signature of client 3 length", value: "0", expected: "1...1024")) {
            () throws(SecAggError) in try UnmaskRequest(decoding: emptySignature.encoded())
        }
        var forgedCount = UnmaskRequest(header: Self.h, survivors: [], dropped: [], consistencySignatures: []).encoded()
        forgedCount.replaceSubrange(33..<37, with: [0, 0, 1, 0])
        expectError(.truncated(what: "consistency signatures", needed: 256 * 9, available: 0)) { () throws(SecAggError) in
            try UnmaskRequest(decoding: forgedCount)
        }
        var forgedDirectory = KeyDirectory(header: Self.h, entries: [
            .init(client: 1, encryptionPublicKey: key, maskingPublicKey: key, signature: [1]),
        ]).encoded()
        forgedDirectory.replaceSubrange(25..<29, with: [0, 0, 0, 2])
        expectError(.truncated(what: "key directory", needed: 2 * 72, available: 73)) { () throws(SecAggError) in
            try KeyDirectory(decoding: forgedDirectory)
        }
        // The server's routing knows the new client → server types and refuses the server → client ones.
        var server = try MaskedAggregationServer<UInt32>(
            parameters: try MaskedAggregationParameters(clientCount: 5, threshold: 3, vectorLength: 4, ringBits: 32, session: 1),
            authentication: .authenticated)
        let request = ConsistencyCheckRequest(header: Self.h, survivors: [1])
        expectError(.unexpectedMessageType(expected: "a client message (1, 3, 5, 7, 8 or 11)", actual: 0x0A)) {
            () throws(SecAggError) in try server.receive(encoded: request.encoded())
        }
    }

    /// Random bytes and random mutations of valid messages never trap: they decode or throw a SecAggError.
    @Test func garbageNeverTraps() throws {
        var rng = try testRandom("fuzz")
        let samples = try Self.samples()
        for round in 0..<3000 {
            let sample = samples[round % samples.count]
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = try rng.bytes(count: try uniform(120, using: &rng))
                if round % 2 == 0, bytes.count > 4 { bytes[0] = 0x53; bytes[1] = 0x41; bytes[2] = 1; bytes[3] = 1 }
            } else {
                bytes = sample.bytes
                for _ in 0..<(1 + (try uniform(4, using: &rng))) {
                    let i = try uniform(bytes.count, using: &rng)
                    bytes[i] = UInt8(truncatingIfNeeded: try rng.nextUInt64())
                }
            }
            do {
                _ = try sample.decode(bytes)
            } catch {
                _ = error.description  // a typed error with a message
            }
        }
    }

    /// Ring vectors pack to ⌈L·k/8⌉ bytes and unpack exactly, for every k; padding and range are checked.
    @Test func ringVectorsPackExactly() throws {
        var rng = try testRandom("pack")
        for k in 1...64 {
            let count = 1 + (try uniform(40, using: &rng))
            let mask: UInt64 = k == 64 ? .max : (1 << UInt64(k)) - 1
            let values = try (0..<count).map { _ in try rng.nextUInt64() & mask }
            let v = try RingVector(values, bitWidth: k)
            #expect(v.packed.count == (count * k + 7) / 8)
            #expect(try v.values(as: UInt64.self) == values, "k = \(k)")
            var w = WireWriter()
            v.encode(into: &w)
            var r = WireReader(w.bytes)
            #expect(try RingVector(from: &r, what: "v") == v)
            if k <= 32 {
                let narrow = values.map { UInt32($0) }
                #expect(try RingVector(narrow, bitWidth: k) == v)
                #expect(try v.values(as: UInt32.self) == narrow)
            }
        }
        expectError(.inputOutOfRange(index: 1, expected: "< 2^4")) { () throws(SecAggError) in
            try RingVector([UInt32](arrayLiteral: 15, 16), bitWidth: 4)
        }
        expectError(.valueOutOfRange(what: "packed ring vector padding", value: "1", expected: "0")) { () throws(SecAggError) in
            try RingVector(bitWidth: 4, count: 1, packed: [0x01])
        }
        expectError(.lengthMismatch(what: "packed ring vector", expected: "2", actual: 1)) { () throws(SecAggError) in
            try RingVector(bitWidth: 12, count: 1, packed: [0x01])
        }
        // Bit order: MSB first.
        #expect(try RingVector([UInt32](arrayLiteral: 0b101, 0b011), bitWidth: 3).packed == [0b1010_1100])
    }

    /// The JSON Codable form of a message goes through the same validation for ring vectors.
    @Test func codableRingVectorIsValidated() throws {
        let json = Data(#"{"bitWidth":4,"count":1,"packed":[1]}"#.utf8)
        #expect(throws: SecAggError.self) { try JSONDecoder().decode(RingVector.self, from: json) }
        let m = MaskedInput(header: Self.h, values: try RingVector([UInt32](arrayLiteral: 7), bitWidth: 4))
        #expect(try JSONDecoder().decode(MaskedInput.self, from: JSONEncoder().encode(m)) == m)
    }
}
