import Admission
import Bignum
import CryptoPrimitives
public import Foundation

/// Checks `Vectors/admission/admission.json` (format in `Specs/admission.md`), generated independently by
/// `Tools/gen_admission_vectors.py`: the standard group, and per vector the dealing, the client key, the
/// Schnorr proof, hash-to-group, every authority's token share with its DLEQ proof (valid or not), and the
/// combined token and its verification — all replayed through the public API with ``HmacDrbg``.
public enum AdmissionVectors {
    /// Checks one file; nil when its `"scheme"` is not `"admission"`.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        guard VectorFile.scheme(of: data) == "admission" else { return nil }
        let file = try VectorFile.decode(FileLayout.self, from: data, path: path)
        var result = VectorCheckResult()
        let group = AdmissionGroup.standard
        result.record(
            file.group.p == group.p && file.group.q == group.q && file.group.g == group.g
                ? nil : "admission group differs from AdmissionGroup.standard")
        for vector in file.vectors { result.record(check(vector)) }
        return result
    }

    struct FileLayout: Decodable {
        struct Group: Decodable { var p, q, g: Bignum }
        struct Dealing: Decodable {
            var shares, verificationKeys: [Bignum]
            var issuingPublicKey: Bignum
        }
        struct Client: Decodable { var x, y: Bignum }
        struct Proof: Decodable { var commitment, response: Bignum }
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
            var seed, session, round: String
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

    /// nil when the vector replays exactly, else what differed.
    static func check(_ v: FileLayout.Vector) -> String? {
        let name = "admission vector \(v.id)"
        do {
            guard let round = UInt64(v.round) else { return "\(name): round is not a UInt64" }
            var rng = try HmacDrbg(entropy: Hex.decode(v.seed))
            let group = AdmissionGroup.standard
            let dealing = try AdmissionDealing.deal(threshold: v.threshold, authorityCount: v.authorities, using: &rng)
            let params = dealing.parameters
            guard dealing.authorityKeys.map({ $0.serialized().share }) == v.dealing.shares,
                params.verificationKeys == v.dealing.verificationKeys, params.issuingPublicKey == v.dealing.issuingPublicKey
            else { return "\(name): dealing differs" }
            let key = try ClientSecretKey.generate(using: &rng)
            guard key.serialized().x == v.client.x, key.publicKey.y == v.client.y else { return "\(name): client key differs" }
            let proof = try AdmissionProof.prove(key: key, parameters: params, session: v.session, round: round, using: &rng)
            guard proof.commitment == v.proof.commitment, proof.response == v.proof.response else {
                return "\(name): proof differs"
            }
            try proof.verify(parameters: params)
            guard try group.hashToGroup(client: key.publicKey.y, session: v.session, round: round) == v.hashToGroup else {
                return "\(name): hash-to-group differs"
            }
            var shares: [TokenShare] = []
            for authorityKey in dealing.authorityKeys where !v.offline.contains(authorityKey.index) {
                let authority = Authority(key: authorityKey, parameters: params, registry: [key.publicKey])
                var share = try authority.issue(for: proof, session: v.session, round: round, using: &rng)
                if v.malicious.contains(authorityKey.index) {
                    share.value = try share.value.multiplied(by: group.g, modulo: group.p)
                }
                shares.append(share)
            }
            guard shares.map(\.authority) == v.tokenShares.map(\.authority) else { return "\(name): answering authorities differ" }
            for (share, expected) in zip(shares, v.tokenShares) {
                guard share.value == expected.value, share.proof.challenge == expected.challenge,
                    share.proof.response == expected.response
                else { return "\(name): token share of authority \(share.authority) differs" }
                let valid = (try? share.verify(parameters: params, base: v.hashToGroup)) != nil
                guard valid == expected.valid else { return "\(name): share \(share.authority) validity differs" }
            }
            if let expected = v.token {
                let combined = try AdmissionToken.combine(
                    shares, client: key.publicKey, session: v.session, round: round, parameters: params)
                guard combined.token.value == expected.value, combined.token.shares.map(\.authority) == expected.authorities
                else { return "\(name): combined token differs" }
                try AdmissionVerifier(parameters: params).verify(combined.token, session: v.session, round: round)
                return v.expect == "admitted" ? nil : "\(name): admitted, expected \(v.expect)"
            }
            do {
                _ = try AdmissionToken.combine(shares, client: key.publicKey, session: v.session, round: round, parameters: params)
                return "\(name): combined, expected \(v.expect)"
            } catch {
                return v.expect == "notEnoughValidShares" ? nil : "\(name): failed with \(error), expected \(v.expect)"
            }
        } catch {
            return "\(name): \(error)"
        }
    }
}
