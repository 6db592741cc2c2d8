import Benchmark
import Bignum
import CryptoPrimitives
import Paillier

/// Paillier at 2048 bits, one operation per iteration. The baseline is python-paillier (`phe` with
/// gmpy2), measured in the same session by `Tools/bench_phe.py` (see `Benchmarks/README.md`).
func registerPaillierBenchmarks() {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))

    /// A fixed 2048-bit key and operands (HMAC_DRBG, fixed seed), built outside the measurement.
    struct Fixture {
        let key: PaillierPrivateKey
        let m: Bignum
        let c: PaillierCiphertext
        let d: PaillierCiphertext

        init() throws {
            var rng = try HmacDrbg(entropy: Array("secagg paillier benchmark key".utf8))
            key = try PaillierKeyPair.generate(bits: 2048, using: &rng)
            m = try Bignum.random(below: key.publicKey.n, using: &rng)
            c = try key.publicKey.encrypt(m, using: &rng)
            d = try key.publicKey.encrypt(m, using: &rng)
        }
    }

    Benchmark("Paillier.encrypt classic 2048", configuration: config) { benchmark in
        let f = try Fixture()
        var system = SystemRandom()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try f.key.publicKey.encrypt(f.m, using: &system)) }
        benchmark.stopMeasurement()
    }
    Benchmark("Paillier.encrypt fast (DJN, w=7) 2048", configuration: config) { benchmark in
        let f = try Fixture()
        var system = SystemRandom()
        let encryptor = try PaillierEncryptor(publicKey: f.key.publicKey, using: &system)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try encryptor.encrypt(f.m, using: &system)) }
        benchmark.stopMeasurement()
    }
    Benchmark("Paillier.decrypt CRT 2048", configuration: config) { benchmark in
        let f = try Fixture()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try f.key.decrypt(f.c)) }
        benchmark.stopMeasurement()
    }
    Benchmark("Paillier.add 2048", configuration: config) { benchmark in
        let f = try Fixture()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try f.key.publicKey.add(f.c, f.d)) }
        benchmark.stopMeasurement()
    }
    Benchmark("Paillier.mulScalar 64-bit 2048", configuration: config) { benchmark in
        let f = try Fixture()
        let scalar = Bignum(UInt64(0xC3A5_C85C_97CB_3127))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try f.key.publicKey.multiply(f.c, by: scalar)) }
        benchmark.stopMeasurement()
    }
}
