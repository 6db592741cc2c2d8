/// A vector file that cannot be checked at all: unreadable, not well-formed, or of an unknown kind.
public enum VectorFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not what its kind requires (bad JSON, missing field, odd hex, …).
    case malformed(file: String, reason: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not a vector file of any kind we check.
    case unknownKind(file: String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason): return file.isEmpty ? "malformed: \(reason)" : "\(file): malformed: \(reason)"
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .unknownKind(let file): return "\(file): not a vector file of a kind secagg knows"
        }
    }
}
