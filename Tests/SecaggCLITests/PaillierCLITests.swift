import Foundation
import Testing

@Suite struct PaillierCommandTests {
    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secagg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: ["native", "phe"]) func keygenEncryptAddDecrypt(_ format: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let priv = dir.appendingPathComponent("priv.json").path, pub = dir.appendingPathComponent("pub.json").path
        let keygen = try secagg(["paillier", "keygen", "--bits", "1024", "--out", priv, "--public-out", pub, "--format", format])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let encrypted = try secagg(["paillier", "encrypt", "--key", pub, "--values=-2.5,7,0", "--format", format])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let a = dir.appendingPathComponent("a.json")
        try encrypted.stdout.write(to: a, atomically: true, encoding: .utf8)
        let decrypted = try secagg(["paillier", "decrypt", "--key", priv, a.path, "--format", format])
        #expect(decrypted.stdout == "-2.5\n7.0\n0.0\n", "\(decrypted.stderr)")
        var add = ["paillier", "add", a.path, a.path, "--format", format]
        if format == "phe" { add += ["--key", pub] }
        let sum = try secagg(add)
        #expect(sum.status == 0, "\(sum.stderr)")
        let total = try secagg(["paillier", "decrypt", "--key", priv, "-", "--format", format], stdin: sum.stdout)
        #expect(total.stdout == "-5.0\n14.0\n0.0\n", "\(total.stderr)")
    }

    @Test func badInputIsOneLineAndStatusOne() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let priv = dir.appendingPathComponent("priv.json").path, pub = dir.appendingPathComponent("pub.json").path
        _ = try secagg(["paillier", "keygen", "--bits", "1024", "--out", priv, "--public-out", pub])
        let cases: [([String], String?)] = [
            (["paillier", "keygen", "--bits", "1000"], nil),
            (["paillier", "encrypt", "--key", pub, "--values", "1,abc"], nil),
            (["paillier", "encrypt", "--key", "/nonexistent", "--values", "1"], nil),
            (["paillier", "decrypt", "--key", priv, "-"], #"{"version":1,"type":"paillier-ciphertexts","n":"7","fraction_bits":0,"ciphertexts":[]}"#),
            (["paillier", "decrypt", "--key", priv, "-"], #"{"version":2,"type":"paillier-ciphertexts"}"#),
            (["paillier", "decrypt", "--key", priv, "-"], #"{"version":1,"type":"paill"#),
            (["paillier", "decrypt", "--key", priv, "-", "--format", "phe"], #"{"v":"0","e":-32}"#),
        ]
        for (arguments, stdin) in cases {
            let result = try secagg(arguments, stdin: stdin)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.hasPrefix("secagg: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    /// The differential check against python-paillier (`phe`), both directions (Tools/check_phe_interop.py).
    @Test func interoperatesWithPythonPaillier() throws {
        let venv = packageRoot.appendingPathComponent(".venv-phe").path
        let result = try run(python3(), ["Tools/check_phe_interop.py", "--secagg", secaggPath(), "--venv", venv])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("phe-interop: ") && result.stdout.contains(" passed, 0 failed"))
    }
}
