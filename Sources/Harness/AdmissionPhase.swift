import Admission
import Bignum
import CryptoPrimitives
import Dispatch
import Foundation

/// The authentication phase before training (`Specs/harness.md`, "Admission"): n authorities hold t-of-n
/// shares of the issuing key; every client proves knowledge of its registered key, collects token shares,
/// combines t good ones and the aggregator verifies the token offline. Malicious authorities return bad
/// shares; impostors — unregistered keys, or a registered public key stolen without its secret — try too.
public struct AdmissionSettings: Sendable, Equatable {
    public var authorities: Int
    public var threshold: Int
    /// Authorities 1 … m return corrupted token shares (m ≤ n − t, so honest clients are still admitted).
    public var maliciousAuthorities: Int
    /// Impostor clients trying to join; half use an unregistered key, half a stolen registered public key.
    public var impostors: Int
    /// Re-run admission before every round (else once, before round 1).
    public var perRound: Bool

    public init(authorities: Int, threshold: Int, maliciousAuthorities: Int, impostors: Int, perRound: Bool) {
        self.authorities = authorities
        self.threshold = threshold
        self.maliciousAuthorities = maliciousAuthorities
        self.impostors = impostors
        self.perRound = perRound
    }
}

/// The outcome of one admission run.
public struct AdmissionOutcome: Sendable, Equatable {
    /// Honest clients admitted (indices 0 ..< clients).
    public var admitted: Set<Int>
    /// Attempts rejected (honest clients that failed, plus every impostor).
    public var rejected: Int
    /// Impostors admitted (must be 0).
    public var impostorsAdmitted: Int
    public var seconds: Double
    /// Bytes of the JSON messages: proofs to every authority, shares back, tokens to the aggregator.
    public var bytes: Int
}

/// Keys and authorities for a run, made once; ``admit(session:round:)`` runs the phase.
struct AdmissionPhase {
    let settings: AdmissionSettings
    let parameters: AdmissionPublicParameters
    let authorities: [Authority]
    let clientKeys: [ClientSecretKey]
    let impostorKeys: [(key: ClientSecretKey, claimed: ClientPublicKey)]

    init(settings: AdmissionSettings, clients: Int, rng: inout HmacDrbg) throws {
        self.settings = settings
        let dealing = try AdmissionDealing.deal(threshold: settings.threshold, authorityCount: settings.authorities, using: &rng)
        parameters = dealing.parameters
        var keys: [ClientSecretKey] = []
        for _ in 0..<clients { keys.append(try ClientSecretKey.generate(using: &rng)) }
        clientKeys = keys
        let registry = Set(keys.map(\.publicKey))
        authorities = dealing.authorityKeys.map { Authority(key: $0, parameters: dealing.parameters, registry: registry) }
        var impostors: [(ClientSecretKey, ClientPublicKey)] = []
        for i in 0..<settings.impostors {
            let own = try ClientSecretKey.generate(using: &rng)
            // Even: an unregistered key of its own; odd: a registered public key, stolen without its secret.
            impostors.append((own, i % 2 == 0 || keys.isEmpty ? own.publicKey : keys[i % keys.count].publicKey))
        }
        impostorKeys = impostors
    }

    /// One client's whole admission: prove, collect shares (malicious authorities corrupt theirs), combine,
    /// and the aggregator's offline check. Returns whether it was admitted and the bytes exchanged.
    func attempt(key: ClientSecretKey, claimed: ClientPublicKey, session: String, round: UInt64, seed: [UInt8]) -> (Bool, Int) {
        let encoder = JSONEncoder()
        var bytes = 0
        do {
            var rng = try HmacDrbg(entropy: seed)
            var proof = try AdmissionProof.prove(key: key, parameters: parameters, session: session, round: round, using: &rng)
            proof.publicKey = claimed  // an impostor with a stolen key claims someone else's identity
            bytes += try encoder.encode(proof).count * authorities.count
            var shares: [TokenShare] = []
            for authority in authorities {
                guard var share = try? authority.issue(for: proof, session: session, round: round, using: &rng) else { continue }
                if authority.key.index <= settings.maliciousAuthorities {
                    share.value = try share.value.multiplied(by: parameters.group.g, modulo: parameters.group.p)
                }
                bytes += try encoder.encode(share).count
                shares.append(share)
            }
            let token = try AdmissionToken.combine(shares, client: claimed, session: session, round: round, parameters: parameters).token
            bytes += try encoder.encode(token).count
            try AdmissionVerifier(parameters: parameters).verify(token, session: session, round: round, client: claimed)
            return (true, bytes)
        } catch {
            return (false, bytes)
        }
    }

    /// Admits every client and every impostor attempt (in parallel on all cores; each attempt has its own
    /// DRBG stream derived from the run seed, so the outcome does not depend on scheduling).
    func admit(session: String, round: UInt64, seed: UInt64) -> AdmissionOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let attempts: [(ClientSecretKey, ClientPublicKey)] = clientKeys.map { ($0, $0.publicKey) } + impostorKeys.map { ($0.key, $0.claimed) }
        let results = ParallelResults<(Bool, Int)>(count: attempts.count)
        DispatchQueue.concurrentPerform(iterations: attempts.count) { i in
            let label = Array("secagg admission \(seed) \(round) \(i)".utf8)
            results.set(i, attempt(key: attempts[i].0, claimed: attempts[i].1, session: session, round: round, seed: Sha256.hash(label)))
        }
        let outcomes = results.values
        let honest = outcomes.prefix(clientKeys.count)
        let admitted = Set(honest.enumerated().filter { $0.element.0 }.map(\.offset))
        let impostorsAdmitted = outcomes.dropFirst(clientKeys.count).filter(\.0).count
        return AdmissionOutcome(
            admitted: admitted, rejected: outcomes.count - admitted.count - impostorsAdmitted,
            impostorsAdmitted: impostorsAdmitted, seconds: (clock.now - start).seconds,
            bytes: outcomes.reduce(0) { $0 + $1.1 })
    }
}

/// Results written from concurrent iterations, each to its own slot.
final class ParallelResults<T: Sendable>: @unchecked Sendable {
    // @unchecked: each index is written by exactly one iteration of concurrentPerform and read after it
    // returns; the lock only guards the array's storage.
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }

    var values: [T] { storage.compactMap { $0 } }
}
