import CryptoPrimitives

/// NIST CAVP HMAC_DRBG response files (`HMAC_DRBG.rsp`, DRBGVS): `[SHA-…]` sections of `COUNT` records.
///
/// A record is replayed in the order of its lines, which covers both published layouts:
/// Instantiate(`EntropyInput`, `Nonce`, `PersonalizationString`); then each `EntropyInputReseed` +
/// `AdditionalInputReseed` pair is a Reseed, and each `AdditionalInput` is a Generate of
/// len(`ReturnedBits`) bytes with that additional input. `ReturnedBits` must equal the last Generate.
/// (CAVS 14.x order: Reseed, Generate, Generate. CAVS 7.1 order: Generate, Reseed, Generate.)
/// Sections for other hashes and with `PredictionResistance = True` are skipped.
enum PrimitiveCavpDrbg {
    /// An HMAC_DRBG response file: named so, or saying so in a comment, with `[…]` sections and `COUNT` records.
    static func recognizes(_ text: String, name: String) -> Bool {
        var mentionsHmacDrbg = name.uppercased().contains("HMAC_DRBG")
        var hasSection = false
        var hasEntropy = false
        for line in PrimitiveText.lines(text) {
            if line.hasPrefix("#"), line.uppercased().contains("HMAC_DRBG") { mentionsHmacDrbg = true }
            if line.hasPrefix("[SHA-") { hasSection = true }
            if line.hasPrefix("EntropyInput") { hasEntropy = true }
        }
        return mentionsHmacDrbg && hasSection && hasEntropy
    }

    struct Section {
        var index: Int
        var hash: String
        var predictionResistance = false
        var header: [String] = []
    }

    struct Record {
        var line: Int
        var count: String
        var section: Section
        var fields: [(key: String, value: [UInt8], line: Int)] = []
    }

    static func check(_ text: String, path: String, name: String) throws -> VectorCheckResult {
        var section: Section?
        var sectionCount = 0
        var records: [Record] = []
        var inHeader = false
        for (index, line) in PrimitiveText.lines(text).enumerated() {
            let number = index + 1
            // Comments, blank lines and the indented intermediate values of the `.txt` variant.
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("**") || line.first?.isWhitespace == true {
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw VectorFileError.malformed(file: path, reason: "line \(number): unterminated section header")
                }
                let inner = line.dropFirst().dropLast()
                if let pair = PrimitiveText.keyValue(inner) {
                    guard inHeader, section != nil else {
                        throw VectorFileError.malformed(
                            file: path, reason: "line \(number): section attribute outside a section header")
                    }
                    if pair.key == "PredictionResistance" { section?.predictionResistance = pair.value == "True" }
                    section?.header.append(String(inner))
                } else {
                    sectionCount += 1
                    section = Section(index: sectionCount, hash: String(inner))
                    inHeader = true
                }
                continue
            }
            guard let pair = PrimitiveText.keyValue(line) else {
                throw VectorFileError.malformed(file: path, reason: "line \(number): expected \"Name = value\"")
            }
            if pair.key == "COUNT" {
                guard let current = section else {
                    throw VectorFileError.malformed(file: path, reason: "line \(number): COUNT before any section")
                }
                inHeader = false
                records.append(Record(line: number, count: pair.value, section: current))
                continue
            }
            guard !records.isEmpty, !inHeader else {
                throw VectorFileError.malformed(file: path, reason: "line \(number): \(pair.key) outside a record")
            }
            let value = try PrimitiveText.bytes(pair.value, path: path, field: "line \(number) \(pair.key)")
            records[records.count - 1].fields.append((pair.key, value, number))
        }
        guard !records.isEmpty else { throw VectorFileError.malformed(file: path, reason: "no COUNT records") }

        var result = VectorCheckResult()
        for record in records {
            guard record.section.hash == "SHA-256", !record.section.predictionResistance,
                !record.fields.contains(where: { $0.key == "EntropyInputPR" })
            else {
                result.skipped += 1
                continue
            }
            result.record(try replay(record, path: path, name: name))
        }
        return result
    }

    /// Runs one record; nil when `ReturnedBits` matches, else a line describing the difference.
    static func replay(_ record: Record, path: String, name: String) throws -> String? {
        let label = "\(name) [\(record.section.hash)] section \(record.section.index) COUNT \(record.count)"
        func value(_ key: String) throws -> [UInt8] {
            guard let field = record.fields.first(where: { $0.key == key }) else {
                throw VectorFileError.malformed(file: path, reason: "record at line \(record.line): no \(key)")
            }
            return field.value
        }
        let expected = try value("ReturnedBits")
        guard !expected.isEmpty, expected.count <= HmacDrbg.maximumBytesPerRequest else {
            throw VectorFileError.malformed(file: path, reason: "record at line \(record.line): bad ReturnedBits size")
        }
        var drbg: HmacDrbg
        do {
            drbg = try HmacDrbg(
                entropy: value("EntropyInput"), nonce: value("Nonce"), personalization: value("PersonalizationString"))
        } catch let error as CryptoError {
            return "\(label): instantiate threw \(error)"
        }
        var pendingReseed: [UInt8]?
        var output: [UInt8]?
        do {
            for field in record.fields {
                switch field.key {
                case "EntropyInput", "Nonce", "PersonalizationString", "ReturnedBits":
                    continue
                case "EntropyInputReseed":
                    if let entropy = pendingReseed { try drbg.reseed(entropy: entropy) }
                    pendingReseed = field.value
                case "AdditionalInputReseed":
                    guard let entropy = pendingReseed else {
                        throw VectorFileError.malformed(
                            file: path, reason: "line \(field.line): AdditionalInputReseed without EntropyInputReseed")
                    }
                    try drbg.reseed(entropy: entropy, additional: field.value)
                    pendingReseed = nil
                case "AdditionalInput":
                    if let entropy = pendingReseed { try drbg.reseed(entropy: entropy) }
                    pendingReseed = nil
                    output = try drbg.generate(count: expected.count, additional: field.value)
                default:
                    throw VectorFileError.malformed(
                        file: path, reason: "line \(field.line): unknown field \(field.key)")
                }
            }
        } catch let error as CryptoError {
            return "\(label): \(error)"
        }
        guard let output else {
            throw VectorFileError.malformed(file: path, reason: "record at line \(record.line): no Generate call")
        }
        guard output == expected else {
            return "\(label): got \(PrimitiveText.short(output)), expected \(PrimitiveText.short(expected))"
        }
        return nil
    }
}
