@testable import Admission
import Bignum
import CryptoPrimitives
import Foundation
import Testing

/// The layout of `Vectors/admission/admission.json` (described in `Specs/admission.md`).
struct AdmissionVectorFile: Decodable {
    struct Group: Decodable {
        var p, q, g: Bignum
        var seedLabel, seed: String
        var seedIterations, counter, generatorIndex, generatorCount: Int
    }
    struct Dealing: Decodable {
        var k: Bignum
        var shares, verificationKeys: [Bignum]
        var issuingPublicKey: Bignum
        var authoritySetDigest: String
    }
    struct Client: Decodable { var x, y: Bignum }
    struct Proof: Decodable { var commitment, response, challenge: Bignum }
    struct Share: Decodable {
        var authority: Int
        var value, challenge, response: Bignum
        var valid: Bool
    }
    struct Token: Decodable {
        var value: Bignum
        var authorities: [Int]
    }
    struct Vector: Decodable {
        var id: Int
        var comment, seed, session, round: String
        var threshold, authorities: Int
        var offline, malicious: [Int]
        var dealing: Dealing
        var client: Client
        var proof: Proof
        var hashToGroup: Bignum
        var tokenShares: [Share]
        var token: Token?
        var expect: String
    }
    var group: Group
    var vectors: [Vector]
}

@Suite struct VectorTests {
    static func load() throws -> AdmissionVectorFile {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("Vectors/admission/admission.json")
        return try JSONDecoder().decode(AdmissionVectorFile.self, from: Data(contentsOf: url))
    }

    @Test func vectorGroupIsTheStandardGroupAndItsDerivation() throws {
        let file = try Self.load()
        let group = AdmissionGroup.standard
        #expect(file.group.p == group.p && file.group.q == group.q && file.group.g == group.g)
        #expect(file.group.seed == AdmissionGroup.standardSeedHex)
        #expect(file.group.seedLabel == AdmissionGroup.standardSeedLabel)
        #expect(file.group.seedIterations == AdmissionGroup.standardSeedIterations)
        #expect(file.group.counter == AdmissionGroup.standardCounter)
        #expect(file.group.generatorIndex == Int(AdmissionGroup.standardGeneratorIndex))
        #expect(file.group.generatorCount == AdmissionGroup.standardGeneratorCount)
    }

    @Test func everyVectorReplaysThroughTheAPI() throws {
        let file = try Self.load()
        #expect(file.vectors.count == 8)
        for v in file.vectors {
            try replay(v)
        }
    }

    func replay(_ v: AdmissionVectorFile.Vector) throws {
        let ctx = Comment(rawValue: "vector \(v.id): \(v.comment)")
        let seed = try #require(Hex.decode(v.seed), ctx)
        let round = try #require(UInt64(v.round), ctx)
        var rng = try HmacDrbg(entropy: seed)
        let group = AdmissionGroup.standard

        // 1. Dealing: k, then t − 1 polynomial coefficients.
        let dealing = try AdmissionDealing.deal(threshold: v.threshold, authorityCount: v.authorities, using: &rng)
        let params = dealing.parameters
        #expect(dealing.authorityKeys.map { $0.serialized().share } == v.dealing.shares, ctx)
        #expect(params.verificationKeys == v.dealing.verificationKeys, ctx)
        #expect(params.issuingPublicKey == v.dealing.issuingPublicKey, ctx)
        #expect(params.issuingPublicKey == (try group.g.powm(v.dealing.k, modulus: group.p)), ctx)
        #expect(Hex.encode(params.authoritySetDigest) == v.dealing.authoritySetDigest, ctx)

        // 2. Client key, 3. proof.
        let key = try ClientSecretKey.generate(using: &rng)
        #expect(key.serialized().x == v.client.x, ctx)
        #expect(key.publicKey.y == v.client.y, ctx)
        let proof = try AdmissionProof.prove(key: key, parameters: params, session: v.session, round: round, using: &rng)
        #expect(proof.commitment == v.proof.commitment, ctx)
        #expect(proof.response == v.proof.response, ctx)
        let c = try AdmissionProof.challenge(
            group: group, y: key.publicKey.y, a: proof.commitment, session: v.session, round: round,
            digest: params.authoritySetDigest)
        #expect(c == v.proof.challenge, ctx)
        #expect(try group.hashToGroup(client: key.publicKey.y, session: v.session, round: round) == v.hashToGroup, ctx)

        // 4. Token shares from the authorities that answer, in index order (one DLEQ nonce each).
        let registry: Set = [key.publicKey]
        var shares = [TokenShare]()
        for authorityKey in dealing.authorityKeys where !v.offline.contains(authorityKey.index) {
            let authority = Authority(key: authorityKey, parameters: params, registry: registry)
            var share = try authority.issue(for: proof, session: v.session, round: round, using: &rng)
            if v.malicious.contains(authorityKey.index) {
                share.value = try share.value.multiplied(by: group.g, modulo: group.p)
            }
            shares.append(share)
        }
        #expect(shares.map(\.authority) == v.tokenShares.map(\.authority), ctx)
        for (share, expected) in zip(shares, v.tokenShares) {
            #expect(share.value == expected.value, ctx)
            #expect(share.proof.challenge == expected.challenge, ctx)
            #expect(share.proof.response == expected.response, ctx)
            let ok = admissionError { try share.verify(parameters: params, base: v.hashToGroup) } == nil
            #expect(ok == expected.valid, ctx)
        }

        // 5. Combination and the aggregator's check.
        if let expected = v.token {
            let combined = try AdmissionToken.combine(
                shares, client: key.publicKey, session: v.session, round: round, parameters: params)
            #expect(combined.token.value == expected.value, ctx)
            #expect(combined.token.shares.map(\.authority) == expected.authorities, ctx)
            #expect(Set(combined.rejected.map(\.authority)) == Set(v.malicious), ctx)
            #expect(admissionError {
                try AdmissionVerifier(parameters: params).verify(combined.token, session: v.session, round: round)
            } == nil, ctx)
            #expect(v.expect == "admitted", ctx)
        } else {
            #expect(v.expect == "notEnoughValidShares", ctx)
            let good = v.tokenShares.filter(\.valid).count
            #expect(admissionError {
                _ = try AdmissionToken.combine(
                    shares, client: key.publicKey, session: v.session, round: round, parameters: params)
            } == .notEnoughValidShares(needed: v.threshold, got: good), ctx)
        }
    }
}
