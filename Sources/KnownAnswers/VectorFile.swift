import Foundation

/// Reading and decoding vector files with errors that name the file and the problem.
enum VectorFile {
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VectorFileError.unreadable(file: path, reason: error.localizedDescription)
        }
    }

    /// The `"scheme"` field of a JSON vector file (nil for other JSON or non-JSON files).
    static func scheme(of data: Data) -> String? {
        struct Probe: Decodable { var scheme: String? }
        return (try? JSONDecoder().decode(Probe.self, from: data))?.scheme
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw VectorFileError.malformed(file: path, reason: describeDecodingError(error))
        } catch {
            throw VectorFileError.malformed(file: path, reason: "\(error)")
        }
    }
}

/// One line for a JSON decoding failure: what was wrong and where (the key path), for error messages.
public func describeDecodingError(_ error: DecodingError) -> String {
    func where_(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : " at \(path)"
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"\(where_(context))"
    case .typeMismatch(_, let context): return "wrong type\(where_(context))"
    case .valueNotFound(_, let context): return "missing value\(where_(context))"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "invalid JSON" : "\(context.debugDescription)\(where_(context))"
    @unknown default: return "\(error)"
    }
}
