// swift-tools-version: 6.1
// SecAggKit: secret sharing, Paillier, secure aggregation and an admission phase for federated learning,
// over GMP and OpenSSL. Layering (imports only go downwards) is documented in Specs/ARCHITECTURE.md.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SecAggKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Bignum", targets: ["Bignum"]),
        .library(name: "CryptoPrimitives", targets: ["CryptoPrimitives"]),
        .library(name: "SecretSharing", targets: ["SecretSharing"]),
        .library(name: "Paillier", targets: ["Paillier"]),
        .library(name: "SecureAggregation", targets: ["SecureAggregation"]),
        .library(name: "FederatedLearning", targets: ["FederatedLearning"]),
        .library(name: "Admission", targets: ["Admission"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "KnownAnswers", targets: ["KnownAnswers"]),
        .library(name: "Networked", targets: ["Networked"]),
        .library(name: "RunHistory", targets: ["RunHistory"]),
        .executable(name: "secagg", targets: ["secagg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // SQLite through GRDB (apt: libsqlite3-dev), for the run history of the networked coordinator.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries from the system (apt: libgmp-dev, libssl-dev). No vendored C.
        .systemLibrary(
            name: "CGMP", pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        .target(name: "CryptoPrimitives", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "Bignum", dependencies: ["CGMP", "CryptoPrimitives"], swiftSettings: strict),
        .target(name: "SecretSharing", dependencies: ["Bignum", "CryptoPrimitives"], swiftSettings: strict),
        .target(name: "Paillier", dependencies: ["Bignum", "CryptoPrimitives"], swiftSettings: strict),
        .target(
            name: "SecureAggregation", dependencies: ["Bignum", "CryptoPrimitives", "SecretSharing", "Paillier"],
            swiftSettings: strict),
        .target(
            name: "Admission", dependencies: ["Bignum", "CryptoPrimitives", "SecretSharing"], swiftSettings: strict),
        .target(name: "FederatedLearning", dependencies: ["CZlib"], swiftSettings: strict),
        .target(
            name: "Harness",
            dependencies: ["FederatedLearning", "SecureAggregation", "Paillier", "Admission", "CryptoPrimitives", "Bignum"],
            swiftSettings: strict),
        .target(
            name: "KnownAnswers", dependencies: ["Bignum", "CryptoPrimitives", "SecretSharing", "Paillier", "Admission"],
            swiftSettings: strict),
        // Networked mode (`Specs/networked.md`): the same state machines over HTTP.
        .target(
            name: "Networked",
            dependencies: [
                "Harness", "FederatedLearning", "SecureAggregation", "Admission", "CryptoPrimitives", "Bignum",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "RunHistory",
            dependencies: ["Harness", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .executableTarget(
            name: "secagg",
            dependencies: [
                "Bignum", "CryptoPrimitives", "SecretSharing", "Paillier", "KnownAnswers", "Harness",
                "FederatedLearning", "Admission", "Networked", "RunHistory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        .testTarget(name: "BignumTests", dependencies: ["Bignum", "CryptoPrimitives"], swiftSettings: strict),
        .testTarget(
            name: "CryptoPrimitivesTests", dependencies: ["CryptoPrimitives", "KnownAnswers"],
            swiftSettings: strict),
        .testTarget(
            name: "SecretSharingTests", dependencies: ["SecretSharing", "Bignum", "CryptoPrimitives"],
            swiftSettings: strict),
        .testTarget(
            name: "PaillierTests", dependencies: ["Paillier", "Bignum", "CryptoPrimitives"], swiftSettings: strict),
        .testTarget(
            name: "SecureAggregationTests",
            dependencies: ["SecureAggregation", "SecretSharing", "CryptoPrimitives", "Paillier", "Bignum"],
            swiftSettings: strict),
        .testTarget(
            name: "AdmissionTests", dependencies: ["Admission", "Bignum", "CryptoPrimitives", "SecretSharing"],
            swiftSettings: strict),
        .testTarget(
            name: "FederatedLearningTests", dependencies: ["FederatedLearning"], swiftSettings: strict),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "FederatedLearning"], swiftSettings: strict),
        .testTarget(name: "KnownAnswersTests", dependencies: ["KnownAnswers"], swiftSettings: strict),
        .testTarget(
            name: "NetworkedTests",
            dependencies: [
                "Networked", "Harness", "Admission", "FederatedLearning", "CryptoPrimitives",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "RunHistoryTests",
            dependencies: ["RunHistory", "Harness", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "SecaggCLITests", dependencies: ["secagg", "RunHistory", "Harness"], swiftSettings: strict),

        // Benchmarks (ordo-one/benchmark): `swift package benchmark` (release build).
        .target(name: "CBaseline", dependencies: ["CGMP", "COpenSSL"], path: "Benchmarks/CBaseline"),
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                "Bignum", "CryptoPrimitives", "SecretSharing", "Paillier", "FederatedLearning", "SecureAggregation",
                "Admission", "CBaseline",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Core",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
