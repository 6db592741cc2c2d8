@testable import Admission
import Bignum
import CryptoPrimitives

/// A deterministic generator for tests: HMAC_DRBG seeded from the test's label.
func testRandom(_ label: String) throws -> HmacDrbg {
    try HmacDrbg(entropy: Sha256.hash(Array("admission tests: \(label)".utf8)))
}

/// A complete admission setup: a dealing, one authority per key, and registered clients.
struct Fixture {
    let dealing: AdmissionDealing
    let clients: [ClientSecretKey]
    let authorities: [Authority]
    var parameters: AdmissionPublicParameters { dealing.parameters }
    var verifier: AdmissionVerifier { AdmissionVerifier(parameters: parameters) }

    init(threshold: Int, authorities n: Int, clients count: Int, using rng: inout HmacDrbg) throws {
        dealing = try AdmissionDealing.deal(threshold: threshold, authorityCount: n, using: &rng)
        var keys = [ClientSecretKey]()
        for _ in 0..<count { keys.append(try ClientSecretKey.generate(using: &rng)) }
        clients = keys
        let registry = Set(keys.map(\.publicKey))
        let parameters = dealing.parameters
        authorities = dealing.authorityKeys.map { Authority(key: $0, parameters: parameters, registry: registry) }
    }

    /// Every authority's share for `proof` (authorities in `offline` do not answer).
    func shares(for proof: AdmissionProof, session: String, round: UInt64, offline: Set<Int> = [],
                using rng: inout HmacDrbg) throws -> [TokenShare] {
        try authorities.filter { !offline.contains($0.key.index) }.map {
            try $0.issue(for: proof, session: session, round: round, using: &rng)
        }
    }

    /// A malicious authority's share: the honest one with σ_j multiplied by g (still a subgroup element).
    func corrupted(_ share: TokenShare) throws -> TokenShare {
        var bad = share
        bad.value = try share.value.multiplied(by: parameters.group.g, modulo: parameters.group.p)
        return bad
    }
}

/// Runs `body` and returns the AdmissionError it throws, or nil.
/// (Any other error is reported as ``AdmissionError/arithmetic(_:)`` naming it, so it never matches.)
func admissionError(_ body: () throws -> Void) -> AdmissionError? {
    do { try body() } catch let error as AdmissionError { return error } catch {
        return .arithmetic("unexpected non-admission error: \(error)")
    }
    return nil
}
