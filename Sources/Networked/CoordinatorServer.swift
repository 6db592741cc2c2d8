import Admission
import CryptoPrimitives
import Foundation
public import Hummingbird
import NIOCore

/// The coordinator's HTTP endpoints (`Specs/networked.md`, "Coordinator API").
public enum CoordinatorServer {
    /// The router: status, config and admission in the open; everything per round behind the admission token.
    public static func router(_ coordinator: Coordinator) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: TrafficMiddleware(traffic: coordinator.traffic))
        let verifier = AdmissionVerifier(parameters: coordinator.settings.admission)
        let maximumProtocolBody = protocolBodyLimit(coordinator)

        router.get("/") { _, _ in
            await HTTPReply.guarded { HTTPReply.html(await coordinator.dashboard()) }
        }
        router.get("\(NetworkAPI.prefix)/status") { _, _ in
            HTTPReply.json(await coordinator.status())
        }
        router.get("\(NetworkAPI.prefix)/config") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: coordinator.config.resolvedJSON())))
        }
        router.get("\(NetworkAPI.prefix)/admission/parameters") { _, _ in
            HTTPReply.json(coordinator.settings.admission)
        }
        router.post("\(NetworkAPI.prefix)/admit") { request, _ in
            await HTTPReply.guarded {
                let body = try await HTTPReply.body(of: request, limit: NetworkAPI.maximumJSONBody)
                let admit = try HTTPReply.decode(AdmitRequest.self, from: body, what: "admission request")
                let context = await coordinator.admissionContext(client: admit.client)
                let verification: Result<[UInt8], RequestFailure>
                if let token = admit.token, let key = context.key {
                    // Verified off the actor: a few modular exponentiations.
                    do {
                        try verifier.verify(token, session: context.session, round: context.round, client: key)
                        verification = .success(Sha256.hash(Array(try NetworkAPI.canonicalJSON(token))))
                    } catch {
                        verification = .failure(RequestFailure(403, "invalid token: \(error)"))
                    }
                } else if context.key == nil {
                    verification = .failure(RequestFailure(404, "client \(admit.client) is not registered"))
                } else {
                    let why = admit.refusal.map { "no token (\($0.prefix(300)))" } ?? "no token"
                    verification = .failure(RequestFailure(403, why))
                }
                try await coordinator.admit(admit, verification: verification, round: context.round, bytes: body.count)
                return HTTPReply.json(["client": admit.client])
            }
        }
        router.get("\(NetworkAPI.prefix)/round/:round/plan") { request, context in
            await HTTPReply.guarded {
                let r = try HTTPReply.parameter("round", context)
                let client = try await authenticate(request, coordinator)
                return HTTPReply.json(try await coordinator.plan(round: r, client: client))
            }
        }
        router.get("\(NetworkAPI.prefix)/round/:round/model") { request, context in
            await HTTPReply.guarded {
                let r = try HTTPReply.parameter("round", context)
                let client = try await authenticate(request, coordinator)
                return HTTPReply.bytes(try await coordinator.model(round: r, client: client))
            }
        }
        router.post("\(NetworkAPI.prefix)/round/:round/phase/:phase") { request, context in
            await HTTPReply.guarded {
                let r = try HTTPReply.parameter("round", context)
                let k = try HTTPReply.parameter("phase", context)
                // Authenticate before reading the body: no work for strangers.
                let client = try await authenticate(request, coordinator)
                let body = try await HTTPReply.body(of: request, limit: maximumProtocolBody)
                try await coordinator.upload(round: r, phase: k, client: client, bytes: body)
                return Response(status: .accepted)
            }
        }
        router.get("\(NetworkAPI.prefix)/round/:round/phase/:phase") { request, context in
            await HTTPReply.guarded {
                let r = try HTTPReply.parameter("round", context)
                let k = try HTTPReply.parameter("phase", context)
                let client = try await authenticate(request, coordinator)
                // Long poll: wait up to 2 s for the phase to end.
                let deadline = ContinuousClock.now + .seconds(2)
                while true {
                    if let bytes = try await coordinator.download(round: r, phase: k, client: client) {
                        return HTTPReply.bytes(bytes)
                    }
                    if ContinuousClock.now >= deadline { return HTTPReply.notYet() }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
        }
        return router
    }

    static func authenticate(_ request: Request, _ coordinator: Coordinator) async throws(RequestFailure) -> Int {
        let client = header(NetworkAPI.clientHeader, of: request)
        let token = header(NetworkAPI.tokenHeader, of: request)
        return try await coordinator.authenticate(client: client, token: token)
    }

    static func header(_ name: String, of request: Request) -> String? {
        let lower = name.lowercased()
        return request.headers.first { $0.name.canonicalName == lower }?.value
    }

    /// The largest protocol message accepted: a masked vector of L values of up to 64 bits, or a share
    /// message with a 2-share ciphertext per client, plus headroom.
    static func protocolBodyLimit(_ coordinator: Coordinator) -> Int {
        let length = coordinator.parameterCount + 1
        return 8 * length + 256 * coordinator.config.clients + 64 * 1024
    }

    /// Serves `coordinator` on `host:port` until cancelled; `onListening` gets the bound port.
    public static func serve(
        _ coordinator: Coordinator, host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = Application(
            router: router(coordinator),
            configuration: .init(address: .hostname(host, port: port), serverName: "secagg-coordinator"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) })
        try await app.runService(gracefulShutdownSignals: [])
    }
}
