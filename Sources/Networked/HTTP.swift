import Foundation
import Hummingbird
import NIOCore

/// Helpers shared by the coordinator's and the authorities' HTTP layers.
enum HTTPReply {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? NetworkAPI.canonicalJSON(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func bytes(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/octet-stream"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func html(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func failure(_ failure: RequestFailure) -> Response {
        var response = json(ErrorBody(error: failure.message), status: HTTPResponse.Status(code: failure.status))
        if failure.status == 429 { response.headers[.retryAfter] = "1" }
        return response
    }

    /// 204: not ready yet; ask again.
    static func notYet() -> Response {
        Response(status: .noContent, headers: [.retryAfter: "1"])
    }

    /// Runs `body`, turning a ``RequestFailure`` into its response and anything else into a 500 that names it.
    static func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as RequestFailure {
            return Self.failure(failure)
        } catch {
            return Self.failure(RequestFailure(500, "\(error)"))
        }
    }

    /// The request body, at most `limit` bytes. - Throws: 413 when larger, 400 when the body breaks off.
    static func body(of request: Request, limit: Int) async throws(RequestFailure) -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw RequestFailure(413, "body of \(length) bytes exceeds the limit of \(limit)")
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            // What `collectBody(upTo:)` throws for a body without Content-Length (chunked) that grows past the limit.
            throw RequestFailure(413, "body exceeds the limit of \(limit) bytes")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw RequestFailure(413, "body exceeds the limit of \(limit) bytes")
        } catch {
            throw RequestFailure(400, "unreadable body: \(error)")
        }
    }

    /// Decodes a JSON body. - Throws: 400 naming the problem.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws(RequestFailure) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw RequestFailure(400, "malformed \(what): \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.valueNotFound(_, let c): return "null at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }

    /// An integer path parameter. - Throws: 400.
    static func parameter(_ name: String, _ context: some RequestContext) throws(RequestFailure) -> Int {
        guard let value = context.parameters.get(name, as: Int.self), value >= 0 else {
            throw RequestFailure(400, "path parameter \(name) must be a non-negative integer")
        }
        return value
    }
}

/// How a server process reports that it listens (the port it bound, for `--port 0`).
public enum ListeningAnnouncement {
    /// Writes "PORT\n" to `path` (atomically), for a supervisor waiting on it.
    public static func write(port: Int, to path: String) throws {
        do {
            try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NetworkError.file(path: path, reason: "cannot write the port file")
        }
    }
}
