import Foundation
@testable import Networked
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a server (`serve` gets the callback its `onListening` should call) in a task and waits until it
/// listens. - Returns: the bound port and the task (cancel it to stop the server).
func startServer(
    _ serve: @escaping @Sendable (_ onListening: @escaping @Sendable (Int) async -> Void) async throws -> Void
) async throws -> (port: Int, task: Task<Void, any Error>) {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let task = Task {
        defer { continuation.finish() }
        try await serve { port in continuation.yield(port) }
    }
    for await port in ports { return (port, task) }
    let outcome = await task.result
    throw TestFailure("the server stopped before listening: \(outcome)")
}

/// Cancels server tasks and waits (at most `timeout`) until they have stopped. - Returns: whether they all did.
@discardableResult
func stopServers(_ tasks: [Task<Void, any Error>], timeout: Duration = .seconds(10)) async -> Bool {
    for task in tasks { task.cancel() }
    let stopped = Flag()
    Task {
        for task in tasks { _ = await task.result }
        stopped.set()
    }
    let deadline = ContinuousClock.now + timeout
    while !stopped.isSet, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    return stopped.isSet
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// A fresh directory under the temporary directory.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("networked-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

#if canImport(Glibc) || canImport(Darwin)

/// A loopback port that is bound but does not listen: connections to it are refused, and nobody else can take
/// it while this value lives (an authority that is down). With `listening`, the kernel completes connections
/// but nothing ever answers (an authority that hangs until the client's request timeout).
final class ClosedPort {
    let port: Int
    private let fd: Int32

    init(listening: Bool = false) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw TestFailure("cannot bind a loopback port")
        }
        if listening, listen(fd, 64) != 0 {
            close(fd)
            throw TestFailure("cannot listen on a loopback port")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
    return address
}

/// Sends raw `request` bytes to 127.0.0.1:`port` on a plain socket (on a thread of its own: the calls block)
/// and returns the answer's status code and its first bytes (head and the start of the body).
func rawHTTP(port: Int, request: [UInt8]) async throws -> (status: Int, text: String) {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(status: Int, text: String), any Error>) in
        let thread = Thread {
            continuation.resume(with: Result { try blockingHTTP(port: port, request: request) })
        }
        thread.start()
    }
}

private func blockingHTTP(port: Int, request: [UInt8]) throws -> (status: Int, text: String) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    let noSignal = Int32(MSG_NOSIGNAL)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    let noSignal: Int32 = 0
    #endif
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = loopback(port: port)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { throw TestFailure("cannot connect to port \(port)") }
    var offset = 0
    while offset < request.count {
        // The server may answer and close before the whole body is sent; the answer is read below either way.
        let sent = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, noSignal) }
        if sent <= 0 { break }
        offset += sent
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    // Until the end of the head and a little of the body (the answers here are small).
    while received.count < 2048 {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        received += buffer[0..<count]
        if let text = String(bytes: received, encoding: .utf8), let end = text.range(of: "\r\n\r\n"),
            text[end.upperBound...].contains("}") || text.contains("content-length: 0")
        {
            break
        }
    }
    let line = String(decoding: received.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
    let fields = line.split(separator: " ")
    guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
        throw TestFailure("no HTTP answer (got \(line.debugDescription), sent \(offset) of \(request.count) bytes)")
    }
    return (status, String(decoding: received, as: UTF8.self))
}

#endif

/// An HTTP/1.1 request with a Content-Length.
func fixedLengthRequest(_ path: String, headers: [(String, String)] = [], body: [UInt8]) -> [UInt8] {
    var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    return Array((head + "\r\n").utf8) + body
}

/// An HTTP/1.1 request whose body of `size` bytes is sent in chunks, with no Content-Length (so a server
/// learns the size only by reading).
func chunkedRequest(_ path: String, headers: [(String, String)] = [], size: Int, byte: UInt8 = 0x20) -> [UInt8] {
    var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    var out = Array((head + "\r\n").utf8)
    var remaining = size
    while remaining > 0 {
        let chunk = min(remaining, 16 * 1024)
        out += Array("\(String(chunk, radix: 16))\r\n".utf8) + [UInt8](repeating: byte, count: chunk) + Array("\r\n".utf8)
        remaining -= chunk
    }
    return out + Array("0\r\n\r\n".utf8)
}
