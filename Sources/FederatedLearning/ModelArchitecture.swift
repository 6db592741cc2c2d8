/// The shape of a fully connected classifier: `inputCount` features → zero or more hidden ReLU layers →
/// `classCount` logits → softmax. No hidden layer is multinomial logistic (softmax) regression; one or two make
/// an MLP. Parameters live in one flat `[Float]` vector, layer by layer: for layer `l` (inputs `n_{l−1}`,
/// outputs `n_l`) first the weight matrix `W_l`, `n_{l−1} × n_l` row-major (`W_l[i][j]` connects input `i` to
/// output `j`), then the bias `b_l` (`n_l` values).
public struct ModelArchitecture: Sendable, Hashable, CustomStringConvertible {
    /// `[inputCount, hidden…, classCount]`.
    public let layerSizes: [Int]

    /// Largest parameter count accepted (2³¹ − 1).
    public static let maximumParameterCount = Int(Int32.max)

    /// A network with the given hidden layer widths (empty: softmax regression).
    /// - Throws: ``TrainingError/invalidArchitecture(reason:)`` if `inputCount < 1`, `classCount < 2`, a hidden
    ///   width is below 1, or the parameter count exceeds ``maximumParameterCount``.
    public init(inputCount: Int, hiddenLayerSizes: [Int] = [], classCount: Int) throws(TrainingError) {
        guard inputCount >= 1 else { throw .invalidArchitecture(reason: "input count must be ≥ 1, got \(inputCount)") }
        guard classCount >= 2 else { throw .invalidArchitecture(reason: "class count must be ≥ 2, got \(classCount)") }
        if let bad = hiddenLayerSizes.first(where: { $0 < 1 }) {
            throw .invalidArchitecture(reason: "hidden layer widths must be ≥ 1, got \(bad)")
        }
        let sizes = [inputCount] + hiddenLayerSizes + [classCount]
        var total = 0
        for l in 1..<sizes.count {
            let (w, o1) = sizes[l - 1].multipliedReportingOverflow(by: sizes[l])
            let (t, o2) = total.addingReportingOverflow(w)
            let (u, o3) = t.addingReportingOverflow(sizes[l])
            guard !o1, !o2, !o3, u <= ModelArchitecture.maximumParameterCount else {
                throw .invalidArchitecture(
                    reason: "\(sizes) has more than \(ModelArchitecture.maximumParameterCount) parameters")
            }
            total = u
        }
        layerSizes = sizes
    }

    /// Multinomial logistic regression: `inputCount → classCount`.
    /// - Throws: as ``init(inputCount:hiddenLayerSizes:classCount:)``.
    public static func softmaxRegression(inputCount: Int, classCount: Int) throws(TrainingError) -> ModelArchitecture {
        try ModelArchitecture(inputCount: inputCount, hiddenLayerSizes: [], classCount: classCount)
    }

    /// A multilayer perceptron with ReLU hidden layers of the given widths (one or two in the paper setups).
    /// - Throws: as ``init(inputCount:hiddenLayerSizes:classCount:)``, and if `hidden` is empty.
    public static func mlp(inputCount: Int, hidden: [Int], classCount: Int) throws(TrainingError) -> ModelArchitecture {
        guard !hidden.isEmpty else { throw .invalidArchitecture(reason: "an MLP needs at least one hidden layer") }
        return try ModelArchitecture(inputCount: inputCount, hiddenLayerSizes: hidden, classCount: classCount)
    }

    /// Features per input sample.
    public var inputCount: Int { layerSizes[0] }
    /// Number of output classes.
    public var classCount: Int { layerSizes[layerSizes.count - 1] }
    /// Widths of the hidden layers (empty for softmax regression).
    public var hiddenLayerSizes: [Int] { Array(layerSizes.dropFirst().dropLast()) }
    /// Number of dense layers (hidden layers + the output layer).
    public var layerCount: Int { layerSizes.count - 1 }

    /// Length of the flat parameter vector: Σ_l n_{l−1}·n_l + n_l.
    public var parameterCount: Int {
        var total = 0
        for l in 1..<layerSizes.count { total += layerSizes[l - 1] * layerSizes[l] + layerSizes[l] }
        return total
    }

    /// Where layer `layer` (0-based, `0 ..< layerCount`) keeps its weights in the flat vector.
    public func weightRange(layer: Int) -> Range<Int> {
        let start = offset(layer: layer)
        return start..<(start + layerSizes[layer] * layerSizes[layer + 1])
    }

    /// Where layer `layer` (0-based) keeps its bias in the flat vector.
    public func biasRange(layer: Int) -> Range<Int> {
        let start = weightRange(layer: layer).upperBound
        return start..<(start + layerSizes[layer + 1])
    }

    private func offset(layer: Int) -> Int {
        var total = 0
        for l in 0..<layer { total += layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1] }
        return total
    }

    /// The initial parameters for `seed`: one ``Xoshiro256StarStar`` stream, layer by layer, each weight
    /// `(2u − 1)·a` with `u` = `nextUnitDouble()`, `a = √(6 / n_{l−1})` (He uniform) for a layer followed by ReLU
    /// and `a = √(6 / (n_{l−1} + n_l))` (Glorot uniform) for the output layer; biases zero.
    public func initialParameters(seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        var p = [Float](repeating: 0, count: parameterCount)
        for l in 0..<layerCount {
            let fanIn = Double(layerSizes[l])
            let fanOut = Double(layerSizes[l + 1])
            let a = l == layerCount - 1 ? (6.0 / (fanIn + fanOut)).squareRoot() : (6.0 / fanIn).squareRoot()
            for i in weightRange(layer: l) { p[i] = Float((2 * rng.nextUnitDouble() - 1) * a) }
        }
        return p
    }

    /// E.g. `784-128-10 (101770 parameters)`.
    public var description: String {
        layerSizes.map(String.init).joined(separator: "-") + " (\(parameterCount) parameters)"
    }
}
