import Benchmark
import CBaseline
import CryptoPrimitives

/// `Prg.fill` of 1,000,000 `UInt32` (4 MB) against the C baseline: a raw EVP AES-256-CTR keystream of the
/// same 4 MB under the same key. scalingFactor .mega (1M words per call): the default text output shows time
/// per word, `--scale` the raw time per call.
func registerPrgBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .mega, maxDuration: .seconds(2))
    let wordCount = 1_000_000
    var g = SplitMix64(seed: 0xAE5)
    let key = g.bytes(count: 32)
    let iv = [UInt8](repeating: 0, count: 16)

    Benchmark("Prg.fill UInt32 x1M (4 MB)", configuration: config) { benchmark in
        let prg = try Prg(seed: key, iv: iv)
        var words = [UInt32](repeating: 0, count: wordCount)
        benchmark.startMeasurement()
        try prg.fill(&words)
        benchmark.stopMeasurement()
        blackHole(words)
    }

    Benchmark("C baseline EVP aes-256-ctr keystream 4 MB", configuration: config) { benchmark in
        var bytes = [UInt8](repeating: 0, count: wordCount * 4)
        benchmark.startMeasurement()
        let status = bytes.withUnsafeMutableBufferPointer { out in
            cbaseline_aes256ctr_keystream(key, iv, out.baseAddress, out.count)
        }
        benchmark.stopMeasurement()
        if status != 0 { benchmark.error("cbaseline_aes256ctr_keystream failed") }
        blackHole(bytes)
    }
}
