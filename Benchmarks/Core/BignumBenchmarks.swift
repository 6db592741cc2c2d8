import Benchmark
import Bignum
import CBaseline

/// base^e mod m with a 2048-bit exponent and a 4096-bit odd modulus (fixed seed), through `Bignum`
/// and through plain GMP on the same operands: `powm` vs `mpz_powm`, `powmSecret` vs `mpz_powm_sec`.
func registerBignumBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    let operands = PowmOperands()
    let tag = "4096-bit modulus, 2048-bit exponent"

    Benchmark("Bignum.powm \(tag)", configuration: config) { benchmark in
        let (base, exponent, modulus) = operands.bignums()
        benchmark.startMeasurement()
        let r = try base.powm(exponent, modulus: modulus)
        benchmark.stopMeasurement()
        blackHole(r)
    }
    Benchmark("Bignum.powmSecret \(tag)", configuration: config) { benchmark in
        let (base, exponent, modulus) = operands.bignums()
        benchmark.startMeasurement()
        let r = try base.powmSecret(exponent, modulus: modulus)
        benchmark.stopMeasurement()
        blackHole(r)
    }
    Benchmark("C baseline mpz_powm \(tag)", configuration: config) { benchmark in
        let state = operands.cState()
        defer { cbaseline_powm_destroy(state) }
        benchmark.startMeasurement()
        blackHole(cbaseline_powm_run(state))
        benchmark.stopMeasurement()
    }
    Benchmark("C baseline mpz_powm_sec \(tag)", configuration: config) { benchmark in
        let state = operands.cState()
        defer { cbaseline_powm_destroy(state) }
        benchmark.startMeasurement()
        blackHole(cbaseline_powm_sec_run(state))
        benchmark.stopMeasurement()
    }
}

/// The operands as big-endian bytes; each side builds its own values from them outside the measurement.
/// Built with SplitMix64, not `Bignum`, so a C-baseline process never installs Bignum's wiping allocator.
struct PowmOperands: Sendable {
    let base: [UInt8], exponent: [UInt8], modulus: [UInt8]

    init() {
        var g = SplitMix64(seed: 0x90A4)
        var m = g.bytes(count: 512)
        m[0] |= 0x80  // exactly 4096 bits
        m[511] |= 1   // odd
        var e = g.bytes(count: 256)
        e[0] |= 0x80  // exactly 2048 bits
        var b = g.bytes(count: 512)
        b[0] &= 0x7F  // below the modulus
        modulus = m
        exponent = e
        base = b
    }

    func bignums() -> (Bignum, Bignum, Bignum) {
        (Bignum(bigEndian: base), Bignum(bigEndian: exponent), Bignum(bigEndian: modulus))
    }

    func cState() -> OpaquePointer? {
        cbaseline_powm_create(base, base.count, exponent, exponent.count, modulus, modulus.count)
    }
}
