@testable import FederatedLearning
import Testing

/// Naive `C = A·B` with A `m×k`, B `k×n`, both row-major.
private func naiveProduct(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s: Float = 0
            for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = s
        }
    }
    return c
}

private func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in Float(rng.nextNormal()) }
}

/// Runs `gemm` with `kernel` on row-major or transposed copies of the operands; returns C.
private func runGemm(
    _ kernel: GemmKernel, m: Int, n: Int, k: Int, a: [Float], aTransposed: Bool, b: [Float], bTransposed: Bool,
    alpha: Float = 1, initial: Float = 9, accumulate: Bool = false
) -> [Float] {
    let sizes = gemmPackSizes(m: m, n: n, k: k)
    var packA = [Float](repeating: 0, count: sizes.a)
    var packB = [Float](repeating: 0, count: sizes.b)
    var c = [Float](repeating: initial, count: m * n)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            packA.withUnsafeMutableBufferPointer { pa in
                packB.withUnsafeMutableBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { c in
                        guard let ab = a.baseAddress, let bb = b.baseAddress, let cb = c.baseAddress,
                            let pab = pa.baseAddress, let pbb = pb.baseAddress
                        else { return }
                        let av: MatrixView = aTransposed ? .transposed(ab, columns: m) : .rowMajor(ab, columns: k)
                        let bv: MatrixView = bTransposed ? .transposed(bb, columns: k) : .rowMajor(bb, columns: n)
                        gemm(
                            m: m, n: n, k: k, alpha: alpha, a: av, b: bv, c: cb, ldc: n, accumulate: accumulate,
                            packA: pab, packB: pbb, kernel: kernel)
                    }
                }
            }
        }
    }
    return c
}

@Suite struct GemmTests {
    /// Shapes with every kind of edge of the 4×8 tile (narrow and wide last panels), and the training shapes.
    @Test(arguments: [
        (1, 1, 1), (3, 5, 7), (4, 8, 2), (5, 9, 13), (7, 10, 64), (32, 10, 64), (13, 17, 3), (9, 22, 4), (4, 3, 5),
    ])
    func bothKernelsMatchNaiveProductAndEachOtherExactly(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = randomFloats(m * k, seed: 1)
        let b = randomFloats(k * n, seed: 2)
        let expected = naiveProduct(a, b, m: m, n: n, k: k)
        let simd = runGemm(.simd, m: m, n: n, k: k, a: a, aTransposed: false, b: b, bTransposed: false)
        let scalar = runGemm(.scalar, m: m, n: n, k: k, a: a, aTransposed: false, b: b, bTransposed: false)
        let worst = zip(simd, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4)
        #expect(simd == scalar)
    }

    @Test(arguments: GemmKernel.allCases)
    func transposedOperandsAndAccumulationMatchNaive(_ kernel: GemmKernel) {
        for (m, n, k) in [(6, 11, 5), (5, 14, 7), (3, 8, 2), (8, 20, 3)] {
            checkTransposed(kernel, m: m, n: n, k: k)
        }
    }

    private func checkTransposed(_ kernel: GemmKernel, m: Int, n: Int, k: Int) {
        let at = randomFloats(k * m, seed: 3)  // Aᵀ stored row-major k×m
        let bt = randomFloats(n * k, seed: 4)  // Bᵀ stored row-major n×k
        var a = [Float](repeating: 0, count: m * k)
        var b = [Float](repeating: 0, count: k * n)
        for i in 0..<m { for p in 0..<k { a[i * k + p] = at[p * m + i] } }
        for p in 0..<k { for j in 0..<n { b[p * n + j] = bt[j * k + p] } }
        let product = naiveProduct(a, b, m: m, n: n, k: k)
        let c = runGemm(
            kernel, m: m, n: n, k: k, a: at, aTransposed: true, b: bt, bTransposed: true, alpha: -2, initial: 1,
            accumulate: true)
        let worst = zip(c, product).map { abs($0 - (1 - 2 * $1)) }.max() ?? 0
        #expect(worst < 1e-4)
    }
}

@Suite struct ModelTests {
    @Test func parameterLayoutIsWeightsThenBiasPerLayer() throws {
        let arch = try ModelArchitecture.mlp(inputCount: 5, hidden: [4, 3], classCount: 2)
        #expect(arch.parameterCount == 5 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2)
        #expect(arch.weightRange(layer: 0) == 0..<20)
        #expect(arch.biasRange(layer: 0) == 20..<24)
        #expect(arch.weightRange(layer: 1) == 24..<36)
        #expect(arch.weightRange(layer: 2) == 39..<45)
        #expect(arch.biasRange(layer: 2) == 45..<47)
    }

    @Test func flattenAndUnflattenRoundTrip() throws {
        let arch = try ModelArchitecture.mlp(inputCount: 5, hidden: [4], classCount: 3)
        let model = Model(arch, seed: 9)
        let rebuilt = try Model(arch, layers: model.layers)
        #expect(rebuilt == model)
        let fromVector = try Model(arch, parameters: model.parameters)
        #expect(fromVector == model)
    }

    @Test func initialisationIsDeterministicAndBiasesAreZero() throws {
        let arch = try ModelArchitecture.mlp(inputCount: 8, hidden: [6], classCount: 3)
        #expect(Model(arch, seed: 1) == Model(arch, seed: 1))
        #expect(Model(arch, seed: 1) != Model(arch, seed: 2))
        let layers = Model(arch, seed: 1).layers
        let zeroBiases = layers.allSatisfy { $0.bias.allSatisfy { $0 == 0 } }
        #expect(zeroBiases)
        let bound = Float((6.0 / 8.0).squareRoot())
        let bounded = layers[0].weights.allSatisfy { abs($0) <= bound }
        #expect(bounded)
    }

    @Test func softmaxGradientMatchesFiniteDifferences() throws {
        let data = try smallSynthetic(classes: 3, features: 5, train: 12, test: 3).train
        let arch = try ModelArchitecture.softmaxRegression(inputCount: 5, classCount: 3)
        try checkGradient(Model(arch, seed: 3), data)
    }

    @Test func oneHiddenLayerGradientMatchesFiniteDifferences() throws {
        let data = try smallSynthetic(classes: 3, features: 5, train: 9, test: 3).train
        let arch = try ModelArchitecture.mlp(inputCount: 5, hidden: [7], classCount: 3)
        try checkGradient(Model(arch, seed: 4), data)
    }

    @Test func twoHiddenLayersGradientMatchesFiniteDifferences() throws {
        let data = try smallSynthetic(classes: 4, features: 6, train: 10, test: 3).train
        let arch = try ModelArchitecture.mlp(inputCount: 6, hidden: [9, 5], classCount: 4)
        try checkGradient(Model(arch, seed: 5), data)
    }

    /// Central differences (step 3·10⁻³, losses summed in Double) around every parameter, against the analytic
    /// gradient.
    private func checkGradient(_ model: Model, _ data: Dataset) throws {
        let (_, gradient) = try model.lossAndGradient(on: data)
        let h: Float = 3e-3
        var worst = 0.0
        for i in model.parameters.indices {
            var plus = model.parameters
            plus[i] += h
            var minus = model.parameters
            minus[i] -= h
            let lp = try Model(model.architecture, parameters: plus).lossAndGradient(on: data).loss
            let lm = try Model(model.architecture, parameters: minus).lossAndGradient(on: data).loss
            let numeric = (lp - lm) / Double(plus[i] - minus[i])
            let error = abs(numeric - Double(gradient[i])) / max(1e-2, abs(numeric) + abs(Double(gradient[i])))
            worst = max(worst, error)
        }
        #expect(worst < 1e-2)
    }

    @Test func trainingLowersTheLossAndFitsSeparableData() throws {
        let data = try smallSynthetic()
        var model = Model(try .mlp(inputCount: 10, hidden: [16], classCount: 4), seed: 1)
        let before = try model.evaluate(on: data.test)
        let summary = try model.train(
            on: data.train, configuration: SGDConfiguration(learningRate: 0.1, batchSize: 16, epochs: 5), seed: 2)
        let after = try model.evaluate(on: data.test)
        #expect(after.loss < before.loss)
        #expect(after.accuracy > 0.9)
        #expect(summary.steps == 5 * 25)
        #expect(summary.epochLosses.count == 5)
    }

    @Test func sameSeedGivesIdenticalTraining() throws {
        let data = try smallSynthetic()
        let arch = try ModelArchitecture.mlp(inputCount: 10, hidden: [8], classCount: 4)
        let config = try SGDConfiguration(learningRate: 0.05, batchSize: 7, epochs: 2, weightDecay: 1e-3)
        var a = Model(arch, seed: 1)
        var b = Model(arch, seed: 1)
        try a.train(on: data.train, indices: Array(0..<100), configuration: config, seed: 5)
        try b.train(on: data.train, indices: Array(0..<100), configuration: config, seed: 5)
        #expect(a == b)
        var c = Model(arch, seed: 1)
        try c.train(on: data.train, indices: Array(0..<100), configuration: config, seed: 6)
        #expect(a != c)
    }

    @Test func predictionsAgreeWithEvaluation() throws {
        let data = try smallSynthetic()
        let model = Model(try .softmaxRegression(inputCount: 10, classCount: 4), seed: 3)
        let predictions = try model.predict(data.test)
        let correct = zip(predictions, data.test.labels).filter { $0 == $1 }.count
        #expect(correct == (try model.evaluate(on: data.test)).correct)
    }
}

@Suite struct ModelBadInputTests {
    @Test func invalidArchitecturesAreRejected() {
        let noInputs = trainingError { () throws(TrainingError) in try ModelArchitecture(inputCount: 0, classCount: 2) }
        #expect(noInputs != nil)
        let oneClass = trainingError { () throws(TrainingError) in try ModelArchitecture(inputCount: 3, classCount: 1) }
        #expect(oneClass != nil)
        let noHidden = trainingError { () throws(TrainingError) in
            try ModelArchitecture.mlp(inputCount: 3, hidden: [], classCount: 2)
        }
        #expect(noHidden != nil)
        let emptyLayer = trainingError { () throws(TrainingError) in
            try ModelArchitecture.mlp(inputCount: 3, hidden: [0], classCount: 2)
        }
        #expect(emptyLayer != nil)
        let tooLarge = trainingError { () throws(TrainingError) in
            try ModelArchitecture.mlp(inputCount: 1 << 20, hidden: [1 << 20], classCount: 2)
        }
        #expect(tooLarge != nil)
    }

    @Test func invalidHyperparametersAreRejected() {
        let e1 = trainingError { () throws(TrainingError) in try SGDConfiguration(learningRate: 0) }
        #expect(e1 != nil)
        let e2 = trainingError { () throws(TrainingError) in try SGDConfiguration(learningRate: .nan) }
        #expect(e2 != nil)
        let e3 = trainingError { () throws(TrainingError) in try SGDConfiguration(batchSize: 0) }
        #expect(e3 != nil)
        let e4 = trainingError { () throws(TrainingError) in try SGDConfiguration(epochs: 0) }
        #expect(e4 != nil)
        let e5 = trainingError { () throws(TrainingError) in try SGDConfiguration(weightDecay: -1) }
        #expect(e5 != nil)
    }

    @Test func wrongParameterCountIsRejected() throws {
        let arch = try ModelArchitecture.softmaxRegression(inputCount: 3, classCount: 2)
        let e = trainingError { () throws(TrainingError) in try Model(arch, parameters: [1, 2, 3]) }
        #expect(e == .parameterCountMismatch(expected: 8, found: 3))
    }

    @Test func nonFiniteParameterIsRejected() throws {
        let arch = try ModelArchitecture.softmaxRegression(inputCount: 1, classCount: 2)
        let e = trainingError { () throws(TrainingError) in try Model(arch, parameters: [0, .infinity, 0, 0]) }
        #expect(e == .nonFiniteParameter(index: 1))
    }

    @Test func dataWithOtherFeatureCountIsRejected() throws {
        let data = try smallSynthetic()
        var model = Model(try .softmaxRegression(inputCount: 11, classCount: 4), seed: 1)
        let e = trainingError { () throws(TrainingError) in
            try model.train(on: data.train, configuration: SGDConfiguration(), seed: 0)
        }
        #expect(e == .featureCountMismatch(model: 11, data: 10))
    }

    @Test func dataWithMoreClassesThanOutputsIsRejected() throws {
        let data = try smallSynthetic()
        let model = Model(try .softmaxRegression(inputCount: 10, classCount: 3), seed: 1)
        let e = trainingError { () throws(TrainingError) in try model.evaluate(on: data.test) }
        #expect(e == .classCountMismatch(model: 3, data: 4))
    }

    @Test func outOfRangeAndEmptyIndicesAreRejected() throws {
        let data = try smallSynthetic()
        var model = Model(try .softmaxRegression(inputCount: 10, classCount: 4), seed: 1)
        let e1 = trainingError { () throws(TrainingError) in
            try model.train(on: data.train, indices: [0, 400], configuration: SGDConfiguration(), seed: 0)
        }
        #expect(e1 == .sampleIndexOutOfRange(index: 400, sampleCount: 400))
        let e2 = trainingError { () throws(TrainingError) in try model.evaluate(on: data.train, indices: []) }
        #expect(e2 == .noSamples)
    }

    @Test func divergingTrainingThrowsAndLeavesModelUnchanged() throws {
        let data = try smallSynthetic(separation: 200)
        var model = Model(try .mlp(inputCount: 10, hidden: [16], classCount: 4), seed: 1)
        let before = model
        let e = trainingError { () throws(TrainingError) in
            try model.train(
                on: data.train, configuration: SGDConfiguration(learningRate: 1e30, batchSize: 4, epochs: 2), seed: 0)
        }
        #expect(e == .diverged(epoch: 0))
        #expect(model == before)
    }

    @Test func applyingAWrongLengthDeltaIsRejected() throws {
        var model = Model(try .softmaxRegression(inputCount: 2, classCount: 2), seed: 1)
        let e = trainingError { () throws(TrainingError) in try model.apply(delta: [1, 2]) }
        #expect(e == .parameterCountMismatch(expected: 6, found: 2))
    }
}
