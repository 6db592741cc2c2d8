import CryptoPrimitives

/// A k-regular Harary graph on clients 1 … n with randomly permuted labels: the clients are placed on a
/// ring in the order of a permutation derived from a public seed, and each is joined to the k/2 nearest
/// clients on either side. Anyone holding (n, k, seed) recomputes the same graph, so the server's choice is
/// publicly verifiable (Bell et al., CCS 2020, §5 use such a graph for SecAgg+).
///
/// Permutation (byte-exact, `Specs/secagg-plus.md`): key = HKDF-SHA-256(ikm = seed, salt = "SecAggKit/v1",
/// info = "harary-permutation" ‖ n (4 bytes BE) ‖ k (4 bytes BE), 32 bytes); the AES-256-CTR keystream of
/// that key (IV 0) is read as little-endian `UInt32` words; Fisher–Yates from the end: for i = n − 1 down to
/// 1, draw j uniform in [0, i] by masking a word to the bit length of i and rejecting values > i, then swap
/// positions i and j of the array [1, 2, …, n]. Position p of the result holds the client placed at p.
public struct HararyGraph: Sendable, Equatable {
    /// n.
    public let clientCount: Int
    /// k, the number of neighbours of every client (even).
    public let degree: Int
    /// The 32-byte public seed.
    public let seed: [UInt8]
    /// position → client id.
    private let ring: [UInt32]
    /// client id − 1 → position.
    private let position: [Int32]

    /// The largest n supported.
    public static let maximumClientCount = 1 << 24

    /// - Throws: ``SecAggError/invalidParameter(name:value:expected:)`` unless 3 ≤ n ≤ 2^24, k is even with
    ///   2 ≤ k ≤ n − 1, and the seed has 32 bytes.
    public init(clientCount n: Int, degree k: Int, seed: [UInt8]) throws(SecAggError) {
        guard n >= 3, n <= Self.maximumClientCount else {
            throw .invalidParameter(name: "clients n", value: "\(n)", expected: "3...\(Self.maximumClientCount)")
        }
        guard k >= 2, k <= n - 1, k % 2 == 0 else {
            throw .invalidParameter(name: "neighbours k", value: "\(k)", expected: "even, 2...\(n - 1)")
        }
        guard seed.count == 32 else {
            throw .invalidParameter(name: "graph seed", value: "\(seed.count) bytes", expected: "32 bytes")
        }
        clientCount = n
        degree = k
        self.seed = seed
        var info = Array("harary-permutation".utf8)
        for v in [UInt32(n), UInt32(k)] { withUnsafeBytes(of: v.bigEndian) { info += $0 } }
        let key = try lowered {
            try HkdfSha256.deriveKey(inputKeyMaterial: seed, salt: MaskingKDF.salt, info: info, outputLength: 32)
        }
        let prg = try lowered { try Prg(seed: key) }
        var ring = (1...n).map { UInt32($0) }
        var buffer = [UInt32](repeating: 0, count: 1024)
        var used = buffer.count
        var i = n - 1
        while i >= 1 {
            let mask = UInt32.max >> UInt32(UInt32(i).leadingZeroBitCount)
            var j: UInt32
            repeat {
                if used == buffer.count {
                    try lowered { try prg.fill(&buffer) }
                    used = 0
                }
                j = UInt32(littleEndian: buffer[used]) & mask
                used += 1
            } while j > UInt32(i)
            ring.swapAt(i, Int(j))
            i -= 1
        }
        var position = [Int32](repeating: 0, count: n)
        for (p, id) in ring.enumerated() { position[Int(id) - 1] = Int32(p) }
        self.ring = ring
        self.position = position
    }

    /// The ring position of `id` (1 … n), or nil.
    private func positionOf(_ id: UInt32) -> Int? {
        guard id >= 1, Int(id) <= clientCount else { return nil }
        return Int(position[Int(id) - 1])
    }

    /// The k neighbours of `id` in increasing order (empty for an id outside 1 … n).
    public func neighbours(of id: UInt32) -> [UInt32] {
        guard let p = positionOf(id) else { return [] }
        var out = [UInt32]()
        out.reserveCapacity(degree)
        for d in 1...(degree / 2) {
            out.append(ring[(p + d) % clientCount])
            out.append(ring[(p - d + clientCount) % clientCount])
        }
        return out.sorted()
    }

    /// Whether `a` and `b` are distinct neighbours.
    public func areNeighbours(_ a: UInt32, _ b: UInt32) -> Bool {
        guard let pa = positionOf(a), let pb = positionOf(b), pa != pb else { return false }
        let d = abs(pa - pb)
        return min(d, clientCount - d) <= degree / 2
    }

    public static func == (a: HararyGraph, b: HararyGraph) -> Bool {
        a.clientCount == b.clientCount && a.degree == b.degree && a.seed == b.seed
    }
}

/// Who masks with and shares to whom: everyone (Bonawitz et al.) or graph neighbours (Bell et al.).
internal enum Topology: Sendable, Equatable {
    case complete(clientCount: Int)
    case harary(HararyGraph)

    var clientCount: Int {
        switch self {
        case .complete(let n): return n
        case .harary(let g): return g.clientCount
        }
    }

    func isClient(_ id: UInt32) -> Bool { id >= 1 && Int(id) <= clientCount }

    func areNeighbours(_ a: UInt32, _ b: UInt32) -> Bool {
        switch self {
        case .complete: return a != b && isClient(a) && isClient(b)
        case .harary(let g): return g.areNeighbours(a, b)
        }
    }

    /// The neighbours of `id` among the increasing list `members` (excluding `id`), in increasing order.
    func neighbours(of id: UInt32, among members: [UInt32], memberSet: Set<UInt32>) -> [UInt32] {
        switch self {
        case .complete: return members.filter { $0 != id }
        case .harary(let g): return g.neighbours(of: id).filter { memberSet.contains($0) }
        }
    }
}
