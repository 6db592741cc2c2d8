import Foundation
import Testing

/// Lower-case hex of `bytes`.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var out = ""
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xf)])
    }
    return out
}

/// The bytes of a hex literal written in a test (traps on a typo in the test itself).
func unhex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex literal in a test")
    func value(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: preconditionFailure("bad hex digit in a test literal")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
}

/// `Vectors/` of this package, found by walking up from this source file to `Package.swift`.
func vectorsDirectory(filePath: String = #filePath) -> String {
    var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            return directory.appendingPathComponent("Vectors").path
        }
        directory.deleteLastPathComponent()
    }
    return "Vectors"
}

/// A vector file under `Vectors/`.
func vectorPath(_ relative: String) -> String {
    (vectorsDirectory() as NSString).appendingPathComponent(relative)
}

/// Writes `contents` to a fresh file named `name` in a fresh temporary directory; returns its path.
func temporaryFile(named name: String, contents: Data) throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("secagg-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try contents.write(to: url)
    return url.path
}

/// Writes `text` (UTF-8) to a fresh temporary file.
func temporaryFile(named name: String, text: String) throws -> String {
    try temporaryFile(named: name, contents: Data(text.utf8))
}
