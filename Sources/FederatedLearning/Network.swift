import Foundation

// The forward and backward passes of a ``ModelArchitecture`` over a mini-batch, on raw buffers. Internal: the
// public surface is ``Model``. All scratch memory of one training or evaluation call is allocated once here.
// Loops over whole activation rows are `while` loops: at -Onone a `for … in` range costs an iterator call per
// step, and the debug-build tests train real models.

/// Scratch memory for passes over batches of up to `capacity` samples.
final class Workspace {
    let sizes: [Int]
    let capacity: Int
    /// Gathered input rows, `capacity × sizes[0]`.
    let input: UnsafeMutablePointer<Float>
    /// Labels of the gathered rows.
    let labels: UnsafeMutablePointer<Int32>
    /// `activations[l]` (l = 0 ..< layerCount): output of dense layer `l`, `capacity × sizes[l+1]` (after ReLU for
    /// hidden layers; softmax probabilities for the last).
    let activations: [UnsafeMutablePointer<Float>]
    /// `deltas[l]`: ∂loss/∂(pre-activation of layer `l`), same shapes as `activations`.
    let deltas: [UnsafeMutablePointer<Float>]
    /// The mean gradient of the last backward pass, laid out like the parameter vector.
    let gradient: UnsafeMutablePointer<Float>
    let parameterCount: Int
    let packA: UnsafeMutablePointer<Float>
    let packB: UnsafeMutablePointer<Float>

    init(architecture: ModelArchitecture, capacity: Int) {
        let s = architecture.layerSizes
        sizes = s
        self.capacity = capacity
        parameterCount = architecture.parameterCount
        input = Workspace.allocate(capacity * s[0])
        labels = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        labels.initialize(repeating: 0, count: capacity)
        activations = (1..<s.count).map { Workspace.allocate(capacity * s[$0]) }
        deltas = (1..<s.count).map { Workspace.allocate(capacity * s[$0]) }
        gradient = Workspace.allocate(architecture.parameterCount)
        var a = 0
        var b = 0
        for l in 1..<s.count {
            for (m, n, k) in [(capacity, s[l], s[l - 1]), (s[l - 1], s[l], capacity), (capacity, s[l - 1], s[l])] {
                let need = gemmPackSizes(m: m, n: n, k: k)
                a = Swift.max(a, need.a)
                b = Swift.max(b, need.b)
            }
        }
        packA = Workspace.allocate(a)
        packB = Workspace.allocate(b)
    }

    deinit {
        input.deallocate()
        labels.deallocate()
        for p in activations { p.deallocate() }
        for p in deltas { p.deallocate() }
        gradient.deallocate()
        packA.deallocate()
        packB.deallocate()
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: Swift.max(1, count))
        p.initialize(repeating: 0, count: Swift.max(1, count))
        return p
    }

    /// Copies the samples `indices[range]` of `features` (rows of `sizes[0]`) and `labels` into the batch buffers.
    func gather(
        _ indices: UnsafeBufferPointer<Int>, _ range: Range<Int>, features: UnsafeBufferPointer<Float>,
        labels source: UnsafeBufferPointer<Int32>
    ) {
        let width = sizes[0]
        guard let base = features.baseAddress else { return }
        for (row, position) in range.enumerated() {
            let sample = indices[position]
            (input + row * width).update(from: base + sample * width, count: width)
            labels[row] = source[sample]
        }
    }

    /// Forward pass over the first `batch` gathered rows. Leaves softmax probabilities in the last activation.
    /// - Returns: the summed cross-entropy loss and the number of rows whose arg-max logit is the label.
    func forward(_ params: UnsafePointer<Float>, batch: Int) -> (lossSum: Double, correct: Int) {
        var offset = 0
        var previous = UnsafePointer(input)
        let layerCount = sizes.count - 1
        for l in 0..<layerCount {
            let nIn = sizes[l]
            let nOut = sizes[l + 1]
            let w = params + offset
            let bias = params + offset + nIn * nOut
            offset += nIn * nOut + nOut
            let out = activations[l]
            gemm(
                m: batch, n: nOut, k: nIn, alpha: 1, a: .rowMajor(previous, columns: nIn),
                b: .rowMajor(w, columns: nOut),
                c: out, ldc: nOut, accumulate: false, packA: packA, packB: packB)
            let relu = l < layerCount - 1
            for i in 0..<batch {
                let row = out + i * nOut
                var j = 0
                if relu {
                    while j < nOut {
                        let z = row[j] + bias[j]
                        row[j] = z > 0 ? z : 0
                        j += 1
                    }
                } else {
                    while j < nOut {
                        row[j] += bias[j]
                        j += 1
                    }
                }
            }
            previous = UnsafePointer(out)
        }
        return softmaxCrossEntropy(batch: batch)
    }

    /// Turns the logits of the last layer into probabilities, in place.
    private func softmaxCrossEntropy(batch: Int) -> (lossSum: Double, correct: Int) {
        let classes = sizes[sizes.count - 1]
        let out = activations[activations.count - 1]
        var lossSum = 0.0
        var correct = 0
        for i in 0..<batch {
            let z = out + i * classes
            var top = z[0]
            var arg = 0
            for j in 1..<classes where z[j] > top {
                top = z[j]
                arg = j
            }
            let y = Int(labels[i])
            let zy = z[y] - top
            var sum: Float = 0
            for j in 0..<classes {
                let e = Foundation.exp(z[j] - top)
                z[j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<classes { z[j] *= inverse }
            lossSum += Double(Foundation.log(sum) - zy)
            if arg == y { correct += 1 }
        }
        return (lossSum, correct)
    }

    /// Backward pass after ``forward(_:batch:)``.
    ///
    /// `.gradient`: writes the gradient g of the mean batch loss into `gradient` (parameters untouched).
    /// `.sgdStep(η, λ)`: updates the parameters in place, layer by layer from the top, as
    /// `θ ← θ·(1 − ηλ) + (−η)·g` (the scaling skipped when λ = 0), each layer's g being formed and added tile by
    /// tile without materialising it; a layer's weights change only after the error below it was propagated
    /// through them.
    func backward(_ params: UnsafeMutablePointer<Float>, batch: Int, mode: BackwardMode) {
        let layerCount = sizes.count - 1
        let classes = sizes[layerCount]
        // ∂(mean loss)/∂logits = (p − onehot(y)) / batch.
        let scale = 1 / Float(batch)
        let probabilities = activations[layerCount - 1]
        let top = deltas[layerCount - 1]
        for i in 0..<batch {
            let p = probabilities + i * classes
            let d = top + i * classes
            for j in 0..<classes { d[j] = p[j] * scale }
            d[Int(labels[i])] -= scale
        }
        var offset = parameterCount
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let nIn = sizes[l]
            let nOut = sizes[l + 1]
            offset -= nIn * nOut + nOut
            let delta = UnsafePointer(deltas[l])
            let below = l == 0 ? UnsafePointer(input) : UnsafePointer(activations[l - 1])
            if l > 0 {
                // δ_below = (δ · Wᵀ) ⊙ [activation > 0], with this layer's weights before their update.
                let deltaBelow = deltas[l - 1]
                gemm(
                    m: batch, n: nIn, k: nOut, alpha: 1, a: .rowMajor(delta, columns: nOut),
                    b: .transposed(params + offset, columns: nOut), c: deltaBelow, ldc: nIn, accumulate: false,
                    packA: packA, packB: packB)
                let act = activations[l - 1]
                var i = 0
                while i < batch * nIn {
                    deltaBelow[i] = act[i] > 0 ? deltaBelow[i] : 0
                    i += 1
                }
            }
            let target: UnsafeMutablePointer<Float>
            let alpha: Float
            let step: Bool
            switch mode {
            case .gradient:
                target = gradient + offset
                alpha = 1
                step = false
            case .sgdStep(let eta, let decay):
                target = params + offset
                alpha = -eta
                step = true
                if decay != 0 { scaleInPlace(target, count: nIn * nOut + nOut, by: 1 - eta * decay) }
            }
            // W-part: inputᵀ · δ  (nIn × nOut).
            gemm(
                m: nIn, n: nOut, k: batch, alpha: alpha, a: .transposed(below, columns: nIn),
                b: .rowMajor(delta, columns: nOut), c: target, ldc: nOut, accumulate: step,
                packA: packA, packB: packB)
            // b-part: column sums of δ.
            let db = gradient + offset + nIn * nOut
            db.update(repeating: 0, count: nOut)
            for i in 0..<batch {
                let row = delta + i * nOut
                var j = 0
                while j < nOut {
                    db[j] += row[j]
                    j += 1
                }
            }
            if step {
                let bias = target + nIn * nOut
                for j in 0..<nOut { bias[j] += db[j] * alpha }
            }
        }
    }
}

/// What ``Workspace/backward(_:batch:mode:)`` does with the gradient.
enum BackwardMode {
    /// Store it in `Workspace.gradient`.
    case gradient
    /// Apply one SGD step with learning rate η and weight decay λ.
    case sgdStep(learningRate: Float, weightDecay: Float)
}

/// `x ← x·factor`, element by element.
@inline(__always)
func scaleInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    var i = 0
    while i < count {
        x[i] *= factor
        i += 1
    }
}
