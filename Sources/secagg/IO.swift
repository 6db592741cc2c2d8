import Foundation

/// The bytes of a file, or of stdin for "-".
/// - Throws: ``CommandError`` for an unreadable file or empty input.
func readInput(_ path: String) throws -> Data {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw CommandError("\(path): cannot read the file")
        }
        data = contents
    }
    guard !data.isEmpty else { throw CommandError("\(path == "-" ? "stdin" : path): empty input") }
    return data
}

func write(_ text: String, to path: String?) throws {
    guard let path else {
        writeLine(text)
        return
    }
    guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) else {
        throw CommandError("\(path): cannot write the file")
    }
}
