public import Admission
import CryptoPrimitives
import Foundation
public import Hummingbird

/// An authority's key file as `secagg admission setup` writes it (`DIR/authority-J.json`): the serialized key
/// share and the public parameters, in one JSON object.
public struct AuthorityKeyFile: Codable, Sendable {
    public var key: SerializedAuthorityKey
    public var parameters: AdmissionPublicParameters

    public init(key: SerializedAuthorityKey, parameters: AdmissionPublicParameters) {
        self.key = key
        self.parameters = parameters
    }

    private enum CodingKeys: String, CodingKey { case parameters }

    public init(from decoder: any Decoder) throws {
        key = try SerializedAuthorityKey(from: decoder)
        parameters = try decoder.container(keyedBy: CodingKeys.self).decode(AdmissionPublicParameters.self, forKey: .parameters)
    }

    public func encode(to encoder: any Encoder) throws {
        try key.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
    }
}

/// One authority as a network service: it checks a client's registration and proof and returns its token
/// share with a DLEQ proof (`POST /v1/authority/issue`). It keeps no state between requests.
public struct AuthorityService: Sendable {
    public let authority: Authority
    public let index: Int
    /// When set, only proofs bound to this session are served.
    public let session: String?

    public init(file: AuthorityKeyFile, registry: [ClientPublicKey], session: String?) throws(AdmissionError) {
        let key = try AuthorityKey(file.key, parameters: file.parameters)
        authority = Authority(key: key, parameters: file.parameters, registry: Set(registry))
        index = key.index
        self.session = session
    }

    /// Issues a token share for `request`. - Throws: 403 with the reason for any refusal.
    public func issue(_ request: IssueRequest) throws(RequestFailure) -> TokenShare {
        let proof = request.proof
        if let session, proof.session != session {
            throw RequestFailure(403, "authority \(index) serves session \(session), not \(proof.session)")
        }
        var rng = SystemRandom()
        do {
            return try authority.issue(for: proof, session: proof.session, round: proof.round, using: &rng)
        } catch {
            throw RequestFailure(403, "authority \(index) refuses: \(error)")
        }
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("\(NetworkAPI.prefix)/authority") { _, _ in
            HTTPReply.json(["authority": index])
        }
        router.post("\(NetworkAPI.prefix)/authority/issue") { request, _ in
            await HTTPReply.guarded {
                let body = try await HTTPReply.body(of: request, limit: NetworkAPI.maximumJSONBody)
                let issue = try HTTPReply.decode(IssueRequest.self, from: body, what: "issue request")
                // Verifying the proof and issuing costs a few exponentiations; run it off the event loop.
                let share = try await Task.detached { () throws(RequestFailure) -> TokenShare in try self.issue(issue) }.value
                return HTTPReply.json(share)
            }
        }
        return router
    }

    /// Serves on `host:port` until cancelled; `onListening` gets the bound port.
    public func serve(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "secagg-authority-\(index)"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) })
        try await app.runService(gracefulShutdownSignals: [])
    }
}
