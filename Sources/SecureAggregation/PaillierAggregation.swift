public import Bignum
public import CryptoPrimitives
public import Paillier

/// Paillier-encrypted FedAvg (`Specs/paillier-fedavg.md`): clients pack their weighted, fixed-point
/// updates into few plaintexts (``PackedEncoder``) and encrypt them under an aggregation public key; the
/// server multiplies ciphertexts (adding the plaintexts) and never sees an individual update; a single key
/// holder, or any t of ℓ threshold decryptors with proofs, decrypts only the sum.
///
/// Layout of one update: slot j of the whole vector is round(clip(Δⱼ)·w·2^f) (w = the client's sample
/// count), and one extra slot after the L parameters carries w itself, so the decrypted sums give
/// Σ wₖΔₖ and Σ wₖ and the weighted mean Σ wₖΔₖ / Σ wₖ (weighted FedAvg).
public struct PaillierAggregationParameters: Sendable {
    /// Parameters per update (L).
    public let parameterCount: Int
    /// The most clients whose updates may be summed (the encoder's headroom N).
    public let maxClients: Int
    /// Fixed-point fraction bits f.
    public let fractionBits: Int
    /// Updates are clipped to [−clip, clip] before encoding.
    public let clip: Double
    /// The largest client weight (sample count) accepted.
    public let maxWeight: Int
    /// The packing of one plaintext.
    public let encoder: PackedEncoder

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` when a value is out of range or the slot
    ///   would not fit 62 bits; ``PaillierError`` from the encoder.
    public init(
        publicKey: PaillierPublicKey, parameterCount: Int, maxClients: Int, fractionBits: Int = 16, clip: Double = 8,
        maxWeight: Int = 1 << 16
    ) throws {
        guard parameterCount >= 1 else {
            throw SecAggError.invalidParameter(name: "parameter count", value: "\(parameterCount)", expected: "≥ 1")
        }
        guard maxClients >= 1 else { throw SecAggError.invalidParameter(name: "max clients", value: "\(maxClients)", expected: "≥ 1") }
        guard (0...40).contains(fractionBits) else {
            throw SecAggError.invalidParameter(name: "fraction bits", value: "\(fractionBits)", expected: "0…40")
        }
        guard clip > 0, clip.isFinite else { throw SecAggError.invalidParameter(name: "clip", value: "\(clip)", expected: "> 0") }
        guard maxWeight >= 1 else { throw SecAggError.invalidParameter(name: "max weight", value: "\(maxWeight)", expected: "≥ 1") }
        // |round(clip · w · 2^f)| ≤ clip · maxWeight · 2^f; one more bit for the sign.
        let magnitude = (clip * Double(maxWeight) * Double(sign: .plus, exponent: fractionBits, significand: 1)).rounded(.up)
        guard magnitude < Double(1 << 56) else {
            throw SecAggError.invalidParameter(name: "clip · max weight · 2^f", value: "\(magnitude)", expected: "< 2^56")
        }
        // Bits of the largest magnitude (a value or the weight), plus the sign bit.
        let largest = max(UInt64(magnitude), UInt64(maxWeight))
        let valueBits = UInt64.bitWidth - largest.leadingZeroBitCount + 1
        self.parameterCount = parameterCount
        self.maxClients = maxClients
        self.fractionBits = fractionBits
        self.clip = clip
        self.maxWeight = maxWeight
        encoder = try PackedEncoder(publicKey: publicKey, valueBits: valueBits, maxSummands: maxClients)
    }

    /// Slots used: L values and the weight.
    public var slotsUsed: Int { parameterCount + 1 }

    /// Ciphertexts per update: ⌈(L + 1) / k⌉.
    public var ciphertextCount: Int { (slotsUsed + encoder.slotCount - 1) / encoder.slotCount }

    /// Per coordinate, |decoded mean − true weighted mean of the clipped updates| ≤ 2^−(f+1): each client's
    /// rounding error is at most 2^−(f+1)·… of w·Δ, and dividing Σ by Σw ≥ (number of clients) averages it.
    public var errorBound: Double { Double(sign: .plus, exponent: -(fractionBits + 1), significand: 1) }

    /// The signed slot values of one client's update (clip, scale by the weight, round half to even).
    /// - Throws: ``SecAggError/inputLengthMismatch(expected:actual:)``,
    ///   ``SecAggError/inputOutOfRange(index:expected:)`` for a non-finite value or a weight out of range.
    public func slots(update: [Float], weight: Int) throws -> [Int] {
        guard update.count == parameterCount else {
            throw SecAggError.inputLengthMismatch(expected: parameterCount, actual: update.count)
        }
        guard weight >= 1, weight <= maxWeight else {
            throw SecAggError.inputOutOfRange(index: parameterCount, expected: "weight in 1…\(maxWeight)")
        }
        let scale = Double(weight) * Double(sign: .plus, exponent: fractionBits, significand: 1)
        var out = [Int]()
        out.reserveCapacity(slotsUsed)
        for (i, x) in update.enumerated() {
            guard x.isFinite else { throw SecAggError.inputOutOfRange(index: i, expected: "a finite value") }
            let clipped = min(max(Double(x), -clip), clip)
            out.append(Int((clipped * scale).rounded(.toNearestOrEven)))
        }
        out.append(weight)
        return out
    }
}

// MARK: Messages

/// Client → server: one client's packed, encrypted update (``PaillierAggregationParameters/ciphertextCount``
/// ciphertexts, each exactly ``PaillierPublicKey/ciphertextByteCount`` bytes big-endian).
public struct PaillierCiphertextsMessage: WireMessage, Equatable {
    public static let messageType: UInt8 = 0x31
    public static let protocols: [AggregationProtocol] = [.paillier]
    public var header: MessageHeader
    /// Bytes per ciphertext.
    public var width: Int
    public var ciphertexts: [[UInt8]]

    public init(header: MessageHeader, width: Int, ciphertexts: [[UInt8]]) {
        self.header = header
        self.width = width
        self.ciphertexts = ciphertexts
    }

    public func encodeBody(into writer: inout WireWriter) {
        writer.write(UInt32(truncatingIfNeeded: width))
        writer.writeCount(ciphertexts.count)
        writer.reserve(width * ciphertexts.count)
        for c in ciphertexts { writer.writeFixed(c) }
    }

    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        let width = Int(try body.readUInt32("ciphertext width"))
        guard (128...2048).contains(width) else {
            throw .valueOutOfRange(what: "ciphertext width", value: "\(width)", expected: "128…2048 bytes")
        }
        self.width = width
        let count = try body.readCount("ciphertexts", minimumElementSize: width)
        var list: [[UInt8]] = []
        list.reserveCapacity(count)
        for i in 0..<count { list.append(try body.readFixed(width, "ciphertext \(i)")) }
        ciphertexts = list
    }
}

/// Threshold decryptor → server: decryption shares with proofs, one per aggregate ciphertext (each number
/// length-prefixed, big-endian; the proofs are checked by the server, not by the decoder).
public struct PaillierDecryptionSharesMessage: WireMessage, Equatable {
    public static let messageType: UInt8 = 0x32
    public static let protocols: [AggregationProtocol] = [.paillier]

    /// One share in wire form.
    public struct Share: Sendable, Equatable, Codable {
        public var index: UInt32
        public var value: [UInt8]
        public var a: [UInt8]
        public var b: [UInt8]
        public var z: [UInt8]
    }

    public var header: MessageHeader
    public var wireShares: [Share]

    public init(header: MessageHeader, shares: [PaillierDecryptionShare]) {
        self.header = header
        wireShares = shares.map {
            Share(
                index: UInt32(truncatingIfNeeded: $0.index), value: (try? $0.value.bigEndianBytes()) ?? [],
                a: (try? $0.proof.a.bigEndianBytes()) ?? [], b: (try? $0.proof.b.bigEndianBytes()) ?? [],
                z: (try? $0.proof.z.bigEndianBytes()) ?? [])
        }
    }

    /// The shares as values for ``ThresholdPaillierParameters/combine(_:for:)``.
    public var shares: [PaillierDecryptionShare] {
        wireShares.map {
            PaillierDecryptionShare(
                index: Int($0.index), value: Bignum(bigEndian: $0.value),
                proof: .init(a: Bignum(bigEndian: $0.a), b: Bignum(bigEndian: $0.b), z: Bignum(bigEndian: $0.z)))
        }
    }

    public func encodeBody(into writer: inout WireWriter) {
        writer.writeCount(wireShares.count)
        for s in wireShares {
            writer.write(s.index)
            for field in [s.value, s.a, s.b, s.z] { writer.writeLengthPrefixed(field) }
        }
    }

    public init(header: MessageHeader, body: inout WireReader) throws(SecAggError) {
        self.header = header
        let count = try body.readCount("decryption shares", minimumElementSize: 20)
        var list: [Share] = []
        for i in 0..<count {
            let index = try body.readUInt32("share \(i) index")
            let value = try body.readLengthPrefixed("share \(i) c_i", maximum: 2048)
            let a = try body.readLengthPrefixed("share \(i) a", maximum: 2048)
            let b = try body.readLengthPrefixed("share \(i) b", maximum: 2048)
            let z = try body.readLengthPrefixed("share \(i) z", maximum: 4096)
            list.append(Share(index: index, value: value, a: a, b: b, z: z))
        }
        wireShares = list
    }
}

// MARK: Client, server, decryptors

/// One client: packs and encrypts its update with the (shared, precomputed) fast encryptor.
public struct PaillierAggregationClient: Sendable {
    public let id: UInt32
    public let parameters: PaillierAggregationParameters
    public let encryptor: PaillierEncryptor

    public init(id: UInt32, parameters: PaillierAggregationParameters, encryptor: PaillierEncryptor) throws {
        guard encryptor.publicKey == parameters.encoder.publicKey else { throw PaillierError.keyMismatch }
        self.id = id
        self.parameters = parameters
        self.encryptor = encryptor
    }

    /// The encrypted update message for `session`.
    public func encrypt(update: [Float], weight: Int, session: UInt64, using rng: inout some RandomSource) throws
        -> PaillierCiphertextsMessage
    {
        let slots = try parameters.slots(update: update, weight: weight)
        let k = parameters.encoder.slotCount
        var ciphertexts: [[UInt8]] = []
        ciphertexts.reserveCapacity(parameters.ciphertextCount)
        var start = 0
        while start < slots.count {
            let chunk = Array(slots[start..<min(start + k, slots.count)])
            ciphertexts.append(try encryptor.encrypt(parameters.encoder.pack(chunk), using: &rng).bytes)
            start += k
        }
        return PaillierCiphertextsMessage(
            header: MessageHeader(protocolID: .paillier, session: session, sender: id, receiver: ParticipantID.server),
            width: parameters.encoder.publicKey.ciphertextByteCount, ciphertexts: ciphertexts)
    }
}

/// The aggregation server: validates each client's message and multiplies the ciphertexts position by
/// position; it holds no key and learns nothing but the message sizes.
public struct PaillierAggregationServer: Sendable {
    public let parameters: PaillierAggregationParameters
    public let session: UInt64
    private var sums: [PackedCiphertext] = []
    public private(set) var contributors: [UInt32] = []

    public init(parameters: PaillierAggregationParameters, session: UInt64) {
        self.parameters = parameters
        self.session = session
    }

    /// Adds one client's encrypted update.
    /// - Throws: ``SecAggError`` for a wrong session/recipient, a duplicate sender, a wrong count or width;
    ///   ``PaillierError/invalidCiphertext(_:)`` for a value outside Z*_{n²}; ``PaillierError/overflow(_:)``
    ///   beyond `maxClients`. The state is unchanged when it throws.
    public mutating func receive(_ message: PaillierCiphertextsMessage) throws {
        let key = parameters.encoder.publicKey
        guard message.header.session == session else {
            throw SecAggError.wrongSession(expected: session, actual: message.header.session)
        }
        guard message.header.receiver == ParticipantID.server else {
            throw SecAggError.wrongRecipient(expected: ParticipantID.server, actual: message.header.receiver)
        }
        guard !contributors.contains(message.header.sender) else { throw SecAggError.duplicateMessage(from: message.header.sender) }
        guard message.width == key.ciphertextByteCount else {
            throw SecAggError.lengthMismatch(what: "ciphertext width", expected: "\(key.ciphertextByteCount)", actual: message.width)
        }
        guard message.ciphertexts.count == parameters.ciphertextCount else {
            throw SecAggError.lengthMismatch(what: "ciphertexts", expected: "\(parameters.ciphertextCount)", actual: message.ciphertexts.count)
        }
        let incoming = try message.ciphertexts.map { PackedCiphertext(ciphertext: try PaillierCiphertext(bytes: $0, publicKey: key)) }
        let updated = sums.isEmpty ? incoming : try zip(sums, incoming).map { try parameters.encoder.add($0, $1) }
        sums = updated
        contributors.append(message.header.sender)
    }

    /// The summed ciphertexts (for the decryptors).
    /// - Throws: ``SecAggError/tooFewClients(round:needed:available:)`` when no update arrived.
    public func aggregate() throws -> [PackedCiphertext] {
        guard !sums.isEmpty else { throw SecAggError.tooFewClients(round: .maskedInput, needed: 1, available: 0) }
        return sums
    }

    /// The aggregate as a message to the decryptors.
    public func aggregateMessage(to receiver: UInt32 = ParticipantID.allClients) throws -> PaillierCiphertextsMessage {
        let key = parameters.encoder.publicKey
        return PaillierCiphertextsMessage(
            header: MessageHeader(protocolID: .paillier, session: session, sender: ParticipantID.server, receiver: receiver),
            width: key.ciphertextByteCount, ciphertexts: try aggregate().map(\.ciphertext.bytes))
    }

    /// Decodes decrypted plaintexts into the weighted mean and the total weight.
    public func mean(fromPlaintexts plaintexts: [Bignum]) throws -> (mean: [Float], totalWeight: Int) {
        try PaillierAggregationDecoding.mean(plaintexts, parameters: parameters)
    }

    /// Threshold decryption: verifies each decryptor's shares (proofs) and combines, ciphertext by ciphertext.
    /// Shares that fail are set aside; any t valid decryptors suffice.
    /// - Throws: ``PaillierError/invalidDecryptionShare(index:reason:)`` when fewer than t decryptors gave
    ///   valid shares for some ciphertext.
    public func combine(_ messages: [PaillierDecryptionSharesMessage], threshold parameters: ThresholdPaillierParameters)
        throws -> (mean: [Float], totalWeight: Int)
    {
        let sums = try aggregate()
        var plaintexts: [Bignum] = []
        for (j, c) in sums.enumerated() {
            let shares = messages.compactMap { $0.shares.indices.contains(j) ? $0.shares[j] : nil }
            plaintexts.append(try parameters.combine(shares, for: c.ciphertext).plaintext)
        }
        return try mean(fromPlaintexts: plaintexts)
    }
}

/// A key holder that decrypts the aggregate alone (variant (a)).
public struct PaillierAggregationDecryptor: Sendable {
    public let key: PaillierPrivateKey
    public let parameters: PaillierAggregationParameters

    public init(key: PaillierPrivateKey, parameters: PaillierAggregationParameters) {
        self.key = key
        self.parameters = parameters
    }

    /// Decrypts the summed ciphertexts into the weighted mean and the total weight.
    public func decrypt(_ sums: [PackedCiphertext]) throws -> (mean: [Float], totalWeight: Int) {
        try PaillierAggregationDecoding.mean(sums.map { try key.decrypt($0.ciphertext) }, parameters: parameters)
    }
}

/// A threshold decryptor (variant (b)): produces decryption shares with proofs for every aggregate ciphertext.
public struct PaillierThresholdDecryptor: Sendable {
    public let id: UInt32
    public let share: ThresholdPaillierKeyShare

    public init(id: UInt32, share: ThresholdPaillierKeyShare) {
        self.id = id
        self.share = share
    }

    public func decryptionShares(for aggregate: PaillierCiphertextsMessage, session: UInt64, using rng: inout some RandomSource)
        throws -> PaillierDecryptionSharesMessage
    {
        let key = share.parameters.publicKey
        guard aggregate.header.session == session else {
            throw SecAggError.wrongSession(expected: session, actual: aggregate.header.session)
        }
        let shares = try aggregate.ciphertexts.map {
            try share.decryptionShare(for: PaillierCiphertext(bytes: $0, publicKey: key), using: &rng)
        }
        return PaillierDecryptionSharesMessage(
            header: MessageHeader(protocolID: .paillier, session: session, sender: id, receiver: ParticipantID.server),
            shares: shares)
    }
}

enum PaillierAggregationDecoding {
    static func mean(_ plaintexts: [Bignum], parameters: PaillierAggregationParameters) throws -> (mean: [Float], totalWeight: Int) {
        var slots: [Int] = []
        slots.reserveCapacity(plaintexts.count * parameters.encoder.slotCount)
        for m in plaintexts { slots += try parameters.encoder.unpack(m) }
        guard slots.count >= parameters.slotsUsed else {
            throw SecAggError.lengthMismatch(what: "decrypted slots", expected: "\(parameters.slotsUsed)", actual: slots.count)
        }
        let totalWeight = slots[parameters.parameterCount]
        guard totalWeight >= 1 else {
            throw SecAggError.valueOutOfRange(what: "total weight", value: "\(totalWeight)", expected: "≥ 1")
        }
        let scale = 1 / (Double(totalWeight) * Double(sign: .plus, exponent: parameters.fractionBits, significand: 1))
        let mean = (0..<parameters.parameterCount).map { Float(Double(slots[$0]) * scale) }
        return (mean, totalWeight)
    }
}
