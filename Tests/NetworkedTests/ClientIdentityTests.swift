import Admission
import Foundation
@testable import Networked
import Testing

/// The client's side of authenticated rounds: its peers' keys come from its own registry, and a plan that
/// does not fit it is refused with a typed error before any protocol work.
struct ClientIdentityTests {
    func plan(protocolID: UInt32, participants: [Int]) -> RoundPlan {
        RoundPlan(
            round: 1, protection: "masking", protocolID: protocolID, participants: participants, phaseCount: 5, masking: nil,
            secAggPlus: nil, quantizer: nil, maxWeight: 10, authenticated: true)
    }

    func node(_ f: Fixture, id: Int, registry: [ClientPublicKey]?) throws -> ClientNode {
        var options = ClientNode.Options(server: "http://127.0.0.1:1", authorities: [], id: id, key: try f.key(id))
        options.registry = registry
        return ClientNode(options: options)
    }

    @Test func peersFromTheOwnRegistry() throws {
        let f = try Fixture(protection: "masking", authenticated: true)
        let node = try node(f, id: 3, registry: f.registry)
        var cache: [Int: SignatureVerificationKey] = [:]
        let (signer, verifier) = try node.identity(for: plan(protocolID: 2, participants: [1, 3, 4]), signatureKeys: &cache)
        #expect(cache.keys.sorted() == [1, 3, 4])
        // Protocol id 2 is client 3: its own signature verifies under id 2 and no other.
        let message = Array("consistency".utf8)
        let signature = try signer.sign(message)
        #expect(verifier.verify(signature, on: message, by: 2))
        #expect(!verifier.verify(signature, on: message, by: 1))
        #expect(!verifier.verify(signature, on: message, by: 4))
    }

    @Test func badPlansAndAMissingRegistryAreRefused() throws {
        let f = try Fixture(protection: "masking", authenticated: true)
        var cache: [Int: SignatureVerificationKey] = [:]
        func refusal(_ node: ClientNode, _ plan: RoundPlan) -> NetworkError? {
            do {
                _ = try node.identity(for: plan, signatureKeys: &cache)
                return nil
            } catch let error as NetworkError {
                return error
            } catch {
                return .runFailed("unexpected \(error)")
            }
        }
        let node = try node(f, id: 3, registry: f.registry)
        // Protocol id 2 is not this client, an id out of range, a participant twice, one not registered.
        for bad in [
            plan(protocolID: 2, participants: [1, 4, 3]), plan(protocolID: 4, participants: [1, 3, 4]),
            plan(protocolID: 2, participants: [1, 3, 3]), plan(protocolID: 2, participants: [1, 3, 9]),
        ] {
            guard case .malformed(what: "plan", _) = refusal(node, bad) else {
                Issue.record("accepted \(bad.participants) as protocol id \(bad.protocolID)")
                continue
            }
        }
        guard case .unsupported(let why) = refusal(try self.node(f, id: 3, registry: nil), plan(protocolID: 2, participants: [1, 3, 4])) else {
            Issue.record("a client without registry took part")
            return
        }
        #expect(why.contains("--registry"))
    }
}
