public import Admission
public import SecureAggregation

/// The harness's side of the authenticated masking seam (`Specs/ARCHITECTURE.md`): SecureAggregation signs
/// and verifies through ``MaskingSigner`` / ``MaskingIdentityVerifier`` and the harness implements them with
/// the keys of the admission phase. Only admitted clients have identities.

/// The admitted clients of a run: their admission keys and, checked once, their public keys for verifying.
struct AdmittedIdentities: Sendable {
    /// Training client id → its admission key (admitted clients only).
    let keys: [Int: ClientSecretKey]
    /// Training client id → its public key, validated once as a subgroup element.
    let verificationKeys: [Int: SignatureVerificationKey]

    /// The identities of `admitted` among `clientKeys` (indexed by training client id).
    init(clientKeys: [ClientSecretKey], admitted: Set<Int>) throws {
        var keys = [Int: ClientSecretKey](), verification = [Int: SignatureVerificationKey]()
        for id in admitted.sorted() where clientKeys.indices.contains(id) {
            keys[id] = clientKeys[id]
            verification[id] = try SignatureVerificationKey(clientKeys[id].publicKey)
        }
        self.keys = keys
        verificationKeys = verification
    }

    /// The identities of one protocol run: protocol id i (1 … n) is training client `clients[i − 1]`.
    /// - Throws: ``ConfigError`` when a participant has no identity (was not admitted).
    func session(clients: [Int]) throws -> (signers: [AdmissionMaskingSigner], verifier: AdmissionIdentityDirectory) {
        var signers = [AdmissionMaskingSigner](), directory = [UInt32: SignatureVerificationKey]()
        for (i, client) in clients.enumerated() {
            guard let key = keys[client], let verificationKey = verificationKeys[client] else {
                throw ConfigError("protection.authenticated", "client \(client) takes part but was not admitted")
            }
            signers.append(AdmissionMaskingSigner(key: key))
            directory[UInt32(i + 1)] = verificationKey
        }
        return (signers, AdmissionIdentityDirectory(keys: directory))
    }
}

/// A client's signer: Schnorr signatures with its admission key (`Specs/admission.md`, "Signatures"), each
/// nonce from the system CSPRNG. (Signatures do not change any number the harness reports — they are 64
/// bytes whatever their value — so runs stay reproducible.)
public struct AdmissionMaskingSigner: MaskingSigner {
    let key: ClientSecretKey

    public init(key: ClientSecretKey) { self.key = key }

    public func sign(_ message: [UInt8]) throws(SecAggError) -> [UInt8] {
        do {
            return try key.sign(message)
        } catch {
            throw .signingFailed(reason: "\(error)")
        }
    }
}

/// The directory of a protocol run's identities: protocol client id → admitted public key. A client not in
/// it (not admitted) has no valid signatures; a malformed signature is simply invalid.
public struct AdmissionIdentityDirectory: MaskingIdentityVerifier {
    let keys: [UInt32: SignatureVerificationKey]

    /// - Parameter keys: protocol client id → the admitted public key of the client behind it.
    public init(keys: [UInt32: SignatureVerificationKey]) { self.keys = keys }

    public func verify(_ signature: [UInt8], on message: [UInt8], by client: UInt32) -> Bool {
        guard let key = keys[client] else { return false }
        return (try? key.verify(signature, on: message)) ?? false
    }
}
