import Benchmark
import CBaseline
import CryptoPrimitives
import SecretSharing

/// Shamir over Mersenne61, t = 6, n = 10, L = 1,000,000 secrets: split with each random source, the
/// randomness and the evaluation alone (to see which dominates), and combine from t shares.
///
/// scalingFactor .mega: one iteration handles 1M secrets, so the default text output shows time per secret
/// and `--scale` the raw time per call.
/// Share-elements per split = L·n = 10M; random elements per split = L·(t − 1) = 5M (40 MB).
func registerShamirBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .mega, maxDuration: .seconds(4))
    let L = Fixtures.secretCount, t = Fixtures.threshold, n = Fixtures.shareCount
    let tag = "M61 t=\(t) n=\(n) L=1M"

    func split(_ name: String, makeSource: @escaping () throws -> some RandomSource) {
        Benchmark("Shamir.split \(tag) rng=\(name)", configuration: config) { benchmark in
            let secrets = Fixtures.secrets
            let shamir = try Shamir(field: Mersenne61(), threshold: t, shareCount: n)
            var rng = try makeSource()
            benchmark.startMeasurement()
            let shares = try shamir.split(secrets, using: &rng)
            benchmark.stopMeasurement()  // freeing 80 MB of shares is not part of the split
            blackHole(shares)
        }
    }
    split("Prg") { try PrgRandomSource(seed: 1) }
    split("SystemRandom") { SystemRandom() }
    split("HmacDrbg") { Fixtures.drbg }

    // The randomness of one split alone: 5M field elements through the sampling rule.
    func sample(_ name: String, makeSource: @escaping () throws -> some RandomSource) {
        Benchmark("Mersenne61.randomElements 5M rng=\(name)", configuration: config) { benchmark in
            var rng = try makeSource()
            benchmark.startMeasurement()
            let values = try Mersenne61().randomElements(count: L * (t - 1), using: &rng)
            benchmark.stopMeasurement()
            blackHole(values)
        }
    }
    sample("Prg") { try PrgRandomSource(seed: 2) }
    sample("SystemRandom") { SystemRandom() }
    sample("HmacDrbg") { Fixtures.drbg }

    // The raw speed of each source: 8 MB (one coefficient row) into a buffer allocated outside the
    // measurement, so no page faults are counted.
    func fill(_ name: String, makeSource: @escaping () throws -> some RandomSource) {
        Benchmark("RandomSource.fill 8 MB rng=\(name)", configuration: config) { benchmark in
            var rng = try makeSource()
            var buffer = [UInt64](repeating: 0, count: L)
            benchmark.startMeasurement()
            try buffer.withUnsafeMutableBytes { try rng.fill($0) }
            benchmark.stopMeasurement()
            blackHole(buffer)
        }
    }
    fill("Prg") { try PrgRandomSource(seed: 5) }
    fill("SystemRandom") { SystemRandom() }
    fill("HmacDrbg") { Fixtures.drbg }

    // The arithmetic of one split alone: Horner over 6 rows at 10 points, no randomness.
    Benchmark("Mersenne61.evaluate \(tag)", configuration: config) { benchmark in
        var rng = try PrgRandomSource(seed: 3)
        let field = Mersenne61()
        let coefficients = try Fixtures.secrets + field.randomElements(count: L * (t - 1), using: &rng)
        let points = (1...UInt64(n)).map { $0 }
        benchmark.startMeasurement()
        let values = field.evaluate(coefficients: coefficients, rowCount: t, length: L, at: points)
        benchmark.stopMeasurement()
        blackHole(values)
    }

    // The memory floor of a split: n fresh 8 MB buffers written once (the kernel zero-fills every page of a
    // split's 80 MB of output on first touch, whatever computes it).
    Benchmark("C baseline fresh memory n=\(n) x 8 MB (split output floor)", configuration: config) { benchmark in
        benchmark.startMeasurement()
        let buffers = cbaseline_fresh_buffers_create(n, L * 8)
        benchmark.stopMeasurement()
        if buffers == nil { benchmark.error("allocation failed") }
        cbaseline_fresh_buffers_free(buffers)
    }

    // Combine: the first t of the n shares (validation + Lagrange weights + one linear combination).
    Benchmark("Shamir.combine \(tag) from t shares", configuration: config) { benchmark in
        let shamir = try Shamir(field: Mersenne61(), threshold: t, shareCount: n)
        var rng = try PrgRandomSource(seed: 4)
        let shares = Array(try shamir.split(Fixtures.secrets, using: &rng).prefix(t))
        benchmark.startMeasurement()
        let secrets = try shamir.combine(shares)
        benchmark.stopMeasurement()
        if secrets != Fixtures.secrets { benchmark.error("combine did not return the secrets") }
        blackHole(secrets)
    }
}
