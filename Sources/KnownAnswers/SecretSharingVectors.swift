import Bignum
import CryptoPrimitives
public import Foundation
import SecretSharing

/// Checks our Shamir and Feldman known-answer files (`Vectors/shamir/*.json`, `Vectors/feldman/*.json`,
/// format in `Vectors/README.md`), generated independently by `Tools/gen_vectors.py`.
///
/// Every vector is replayed through the public API with ``HmacDrbg`` seeded as the file says: the split or
/// deal must reproduce every expected share and commitment, every listed reconstruction must return the
/// secrets, and every invalid case must throw the named ``SharingError``.
public enum SecretSharingVectors {
    /// Checks one file; nil when its `"scheme"` is neither `"shamir"` nor `"feldman"`.
    /// - Throws: ``VectorFileError`` when the file cannot be read or is not well-formed.
    public static func check(fileAt path: String) throws -> VectorCheckResult? {
        try check(data: VectorFile.read(path), path: path)
    }

    /// The same for a file already read.
    public static func check(data: Data, path: String) throws -> VectorCheckResult? {
        switch VectorFile.scheme(of: data) {
        case "shamir": return try checkShamir(VectorFile.decode(ShamirFile.self, from: data, path: path))
        case "feldman": return try checkFeldman(VectorFile.decode(FeldmanFile.self, from: data, path: path))
        default: return nil
        }
    }

    // MARK: Shamir

    struct ShamirFile: Decodable {
        struct DrbgAnswer: Decodable {
            struct Request: Decodable {
                var bytes: Int
                var first32: String
                var last32: String
                var sha256: String
            }
            var seed: String
            var requests: [Request]
        }
        struct Vector: Decodable {
            struct Reconstruct: Decodable {
                var indices: [Int]
                var secrets: [String]
            }
            struct Invalid: Decodable {
                var comment: String
                var error: String
                var shares: [ShamirShareSet.Share]
            }
            var id: Int
            var seed: String
            var field: String
            var threshold: Int
            var shares: Int
            var secrets: [String]
            var expected_shares: [ShamirShareSet.Share]
            var reconstruct: [Reconstruct]
            var invalid_combine: [Invalid]
        }
        var version: Int
        var drbg_known_answers: [DrbgAnswer]?
        var vectors: [Vector]
    }

    static func checkShamir(_ file: ShamirFile) throws -> VectorCheckResult {
        var result = VectorCheckResult()
        for answer in file.drbg_known_answers ?? [] {
            result.record(checkDrbg(answer))
        }
        for vector in file.vectors {
            let field: FieldChoice
            do { field = try FieldChoice(parsing: vector.field) } catch {
                result.record("shamir vector \(vector.id): field \(vector.field.prefix(30)) rejected: \(error)")
                continue
            }
            switch field {
            case .mersenne61: checkShamir(vector, in: Mersenne61(), into: &result)
            case .prime(let prime): checkShamir(vector, in: prime, into: &result)
            }
        }
        return result
    }

    static func checkDrbg(_ answer: ShamirFile.DrbgAnswer) -> String? {
        do {
            var drbg = try HmacDrbg(entropy: Hex.decode(answer.seed))
            for (n, request) in answer.requests.enumerated() {
                let bytes = try drbg.bytes(count: request.bytes)
                let got = (Hex.encode(bytes.prefix(32)), Hex.encode(bytes.suffix(32)), Hex.encode(Sha256.hash(bytes)))
                guard got == (request.first32, request.last32, request.sha256) else {
                    return "HMAC_DRBG seed \(answer.seed.prefix(16))…: request \(n) (\(request.bytes) bytes) differs"
                }
            }
            return nil
        } catch {
            return "HMAC_DRBG seed \(answer.seed.prefix(16))…: \(error)"
        }
    }

    static func checkShamir<F: PrimeField>(_ vector: ShamirFile.Vector, in field: F, into result: inout VectorCheckResult) {
        let name = "shamir vector \(vector.id)"
        do {
            let shamir = try Shamir(field: field, threshold: vector.threshold, shareCount: vector.shares)
            let secrets = try vector.secrets.map { try field.element(Bignum(decimal: $0)) }
            var drbg = try HmacDrbg(entropy: Hex.decode(vector.seed))
            let shares = try shamir.split(secrets, using: &drbg)
            let expected = try vector.expected_shares.map { share in
                ShamirShare(index: share.index, values: try share.values.map { try field.element($0) })
            }
            guard shares == expected else {
                result.record("\(name): split differs from expected_shares")
                return
            }
            result.record(nil)
            for case_ in vector.reconstruct {
                let chosen = try case_.indices.map { i in
                    guard let share = expected.first(where: { $0.index == i }) else {
                        throw VectorFileError.malformed(file: name, reason: "reconstruct names missing index \(i)")
                    }
                    return share
                }
                let back = try shamir.combine(chosen).map { field.bignum($0).description }
                result.record(back == case_.secrets ? nil : "\(name): combine of \(case_.indices) returned other secrets")
            }
            for case_ in vector.invalid_combine {
                result.record(expectFailure(case_, shamir: shamir, name: name))
            }
        } catch {
            result.record("\(name): \(error)")
        }
    }

    /// Runs an invalid combination the way a user would: through the interchange ``ShamirShareSet``.
    static func expectFailure<F: PrimeField>(
        _ case_: ShamirFile.Vector.Invalid, shamir: Shamir<F>, name: String
    ) -> String? {
        let set = ShamirShareSet(modulus: shamir.field.modulus, threshold: shamir.threshold, shares: case_.shares)
        do {
            let secrets = try set.combine()
            return "\(name): \(case_.comment): expected \(case_.error), got secrets \(secrets.prefix(2))"
        } catch let error as SharingError {
            return error.name == case_.error ? nil : "\(name): \(case_.comment): expected \(case_.error), got \(error.name)"
        } catch {
            return "\(name): \(case_.comment): expected \(case_.error), got \(error)"
        }
    }

    // MARK: Feldman

    struct FeldmanFile: Decodable {
        struct Group: Decodable {
            var p: String
            var q: String
            var g: String
        }
        struct Share: Decodable {
            var index: Int
            var value: String
        }
        struct InvalidShare: Decodable {
            var comment: String
            var index: Int
            var value: String
        }
        struct Vector: Decodable {
            var id: Int
            var seed: String
            var group: Group
            var threshold: Int
            var shares: Int
            var secret: String
            var expected_shares: [Share]
            var expected_commitments: [String]
            var invalid_shares: [InvalidShare]
        }
        struct InvalidGroup: Decodable {
            var comment: String
            var p: String
            var q: String
            var g: String
            var error: String
        }
        var version: Int
        var groups: [String: Group]?
        var vectors: [Vector]
        var invalid_groups: [InvalidGroup]?
    }

    static func group(_ g: FeldmanFile.Group) throws -> SchnorrGroup {
        try SchnorrGroup(p: Bignum(decimal: g.p), q: Bignum(decimal: g.q), g: Bignum(decimal: g.g))
    }

    static func checkFeldman(_ file: FeldmanFile) throws -> VectorCheckResult {
        var result = VectorCheckResult()
        for (name, g) in (file.groups ?? [:]).sorted(by: { $0.key < $1.key }) {
            do {
                _ = try group(g)
                result.record(nil)
            } catch {
                result.record("feldman group \(name): rejected: \(error)")
            }
        }
        for vector in file.vectors {
            checkFeldman(vector, into: &result)
        }
        for invalid in file.invalid_groups ?? [] {
            do {
                _ = try group(FeldmanFile.Group(p: invalid.p, q: invalid.q, g: invalid.g))
                result.record("feldman invalid group (\(invalid.comment)): accepted")
            } catch let error as SharingError {
                result.record(error.name == invalid.error ? nil
                    : "feldman invalid group (\(invalid.comment)): expected \(invalid.error), got \(error.name)")
            }
        }
        return result
    }

    static func checkFeldman(_ vector: FeldmanFile.Vector, into result: inout VectorCheckResult) {
        let name = "feldman vector \(vector.id)"
        do {
            let feldman = try Feldman(group: group(vector.group), threshold: vector.threshold, shareCount: vector.shares)
            var drbg = try HmacDrbg(entropy: Hex.decode(vector.seed))
            let dealing = try feldman.deal(secret: Bignum(decimal: vector.secret), using: &drbg)
            let expectedShares = try vector.expected_shares.map {
                FeldmanShare(index: $0.index, value: try Bignum(decimal: $0.value))
            }
            let expectedCommitments = try vector.expected_commitments.map { try Bignum(decimal: $0) }
            guard dealing.shares == expectedShares, dealing.commitments == expectedCommitments else {
                result.record("\(name): deal differs from expected shares/commitments")
                return
            }
            for share in expectedShares { try feldman.verify(share, commitments: expectedCommitments) }
            let secret = try feldman.combine(Array(expectedShares.suffix(vector.threshold)), commitments: expectedCommitments)
            guard secret.description == vector.secret else {
                result.record("\(name): combine returned another secret")
                return
            }
            result.record(nil)
            for invalid in vector.invalid_shares {
                let share = FeldmanShare(index: invalid.index, value: try Bignum(decimal: invalid.value))
                do {
                    try feldman.verify(share, commitments: expectedCommitments)
                    result.record("\(name): \(invalid.comment): verified but should not")
                } catch SharingError.shareDoesNotMatchCommitments(let index) where index == invalid.index {
                    result.record(nil)
                }
            }
        } catch {
            result.record("\(name): \(error)")
        }
    }
}
