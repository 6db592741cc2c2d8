import CryptoPrimitives
import Testing

@Suite struct AeadTests {
    let key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    let nonce = unhex("000000000000000000000001")
    let plaintext = Array("attack at dawn, bring the masks".utf8)
    let aad = Array("round 7".utf8)

    func sealed() throws -> Aead.SealedBox {
        try Aead.seal(plaintext, key: key, nonce: nonce, associatedData: aad)
    }

    @Test func openOfSealReturnsThePlaintext() throws {
        let box = try sealed()
        #expect(box.ciphertext.count == plaintext.count)
        #expect(box.tag.count == 16)
        #expect(box.ciphertext != plaintext)
        let opened = try Aead.open(box, key: key, nonce: nonce, associatedData: aad)
        #expect(opened == plaintext)
    }

    @Test func combinedFormSplitsBackIntoCiphertextAndTag() throws {
        let box = try sealed()
        #expect(box.combined.count == plaintext.count + 16)
        let again = try Aead.SealedBox(combined: box.combined)
        #expect(again == box)
    }

    @Test func emptyPlaintextAndEmptyAadStillAuthenticate() throws {
        let box = try Aead.seal([], key: key, nonce: nonce)
        #expect(box.ciphertext.isEmpty)
        #expect(try Aead.open(box, key: key, nonce: nonce) == [])
        var forged = box
        forged.tag[0] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try Aead.open(forged, key: key, nonce: nonce) }
    }

    @Test func sealIsDeterministicForOneKeyAndNonce() throws {
        #expect(try sealed() == sealed())
        let other = try Aead.seal(plaintext, key: key, nonce: unhex("000000000000000000000002"), associatedData: aad)
        #expect(other != (try sealed()))
    }

    // Each negative test is a forgery or a mistake that must never yield plaintext.

    @Test func flippedTagBitIsRejected() throws {
        for index in 0..<16 {
            var box = try sealed()
            box.tag[index] ^= 0x80
            #expect(throws: CryptoError.authenticationFailed) {
                try Aead.open(box, key: key, nonce: nonce, associatedData: aad)
            }
        }
    }

    @Test func modifiedCiphertextIsRejected() throws {
        var box = try sealed()
        box.ciphertext[3] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try Aead.open(box, key: key, nonce: nonce, associatedData: aad)
        }
        var truncated = try sealed()
        truncated.ciphertext.removeLast()
        #expect(throws: CryptoError.authenticationFailed) {
            try Aead.open(truncated, key: key, nonce: nonce, associatedData: aad)
        }
    }

    @Test func wrongAssociatedDataIsRejected() throws {
        let box = try sealed()
        #expect(throws: CryptoError.authenticationFailed) {
            try Aead.open(box, key: key, nonce: nonce, associatedData: Array("round 8".utf8))
        }
        #expect(throws: CryptoError.authenticationFailed) { try Aead.open(box, key: key, nonce: nonce) }
    }

    @Test func wrongKeyIsRejected() throws {
        var otherKey = key
        otherKey[31] ^= 1
        let box = try sealed()
        #expect(throws: CryptoError.authenticationFailed) {
            try Aead.open(box, key: otherKey, nonce: nonce, associatedData: aad)
        }
    }

    @Test func wrongNonceIsRejected() throws {
        let box = try sealed()
        #expect(throws: CryptoError.authenticationFailed) {
            try Aead.open(box, key: key, nonce: unhex("000000000000000000000002"), associatedData: aad)
        }
    }

    @Test func keyOfWrongLengthThrowsInvalidLength() {
        for count in [0, 16, 24, 31, 33] {
            let badKey = [UInt8](repeating: 7, count: count)
            let expected = CryptoError.invalidLength(what: "AES-256-GCM key", expected: "32", actual: count)
            #expect(throws: expected) { try Aead.seal(plaintext, key: badKey, nonce: nonce) }
            let box = Aead.SealedBox(ciphertext: [1, 2, 3], tag: [UInt8](repeating: 0, count: 16))
            #expect(throws: expected) { try Aead.open(box, key: badKey, nonce: nonce) }
        }
    }

    @Test func nonceOfWrongLengthThrowsInvalidLength() {
        for count in [0, 8, 11, 13, 16] {
            let badNonce = [UInt8](repeating: 1, count: count)
            let expected = CryptoError.invalidLength(what: "AES-GCM nonce", expected: "12", actual: count)
            #expect(throws: expected) { try Aead.seal(plaintext, key: key, nonce: badNonce) }
        }
    }

    @Test func truncatedTagThrowsInvalidLengthNotAuthentication() throws {
        var box = try sealed()
        box.tag.removeLast()
        let expected = CryptoError.invalidLength(what: "AES-GCM tag", expected: "16", actual: 15)
        #expect(throws: expected) { try Aead.open(box, key: key, nonce: nonce, associatedData: aad) }
    }

    @Test func combinedShorterThanATagThrows() throws {
        let expected = CryptoError.invalidLength(what: "AES-GCM sealed box", expected: "at least 16", actual: 15)
        #expect(throws: expected) { try Aead.SealedBox(combined: [UInt8](repeating: 0, count: 15)) }
        let tagOnly = try Aead.SealedBox(combined: [UInt8](repeating: 0, count: 16))
        #expect(tagOnly.ciphertext.isEmpty)
    }
}
