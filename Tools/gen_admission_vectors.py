#!/usr/bin/env python3
"""Known-answer vectors for SecAggKit's admission phase (Specs/admission.md).

An independent Python model of the spec, written from the formulas only, with plain Python integers:

* the verifiable group derivation (FIPS 186-4 A.1.1.2 / A.2.3 with SHA-256) from the public seed label;
* the transcript encodings, Schnorr proof of knowledge, hash-to-group and Chaum-Pedersen (DLEQ) proofs;
* the trusted dealer (Shamir t-of-n over Z_q with the secret-sharing sampling rule), token shares,
  combination by Lagrange in the exponent, and the aggregator's token check;
* Schnorr signatures with the client keys (sign with a DRBG-driven nonce, verify with the range checks),
  including negative vectors (altered bits, another key, scalars >= q, wrong lengths).

HMAC_DRBG, the sampling rule and the Baillie-PSW primality test come from Tools/gen_vectors.py.

Usage:
    python3 Tools/gen_admission_vectors.py          # (re)write Vectors/admission/{admission,signature}.json
    python3 Tools/gen_admission_vectors.py --check  # regenerate in memory; exit 1 if the file differs
"""

import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_vectors import HmacDrbg, is_prime, random_elements, render, write_or_check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join("Vectors", "admission", "admission.json")
SIGNATURE_PATH = os.path.join("Vectors", "admission", "signature.json")

SEED_LABEL = "SecAggKit admission group v1"
L_BITS, N_BITS = 2048, 256
TAG_SCHNORR = "SecAggKit/admission/v1/schnorr-pok"
TAG_DLEQ = "SecAggKit/admission/v1/dleq"
TAG_H2G = "SecAggKit/admission/v1/hash-to-group"
TAG_SET = "SecAggKit/admission/v1/authority-set"
TAG_SIG = "SecAggKit/admission/v1/signature"


def sha256(b):
    return hashlib.sha256(b).digest()


def sha256_int(b):
    return int.from_bytes(sha256(b), "big")


# ---------------------------------------------------------------------------------------------------
# Group derivation (FIPS 186-4 A.1.1.2 and A.2.3)
# ---------------------------------------------------------------------------------------------------

def candidate_q(seed):
    u = sha256_int(seed) % (1 << (N_BITS - 1))
    return (1 << (N_BITS - 1)) + u + 1 - (u % 2)


def candidate_p(seed, q, counter):
    outlen, seedlen = 256, len(seed) * 8
    n = (L_BITS + outlen - 1) // outlen - 1
    b = L_BITS - 1 - n * outlen
    s = int.from_bytes(seed, "big")
    offset = 1 + counter * (n + 1)
    v = [sha256_int(((s + offset + j) % (1 << seedlen)).to_bytes(len(seed), "big")) for j in range(n + 1)]
    w = sum(v[j] << (j * outlen) for j in range(n)) + ((v[n] % (1 << b)) << (n * outlen))
    x = w + (1 << (L_BITS - 1))
    p = x - (x % (2 * q) - 1)
    return p if p >= 1 << (L_BITS - 1) else None


def canonical_generator(seed, p, q, index):
    e = (p - 1) // q
    for count in range(1, 1 << 16):
        g = pow(sha256_int(seed + b"ggen" + bytes([index]) + count.to_bytes(2, "big")), e, p)
        if g >= 2:
            return g, count
    raise ValueError("no generator")


def derive_group():
    seed = sha256(SEED_LABEL.encode())
    iterations = 0
    while not is_prime(candidate_q(seed)):
        seed = sha256(seed)
        iterations += 1
    q = candidate_q(seed)
    for counter in range(4 * L_BITS):
        p = candidate_p(seed, q, counter)
        if p is not None and is_prime(p):
            g, count = canonical_generator(seed, p, q, 1)
            return {"p": p, "q": q, "g": g, "seed": seed, "seedIterations": iterations, "counter": counter,
                    "generatorIndex": 1, "generatorCount": count}
    raise ValueError("no p")


# ---------------------------------------------------------------------------------------------------
# Encodings and transcripts
# ---------------------------------------------------------------------------------------------------

class Group:
    def __init__(self, p, q, g):
        self.p, self.q, self.g = p, q, g
        self.ew = (p.bit_length() + 7) // 8
        self.sw = (q.bit_length() + 7) // 8

    def E(self, x):
        return x.to_bytes(self.ew, "big")

    def S(self, x):
        return x.to_bytes(self.sw, "big")

    def params(self):
        return self.E(self.p) + self.S(self.q) + self.E(self.g)

    def valid(self, y):
        return 1 < y < self.p and pow(y, self.q, self.p) == 1


def Str(text):
    b = text.encode("utf-8")
    return len(b).to_bytes(4, "big") + b


def u32(x):
    return x.to_bytes(4, "big")


def u64(x):
    return x.to_bytes(8, "big")


def authority_set_digest(G, t, vks, Y):
    data = Str(TAG_SET) + u32(len(vks)) + u32(t) + G.E(Y) + b"".join(G.E(v) for v in vks)
    return sha256(data)


def schnorr_challenge(G, y, a, session, rnd, digest):
    data = Str(TAG_SCHNORR) + G.params() + G.E(y) + G.E(a) + Str(session) + u64(rnd) + digest
    return sha256_int(data) % G.q


def dleq_challenge(G, h, v, w, a, b):
    data = Str(TAG_DLEQ) + G.params() + G.E(h) + G.E(v) + G.E(w) + G.E(a) + G.E(b)
    return sha256_int(data) % G.q


def hash_to_group(G, y, session, rnd):
    length = (G.p.bit_length() + 128 + 7) // 8
    prefix = Str(TAG_H2G) + G.E(y) + Str(session) + u64(rnd)
    cofactor = (G.p - 1) // G.q
    counter = 0
    while True:
        out = b""
        i = 0
        while len(out) < length:
            out += sha256(prefix + u32(counter) + u32(i))
            i += 1
        e = int.from_bytes(out[:length], "big") % G.p
        if e != 0:
            h = pow(e, cofactor, G.p)
            if h != 1:
                return h
        counter += 1


# ---------------------------------------------------------------------------------------------------
# Protocol
# ---------------------------------------------------------------------------------------------------

def nonzero_scalar(G, drbg):
    while True:
        x = random_elements(drbg, 1, G.q)[0]
        if x != 0:
            return x


def deal(G, drbg, t, n):
    k = nonzero_scalar(G, drbg)
    coeffs = [k]
    for _ in range(t - 1):
        coeffs += random_elements(drbg, 1, G.q)
    shares = [sum(c * pow(j, i, G.q) for i, c in enumerate(coeffs)) % G.q for j in range(1, n + 1)]
    vks = [pow(G.g, s, G.p) for s in shares]
    Y = pow(G.g, k, G.p)
    return k, shares, vks, Y


def schnorr_prove(G, drbg, x, y, session, rnd, digest):
    r = nonzero_scalar(G, drbg)
    a = pow(G.g, r, G.p)
    c = schnorr_challenge(G, y, a, session, rnd, digest)
    return a, (r + c * x) % G.q, c


def schnorr_verify(G, y, a, s, session, rnd, digest):
    if not (G.valid(y) and G.valid(a) and 0 <= s < G.q):
        return False
    c = schnorr_challenge(G, y, a, session, rnd, digest)
    return pow(G.g, s, G.p) == a * pow(y, c, G.p) % G.p


def dleq_prove(G, drbg, k, h, v, w):
    r = nonzero_scalar(G, drbg)
    c = dleq_challenge(G, h, v, w, pow(G.g, r, G.p), pow(h, r, G.p))
    return c, (r + c * k) % G.q


def dleq_verify(G, h, v, w, c, s):
    if not (G.valid(w) and 0 <= c < G.q and 0 <= s < G.q):
        return False
    a = pow(G.g, s, G.p) * pow(v, G.q - c, G.p) % G.p
    b = pow(h, s, G.p) * pow(w, G.q - c, G.p) % G.p
    return dleq_challenge(G, h, v, w, a, b) == c


def signature_challenge(G, y, r, message):
    data = Str(TAG_SIG) + G.params() + G.E(y) + G.E(r) + u64(len(message)) + message
    return sha256_int(data) % G.q


def schnorr_sign(G, drbg, x, y, message):
    """Returns (k, R, e, s, S(e) || S(s))."""
    k = nonzero_scalar(G, drbg)
    r = pow(G.g, k, G.p)
    e = signature_challenge(G, y, r, message)
    s = (k + e * x) % G.q
    return k, r, e, s, G.S(e) + G.S(s)


class MalformedSignature(Exception):
    pass


def schnorr_signature_verify(G, y, signature, message):
    """True / False for a well-formed signature; raises MalformedSignature for a bad length or a scalar >= q."""
    if len(signature) != 2 * G.sw:
        raise MalformedSignature("length")
    e = int.from_bytes(signature[:G.sw], "big")
    s = int.from_bytes(signature[G.sw:], "big")
    if not (0 <= e < G.q and 0 <= s < G.q):
        raise MalformedSignature("range")
    if not G.valid(y):
        raise ValueError("invalid public key")
    r = pow(G.g, s, G.p) * pow(y, G.q - e, G.p) % G.p
    return signature_challenge(G, y, r, message) == e


def lagrange_at_zero(q, indices):
    lambdas = []
    for i in indices:
        num, den = 1, 1
        for l in indices:
            if l != i:
                num = num * l % q
                den = den * (l - i) % q
        lambdas.append(num * pow(den, -1, q) % q)
    return lambdas


def combine_in_exponent(G, indices, values):
    acc = 1
    for lam, val in zip(lagrange_at_zero(G.q, indices), values):
        acc = acc * pow(val, lam, G.p) % G.p
    return acc


# ---------------------------------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------------------------------

TABLE = [
    # (id, t, n, session, round, offline, malicious, comment)
    (101, 1, 1, "session-1", 1, [], [], "1-of-1: a single authority holds k"),
    (102, 2, 3, "session-1", 1, [], [], "2-of-3, all honest"),
    (103, 3, 5, "fl-2026-11", 7, [], [2], "3-of-5, authority 2 sends a wrong share (bad DLEQ), dropped"),
    (104, 3, 5, "fl-2026-11", 8, [1], [4], "3-of-5, authority 1 offline and 4 malicious: n - t faulty, still admitted"),
    (105, 3, 5, "session-1", 2, [], [1, 5], "3-of-5, authorities 1 and 5 malicious"),
    (106, 4, 7, "s\u00e9ance-\u03b1", 3, [2], [6], "4-of-7, non-ASCII session id, one offline, one malicious"),
    (107, 3, 5, "session-1", 1, [1, 2], [3], "3-of-5 with only 2 good shares: notEnoughValidShares"),
    (108, 2, 2, "edge", (1 << 64) - 1, [], [], "2-of-2, the largest round number"),
]


def build_vector(G, entry):
    vid, t, n, session, rnd, offline, malicious, comment = entry
    seed = sha256(("secagg admission vector %d" % vid).encode())
    drbg = HmacDrbg(seed)
    k, shares, vks, Y = deal(G, drbg, t, n)
    digest = authority_set_digest(G, t, vks, Y)
    x = nonzero_scalar(G, drbg)
    y = pow(G.g, x, G.p)
    a, s, c = schnorr_prove(G, drbg, x, y, session, rnd, digest)
    assert schnorr_verify(G, y, a, s, session, rnd, digest)
    assert not schnorr_verify(G, y, a, s, session, rnd ^ 1, digest)
    h = hash_to_group(G, y, session, rnd)
    token_shares = []
    good = []
    for j in range(1, n + 1):
        if j in offline:
            continue
        w = pow(h, shares[j - 1], G.p)
        dc, ds = dleq_prove(G, drbg, shares[j - 1], h, vks[j - 1], w)
        if j in malicious:
            w = w * G.g % G.p
        ok = dleq_verify(G, h, vks[j - 1], w, dc, ds)
        assert ok == (j not in malicious)
        token_shares.append({"authority": j, "value": str(w), "challenge": str(dc), "response": str(ds),
                             "valid": ok})
        if ok:
            good.append((j, w))
    out = {
        "id": vid, "comment": comment, "seed": seed.hex(), "session": session, "round": str(rnd),
        "threshold": t, "authorities": n, "offline": offline, "malicious": malicious,
        "dealing": {"k": str(k), "shares": [str(v) for v in shares], "verificationKeys": [str(v) for v in vks],
                    "issuingPublicKey": str(Y), "authoritySetDigest": digest.hex()},
        "client": {"x": str(x), "y": str(y)},
        "proof": {"commitment": str(a), "response": str(s), "challenge": str(c)},
        "hashToGroup": str(h),
        "tokenShares": token_shares,
    }
    if len(good) >= t:
        used = good[:t]
        sigma = combine_in_exponent(G, [j for j, _ in used], [w for _, w in used])
        assert sigma == pow(h, k, G.p)
        out["token"] = {"value": str(sigma), "authorities": [j for j, _ in used]}
        out["expect"] = "admitted"
    else:
        out["expect"] = "notEnoughValidShares"
    return out


SIGNATURE_KEYS = [
    # (id, messages (bytes), comment)
    (201, [b"", b"abc", b"\x00", bytes(range(256)) * 2],
     "empty message, three ASCII bytes, one zero byte, 512 bytes"),
    (202, [b"SecAggKit", "s\u00e9ance-\u03b1".encode("utf-8")], "ASCII and UTF-8 messages"),
    (203, [b"\xff" * 33], "33 bytes of 0xff"),
]


def flip(data, byte, bit=0):
    out = bytearray(data)
    out[byte] ^= 1 << bit
    return bytes(out)


def build_signatures(G):
    keys = []
    signed = {}
    for kid, messages, comment in SIGNATURE_KEYS:
        seed = sha256(("secagg admission signature vector %d" % kid).encode())
        drbg = HmacDrbg(seed)
        x = nonzero_scalar(G, drbg)
        y = pow(G.g, x, G.p)
        entries = []
        for m in messages:
            k, r, e, s, sig = schnorr_sign(G, drbg, x, y, m)
            assert schnorr_signature_verify(G, y, sig, m)
            entries.append({"message": m.hex(), "nonce": str(k), "commitment": str(r), "challenge": str(e),
                            "response": str(s), "signature": sig.hex()})
            signed.setdefault(kid, []).append((m, sig))
        keys.append({"id": kid, "comment": comment, "seed": seed.hex(), "x": str(x), "y": str(y),
                     "signatures": entries})
    y201 = int(keys[0]["y"])
    y202 = int(keys[1]["y"])
    m0, sig0 = signed[201][1]          # "abc"
    m_empty, sig_empty = signed[201][0]
    e0, s0 = sig0[:G.sw], sig0[G.sw:]
    cases = [
        (301, "message with one bit flipped", y201, flip(m0, 0), sig0, "reject"),
        (302, "empty message signature checked against a one-byte zero message", y201, b"\x00", sig_empty, "reject"),
        (303, "challenge e with its lowest bit flipped", y201, m0, flip(sig0, G.sw - 1), "reject"),
        (304, "response s with its highest bit flipped (still below q)", y201, m0,
         e0 + flip(s0, 0, 6) if int.from_bytes(flip(s0, 0, 6), "big") < G.q else e0 + flip(s0, 1), "reject"),
        (305, "verified with another client's key", y202, m0, sig0, "reject"),
        (306, "e = 0, s = 0", y201, m0, G.S(0) + G.S(0), "reject"),
        (307, "s = q (out of range)", y201, m0, e0 + G.S(G.q), "malformed"),
        (308, "s = 2^256 - 1 (out of range)", y201, m0, e0 + b"\xff" * G.sw, "malformed"),
        (309, "e = q (out of range)", y201, m0, G.S(G.q) + s0, "malformed"),
        (310, "s + q: the same s mod q, but not reduced", y201, m0,
         e0 + G.S(int.from_bytes(s0, "big") + G.q) if int.from_bytes(s0, "big") + G.q < 1 << (8 * G.sw)
         else e0 + G.S(G.q + 1), "malformed"),
        (311, "63 bytes (truncated)", y201, m0, sig0[:-1], "malformed"),
        (312, "65 bytes (a trailing zero byte)", y201, m0, sig0 + b"\x00", "malformed"),
        (313, "empty signature", y201, m0, b"", "malformed"),
    ]
    invalid = []
    for cid, comment, y, m, sig, expect in cases:
        try:
            ok = schnorr_signature_verify(G, y, sig, m)
            outcome = "accept" if ok else "reject"
        except MalformedSignature:
            outcome = "malformed"
        assert outcome == expect, (cid, outcome)
        invalid.append({"id": cid, "comment": comment, "y": str(y), "message": m.hex(), "signature": sig.hex(),
                        "expect": expect})
    return {
        "scheme": "admission-signature",
        "version": 1,
        "generator": "Tools/gen_admission_vectors.py",
        "comment": "Schnorr signatures with admission keys (Specs/admission.md, Signatures), written by "
                   "Tools/gen_admission_vectors.py. Each key's DRBG (entropy = seed) draws x, then one nonce k "
                   "per message in order. Integers are decimal strings, byte strings lowercase hex.",
        "tag": TAG_SIG,
        "keys": keys,
        "invalid": invalid,
    }


def generate_all():
    d = derive_group()
    G = Group(d["p"], d["q"], d["g"])
    assert is_prime(G.q) and is_prime(G.p) and (G.p - 1) % G.q == 0
    assert G.p.bit_length() == L_BITS and G.q.bit_length() == N_BITS
    assert pow(G.g, G.q, G.p) == 1 and G.g != 1
    doc = {
        "scheme": "admission",
        "version": 1,
        "generator": "Tools/gen_admission_vectors.py",
        "comment": "Admission known answers (Specs/admission.md), written by Tools/gen_admission_vectors.py. "
                   "Integers are decimal strings, byte strings lowercase hex.",
        "group": {"p": str(G.p), "q": str(G.q), "g": str(G.g), "seedLabel": SEED_LABEL,
                  "seed": d["seed"].hex(), "seedIterations": d["seedIterations"], "counter": d["counter"],
                  "generatorIndex": d["generatorIndex"], "generatorCount": d["generatorCount"]},
        "vectors": [build_vector(G, e) for e in TABLE],
    }
    return {OUT_PATH: render(doc) + "\n", SIGNATURE_PATH: render(build_signatures(G)) + "\n"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and exit 1 if the committed file differs")
    args = parser.parse_args(argv)
    return write_or_check(generate_all(), check=args.check)


if __name__ == "__main__":
    sys.exit(main())
