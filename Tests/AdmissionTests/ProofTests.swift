@testable import Admission
import Bignum
import CryptoPrimitives
import Testing

@Suite struct ProofTests {
    @Test func honestProofVerifiesAndIsBoundToItsTranscript() throws {
        var rng = try testRandom("honest proof")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 4, using: &rng)
        #expect(admissionError { try proof.verify(parameters: f.parameters) } == nil)
        // Rewriting the round or session inside the proof breaks the Fiat–Shamir challenge.
        var otherRound = proof
        otherRound.round = 5
        #expect(admissionError { try otherRound.verify(parameters: f.parameters) } == .invalidProof)
        var otherSession = proof
        otherSession.session = "t"
        #expect(admissionError { try otherSession.verify(parameters: f.parameters) } == .invalidProof)
    }

    @Test func proofReplayedIntoAnotherRoundOrSessionIsRejectedByAuthorities() throws {
        var rng = try testRandom("replay")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        let authority = f.authorities[0]
        #expect(admissionError { _ = try authority.issue(for: proof, session: "s", round: 1, using: &rng) } == nil)
        #expect(admissionError { _ = try authority.issue(for: proof, session: "s", round: 2, using: &rng) }
            == .roundMismatch(expected: 2, actual: 1))
        #expect(admissionError { _ = try authority.issue(for: proof, session: "other", round: 1, using: &rng) }
            == .sessionMismatch(expected: "other", actual: "s"))
        // Relabelled to the new round: the challenge no longer matches.
        var relabelled = proof
        relabelled.round = 2
        #expect(admissionError { _ = try authority.issue(for: relabelled, session: "s", round: 2, using: &rng) }
            == .invalidProof)
    }

    @Test func proofForAnotherAuthoritySetIsRejected() throws {
        var rng = try testRandom("other set")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let other = try AdmissionDealing.deal(threshold: 2, authorityCount: 3, using: &rng)
        let proof = try AdmissionProof.prove(key: f.clients[0], parameters: other.parameters, session: "s", round: 1, using: &rng)
        #expect(admissionError { _ = try f.authorities[1].issue(for: proof, session: "s", round: 1, using: &rng) }
            == .invalidProof)
    }

    @Test func unregisteredClientIsRejectedEvenWithAValidProof() throws {
        var rng = try testRandom("unregistered")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let stranger = try ClientSecretKey.generate(using: &rng)
        let proof = try AdmissionProof.prove(key: stranger, parameters: f.parameters, session: "s", round: 1, using: &rng)
        #expect(admissionError { try proof.verify(parameters: f.parameters) } == nil)
        for authority in f.authorities {
            #expect(admissionError { _ = try authority.issue(for: proof, session: "s", round: 1, using: &rng) }
                == .unregisteredClient)
        }
    }

    @Test func impostorWithAStolenPublicKeyButNoSecretIsRejected() throws {
        var rng = try testRandom("stolen key")
        let f = try Fixture(threshold: 2, authorities: 3, clients: 1, using: &rng)
        let victim = f.clients[0].publicKey
        let group = f.parameters.group
        // Attempt 1: an arbitrary commitment and response for the victim's key.
        let r = try Bignum.random(below: group.q, using: &rng)
        let forged = AdmissionProof(
            publicKey: victim, session: "s", round: 1, commitment: try group.g.powm(r, modulus: group.p), response: r)
        #expect(admissionError { _ = try f.authorities[0].issue(for: forged, session: "s", round: 1, using: &rng) }
            == .invalidProof)
        // Attempt 2: the impostor proves knowledge of its own secret but claims the victim's key.
        let own = try ClientSecretKey.generate(using: &rng)
        var swapped = try AdmissionProof.prove(key: own, parameters: f.parameters, session: "s", round: 1, using: &rng)
        swapped.publicKey = victim
        #expect(admissionError { _ = try f.authorities[0].issue(for: swapped, session: "s", round: 1, using: &rng) }
            == .invalidProof)
        // Attempt 3: commitment outside the subgroup.
        let outside = AdmissionProof(publicKey: victim, session: "s", round: 1, commitment: Bignum(1), response: Bignum(0))
        #expect(admissionError { _ = try f.authorities[0].issue(for: outside, session: "s", round: 1, using: &rng) }
            == .invalidElement("proof commitment"))
        // Attempt 4: response not reduced mod q.
        var honest = try AdmissionProof.prove(key: f.clients[0], parameters: f.parameters, session: "s", round: 1, using: &rng)
        honest.response += group.q
        #expect(admissionError { _ = try f.authorities[0].issue(for: honest, session: "s", round: 1, using: &rng) }
            == .invalidScalar("proof response"))
    }

    @Test func keysRoundTripThroughTheirExplicitForms() throws {
        var rng = try testRandom("keys")
        let key = try ClientSecretKey.generate(using: &rng)
        let back = try ClientSecretKey(key.serialized())
        #expect(back.publicKey == key.publicKey)
        var tampered = key.serialized()
        tampered.y = AdmissionGroup.standard.g
        #expect(admissionError { _ = try ClientSecretKey(tampered) } == .malformed("client key file: y ≠ g^x"))
        #expect(admissionError { _ = try ClientSecretKey(x: Bignum(0)) } == .invalidScalar("client secret key (zero)"))
        #expect(admissionError { _ = try ClientPublicKey(y: Bignum(1)) } == .invalidElement("client public key"))
    }
}

@Suite struct DealingTests {
    @Test func dealerRejectsImpossibleThresholds() throws {
        var rng = try testRandom("thresholds")
        for (t, n) in [(0, 3), (4, 3), (1, 0), (-1, 2)] {
            #expect(admissionError { _ = try AdmissionDealing.deal(threshold: t, authorityCount: n, using: &rng) }
                == .invalidThreshold(threshold: t, authorityCount: n))
        }
    }

    @Test func authorityKeysMatchTheirVerificationKeysAndInterpolateToTheIssuingKey() throws {
        var rng = try testRandom("dealing")
        let dealing = try AdmissionDealing.deal(threshold: 3, authorityCount: 5, using: &rng)
        let params = dealing.parameters
        let group = params.group
        for key in dealing.authorityKeys {
            #expect(try group.g.powm(key.serialized().share, modulus: group.p) == params.verificationKeys[key.index - 1])
        }
        // Any t verification keys interpolate to Y.
        #expect(try params.combineInExponent(indices: [5, 2, 4], values: [4, 1, 3].map { params.verificationKeys[$0] })
            == params.issuingPublicKey)
        // A key share that does not match v_j is refused on import.
        var wrong = dealing.authorityKeys[0].serialized()
        wrong.index = 2
        #expect(admissionError { _ = try AuthorityKey(wrong, parameters: params) }
            == .malformed("authority 2 key share does not match its verification key"))
        wrong.index = 6
        #expect(admissionError { _ = try AuthorityKey(wrong, parameters: params) } == .unknownAuthority(6))
    }
}
