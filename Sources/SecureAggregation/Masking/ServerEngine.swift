import CryptoPrimitives
import SecretSharing

/// The server state machine shared by ``MaskedAggregationServer`` and ``SecAggPlusServer``.
///
/// Every `receive` validates the whole message before changing anything, so a rejected message leaves the
/// round as it was. Every `finish` checks that at least t clients (t per neighbourhood for SecAgg+) remain
/// and otherwise aborts: the error is thrown and every later call throws ``SecAggError/aborted(_:)``.
///
/// Authenticated variant: round-0 messages must be signed (the signatures are forwarded in the key
/// directories), round 2 ends with ``finishMaskedInputForConsistencyCheck()``, the survivors' signatures on
/// U3 are collected, and ``finishConsistencyCheck()`` sends the unmasking requests, with those signatures,
/// to the clients that signed.
internal struct MaskingServerEngine<Word: RingWord>: Sendable {
    let config: MaskingConfiguration
    let threads: Int
    let authentication: MaskingServerAuthentication
    private(set) var round: ProtocolRound = .advertiseKeys
    private(set) var abortReason: SecAggError?

    // Round 0.
    private var keys: [UInt32: AdvertiseKeys] = [:]
    private var advertisedKeys: Set<[UInt8]> = []
    private(set) var u1: [UInt32] = []
    private var u1Set: Set<UInt32> = []
    // Round 1.
    private var shareKeys: [UInt32: ShareKeys] = [:]
    private(set) var u2: [UInt32] = []
    private var u2Set: Set<UInt32> = []
    // Round 2.
    private var sum: [Word] = []
    private var maskedSenders: Set<UInt32> = []
    private(set) var u3: [UInt32] = []
    private var u3Set: Set<UInt32> = []
    // Round 2.5 (authenticated variant).
    private var consistencySignatures: [UInt32: [UInt8]] = [:]
    /// The clients asked to unmask: U3, or in the authenticated variant the signers that can be satisfied.
    private var unmaskRecipients: Set<UInt32> = []
    // Round 3.
    private var revealed: [UInt32: [RevealedShare]] = [:]
    private(set) var u4: [UInt32] = []
    private var result: [Word]?

    init(config: MaskingConfiguration, threads: Int, authentication: MaskingServerAuthentication = .unauthenticated)
        throws(SecAggError)
    {
        try config.ring.checkWordType(Word.self)
        guard threads >= 1 else { throw .invalidParameter(name: "threads", value: "\(threads)", expected: "≥ 1") }
        self.config = config
        self.threads = threads
        self.authentication = authentication
    }

    var isAuthenticated: Bool { authentication.isAuthenticated }

    // MARK: Helpers

    private func checkLive() throws(SecAggError) {
        if let abortReason { throw .aborted(abortReason) }
    }

    private func expect(_ r: ProtocolRound, _ message: String) throws(SecAggError) {
        try checkLive()
        guard round == r else { throw .unexpectedMessage(message: message, round: round) }
    }

    /// Checks protocol, session, that the server is the receiver and that the sender is in `allowed`.
    private func check(_ h: MessageHeader, from allowed: Set<UInt32>?) throws(SecAggError) {
        guard h.protocolID == config.protocolID else { throw .wrongProtocol(expected: config.protocolID, actual: h.protocolID) }
        guard h.session == config.session else { throw .wrongSession(expected: config.session, actual: h.session) }
        guard h.receiver == ParticipantID.server else { throw .wrongRecipient(expected: ParticipantID.server, actual: h.receiver) }
        if let allowed {
            guard allowed.contains(h.sender) else { throw .unknownClient(h.sender) }
        } else {
            guard config.topology.isClient(h.sender) else { throw .unknownClient(h.sender) }
        }
    }

    private mutating func abort(_ error: SecAggError) -> SecAggError {
        abortReason = error
        return error
    }

    private func header(to receiver: UInt32) -> MessageHeader {
        MessageHeader(protocolID: config.protocolID, session: config.session, sender: ParticipantID.server,
                      receiver: receiver)
    }

    /// u's peers among `members` (its neighbours, excluding u), increasing.
    private func peers(of u: UInt32, among members: [UInt32], _ memberSet: Set<UInt32>) -> [UInt32] {
        config.topology.neighbours(of: u, among: members, memberSet: memberSet)
    }

    // MARK: Round 0

    mutating func receive(_ m: AdvertiseKeys) throws(SecAggError) {
        try expect(.advertiseKeys, "AdvertiseKeys")
        try check(m.header, from: nil)
        let sender = m.header.sender
        guard keys[sender] == nil else { throw .duplicateMessage(from: sender) }
        for key in [m.encryptionPublicKey, m.maskingPublicKey] where key.count != MaskingWire.publicKeyByteCount {
            throw .lengthMismatch(what: "public key of client \(sender)", expected: "32", actual: key.count)
        }
        switch (isAuthenticated, m.signature) {
        case (false, nil): break
        case (false, .some): throw .wrongAuthenticationMode(what: "a signed AdvertiseKeys", authenticated: false)
        case (true, nil): throw .wrongAuthenticationMode(what: "an AdvertiseKeys without a signature", authenticated: true)
        case (true, .some(let signature)):
            guard (1...MaskingWire.maximumSignatureByteCount).contains(signature.count) else {
                throw .lengthMismatch(what: "signature of client \(sender)",
                                      expected: "1...\(MaskingWire.maximumSignatureByteCount)", actual: signature.count)
            }
            if let verifier = authentication.verifier {
                let message = MaskingSignedContent.advertisedKeys(
                    protocolID: config.protocolID, session: config.session, client: sender,
                    encryptionPublicKey: m.encryptionPublicKey, maskingPublicKey: m.maskingPublicKey)
                guard verifier.verify(signature, on: message, by: sender) else { throw .invalidSignature(client: sender) }
            }
        }
        guard m.encryptionPublicKey != m.maskingPublicKey, !advertisedKeys.contains(m.encryptionPublicKey),
              !advertisedKeys.contains(m.maskingPublicKey) else { throw .duplicatePublicKey(client: sender) }
        // A small-order key would make every peer's agreement fail; catch it here. Any clamped scalar maps a
        // small-order point to zero, so a fixed public probe scalar suffices.
        for key in [m.encryptionPublicKey, m.maskingPublicKey] {
            guard let smallOrderProbe else { break }
            let publicKey = try lowered { try X25519.PublicKey(rawRepresentation: key) }
            var probe = try agree(smallOrderProbe, publicKey, peer: sender)
            wipe(&probe)
        }
        keys[sender] = m
        advertisedKeys.insert(m.encryptionPublicKey)
        advertisedKeys.insert(m.maskingPublicKey)
    }

    mutating func finishAdvertiseKeys() throws(SecAggError) -> [KeyDirectory] {
        try expect(.advertiseKeys, "finishAdvertiseKeys")
        let members = keys.keys.sorted()
        guard members.count >= config.threshold else {
            throw abort(.tooFewClients(round: .advertiseKeys, needed: config.threshold, available: members.count))
        }
        let memberSet = Set(members)
        let entry = { (id: UInt32) -> KeyDirectory.Entry in
            let m = keys[id]
            return KeyDirectory.Entry(client: id, encryptionPublicKey: m?.encryptionPublicKey ?? [],
                                      maskingPublicKey: m?.maskingPublicKey ?? [], signature: m?.signature)
        }
        var directories = [KeyDirectory]()
        directories.reserveCapacity(members.count)
        switch config.topology {
        case .complete:
            let all = members.map(entry)  // one array shared (copy on write) by every message
            for u in members { directories.append(KeyDirectory(header: header(to: u), entries: all)) }
        case .harary:
            for u in members {
                let ids = (peers(of: u, among: members, memberSet) + [u]).sorted()
                directories.append(KeyDirectory(header: header(to: u), entries: ids.map(entry)))
            }
        }
        u1 = members
        u1Set = memberSet
        round = .shareKeys
        return directories
    }

    // MARK: Round 1

    mutating func receive(_ m: ShareKeys) throws(SecAggError) {
        try expect(.shareKeys, "ShareKeys")
        try check(m.header, from: u1Set)
        let sender = m.header.sender
        guard shareKeys[sender] == nil else { throw .duplicateMessage(from: sender) }
        guard m.seedCommitment.count == MaskingWire.commitmentByteCount else {
            throw .lengthMismatch(what: "seed commitment", expected: "32", actual: m.seedCommitment.count)
        }
        // Exactly one share for every peer in the sender's key directory, in increasing order.
        let expected = peers(of: sender, among: u1, u1Set)
        for (i, s) in m.shares.enumerated() {
            if i > 0, s.peer <= m.shares[i - 1].peer { throw .notStrictlyIncreasing(what: "encrypted shares", id: s.peer) }
            guard i < expected.count else { throw .unknownClient(s.peer) }
            if s.peer != expected[i] {
                throw s.peer > expected[i] ? .missingEntry(what: "encrypted share", client: expected[i]) : .unknownClient(s.peer)
            }
            guard s.ciphertext.count == MaskingWire.shareCiphertextByteCount else {
                throw .lengthMismatch(what: "encrypted share for client \(s.peer)",
                                      expected: "\(MaskingWire.shareCiphertextByteCount)", actual: s.ciphertext.count)
            }
        }
        if m.shares.count < expected.count { throw .missingEntry(what: "encrypted share", client: expected[m.shares.count]) }
        shareKeys[sender] = m
    }

    mutating func finishShareKeys() throws(SecAggError) -> [ShareDelivery] {
        try expect(.shareKeys, "finishShareKeys")
        var members = shareKeys.keys.sorted()
        var memberSet = Set(members)
        // SecAgg+: a client with fewer than t − 1 peers left cannot have its secrets reconstructed; leave it
        // out (which may leave others short, hence the loop). A no-op on the complete graph once |U2| ≥ t.
        if case .harary = config.topology {
            var changed = true
            while changed {
                changed = false
                for u in members where peers(of: u, among: members, memberSet).count + 1 < config.threshold {
                    memberSet.remove(u)
                    changed = true
                }
                if changed { members = members.filter(memberSet.contains) }
            }
        }
        guard members.count >= config.threshold else {
            throw abort(.tooFewClients(round: .shareKeys, needed: config.threshold, available: members.count))
        }
        var deliveries = [ShareDelivery]()
        deliveries.reserveCapacity(members.count)
        for v in members {
            var shares = [EncryptedShare]()
            for u in peers(of: v, among: members, memberSet) {
                guard let list = shareKeys[u]?.shares, let i = binarySearch(list, v) else {
                    throw .missingEntry(what: "encrypted share", client: u)  // unreachable: checked on receipt
                }
                shares.append(EncryptedShare(peer: u, ciphertext: list[i].ciphertext))
            }
            deliveries.append(ShareDelivery(header: header(to: v), shares: shares))
        }
        u2 = members
        u2Set = memberSet
        sum = [Word](repeating: 0, count: config.vectorLength)
        round = .maskedInput
        return deliveries
    }

    private func binarySearch(_ list: [EncryptedShare], _ peer: UInt32) -> Int? {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].peer < peer { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.count && list[lo].peer == peer ? lo : nil
    }

    // MARK: Round 2

    mutating func receive(_ m: MaskedInput) throws(SecAggError) {
        try expect(.maskedInput, "MaskedInput")
        try check(m.header, from: u2Set)
        let sender = m.header.sender
        guard !maskedSenders.contains(sender) else { throw .duplicateMessage(from: sender) }
        guard m.values.count == config.vectorLength else {
            throw .lengthMismatch(what: "masked input of client \(sender)", expected: "\(config.vectorLength)",
                                  actual: m.values.count)
        }
        guard m.values.bitWidth == config.ring.bitWidth else {
            throw .valueOutOfRange(what: "ring bits of client \(sender)'s input", value: "\(m.values.bitWidth)",
                                   expected: "\(config.ring.bitWidth)")
        }
        let values = m.values
        try withWordBuffer(&sum, { s throws(SecAggError) in values.accumulate(into: s) },
                           { s throws(SecAggError) in values.accumulate(into: s) })
        maskedSenders.insert(sender)
    }

    /// The request for u: its holdings (itself and its peers in U2) split into survivors and dropped.
    private func request(for u: UInt32) -> (survivors: [UInt32], dropped: [UInt32]) {
        var survivors = [UInt32](), dropped = [UInt32]()
        for v in (peers(of: u, among: u2, u2Set) + [u]).sorted() {
            if u3Set.contains(v) { survivors.append(v) } else { dropped.append(v) }
        }
        return (survivors, dropped)
    }

    /// Ends round 2: U3 = the senders (≥ t; for SecAgg+ every secret to reconstruct keeps t holders in U3).
    private mutating func closeMaskedInput() throws(SecAggError) {
        let members = maskedSenders.sorted()
        guard members.count >= config.threshold else {
            throw abort(.tooFewClients(round: .maskedInput, needed: config.threshold, available: members.count))
        }
        try checkHolders(among: members, Set(members), round: .maskedInput)
        u3 = members
        u3Set = Set(members)
    }

    /// SecAgg+: every secret to reconstruct needs t holders among `members` (the clients that will answer):
    /// b_u for u ∈ U3 (u itself holds a share), s_v^SK for v ∈ U2 \ U3 (v does not answer). Aborts otherwise.
    private mutating func checkHolders(among members: [UInt32], _ memberSet: Set<UInt32>, round: ProtocolRound)
        throws(SecAggError)
    {
        guard case .harary = config.topology else { return }
        for v in u2 {
            let holders = peers(of: v, among: members, memberSet).count + (memberSet.contains(v) ? 1 : 0)
            guard holders >= config.threshold else {
                throw abort(.tooFewClients(round: round, needed: config.threshold, available: holders))
            }
        }
    }

    /// The unmasking requests for `recipients`, with the consistency signatures in the authenticated variant.
    private func unmaskRequests(to recipients: [UInt32]) -> [UnmaskRequest] {
        var requests = [UnmaskRequest]()
        requests.reserveCapacity(recipients.count)
        let signers = consistencySignatures.keys.sorted()
        let allSignatures: [ClientSignature]? = isAuthenticated
            ? signers.map { ClientSignature(client: $0, signature: consistencySignatures[$0] ?? []) } : nil
        switch config.topology {
        case .complete:
            let dropped = u2.filter { !u3Set.contains($0) }
            for u in recipients {
                requests.append(UnmaskRequest(header: header(to: u), survivors: u3, dropped: dropped,
                                              consistencySignatures: allSignatures))
            }
        case .harary:
            let signerSet = Set(signers)
            for u in recipients {
                let r = request(for: u)
                var signatures: [ClientSignature]?
                if isAuthenticated {
                    // u counts only signatures of its neighbourhood (itself included): send just those.
                    signatures = (peers(of: u, among: signers, signerSet) + [u]).sorted().compactMap { v in
                        consistencySignatures[v].map { ClientSignature(client: v, signature: $0) }
                    }
                }
                requests.append(UnmaskRequest(header: header(to: u), survivors: r.survivors, dropped: r.dropped,
                                              consistencySignatures: signatures))
            }
        }
        return requests
    }

    mutating func finishMaskedInput() throws(SecAggError) -> [UnmaskRequest] {
        try expect(.maskedInput, "finishMaskedInput")
        guard !isAuthenticated else {
            throw .wrongAuthenticationMode(what: "finishMaskedInput() (use finishMaskedInputForConsistencyCheck())",
                                           authenticated: true)
        }
        try closeMaskedInput()
        unmaskRecipients = u3Set
        round = .unmasking
        return unmaskRequests(to: u3)
    }

    // MARK: Round 2.5 (authenticated variant)

    mutating func finishMaskedInputForConsistencyCheck() throws(SecAggError) -> [ConsistencyCheckRequest] {
        guard isAuthenticated else {
            throw .wrongAuthenticationMode(what: "finishMaskedInputForConsistencyCheck()", authenticated: false)
        }
        try expect(.maskedInput, "finishMaskedInputForConsistencyCheck")
        try closeMaskedInput()
        round = .consistencyCheck
        return u3.map { ConsistencyCheckRequest(header: header(to: $0), survivors: u3) }
    }

    mutating func receive(_ m: ConsistencySignature) throws(SecAggError) {
        guard isAuthenticated else { throw .wrongAuthenticationMode(what: "ConsistencySignature", authenticated: false) }
        try expect(.consistencyCheck, "ConsistencySignature")
        try check(m.header, from: u3Set)
        let sender = m.header.sender
        guard consistencySignatures[sender] == nil else { throw .duplicateMessage(from: sender) }
        guard (1...MaskingWire.maximumSignatureByteCount).contains(m.signature.count) else {
            throw .lengthMismatch(what: "consistency signature of client \(sender)",
                                  expected: "1...\(MaskingWire.maximumSignatureByteCount)", actual: m.signature.count)
        }
        if let verifier = authentication.verifier {
            let message = MaskingSignedContent.consistencyCheck(
                protocolID: config.protocolID, session: config.session, survivors: u3)
            guard verifier.verify(m.signature, on: message, by: sender) else { throw .invalidSignature(client: sender) }
        }
        consistencySignatures[sender] = m.signature
    }

    /// Ends round 2.5: the signers that will see t signatures (complete graph: all, if there are ≥ t;
    /// SecAgg+: those with t signers in their neighbourhood, themselves included) get unmasking requests;
    /// every secret to reconstruct must keep t holders among them, else abort.
    mutating func finishConsistencyCheck() throws(SecAggError) -> [UnmaskRequest] {
        guard isAuthenticated else {
            throw .wrongAuthenticationMode(what: "finishConsistencyCheck()", authenticated: false)
        }
        try expect(.consistencyCheck, "finishConsistencyCheck")
        let signers = consistencySignatures.keys.sorted()
        guard signers.count >= config.threshold else {
            throw abort(.tooFewClients(round: .consistencyCheck, needed: config.threshold, available: signers.count))
        }
        var recipients = signers
        if case .harary = config.topology {
            let signerSet = Set(signers)
            recipients = signers.filter { peers(of: $0, among: signers, signerSet).count + 1 >= config.threshold }
        }
        let recipientSet = Set(recipients)
        guard recipients.count >= config.threshold else {
            throw abort(.tooFewClients(round: .consistencyCheck, needed: config.threshold, available: recipients.count))
        }
        try checkHolders(among: recipients, recipientSet, round: .consistencyCheck)
        unmaskRecipients = recipientSet
        round = .unmasking
        return unmaskRequests(to: recipients)
    }

    // MARK: Round 3

    mutating func receive(_ m: UnmaskShares) throws(SecAggError) {
        try expect(.unmasking, "UnmaskShares")
        try check(m.header, from: unmaskRecipients)
        let sender = m.header.sender
        guard revealed[sender] == nil else { throw .duplicateMessage(from: sender) }
        let (survivors, dropped) = request(for: sender)
        let droppedSet = Set(dropped)
        let expectedOwners = (survivors + dropped).sorted()
        for (i, s) in m.shares.enumerated() {
            if i > 0, s.owner <= m.shares[i - 1].owner { throw .notStrictlyIncreasing(what: "revealed shares", id: s.owner) }
            guard i < expectedOwners.count else { throw .unknownClient(s.owner) }
            if s.owner != expectedOwners[i] {
                throw s.owner > expectedOwners[i]
                    ? .missingEntry(what: "revealed share", client: expectedOwners[i]) : .unknownClient(s.owner)
            }
            let kind: ShareKind = droppedSet.contains(s.owner) ? .maskingKey : .maskSeed
            guard s.kind == kind else { throw .wrongShareKind(owner: s.owner, expected: kind) }
            guard s.index == sender else { throw .invalidShareIndex(index: s.index, expected: sender) }
            guard s.values.count == MaskingWire.limbsPerSecret else {
                throw .lengthMismatch(what: "share of client \(s.owner)", expected: "\(MaskingWire.limbsPerSecret)",
                                      actual: s.values.count)
            }
            for v in s.values where v >= Mersenne61.prime {
                throw .valueOutOfRange(what: "share value", value: "\(v)", expected: "< 2^61 − 1")
            }
        }
        if m.shares.count < expectedOwners.count {
            throw .missingEntry(what: "revealed share", client: expectedOwners[m.shares.count])
        }
        revealed[sender] = m.shares
    }

    mutating func finishUnmasking() throws(SecAggError) -> [Word] {
        try expect(.unmasking, "finishUnmasking")
        let responders = revealed.keys.sorted()
        guard responders.count >= config.threshold else {
            throw abort(.tooFewClients(round: .unmasking, needed: config.threshold, available: responders.count))
        }
        // Gather the shares per secret, in increasing responder order.
        var seedShares: [UInt32: [RevealedShare]] = [:]
        var keyShares: [UInt32: [RevealedShare]] = [:]
        for r in responders {
            for s in revealed[r] ?? [] {
                if s.kind == .maskSeed { seedShares[s.owner, default: []].append(s) } else { keyShares[s.owner, default: []].append(s) }
            }
        }
        var lagrange = LagrangeCache(threshold: config.threshold, clientCount: config.clientCount)

        var streams = [MaskStream]()
        defer { for i in streams.indices { wipe(&streams[i].seed) } }
        for u in u3 {
            var seed = try reconstruct(seedShares[u] ?? [], owner: u, kind: .maskSeed, lagrange: &lagrange)
            defer { wipe(&seed) }
            guard let advert = shareKeys[u],
                  constantTimeEquals(MaskingKDF.seedCommitment(seed: seed, protocolID: config.protocolID,
                                                               session: config.session, owner: u),
                                     advert.seedCommitment) else {
                throw abort(.reconstructionFailed(owner: u, secret: .maskSeed))
            }
            streams.append(MaskStream(seed: seed, subtract: true))
        }
        // Reconstruct every dropped client's key, then derive the d·|U3| pairwise seeds on all threads.
        var pairs: [(v: UInt32, key: X25519.PrivateKey, u: UInt32, publicKey: X25519.PublicKey)] = []
        for v in u2 where !u3Set.contains(v) {
            var raw = try reconstruct(keyShares[v] ?? [], owner: v, kind: .maskingKey, lagrange: &lagrange)
            defer { wipe(&raw) }
            guard let key = try? X25519.PrivateKey(rawRepresentation: raw),
                  let advertised = keys[v], (try? key.publicKey().rawRepresentation) == advertised.maskingPublicKey else {
                throw abort(.reconstructionFailed(owner: v, secret: .maskingKey))
            }
            for u in peers(of: v, among: u3, u3Set) {
                guard let pk = keys[u], let publicKey = try? X25519.PublicKey(rawRepresentation: pk.maskingPublicKey) else {
                    throw abort(.invalidPublicKey(client: u))
                }
                pairs.append((v, key, u, publicKey))
            }
        }
        let (protocolID, session, allPairs) = (config.protocolID, config.session, pairs)
        do {
            streams += try parallelMap(pairs.count, threads: threads) { i throws(SecAggError) in
                let p = allPairs[i]
                var agreement = try agree(p.key, p.publicKey, peer: p.u)
                defer { wipe(&agreement) }
                let seed = try MaskingKDF.pairwiseSeed(agreement: agreement, protocolID: protocolID, session: session,
                                                       p.u, p.v)
                // Survivor u added +PRG(s_uv) when v > u and −PRG(s_uv) when v < u; take it back out.
                return MaskStream(seed: seed, subtract: p.v > p.u)
            }
        } catch {
            throw abort(error)
        }
        var total = sum   // moved out (the state is finished or aborted after this), so no copy is made
        sum = []
        do {
            try applyMasks(streams, to: &total, ring: config.ring, threads: threads)
        } catch {
            throw abort(error)
        }
        u4 = responders
        result = total
        round = .finished
        return total
    }

    /// Combines the first t shares of one secret and converts it back to 32 bytes; aborts when there are
    /// fewer than t or they are inconsistent.
    private mutating func reconstruct(
        _ shares: [RevealedShare], owner: UInt32, kind: ShareKind, lagrange: inout LagrangeCache
    ) throws(SecAggError) -> [UInt8] {
        let t = config.threshold
        guard shares.count >= t else {
            throw abort(.tooFewClients(round: .unmasking, needed: t, available: shares.count))
        }
        let used = shares.prefix(t)
        let weights = try lagrange.weights(for: used.map { Int($0.index) })
        var limbs = Mersenne61().linearCombination(weights: weights, of: used.map(\.values),
                                                   length: MaskingWire.limbsPerSecret)
        defer { limbs.withUnsafeMutableBytes { zeroize($0) } }
        guard let bytes = SecretLimbs.bytes(limbs[...]) else {
            throw abort(.reconstructionFailed(owner: owner, secret: kind))
        }
        return bytes
    }

    func currentResult() throws(SecAggError) -> [Word] {
        if let abortReason { throw .aborted(abortReason) }
        guard let result else { throw .notFinished(round: round) }
        return result
    }
}

/// A fixed, public X25519 scalar used only to detect small-order public keys.
private let smallOrderProbe = try? X25519.PrivateKey(rawRepresentation: [UInt8](repeating: 0x5A, count: 32))

/// Lagrange weights at 0 per index set, computed once per distinct set (on the complete graph every secret
/// is reconstructed from the same first t responders).
internal struct LagrangeCache {
    private let shamir: Shamir<Mersenne61>?
    private var cache: [[Int]: [UInt64]] = [:]

    init(threshold: Int, clientCount: Int) {
        shamir = try? Shamir(field: Mersenne61(), threshold: threshold, shareCount: clientCount)
    }

    mutating func weights(for indices: [Int]) throws(SecAggError) -> [UInt64] {
        if let w = cache[indices] { return w }
        guard let shamir else { throw .sharing(.invalidThreshold(threshold: 0, shareCount: 0)) }
        let w = try lowered { try shamir.lagrangeCoefficientsAtZero(indices: indices) }
        cache[indices] = w
        return w
    }
}
