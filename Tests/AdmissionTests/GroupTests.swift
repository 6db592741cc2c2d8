@testable import Admission
import Bignum
import CryptoPrimitives
import Testing

@Suite struct GroupTests {
    let group = AdmissionGroup.standard

    @Test func standardGroupIsASchnorrGroupOfTheRequiredSizes() throws {
        #expect(group.p.bitWidth == 2048)
        #expect(group.q.bitWidth == 256)
        #expect(group.p.isProbablePrime())
        #expect(group.q.isProbablePrime())
        #expect((group.p - Bignum(1)).isDivisible(by: group.q))
        #expect(group.g != Bignum(1))
        #expect(try group.g.powm(group.q, modulus: group.p) == Bignum(1))
        // The validating initializer accepts the same values.
        #expect(try AdmissionGroup(p: group.p, q: group.q, g: group.g) == group)
    }

    @Test func seedLabelChainReachesTheStoredSeedAndItsQ() throws {
        var seed = Sha256.hash(Array(AdmissionGroup.standardSeedLabel.utf8))
        for _ in 0..<AdmissionGroup.standardSeedIterations {
            #expect(!GroupDerivation.candidateQ(seed: seed).isProbablePrime())
            seed = Sha256.hash(seed)
        }
        #expect(Hex.encode(seed) == AdmissionGroup.standardSeedHex)
        #expect(GroupDerivation.candidateQ(seed: seed) == group.q)
    }

    @Test func fullDerivationFromTheSeedLabelReproducesPQG() throws {
        let derived = try #require(GroupDerivation.derive(label: AdmissionGroup.standardSeedLabel))
        #expect(Hex.encode(derived.seed) == AdmissionGroup.standardSeedHex)
        #expect(derived.seedIterations == AdmissionGroup.standardSeedIterations)
        #expect(derived.counter == AdmissionGroup.standardCounter)
        #expect(derived.count == AdmissionGroup.standardGeneratorCount)
        #expect(derived.p == group.p)
        #expect(derived.q == group.q)
        #expect(derived.g == group.g)
    }

    @Test func storedCounterGivesPAndGeneratorIsCanonical() throws {
        let seed = try #require(Hex.decode(AdmissionGroup.standardSeedHex))
        let p = try #require(GroupDerivation.candidateP(seed: seed, q: group.q, counter: AdmissionGroup.standardCounter))
        #expect(p == group.p)
        let gen = try #require(
            GroupDerivation.canonicalGenerator(seed: seed, p: p, q: group.q, index: AdmissionGroup.standardGeneratorIndex))
        #expect(gen.g == group.g)
        #expect(gen.count == AdmissionGroup.standardGeneratorCount)
    }

    @Test func elementValidationRejectsOneZeroPAndNonSubgroupValues() {
        for bad in [Bignum(0), Bignum(1), group.p, group.p + Bignum(1), group.p - Bignum(1), Bignum(-4)] {
            #expect(admissionError { try group.validate(bad, as: "y") } == .invalidElement("y"))
        }
        // 2 generates a larger subgroup of Z_p* (its order is not q) for this p.
        #expect(admissionError { try group.validate(Bignum(2), as: "y") } == .invalidElement("y"))
        #expect(admissionError { try group.validate(group.g, as: "y") } == nil)
    }

    @Test func weakOrInconsistentGroupsAreRejected() {
        // Too small (the 1024-bit Feldman-sized values), a g outside the subgroup, q not dividing p − 1.
        #expect(throws: AdmissionError.self) { try AdmissionGroup(p: Bignum(23), q: Bignum(11), g: Bignum(4)) }
        #expect(throws: AdmissionError.self) { try AdmissionGroup(p: group.p, q: group.q, g: Bignum(2)) }
        #expect(throws: AdmissionError.self) {
            try AdmissionGroup(p: group.p, q: group.q.nextPrime(), g: group.g)
        }
    }

    @Test func hashToGroupGivesSubgroupElementsBoundToClientSessionAndRound() throws {
        let y = group.g
        let h = try group.hashToGroup(client: y, session: "s", round: 1)
        try group.validate(h, as: "h")
        #expect(try group.hashToGroup(client: y, session: "s", round: 1) == h)
        #expect(try group.hashToGroup(client: y, session: "s", round: 2) != h)
        #expect(try group.hashToGroup(client: y, session: "t", round: 1) != h)
        #expect(try group.hashToGroup(client: try group.g.powm(Bignum(2), modulus: group.p), session: "s", round: 1) != h)
    }
}

/// Lowercase hex helpers for the tests.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
    }
}
