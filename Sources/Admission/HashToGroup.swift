public import Bignum
internal import CryptoPrimitives

extension AdmissionGroup {
    /// H(y, session, round): the token base, an element of the order-q subgroup other than 1.
    ///
    /// For counter = 0, 1, …: the first ⌈(|p| + 128)/8⌉ bytes of SHA-256(Str(tag) ‖ E(y) ‖ Str(session) ‖
    /// u64(round) ‖ u32(counter) ‖ u32(i)) for i = 0, 1, … concatenated, read big-endian, reduced mod p
    /// (skipped if 0), raised to (p − 1)/q (skipped if 1).
    /// - Throws: ``AdmissionError/arithmetic(_:)`` only if 2^32 counters all fail (probability ≈ 0).
    public func hashToGroup(client y: Bignum, session: String, round: UInt64) throws(AdmissionError) -> Bignum {
        let length = (p.bitWidth + 128 + 7) / 8
        var base = Transcript(tag: Tag.hashToGroup, group: self)
        try base.appendElement(y)
        base.appendString(session)
        base.appendUInt64(round)
        for counter in UInt32(0)...UInt32.max {
            var expanded = [UInt8]()
            var block: UInt32 = 0
            while expanded.count < length {
                var t = base
                t.appendUInt32(counter)
                t.appendUInt32(block)
                expanded += t.digest
                block += 1
            }
            let p = self.p
            let e = try arithmetic { try Bignum(bigEndian: expanded.prefix(length)).modulo(p) }
            if e.isZero { continue }
            let h = try power(e, cofactor)
            if h != Bignum(1) { return h }
        }
        throw .arithmetic("hash-to-group exhausted its counter")
    }
}
