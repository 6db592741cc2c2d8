import Foundation

/// The outcome of checking one file, as `secagg vectors verify` prints it.
public struct VectorFileReport: Sendable, Equatable {
    public var path: String
    public var result: VectorCheckResult
}

/// Finds and checks every known-answer file: ours (Shamir, Feldman, Bignum) and third-party primitive
/// vectors (Wycheproof, RFC 4231, NIST CAVP).
public enum VectorVerifier {
    /// The checkers, tried in order; each returns nil for a file that is not its kind.
    static let checkers: [@Sendable (Data, String) throws -> VectorCheckResult?] = [
        SecretSharingVectors.check(data:path:),
        BignumVectors.check(data:path:),
        PaillierVectors.check(data:path:),
        AdmissionVectors.check(data:path:),
        AdmissionSignatureVectors.check(data:path:),
        PrimitiveVectors.check(data:path:),
    ]

    /// Extensions of files that can be vector files; anything else under a directory (READMEs, licences)
    /// is not considered.
    static let extensions: Set<String> = ["json", "rsp", "txt"]

    /// The vector files named by `paths`: files as given, directories searched recursively, sorted.
    /// - Throws: ``VectorFileError/unreadable(file:reason:)`` for a path that does not exist.
    public static func files(in paths: [String]) throws -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw VectorFileError.unreadable(file: path, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                throw VectorFileError.unreadable(file: path, reason: "cannot list the directory")
            }
            var inside: [String] = []
            for case let relative as String in walker
            where extensions.contains((relative as NSString).pathExtension.lowercased()) {
                inside.append((path as NSString).appendingPathComponent(relative))
            }
            found += inside.sorted()
        }
        return found
    }

    /// Checks one file with the first checker that knows its kind.
    /// - Throws: ``VectorFileError/unknownKind(file:)`` when none does; errors of the checker.
    public static func check(fileAt path: String) throws -> VectorFileReport {
        let data = try VectorFile.read(path)  // read once, offered to each checker in turn
        for checker in checkers {
            if let result = try checker(data, path) { return VectorFileReport(path: path, result: result) }
        }
        throw VectorFileError.unknownKind(file: path)
    }
}
