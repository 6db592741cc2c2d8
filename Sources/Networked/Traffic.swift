public import Foundation
import Hummingbird

/// HTTP traffic through the coordinator, total and per training round (`Specs/networked.md`, "Output and
/// history"): what `secagg bench network` reports as the network's byte overhead over the protocol messages.
///
/// A message counts its start line, the header fields the router sees and its body (request bodies by their
/// `Content-Length`; the clients always send one). Transport framing (TCP/IP, and a `Date` header the server
/// adds after routing) is not counted.
public final class HTTPTraffic: @unchecked Sendable {  // all state behind `lock`
    public struct Counts: Codable, Sendable, Equatable {
        public var requests = 0
        /// Bytes of requests the coordinator received.
        public var receivedBytes = 0
        /// Bytes of responses the coordinator sent.
        public var sentBytes = 0

        public init() {}

        static func - (a: Counts, b: Counts) -> Counts {
            var d = Counts()
            d.requests = a.requests - b.requests
            d.receivedBytes = a.receivedBytes - b.receivedBytes
            d.sentBytes = a.sentBytes - b.sentBytes
            return d
        }
    }

    struct State {
        var total = Counts()
        var roundStart: (round: Int, at: Counts)?
        var rounds: [Int: Counts] = [:]
    }

    private let lock = NSLock()
    private var state = State()

    private func withLock<T>(_ body: (inout State) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    public init() {}

    func record(received: Int, sent: Int) {
        withLock {
            $0.total.requests += 1
            $0.total.receivedBytes += received
            $0.total.sentBytes += sent
        }
    }

    /// Marks the start of round `r`: traffic until ``endRound(_:)`` is that round's.
    func startRound(_ r: Int) {
        withLock { $0.roundStart = (r, $0.total) }
    }

    func endRound(_ r: Int) {
        withLock {
            guard let start = $0.roundStart, start.round == r else { return }
            $0.rounds[r] = $0.total - start.at
            $0.roundStart = nil
        }
    }

    /// The contents of `traffic.json`: the totals and each finished round's traffic (from its start to its
    /// record), in round order; snake_case keys in the file.
    public struct Report: Codable, Sendable, Equatable {
        public struct Round: Codable, Sendable, Equatable {
            public var round: Int
            public var requests: Int
            public var receivedBytes: Int
            public var sentBytes: Int
        }
        public var total: Counts
        public var rounds: [Round]

        /// Reads a `traffic.json` written by ``HTTPTraffic/json()``.
        /// - Throws: ``NetworkError/malformed(what:reason:)`` when it is not one.
        public static func read(_ data: Data) throws(NetworkError) -> Report {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do {
                return try decoder.decode(Report.self, from: data)
            } catch {
                throw .malformed(what: "traffic.json", reason: "\(error)")
            }
        }
    }

    public func report() -> Report {
        let (total, rounds) = withLock { ($0.total, $0.rounds) }
        return Report(
            total: total,
            rounds: rounds.keys.sorted().compactMap { r in
                rounds[r].map { .init(round: r, requests: $0.requests, receivedBytes: $0.receivedBytes, sentBytes: $0.sentBytes) }
            })
    }

    /// ``report()`` as the JSON of `traffic.json`.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? encoder.encode(report())) ?? Data("{}".utf8)
    }
}

/// Counts every request and response in an ``HTTPTraffic``.
struct TrafficMiddleware<Context: RequestContext>: RouterMiddleware {
    let traffic: HTTPTraffic

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // "METHOD /path HTTP/1.1\r\n", "Name: value\r\n" per field, "\r\n".
        var received = request.method.rawValue.utf8.count + (request.head.path?.utf8.count ?? 1) + 12
        received += Self.size(of: request.headers)
        received += request.headers[.contentLength].flatMap { Int($0) } ?? 0
        do {
            let response = try await next(request, context)
            // "HTTP/1.1 200 OK\r\n", the fields, a Content-Length the server adds when the body's length is known.
            var sent = 13 + response.status.reasonPhrase.utf8.count + Self.size(of: response.headers)
            if let length = response.body.contentLength {
                sent += length
                if response.headers[.contentLength] == nil { sent += 18 + String(length).utf8.count }
            }
            traffic.record(received: received, sent: sent)
            return response
        } catch {
            traffic.record(received: received, sent: 0)
            throw error
        }
    }

    static func size(of fields: HTTPFields) -> Int {
        fields.reduce(2) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
    }
}
