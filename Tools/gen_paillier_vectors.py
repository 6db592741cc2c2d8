#!/usr/bin/env python3
"""Known-answer vectors for SecAggKit's Paillier encryption and threshold decryption.

An independent Python model of Specs/paillier.md, written from the formulas only (never calling
SecAggKit):

* key generation `prime(h)` / restart rule, classic encryption (r = random(below: n)), CRT decryption,
  the Damgard-Jurik-Nielsen fast encryption (x, h = -x^2, hs = h^n, alpha = random(bits: ceil(B/2))),
  homomorphic operations, the signed fixed-point encoding (max = floor(n/3) - 1, phe's max_int; see fp_max) and packed slots;
* Shoup / Damgard-Jurik threshold decryption with a trusted dealer: d, the polynomial over Z_{nm},
  v, verification keys, decryption shares, the Chaum-Pedersen proof with the Fiat-Shamir hash
  exactly as specified, and Lagrange combination with Delta = l!.

Randomness: HMAC_DRBG (SHA-256, entropy = seed, empty nonce and personalization) and the sampling
rules `random(bits:)` / `random(below:)`, imported from Tools/gen_vectors.py (HmacDrbg, Baillie-PSW
is_prime, the JSON renderer). The safe primes of the threshold vectors are found by a deterministic
search that is *not* normative (the Swift dealer takes p and q as input).

Usage:
    python3 Tools/gen_paillier_vectors.py          # (re)write Vectors/paillier/{paillier,threshold}.json
    python3 Tools/gen_paillier_vectors.py --check  # regenerate in memory; exit 1 if a committed file differs

Standard library only.
"""

import argparse
import hashlib
import itertools
import math
import os
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_vectors import HmacDrbg, drbg_self_test, is_prime, render, hash_below, _isqrt, write_or_check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAILLIER_PATH = os.path.join("Vectors", "paillier", "paillier.json")
THRESHOLD_PATH = os.path.join("Vectors", "paillier", "threshold.json")
GENERATOR = "Tools/gen_paillier_vectors.py"
DRBG_TEXT = ("HMAC_DRBG SHA-256; entropy=seed (hex-decoded), empty nonce and personalization; "
             "a request of n bytes is ceil(n/65536) Generate calls")
PROOF_DOMAIN = b"secagg/paillier/decryption-share/v1"


class SpecError(Exception):
    """A self-check of the generator failed: the vectors would be wrong, so abort."""


def check(condition, what):
    if not condition:
        raise SpecError(what)


def seed_for(label):
    return hashlib.sha256(label.encode("utf-8")).digest()


# ---------------------------------------------------------------------------------------------------
# Sampling (Specs/paillier.md "Notation"; Specs/secret-sharing.md "Randomness: the sampling rule")
# ---------------------------------------------------------------------------------------------------

def random_bits(drbg, k):
    """random(bits: k): ceil(k/8) bytes in one request, big-endian, low k bits kept."""
    raw = drbg.read((k + 7) // 8)
    return int.from_bytes(raw, "big") & ((1 << k) - 1)


def random_below(drbg, bound):
    """random(below: B): one request of ceil(|B-1|/8) bytes masked to |B-1| bits per draw; redraw while >= B."""
    check(bound >= 2, "random(below:) needs B >= 2")
    bits = (bound - 1).bit_length()
    while True:
        x = random_bits(drbg, bits)
        if x < bound:
            return x


def random_unit(drbg, n, bound=None):
    """random(below: bound) redrawn until x >= 1 and gcd(x, n) = 1 (bound defaults to n)."""
    bound = n if bound is None else bound
    while True:
        x = random_below(drbg, bound)
        if x >= 1 and math.gcd(x, n) == 1:
            return x


# ---------------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------------

def prime_h(drbg, k):
    """prime(k): x = random(bits: k) | 2^(k-1) | 2^(k-2) | 1 until x is a probable prime."""
    while True:
        x = random_bits(drbg, k) | (1 << (k - 1)) | (1 << (k - 2)) | 1
        if is_prime(x):
            return x


def keygen(drbg, bits):
    check(bits % 2 == 0 and 1024 <= bits <= 8192, "bad key size")
    h = bits // 2
    restarts = 0
    while True:
        p = prime_h(drbg, h)
        q = prime_h(drbg, h)
        if p != q and abs(p - q) >= (1 << (h - 100)) and math.gcd(p * q, (p - 1) * (q - 1)) == 1:
            n = p * q
            check(n.bit_length() == bits, "|pq| != B")
            return n, p, q, restarts
        restarts += 1


def is_perfect_power(n):
    if n < 4:
        return False
    for k in range(2, n.bit_length() + 1):
        if not is_prime(k):
            continue
        r = integer_root(n, k)
        if r ** k == n:
            return True
    return False


def integer_root(n, k):
    if k == 2:
        return _isqrt(n)
    lo, hi = 1, 1 << (n.bit_length() // k + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid ** k <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def validate_public(n):
    """Returns None if n is an acceptable public key, else the reason (Specs: validation on import)."""
    if n % 2 == 0:
        return "n is even"
    # Only the range: whether an imported n must also have an even bit length is not pinned by the spec
    # ("Imported keys must satisfy the same range"), so no vector depends on it.
    if not 1024 <= n.bit_length() <= 8192:
        return "|n| out of range"
    if is_prime(n):
        return "n is prime"
    if is_perfect_power(n):
        return "n is a perfect power"
    return None


def validate_private(n, p, q):
    reason = validate_public(n)
    if reason:
        return reason
    if p * q != n:
        return "p*q != n"
    if not (is_prime(p) and is_prime(q)):
        return "p or q not prime"
    if p == q:
        return "p == q"
    return None


class PrivateKey:
    def __init__(self, n, p, q):
        check(p * q == n, "p*q != n")
        self.n, self.p, self.q = n, p, q
        self.n2 = n * n
        self.p2, self.q2 = p * p, q * q
        g = n + 1
        self.hp = pow((pow(g, p - 1, self.p2) - 1) // p, -1, p)
        self.hq = pow((pow(g, q - 1, self.q2) - 1) // q, -1, q)
        self.q_inv_p = pow(q, -1, p)

    def decrypt(self, c):
        check(0 < c < self.n2 and math.gcd(c, self.n) == 1, "decrypt: invalid ciphertext")
        p, q = self.p, self.q
        mp = (pow(c, p - 1, self.p2) - 1) // p * self.hp % p
        mq = (pow(c, q - 1, self.q2) - 1) // q * self.hq % q
        m = (mq + q * ((mp - mq) * self.q_inv_p % p)) % self.n   # CRT
        # Cross-check with the textbook decryption m = L(c^lambda) * mu mod n.
        lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        mu = pow((pow(self.n + 1, lam, self.n2) - 1) // self.n, -1, self.n)
        check(m == (pow(c, lam, self.n2) - 1) // self.n * mu % self.n, "CRT decryption disagrees")
        return m


def encrypt_classic(drbg, n, m):
    check(0 <= m < n, "plaintext out of range")
    r = random_unit(drbg, n)
    n2 = n * n
    return (1 + m * n) * pow(r, n, n2) % n2


def fast_setup(drbg, n):
    x = random_unit(drbg, n)
    h = (-x * x) % n
    return pow(h, n, n * n)


def encrypt_fast(drbg, n, hs, m):
    check(0 <= m < n, "plaintext out of range")
    ell = (n.bit_length() + 1) // 2
    alpha = random_bits(drbg, ell)
    n2 = n * n
    return (1 + m * n) * pow(hs, alpha, n2) % n2


def valid_ciphertext(n, c):
    return 0 < c < n * n and math.gcd(c, n) == 1


# ---------------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------------

def fp_max(n):
    """The largest encodable magnitude. Specs/paillier.md says "max = floor(n/3) (phe's max_int)", but
    phe 1.5.0 sets max_int = n // 3 - 1 (phe/paillier.py, PaillierPublicKey.__init__), so the two
    readings differ by one at the edges. The vectors follow phe (the stated intent: interoperability);
    the spec wording needs the "- 1"."""
    return n // 3 - 1


def fp_encode(n, value_text, f):
    """Fixed point: x = Double(value_text); v = round(x * 2^f) (no ties occur in the vectors)."""
    x = float(value_text)
    check(math.isfinite(x), "non-finite value")
    scaled = Fraction(x) * (1 << f)
    v = round(scaled)
    check(scaled.denominator == 1 or abs(scaled - math.floor(scaled)) != Fraction(1, 2),
          "value %s at %d fraction bits is a rounding tie (avoid it: the rounding mode is not pinned)"
          % (value_text, f))
    check(abs(v) <= fp_max(n), "fixed-point value out of range")
    return v, v % n


def fp_decode(n, m):
    """Returns the signed mantissa, or None for overflow."""
    mx = fp_max(n)
    check(0 <= m < n, "decode: m out of range")
    if m <= mx:
        return m
    if m >= n - mx:
        return m - n
    return None


def packed_params(n, b, big_n):
    s = b + (big_n - 1).bit_length()     # b + ceil(log2 N)
    k = (n.bit_length() - 2) // s
    return s, k


def pack(n, s, values):
    return sum(v << (s * i) for i, v in enumerate(values)) % n


def unpack(n, s, k, m):
    big_m = m - n if m > n // 2 else m
    out = []
    for _ in range(k):
        r = big_m % (1 << s)
        d = r - (1 << s) if r >= (1 << (s - 1)) else r
        out.append(d)
        big_m = (big_m - d) >> s
    return out if big_m == 0 else None


# ---------------------------------------------------------------------------------------------------
# paillier.json
# ---------------------------------------------------------------------------------------------------

# (id, bits, seed label, comment)
PAILLIER_TABLE = [
    (1, 1024, "secagg paillier vector 1", "1024-bit key"),
    (2, 1024, "secagg paillier vector 2", "1024-bit key, second seed"),
    (3, 2048, "secagg paillier vector 3", "2048-bit key"),
]

FIXED_POINT_VALUES = [
    (32, "0"), (32, "-0"), (32, "1"), (32, "-2.5"), (32, "1.5"), (32, "-7"), (32, "0.1"),
    (32, "1e-6"), (32, "-1e-12"), (32, "123456.789"), (32, "-123456.789"), (32, "3.141592653589793"),
    (32, "1e290"), (32, "-1e290"),
    (0, "42"), (0, "-42"), (0, "9007199254740992"), (0, "-1e300"), (0, "1e300"),
    (16, "-0.333"), (16, "65535.99"), (64, "2.718281828459045"), (64, "-1e-9"),
]


def dec(x):
    return str(x)


def build_paillier_vector(vid, bits, label, comment):
    seed = seed_for(label)
    drbg = HmacDrbg(seed)
    n, p, q, restarts = keygen(drbg, bits)
    check(validate_private(n, p, q) is None, "generated key does not validate")
    key = PrivateKey(n, p, q)
    n2 = n * n
    if restarts:
        comment += "; keygen restarted %d time(s) in step 2" % restarts

    # classic encryption, DRBG continuing after keygen
    rnd = hash_below("secagg paillier plaintext %d" % vid, n)
    classic_m = [0, 1, 42, n - 1, rnd]
    classic = []
    for m in classic_m:
        c = encrypt_classic(drbg, n, m)
        check(valid_ciphertext(n, c) and key.decrypt(c) == m, "classic round trip")
        classic.append((m, c))

    # fast encryption: x, then one alpha per encryption
    hs = fast_setup(drbg, n)
    rnd2 = hash_below("secagg paillier fast plaintext %d" % vid, n)
    fast_m = [0, 7, n - 1, rnd2]
    fast = []
    for m in fast_m:
        c = encrypt_fast(drbg, n, hs, m)
        check(valid_ciphertext(n, c) and key.decrypt(c) == m, "fast round trip")
        fast.append((m, c))

    # homomorphic operations (pure functions of public values)
    homomorphic = []

    def hom(op, a, b, expected, expected_m, note):
        check(valid_ciphertext(n, expected), "homomorphic result not a ciphertext")
        check(key.decrypt(expected) == expected_m, "homomorphic %s (%s)" % (op, note))
        entry = {"op": op, "comment": note, "a": dec(a)}
        if b is not None:
            entry["b"] = dec(b)
        entry["expected"] = dec(expected)
        entry["expected_plaintext"] = dec(expected_m)
        homomorphic.append(entry)

    (m0, c0), (m1, c1), (m42, c42), (mneg, cneg), (mr, cr) = classic
    (f0, fc0), (f7, fc7), (fneg, fcneg), (fr, fcr) = fast
    hom("add", c42, cr, c42 * cr % n2, (m42 + mr) % n, "42 + random")
    hom("add", cneg, fc7, cneg * fc7 % n2, (mneg + f7) % n, "(n-1) + 7 wraps mod n (classic + fast)")
    hom("add", c0, fc0, c0 * fc0 % n2, 0, "0 + 0")
    for k, note in [(12345, "plaintext 12345"), (n - 1, "plaintext n-1 (i.e. -1)"), (0, "plaintext 0")]:
        hom("add_plaintext", c42, k, c42 * (1 + k * n) % n2, (m42 + k) % n, "42 + " + note)
    for ct, base_m, k, name in [(fcr, fr, 7, "7 (fast ciphertext)"), (c42, m42, -3, "-3"), (c42, m42, 0, "0"),
                                (c42, m42, 1, "1"), (c42, m42, -1, "-1"),
                                (c42, m42, (1 << 200) + 17, "2^200 + 17"), (c42, m42, n - 1, "n - 1"),
                                (cr, mr, n + 5, "n + 5 (a scalar >= n)"), (cr, mr, -(1 << 70), "-2^70")]:
        hom("mul_scalar", ct, k, pow(ct, k, n2), base_m * k % n, "scalar " + name)
    hom("negate", c42, None, pow(c42, -1, n2), (-m42) % n, "-42")
    hom("negate", fcr, None, pow(fcr, -1, n2), (-fr) % n, "-random (fast ciphertext)")

    # fixed point
    fixed = []
    mx = fp_max(n)
    for f, text in FIXED_POINT_VALUES:
        if abs(Fraction(float(text)) * (1 << f)) > mx:
            continue  # too large for this key (only happens for the 1e290 / 1e300 values)
        v, m = fp_encode(n, text, f)
        check(fp_decode(n, m) == v, "fixed-point decode")
        fixed.append({"fraction_bits": f, "value": text, "expected_plaintext": dec(m), "expected_mantissa": dec(v)})
    for m, note in [(mx, "max"), (n - mx, "n - max (i.e. -max)"), (0, "zero"), (n - 1, "n - 1 (i.e. -1)")]:
        fixed.append({"comment": "decode " + note, "plaintext": dec(m), "fraction_bits": 32,
                      "expected_mantissa": dec(fp_decode(n, m))})
    gap_random = mx + 1 + hash_below("secagg paillier overflow %d" % vid, n - 2 * mx - 1)
    for m, note in [(mx + 1, "max + 1"), (n - mx - 1, "n - max - 1"), (n // 2, "n / 2"),
                    (gap_random, "inside the gap")]:
        check(fp_decode(n, m) is None, "overflow case decodes")
        fixed.append({"comment": "decode " + note, "plaintext": dec(m), "fraction_bits": 32, "error": "overflow"})
        fixed.append({"comment": "decode " + note, "plaintext": dec(m), "fraction_bits": 0, "error": "overflow"})

    # packed
    packed = []
    cases = [(16, 10, "random", None), (8, 4, "min", None), (8, 4, "alternating", None),
             (32, 3, "random", None), (16, 10, "random", 2), (8, 1, "random", None)]
    for case_no, (b, big_n, style, count) in enumerate(cases):
        s, k = packed_params(n, b, big_n)
        if bits == 2048 and (b, big_n) == (16, 10):
            check((s, k) == (20, 102), "spec example s=20, k=102 at B=2048")
        lo, hi = -(1 << (b - 1)), (1 << (b - 1)) - 1
        summands = []
        for j in range(big_n if count is None else count):
            if style == "min":          # every slot sum is -N*2^(b-1) = -2^(s-1), the lower edge
                row = [lo] * k
            elif style == "alternating":
                row = [hi if (i + j) % 2 else lo for i in range(k)]
            else:
                row = [hash_below("secagg paillier packed %d %d %d %d" % (vid, case_no, j, i), 1 << b) + lo
                       for i in range(k)]
                if j == 0:
                    row[0], row[-1] = lo, hi
            summands.append(row)
        plaintexts = [pack(n, s, row) for row in summands]
        sums = [sum(col) for col in zip(*summands)]
        total = sum(plaintexts) % n
        check(unpack(n, s, k, total) == sums, "packed sum unpacks")
        for row, m in zip(summands, plaintexts):
            check(unpack(n, s, k, m) == row, "packed plaintext unpacks")
        packed.append({"value_bits": b, "max_summands": big_n, "expected_slot_bits": s, "expected_slots": k,
                       "summands": summands, "expected_plaintexts": [dec(m) for m in plaintexts],
                       "expected_sum_plaintext": dec(total), "expected_sum_slots": sums})

    # invalid ciphertexts
    invalid_ct = []
    for c, note in [(0, "zero"), (n2, "n^2"), (n2 + 1, "n^2 + 1"), (p * 12345 % n2, "a multiple of p"),
                    (q, "q itself"), (n, "n itself"), (2 * n, "2n"), (n2 - n, "n^2 - n")]:
        check(not valid_ciphertext(n, c), "invalid ciphertext is valid")
        invalid_ct.append({"comment": note, "c": dec(c), "error": "invalidCiphertext"})

    # invalid keys
    invalid_keys = []

    def bad_key(note, kn, kp=None, kq=None):
        reason = validate_public(kn) if kp is None else validate_private(kn, kp, kq)
        check(reason is not None, "invalid key validates: " + note)
        entry = {"comment": "%s (%s)" % (note, reason), "n": dec(kn)}
        if kp is not None:
            entry["p"], entry["q"] = dec(kp), dec(kq)
        entry["error"] = "invalidKey"
        invalid_keys.append(entry)

    bad_key("even n (n + 1)", n + 1)
    bad_key("even n with a private key", n + 1, p, q)
    prime_n = n + 2
    while not is_prime(prime_n):
        prime_n += 2
    check(prime_n.bit_length() == bits, "prime n size")
    bad_key("prime n (next prime above n)", prime_n)
    bad_key("perfect square p*p", p * p)
    bad_key("perfect square p*p as a private key with q = p", p * p, p, p)
    root = integer_root(n, 3)
    root -= 1 - root % 2
    check(validate_public(root ** 3) == "n is a perfect power", "cube")
    bad_key("perfect cube of an odd integer", root ** 3)
    bad_key("p*q != n (q + 2)", n, p, q + 2)
    bad_key("p = 1, q = n", n, 1, n)
    if bits - 1 < 1024:
        small = 3 * (1 << (bits // 2 - 3)) + 1
        while not is_prime(small):
            small += 2
        short_n = p * small
        check(short_n.bit_length() == bits - 1, "short n size")
        bad_key("n of %d bits" % (bits - 1), short_n)
        bad_key("n of %d bits with its private key" % (bits - 1), short_n, p, small)
    else:
        # n of 8194 bits: p times an odd cofactor (the range check rejects it before any primality test)
        cofactor = ((1 << 8193) // p + 1) | 1
        long_n = p * cofactor
        check(long_n.bit_length() == 8194, "long n size")
        bad_key("n of 8194 bits", long_n)

    return {
        "id": vid,
        "comment": comment,
        "seed": seed.hex(),
        "bits": bits,
        "expected_key": {"n": dec(n), "p": dec(p), "q": dec(q)},
        "classic": [{"plaintext": dec(m), "expected_ciphertext": dec(c)} for m, c in classic],
        "fast": {"expected_hs": dec(hs), "window": 6,
                 "encryptions": [{"plaintext": dec(m), "expected_ciphertext": dec(c)} for m, c in fast]},
        "homomorphic": homomorphic,
        "fixed_point": fixed,
        "packed": packed,
        "invalid_ciphertexts": invalid_ct,
        "invalid_keys": invalid_keys,
    }


def build_paillier():
    return {
        "scheme": "paillier",
        "version": 1,
        "generator": GENERATOR,
        "drbg": DRBG_TEXT,
        "conventions": {
            "numbers": "big integers are decimal strings (optionally with '-'); small parameters are JSON ints",
            "randomness": "one HMAC_DRBG(seed) per vector, consumed in this order: keygen (prime(B/2) for p, "
                          "then q, restarting per Specs/paillier.md), then one classic r per 'classic' entry "
                          "in order, then the fast-encryption setup x, then one alpha per 'fast' encryption",
            "homomorphic": "add: a*b; add_plaintext: a*(1+b*n) with b a plaintext in [0, n); mul_scalar: a^b "
                           "(b may be negative or >= n); negate: a^-1 (no 'b'); all mod n^2; "
                           "expected_plaintext = Dec(expected)",
            "fixed_point": "max = floor(n/3) - 1 (phe's max_int); entries with 'value': encode Double(value) with fraction_bits f, v = round(x*2^f) "
                           "(no ties), expected_plaintext = v mod n and expected_mantissa = v; entries with "
                           "'plaintext' and 'expected_mantissa': decode; entries with 'error': decoding "
                           "must throw overflow",
            "packed": "s = value_bits + ceil(log2 max_summands), k = floor((|n| - 2) / s); each summand row "
                      "packs to expected_plaintexts[j]; the sum of all expected_plaintexts mod n is "
                      "expected_sum_plaintext and unpacks to expected_sum_slots",
            "invalid_keys": "entries with p and q are private keys, the others public keys",
        },
        "vectors": [build_paillier_vector(*row) for row in PAILLIER_TABLE],
    }


# ---------------------------------------------------------------------------------------------------
# threshold.json
# ---------------------------------------------------------------------------------------------------

SIEVE_PRIMES = [q for q in range(3, 2000) if all(q % d for d in range(2, int(q ** 0.5) + 1))]
SIEVE_PRODUCT = math.prod(SIEVE_PRIMES)


def safe_prime(drbg, bits):
    """Not normative: candidates p' = random(bits: bits-1) | 2^(bits-2) | 1 until p' and 2p'+1 are prime."""
    kp = bits - 1
    candidates = 0
    while True:
        candidates += 1
        pp = random_bits(drbg, kp) | (1 << (kp - 1)) | 1
        big = 2 * pp + 1
        if math.gcd(pp, SIEVE_PRODUCT) != 1 or math.gcd(big, SIEVE_PRODUCT) != 1:
            continue
        if pow(2, pp - 1, pp) != 1 or pow(2, big - 1, big) != 1:
            continue
        if is_prime(pp) and is_prime(big):
            check(big.bit_length() == bits, "safe prime size")
            return big, candidates


def lagrange_delta(indices, i, delta):
    num, den = delta, 1
    for j in indices:
        if j != i:
            num *= j
            den *= j - i
    check(num % den == 0, "lambda not an integer")
    return num // den


def fs_hash(n, i, c4, ci2, v, vi, a, b):
    width = ((n * n).bit_length() + 7) // 8
    data = PROOF_DOMAIN + i.to_bytes(4, "big")
    for x in (n, c4, ci2, v, vi, a, b):
        data += x.to_bytes(width, "big")
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


class ThresholdKey:
    def __init__(self, p, q, t, parties, deal_seed):
        check(is_prime(p) and is_prime(q) and is_prime(p // 2) and is_prime(q // 2), "safe primes")
        self.p, self.q, self.t, self.ell = p, q, t, parties
        n = p * q
        m = (p // 2) * (q // 2)
        self.n, self.n2, self.m = n, n * n, m
        self.delta = math.factorial(parties)
        d = m * pow(m, -1, n)
        check(d % m == 0 and d % n == 1, "d")
        self.d = d
        drbg = HmacDrbg(deal_seed)
        nm = n * m
        coeffs = [d] + [random_below(drbg, nm) for _ in range(1, t)]
        self.coeffs = coeffs
        self.shares = {}
        for i in range(1, parties + 1):
            acc = 0
            for a in reversed(coeffs):
                acc = (acc * i + a) % nm
            self.shares[i] = acc
        r = random_unit(drbg, n, bound=n * n)
        self.v = r * r % self.n2
        self.vks = {i: pow(self.v, self.delta * s, self.n2) for i, s in self.shares.items()}

    def share(self, c, i, proof_drbg):
        n2 = self.n2
        s = self.shares[i]
        ci = pow(c, 2 * self.delta * s, n2)
        r = random_bits(proof_drbg, n2.bit_length() + 2 * 256)
        c4 = pow(c, 4, n2)
        a = pow(c4, r, n2)
        b = pow(self.v, r, n2)
        e = fs_hash(self.n, i, c4, ci * ci % n2, self.v, self.vks[i], a, b)
        z = r + e * self.delta * s
        return {"index": i, "c_i": ci, "a": a, "b": b, "e": e, "z": z}

    def verify(self, c, sh):
        """Returns None if the share verifies for ciphertext c, else the reason."""
        n, n2 = self.n, self.n2
        i = sh["index"]
        if not 1 <= i <= self.ell:
            return "index out of range"
        if not valid_ciphertext(n, c):
            return "invalid ciphertext"
        for name in ("c_i", "a", "b"):
            if not valid_ciphertext(n, sh[name]):
                return name + " not in Z*_{n^2}"
        z = sh["z"]
        if not 0 <= z < (1 << (n2.bit_length() + 2 * 256 + self.delta.bit_length() + 1)):
            return "z out of range"
        c4 = pow(c, 4, n2)
        ci2 = sh["c_i"] * sh["c_i"] % n2
        e = fs_hash(n, i, c4, ci2, self.v, self.vks[i], sh["a"], sh["b"])
        if pow(c4, z, n2) != sh["a"] * pow(ci2, e, n2) % n2:
            return "proof equation 1 fails"
        if pow(self.v, z, n2) != sh["b"] * pow(self.vks[i], e, n2) % n2:
            return "proof equation 2 fails"
        return None

    def combine(self, c, shares, verified=()):
        """Raises SpecError naming the bad index; returns the plaintext. Shares whose id() is in
        `verified` were verified for c already (a speed-up of the self-checks only)."""
        seen = set()
        for sh in shares:
            i = sh["index"]
            if i in seen:
                raise SpecError("invalidDecryptionShare(%d): duplicate" % i)
            seen.add(i)
            reason = None if id(sh) in verified else self.verify(c, sh)
            if reason:
                raise SpecError("invalidDecryptionShare(%d): %s" % (i, reason))
        check(len(shares) >= self.t, "not enough shares")
        n, n2 = self.n, self.n2
        idx = [sh["index"] for sh in shares]
        acc = 1
        for sh in shares:
            lam = lagrange_delta(idx, sh["index"], self.delta)
            acc = acc * pow(sh["c_i"], 2 * lam, n2) % n2
        check((acc - 1) % n == 0, "combined value not 1 mod n")
        return (acc - 1) // n * pow(4 * self.delta * self.delta, -1, n) % n


# (id, t, parties, seed label, comment)
THRESHOLD_TABLE = [
    (1, 2, 3, "secagg paillier threshold 1", "2-of-3, 1024-bit n from 512-bit safe primes"),
    (2, 3, 5, "secagg paillier threshold 2", "3-of-5, 1024-bit n from 512-bit safe primes"),
]


def share_json(sh):
    return {"index": sh["index"], "c_i": dec(sh["c_i"]),
            "proof": {"a": dec(sh["a"]), "b": dec(sh["b"]), "e": dec(sh["e"]), "z": dec(sh["z"])}}


def build_threshold_vector(vid, t, parties, label, comment):
    seed = seed_for(label)
    deal_seed = seed_for(label + " deal")
    proof_seed = seed_for(label + " proof")
    encrypt_seed = seed_for(label + " encrypt")
    drbg = HmacDrbg(seed)
    p, cand_p = safe_prime(drbg, 512)
    while True:
        q, cand_q = safe_prime(drbg, 512)
        if q != p:
            break
    key = ThresholdKey(p, q, t, parties, deal_seed)
    n, n2 = key.n, key.n2
    check(n.bit_length() == 1024, "threshold n size")
    plain = PrivateKey(n, p, q)

    enc_drbg = HmacDrbg(encrypt_seed)
    proof_drbg = HmacDrbg(proof_seed)
    plaintexts = [42, n - 1, hash_below("secagg paillier threshold plaintext %d" % vid, n)]
    decryptions = []
    all_shares = []
    cts = []
    for m in plaintexts:
        c = encrypt_classic(enc_drbg, n, m)
        check(plain.decrypt(c) == m, "threshold ciphertext")
        shares = [key.share(c, i, proof_drbg) for i in range(1, parties + 1)]
        for sh in shares:
            check(key.verify(c, sh) is None, "valid proof does not verify")
        verified = {id(sh) for sh in shares}
        combos = []
        for subset in itertools.combinations(range(1, parties + 1), t):
            got = key.combine(c, [shares[i - 1] for i in subset], verified)
            check(got == m, "combination %s gives %d != %d" % (subset, got, m))
            combos.append(list(subset))
        extra = [[parties, 1] + list(range(2, t)), list(range(1, parties + 1))]
        for subset in extra:
            got = key.combine(c, [shares[i - 1] for i in subset], verified)
            check(got == m, "combination %s" % subset)
            if subset not in combos:
                combos.append(subset)
        cts.append(c)
        all_shares.append(shares)
        decryptions.append({"ciphertext": dec(c), "plaintext": dec(m),
                            "shares": [share_json(sh) for sh in shares],
                            "combinations": [{"indices": s, "plaintext": dec(m)} for s in combos],
                            "bad_shares": []})

    # bad shares, for the first ciphertext
    c = cts[0]
    shares = all_shares[0]
    others = list(range(1, t))          # valid indices to combine with (t-1 of them)
    bad_i = t                           # the index the bad share claims
    base = shares[bad_i - 1]
    bound_bits = n2.bit_length() + 2 * 256 + key.delta.bit_length() + 1
    bad = []

    def add_bad(note, sh, combine_with, expect_verify_fail=True):
        if expect_verify_fail:
            reason = key.verify(c, sh)
            check(reason is not None, "bad share verifies: " + note)
            note += " (%s)" % reason
        combo = [shares[i - 1] for i in combine_with] + [sh]
        try:
            key.combine(c, combo, {id(x) for x in shares})
        except SpecError as err:
            check(str(err).startswith("invalidDecryptionShare(%d)" % sh["index"]), "bad share error: %s" % err)
        else:
            raise SpecError("bad share combined: " + note)
        bad.append({"comment": note, "combine_with": combine_with, "share": share_json(sh),
                    "error": "invalidDecryptionShare", "index": sh["index"]})

    add_bad("c_i multiplied by v", dict(base, c_i=base["c_i"] * key.v % n2), others)
    add_bad("z + 1", dict(base, z=base["z"] + 1), others)
    add_bad("duplicate index (an exact copy of a valid share already given)", dict(shares[0]),
            others if t > 1 else [1], expect_verify_fail=False)
    add_bad("a valid share of another ciphertext (the second decryption)", dict(all_shares[1][bad_i - 1]), others)
    big_z = base["z"] + key.m * n * (1 << (bound_bits - (key.m * n).bit_length() + 1))
    check(big_z >= 1 << bound_bits, "big z")
    check(pow(pow(c, 4, n2), big_z, n2) == pow(pow(c, 4, n2), base["z"], n2), "big z equation")
    add_bad("z + k*n*m above the bound 2^(|n^2|+512+|Delta|+1) (the equations still hold)",
            dict(base, z=big_z), others)
    neg_z = base["z"] - key.m * n * ((base["z"] // (key.m * n)) + 1)
    check(neg_z < 0, "negative z")
    add_bad("negative z = z - k*n*m (the equations still hold)", dict(base, z=neg_z), others)
    add_bad("index %d out of range (copy of share %d)" % (parties + 1, bad_i),
            dict(base, index=parties + 1), others)
    add_bad("index 0 (copy of share %d)" % bad_i, dict(base, index=0), others)
    add_bad("share %d relabelled as index %d" % (bad_i, parties), dict(base, index=parties),
            [i for i in others if i != parties])
    add_bad("c_i = 0", dict(base, c_i=0), others)
    decryptions[0]["bad_shares"] = bad

    return {
        "id": vid,
        "comment": comment + "; safe primes found after %d and %d candidates (search not normative)"
                   % (cand_p, cand_q),
        "seed": seed.hex(),
        "deal_seed": deal_seed.hex(),
        "encrypt_seed": encrypt_seed.hex(),
        "proof_seed": proof_seed.hex(),
        "p": dec(p),
        "q": dec(q),
        "threshold": t,
        "parties": parties,
        "expected": {
            "n": dec(n),
            "delta": dec(key.delta),
            "d": dec(key.d),
            "coefficients": [dec(a) for a in key.coeffs[1:]],
            "shares": [{"index": i, "s": dec(s)} for i, s in sorted(key.shares.items())],
            "v": dec(key.v),
            "verification_keys": [dec(key.vks[i]) for i in range(1, parties + 1)],
        },
        "decryptions": decryptions,
    }


def build_threshold():
    return {
        "scheme": "paillier-threshold",
        "version": 1,
        "generator": GENERATOR,
        "drbg": DRBG_TEXT,
        "conventions": {
            "numbers": "big integers are decimal strings (optionally with '-'); indices and sizes are JSON ints",
            "safe_primes": "p and q come from a search seeded with 'seed' that is not normative; the dealer "
                           "takes them as input",
            "dealing": "HMAC_DRBG(deal_seed): a_1 .. a_{t-1} = random(below: n*m) in order, then "
                       "r = random(below: n^2) until gcd(r, n) = 1, v = r^2 mod n^2; 'coefficients' are a_1 .. "
                       "a_{t-1}; verification_keys[i-1] = v^(Delta*s_i) mod n^2",
            "ciphertexts": "HMAC_DRBG(encrypt_seed): classic encryption of each decryption's plaintext in order",
            "proofs": "HMAC_DRBG(proof_seed): for each decryption in order, for each index 1 .. parties in order, "
                      "r = random(bits: |n^2| + 512); e is recorded for checking the hash input",
            "combinations": "combining the listed shares (in the order listed) gives the plaintext",
            "bad_shares": "combining the valid shares of the indices in combine_with (in order) followed by "
                          "'share' must throw invalidDecryptionShare(index); except for the duplicate case the "
                          "share alone must also fail verification for this ciphertext",
        },
        "vectors": [build_threshold_vector(*row) for row in THRESHOLD_TABLE],
    }


# ---------------------------------------------------------------------------------------------------

def generate_all():
    drbg_self_test()
    # Sampling sanity: random(bits:) is one request of ceil(k/8) bytes.
    a, b = HmacDrbg(bytes(32)), HmacDrbg(bytes(32))
    check(random_bits(a, 13) == int.from_bytes(b.read(2), "big") & 0x1FFF, "random(bits:)")
    return {
        PAILLIER_PATH: render(build_paillier()) + "\n",
        THRESHOLD_PATH: render(build_threshold()) + "\n",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and exit 1 if the committed files differ")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        files = generate_all()
    except SpecError as err:
        print("gen_paillier_vectors: self-check FAILED: %s" % err, file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    return write_or_check(files, check=args.check, note=" (%.1f s)" % elapsed)


if __name__ == "__main__":
    sys.exit(main())
