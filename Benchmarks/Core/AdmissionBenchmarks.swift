import Admission
import Benchmark
import CryptoPrimitives

/// Admission with 3-of-5 authorities, one operation per iteration (`secagg bench admission` adds the
/// exponentiation floor and the all-cores total; see Benchmarks/README.md).
func registerAdmissionBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(2))

    struct Fixture {
        let parameters: AdmissionPublicParameters
        let authorities: [Authority]
        let key: ClientSecretKey
        let proof: AdmissionProof
        let shares: [TokenShare]
        let token: AdmissionToken
        var rng: HmacDrbg

        init() throws {
            var rng = try HmacDrbg(entropy: Array("secagg admission benchmark fixture".utf8))
            let dealing = try AdmissionDealing.deal(threshold: 3, authorityCount: 5, using: &rng)
            parameters = dealing.parameters
            let client = try ClientSecretKey.generate(using: &rng)
            key = client
            authorities = dealing.authorityKeys.map { Authority(key: $0, parameters: dealing.parameters, registry: [client.publicKey]) }
            proof = try AdmissionProof.prove(key: key, parameters: parameters, session: "bench", round: 1, using: &rng)
            var issued: [TokenShare] = []
            for authority in authorities { issued.append(try authority.issue(for: proof, session: "bench", round: 1, using: &rng)) }
            shares = issued
            token = try AdmissionToken.combine(shares, client: key.publicKey, session: "bench", round: 1, parameters: parameters).token
            self.rng = rng
        }
    }

    Benchmark("Admission.prove", configuration: config) { benchmark in
        var f = try Fixture()
        benchmark.startMeasurement()
        blackHole(try AdmissionProof.prove(key: f.key, parameters: f.parameters, session: "bench", round: 2, using: &f.rng))
        benchmark.stopMeasurement()
    }
    Benchmark("Admission.issue one authority", configuration: config) { benchmark in
        var f = try Fixture()
        benchmark.startMeasurement()
        blackHole(try f.authorities[0].issue(for: f.proof, session: "bench", round: 1, using: &f.rng))
        benchmark.stopMeasurement()
    }
    Benchmark("Admission.combine 3-of-5", configuration: config) { benchmark in
        let f = try Fixture()
        benchmark.startMeasurement()
        blackHole(try AdmissionToken.combine(f.shares, client: f.key.publicKey, session: "bench", round: 1, parameters: f.parameters))
        benchmark.stopMeasurement()
    }
    Benchmark("Admission.verify token 3-of-5", configuration: config) { benchmark in
        let f = try Fixture()
        benchmark.startMeasurement()
        try AdmissionVerifier(parameters: f.parameters).verify(f.token, session: "bench", round: 1)
        benchmark.stopMeasurement()
    }
}
