import CryptoPrimitives
import SecretSharing
import SecureAggregation
import Testing

/// Negative tests: each names the attack or mistake it guards against. A rejected message leaves the state
/// machine unchanged, so every test that can continues the run and checks the sum is still exact.
@Suite struct MaskedAggregationAttackTests {
    let all: [UInt32] = [1, 2, 3, 4, 5]

    func fresh(_ label: String) throws -> MaskingSimulation<UInt32> {
        try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, session: 7, label: label)
    }

    // MARK: The unmasking check

    /// A server that asks one client for both the b-share and the s-share of a peer is refused.
    @Test func clientRefusesToRevealBothSharesOfAPeer() throws {
        var sim = try fresh("both")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let honest = try #require(requests.first { $0.header.receiver == 1 })
        let greedy = UnmaskRequest(header: honest.header, survivors: all, dropped: [4])
        expectError(.bothSharesRequested(peer: 4)) { () throws(SecAggError) in try sim.clients[1]!.unmask(greedy) }
        // The refusal changed nothing: the honest request is still answered and the sum is exact.
        _ = try sim.roundThree(requests)
        #expect(try sim.server.result() == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// After answering, a second request (e.g. now claiming a survivor dropped) is refused.
    @Test func clientAnswersOnlyOneUnmaskingRequest() throws {
        var sim = try fresh("twice")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let honest = try #require(requests.first { $0.header.receiver == 2 })
        _ = try sim.clients[2]!.unmask(honest)
        let second = UnmaskRequest(header: honest.header, survivors: [1, 2, 3, 4], dropped: [5])
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try sim.clients[2]!.unmask(second) }) {
            if case .unmaskingRefused = $0 { return true } else { return false }
        }
    }

    /// A request that lists the answering client as dropped, leaves out a peer, names an unknown client or has
    /// fewer than t survivors is refused.
    @Test func clientRefusesInconsistentRequests() throws {
        var sim = try fresh("inconsistent")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let h = try #require(requests.first { $0.header.receiver == 3 }).header
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try sim.clients[3]!.unmask(UnmaskRequest(header: h, survivors: [1, 2, 4, 5], dropped: [3]))
        }) { if case .unmaskingRefused = $0 { return true } else { return false } }
        expectError(.missingEntry(what: "survivor/dropped decision", client: 5)) { () throws(SecAggError) in
            try sim.clients[3]!.unmask(UnmaskRequest(header: h, survivors: [1, 2, 3, 4], dropped: []))
        }
        expectError(.unknownClient(9)) { () throws(SecAggError) in
            try sim.clients[3]!.unmask(UnmaskRequest(header: h, survivors: [1, 2, 3, 4, 5, 9], dropped: []))
        }
        expectError(.tooFewClients(round: .maskedInput, needed: 3, available: 2)) { () throws(SecAggError) in
            try sim.clients[3]!.unmask(UnmaskRequest(header: h, survivors: [2, 3], dropped: [1, 4, 5]))
        }
        expectError(.notStrictlyIncreasing(what: "survivors", id: 1)) { () throws(SecAggError) in
            try sim.clients[3]!.unmask(UnmaskRequest(header: h, survivors: [2, 1, 3, 4, 5], dropped: []))
        }
    }

    // MARK: Forged, misrouted and replayed messages

    /// A share ciphertext altered in transit fails authentication; the genuine delivery is then accepted.
    @Test func forgedShareCiphertextIsRejected() throws {
        var sim = try fresh("forged")
        let deliveries = try sim.roundOne(try sim.roundZero())
        let genuine = try #require(deliveries.first { $0.header.receiver == 1 })
        var forged = genuine
        forged.shares[1].ciphertext[5] ^= 0x01
        let peer = forged.shares[1].peer
        expectError(.decryptionFailed(from: peer)) { () throws(SecAggError) in
            try sim.clients[1]!.maskedInput(forged, input: sim.inputs[1]!)
        }
        _ = try sim.roundThree(try sim.roundTwo(deliveries))
        #expect(try sim.server.result() == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// Shares encrypted for one client and delivered to another do not decrypt (ids are bound in the key and AD).
    @Test func misroutedSharesAreRejected() throws {
        var sim = try fresh("misrouted")
        let deliveries = try sim.roundOne(try sim.roundZero())
        let forTwo = try #require(deliveries.first { $0.header.receiver == 2 })
        var redirected = forTwo
        redirected.header.receiver = 1
        // Client 1 holds no share from itself: the entry from 1 is unknown; drop it to reach decryption.
        redirected.shares.removeAll { $0.peer == 1 }
        redirected.shares.insert(EncryptedShare(peer: 2, ciphertext: forTwo.shares[0].ciphertext), at: 0)
        expectError(.decryptionFailed(from: 2)) { () throws(SecAggError) in
            try sim.clients[1]!.maskedInput(redirected, input: sim.inputs[1]!)
        }
    }

    /// Messages replayed from another session (an earlier training round) are rejected by the server.
    @Test func replayFromAnotherSessionIsRejected() throws {
        var old = try makeMasking(UInt32.self, n: 5, t: 3, length: 8, bits: 32, session: 6, label: "old session")
        let oldAdvert = try old.clients[1]!.advertiseKeys()
        var sim = try fresh("replay")
        expectError(.wrongSession(expected: 7, actual: 6)) { () throws(SecAggError) in
            try sim.server.receive(encoded: oldAdvert.encoded())
        }
        #expect(try sim.run() == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// A second copy of a message (duplicate, or another client replaying it) is rejected; the run goes on.
    @Test func duplicateMessagesAreRejected() throws {
        var sim = try fresh("duplicate")
        for id in all {
            let m = try sim.clients[id]!.advertiseKeys()
            try sim.server.receive(m)
            expectError(.duplicateMessage(from: id)) { () throws(SecAggError) in try sim.server.receive(m) }
            if id == 5 {
                var impostor = m
                impostor.header.sender = 6
                expectError(.unknownClient(6)) { () throws(SecAggError) in try sim.server.receive(impostor) }
            }
        }
        let directories = try sim.server.finishAdvertiseKeys()
        var shareMessages: [ShareKeys] = []
        for d in directories {
            let m = try sim.clients[d.header.receiver]!.shareKeys(d)
            try sim.server.receive(m)
            shareMessages.append(m)
        }
        expectError(.duplicateMessage(from: 1)) { () throws(SecAggError) in try sim.server.receive(shareMessages[0]) }
        #expect(try sim.roundThree(try sim.roundTwo(try sim.server.finishShareKeys()))
                == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// A client advertising another client's public key (a replay under a new id) is rejected.
    @Test func duplicatePublicKeysAreRejected() throws {
        var sim = try fresh("dupkey")
        let m1 = try sim.clients[1]!.advertiseKeys()
        try sim.server.receive(m1)
        var copy = m1
        copy.header.sender = 2
        expectError(.duplicatePublicKey(client: 2)) { () throws(SecAggError) in try sim.server.receive(copy) }
    }

    /// A small-order public key (all-zero u-coordinate, or the order-2 point 1) is rejected by the server.
    @Test func smallOrderKeysAreRejectedByTheServer() throws {
        var sim = try fresh("small order")
        var m = try sim.clients[1]!.advertiseKeys()
        m.maskingPublicKey = [1] + [UInt8](repeating: 0, count: 31)
        expectError(.invalidPublicKey(client: 1)) { () throws(SecAggError) in try sim.server.receive(m) }
        m.maskingPublicKey = [UInt8](repeating: 0, count: 32)
        expectError(.invalidPublicKey(client: 1)) { () throws(SecAggError) in try sim.server.receive(m) }
    }

    /// Messages for another round are rejected by server and client alike.
    @Test func wrongRoundMessagesAreRejected() throws {
        var sim = try fresh("wrong round")
        let directories = try sim.roundZero()
        let late = AdvertiseKeys(
            header: MessageHeader(protocolID: .masking, session: 7, sender: 1, receiver: 0),
            encryptionPublicKey: [UInt8](repeating: 9, count: 32), maskingPublicKey: [UInt8](repeating: 8, count: 32))
        expectError(.unexpectedMessage(message: "AdvertiseKeys", round: .shareKeys)) { () throws(SecAggError) in
            try sim.server.receive(late)
        }
        let early = MaskedInput(header: MessageHeader(protocolID: .masking, session: 7, sender: 1, receiver: 0),
                                values: try RingVector([UInt32](repeating: 0, count: 8), bitWidth: 32))
        expectError(.unexpectedMessage(message: "MaskedInput", round: .shareKeys)) { () throws(SecAggError) in
            try sim.server.receive(early)
        }
        let request = UnmaskRequest(header: MessageHeader(protocolID: .masking, session: 7, sender: 0, receiver: 1),
                                    survivors: all, dropped: [])
        expectError(.unexpectedMessage(message: "UnmaskRequest", round: .shareKeys)) { () throws(SecAggError) in
            try sim.clients[1]!.unmask(request)
        }
        expectError(.unexpectedMessage(message: "finishMaskedInput", round: .shareKeys)) { () throws(SecAggError) in
            try sim.server.finishMaskedInput()
        }
        #expect(try sim.roundThree(try sim.roundTwo(try sim.roundOne(directories)))
                == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// A truncated upload is rejected with a typed error; the intact copy is accepted afterwards.
    @Test func truncatedUploadsAreRejected() throws {
        var sim = try fresh("truncated")
        for id in all {
            let bytes = try sim.clients[id]!.advertiseKeys().encoded()
            expectError(.truncated(what: "message body", needed: 64, available: 63)) { () throws(SecAggError) in
                try sim.server.receive(encoded: Array(bytes.dropLast()))
            }
            try sim.server.receive(encoded: bytes)
        }
        let deliveries = try sim.roundOne(try sim.server.finishAdvertiseKeys())
        #expect(try sim.roundThree(try sim.roundTwo(deliveries)) == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }

    /// A masked input from a client that did not share keys, or of the wrong shape, is rejected.
    @Test func maskedInputFromOutsidersIsRejected() throws {
        var sim = try fresh("outsider")
        sim.dropAt[4] = .shareKeys
        let requests = try sim.roundOne(try sim.roundZero())
        let zero = try RingVector([UInt32](repeating: 0, count: 8), bitWidth: 32)
        let h = MessageHeader(protocolID: .masking, session: 7, sender: 4, receiver: 0)
        expectError(.unknownClient(4)) { () throws(SecAggError) in try sim.server.receive(MaskedInput(header: h, values: zero)) }
        var h1 = h
        h1.sender = 1
        expectError(.lengthMismatch(what: "masked input of client 1", expected: "8", actual: 7)) { () throws(SecAggError) in
            try sim.server.receive(MaskedInput(header: h1, values: try RingVector([UInt32](repeating: 0, count: 7), bitWidth: 32)))
        }
        expectError(.valueOutOfRange(what: "ring bits of client 1's input", value: "31", expected: "32")) { () throws(SecAggError) in
            try sim.server.receive(MaskedInput(header: h1, values: try RingVector([UInt32](repeating: 0, count: 8), bitWidth: 31)))
        }
        #expect(try sim.roundThree(try sim.roundTwo(requests)) == plainSum(sim.inputs, of: [1, 2, 3, 5], bits: 32, length: 8))
    }

    // MARK: Revealed shares

    /// Revealed shares with a bad index, the wrong kind, or a missing entry are rejected; the honest
    /// response is then accepted and the sum is exact.
    @Test func badRevealedSharesAreRejected() throws {
        var sim = try fresh("bad index")
        sim.dropAt[5] = .maskedInput
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        let request = try #require(requests.first { $0.header.receiver == 1 })
        let honest = try sim.clients[1]!.unmask(request)
        var badIndex = honest
        badIndex.shares[0].index = 2
        expectError(.invalidShareIndex(index: 2, expected: 1)) { () throws(SecAggError) in try sim.server.receive(badIndex) }
        badIndex.shares[0].index = 0
        expectError(.invalidShareIndex(index: 0, expected: 1)) { () throws(SecAggError) in try sim.server.receive(badIndex) }
        var wrongKind = honest
        wrongKind.shares[4].kind = .maskSeed   // owner 5 dropped: its key share was asked for
        expectError(.wrongShareKind(owner: 5, expected: .maskingKey)) { () throws(SecAggError) in
            try sim.server.receive(wrongKind)
        }
        var missing = honest
        missing.shares.remove(at: 2)
        expectError(.missingEntry(what: "revealed share", client: 3)) { () throws(SecAggError) in try sim.server.receive(missing) }
        // A truncated encoding of the same message.
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try sim.server.receive(encoded: Array(honest.encoded().dropLast(3)))
        }) { if case .truncated = $0 { return true } else { return false } }
        try sim.server.receive(honest)
        for r in requests where r.header.receiver != 1 { try sim.server.receive(try sim.clients[r.header.receiver]!.unmask(r)) }
        #expect(try sim.server.finishUnmasking() == plainSum(sim.inputs, of: [1, 2, 3, 4], bits: 32, length: 8))
    }

    /// A client that lies about a share value (in range, right index and kind) cannot make the server output
    /// a wrong sum: the seed fails its commitment and the server aborts.
    @Test func wrongSeedShareValuesAbortInsteadOfAWrongSum() throws {
        var sim = try fresh("lying seed")
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        for r in requests {
            var m = try sim.clients[r.header.receiver]!.unmask(r)
            if r.header.receiver == 1 { m.shares[2].values[0] = (m.shares[2].values[0] + 1) % Mersenne61.prime }
            try sim.server.receive(m)
        }
        expectError(.reconstructionFailed(owner: 3, secret: .maskSeed)) { () throws(SecAggError) in
            try sim.server.finishUnmasking()
        }
        expectError(.aborted(.reconstructionFailed(owner: 3, secret: .maskSeed))) { () throws(SecAggError) in
            try sim.server.result()
        }
    }

    /// The same for a dropped client's key: the reconstructed key fails the check against its public key.
    @Test func wrongKeyShareValuesAbortInsteadOfAWrongSum() throws {
        var sim = try fresh("lying key")
        sim.dropAt[2] = .maskedInput
        let requests = try sim.roundTwo(try sim.roundOne(try sim.roundZero()))
        for r in requests {
            var m = try sim.clients[r.header.receiver]!.unmask(r)
            if r.header.receiver == 1, let i = m.shares.firstIndex(where: { $0.owner == 2 }) {
                m.shares[i].values[4] = (m.shares[i].values[4] + 12345) % Mersenne61.prime
            }
            try sim.server.receive(m)
        }
        expectError(.reconstructionFailed(owner: 2, secret: .maskingKey)) { () throws(SecAggError) in
            try sim.server.finishUnmasking()
        }
    }

    // MARK: Key directory checks on the client

    /// The client checks the directory: its own keys echoed, distinct keys, ≥ t entries, right session and sender.
    @Test func clientValidatesTheKeyDirectory() throws {
        var sim = try fresh("directory")
        let directories = try sim.roundZero()
        let d = try #require(directories.first { $0.header.receiver == 1 })
        var noSelf = d
        noSelf.entries.removeAll { $0.client == 1 }
        expectError(.missingEntry(what: "own keys in the key directory", client: 1)) { () throws(SecAggError) in
            try sim.clients[1]!.shareKeys(noSelf)
        }
        var short = d
        short.entries = Array(d.entries.prefix(2))
        expectError(.tooFewClients(round: .advertiseKeys, needed: 3, available: 2)) { () throws(SecAggError) in
            try sim.clients[1]!.shareKeys(short)
        }
        var duplicated = d
        duplicated.entries[2].maskingPublicKey = duplicated.entries[1].maskingPublicKey
        expectError(.duplicatePublicKey(client: 3)) { () throws(SecAggError) in try sim.clients[1]!.shareKeys(duplicated) }
        var weak = d
        weak.entries[3].encryptionPublicKey = [UInt8](repeating: 0, count: 32)
        expectError(.invalidPublicKey(client: 4)) { () throws(SecAggError) in try sim.clients[1]!.shareKeys(weak) }
        var otherSession = d
        otherSession.header.session = 8
        expectError(.wrongSession(expected: 7, actual: 8)) { () throws(SecAggError) in try sim.clients[1]!.shareKeys(otherSession) }
        var notServer = d
        notServer.header.sender = 2
        expectError(.wrongSender(expected: "the server (0)", actual: 2)) { () throws(SecAggError) in
            try sim.clients[1]!.shareKeys(notServer)
        }
        var otherProtocol = d
        otherProtocol.header.protocolID = .secAggPlus
        expectError(.wrongProtocol(expected: .masking, actual: .secAggPlus)) { () throws(SecAggError) in
            try sim.clients[1]!.shareKeys(otherProtocol)
        }
        // None of that changed the client: the genuine directory still works.
        #expect(try sim.roundThree(try sim.roundTwo(try sim.roundOne(directories)))
                == plainSum(sim.inputs, of: all, bits: 32, length: 8))
    }
}
