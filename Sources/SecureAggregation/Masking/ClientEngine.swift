import CryptoPrimitives
import SecretSharing

/// What the two masking protocols share: who the participants are, the threshold, the vector and the ring.
internal struct MaskingConfiguration: Sendable, Equatable {
    let protocolID: AggregationProtocol
    let session: UInt64
    let threshold: Int
    let vectorLength: Int
    let ring: Ring
    let topology: Topology

    var clientCount: Int { topology.clientCount }
}

/// The client's long-lived secrets for one session, drawn at construction: two X25519 keys, the self-mask
/// seed b_u and the Shamir coefficient rows. Row 0 holds the shared secrets (the limbs of b_u, then of
/// s_u^SK); rows 1 … t − 1 are uniform. Wiped when released.
internal final class ClientSecrets: Sendable {
    let encryptionKey: X25519.PrivateKey
    let maskingKey: X25519.PrivateKey
    let seed: SecretBytes           // b_u
    let coefficients: SecretWords   // t rows × 10 columns, row-major

    init(threshold: Int, using rng: inout some RandomSource) throws(SecAggError) {
        let (c, s, b, rows) = try lowered {
            (try X25519.PrivateKey(using: &rng), try X25519.PrivateKey(using: &rng),
             SecretBytes(try rng.bytes(count: 32)),
             SecretWords(try Mersenne61().randomElements(count: 2 * MaskingWire.limbsPerSecret * (threshold - 1),
                                                         using: &rng)))
        }
        encryptionKey = c
        maskingKey = s
        seed = b
        var all = [UInt64]()
        all.reserveCapacity(2 * MaskingWire.limbsPerSecret * threshold)
        SecretLimbs.append(b.bytes, to: &all)
        var raw = s.rawRepresentation
        SecretLimbs.append(raw, to: &all)
        wipe(&raw)
        all += rows.words
        coefficients = SecretWords(all)
    }
}

/// A client's identity in the authenticated variant: its own signer and the directory of the others.
internal struct ClientAuthentication: Sendable {
    let signer: any MaskingSigner
    let verifier: any MaskingIdentityVerifier
}

/// The client state machine shared by ``MaskedAggregationClient`` and ``SecAggPlusClient``.
///
/// Without ``ClientAuthentication`` it runs the semi-honest protocol; with it, the authenticated variant
/// (signed keys, the consistency check before unmasking). A signature failure — an unsigned or badly signed
/// directory entry, or too few valid consistency signatures — is evidence of an active attack: the client
/// aborts for good (every later call throws ``SecAggError/aborted(_:)``); other bad input is rejected
/// without changing state, as in the semi-honest protocol.
internal struct MaskingClientEngine<Word: RingWord>: Sendable {
    struct PeerKeys: Sendable, Equatable {
        var encryption: X25519.PublicKey
        var masking: X25519.PublicKey
    }

    let id: UInt32
    let config: MaskingConfiguration
    let authentication: ClientAuthentication?
    private let secrets: ClientSecrets
    private let encryptionPublicKey: [UInt8]
    private let maskingPublicKey: [UInt8]
    /// The round whose message the client will produce next.
    private(set) var round: ProtocolRound = .advertiseKeys
    /// Key directory entries other than this client.
    private var peers: [UInt32: PeerKeys] = [:]
    /// This client's own share of its secrets (10 values at x = id).
    private var ownShare: SecretWords?
    /// Peers this client masked with (its view of U2 among its neighbours), increasing.
    private var maskedWith: [UInt32] = []
    /// The shares held: one 10-value row per entry of `holdingOrder`.
    private var heldShares: SecretWords?
    private var holdingOrder: [UInt32: Int] = [:]
    /// Every peer whose mask-seed share / key share this client has ever revealed.
    private var revealedSeedShares: Set<UInt32> = []
    private var revealedKeyShares: Set<UInt32> = []
    // Authenticated variant.
    /// Why this client aborted (a failed signature check), if it did.
    private(set) var abortReason: SecAggError?
    /// The signature on this client's own keys, as advertised.
    private var advertSignature: [UInt8]?
    /// The clients this client was told of in round 2: the senders of its delivery and itself.
    private var sharingView: Set<UInt32> = []
    /// The survivor set U3 this client signed (as a set, and the signed message), and its signature.
    private var signedSurvivors: Set<UInt32>?
    private var signedConsistencyMessage: [UInt8] = []
    private var consistencySignature: [UInt8]?

    var isAuthenticated: Bool { authentication != nil }

    init(id: UInt32, config: MaskingConfiguration, authentication: ClientAuthentication? = nil,
         using rng: inout some RandomSource) throws(SecAggError) {
        guard config.topology.isClient(id) else {
            throw .invalidParameter(name: "client id", value: "\(id)", expected: "1...\(config.clientCount)")
        }
        try config.ring.checkWordType(Word.self)
        self.id = id
        self.config = config
        self.authentication = authentication
        let secrets = try ClientSecrets(threshold: config.threshold, using: &rng)
        self.secrets = secrets
        encryptionPublicKey = try lowered { try secrets.encryptionKey.publicKey().rawRepresentation }
        maskingPublicKey = try lowered { try secrets.maskingKey.publicKey().rawRepresentation }
    }

    private func header(to receiver: UInt32) -> MessageHeader {
        MessageHeader(protocolID: config.protocolID, session: config.session, sender: id, receiver: receiver)
    }

    /// Checks protocol, session, that the server sent it and that it is for this client (or everyone).
    private func check(_ h: MessageHeader, allowBroadcast: Bool) throws(SecAggError) {
        guard h.protocolID == config.protocolID else { throw .wrongProtocol(expected: config.protocolID, actual: h.protocolID) }
        guard h.session == config.session else { throw .wrongSession(expected: config.session, actual: h.session) }
        guard h.sender == ParticipantID.server else { throw .wrongSender(expected: "the server (0)", actual: h.sender) }
        guard h.receiver == id || (allowBroadcast && h.receiver == ParticipantID.allClients) else {
            throw .wrongRecipient(expected: id, actual: h.receiver)
        }
    }

    private func expect(_ r: ProtocolRound, _ message: String) throws(SecAggError) {
        if let abortReason { throw .aborted(abortReason) }
        guard round == r else { throw .unexpectedMessage(message: message, round: round) }
    }

    /// Records a failed signature check: the client stops for good.
    private mutating func abort(_ error: SecAggError) -> SecAggError {
        abortReason = error
        return error
    }

    /// Signs `message` with this client's identity (authenticated variant only).
    private func sign(_ message: [UInt8]) throws(SecAggError) -> [UInt8] {
        guard let authentication else { throw .wrongAuthenticationMode(what: "signing", authenticated: false) }
        let signature = try authentication.signer.sign(message)
        guard (1...MaskingWire.maximumSignatureByteCount).contains(signature.count) else {
            throw .signingFailed(reason: "the signer returned \(signature.count) bytes, expected 1...\(MaskingWire.maximumSignatureByteCount)")
        }
        return signature
    }

    // MARK: Round 0

    mutating func advertiseKeys() throws(SecAggError) -> AdvertiseKeys {
        try expect(.advertiseKeys, "AdvertiseKeys")
        var signature: [UInt8]?
        if isAuthenticated {
            signature = try sign(MaskingSignedContent.advertisedKeys(
                protocolID: config.protocolID, session: config.session, client: id,
                encryptionPublicKey: encryptionPublicKey, maskingPublicKey: maskingPublicKey))
        }
        advertSignature = signature
        round = .shareKeys
        return AdvertiseKeys(header: header(to: ParticipantID.server), encryptionPublicKey: encryptionPublicKey,
                             maskingPublicKey: maskingPublicKey, signature: signature)
    }

    /// Authenticated variant: every entry must carry its client's valid signature on exactly those keys for
    /// this protocol and session (this client's own entry: the signature it advertised). Aborts otherwise.
    private mutating func verifySignatures(of directory: KeyDirectory) throws(SecAggError) {
        guard let authentication else { return }
        guard directory.isSigned else {
            throw .wrongAuthenticationMode(what: "a KeyDirectory without signatures", authenticated: true)
        }
        for e in directory.entries {
            guard let signature = e.signature else { throw abort(.missingSignature(client: e.client)) }
            if e.client == id {
                guard signature == advertSignature else { throw abort(.invalidSignature(client: id)) }
                continue
            }
            let message = MaskingSignedContent.advertisedKeys(
                protocolID: config.protocolID, session: config.session, client: e.client,
                encryptionPublicKey: e.encryptionPublicKey, maskingPublicKey: e.maskingPublicKey)
            guard authentication.verifier.verify(signature, on: message, by: e.client) else {
                throw abort(.invalidSignature(client: e.client))
            }
        }
    }

    // MARK: Round 1

    mutating func shareKeys(_ directory: KeyDirectory) throws(SecAggError) -> ShareKeys {
        try expect(.shareKeys, "KeyDirectory")
        try check(directory.header, allowBroadcast: true)
        if !isAuthenticated, directory.isSigned {
            throw .wrongAuthenticationMode(what: "a signed KeyDirectory", authenticated: false)
        }
        var peers: [UInt32: PeerKeys] = [:]
        var seenKeys = Set<[UInt8]>()
        var sawSelf = false
        var previous: UInt32 = 0
        for (i, e) in directory.entries.enumerated() {
            if i > 0, e.client <= previous { throw .notStrictlyIncreasing(what: "key directory", id: e.client) }
            previous = e.client
            for key in [e.encryptionPublicKey, e.maskingPublicKey] where key.count != MaskingWire.publicKeyByteCount {
                throw .lengthMismatch(what: "public key of client \(e.client)", expected: "32", actual: key.count)
            }
            guard seenKeys.insert(e.encryptionPublicKey).inserted, seenKeys.insert(e.maskingPublicKey).inserted else {
                throw .duplicatePublicKey(client: e.client)
            }
            if e.client == id {
                guard e.encryptionPublicKey == encryptionPublicKey, e.maskingPublicKey == maskingPublicKey else {
                    throw .valueOutOfRange(what: "this client's keys in the key directory", value: "different keys",
                                           expected: "the keys it advertised")
                }
                sawSelf = true
                continue
            }
            guard config.topology.areNeighbours(id, e.client) else { throw .unknownClient(e.client) }
            peers[e.client] = PeerKeys(
                encryption: try lowered { try X25519.PublicKey(rawRepresentation: e.encryptionPublicKey) },
                masking: try lowered { try X25519.PublicKey(rawRepresentation: e.maskingPublicKey) })
        }
        guard sawSelf else { throw .missingEntry(what: "own keys in the key directory", client: id) }
        let holders = directory.entries.count
        guard holders >= config.threshold else {
            throw .tooFewClients(round: .advertiseKeys, needed: config.threshold, available: holders)
        }
        // Every signature is checked before any share is computed (the keys it signs were checked above).
        try verifySignatures(of: directory)

        // Shares at x = each holder's id (this client included), from the polynomials drawn at construction.
        let points = directory.entries.map { UInt64($0.client) }
        let width = 2 * MaskingWire.limbsPerSecret
        var values = Mersenne61().evaluate(coefficients: secrets.coefficients.words, rowCount: config.threshold,
                                           length: width, at: points)
        defer { for i in values.indices { values[i].withUnsafeMutableBytes { zeroize($0) } } }
        var encrypted = [EncryptedShare]()
        encrypted.reserveCapacity(holders - 1)
        var own: SecretWords?
        for (entry, share) in zip(directory.entries, values) {
            if entry.client == id {
                own = SecretWords(Array(share))
                continue
            }
            guard let peer = peers[entry.client] else { continue }
            var plaintext = [UInt8]()
            plaintext.reserveCapacity(MaskingWire.sharePlaintextByteCount)
            for v in share { withUnsafeBytes(of: v.bigEndian) { plaintext += $0 } }
            defer { wipe(&plaintext) }
            var key = try channelKey(peer: entry.client, keys: peer, sender: id, receiver: entry.client)
            defer { wipe(&key) }
            let ad = MaskingKDF.shareAssociatedData(protocolID: config.protocolID, session: config.session,
                                                    sender: id, receiver: entry.client)
            let box = try lowered {
                try Aead.seal(plaintext, key: key, nonce: MaskingKDF.shareNonce, associatedData: ad)
            }
            encrypted.append(EncryptedShare(peer: entry.client, ciphertext: box.combined))
        }
        let commitment = MaskingKDF.seedCommitment(seed: secrets.seed.bytes, protocolID: config.protocolID,
                                                   session: config.session, owner: id)
        self.peers = peers
        ownShare = own
        round = .maskedInput
        return ShareKeys(header: header(to: ParticipantID.server), seedCommitment: commitment, shares: encrypted)
    }

    /// The share-encryption key between this client and `peer` for the direction sender → receiver.
    private func channelKey(peer: UInt32, keys: PeerKeys, sender: UInt32, receiver: UInt32) throws(SecAggError)
        -> [UInt8]
    {
        var agreement = try agree(secrets.encryptionKey, keys.encryption, peer: peer)
        defer { wipe(&agreement) }
        return try MaskingKDF.shareKey(agreement: agreement, protocolID: config.protocolID, session: config.session,
                                       sender: sender, receiver: receiver)
    }

    // MARK: Round 2

    mutating func maskedInput(_ delivery: ShareDelivery, input: [Word]) throws(SecAggError) -> MaskedInput {
        try expect(.maskedInput, "ShareDelivery")
        try check(delivery.header, allowBroadcast: false)
        guard input.count == config.vectorLength else {
            throw .inputLengthMismatch(expected: config.vectorLength, actual: input.count)
        }
        let k = config.ring.bitWidth
        try withWordBuffer(input, { v throws(SecAggError) in
            if let i = firstOutOfRange(v, bitWidth: k) { throw .inputOutOfRange(index: i, expected: "< 2^\(k)") }
        }, { v throws(SecAggError) in
            if let i = firstOutOfRange(v, bitWidth: k) { throw .inputOutOfRange(index: i, expected: "< 2^\(k)") }
        })
        guard let ownShare else { throw .unexpectedMessage(message: "ShareDelivery", round: round) }
        var previous: UInt32 = 0
        for (i, s) in delivery.shares.enumerated() {
            if i > 0, s.peer <= previous { throw .notStrictlyIncreasing(what: "delivered shares", id: s.peer) }
            previous = s.peer
            guard peers[s.peer] != nil else { throw .unknownClient(s.peer) }
            guard s.ciphertext.count == MaskingWire.shareCiphertextByteCount else {
                throw .lengthMismatch(what: "encrypted share from client \(s.peer)",
                                      expected: "\(MaskingWire.shareCiphertextByteCount)", actual: s.ciphertext.count)
            }
        }
        let holders = delivery.shares.count + 1
        guard holders >= config.threshold else {
            throw .tooFewClients(round: .shareKeys, needed: config.threshold, available: holders)
        }

        // Decrypt every share before anything else changes: a forged one rejects the whole delivery.
        let width = 2 * MaskingWire.limbsPerSecret
        var held = ownShare.words
        held.reserveCapacity(holders * width)
        var order: [UInt32: Int] = [id: 0]
        for s in delivery.shares {
            guard let keys = peers[s.peer] else { throw .unknownClient(s.peer) }
            var key = try channelKey(peer: s.peer, keys: keys, sender: s.peer, receiver: id)
            defer { wipe(&key) }
            let ad = MaskingKDF.shareAssociatedData(protocolID: config.protocolID, session: config.session,
                                                    sender: s.peer, receiver: id)
            var plaintext: [UInt8]
            do {
                plaintext = try Aead.open(try Aead.SealedBox(combined: s.ciphertext), key: key,
                                          nonce: MaskingKDF.shareNonce, associatedData: ad)
            } catch {
                held.withUnsafeMutableBytes { zeroize($0) }
                throw .decryptionFailed(from: s.peer)
            }
            defer { wipe(&plaintext) }
            guard plaintext.count == MaskingWire.sharePlaintextByteCount else { throw .decryptionFailed(from: s.peer) }
            for j in 0..<width {
                var v: UInt64 = 0
                for b in plaintext[(8 * j)..<(8 * j + 8)] { v = (v << 8) | UInt64(b) }
                guard v < Mersenne61.prime else {
                    held.withUnsafeMutableBytes { zeroize($0) }
                    throw .valueOutOfRange(what: "share value from client \(s.peer)", value: "\(v)", expected: "< 2^61 − 1")
                }
                held.append(v)
            }
            order[s.peer] = order.count
        }
        let heldBox = SecretWords(held)   // owns (and wipes) the buffer from here on

        // y = x + PRG(b) + Σ_{v > u} PRG(s_uv) − Σ_{v < u} PRG(s_uv), in Z_2^k.
        var streams = [MaskStream]()
        streams.reserveCapacity(holders)
        defer { for i in streams.indices { wipe(&streams[i].seed) } }
        streams.append(MaskStream(seed: Array(secrets.seed.bytes), subtract: false))
        let maskedWith = delivery.shares.map(\.peer)
        for v in maskedWith {
            guard let keys = peers[v] else { throw .unknownClient(v) }
            var agreement = try agree(secrets.maskingKey, keys.masking, peer: v)
            defer { wipe(&agreement) }
            let seed = try MaskingKDF.pairwiseSeed(agreement: agreement, protocolID: config.protocolID,
                                                   session: config.session, id, v)
            streams.append(MaskStream(seed: seed, subtract: v < id))
        }
        var y = input
        try applyMasks(streams, to: &y, ring: config.ring, threads: 1)
        let packed = try RingVector(y, bitWidth: k)

        heldShares = heldBox
        holdingOrder = order
        self.maskedWith = maskedWith
        sharingView = Set(maskedWith + [id])
        round = isAuthenticated ? .consistencyCheck : .unmasking
        return MaskedInput(header: header(to: ParticipantID.server), values: packed)
    }

    // MARK: Round 2.5 (authenticated variant)

    /// Checks U3 (it contains this client, is strictly increasing, lists only clients 1 … n, only clients
    /// this client was told of in round 2 among its neighbours, and at least t of its holders) and signs it.
    mutating func consistencyCheck(_ request: ConsistencyCheckRequest) throws(SecAggError) -> ConsistencySignature {
        guard isAuthenticated else {
            throw .wrongAuthenticationMode(what: "ConsistencyCheckRequest", authenticated: false)
        }
        try expect(.consistencyCheck, "ConsistencyCheckRequest")
        try check(request.header, allowBroadcast: true)
        let survivors = request.survivors
        for i in survivors.indices.dropFirst() where survivors[i] <= survivors[i - 1] {
            throw .notStrictlyIncreasing(what: "survivors", id: survivors[i])
        }
        var holders = 0
        for v in survivors {
            guard config.topology.isClient(v) else { throw .unknownClient(v) }
            guard v == id || config.topology.areNeighbours(id, v) else { continue }
            guard sharingView.contains(v) else {
                throw .consistencyCheckRefused(reason: "client \(v) is in U3 but did not share keys with client \(id) in round 1")
            }
            holders += 1
        }
        guard survivors.contains(id) else {
            throw .consistencyCheckRefused(reason: "client \(id) is not in U3 but its masked input was sent")
        }
        // Complete graph: |U3| ≥ t. SecAgg+: at least t holders of this client's shares survive.
        let counted: Int
        switch config.topology {
        case .complete: counted = survivors.count
        case .harary: counted = holders
        }
        guard counted >= config.threshold else {
            throw .tooFewClients(round: .consistencyCheck, needed: config.threshold, available: counted)
        }
        let message = MaskingSignedContent.consistencyCheck(
            protocolID: config.protocolID, session: config.session, survivors: survivors)
        let signature = try sign(message)
        signedSurvivors = Set(survivors)
        signedConsistencyMessage = message
        consistencySignature = signature
        round = .unmasking
        return ConsistencySignature(header: header(to: ParticipantID.server), signature: signature)
    }

    /// Authenticated variant: at least t valid signatures, by distinct clients of the U3 this client signed
    /// (for SecAgg+ also of its neighbourhood, itself included), over exactly that U3. Stops verifying at t.
    private mutating func verifyConsistencySignatures(_ list: [ClientSignature]) throws(SecAggError) {
        guard let authentication, let signedSurvivors, let consistencySignature else {
            throw .unexpectedMessage(message: "UnmaskRequest", round: round)
        }
        for i in list.indices.dropFirst() where list[i].client <= list[i - 1].client {
            throw .notStrictlyIncreasing(what: "consistency signatures", id: list[i].client)
        }
        let message = signedConsistencyMessage
        var valid = 0
        for entry in list where valid < config.threshold {
            let v = entry.client
            guard signedSurvivors.contains(v), v == id || config.topology.areNeighbours(id, v) else { continue }
            if v == id {
                if entry.signature == consistencySignature { valid += 1 }
            } else if authentication.verifier.verify(entry.signature, on: message, by: v) {
                valid += 1
            }
        }
        guard valid >= config.threshold else {
            throw abort(.notEnoughConsistencySignatures(needed: config.threshold, valid: valid))
        }
    }

    // MARK: Round 3

    mutating func unmask(_ request: UnmaskRequest) throws(SecAggError) -> UnmaskShares {
        if round == .finished { throw .unmaskingRefused(reason: "this client has already answered an unmasking request") }
        if !isAuthenticated, request.consistencySignatures != nil {
            throw .wrongAuthenticationMode(what: "an UnmaskRequest with consistency signatures", authenticated: false)
        }
        try expect(.unmasking, "UnmaskRequest")
        try check(request.header, allowBroadcast: true)
        guard let heldShares else { throw .unexpectedMessage(message: "UnmaskRequest", round: round) }
        if isAuthenticated, request.consistencySignatures == nil {
            throw .wrongAuthenticationMode(what: "an UnmaskRequest without consistency signatures", authenticated: true)
        }
        for (name, list) in [("survivors", request.survivors), ("dropped", request.dropped)] {
            for i in list.indices.dropFirst() where list[i] <= list[i - 1] {
                throw .notStrictlyIncreasing(what: name, id: list[i])
            }
        }
        // The check that stops a lying server: never both shares of one peer, in this request or ever.
        let dropped = Set(request.dropped)
        for v in request.survivors where dropped.contains(v) || revealedKeyShares.contains(v) {
            throw .bothSharesRequested(peer: v)
        }
        for v in request.dropped where revealedSeedShares.contains(v) { throw .bothSharesRequested(peer: v) }
        guard !dropped.contains(id) else {
            throw .unmaskingRefused(reason: "client \(id) is listed as dropped but is answering")
        }
        guard request.survivors.contains(id) else {
            throw .unmaskingRefused(reason: "client \(id) is not listed among the survivors")
        }
        for v in request.survivors + request.dropped where holdingOrder[v] == nil { throw .unknownClient(v) }
        let listed = request.survivors.count + request.dropped.count
        if listed != holdingOrder.count {
            let all = Set(request.survivors).union(dropped)
            let missing = holdingOrder.keys.filter { !all.contains($0) }.min() ?? id
            throw .missingEntry(what: "survivor/dropped decision", client: missing)
        }
        guard request.survivors.count >= config.threshold else {
            throw .tooFewClients(round: .maskedInput, needed: config.threshold, available: request.survivors.count)
        }
        if let signedSurvivors, let signatures = request.consistencySignatures {
            // The request must follow the U3 this client signed: survivors in it, dropped clients not.
            for v in request.survivors where !signedSurvivors.contains(v) {
                throw .unmaskingRefused(reason: "client \(v) is requested as a survivor but is not in the U3 this client signed")
            }
            for v in request.dropped where signedSurvivors.contains(v) {
                throw .unmaskingRefused(reason: "client \(v) is requested as dropped but is in the U3 this client signed")
            }
            try verifyConsistencySignatures(signatures)
        }

        let width = 2 * MaskingWire.limbsPerSecret
        let limbs = MaskingWire.limbsPerSecret
        var shares = [RevealedShare]()
        shares.reserveCapacity(listed)
        var s = request.survivors[...], d = request.dropped[...]
        while let owner = [s.first, d.first].compactMap({ $0 }).min() {
            let isSurvivor = s.first == owner
            if isSurvivor { s = s.dropFirst() } else { d = d.dropFirst() }
            guard let row = holdingOrder[owner] else { throw .unknownClient(owner) }
            let start = row * width + (isSurvivor ? 0 : limbs)
            shares.append(RevealedShare(owner: owner, kind: isSurvivor ? .maskSeed : .maskingKey, index: id,
                                        values: Array(heldShares.words[start..<(start + limbs)])))
        }
        revealedSeedShares.formUnion(request.survivors)
        revealedKeyShares.formUnion(request.dropped)
        round = .finished
        return UnmaskShares(header: header(to: ParticipantID.server), shares: shares)
    }
}

/// X25519(private, peer), with a small-order peer key reported against `peer`.
internal func agree(_ key: X25519.PrivateKey, _ publicKey: X25519.PublicKey, peer: UInt32) throws(SecAggError)
    -> [UInt8]
{
    do {
        return try key.sharedSecret(with: publicKey)
    } catch CryptoError.weakPublicKey {
        throw .invalidPublicKey(client: peer)
    } catch let error as CryptoError {
        throw .crypto(error)
    } catch {
        throw .crypto(.openSSLFailure(function: "X25519"))
    }
}
