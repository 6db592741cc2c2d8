/// A classifier: an architecture and its flat parameter vector. The vector is what federated learning averages
/// and what protected aggregation protects; ``layers`` and ``init(_:layers:)`` unflatten and flatten it.
public struct Model: Sendable, Equatable {
    /// The network shape (and so the layout of ``parameters``).
    public let architecture: ModelArchitecture
    /// All weights and biases, in the layout documented on ``ModelArchitecture``.
    public internal(set) var parameters: [Float]

    /// A freshly initialised model (``ModelArchitecture/initialParameters(seed:)``).
    public init(_ architecture: ModelArchitecture, seed: UInt64) {
        self.architecture = architecture
        parameters = architecture.initialParameters(seed: seed)
    }

    /// A model with the given flat parameter vector (unflattening).
    /// - Throws: ``TrainingError/parameterCountMismatch(expected:found:)`` or
    ///   ``TrainingError/nonFiniteParameter(index:)``.
    public init(_ architecture: ModelArchitecture, parameters: [Float]) throws(TrainingError) {
        try Model.validate(parameters, for: architecture)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// A model from per-layer weights and biases (flattening).
    /// - Throws: ``TrainingError/parameterCountMismatch(expected:found:)`` if the layer count or a layer's shape
    ///   differs from the architecture, ``TrainingError/nonFiniteParameter(index:)``.
    public init(_ architecture: ModelArchitecture, layers: [DenseLayer]) throws(TrainingError) {
        guard layers.count == architecture.layerCount else {
            throw .parameterCountMismatch(expected: architecture.layerCount, found: layers.count)
        }
        var flat = [Float]()
        flat.reserveCapacity(architecture.parameterCount)
        for (l, layer) in layers.enumerated() {
            let nIn = architecture.layerSizes[l]
            let nOut = architecture.layerSizes[l + 1]
            guard layer.weights.count == nIn * nOut, layer.bias.count == nOut else {
                throw .parameterCountMismatch(
                    expected: nIn * nOut + nOut, found: layer.weights.count + layer.bias.count)
            }
            flat.append(contentsOf: layer.weights)
            flat.append(contentsOf: layer.bias)
        }
        try self.init(architecture, parameters: flat)
    }

    /// The dense layers (unflattened views of ``parameters``, copied).
    public var layers: [DenseLayer] {
        (0..<architecture.layerCount).map { l in
            DenseLayer(
                inputCount: architecture.layerSizes[l], outputCount: architecture.layerSizes[l + 1],
                weights: Array(parameters[architecture.weightRange(layer: l)]),
                bias: Array(parameters[architecture.biasRange(layer: l)]))
        }
    }

    /// Replaces the parameter vector.
    /// - Throws: ``TrainingError/parameterCountMismatch(expected:found:)`` or
    ///   ``TrainingError/nonFiniteParameter(index:)``; the model is unchanged then.
    public mutating func setParameters(_ newValue: [Float]) throws(TrainingError) {
        try Model.validate(newValue, for: architecture)
        parameters = newValue
    }

    /// Adds `scale · delta` to the parameters (applying a model update).
    /// - Throws: ``TrainingError/parameterCountMismatch(expected:found:)``, or
    ///   ``TrainingError/nonFiniteParameter(index:)`` if the result (or `delta`) is not finite; the model is
    ///   unchanged then.
    public mutating func apply(delta: [Float], scale: Float = 1) throws(TrainingError) {
        guard delta.count == parameters.count else {
            throw .parameterCountMismatch(expected: parameters.count, found: delta.count)
        }
        var next = parameters
        for i in next.indices { next[i] += scale * delta[i] }
        if let bad = next.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteParameter(index: bad) }
        parameters = next
    }

    /// `self.parameters − base.parameters`: the update a client sends in model-delta mode.
    /// - Throws: ``TrainingError/architectureMismatch`` if the architectures differ.
    public func delta(from base: Model) throws(TrainingError) -> [Float] {
        guard base.architecture == architecture else { throw .architectureMismatch }
        var d = parameters
        for i in d.indices { d[i] -= base.parameters[i] }
        return d
    }

    static func validate(_ parameters: [Float], for architecture: ModelArchitecture) throws(TrainingError) {
        guard parameters.count == architecture.parameterCount else {
            throw .parameterCountMismatch(expected: architecture.parameterCount, found: parameters.count)
        }
        if let bad = parameters.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteParameter(index: bad) }
    }

    /// Checks that `dataset` fits the model and `indices` (if given) are valid, non-empty sample indices.
    func checkData(_ dataset: Dataset, _ indices: [Int]?) throws(TrainingError) {
        guard dataset.featureCount == architecture.inputCount else {
            throw .featureCountMismatch(model: architecture.inputCount, data: dataset.featureCount)
        }
        guard dataset.classCount <= architecture.classCount else {
            throw .classCountMismatch(model: architecture.classCount, data: dataset.classCount)
        }
        if let indices {
            guard !indices.isEmpty else { throw .noSamples }
            if let bad = indices.first(where: { $0 < 0 || $0 >= dataset.count }) {
                throw .sampleIndexOutOfRange(index: bad, sampleCount: dataset.count)
            }
        } else {
            guard !dataset.isEmpty else { throw .noSamples }
        }
    }

    /// Accuracy and mean cross-entropy loss on `dataset` (or its samples at `indices`).
    /// - Throws: ``TrainingError/featureCountMismatch(model:data:)``,
    ///   ``TrainingError/classCountMismatch(model:data:)``, ``TrainingError/noSamples``,
    ///   ``TrainingError/sampleIndexOutOfRange(index:sampleCount:)``.
    public func evaluate(on dataset: Dataset, indices: [Int]? = nil) throws(TrainingError) -> Evaluation {
        try checkData(dataset, indices)
        let order = indices ?? Array(0..<dataset.count)
        let batchSize = Swift.min(256, order.count)
        let workspace = Workspace(architecture: architecture, capacity: batchSize)
        var lossSum = 0.0
        var correct = 0
        parameters.withUnsafeBufferPointer { params in
            dataset.features.withUnsafeBufferPointer { features in
                dataset.labels.withUnsafeBufferPointer { labels in
                    order.withUnsafeBufferPointer { order in
                        guard let p = params.baseAddress else { return }
                        var start = 0
                        while start < order.count {
                            let end = Swift.min(start + batchSize, order.count)
                            workspace.gather(order, start..<end, features: features, labels: labels)
                            let r = workspace.forward(p, batch: end - start)
                            lossSum += r.lossSum
                            correct += r.correct
                            start = end
                        }
                    }
                }
            }
        }
        return Evaluation(sampleCount: order.count, correct: correct, loss: lossSum / Double(order.count))
    }

    /// The predicted class (arg-max logit, lowest index on ties) of every sample of `dataset`.
    /// - Throws: ``TrainingError/featureCountMismatch(model:data:)``, ``TrainingError/noSamples``.
    public func predict(_ dataset: Dataset) throws(TrainingError) -> [Int32] {
        guard dataset.featureCount == architecture.inputCount else {
            throw .featureCountMismatch(model: architecture.inputCount, data: dataset.featureCount)
        }
        guard !dataset.isEmpty else { throw .noSamples }
        let batchSize = Swift.min(256, dataset.count)
        let workspace = Workspace(architecture: architecture, capacity: batchSize)
        let classes = architecture.classCount
        var predictions = [Int32](repeating: 0, count: dataset.count)
        let order = Array(0..<dataset.count)
        // Labels are only used for the loss, which is ignored here; feed zeros.
        let zeros = [Int32](repeating: 0, count: dataset.count)
        parameters.withUnsafeBufferPointer { params in
            dataset.features.withUnsafeBufferPointer { features in
                zeros.withUnsafeBufferPointer { labels in
                    order.withUnsafeBufferPointer { order in
                        guard let p = params.baseAddress else { return }
                        let out = workspace.activations[workspace.activations.count - 1]
                        var start = 0
                        while start < order.count {
                            let end = Swift.min(start + batchSize, order.count)
                            workspace.gather(order, start..<end, features: features, labels: labels)
                            _ = workspace.forward(p, batch: end - start)
                            for i in 0..<(end - start) {
                                var arg = 0
                                for j in 1..<classes where out[i * classes + j] > out[i * classes + arg] { arg = j }
                                predictions[start + i] = Int32(arg)
                            }
                            start = end
                        }
                    }
                }
            }
        }
        return predictions
    }

    /// The mean cross-entropy loss over `dataset` (or its samples at `indices`) as one batch, and its gradient
    /// with respect to ``parameters`` (no weight decay). For gradient checks and analysis.
    /// - Throws: as ``evaluate(on:indices:)``.
    public func lossAndGradient(on dataset: Dataset, indices: [Int]? = nil) throws(TrainingError)
        -> (loss: Double, gradient: [Float])
    {
        try checkData(dataset, indices)
        let order = indices ?? Array(0..<dataset.count)
        let workspace = Workspace(architecture: architecture, capacity: order.count)
        var loss = 0.0
        var gradient = [Float](repeating: 0, count: parameters.count)
        parameters.withUnsafeBufferPointer { params in
            dataset.features.withUnsafeBufferPointer { features in
                dataset.labels.withUnsafeBufferPointer { labels in
                    order.withUnsafeBufferPointer { order in
                        guard let p = params.baseAddress else { return }
                        workspace.gather(order, 0..<order.count, features: features, labels: labels)
                        loss = workspace.forward(p, batch: order.count).lossSum / Double(order.count)
                        workspace.backward(UnsafeMutablePointer(mutating: p), batch: order.count, mode: .gradient)
                        for i in gradient.indices { gradient[i] = workspace.gradient[i] }
                    }
                }
            }
        }
        return (loss, gradient)
    }
}

/// One dense layer, unflattened: `weights` is `inputCount × outputCount` row-major.
public struct DenseLayer: Sendable, Equatable {
    /// Inputs of the layer.
    public let inputCount: Int
    /// Outputs of the layer.
    public let outputCount: Int
    /// `weights[i·outputCount + j]` connects input `i` to output `j`.
    public let weights: [Float]
    /// One bias per output.
    public let bias: [Float]

    /// A layer from its values (shapes are checked when a ``Model`` is built from layers).
    public init(inputCount: Int, outputCount: Int, weights: [Float], bias: [Float]) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.weights = weights
        self.bias = bias
    }
}

/// Accuracy and loss of a model on a set of samples.
public struct Evaluation: Sendable, Equatable {
    /// Samples evaluated.
    public let sampleCount: Int
    /// Samples whose arg-max prediction equals the label.
    public let correct: Int
    /// Mean cross-entropy loss (natural log).
    public let loss: Double
    /// `correct / sampleCount`.
    public var accuracy: Double { Double(correct) / Double(sampleCount) }
}
