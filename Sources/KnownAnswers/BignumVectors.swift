import Bignum
public import Foundation

/// Checks the differential number-theory file `Vectors/bignum/bignum.json` (written by
/// `Tools/gen_bignum_vectors.py` from Python's own integers) against ``Bignum``.
///
/// Every case is one vector. A `null` result means the operation must throw. `powm` cases with an odd
/// modulus and a non-negative exponent also check ``Bignum/powmSecret(_:modulus:)``; `bytes` cases also
/// decode the expected bytes back with ``Bignum/init(bigEndian:width:)``.
public enum BignumVectors {
    /// Checks one file; nil unless it is JSON whose `"scheme"` is `"bignum"`.
    /// - Throws: ``VectorFileError/unreadable(file:reason:)``, or ``VectorFileError/malformed(file:reason:)``
    ///   for a missing field or a number that is not decimal.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        guard VectorFile.scheme(of: data) == "bignum" else { return nil }
        let file = try VectorFile.decode(File.self, from: data, path: path)
        guard file.version == 1 else {
            throw VectorFileError.malformed(file: path, reason: "unsupported version \(file.version)")
        }
        let name = (path as NSString).lastPathComponent
        var checker = Checker(path: path, name: name)
        try checker.run(file.cases)
        return checker.result
    }

    struct File: Decodable {
        var scheme: String
        var version: Int
        var cases: Cases
    }

    struct Cases: Decodable {
        struct Powm: Decodable { var base, exponent, modulus: String; var result: String? }
        struct Inverse: Decodable { var value, modulus: String; var result: String? }
        struct Pair: Decodable { var a, b, result: String }
        struct Jacobi: Decodable { var a, n: String; var result: Int }
        struct Crt: Decodable { var residues, moduli: [String]; var result: String? }
        struct DivMod: Decodable { var dividend, divisor, quotient, remainder, mod: String }
        struct Prime: Decodable { var value: String; var prime: Bool; var note: String? }
        struct Bytes: Decodable { var value: String; var width: Int; var hex: String? }

        var powm: [Powm]
        var inverse: [Inverse]
        var gcd: [Pair]
        var lcm: [Pair]
        var jacobi: [Jacobi]
        var crt: [Crt]
        var divmod: [DivMod]
        var primes: [Prime]
        var bytes: [Bytes]
    }

    struct Checker {
        let path: String
        let name: String
        var result = VectorCheckResult()

        init(path: String, name: String) {
            self.path = path
            self.name = name
        }

        func number(_ text: String, _ field: String) throws -> Bignum {
            do {
                return try Bignum(decimal: text)
            } catch {
                throw VectorFileError.malformed(file: path, reason: "\(field): not a decimal integer")
            }
        }

        func optional(_ text: String?, _ field: String) throws -> Bignum? {
            guard let text else { return nil }
            return try number(text, field)
        }

        static func short(_ value: Bignum) -> String {
            let text = value.description
            return text.count > 30 ? String(text.prefix(30)) + "…" : text
        }

        /// A failure line when `got` (a value, or the error thrown) differs from `expected` (nil: must throw).
        func compare(_ label: String, _ got: Result<Bignum, any Error>, _ expected: Bignum?) -> String? {
            switch (got, expected) {
            case (.success(let value), .some(let want)):
                return value == want ? nil : "\(label): got \(Self.short(value)), expected \(Self.short(want))"
            case (.success(let value), .none):
                return "\(label): got \(Self.short(value)), expected an error"
            case (.failure(let error), .some(let want)):
                return "\(label): threw \(error), expected \(Self.short(want))"
            case (.failure, .none):
                return nil
            }
        }

        mutating func run(_ cases: Cases) throws {
            for (i, c) in cases.powm.enumerated() {
                let f = "\(name) powm[\(i)]"
                let base = try number(c.base, "\(f).base"), exponent = try number(c.exponent, "\(f).exponent")
                let modulus = try number(c.modulus, "\(f).modulus"), want = try optional(c.result, "\(f).result")
                var problems = [compare("\(f) powm", Result { try base.powm(exponent, modulus: modulus) }, want)]
                if modulus.isOdd, modulus.signum > 0, !exponent.isNegative {
                    problems.append(compare(
                        "\(f) powmSecret", Result { try base.powmSecret(exponent, modulus: modulus) }, want))
                }
                result.record(join(problems))
            }
            for (i, c) in cases.inverse.enumerated() {
                let f = "\(name) inverse[\(i)]"
                let value = try number(c.value, "\(f).value"), modulus = try number(c.modulus, "\(f).modulus")
                let want = try optional(c.result, "\(f).result")
                result.record(compare(f, Result { try value.inverse(modulo: modulus) }, want))
            }
            for (i, c) in cases.gcd.enumerated() {
                let f = "\(name) gcd[\(i)]"
                let a = try number(c.a, "\(f).a"), b = try number(c.b, "\(f).b"), want = try number(c.result, f)
                result.record(compare(f, .success(Bignum.gcd(a, b)), want))
            }
            for (i, c) in cases.lcm.enumerated() {
                let f = "\(name) lcm[\(i)]"
                let a = try number(c.a, "\(f).a"), b = try number(c.b, "\(f).b"), want = try number(c.result, f)
                result.record(compare(f, .success(Bignum.lcm(a, b)), want))
            }
            for (i, c) in cases.jacobi.enumerated() {
                let f = "\(name) jacobi[\(i)]"
                let a = try number(c.a, "\(f).a"), n = try number(c.n, "\(f).n")
                do {
                    let got = try a.jacobi(n)
                    result.record(got == c.result ? nil : "\(f): got \(got), expected \(c.result)")
                } catch {
                    result.record("\(f): threw \(error)")
                }
            }
            for (i, c) in cases.crt.enumerated() {
                let f = "\(name) crt[\(i)]"
                let residues = try c.residues.enumerated().map { try number($1, "\(f).residues[\($0)]") }
                let moduli = try c.moduli.enumerated().map { try number($1, "\(f).moduli[\($0)]") }
                let want = try optional(c.result, "\(f).result")
                result.record(compare(f, Result { try Bignum.crt(residues: residues, moduli: moduli) }, want))
            }
            for (i, c) in cases.divmod.enumerated() {
                let f = "\(name) divmod[\(i)]"
                let a = try number(c.dividend, "\(f).dividend"), b = try number(c.divisor, "\(f).divisor")
                let q = try number(c.quotient, "\(f).quotient"), r = try number(c.remainder, "\(f).remainder")
                let m = try number(c.mod, "\(f).mod")
                let division = Result { try a.quotientAndRemainder(dividingBy: b) }
                result.record(join([
                    compare("\(f) quotient", division.map { $0.quotient }, q),
                    compare("\(f) remainder", division.map { $0.remainder }, r),
                    compare("\(f) mod", Result { try a.modulo(b) }, m),
                ]))
            }
            for (i, c) in cases.primes.enumerated() {
                let f = "\(name) primes[\(i)]"
                let value = try number(c.value, "\(f).value")
                let got = value.isProbablePrime()
                result.record(got == c.prime ? nil : "\(f) (\(c.note ?? Self.short(value))): isProbablePrime is \(got)")
            }
            for (i, c) in cases.bytes.enumerated() {
                let f = "\(name) bytes[\(i)]"
                let value = try number(c.value, "\(f).value")
                let want = try c.hex.map { try PrimitiveText.bytes($0, path: path, field: "\(f).hex") }
                result.record(checkBytes(f, value: value, width: c.width, expected: want))
            }
        }

        func checkBytes(_ label: String, value: Bignum, width: Int, expected: [UInt8]?) -> String? {
            let encoded = Result { try value.bigEndianBytes(width: width) }
            switch (encoded, expected) {
            case (.success(let bytes), .some(let want)):
                guard bytes == want else {
                    return "\(label): got \(PrimitiveText.short(bytes)), expected \(PrimitiveText.short(want))"
                }
                guard let back = try? Bignum(bigEndian: want, width: width), back == value else {
                    return "\(label): init(bigEndian:width:) does not give the value back"
                }
                return nil
            case (.success(let bytes), .none):
                return "\(label): encoded to \(PrimitiveText.short(bytes)), expected an error"
            case (.failure(let error), .some):
                return "\(label): threw \(error)"
            case (.failure, .none):
                return nil
            }
        }

        func join(_ problems: [String?]) -> String? {
            let lines = problems.compactMap { $0 }
            return lines.isEmpty ? nil : lines.joined(separator: "; ")
        }
    }
}
