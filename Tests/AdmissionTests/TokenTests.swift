@testable import Admission
import Bignum
import CryptoPrimitives
import Foundation
import Testing

@Suite struct TokenTests {
    @Test func honestClientIsAdmittedWithAllAuthoritiesHonest() throws {
        var rng = try testRandom("all honest")
        let f = try Fixture(threshold: 3, authorities: 5, clients: 1, using: &rng)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let shares = try f.shares(for: proof, session: "s", round: 1, using: &rng)
        let combined = try AdmissionToken.combine(
            shares, client: f.clients[0].publicKey, session: "s", round: 1, parameters: f.parameters)
        #expect(combined.rejected.isEmpty)
        #expect(combined.token.shares.map(\.authority) == [1, 2, 3])
        #expect(admissionError {
            try f.verifier.verify(combined.token, session: "s", round: 1, client: f.clients[0].publicKey)
        } == nil)
    }

    @Test func anyThresholdSubsetGivesTheSameToken() throws {
        var rng = try testRandom("subsets")
        let f = try Fixture(threshold: 3, authorities: 5, clients: 1, using: &rng)
        let client = f.clients[0].publicKey
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let shares = try f.shares(for: proof, session: "s", round: 1, using: &rng)
        let a = try AdmissionToken.combine(Array(shares[0..<3]), client: client, session: "s", round: 1, parameters: f.parameters)
        let b = try AdmissionToken.combine([shares[4], shares[1], shares[3]], client: client, session: "s", round: 1,
                                           parameters: f.parameters)
        #expect(a.token.value == b.token.value)
    }

    @Test func upToNMinusTOfflineOrMaliciousAuthoritiesStillAdmitHonestClients() throws {
        var rng = try testRandom("faulty authorities")
        let f = try Fixture(threshold: 3, authorities: 5, clients: 3, using: &rng)
        for (c, key) in f.clients.enumerated() {
            let proof = try AdmissionProof.prove(key: key, parameters: f.parameters, session: "s", round: 9, using: &rng)
            // Client c: authority (c % 5) + 1 offline, the next one malicious.
            let offline = (c % 5) + 1
            let malicious = (c + 1) % 5 + 1
            var shares = try f.shares(for: proof, session: "s", round: 9, offline: [offline], using: &rng)
            let m = try #require(shares.firstIndex { $0.authority == malicious })
            shares[m] = try f.corrupted(shares[m])
            let combined = try AdmissionToken.combine(
                shares, client: key.publicKey, session: "s", round: 9, parameters: f.parameters)
            #expect(combined.rejected.count == 1)
            #expect(combined.rejected.first?.authority == malicious)
            #expect(combined.rejected.first?.reason == .invalidShareProof(authority: malicious))
            #expect(!combined.token.shares.map(\.authority).contains(malicious))
            #expect(admissionError { try f.verifier.verify(combined.token, session: "s", round: 9, client: key.publicKey) }
                == nil)
        }
    }

    @Test func fewerThanTGoodSharesFail() throws {
        var rng = try testRandom("too few")
        let f = try Fixture(threshold: 3, authorities: 5, clients: 1, using: &rng)
        let client = f.clients[0].publicKey
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        var shares = try f.shares(for: proof, session: "s", round: 1, offline: [1, 2], using: &rng)
        shares[0] = try f.corrupted(shares[0])
        #expect(admissionError {
            _ = try AdmissionToken.combine(shares, client: client, session: "s", round: 1, parameters: f.parameters)
        } == .notEnoughValidShares(needed: 3, got: 2))
        // A duplicated good share does not count twice.
        let duplicated = [shares[1], shares[1], shares[2]]
        #expect(admissionError {
            _ = try AdmissionToken.combine(duplicated, client: client, session: "s", round: 1, parameters: f.parameters)
        } == .notEnoughValidShares(needed: 3, got: 2))
    }

    @Test func tokenWithABadShareOrWrongValueIsRejectedByTheAggregator() throws {
        var rng = try testRandom("bad token")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let client = f.clients[0].publicKey
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let shares = try f.shares(for: proof, session: "s", round: 1, using: &rng)
        let token = try AdmissionToken.combine(shares, client: client, session: "s", round: 1, parameters: f.parameters).token
        // A share with a bad DLEQ proof smuggled into the token.
        var badShare = token
        badShare.shares[1] = try f.corrupted(badShare.shares[1])
        #expect(admissionError { try f.verifier.verify(badShare, session: "s", round: 1) }
            == .invalidShareProof(authority: badShare.shares[1].authority))
        // A proof whose response was altered.
        var badProof = token
        badProof.shares[0].proof.response = try (badProof.shares[0].proof.response + Bignum(1)).modulo(f.parameters.group.q)
        #expect(admissionError { try f.verifier.verify(badProof, session: "s", round: 1) }
            == .invalidShareProof(authority: badProof.shares[0].authority))
        // σ that is not the combination of the shares.
        var badValue = token
        badValue.value = try token.value.multiplied(by: f.parameters.group.g, modulo: f.parameters.group.p)
        #expect(admissionError { try f.verifier.verify(badValue, session: "s", round: 1) } == .invalidToken)
        // Too few shares, duplicated and unknown authorities.
        var short = token
        short.shares.removeLast()
        #expect(admissionError { try f.verifier.verify(short, session: "s", round: 1) }
            == .notEnoughValidShares(needed: 2, got: 1))
        var duplicate = token
        duplicate.shares[1] = duplicate.shares[0]
        #expect(admissionError { try f.verifier.verify(duplicate, session: "s", round: 1) }
            == .duplicateAuthority(duplicate.shares[0].authority))
        var unknown = token
        unknown.shares[1].authority = 4
        #expect(admissionError { try f.verifier.verify(unknown, session: "s", round: 1) } == .unknownAuthority(4))
    }

    @Test func tokenIsBoundToItsSessionRoundAndClient() throws {
        var rng = try testRandom("token binding")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 2, using: &rng)
        let alice = f.clients[0].publicKey, bob = f.clients[1].publicKey
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let shares = try f.shares(for: proof, session: "s", round: 1, using: &rng)
        let token = try AdmissionToken.combine(shares, client: alice, session: "s", round: 1, parameters: f.parameters).token
        // Replayed into the next round or another session.
        #expect(admissionError { try f.verifier.verify(token, session: "s", round: 2) }
            == .roundMismatch(expected: 2, actual: 1))
        #expect(admissionError { try f.verifier.verify(token, session: "t", round: 1) }
            == .sessionMismatch(expected: "t", actual: "s"))
        // Relabelled everywhere: h changes, so the DLEQ proofs fail.
        var relabelled = token
        relabelled.round = 2
        for i in relabelled.shares.indices { relabelled.shares[i].round = 2 }
        #expect(admissionError { try f.verifier.verify(relabelled, session: "s", round: 2) }
            == .invalidShareProof(authority: relabelled.shares[0].authority))
        // Presented by another client, or rewritten to name another client.
        #expect(admissionError { try f.verifier.verify(token, session: "s", round: 1, client: bob) } == .tokenForAnotherClient)
        var stolen = token
        stolen.client = bob
        for i in stolen.shares.indices { stolen.shares[i].client = bob }
        #expect(admissionError { try f.verifier.verify(stolen, session: "s", round: 1, client: bob) }
            == .invalidShareProof(authority: stolen.shares[0].authority))
        var mixed = token
        mixed.client = bob
        #expect(admissionError { try f.verifier.verify(mixed, session: "s", round: 1, client: bob) } == .tokenForAnotherClient)
        // The client drops shares issued to someone else when combining.
        let combinedForBob = admissionError {
            _ = try AdmissionToken.combine(shares, client: bob, session: "s", round: 1, parameters: f.parameters)
        }
        #expect(combinedForBob == .notEnoughValidShares(needed: 2, got: 0))
    }

    @Test func publicParametersAndTokensRoundTripThroughJSON() throws {
        var rng = try testRandom("json")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let params = try JSONDecoder().decode(AdmissionPublicParameters.self, from: JSONEncoder().encode(f.parameters))
        #expect(params == f.parameters)
        #expect(params.authoritySetDigest == f.parameters.authoritySetDigest)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let proofBack = try JSONDecoder().decode(AdmissionProof.self, from: JSONEncoder().encode(proof))
        #expect(proofBack == proof)
        let shares = try f.shares(for: proofBack, session: "s", round: 1, using: &rng)
        let token = try AdmissionToken.combine(
            shares, client: proof.publicKey, session: "s", round: 1, parameters: params).token
        let back = try JSONDecoder().decode(AdmissionToken.self, from: JSONEncoder().encode(token))
        #expect(back == token)
        #expect(admissionError { try AdmissionVerifier(parameters: params).verify(back, session: "s", round: 1) } == nil)
        // Authority keys through their explicit form.
        let key = try AuthorityKey(f.dealing.authorityKeys[1].serialized(), parameters: params)
        #expect(key.index == 2)
        // Inconsistent verification keys are refused.
        var keys = f.parameters.verificationKeys
        keys.swapAt(0, 1)
        #expect(throws: AdmissionError.self) {
            try AdmissionPublicParameters(group: .standard, threshold: 2, verificationKeys: keys,
                                          issuingPublicKey: f.parameters.issuingPublicKey)
        }
    }
}

@Suite struct DecodingTests {
    @Test func decodingRejectsElementsOutsideTheSubgroupAndUnknownVersions() throws {
        let decoder = JSONDecoder()
        #expect(throws: AdmissionError.invalidElement("client public key")) {
            try decoder.decode(ClientPublicKey.self, from: Data(#"{"version": 1, "y": "2"}"#.utf8))
        }
        #expect(throws: AdmissionError.malformed("client public key version 2")) {
            try decoder.decode(ClientPublicKey.self, from: Data(#"{"version": 2, "y": "2"}"#.utf8))
        }
        var rng = try testRandom("decoding")
        let dealing = try AdmissionDealing.deal(threshold: 2, authorityCount: 3, using: &rng)
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(dealing.parameters)) as? [String: Any])
        object["verificationKeys"] = ["1", "1", "1"]
        let tampered = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: AdmissionError.invalidElement("verification key 1")) {
            try decoder.decode(AdmissionPublicParameters.self, from: tampered)
        }
    }
}
