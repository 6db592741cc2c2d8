import CryptoPrimitives
import SecureAggregation
import Testing

@Suite struct QuantizerTests {
    /// k = b + ⌈log₂ n⌉ + 1, and the word type follows k.
    @Test func ringBitsFollowTheFormula() throws {
        #expect(try Quantizer(clip: 1, valueBits: 16, clientCount: 1).ringBits == 17)
        #expect(try Quantizer(clip: 1, valueBits: 16, clientCount: 2).ringBits == 18)
        #expect(try Quantizer(clip: 1, valueBits: 16, clientCount: 100).ringBits == 24)
        #expect(try Quantizer(clip: 1, valueBits: 24, clientCount: 1000).ringBits == 35)
        #expect(try Quantizer(clip: 1, valueBits: 16, clientCount: 100).ring.wordBitWidth == 32)
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            try Quantizer(clip: 1, valueBits: 60, clientCount: 100)
        }) { if case .invalidParameter = $0 { return true } else { return false } }
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in try Quantizer(clip: 0, valueBits: 8, clientCount: 2) }) {
            if case .invalidParameter = $0 { return true } else { return false }
        }
        // UInt64 storage of a ≤ 32-bit ring gives the same values; UInt32 cannot hold a 35-bit ring.
        var a = try testRandom("q word"), b = try testRandom("q word")
        let q = try Quantizer(clip: 1, valueBits: 16, clientCount: 10)
        let narrow: [UInt32] = try q.quantize([0.5, -0.25, 0.9], using: &a)
        let wide: [UInt64] = try q.quantize([0.5, -0.25, 0.9], using: &b)
        #expect(narrow.map(UInt64.init) == wide)
        let q35 = try Quantizer(clip: 1, valueBits: 24, clientCount: 1000)
        expectError(sourceLocation: #_sourceLocation, { () throws(SecAggError) in
            let _: [UInt32] = try q35.quantize([0.5], using: &a)
        }) { if case .invalidParameter = $0 { return true } else { return false } }
    }

    /// Sum of n clients' quantized vectors, added in Z_2^k, dequantizes to within n / s of Σ clip(x_i);
    /// the mean to within 1 / s. Inputs include values beyond the clip range.
    @Test(arguments: [(8, 5), (12, 20), (20, 3), (30, 7)])
    func dequantizedSumIsWithinTheBound(bits: Int, n: Int) throws {
        var rng = try testRandom("bound \(bits) \(n)")
        let c = 0.75
        let q = try Quantizer(clip: c, valueBits: bits, clientCount: n)
        let length = 200
        var inputs: [[Double]] = []
        for _ in 0..<n {
            inputs.append(try (0..<length).map { _ in (Double(try rng.nextUInt64() >> 11) * 0x1p-53 - 0.5) * 2.4 })
        }
        let checkWords = { (sum: [Double]) in
            let bound = q.sumErrorBound(contributors: n) + Double(n) * c * 0x1p-50
            for j in 0..<length {
                let exact = inputs.reduce(0) { $0 + q.clipped($1[j]) }
                #expect(abs(sum[j] - exact) <= bound, "coordinate \(j): \(sum[j]) vs \(exact)")
            }
        }
        if q.ringBits <= 32 {
            var sum = [UInt32](repeating: 0, count: length)
            for x in inputs {
                let w: [UInt32] = try q.quantize(x, using: &rng)
                #expect(w.allSatisfy { UInt64($0) <= q.ring.mask })
                for j in 0..<length { sum[j] &+= w[j] }
            }
            sum = sum.map { $0 & UInt32(q.ring.mask) }
            checkWords(try q.dequantizeSum(sum))
            let mean = try q.dequantizeMean(sum, contributors: n)
            for j in 0..<length {
                let exact = inputs.reduce(0) { $0 + q.clipped($1[j]) } / Double(n)
                #expect(abs(mean[j] - exact) <= q.meanErrorBound + c * 0x1p-50)
            }
        } else {
            var sum = [UInt64](repeating: 0, count: length)
            for x in inputs {
                let w: [UInt64] = try q.quantize(x, using: &rng)
                for j in 0..<length { sum[j] &+= w[j] }
            }
            sum = sum.map { $0 & q.ring.mask }
            checkWords(try q.dequantizeSum(sum))
        }
    }

    /// The extremes: n clients all at +c (or all at −c) sum without wrapping to exactly ±n·c.
    @Test func extremeSumsDoNotOverflow() throws {
        var rng = try testRandom("extremes")
        let n = 9, c = 2.0
        let q = try Quantizer(clip: c, valueBits: 10, clientCount: n)
        for sign in [1.0, -1.0] {
            var sum = [UInt32](repeating: 0, count: 3)
            for _ in 0..<n {
                let w: [UInt32] = try q.quantize([sign * c, sign * 5 * c, sign * .infinity], using: &rng)
                for j in 0..<3 { sum[j] &+= w[j] }
            }
            let back = try q.dequantizeSum(sum.map { $0 & UInt32(q.ring.mask) })
            #expect(back.allSatisfy { abs($0 - sign * Double(n) * c) < 1e-9 }, "\(back)")
        }
    }

    /// Stochastic rounding is unbiased: the average of many quantizations of x approaches x·s.
    @Test func stochasticRoundingIsUnbiased() throws {
        var rng = try testRandom("unbiased")
        let q = try Quantizer(clip: 1, valueBits: 4, clientCount: 1)   // s = 15: x = 0.3 → 4.5 steps
        let x = [Double](repeating: 0.3, count: 20_000)
        let w: [UInt32] = try q.quantize(x, using: &rng)
        let values = try q.dequantizeSum(w)
        #expect(Set(values.map { ($0 * 15).rounded() }) == [4, 5])
        let mean = values.reduce(0, +) / Double(values.count)
        // σ of one rounding = 0.5/15; of the mean of 20,000: ≈ 2.4e-4. Allow 5σ.
        #expect(abs(mean - 0.3) < 1.2e-3)
    }

    /// NaN is rejected with its index; Float input works like Double.
    @Test func nanIsRejectedAndFloatWorks() throws {
        var rng = try testRandom("nan")
        let q = try Quantizer(clip: 1, valueBits: 8, clientCount: 4)
        expectError(.inputOutOfRange(index: 1, expected: "a number (not NaN)")) { () throws(SecAggError) in
            let _: [UInt32] = try q.quantize([0.5, .nan], using: &rng)
        }
        let w: [UInt32] = try q.quantize([Float(0.5), -1], using: &rng)
        let back = try q.dequantizeSum(w)
        #expect(abs(back[0] - 0.5) < 1 / q.scale && back[1] == -1)
    }

    /// End to end: quantize, aggregate with masking (two dropouts), dequantize: within the bound.
    @Test func quantizedMaskedAggregationIsWithinTheBound() throws {
        var rng = try testRandom("pipeline")
        let n = 6, t = 4, length = 50
        let q = try Quantizer(clip: 1, valueBits: 16, clientCount: n)
        let p = try MaskedAggregationParameters(clientCount: n, threshold: t, vectorLength: length, ringBits: q.ringBits)
        let clients = try (1...n).map { try MaskedAggregationClient<UInt32>(id: UInt32($0), parameters: p, using: &rng) }
        var reals: [UInt32: [Double]] = [:]
        var inputs: [UInt32: [UInt32]] = [:]
        for id in 1...n {
            let x = try (0..<length).map { _ in Double(try rng.nextUInt64() >> 11) * 0x1p-53 * 3 - 1.5 }
            reals[UInt32(id)] = x
            inputs[UInt32(id)] = try q.quantize(x, using: &rng)
        }
        var sim = Simulation(clients: clients, server: try MaskedAggregationServer<UInt32>(parameters: p), inputs: inputs)
        sim.dropAt = [2: .maskedInput, 5: .shareKeys]
        let sum = try sim.run()
        let contributors: [UInt32] = [1, 3, 4, 6]
        let mean = try q.dequantizeMean(sum, contributors: contributors.count)
        for j in 0..<length {
            let exact = contributors.reduce(0) { $0 + q.clipped(reals[$1]![j]) } / Double(contributors.count)
            #expect(abs(mean[j] - exact) <= q.meanErrorBound)
        }
    }
}
