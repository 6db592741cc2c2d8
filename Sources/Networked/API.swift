public import Admission
public import Foundation
public import SecureAggregation
import CryptoPrimitives

/// The HTTP API shared by the coordinator, the authorities and the clients (`Specs/networked.md`).
///
/// Protocol messages travel as the protocols' own versioned binary encodings (`application/octet-stream`);
/// everything else is small JSON.
public enum NetworkAPI {
    /// Path prefix of every endpoint but the dashboard.
    public static let prefix = "v1"
    /// Carries the client's id on every request after admission.
    public static let clientHeader = "X-SecAgg-Client"
    /// Carries the client's admission token on every request after admission: the lowercase hex SHA-256 of
    /// the token's canonical JSON (``tokenDigest(_:)``), which the coordinator compares in constant time with
    /// the digest of the token it verified at admission.
    public static let tokenHeader = "X-SecAgg-Token"
    /// The largest JSON body accepted (admission requests carry a token with t share proofs: a few KiB).
    public static let maximumJSONBody = 256 * 1024
    /// The largest number of requests one client (or one address before admission) may make per second,
    /// averaged over a 10 s window; more get 429.
    public static let defaultRateLimit = 200.0

    /// The canonical JSON of a token (sorted keys), as hashed into the token header.
    public static func canonicalJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// The token header's value for `token`.
    public static func tokenDigest(_ token: AdmissionToken) throws -> String {
        try hex(Sha256.hash(Array(canonicalJSON(token))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(2 * bytes.count)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// `GET /v1/status`: what any participant may know about the run (no client data).
public struct CoordinatorStatus: Codable, Sendable, Equatable {
    /// `admission`, `training`, `finished` or `failed`.
    public var state: String
    public var runID: String
    /// The admission session: tokens must be bound to it.
    public var session: String
    /// The round number tokens must be bound to now (1 when admission happens once, else the current round).
    public var admissionRound: UInt64
    /// Human-readable phase, e.g. "round 2 of 5: masked-input".
    public var phase: String
    /// The current training round, 1-based; 0 during the first admission.
    public var round: Int
    public var totalRounds: Int
    /// The protection kind of the configuration (`none`, `masking`, `secagg+`).
    public var protection: String
    /// Client ids (1-based, as registered) taking part in the current round.
    public var selected: [Int]
    /// Index of the protocol phase in progress in the current round (0-based).
    public var protocolPhase: Int
    public var admitted: [Int]
    public var failure: String?

    public init(
        state: String, runID: String, session: String, admissionRound: UInt64, phase: String, round: Int, totalRounds: Int,
        protection: String, selected: [Int], protocolPhase: Int, admitted: [Int], failure: String?
    ) {
        self.state = state
        self.runID = runID
        self.session = session
        self.admissionRound = admissionRound
        self.phase = phase
        self.round = round
        self.totalRounds = totalRounds
        self.protection = protection
        self.selected = selected
        self.protocolPhase = protocolPhase
        self.admitted = admitted
        self.failure = failure
    }
}

/// `POST /v1/admit`: a client presents its token (or, when the authorities refused it, the reason, so the
/// dashboard can show why — the coordinator rejects such a client either way).
public struct AdmitRequest: Codable, Sendable {
    public var client: Int
    public var token: AdmissionToken?
    public var refusal: String?

    public init(client: Int, token: AdmissionToken?, refusal: String? = nil) {
        self.client = client
        self.token = token
        self.refusal = refusal
    }
}

/// `POST /v1/authority/issue` (on an authority): a proof, for the session and round it is bound to.
public struct IssueRequest: Codable, Sendable {
    public var proof: AdmissionProof

    public init(proof: AdmissionProof) { self.proof = proof }
}

/// `GET /v1/round/R/plan`: what a selected client needs to run round R's protocol.
public struct RoundPlan: Codable, Sendable, Equatable {
    public var round: Int
    /// `none`, `masking` or `secagg+`.
    public var protection: String
    /// This client's protocol id (1 … n among the round's participants, in registered-id order).
    public var protocolID: UInt32
    /// Registered ids of the participants, in protocol-id order.
    public var participants: [Int]
    public var phaseCount: Int
    public var masking: MaskedAggregationParameters?
    public var secAggPlus: SecAggPlusParameters?
    public var quantizer: Quantizer?
    /// W: the largest client weight (public), for the weighted encoding.
    public var maxWeight: Int
    /// The authenticated masking variant (signed keys, consistency check; 5 phases): clients sign with their
    /// admission key and verify their peers against their own copy of the registry. Absent: false.
    public var authenticated: Bool?

    public var isAuthenticated: Bool { authenticated ?? false }

    public init(
        round: Int, protection: String, protocolID: UInt32, participants: [Int], phaseCount: Int,
        masking: MaskedAggregationParameters?, secAggPlus: SecAggPlusParameters?, quantizer: Quantizer?, maxWeight: Int,
        authenticated: Bool = false
    ) {
        self.round = round
        self.protection = protection
        self.protocolID = protocolID
        self.participants = participants
        self.phaseCount = phaseCount
        self.masking = masking
        self.secAggPlus = secAggPlus
        self.quantizer = quantizer
        self.maxWeight = maxWeight
        self.authenticated = authenticated ? true : nil
    }
}

/// A JSON error body: `{"error": "…"}`.
public struct ErrorBody: Codable, Sendable {
    public var error: String

    public init(error: String) { self.error = error }
}

/// Errors of the networked mode: one line each.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration the networked mode cannot run, with the reason.
    case unsupported(String)
    /// A peer answered with an HTTP error.
    case http(url: String, status: Int, message: String)
    /// A peer could not be reached within the deadline.
    case unreachable(url: String, reason: String)
    /// A peer's answer did not decode.
    case malformed(what: String, reason: String)
    /// The client was not admitted.
    case notAdmitted(String)
    /// The run failed at the coordinator.
    case runFailed(String)
    /// A file could not be read or written.
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupported(let why): "not supported in networked mode: \(why)"
        case .http(let url, let status, let message): "\(url): HTTP \(status): \(message)"
        case .unreachable(let url, let reason): "\(url): unreachable (\(reason))"
        case .malformed(let what, let reason): "malformed \(what): \(reason)"
        case .notAdmitted(let why): "not admitted: \(why)"
        case .runFailed(let why): "run failed: \(why)"
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }
}
