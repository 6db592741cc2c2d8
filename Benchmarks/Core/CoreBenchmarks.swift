import Benchmark

/// One-thread benchmarks of the hot kernels, each registered next to the baseline it is judged against
/// (see `Benchmarks/README.md` for the pairs, the targets and the measured ratios).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(3))
    registerShamirBenchmarks()
    registerPrgBenchmarks()
    registerBignumBenchmarks()
    registerPaillierBenchmarks()
    registerTrainingBenchmarks()
    registerAdmissionBenchmarks()
    registerSecureAggregationBenchmarks()
}
