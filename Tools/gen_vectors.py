#!/usr/bin/env python3
"""Known-answer vectors for SecAggKit's Shamir sharing and Feldman VSS.

This is an independent Python model of Specs/secret-sharing.md, written from the formulas only:

* HMAC_DRBG (NIST SP 800-90A Rev. 1, SHA-256) on top of hashlib/hmac, self-tested against NIST CAVP
  known answers before anything is generated;
* the normative sampling rule `randomElements` (masking, bulk request, then per-element resampling);
* Shamir t-of-n split over a prime field (vector form) and Lagrange combine at x = 0;
* Feldman deal / verify in a prime-order subgroup of Z*_p.

Usage:
    python3 Tools/gen_vectors.py          # (re)write Vectors/shamir/shamir.json and Vectors/feldman/feldman.json
    python3 Tools/gen_vectors.py --check  # regenerate in memory; exit 1 if a committed file differs

Standard library only. Primality is decided by a Baillie-PSW test (Miller-Rabin to fixed small-prime
bases plus a strong Lucas test) implemented below, so the output never depends on a third-party package.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAMIR_PATH = os.path.join("Vectors", "shamir", "shamir.json")
FELDMAN_PATH = os.path.join("Vectors", "feldman", "feldman.json")

MERSENNE61 = (1 << 61) - 1


# ---------------------------------------------------------------------------------------------------
# HMAC_DRBG, SP 800-90A Rev. 1 section 10.1.2, SHA-256, no prediction resistance, no reseeding needed.
# ---------------------------------------------------------------------------------------------------

class HmacDrbg:
    """HMAC_DRBG with SHA-256. Instantiate: seed_material = entropy || nonce || personalization."""

    MAX_BYTES_PER_GENERATE = 1 << 16  # 2^19 bits, the standard's max_number_of_bits_per_request

    def __init__(self, entropy, nonce=b"", personalization=b""):
        self._key = bytes(32)          # Key = 0x00 00 ... 00
        self._v = b"\x01" * 32         # V   = 0x01 01 ... 01
        self._update(bytes(entropy) + bytes(nonce) + bytes(personalization))
        self.reseed_counter = 1
        self.generate_calls = 0

    def _mac(self, data):
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def _update(self, provided):
        # HMAC_DRBG_Update (10.1.2.2)
        self._key = self._mac(self._v + b"\x00" + provided)
        self._v = self._mac(self._v)
        if provided:
            self._key = self._mac(self._v + b"\x01" + provided)
            self._v = self._mac(self._v)

    def generate(self, nbytes, additional=b""):
        """One HMAC_DRBG_Generate call (10.1.2.5)."""
        if not 0 <= nbytes <= self.MAX_BYTES_PER_GENERATE:
            raise ValueError("HMAC_DRBG request larger than 65536 bytes")
        if additional:
            self._update(additional)
        out = bytearray()
        while len(out) < nbytes:
            self._v = self._mac(self._v)
            out += self._v
        self._update(additional)
        self.reseed_counter += 1
        self.generate_calls += 1
        return bytes(out[:nbytes])

    def read(self, nbytes):
        """The spec's request: ceil(n / 65536) consecutive Generate calls, concatenated."""
        out = bytearray()
        remaining = nbytes
        while remaining > 0:
            chunk = min(remaining, self.MAX_BYTES_PER_GENERATE)
            out += self.generate(chunk)
            remaining -= chunk
        return bytes(out)


# NIST CAVP (CAVS 14.3) HMAC_DRBG.rsp, [SHA-256], PredictionResistance = False, no reseed,
# EntropyInputLen = 256, NonceLen = 128, AdditionalInputLen = 0, ReturnedBitsLen = 1024:
# Instantiate(entropy, nonce, personalization); Generate(128 bytes) discarded; Generate(128) returned.
CAVP_HMAC_DRBG_SHA256 = [
    {
        "name": "PersonalizationStringLen = 0, COUNT = 0",
        "entropy": "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488",
        "nonce": "659ba96c601dc69fc902940805ec0ca8",
        "personalization": "",
        "returned": "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89"
                    "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1"
                    "07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668"
                    "961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
    },
    {
        "name": "PersonalizationStringLen = 0, COUNT = 1",
        "entropy": "79737479ba4e7642a221fcfd1b820b134e9e3540a35bb48ffae29c20f5418ea3",
        "nonce": "3593259c092bef4129bc2c6c9e19f343",
        "personalization": "",
        "returned": "cf5ad5984f9e43917aa9087380dac46e410ddc8a7731859c84e9d0f31bd43655"
                    "b924159413e2293b17610f211e09f770f172b8fb693a35b85d3b9e5e63b1dc25"
                    "2ac0e115002e9bedfb4b5b6fd43f33b8e0eafb2d072e1a6fee1f159df9b51e6c"
                    "8da737e60d5032dd30544ec51558c6f080bdbdab1de8a939e961e06b5f1aca37",
    },
    {
        "name": "PersonalizationStringLen = 256, COUNT = 0",
        "entropy": "5cacc68165a2e2ee20812f35ec73a79dbf30fd475476ac0c44fc6174cdac2b55",
        "nonce": "6f885496c1e63af620becd9e71ecb824",
        "personalization": "e72dd8590d4ed5295515c35ed6199e9d211b8f069b3058caa6670b96ef1208d0",
        "returned": "f1012cf543f94533df27fedfbf58e5b79a3dc517a9c402bdbfc9a0c0f721f9d5"
                    "3faf4aafdc4b8f7a1b580fcaa52338d4bd95f58966a243cdcd3f446ed4bc546d"
                    "9f607b190dd69954450d16cd0e2d6437067d8b44d19a6af7a7cfa8794e5fbd72"
                    "8e8fb2f2e8db5dd4ff1aa275f35886098e80ff844886060da8b1e7137846b23b",
    },
    {
        "name": "PersonalizationStringLen = 256, COUNT = 1",
        "entropy": "8df013b4d103523073917ddf6a869793059e9943fc8654549e7ab22f7c29f122",
        "nonce": "da2625af2ddd4abcce3cf4fa4659d84e",
        "personalization": "b571e66d7c338bc07b76ad3757bb2f9452bf7e07437ae8581ce7bc7c3ac651a9",
        "returned": "b91cba4cc84fa25df8610b81b641402768a2097234932e37d590b1154cbd23f9"
                    "7452e310e291c45146147f0da2d81761fe90fba64f94419c0f662b28c1ed94da"
                    "487bb7e73eec798fbcf981b791d1be4f177a8907aa3c401643a5b62b87b89d66"
                    "b3a60e40d4a8e4e9d82af6d2700e6f535cdb51f75c321729103741030ccc3a56",
    },
]


def drbg_self_test():
    """Raises SystemExit if the DRBG disagrees with a CAVP known answer."""
    for kat in CAVP_HMAC_DRBG_SHA256:
        drbg = HmacDrbg(bytes.fromhex(kat["entropy"]), bytes.fromhex(kat["nonce"]),
                        bytes.fromhex(kat["personalization"]))
        drbg.generate(128)
        got = drbg.generate(128).hex()
        if got != kat["returned"]:
            sys.exit("HMAC_DRBG self-test FAILED (%s):\n got  %s\n want %s" % (kat["name"], got, kat["returned"]))
    # The split into <= 65536-byte Generate calls must differ from one long HMAC chain: a sanity check
    # that read() really inserts the Update step between chunks.
    a = HmacDrbg(bytes(32)).read(65537)
    raw = bytearray()
    v_chain = HmacDrbg(bytes(32))
    while len(raw) < 65537:  # one unbounded chain (what a non-conforming implementation would do)
        v_chain._v = v_chain._mac(v_chain._v)
        raw += v_chain._v
    if a[:65536] != bytes(raw[:65536]) or a[65536:] == bytes(raw[65536:65537]):
        sys.exit("HMAC_DRBG chunking self-test FAILED")


# ---------------------------------------------------------------------------------------------------
# Primality: Baillie-PSW (strong base-2 Miller-Rabin + extra fixed bases + strong Lucas, Selfridge A).
# ---------------------------------------------------------------------------------------------------

SMALL_PRIMES = [q for q in range(2, 1000) if all(q % d for d in range(2, int(q ** 0.5) + 1))]


def _miller_rabin(n, base):
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    x = pow(base, d, n)
    if x == 1 or x == n - 1:
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


def _jacobi(a, n):
    a %= n
    result = 1
    while a:
        while a % 2 == 0:
            a //= 2
            if n % 8 in (3, 5):
                result = -result
        a, n = n, a
        if a % 4 == 3 and n % 4 == 3:
            result = -result
        a %= n
    return result if n == 1 else 0


def _is_square(n):
    r = _isqrt(n)
    return r * r == n


def _isqrt(n):
    if n < 2:
        return n
    x = 1 << ((n.bit_length() + 1) // 2)
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x
        x = y


def _strong_lucas(n):
    if _is_square(n):
        return False
    d_param = 5
    while True:
        j = _jacobi(d_param, n)
        if j == -1:
            break
        if j == 0 and abs(d_param) != n:
            return False
        d_param = -d_param - 2 if d_param > 0 else -d_param + 2
    p_param, q_param = 1, (1 - d_param) // 4
    d, s = n + 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1

    def half(x):
        if x % 2:
            x += n
        return (x // 2) % n

    u, v, qk = 1, p_param % n, q_param % n   # U_1, V_1, Q^1
    for bit in bin(d)[3:]:
        u, v, qk = u * v % n, (v * v - 2 * qk) % n, qk * qk % n          # index doubles
        if bit == "1":                                                    # index + 1
            u, v = half(p_param * u + v), half(d_param * u + p_param * v)
            qk = qk * q_param % n
    if u == 0 or v == 0:
        return True
    for _ in range(s - 1):
        v = (v * v - 2 * qk) % n
        qk = qk * qk % n
        if v == 0:
            return True
    return False


def is_prime(n):
    if n < 2:
        return False
    for q in SMALL_PRIMES:
        if n % q == 0:
            return n == q
    if n < 1000 * 1000:
        return True
    for base in SMALL_PRIMES[:12]:
        if not _miller_rabin(n, base):
            return False
    return _strong_lucas(n)


def next_prime(n):
    n = max(n, 2)
    if n > 2 and n % 2 == 0:
        n += 1
    while not is_prime(n):
        n += 1 if n == 2 else 2
    return n


# ---------------------------------------------------------------------------------------------------
# The sampling rule and the schemes, straight from Specs/secret-sharing.md.
# ---------------------------------------------------------------------------------------------------

def random_elements(drbg, count, bound, stats=None):
    """randomElements(count:) below `bound` (normative rule)."""
    if bound < 2 or count < 1:
        raise ValueError("bad randomElements arguments")
    bits = (bound - 1).bit_length()
    width = (bits + 7) // 8
    mask = (1 << bits) - 1
    block = drbg.read(count * width)
    values = []
    rejected = []
    for i in range(count):
        x = int.from_bytes(block[i * width:(i + 1) * width], "big") & mask
        values.append(x)
        if x >= bound:
            rejected.append(i)
    redraws = 0
    for i in rejected:
        while True:
            redraws += 1
            x = int.from_bytes(drbg.read(width), "big") & mask
            if x < bound:
                values[i] = x
                break
    if stats is not None:
        stats["rejected_elements"] = stats.get("rejected_elements", 0) + len(rejected)
        stats["redraw_requests"] = stats.get("redraw_requests", 0) + redraws
    return values


def field_modulus(field):
    return MERSENNE61 if field == "mersenne61" else int(field)


def shamir_split(seed, p, t, n, secrets, stats=None):
    """Returns {index: [y_{i,0} .. y_{i,m-1}]} for i = 1..n."""
    m = len(secrets)
    drbg = HmacDrbg(seed)
    rows = [list(secrets)]
    for _ in range(1, t):
        rows.append(random_elements(drbg, m, p, stats))
    shares = {}
    for i in range(1, n + 1):
        ys = []
        for j in range(m):
            acc = 0
            for k in range(t - 1, -1, -1):       # Horner, highest coefficient first
                acc = (acc * i + rows[k][j]) % p
            ys.append(acc)
        shares[i] = ys
    if stats is not None:
        stats["drbg_generate_calls"] = drbg.generate_calls
    return shares


class CombineError(Exception):
    def __init__(self, name):
        Exception.__init__(self, name)
        self.name = name


def shamir_combine(p, t, shares):
    """shares: list of (index, values) in the given order. Raises CombineError(name)."""
    if len(shares) < t:
        raise CombineError("notEnoughShares")
    seen = set()
    for index, _ in shares:
        if index == 0:
            raise CombineError("shareIndexZero")
        if index in seen:
            raise CombineError("duplicateShareIndex")
        seen.add(index)
    length = len(shares[0][1])
    for _, values in shares:
        if len(values) != length:
            raise CombineError("vectorLengthMismatch")
    for _, values in shares:
        for y in values:
            if not 0 <= y < p:
                raise CombineError("valueOutOfRange")
    used = shares[:t]
    xs = [x for x, _ in used]
    lambdas = []
    for x_i in xs:
        num, den = 1, 1
        for x_l in xs:
            if x_l != x_i:
                num = num * x_l % p
                den = den * (x_l - x_i) % p
        lambdas.append(num * pow(den, -1, p) % p)
    return [sum(lam * values[j] for lam, (_, values) in zip(lambdas, used)) % p for j in range(length)]


def feldman_validate(p, q, g):
    """The five group checks, as a list of failed check names (empty = valid)."""
    failed = []
    if not is_prime(p):
        failed.append("p not prime")
    if not is_prime(q):
        failed.append("q not prime")
    if q == 0 or (p - 1) % q != 0:
        failed.append("q does not divide p-1")
    if not 1 < g < p:
        failed.append("g not in (1, p)")
    if p < 2 or pow(g, q, p) != 1:
        failed.append("g^q != 1 mod p")
    return failed


def feldman_deal(seed, p, q, g, t, n, secret, stats=None):
    drbg = HmacDrbg(seed)
    coefficients = [secret]
    for _ in range(1, t):
        coefficients.append(random_elements(drbg, 1, q, stats)[0])
    shares = {}
    for i in range(1, n + 1):
        acc = 0
        for a in reversed(coefficients):
            acc = (acc * i + a) % q
        shares[i] = acc
    commitments = [pow(g, a, p) for a in coefficients]
    return shares, commitments


def feldman_verify(p, q, g, commitments, index, value):
    for c in commitments:
        if not (1 <= c < p and pow(c, q, p) == 1):
            return False
    rhs = 1
    for k, c in enumerate(commitments):
        rhs = rhs * pow(c, pow(index, k, q), p) % p
    return pow(g, value, p) == rhs


# ---------------------------------------------------------------------------------------------------
# Deterministic helpers for picking secrets and subsets (not part of the spec, only of this file).
# ---------------------------------------------------------------------------------------------------

def sha256_int(text):
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def vector_seed(vector_id):
    return hashlib.sha256(("secagg vector %d" % vector_id).encode()).digest()


def hash_below(label, bound):
    """A value in [0, bound) from SHA-256 blocks of `label` (wide enough that the bias is negligible)."""
    need = bound.bit_length() + 64
    acc, counter = 0, 0
    while counter * 256 < need:
        acc = (acc << 256) | sha256_int("%s #%d" % (label, counter))
        counter += 1
    return acc % bound


def shuffled(items, label):
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = hash_below("%s shuffle %d" % (label, i), i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def dec(x):
    return str(x)


# ---------------------------------------------------------------------------------------------------
# Shamir vectors
# ---------------------------------------------------------------------------------------------------

P127 = (1 << 127) - 1
P25519 = (1 << 255) - 19
SECP256K1_N = int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16)
P64_PLUS = None  # smallest prime > 2^64, computed (and checked) at run time

# (id, field, t, n, m, edges, invalid-case kinds, comment)
#   edges: secrets to pin at the start of the vector ("0", "p-1", "1")
SHAMIR_TABLE = [
    (1, "mersenne61", 1, 1, 1, [], ["notEnough", "valueP"],
     "mersenne61, t=1 n=1: no coefficient rows are drawn, the single share equals the secret"),
    (2, "mersenne61", 1, 3, 3, ["0", "p-1"], ["notEnough", "lengthPlus", "valueMax64"],
     "mersenne61, t=1 n=3, m=3 with 0 and p-1: every share equals the secrets"),
    (3, "mersenne61", 2, 2, 1, ["p-1"], ["notEnough", "duplicate", "zero"],
     "mersenne61, t=n=2, single secret p-1"),
    (4, "mersenne61", 3, 5, 1, ["0"], ["duplicate", "valueP", "zero"],
     "mersenne61, t=3 n=5, single secret 0"),
    (5, "mersenne61", 3, 5, 3, ["0", "p-1", "1"], ["notEnough", "lengthMinus", "duplicateTampered"],
     "mersenne61, t=3 n=5, m=3 secrets 0, p-1, 1"),
    (6, "mersenne61", 3, 5, 64, ["0", "p-1"], ["zero", "valueMax64", "lengthPlus"],
     "mersenne61, t=3 n=5, m=64 (first two secrets 0 and p-1)"),
    (7, "mersenne61", 6, 10, 3, [], ["notEnough", "duplicate", "valueP"],
     "mersenne61, t=6 n=10, m=3"),
    (8, "mersenne61", 6, 10, 64, ["p-1", "0"], ["zero", "lengthMinus", "valueLate"],
     "mersenne61, t=6 n=10, m=64 (first two secrets p-1 and 0)"),
    (9, "mersenne61", 2, 2, 64, [], ["lengthPlus", "valueP"],
     "mersenne61, t=n=2, m=64"),
    (10, "mersenne61", 10, 10, 1, [], ["notEnough", "zero"],
     "mersenne61, t=n=10, single secret"),
    (11, "2305843009213693951", 3, 5, 3, ["0", "p-1"], ["duplicate", "valueP"],
     "the Mersenne prime 2^61-1 given as a decimal field: the generic prime-field path must give "
     "exactly the shares of the mersenne61 path with the same seed and parameters"),
    (12, dec(P127), 2, 3, 1, [], ["notEnough", "valueP"],
     "127-bit prime field 2^127-1, t=2 n=3, single secret"),
    (13, dec(P127), 3, 5, 3, ["0", "p-1"], ["zero", "lengthMinus"],
     "127-bit prime field 2^127-1, t=3 n=5, m=3 with 0 and p-1"),
    (14, dec(SECP256K1_N), 4, 7, 1, [], ["duplicate", "valueP"],
     "256-bit prime field: the secp256k1 group order, t=4 n=7, single secret"),
    (15, dec(SECP256K1_N), 6, 10, 8, ["p-1", "0"], ["notEnough", "zero", "lengthPlus"],
     "256-bit prime field: the secp256k1 group order, t=6 n=10, m=8 with p-1 and 0"),
    (16, dec(P25519), 3, 5, 3, ["0", "p-1"], ["duplicateTampered", "valueP"],
     "255-bit prime field 2^255-19 (masking drops the top bit of each 32-byte draw), t=3 n=5, m=3"),
    (17, "11", 3, 10, 3, ["0", "p-1"], ["notEnough", "zero", "valueP"],
     "tiny prime field 11 with n=10 = p-1 (the largest n allowed); 4-bit draws below 11 so "
     "rejection sampling is frequent"),
    (18, "11", 10, 10, 1, ["p-1"], ["duplicate", "lengthPlus"],
     "tiny prime field 11 with t=n=10: degree-9 polynomial, every share index 1..p-1 used"),
    (19, "3", 2, 2, 4, ["0", "p-1"], ["zero", "valueP"],
     "smallest allowed prime 3 with t=n=2: 2-bit draws masked, values 3 rejected"),
    (20, "P64+", 3, 5, 8, ["0", "p-1"], ["notEnough", "duplicate", "valueP"],
     "REJECTION SAMPLING: p = smallest prime > 2^64 (2^64+13): 9-byte draws masked to 65 bits, about "
     "half are >= p and are redrawn one 9-byte request at a time after the bulk request"),
    (21, "P64+", 4, 6, 64, [], ["zero", "lengthMinus", "duplicateTampered"],
     "REJECTION SAMPLING: p = 2^64+13, t=4 n=6, m=64: each coefficient row rejects dozens of draws"),
]


def pinned_value(token, p):
    return {"0": 0, "1": 1, "p-1": p - 1}[token]


def build_invalid(kind, p, t, n, m, shares, vector_id):
    """One invalid_combine case; every case breaks exactly one rule (inside the first t shares unless
    stated), while still giving at least t shares with at least t distinct indices where possible."""

    def entry(index, values):
        return {"index": index, "values": [dec(v) for v in values]}

    base = [(i, list(shares[i])) for i in range(1, n + 1)]
    if kind == "notEnough":
        chosen = base[:t - 1]
        comment = "only t-1 = %d share(s)" % (t - 1)
        error = "notEnoughShares"
    elif kind in ("duplicate", "duplicateTampered"):
        if t < 2:
            raise ValueError("duplicate case needs t >= 2")
        first = base[0]
        second = (first[0], list(first[1]))
        if kind == "duplicateTampered":
            second[1][0] = (second[1][0] + 1) % p
            comment = "share index %d appears twice (second copy has a different first value)" % first[0]
        else:
            comment = "share index %d appears twice (identical copies) within the first t" % first[0]
        chosen = [first, second] + base[1:t]
        error = "duplicateShareIndex"
    elif kind == "zero":
        chosen = [(0, list(base[0][1]))] + base[1:t] + base[t:t + 1]
        comment = "first share presented under index 0"
        error = "shareIndexZero"
    elif kind in ("valueP", "valueMax64", "valueLate"):
        chosen = [(i, list(v)) for i, v in base[:t]]
        if kind == "valueP":
            chosen[-1][1][-1] = p
            comment = "last value of share %d equals the modulus p" % chosen[-1][0]
        elif kind == "valueMax64":
            chosen[0][1][0] = (1 << 64) - 1
            comment = "value 2^64-1 (fits a UInt64, but >= p)"
        else:
            chosen = [(i, list(v)) for i, v in base[:t + 1]]
            chosen[t][1][0] = p + 1
            comment = ("value p+1 in share %d, which comes after the first t shares: the spec requires "
                       "every given value to be in [0, p)" % chosen[t][0])
        error = "valueOutOfRange"
    elif kind in ("lengthPlus", "lengthMinus"):
        if n < 2:
            raise ValueError("length mismatch needs two shares")
        chosen = [(i, list(v)) for i, v in base[:max(t, 2)]]
        if kind == "lengthPlus":
            chosen[1][1].append(hash_below("extra %d" % vector_id, p))
            comment = "share %d has m+1 values" % chosen[1][0]
            if t < 2:
                comment += " (it comes after the first t shares: the spec requires all given shares to have one length)"
        else:
            if m < 2:
                raise ValueError("lengthMinus needs m >= 2")
            chosen[1][1].pop()
            comment = "share %d has m-1 values" % chosen[1][0]
        error = "vectorLengthMismatch"
    else:
        raise ValueError(kind)
    # Our own combine must reject it with exactly this error.
    try:
        shamir_combine(p, t, chosen)
    except CombineError as e:
        if e.name != error:
            raise AssertionError("vector %d %s: got %s, want %s" % (vector_id, kind, e.name, error))
    else:
        raise AssertionError("vector %d %s: combine accepted invalid input" % (vector_id, kind))
    return {"comment": comment, "error": error, "shares": [entry(i, v) for i, v in chosen]}


def build_shamir():
    vectors = []
    for (vid, field, t, n, m, edges, kinds, comment) in SHAMIR_TABLE:
        if field == "P64+":
            field = dec(P64_PLUS)
        p = field_modulus(field)
        assert is_prime(p) and p >= 3 and 1 <= t <= n < p
        secrets = [hash_below("secagg shamir secret %d %d" % (vid, j), p) for j in range(m)]
        for j, token in enumerate(edges):
            secrets[j] = pinned_value(token, p)
        seed = vector_seed(vid)
        stats = {}
        shares = shamir_split(seed, p, t, n, secrets, stats)
        rejected = stats.get("rejected_elements", 0)
        if "REJECTION" in comment:
            assert rejected > 0, "vector %d does not exercise rejection" % vid
        if rejected:
            comment += "; rejected draws in this vector: %d element(s), %d redraw request(s)" % (
                rejected, stats["redraw_requests"])

        # reconstruct subsets
        subsets = [list(range(1, t + 1)), list(range(n, n - t, -1))]
        subsets.append(shuffled(range(1, n + 1), "subset %d" % vid)[:t])
        if n > t:
            subsets.append(shuffled(range(1, n + 1), "all %d" % vid))
            subsets.append(shuffled(range(1, n + 1), "more %d" % vid)[:t + 1])
        unique = []
        for s in subsets:
            if s not in unique:
                unique.append(s)
        reconstruct = []
        for s in unique:
            got = shamir_combine(p, t, [(i, shares[i]) for i in s])
            assert got == secrets, "vector %d subset %s does not reconstruct" % (vid, s)
            reconstruct.append({"indices": s, "secrets": [dec(x) for x in got]})

        invalid = [build_invalid(k, p, t, n, m, shares, vid) for k in kinds]
        vectors.append({
            "id": vid,
            "comment": comment,
            "seed": seed.hex(),
            "field": field,
            "threshold": t,
            "shares": n,
            "secrets": [dec(x) for x in secrets],
            "expected_shares": [{"index": i, "values": [dec(y) for y in shares[i]]} for i in range(1, n + 1)],
            "reconstruct": reconstruct,
            "invalid_combine": invalid,
        })

    counts = {}
    for v in vectors:
        for case in v["invalid_combine"]:
            counts[case["error"]] = counts.get(case["error"], 0) + 1
    for name in ("notEnoughShares", "duplicateShareIndex", "shareIndexZero", "valueOutOfRange",
                 "vectorLengthMismatch"):
        assert counts.get(name, 0) >= 2, "error %s appears fewer than twice" % name

    return {
        "scheme": "shamir",
        "version": 1,
        "generator": "Tools/gen_vectors.py",
        "drbg": "HMAC_DRBG SHA-256; entropy=seed, empty nonce and personalization",
        "drbg_known_answers": build_drbg_answers(),
        "vectors": vectors,
    }


def build_drbg_answers():
    """Optional stream checks for the request rule (requests over 65536 bytes are split)."""
    out = []
    for label, requests in (("drbg 1", [32, 65536, 65537, 1]), ("drbg 2", [131073, 8])):
        seed = hashlib.sha256(("secagg %s" % label).encode()).digest()
        drbg = HmacDrbg(seed)
        results = []
        for r in requests:
            data = drbg.read(r)
            results.append({"bytes": r, "first32": data[:32].hex(), "last32": data[-32:].hex(),
                            "sha256": hashlib.sha256(data).hexdigest()})
        out.append({"comment": "HMAC_DRBG(entropy=seed) requests in order; each request of n bytes is "
                               "ceil(n/65536) Generate calls", "seed": seed.hex(),
                    "generate_calls": drbg.generate_calls, "requests": results})
    return out


# ---------------------------------------------------------------------------------------------------
# Feldman vectors
# ---------------------------------------------------------------------------------------------------

RFC5114_P = int(
    "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00"
    "E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C"
    "209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B"
    "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76"
    "B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8E"
    "F6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026"
    "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103"
    "A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597", 16)
RFC5114_G = int(
    "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA125"
    "10DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62"
    "901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B"
    "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193"
    "B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0A"
    "DB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915"
    "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C3"
    "2F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659", 16)
RFC5114_Q = int("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3", 16)


def derive_group_a():
    """The generated 1024-bit group with a 160-bit subgroup (derivation documented in Vectors/README.md)."""
    q = next_prime((sha256_int("secagg feldman q") >> 96) | (1 << 159))
    assert q.bit_length() == 160
    x = 0
    for counter in range(4):
        x = (x << 256) | sha256_int("secagg feldman p %d" % counter)
    x |= 1 << 1023
    k = x // q
    if k % 2:
        k += 1
    while True:
        p = k * q + 1
        assert p.bit_length() == 1024
        if is_prime(p):
            break
        k += 2
    h = 2
    while True:
        g = pow(h, (p - 1) // q, p)
        if g != 1:
            break
        h += 1
    assert not feldman_validate(p, q, g)
    return p, q, g, k, h


FELDMAN_TABLE = [
    # (id, group, t, n, secret spec, comment)
    (101, "a", 1, 1, None, "generated 1024/160 group, t=1 n=1: one commitment C_0 = g^s, no draws"),
    (102, "a", 2, 3, None, "generated 1024/160 group, t=2 n=3"),
    (103, "a", 3, 5, "0", "generated 1024/160 group, t=3 n=5, secret 0 (C_0 = 1)"),
    (104, "a", 4, 6, "q-1", "generated 1024/160 group, t=4 n=6, secret q-1"),
    (105, "a", 5, 9, None, "generated 1024/160 group, t=5 n=9"),
    (106, "b", 1, 2, None, "RFC 5114 2048/256 group, t=1 n=2: both shares equal the secret"),
    (107, "b", 3, 4, None, "RFC 5114 2048/256 group, t=3 n=4"),
    (108, "b", 5, 7, "q-1", "RFC 5114 2048/256 group, t=5 n=7, secret q-1"),
]


def build_feldman():
    pa, qa, ga, ka, ha = derive_group_a()
    groups = {"a": (pa, qa, ga)}
    assert not feldman_validate(RFC5114_P, RFC5114_Q, RFC5114_G), "RFC 5114 constants do not validate"
    assert RFC5114_P.bit_length() == 2048 and RFC5114_Q.bit_length() == 256
    groups["b"] = (RFC5114_P, RFC5114_Q, RFC5114_G)

    vectors = []
    for (vid, gname, t, n, secret_spec, comment) in FELDMAN_TABLE:
        p, q, g = groups[gname]
        assert 1 <= t <= n < q
        if secret_spec == "0":
            secret = 0
        elif secret_spec == "q-1":
            secret = q - 1
        else:
            secret = hash_below("secagg feldman secret %d" % vid, q)
        seed = vector_seed(vid)
        stats = {}
        shares, commitments = feldman_deal(seed, p, q, g, t, n, secret, stats)
        if stats.get("rejected_elements"):
            comment += "; rejected draws in this vector: %d element(s), %d redraw request(s)" % (
                stats["rejected_elements"], stats["redraw_requests"])
        for i in range(1, n + 1):
            assert feldman_verify(p, q, g, commitments, i, shares[i])
        # the shares also reconstruct the secret
        assert shamir_combine(q, t, [(i, [shares[i]]) for i in range(1, t + 1)]) == [secret]

        invalid = []
        i = n  # tamper with the last share
        invalid.append({"comment": "share %d value + 1 mod q" % i, "index": i, "value": dec((shares[i] + 1) % q)})
        invalid.append({"comment": "share %d value - 1 mod q" % i, "index": i, "value": dec((shares[i] - 1) % q)})
        if t >= 2:
            j = 1 if i != 1 else 2
            invalid.append({"comment": "the correct value of share %d presented under index %d" % (j, i),
                            "index": i, "value": dec(shares[j])})
            invalid.append({"comment": "the secret itself presented as share 1", "index": 1, "value": dec(secret)})
        else:
            invalid.append({"comment": "value 0 for share %d (secret is nonzero)" % i, "index": i, "value": "0"})
        for case in invalid:
            assert not feldman_verify(p, q, g, commitments, case["index"], int(case["value"])), case

        vectors.append({
            "id": vid,
            "comment": comment,
            "seed": seed.hex(),
            "group": {"p": dec(p), "q": dec(q), "g": dec(g)},
            "threshold": t,
            "shares": n,
            "secret": dec(secret),
            "expected_shares": [{"index": i, "value": dec(shares[i])} for i in range(1, n + 1)],
            "expected_commitments": [dec(c) for c in commitments],
            "invalid_shares": invalid,
        })

    return {
        "scheme": "feldman",
        "version": 1,
        "generator": "Tools/gen_vectors.py",
        "drbg": "HMAC_DRBG SHA-256; entropy=seed, empty nonce and personalization",
        "groups": {
            "generated_1024_160": {"p": dec(pa), "q": dec(qa), "g": dec(ga),
                                   "derivation": "see Vectors/README.md; k = (p-1)/q = %d, h = %d" % (ka, ha)},
            "rfc5114_2048_256": {"p": dec(RFC5114_P), "q": dec(RFC5114_Q), "g": dec(RFC5114_G),
                                 "derivation": "RFC 5114 section 2.3 constants"},
        },
        "vectors": vectors,
        "invalid_groups": build_invalid_groups(pa, qa, ga),
    }


def build_invalid_groups(p, q, g):
    cases = []

    def add(comment, gp, gq, gg, expect):
        failed = feldman_validate(gp, gq, gg)
        assert failed == expect, (comment, failed, expect)
        cases.append({"comment": comment + " (fails: %s)" % ", ".join(failed),
                      "p": dec(gp), "q": dec(gq), "g": dec(gg), "error": "invalidGroup"})

    q_other = next_prime(q + 1)
    add("q replaced by the next prime, which does not divide p-1", p, q_other, g,
        ["q does not divide p-1", "g^q != 1 mod p"])
    add("g = 1", p, q, 1, ["g not in (1, p)"])
    add("g = p (out of range; congruent to 0)", p, q, p, ["g not in (1, p)", "g^q != 1 mod p"])
    add("g = p-1 has order 2, not q", p, q, p - 1, ["g^q != 1 mod p"])
    h = 2
    while pow(h, q, p) == 1:
        h += 1
    add("g = %d is not in the order-q subgroup" % h, p, q, h, ["g^q != 1 mod p"])
    add("q = 2q is composite (but divides p-1 and g^q = 1)", p, 2 * q, g, ["q not prime"])
    # p composite with everything else in order: p' = r1*r2, r1 = k1*q+1 and r2 = k2*q+1 prime, and
    # g' = element of order q mod r1, = 1 mod r2 (CRT), so q | p'-1 and g'^q = 1 mod p'.
    k1 = 2
    while not is_prime(k1 * q + 1):
        k1 += 2
    k2 = k1 + 2
    while not is_prime(k2 * q + 1):
        k2 += 2
    r1, r2 = k1 * q + 1, k2 * q + 1
    hh = 2
    while pow(hh, (r1 - 1) // q, r1) == 1:
        hh += 1
    g1 = pow(hh, (r1 - 1) // q, r1)
    n_comp = r1 * r2
    g_comp = (g1 * r2 * pow(r2, -1, r1) + 1 * r1 * pow(r1, -1, r2)) % n_comp
    add("p = (%d*q+1)*(%d*q+1) is composite; q | p-1 and g^q = 1 still hold" % (k1, k2),
        n_comp, q, g_comp, ["p not prime"])
    return cases


# ---------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------

def _is_flat(x):
    return isinstance(x, (str, int, bool)) or x is None or (
        isinstance(x, list) and all(isinstance(e, (str, int)) for e in x))


def render(obj, level=0):
    """JSON with structure indented by one space per level and scalar lists / flat objects on one line."""
    pad = " " * level
    inner = " " * (level + 1)
    if _is_flat(obj):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, dict):
        if all(_is_flat(v) for v in obj.values()) and level > 1:
            return "{" + ", ".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in obj.items()) + "}"
        items = ["%s%s: %s" % (inner, json.dumps(k), render(v, level + 1)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        items = [inner + render(v, level + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    raise TypeError(type(obj))


def generate_all():
    global P64_PLUS
    drbg_self_test()
    P64_PLUS = next_prime((1 << 64) + 1)
    assert P64_PLUS == (1 << 64) + 13
    return {
        SHAMIR_PATH: render(build_shamir()) + "\n",
        FELDMAN_PATH: render(build_feldman()) + "\n",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and exit 1 if the committed files differ")
    args = parser.parse_args(argv)
    return write_or_check(generate_all(), check=args.check)


def write_or_check(files, check, note=""):
    """Writes each generated file (path relative to the package root -> text), or with `check` compares
    them with the committed files: prints what differs and returns 1, else prints one line and returns 0.
    Shared by every vector generator under Tools/."""
    if check:
        bad = 0
        for rel, text in files.items():
            path = os.path.join(ROOT, rel)
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current != text:
                print("%s differs from the generator output" % rel if current is not None
                      else "%s is missing" % rel)
                bad += 1
        if bad:
            return 1
        print("vectors up to date: %s%s" % (", ".join(sorted(files)), note))
        return 0
    for rel, text in files.items():
        path = os.path.join(ROOT, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote %s%s" % (rel, note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
