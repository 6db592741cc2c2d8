public import FederatedLearning
public import Foundation

/// A configuration error: where (a dotted key path) and what is wrong, in one line.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? "config: \(message)" : "config \(path): \(message)" }
}

/// One experiment, as `Specs/harness.md` defines the JSON config. Every field is validated on reading;
/// unknown keys, wrong types and out-of-range values are errors naming the key.
public struct ExperimentConfig: Sendable, Equatable {
    public enum DatasetSource: Sendable, Equatable {
        case synthetic(SyntheticClassification)
        /// Absolute paths (resolved against the config file's directory); labels must be below `classes`
        /// when it is given (else the class count is the largest label + 1).
        case mnistIDX(trainImages: String, trainLabels: String, testImages: String, testLabels: String, classes: Int?)
        case cifar10(directory: String)
    }

    public enum ModelKind: Sendable, Equatable {
        case softmax
        case mlp(hidden: [Int])
    }

    /// How updates are protected (`Specs/harness.md`, "Protection").
    public enum Protection: Sendable, Equatable {
        case none
        /// Bonawitz et al. masking; `threshold` nil: ⌊2n/3⌋ + 1 of the round's n clients. `authenticated`: the
        /// active-server variant, signing with the identities of the admission phase.
        case masking(threshold: Int?, valueBits: Int, clip: Double, authenticated: Bool = false)
        /// SecAgg+ over a k-regular Harary graph; nil: k = 2⌈log₂ n⌉ (≤ n − 1), t = ⌊k/2⌋ + 1.
        case secAggPlus(neighbours: Int?, threshold: Int?, valueBits: Int, clip: Double, authenticated: Bool = false)
        /// Paillier with a single key holder.
        case paillier(keyBits: Int, fractionBits: Int, clip: Double)
        /// Paillier with t-of-ℓ threshold decryption by a committee.
        case paillierThreshold(keyBits: Int, decryptors: Int, threshold: Int, fractionBits: Int, clip: Double)
        /// Additive shares among S non-colluding servers.
        case multiServer(servers: Int, valueBits: Int, clip: Double)

        public var kind: String {
            switch self {
            case .none: return "none"
            case .masking: return "masking"
            case .secAggPlus: return "secagg+"
            case .paillier: return "paillier"
            case .paillierThreshold: return "paillier-threshold"
            case .multiServer: return "multi-server"
            }
        }

        /// Whether the kind runs the authenticated masking variant (it then needs an admission phase).
        public var isAuthenticated: Bool {
            switch self {
            case .masking(_, _, _, let authenticated), .secAggPlus(_, _, _, _, let authenticated): return authenticated
            default: return false
            }
        }

        /// The protocol steps at which a client can vanish.
        public var dropoutSteps: [String] {
            switch self {
            case .none: return ["upload"]
            case .masking, .secAggPlus:
                let steps = ["after-advertise-keys", "after-share-keys", "after-masked-input"]
                return isAuthenticated ? steps + ["after-consistency-check"] : steps
            case .paillier: return ["upload"]
            case .paillierThreshold: return ["upload", "decryption"]
            case .multiServer: return ["upload", "partial-upload"]
            }
        }

        public static let kinds = ["none", "masking", "secagg+", "paillier", "paillier-threshold", "multi-server"]
    }

    public var seed: UInt64
    public var dataset: DatasetSource
    public var partition: PartitionScheme
    public var model: ModelKind
    public var clients: Int
    public var clientsPerRound: Int
    public var rounds: Int
    public var localEpochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var weightDecay: Double
    public var serverLearningRate: Double
    public var protection: Protection
    public var dropoutRate: Double
    /// The admission phase before training; nil: everyone may train.
    public var admission: AdmissionSettings?
    /// Where a dropped client vanishes (one of ``Protection/dropoutSteps``).
    public var dropoutStep: String

    /// Reads a config file; relative data paths are resolved against its directory.
    /// - Throws: ``ConfigError``.
    public static func load(path: String) throws -> ExperimentConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("", "cannot read \(path)")
        }
        let directory = (URL(fileURLWithPath: path).deletingLastPathComponent()).path
        return try parse(data, baseDirectory: directory)
    }

    /// Parses config JSON.
    /// - Throws: ``ConfigError``.
    public static func parse(_ data: Data, baseDirectory: String) throws -> ExperimentConfig {
        guard let root = try? JSONSerialization.jsonObject(with: data) else {
            throw ConfigError("", "not valid JSON")
        }
        let r = try Reader(root, path: "")
        try r.allow(["seed", "dataset", "partition", "model", "clients", "clients_per_round", "rounds", "local_epochs",
                     "batch_size", "learning_rate", "weight_decay", "server_learning_rate", "protection", "dropout",
                     "admission"])
        let seed = try r.int("seed", default: 0, range: 0...Int.max)
        let dataset = try parseDataset(r.object("dataset"), base: baseDirectory)
        let partition = try parsePartition(r.object("partition", optional: true))
        let model = try parseModel(r.object("model", optional: true))
        let clients = try r.int("clients", default: 10, range: 1...100_000)
        let clientsPerRound = try r.int("clients_per_round", default: clients, range: 1...100_000)
        guard clientsPerRound <= clients else {
            throw ConfigError("clients_per_round", "\(clientsPerRound) exceeds clients (\(clients))")
        }
        let protection = try parseProtection(r.object("protection", optional: true), clientsPerRound: clientsPerRound)
        if protection.isAuthenticated, r.object["admission"] == nil {
            throw ConfigError("protection.authenticated", "needs an \"admission\" section: only admitted clients have identities to sign with")
        }
        var dropoutRate = 0.0, dropoutStep = protection.dropoutSteps[0]
        if let dropout = try r.object("dropout", optional: true) {
            try dropout.allow(["rate", "step"])
            dropoutRate = try dropout.double("rate", default: 0)
            guard dropoutRate >= 0, dropoutRate < 1 else {
                throw ConfigError(dropout.key("rate"), "must be in [0, 1), got \(dropoutRate)")
            }
            dropoutStep = try dropout.string("step", default: dropoutStep)
            guard protection.dropoutSteps.contains(dropoutStep) else {
                throw ConfigError(dropout.key("step"), "unknown step \"\(dropoutStep)\" for \(protection.kind) (known: \(protection.dropoutSteps.joined(separator: ", ")))")
            }
        }
        var admission: AdmissionSettings?
        if let a = try r.object("admission", optional: true) {
            try a.allow(["authorities", "threshold", "malicious_authorities", "impostors", "per_round"])
            let n = try a.int("authorities", default: 5, range: 1...100)
            let t = try a.int("threshold", default: n / 2 + 1, range: 1...n)
            let perRound = try a.bool("per_round", default: false)
            admission = AdmissionSettings(
                authorities: n, threshold: t, maliciousAuthorities: try a.int("malicious_authorities", default: 0, range: 0...n),
                impostors: try a.int("impostors", default: 0, range: 0...100_000), perRound: perRound)
        }
        let learningRate = try r.double("learning_rate", default: 0.1)
        guard learningRate > 0, learningRate.isFinite else { throw ConfigError("learning_rate", "must be positive") }
        let weightDecay = try r.double("weight_decay", default: 0)
        guard weightDecay >= 0, weightDecay.isFinite else { throw ConfigError("weight_decay", "must be ≥ 0") }
        let serverLearningRate = try r.double("server_learning_rate", default: 1)
        guard serverLearningRate > 0, serverLearningRate.isFinite else {
            throw ConfigError("server_learning_rate", "must be positive")
        }
        return ExperimentConfig(
            seed: UInt64(seed), dataset: dataset, partition: partition, model: model, clients: clients,
            clientsPerRound: clientsPerRound, rounds: try r.int("rounds", default: 20, range: 1...100_000),
            localEpochs: try r.int("local_epochs", default: 1, range: 1...10_000),
            batchSize: try r.int("batch_size", default: 32, range: 1...SGDConfiguration.maximumBatchSize),
            learningRate: learningRate, weightDecay: weightDecay, serverLearningRate: serverLearningRate,
            protection: protection, dropoutRate: dropoutRate, admission: admission, dropoutStep: dropoutStep)
    }

    static func parseDataset(_ r: Reader?, base: String) throws -> DatasetSource {
        guard let r else { throw ConfigError("dataset", "missing") }
        let kind = try r.string("kind")
        func resolve(_ key: String) throws -> String {
            let p = try r.string(key)
            guard !p.isEmpty else { throw ConfigError(r.key(key), "empty path") }
            return p.hasPrefix("/") ? p : (base as NSString).appendingPathComponent(p)
        }
        switch kind {
        case "synthetic":
            try r.allow(["kind", "classes", "features", "train", "test", "separation", "noise"])
            do {
                return .synthetic(
                    try SyntheticClassification(
                        classCount: r.int("classes", default: 10, range: 2...10_000),
                        featureCount: r.int("features", default: 20, range: 1...1_000_000),
                        trainCount: r.int("train", default: 5_000, range: 1...10_000_000),
                        testCount: r.int("test", default: 1_000, range: 1...10_000_000),
                        separation: r.double("separation", default: 4), noise: r.double("noise", default: 1)))
            } catch let error as DatasetError {
                throw ConfigError("dataset", error.description)
            }
        case "mnist-idx":
            try r.allow(["kind", "train_images", "train_labels", "test_images", "test_labels", "classes"])
            let classes: Int? = r.object["classes"] == nil ? nil : try r.int("classes", default: 10, range: 2...10_000)
            return .mnistIDX(
                trainImages: try resolve("train_images"), trainLabels: try resolve("train_labels"),
                testImages: try resolve("test_images"), testLabels: try resolve("test_labels"), classes: classes)
        case "cifar10-bin":
            try r.allow(["kind", "dir"])
            return .cifar10(directory: try resolve("dir"))
        default:
            throw ConfigError(r.key("kind"), "unknown dataset kind \"\(kind)\" (known: synthetic, mnist-idx, cifar10-bin)")
        }
    }

    static func parsePartition(_ r: Reader?) throws -> PartitionScheme {
        guard let r else { return .iid }
        let kind = try r.string("kind")
        switch kind {
        case "iid":
            try r.allow(["kind"])
            return .iid
        case "dirichlet":
            try r.allow(["kind", "alpha"])
            let alpha = try r.double("alpha", default: 0.5)
            guard alpha > 0, alpha.isFinite else { throw ConfigError(r.key("alpha"), "must be positive, got \(alpha)") }
            return .dirichlet(alpha: alpha)
        case "shards":
            try r.allow(["kind", "shards_per_client"])
            return .shards(perClient: try r.int("shards_per_client", default: 2, range: 1...10_000))
        default:
            throw ConfigError(r.key("kind"), "unknown partition kind \"\(kind)\" (known: iid, dirichlet, shards)")
        }
    }

    /// A protection from its JSON object (as in a config's `"protection"`), for `n` clients per round.
    /// - Throws: ``ConfigError`` naming the key.
    public static func protection(json: String, clientsPerRound n: Int) throws -> Protection {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else {
            throw ConfigError("protection", "not valid JSON")
        }
        return try parseProtection(Reader(object, path: "protection"), clientsPerRound: n)
    }

    static func parseProtection(_ r: Reader?, clientsPerRound n: Int) throws -> Protection {
        guard let r else { return .none }
        let kind = try r.string("kind")
        // Absent or null (as resolvedJSON() writes an unset value): the default rule.
        func optionalInt(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let raw = r.object[key], !(raw is NSNull) else { return nil }
            return try r.int(key, default: range.lowerBound, range: range)
        }
        func clip() throws -> Double {
            let c = try r.double("clip", default: 4)
            guard c > 0 else { throw ConfigError(r.key("clip"), "must be positive, got \(c)") }
            return c
        }
        func authenticated() throws -> Bool { try r.bool("authenticated", default: false) }
        switch kind {
        case "none":
            try r.allow(["kind"])
            return .none
        case "masking":
            try r.allow(["kind", "threshold", "value_bits", "clip", "authenticated"])
            return .masking(threshold: try optionalInt("threshold", 1...max(1, n)), valueBits: try r.int("value_bits", default: 16, range: 1...40), clip: try clip(),
                            authenticated: try authenticated())
        case "secagg+":
            try r.allow(["kind", "neighbours", "threshold", "value_bits", "clip", "authenticated"])
            guard n >= 3 else { throw ConfigError("clients_per_round", "secagg+ needs at least 3 clients per round") }
            let neighbours = try optionalInt("neighbours", 2...max(2, n - 1))
            if let k = neighbours, k % 2 == 1 { throw ConfigError(r.key("neighbours"), "must be even (a Harary graph), got \(k)") }
            return .secAggPlus(
                neighbours: neighbours, threshold: try optionalInt("threshold", 2...max(2, n)),
                valueBits: try r.int("value_bits", default: 16, range: 1...40), clip: try clip(), authenticated: try authenticated())
        case "paillier":
            try r.allow(["kind", "key_bits", "fraction_bits", "clip"])
            let bits = try r.int("key_bits", default: 2048, range: 1024...8192)
            guard bits % 2 == 0 else { throw ConfigError(r.key("key_bits"), "must be even") }
            return .paillier(keyBits: bits, fractionBits: try r.int("fraction_bits", default: 16, range: 0...40), clip: try clip())
        case "paillier-threshold":
            try r.allow(["kind", "key_bits", "decryptors", "threshold", "fraction_bits", "clip"])
            let bits = try r.int("key_bits", default: 1024, range: 1024...4096)
            guard bits % 2 == 0 else { throw ConfigError(r.key("key_bits"), "must be even") }
            let decryptors = try r.int("decryptors", default: 3, range: 1...100)
            let t = try r.int("threshold", default: decryptors / 2 + 1, range: 1...decryptors)
            return .paillierThreshold(keyBits: bits, decryptors: decryptors, threshold: t,
                                      fractionBits: try r.int("fraction_bits", default: 16, range: 0...40), clip: try clip())
        case "multi-server":
            try r.allow(["kind", "servers", "value_bits", "clip"])
            return .multiServer(servers: try r.int("servers", default: 2, range: 2...64), valueBits: try r.int("value_bits", default: 16, range: 1...40), clip: try clip())
        default:
            throw ConfigError(r.key("kind"), "unknown kind \"\(kind)\" (known: \(Protection.kinds.joined(separator: ", ")))")
        }
    }

    static func parseModel(_ r: Reader?) throws -> ModelKind {
        guard let r else { return .softmax }
        let kind = try r.string("kind")
        switch kind {
        case "softmax":
            try r.allow(["kind"])
            return .softmax
        case "mlp":
            try r.allow(["kind", "hidden"])
            let hidden = try r.intArray("hidden", default: [128], range: 1...100_000)
            guard (1...2).contains(hidden.count) else {
                throw ConfigError(r.key("hidden"), "one or two hidden layer sizes, got \(hidden.count)")
            }
            return .mlp(hidden: hidden)
        default:
            throw ConfigError(r.key("kind"), "unknown model kind \"\(kind)\" (known: softmax, mlp)")
        }
    }
}

/// Typed access to one JSON object with key-path error messages.
struct Reader {
    let object: [String: Any]
    let path: String

    init(_ value: Any, path: String) throws {
        guard let object = value as? [String: Any] else {
            throw ConfigError(path, "expected an object")
        }
        self.object = object
        self.path = path
    }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func allow(_ keys: Set<String>) throws {
        for k in object.keys.sorted() where !keys.contains(k) {
            throw ConfigError(key(k), "unknown key (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func object(_ name: String, optional: Bool = false) throws -> Reader? {
        guard let value = object[name] else {
            if optional { return nil }
            throw ConfigError(key(name), "missing")
        }
        return try Reader(value, path: key(name))
    }

    /// A JSON boolean (not a number).
    func bool(_ name: String, default value: Bool) throws -> Bool {
        switch object[name] {
        case nil: return value
        case let raw as NSNumber where String(cString: raw.objCType) == "c": return raw.boolValue
        default: throw ConfigError(key(name), "expected true or false")
        }
    }

    func string(_ name: String, default value: String? = nil) throws -> String {
        guard let raw = object[name] else {
            if let value { return value }
            throw ConfigError(key(name), "missing")
        }
        guard let s = raw as? String else { throw ConfigError(key(name), "expected a string") }
        return s
    }

    /// A JSON integer (no fraction, not a boolean) within `range`.
    func int(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = object[name] else { return value }
        let n = try integer(raw, name)
        guard range.contains(n) else {
            throw ConfigError(key(name), "must be in \(range.lowerBound)…\(range.upperBound), got \(n)")
        }
        return n
    }

    func intArray(_ name: String, default value: [Int], range: ClosedRange<Int>) throws -> [Int] {
        guard let raw = object[name] else { return value }
        guard let list = raw as? [Any] else { throw ConfigError(key(name), "expected an array of integers") }
        return try list.enumerated().map { i, element in
            let n = try integer(element, "\(name)[\(i)]")
            guard range.contains(n) else {
                throw ConfigError(key("\(name)[\(i)]"), "must be in \(range.lowerBound)…\(range.upperBound), got \(n)")
            }
            return n
        }
    }

    func integer(_ raw: Any, _ name: String) throws -> Int {
        guard let number = Self.number(raw), let n = Int(exactly: number.doubleValue), Double(n) == number.doubleValue
        else {
            throw ConfigError(key(name), "expected an integer")
        }
        return n
    }

    /// A JSON number, not a boolean (Foundation bridges both to NSNumber; booleans have objCType "c").
    static func number(_ raw: Any) -> NSNumber? {
        guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return number
    }

    func double(_ name: String, default value: Double) throws -> Double {
        guard let raw = object[name] else { return value }
        guard let number = Self.number(raw), number.doubleValue.isFinite else {
            throw ConfigError(key(name), "expected a number")
        }
        return number.doubleValue
    }
}

extension ExperimentConfig {
    /// The config with every default filled in, as JSON (for `results.json`).
    public func resolvedJSON() -> String {
        let dataset: String
        switch self.dataset {
        case .synthetic(let s):
            dataset = "{\"kind\": \"synthetic\", \"classes\": \(s.classCount), \"features\": \(s.featureCount), \"train\": \(s.trainCount), \"test\": \(s.testCount), \"separation\": \(JSONText.number(s.separation)), \"noise\": \(JSONText.number(s.noise))}"
        case .mnistIDX(let a, let b, let c, let d, let classes):
            let classCount = classes.map { ", \"classes\": \($0)" } ?? ""
            dataset = "{\"kind\": \"mnist-idx\", \"train_images\": \(JSONText.string(a)), \"train_labels\": \(JSONText.string(b)), \"test_images\": \(JSONText.string(c)), \"test_labels\": \(JSONText.string(d))\(classCount)}"
        case .cifar10(let dir):
            dataset = "{\"kind\": \"cifar10-bin\", \"dir\": \(JSONText.string(dir))}"
        }
        let partition: String
        switch self.partition {
        case .iid: partition = "{\"kind\": \"iid\"}"
        case .dirichlet(let alpha): partition = "{\"kind\": \"dirichlet\", \"alpha\": \(JSONText.number(alpha))}"
        case .shards(let perClient): partition = "{\"kind\": \"shards\", \"shards_per_client\": \(perClient)}"
        }
        let model: String
        switch self.model {
        case .softmax: model = "{\"kind\": \"softmax\"}"
        case .mlp(let hidden): model = "{\"kind\": \"mlp\", \"hidden\": [\(hidden.map(String.init).joined(separator: ", "))]}"
        }
        return "{\"seed\": \(seed), \"dataset\": \(dataset), \"partition\": \(partition), \"model\": \(model), "
            + "\"clients\": \(clients), \"clients_per_round\": \(clientsPerRound), \"rounds\": \(rounds), "
            + "\"local_epochs\": \(localEpochs), \"batch_size\": \(batchSize), \"learning_rate\": \(JSONText.number(learningRate)), "
            + "\"weight_decay\": \(JSONText.number(weightDecay)), \"server_learning_rate\": \(JSONText.number(serverLearningRate)), "
            + "\"protection\": \(protectionJSON()), \"dropout\": {\"rate\": \(JSONText.number(dropoutRate)), \"step\": \(JSONText.string(dropoutStep))}"
            + (admission.map {
                ", \"admission\": {\"authorities\": \($0.authorities), \"threshold\": \($0.threshold), \"malicious_authorities\": \($0.maliciousAuthorities), \"impostors\": \($0.impostors), \"per_round\": \($0.perRound)}"
            } ?? "") + "}"
    }
}

extension ExperimentConfig {
    func protectionJSON() -> String {
        func opt(_ v: Int?) -> String { v.map(String.init) ?? "null" }
        switch protection {
        case .none: return "{\"kind\": \"none\"}"
        case .masking(let t, let b, let c, let authenticated):
            return "{\"kind\": \"masking\", \"threshold\": \(opt(t)), \"value_bits\": \(b), \"clip\": \(JSONText.number(c)), \"authenticated\": \(authenticated)}"
        case .secAggPlus(let k, let t, let b, let c, let authenticated):
            return "{\"kind\": \"secagg+\", \"neighbours\": \(opt(k)), \"threshold\": \(opt(t)), \"value_bits\": \(b), \"clip\": \(JSONText.number(c)), \"authenticated\": \(authenticated)}"
        case .paillier(let bits, let f, let c):
            return "{\"kind\": \"paillier\", \"key_bits\": \(bits), \"fraction_bits\": \(f), \"clip\": \(JSONText.number(c))}"
        case .paillierThreshold(let bits, let l, let t, let f, let c):
            return "{\"kind\": \"paillier-threshold\", \"key_bits\": \(bits), \"decryptors\": \(l), \"threshold\": \(t), \"fraction_bits\": \(f), \"clip\": \(JSONText.number(c))}"
        case .multiServer(let s, let b, let c):
            return "{\"kind\": \"multi-server\", \"servers\": \(s), \"value_bits\": \(b), \"clip\": \(JSONText.number(c))}"
        }
    }
}
