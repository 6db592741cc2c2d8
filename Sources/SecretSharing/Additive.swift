public import Bignum
public import CryptoPrimitives

/// Z_2^32 with wrapping `UInt32` arithmetic.
public struct Ring2k32: AdditiveRing, Equatable {
    public init() {}
    public var order: Bignum { Bignum(1) << 32 }
    public var zero: UInt32 { 0 }
    public func add(_ a: UInt32, _ b: UInt32) -> UInt32 { a &+ b }
    public func subtract(_ a: UInt32, _ b: UInt32) -> UInt32 { a &- b }
    public func isValid(_ a: UInt32) -> Bool { true }

    /// The request's bytes read as consecutive little-endian words.
    public func randomElements(count: Int, using rng: inout some RandomSource) throws -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { words in
            try rng.fill(UnsafeMutableRawBufferPointer(words))
            for i in words.indices { words[i] = UInt32(littleEndian: words[i]) }
        }
        return out
    }
}

/// Z_2^64 with wrapping `UInt64` arithmetic.
public struct Ring2k64: AdditiveRing, Equatable {
    public init() {}
    public var order: Bignum { Bignum(1) << 64 }
    public var zero: UInt64 { 0 }
    public func add(_ a: UInt64, _ b: UInt64) -> UInt64 { a &+ b }
    public func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 { a &- b }
    public func isValid(_ a: UInt64) -> Bool { true }

    /// The request's bytes read as consecutive little-endian words.
    public func randomElements(count: Int, using rng: inout some RandomSource) throws -> [UInt64] {
        var out = [UInt64](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { words in
            try rng.fill(UnsafeMutableRawBufferPointer(words))
            for i in words.indices { words[i] = UInt64(littleEndian: words[i]) }
        }
        return out
    }
}

/// Additive n-of-n sharing over a ring: n − 1 uniformly random share vectors and one that makes the
/// sum equal the secret vector. All n shares are needed; any n − 1 are uniformly random.
public struct AdditiveSharing<Ring: AdditiveRing>: Sendable {
    public let ring: Ring
    public let partyCount: Int

    /// - Throws: ``SharingError/invalidPartyCount(_:)`` for fewer than 2 parties.
    public init(ring: Ring, partyCount: Int) throws {
        guard partyCount >= 2 else { throw SharingError.invalidPartyCount(partyCount) }
        self.ring = ring
        self.partyCount = partyCount
    }

    /// Shares of `values`: element p of the result is party p+1's vector.
    /// - Throws: ``SharingError/emptySecrets``, ``SharingError/valueOutOfRange(what:modulus:)``.
    public func split(_ values: [Ring.Element], using rng: inout some RandomSource) throws -> [[Ring.Element]] {
        guard !values.isEmpty else { throw SharingError.emptySecrets }
        for (j, v) in values.enumerated() where !ring.isValid(v) {
            throw SharingError.valueOutOfRange(what: "value \(j)", modulus: ring.order.description)
        }
        var shares = [[Ring.Element]]()
        shares.reserveCapacity(partyCount)
        var last = values
        for _ in 1..<partyCount {
            let r = try ring.randomElements(count: values.count, using: &rng)
            for j in last.indices { last[j] = ring.subtract(last[j], r[j]) }
            shares.append(r)
        }
        shares.append(last)
        return shares
    }

    /// The sum of all parties' shares.
    /// - Throws: ``SharingError/invalidPartyCount(_:)`` unless exactly `partyCount` shares are given,
    ///   ``SharingError/vectorLengthMismatch(index:expected:actual:)``,
    ///   ``SharingError/valueOutOfRange(what:modulus:)``.
    public func combine(_ shares: [[Ring.Element]]) throws -> [Ring.Element] {
        guard shares.count == partyCount else { throw SharingError.invalidPartyCount(shares.count) }
        let length = shares[0].count
        guard length > 0 else { throw SharingError.emptySecrets }
        var sum = [Ring.Element](repeating: ring.zero, count: length)
        for (p, share) in shares.enumerated() {
            guard share.count == length else {
                throw SharingError.vectorLengthMismatch(index: p + 1, expected: length, actual: share.count)
            }
            for j in 0..<length {
                guard ring.isValid(share[j]) else {
                    throw SharingError.valueOutOfRange(what: "party \(p + 1) value \(j)", modulus: ring.order.description)
                }
                sum[j] = ring.add(sum[j], share[j])
            }
        }
        return sum
    }
}
