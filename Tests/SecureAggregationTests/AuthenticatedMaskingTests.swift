import CryptoPrimitives
import SecureAggregation
import Testing

/// The authenticated variant (Bonawitz et al.'s active-server protocol): every step, every dropout
/// pattern within the tolerance, and a clean abort one beyond it, for both protocols.
@Suite struct AuthenticatedMaskingCorrectnessTests {
    static let steps: [ProtocolRound] = [.advertiseKeys, .shareKeys, .maskedInput, .consistencyCheck, .unmasking]

    /// Inputs count when the masked input arrived: clients dropping at the consistency check or at
    /// unmasking are in the sum.
    static func contributors(n: Int, dropped: [UInt32], at round: ProtocolRound) -> [UInt32] {
        (1...n).map { UInt32($0) }.filter { !dropped.contains($0) || round >= .consistencyCheck }
    }

    /// Dropouts at every step, 1 … n − t of them (lowest ids and random ids): the sum over U3 is exact.
    @Test(arguments: steps)
    func maskingDropoutsUpToTheToleranceAreSurvived(round: ProtocolRound) throws {
        let n = 7, t = 4, length = 13
        var rng = try testRandom("auth dropouts \(round)")
        for count in 1...(n - t) {
            for pattern in 0..<2 {
                var sim = try makeMasking(UInt32.self, n: n, t: t, length: length, bits: 32,
                                          label: "auth drop \(round) \(count) \(pattern)", authenticated: true)
                let dropped = pattern == 0 ? (1...count).map { UInt32($0) } : try randomIDs(count: count, of: n, using: &rng)
                for id in dropped { sim.dropAt[id] = round }
                let sum = try sim.run()
                let contributors = Self.contributors(n: n, dropped: dropped, at: round)
                #expect(sim.server.maskedInputClients == contributors)
                #expect(sum == plainSum(sim.inputs, of: contributors, bits: 32, length: length),
                        "round \(round), dropped \(dropped)")
            }
        }
    }

    /// One dropout more than n − t at any step: the server aborts with tooFewClients naming the step.
    @Test(arguments: steps)
    func maskingOneDropoutTooManyAbortsCleanly(round: ProtocolRound) throws {
        let n = 6, t = 4
        var sim = try makeMasking(UInt32.self, n: n, t: t, length: 5, bits: 32, label: "auth abort \(round)",
                                  authenticated: true)
        for id in 1...(n - t + 1) { sim.dropAt[UInt32(id)] = round }
        expectError(.tooFewClients(round: round, needed: t, available: t - 1)) { () throws(SecAggError) in try sim.run() }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.server.result() }) {
            if case .aborted(.tooFewClients) = $0 { return true } else { return false }
        }
    }

    /// SecAgg+: up to k + 1 − t dropouts at every step keep every neighbourhood at t: exact.
    @Test(arguments: steps)
    func plusDropoutsWithinEveryNeighbourhoodAreSurvived(round: ProtocolRound) throws {
        let n = 16, k = 6, t = 4
        var rng = try testRandom("auth plus drops \(round)")
        for count in 1...(k + 1 - t) {
            var sim = try makePlus(UInt64.self, n: n, k: k, t: t, length: 9, bits: 40, label: "auth plus \(round) \(count)",
                                   authenticated: true)
            let dropped = try randomIDs(count: count, of: n, using: &rng)
            for id in dropped { sim.dropAt[id] = round }
            let sum = try sim.run()
            let contributors = Self.contributors(n: n, dropped: dropped, at: round)
            #expect(sum == plainSum(sim.inputs, of: contributors, bits: 40, length: 9), "dropped \(dropped) at \(round)")
        }
    }

    /// SecAgg+: too few clients overall at any step aborts cleanly.
    @Test(arguments: steps)
    func plusTooFewClientsAborts(round: ProtocolRound) throws {
        var sim = try makePlus(UInt32.self, n: 8, k: 4, t: 3, length: 5, bits: 32, label: "auth plus few \(round)",
                               authenticated: true)
        for id in 1...6 { sim.dropAt[UInt32(id)] = round }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.run() }) {
            if case .tooFewClients = $0 { return true } else { return false }
        }
        #expect(sim.server.abortReason != nil)
    }

    /// SecAgg+: when a neighbourhood loses more than k + 1 − t signers at the consistency check, the
    /// server aborts at that step instead of sending requests that could not complete.
    @Test func plusNeighbourhoodStarvedAtTheConsistencyCheckAborts() throws {
        var sim = try makePlus(UInt32.self, n: 12, k: 4, t: 3, length: 5, bits: 32, label: "auth plus starve",
                               authenticated: true)
        let directories = try sim.roundZero()
        let d1 = try #require(directories.first { $0.header.receiver == 1 })
        // Client 1 and three of its four neighbours sign nothing: b_1 keeps one holder among the signers.
        sim.dropAt[1] = .consistencyCheck
        for e in d1.entries.filter({ $0.client != 1 }).prefix(3) { sim.dropAt[e.client] = .consistencyCheck }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try sim.roundTwo(try sim.roundOne(directories))
        }) { if case .tooFewClients(round: .consistencyCheck, needed: 3, _) = $0 { return true } else { return false } }
    }

    /// The authenticated messages add the signatures' bytes: signed AdvertiseKeys is 157 bytes, a signed
    /// directory 29 + 104 per entry with 32-byte test signatures, and so on (as `Specs/secagg-masking.md`).
    @Test func signedMessagesHaveTheSpecifiedSizes() throws {
        var sim = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, label: "auth sizes", authenticated: true)
        let advert = try sim.clients[1]!.advertiseKeys()
        #expect(advert.encoded().count == 25 + 64 + 4 + 32)   // 32-byte HMAC test signatures
        #expect(advert.encoded()[4] == MaskingMessageType.signedAdvertiseKeys.rawValue)
        try sim.server.receive(encoded: advert.encoded())
        for id in 2...5 { try sim.server.receive(encoded: try sim.clients[UInt32(id)]!.advertiseKeys().encoded()) }
        let directories = try sim.server.finishAdvertiseKeys()
        #expect(directories.allSatisfy { $0.encoded().count == 29 + 5 * (68 + 4 + 32) })
        let requests = try { () throws(SecAggError) in
            try sim.sendMaskedInputs(try sim.roundOne(directories))
            return try sim.server.finishMaskedInputForConsistencyCheck()
        }()
        #expect(requests.allSatisfy { $0.encoded().count == 29 + 4 * 5 })
        let signature = try sim.clients[2]!.consistencyCheck(try #require(requests.first { $0.header.receiver == 2 }))
        #expect(signature.encoded().count == 25 + 4 + 32)
    }
}

/// Negative tests of the authenticated variant; each names the attack it stops.
@Suite struct AuthenticatedMaskingAttackTests {
    let all: [UInt32] = [1, 2, 3, 4, 5]

    func fresh(_ label: String, session: UInt64 = 7, identities: TestIdentities = TestIdentities()) throws
        -> MaskingSimulation<UInt32>
    {
        try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, session: session, label: label, authenticated: true,
                        identities: identities)
    }

    /// The client refuses `directory` with `expected`, is aborted for good, and never shares keys: the
    /// genuine directory is refused afterwards too.
    func expectRefusal(_ sim: inout MaskingSimulation<UInt32>, client: UInt32, _ directory: KeyDirectory,
                       genuine: KeyDirectory, _ expected: SecAggError, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = directory.encoded()   // through the wire, as a malicious server would send it
        let decoded = try KeyDirectory(decoding: bytes)
        expectError(expected, sourceLocation: sourceLocation) { () throws(SecAggError) in try sim.clients[client]!.shareKeys(decoded) }
        #expect(sim.clients[client]!.abortReason == expected, sourceLocation: sourceLocation)
        expectError(.aborted(expected), sourceLocation: sourceLocation) { () throws(SecAggError) in
            try sim.clients[client]!.shareKeys(genuine)
        }
    }

    // MARK: The key directory

    /// A server that alters one bit of a peer's signature is caught: the client names the peer and aborts.
    @Test func forgedSignatureInTheDirectoryIsRefused() throws {
        var sim = try fresh("auth forged")
        let directories = try sim.roundZero()
        let genuine = try #require(directories.first { $0.header.receiver == 1 })
        var forged = genuine
        forged.entries[2].signature?[0] ^= 0x01
        try expectRefusal(&sim, client: 1, forged, genuine: genuine, .invalidSignature(client: 3))
    }

    /// A server that strips one peer's signature (e.g. to slip in a client without an identity) is caught.
    @Test func missingSignatureInTheDirectoryIsRefused() throws {
        var sim = try fresh("auth missing")
        let directories = try sim.roundZero()
        let genuine = try #require(directories.first { $0.header.receiver == 2 })
        var stripped = genuine
        stripped.entries[3].signature = nil
        try expectRefusal(&sim, client: 2, stripped, genuine: genuine, .missingSignature(client: 4))
    }

    /// Man in the middle: the server substitutes its own keys for client 4's and keeps 4's signature.
    @Test func substitutedKeysAreRefused() throws {
        var sim = try fresh("auth mitm")
        let directories = try sim.roundZero()
        let genuine = try #require(directories.first { $0.header.receiver == 1 })
        var substituted = genuine
        var rng = try testRandom("server's own key")
        substituted.entries[3].encryptionPublicKey = try X25519.PrivateKey(using: &rng).publicKey().rawRepresentation
        try expectRefusal(&sim, client: 1, substituted, genuine: genuine, .invalidSignature(client: 4))
    }

    /// Replay: client 4's keys and signature from another session (same identities) are refused.
    @Test func advertisementFromAnotherSessionIsRefused() throws {
        var sim = try fresh("auth replay adv")
        var old = try fresh("auth replay adv old", session: 6)
        let oldEntry = try #require(try old.roundZero().first?.entries.first { $0.client == 4 })
        let directories = try sim.roundZero()
        let genuine = try #require(directories.first { $0.header.receiver == 1 })
        var replayed = genuine
        replayed.entries[3] = oldEntry
        try expectRefusal(&sim, client: 1, replayed, genuine: genuine, .invalidSignature(client: 4))
    }

    /// Another client's valid signature does not vouch for client 4's keys.
    @Test func signatureOfAnotherClientIsRefused() throws {
        var sim = try fresh("auth other client")
        let directories = try sim.roundZero()
        let genuine = try #require(directories.first { $0.header.receiver == 5 })
        var swapped = genuine
        swapped.entries[3].signature = genuine.entries[1].signature
        try expectRefusal(&sim, client: 5, swapped, genuine: genuine, .invalidSignature(client: 4))
    }

    /// A client without an admitted identity: honest clients refuse a directory listing it; a server that
    /// verifies (`authenticatedVerifying`) drops it on receipt and the others finish exactly.
    @Test func clientWithoutIdentityIsRefusedAndAVerifyingServerDropsIt() throws {
        let identities = TestIdentities(realm: "auth admitted", admitted: [1, 2, 3, 4])
        var sim = try fresh("auth unadmitted", identities: identities)
        let directories = try sim.roundZero()   // the forwarding server accepts client 5's advert
        let d1 = try #require(directories.first { $0.header.receiver == 1 })
        expectError(.invalidSignature(client: 5)) { () throws(SecAggError) in try sim.clients[1]!.shareKeys(d1) }

        var checked = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, label: "auth unadmitted 2",
                                      authenticated: true, identities: identities,
                                      server: .authenticatedVerifying(identities))
        for id in 1...4 { try checked.upload(try checked.clients[UInt32(id)]!.advertiseKeys().encoded()) }
        let impostor = try checked.clients[5]!.advertiseKeys().encoded()
        expectError(.invalidSignature(client: 5)) { () throws(SecAggError) in try checked.server.receive(encoded: impostor) }
        let sum = try checked.roundThree(try checked.roundTwo(try checked.roundOne(try checked.server.finishAdvertiseKeys())))
        #expect(sum == plainSum(checked.inputs, of: [1, 2, 3, 4], bits: 32, length: 8))
    }

    // MARK: The consistency check

    /// A server that tells different clients different survivor sets (here: clients 4–6 that client 1
    /// dropped) gets no shares from anyone: no U3 has t = 4 signatures, so every client refuses and aborts.
    @Test func differentSurvivorSetsForDifferentClientsAreRefused() throws {
        var sim = try makeMasking(UInt32.self, n: 6, t: 4, length: 8, bits: 32, label: "auth equivocate",
                                  authenticated: true)
        try sim.sendMaskedInputs(try sim.roundOne(try sim.roundZero()))
        let requests = try sim.server.finishMaskedInputForConsistencyCheck()
        let everyone: [UInt32] = [1, 2, 3, 4, 5, 6], withoutOne: [UInt32] = [2, 3, 4, 5, 6]
        var collected = [ClientSignature]()
        for r in requests {
            var told = r
            if r.header.receiver >= 4 { told.survivors = withoutOne }
            let signed = try sim.clients[r.header.receiver]!.consistencyCheck(told)
            collected.append(ClientSignature(client: r.header.receiver, signature: signed.signature))
        }
        for r in requests {
            let u = r.header.receiver
            let request = UnmaskRequest(header: r.header, survivors: u <= 3 ? everyone : withoutOne, dropped: u <= 3 ? [] : [1],
                                        consistencySignatures: collected)
            expectError(.notEnoughConsistencySignatures(needed: 4, valid: 3)) { () throws(SecAggError) in
                try sim.clients[u]!.unmask(try UnmaskRequest(decoding: request.encoded()))
            }
            #expect(sim.clients[u]!.abortReason == .notEnoughConsistencySignatures(needed: 4, valid: 3))
        }
    }

    /// Fewer than t valid consistency signatures (some withheld, some garbage): refused, nothing revealed,
    /// and the client stays aborted even when the genuine request follows.
    @Test func fewerThanThresholdValidConsistencySignaturesAreRefused() throws {
        var sim = try fresh("auth few signatures")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let genuine = try #require(requests.first { $0.header.receiver == 1 })
        #expect(genuine.consistencySignatures?.map(\.client) == all)
        var withheld = genuine
        withheld.consistencySignatures = Array(genuine.consistencySignatures!.prefix(2))
        var garbage = genuine
        for i in 2..<5 { garbage.consistencySignatures![i].signature[0] ^= 0xFF }
        expectError(.notEnoughConsistencySignatures(needed: 3, valid: 2)) { () throws(SecAggError) in
            try sim.clients[1]!.unmask(withheld)
        }
        expectError(.notEnoughConsistencySignatures(needed: 3, valid: 2)) { () throws(SecAggError) in
            try sim.clients[2]!.unmask(UnmaskRequest(header: requests[1].header, survivors: garbage.survivors,
                                                     dropped: garbage.dropped,
                                                     consistencySignatures: garbage.consistencySignatures))
        }
        expectError(.aborted(.notEnoughConsistencySignatures(needed: 3, valid: 2))) { () throws(SecAggError) in
            try sim.clients[1]!.unmask(genuine)
        }
        // The three clients that were not attacked still give the server what it needs.
        for r in requests where r.header.receiver >= 3 {
            try sim.upload(try sim.clients[r.header.receiver]!.unmask(r).encoded())
        }
        #expect(try sim.server.finishUnmasking() == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// Replay: consistency signatures from another session (same identities, same U3) do not count, and a
    /// verifying server rejects them on receipt.
    @Test func consistencySignaturesFromAnotherSessionAreRejected() throws {
        var old = try fresh("auth replay cc old", session: 6)
        let oldRequests = try old.roundTwo(try old.roundOne(try old.roundZero()))
        let oldSignatures = try #require(oldRequests.first?.consistencySignatures)

        var sim = try fresh("auth replay cc")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let genuine = try #require(requests.first { $0.header.receiver == 1 })
        var replayed = genuine
        replayed.consistencySignatures = oldSignatures.map { $0.client == 1 ? genuine.consistencySignatures![0] : $0 }
        expectError(.notEnoughConsistencySignatures(needed: 3, valid: 1)) { () throws(SecAggError) in
            try sim.clients[1]!.unmask(replayed)
        }

        // Server side: the old message is from another session; re-labelled, its signature does not verify.
        let identities = TestIdentities()
        var checked = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, label: "auth replay cc 2",
                                      authenticated: true, server: .authenticatedVerifying(identities))
        try checked.sendMaskedInputs(try checked.roundOne(try checked.roundZero()))
        _ = try checked.server.finishMaskedInputForConsistencyCheck()
        let header = MessageHeader(protocolID: .masking, session: 7, sender: 2, receiver: ParticipantID.server)
        let stale = ConsistencySignature(header: MessageHeader(protocolID: .masking, session: 6, sender: 2, receiver: 0),
                                         signature: oldSignatures[1].signature)
        expectError(.wrongSession(expected: 7, actual: 6)) { () throws(SecAggError) in
            try checked.server.receive(encoded: stale.encoded())
        }
        expectError(.invalidSignature(client: 2)) { () throws(SecAggError) in
            try checked.server.receive(encoded: ConsistencySignature(header: header, signature: oldSignatures[1].signature).encoded())
        }
    }

    /// The client checks U3 before signing: it must contain the client, only clients it was told of in
    /// round 2, only ids 1 … n, and at least t of them.
    @Test func clientRefusesToSignAnInconsistentSurvivorSet() throws {
        var sim = try fresh("auth bad u3")
        sim.dropAt[5] = .shareKeys
        try sim.sendMaskedInputs(try sim.roundOne(try sim.roundZero()))
        let requests = try sim.server.finishMaskedInputForConsistencyCheck()
        let r = try #require(requests.first { $0.header.receiver == 1 })
        #expect(r.survivors == [1, 2, 3, 4])
        func sign(_ survivors: [UInt32]) -> () throws(SecAggError) -> ConsistencySignature {
            { () throws(SecAggError) in try sim.clients[1]!.consistencyCheck(ConsistencyCheckRequest(header: r.header, survivors: survivors)) }
        }
        expectError(sign([1, 2, 3, 4, 5])) { if case .consistencyCheckRefused = $0 { return true } else { return false } }
        expectError(sign([2, 3, 4])) { if case .consistencyCheckRefused = $0 { return true } else { return false } }
        expectError(.unknownClient(9), sign([1, 2, 3, 9]))
        expectError(.tooFewClients(round: .consistencyCheck, needed: 3, available: 2), sign([1, 2]))
        expectError(.notStrictlyIncreasing(what: "survivors", id: 2), sign([1, 3, 2]))
        // None of that changed the client: the honest set is signed and the run finishes.
        _ = try sim.roundThree(try sim.roundTwoAndAHalf(requests))
        #expect(try sim.server.result() == plainSum(sim.inputs, of: [1, 2, 3, 4], bits: 32, length: 8))
    }

    /// The unmasking request must follow the U3 the client signed: a survivor outside it, or a member of it
    /// listed as dropped, is refused before any signature is checked.
    @Test func unmaskRequestMustFollowTheSignedSurvivorSet() throws {
        var sim = try fresh("auth follow u3")
        sim.dropAt[5] = .consistencyCheck   // 5 sent its masked input but does not sign
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let r = try #require(requests.first { $0.header.receiver == 1 })
        #expect(r.survivors == all && r.consistencySignatures?.map(\.client) == [1, 2, 3, 4])
        var claimsFiveDropped = r
        claimsFiveDropped.survivors = [1, 2, 3, 4]
        claimsFiveDropped.dropped = [5]
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.clients[1]!.unmask(claimsFiveDropped) }) {
            if case .unmaskingRefused = $0 { return true } else { return false }
        }
        #expect(sim.clients[1]!.abortReason == nil)
        _ = try sim.roundThree(requests)
        #expect(try sim.server.result() == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// SecAgg+: only signatures of the client's own neighbourhood (itself included) count; the honest
    /// server sends just those.
    @Test func plusCountsOnlyNeighbourhoodSignatures() throws {
        var sim = try makePlus(UInt32.self, n: 12, k: 4, t: 3, length: 5, bits: 32, label: "auth plus hood",
                               authenticated: true)
        let directories = try sim.roundZero()
        let hood = Set(try #require(directories.first { $0.header.receiver == 1 }).entries.map(\.client))
        try sim.sendMaskedInputs(try sim.roundOne(directories))
        let checks = try sim.server.finishMaskedInputForConsistencyCheck()
        #expect(checks.allSatisfy { $0.survivors == (1...12).map { UInt32($0) } })   // the global U3
        var collected = [ClientSignature]()
        for c in checks {
            let s = try sim.clients[c.header.receiver]!.consistencyCheck(c)
            collected.append(ClientSignature(client: c.header.receiver, signature: s.signature))
            try sim.upload(s.encoded())
        }
        let requests = try sim.server.finishConsistencyCheck()
        let r1 = try #require(requests.first { $0.header.receiver == 1 })
        #expect(Set(try #require(r1.consistencySignatures).map(\.client)) == hood)
        // Every signature of the run, but only two from client 1's neighbourhood: 2 < t = 3.
        var foreign = r1
        let keep = Set([UInt32(1)] + hood.filter { $0 != 1 }.sorted().prefix(1))
        foreign.consistencySignatures = collected.filter { !hood.contains($0.client) || keep.contains($0.client) }
        expectError(.notEnoughConsistencySignatures(needed: 3, valid: 2)) { () throws(SecAggError) in
            try sim.clients[1]!.unmask(foreign)
        }
    }

    // MARK: Mixing the variants

    /// An unauthenticated message to an authenticated party and vice versa is a typed error.
    @Test func messagesOfTheOtherVariantAreRejected() throws {
        var plain = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, label: "auth mix plain")
        var auth = try fresh("auth mix auth")
        let unsigned = try plain.clients[1]!.advertiseKeys()
        let signed = try auth.clients[1]!.advertiseKeys()
        expectError(.wrongAuthenticationMode(what: "an AdvertiseKeys without a signature", authenticated: true)) {
            () throws(SecAggError) in try auth.server.receive(encoded: unsigned.encoded())
        }
        expectError(.wrongAuthenticationMode(what: "a signed AdvertiseKeys", authenticated: false)) {
            () throws(SecAggError) in try plain.server.receive(encoded: signed.encoded())
        }
        let cc = ConsistencySignature(header: unsigned.header, signature: [1, 2, 3])
        expectError(.wrongAuthenticationMode(what: "ConsistencySignature", authenticated: false)) {
            () throws(SecAggError) in try plain.server.receive(encoded: cc.encoded())
        }
        expectError(.wrongAuthenticationMode(what: "finishMaskedInputForConsistencyCheck()", authenticated: false)) {
            () throws(SecAggError) in try plain.server.finishMaskedInputForConsistencyCheck()
        }
        expectError(.wrongAuthenticationMode(what: "finishConsistencyCheck()", authenticated: false)) {
            () throws(SecAggError) in try plain.server.finishConsistencyCheck()
        }

        // Clients: an unsigned directory to an authenticated client and a signed one to a plain client.
        for id in 2...5 {
            try plain.upload(try plain.clients[UInt32(id)]!.advertiseKeys().encoded())
            try auth.upload(try auth.clients[UInt32(id)]!.advertiseKeys().encoded())
        }
        try plain.upload(unsigned.encoded())
        try auth.upload(signed.encoded())
        let plainDirectory = try #require(try plain.server.finishAdvertiseKeys().first { $0.header.receiver == 1 })
        let authDirectory = try #require(try auth.server.finishAdvertiseKeys().first { $0.header.receiver == 1 })
        var unsignedDirectory = authDirectory
        for i in unsignedDirectory.entries.indices { unsignedDirectory.entries[i].signature = nil }
        expectError(.wrongAuthenticationMode(what: "a KeyDirectory without signatures", authenticated: true)) {
            () throws(SecAggError) in try auth.clients[1]!.shareKeys(try KeyDirectory(decoding: unsignedDirectory.encoded()))
        }
        var signedDirectory = plainDirectory
        signedDirectory.entries[0].signature = [1]
        expectError(.wrongAuthenticationMode(what: "a signed KeyDirectory", authenticated: false)) {
            () throws(SecAggError) in try plain.clients[1]!.shareKeys(signedDirectory)
        }
        // Neither refusal aborted the client: each accepts the directory of its own variant.
        _ = try auth.clients[1]!.shareKeys(authDirectory)
        _ = try plain.clients[1]!.shareKeys(plainDirectory)
    }

    /// The client-side half of mixing the variants, after a complete round 2 of each.
    @Test func requestsOfTheOtherVariantAreRejectedByClients() throws {
        var plain = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, label: "auth mix plain 2")
        var auth = try fresh("auth mix auth 2")
        let plainRequests = try plain.roundTwo(try plain.roundOne(try plain.roundZero()))
        try auth.sendMaskedInputs(try auth.roundOne(try auth.roundZero()))
        expectError(.wrongAuthenticationMode(what: "finishMaskedInput() (use finishMaskedInputForConsistencyCheck())",
                                             authenticated: true)) { () throws(SecAggError) in try auth.server.finishMaskedInput() }
        let checks = try auth.server.finishMaskedInputForConsistencyCheck()
        let check1 = try #require(checks.first { $0.header.receiver == 1 })
        expectError(.wrongAuthenticationMode(what: "ConsistencyCheckRequest", authenticated: false)) {
            () throws(SecAggError) in try plain.clients[1]!.consistencyCheck(check1)
        }
        let plainRequest = try #require(plainRequests.first { $0.header.receiver == 2 })
        var withSignatures = plainRequest
        withSignatures.consistencySignatures = [ClientSignature(client: 1, signature: [1])]
        expectError(.wrongAuthenticationMode(what: "an UnmaskRequest with consistency signatures", authenticated: false)) {
            () throws(SecAggError) in try plain.clients[2]!.unmask(withSignatures)
        }
        let authRequests = try auth.roundTwoAndAHalf(checks)
        var unsigned = try #require(authRequests.first { $0.header.receiver == 2 })
        unsigned.consistencySignatures = nil
        expectError(.wrongAuthenticationMode(what: "an UnmaskRequest without consistency signatures", authenticated: true)) {
            () throws(SecAggError) in try auth.clients[2]!.unmask(unsigned)
        }
        // Both runs still finish exactly.
        #expect(try plain.roundThree(plainRequests) == plainSum(plain.inputs, of: all, bits: 32, length: 8))
        #expect(try auth.roundThree(authRequests) == plainSum(auth.inputs, of: all, bits: 32, length: 8))
    }

    /// The server checks consistency signatures structurally: only clients of U3, once each, of a sane size.
    @Test func serverChecksConsistencySignatureMessages() throws {
        var sim = try fresh("auth server cc")
        sim.dropAt[5] = .maskedInput
        try sim.sendMaskedInputs(try sim.roundOne(try sim.roundZero()))
        let checks = try sim.server.finishMaskedInputForConsistencyCheck()
        let s1 = try sim.clients[1]!.consistencyCheck(try #require(checks.first { $0.header.receiver == 1 }))
        try sim.upload(s1.encoded())
        expectError(.duplicateMessage(from: 1)) { () throws(SecAggError) in try sim.server.receive(encoded: s1.encoded()) }
        var fromFive = s1
        fromFive.header.sender = 5
        expectError(.unknownClient(5)) { () throws(SecAggError) in try sim.server.receive(encoded: fromFive.encoded()) }
        var oversized = s1
        oversized.header.sender = 2
        oversized.signature = [UInt8](repeating: 1, count: MaskingWire.maximumSignatureByteCount + 1)
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try sim.server.receive(encoded: oversized.encoded())
        }) { if case .valueOutOfRange = $0 { return true } else { return false } }
        expectError(.unexpectedMessage(message: "MaskedInput", round: .consistencyCheck)) { () throws(SecAggError) in
            try sim.server.receive(encoded: MaskedInput(header: s1.header, values: try RingVector([UInt32](repeating: 0, count: 8),
                                                                                                 bitWidth: 32)).encoded())
        }
    }
}
