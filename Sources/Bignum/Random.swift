public import CryptoPrimitives

extension Bignum {
    /// A uniform integer in [0, bound), by the sampling rule of `Specs/secret-sharing.md`: with
    /// L = bitlength(bound − 1) and w = ⌈L/8⌉, read w bytes big-endian, keep the low L bits, accept if
    /// below `bound`, else draw again.
    /// - Throws: ``BignumError/invalidArgument(_:)`` for bound < 1; errors of `rng`.
    public static func random(below bound: Bignum, using rng: inout some RandomSource) throws -> Bignum {
        guard let first = try randomVector(count: 1, below: bound, using: &rng).first else {
            throw BignumError.invalidArgument("empty sample")
        }
        return first
    }

    /// `count` uniform integers in [0, bound), drawn with one request of count·w bytes and then one
    /// w-byte request per rejected position, in order (the normative rule of `Specs/secret-sharing.md`).
    public static func randomVector(count: Int, below bound: Bignum, using rng: inout some RandomSource) throws
        -> [Bignum]
    {
        guard bound.signum > 0 else { throw BignumError.invalidArgument("random bound must be ≥ 1") }
        guard count >= 0 else { throw BignumError.invalidArgument("count must be non-negative") }
        if bound == Bignum(1) { return [Bignum](repeating: Bignum(), count: count) }
        let bits = (bound - Bignum(1)).bitWidth
        let width = (bits + 7) / 8
        var raw = try rng.bytes(count: count * width)
        defer { zeroize(&raw) }
        var result = [Bignum]()
        result.reserveCapacity(count)
        var rejected = [Int]()
        for i in 0..<count {
            let candidate = masked(raw[(i * width)..<((i + 1) * width)], bits: bits, width: width)
            if candidate < bound { result.append(candidate) } else { result.append(Bignum()); rejected.append(i) }
        }
        for i in rejected {
            while true {
                var fresh = try rng.bytes(count: width)
                defer { zeroize(&fresh) }
                let candidate = masked(fresh[...], bits: bits, width: width)
                if candidate < bound { result[i] = candidate; break }
            }
        }
        return result
    }

    /// A uniform integer in [0, 2^bits): ⌈bits/8⌉ bytes big-endian, low `bits` bits kept.
    public static func random(bits: Int, using rng: inout some RandomSource) throws -> Bignum {
        guard bits >= 0 else { throw BignumError.invalidArgument("bit count must be non-negative") }
        guard bits > 0 else { return Bignum() }
        let width = (bits + 7) / 8
        var raw = try rng.bytes(count: width)
        defer { zeroize(&raw) }
        return masked(raw[...], bits: bits, width: width)
    }

    /// A probable prime of exactly `bits` bits: draws ⌈bits/8⌉ bytes, keeps the low `bits` bits, sets the
    /// top and bottom bits, and repeats until ``isProbablePrime(rounds:)`` holds.
    /// - Throws: ``BignumError/invalidArgument(_:)`` for bits < 2.
    public static func randomPrime(bits: Int, using rng: inout some RandomSource) throws -> Bignum {
        guard bits >= 2 else { throw BignumError.invalidArgument("a prime needs at least 2 bits") }
        if bits == 2 { return Bignum(try rng.nextUInt64() & 1 == 0 ? 2 : 3) }
        let top = Bignum(1) << (bits - 1)
        while true {
            var candidate = try random(bits: bits, using: &rng)
            if !candidate.testBit(bits - 1) { candidate += top }
            if !candidate.isOdd { candidate += Bignum(1) }
            if candidate.isProbablePrime() { return candidate }
        }
    }

    private static func masked(_ bytes: ArraySlice<UInt8>, bits: Int, width: Int) -> Bignum {
        var copy = Array(bytes)
        let extra = width * 8 - bits
        if extra > 0 { copy[0] &= UInt8(0xFF >> extra) }
        defer { zeroize(&copy) }
        return Bignum(bigEndian: copy)
    }
}
