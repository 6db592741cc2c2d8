#!/usr/bin/env python3
"""Differential known answers for SecAggKit's Bignum (GMP) from Python's own integers.

Writes Vectors/bignum/bignum.json. Python standard library only: pow(a, e, m), pow(a, -1, m),
math.gcd, and textbook Jacobi symbol, CRT, Miller-Rabin and Lucas-Lehmer written out below, so nothing
here shares code with GMP. Deterministic: every random value comes from random.Random(SEED).

    python3 Tools/gen_bignum_vectors.py            # (re)write the file
    python3 Tools/gen_bignum_vectors.py --check    # regenerate in memory; exit 1 if the file differs

Conventions pinned by the file (they match Specs/bignum.md):
  divmod: quotient truncated toward zero, remainder with the dividend's sign (C, Swift Int, GMP tdiv);
          "mod" is the residue in [0, |divisor|) (GMP mpz_mod).
  null result: the operation must throw (no inverse, non-coprime CRT moduli, negative value or too
          narrow a width for bytes).
  primes: values <= 1 (including negatives) are not prime.
"""

import json
import math
import os
import random
import sys

SEED = 20250601
OUT = os.path.join("Vectors", "bignum", "bignum.json")  # relative to the package root

SIZES = [1, 2, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 1024, 1536,
         2048, 3072, 4096]

SMALL_PRIMES = [p for p in range(2, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


# ---------------------------------------------------------------------------------------------------
# Textbook number theory (independent of GMP)

# Jacobi symbol by quadratic reciprocity (Cohen, Alg. 1.4.10): the one the Shamir/Feldman generator's
# Baillie-PSW test uses, shared rather than written twice.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_vectors import _jacobi as jacobi, write_or_check  # noqa: E402


def crt(residues, moduli):
    """x in [0, prod m) with x = r_i mod m_i (Gauss: sum r_i * M_i * (M_i^-1 mod m_i)); None if not coprime."""
    for i in range(len(moduli)):
        for j in range(i + 1, len(moduli)):
            if math.gcd(moduli[i], moduli[j]) != 1:
                return None
    big_m = 1
    for m in moduli:
        big_m *= m
    x = 0
    for r, m in zip(residues, moduli):
        mi = big_m // m
        x += r * mi * pow(mi, -1, m)
    return x % big_m


def truncated_divmod(a, b):
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return q, a - q * b


def miller_rabin(n, rng, rounds=48):
    """Probable-prime test: trial division, then Miller-Rabin with random bases."""
    if n < 2:
        return False
    for p in SMALL_PRIMES:
        if n == p:
            return True
        if n % p == 0:
            return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 1)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def lucas_lehmer(p):
    """2^p - 1 is prime (p an odd prime)."""
    m = (1 << p) - 1
    s = 4
    for _ in range(p - 2):
        s = (s * s - 2) % m
    return s == 0


def pi_digits_binary(bits):
    """floor(pi * 2^bits) by Machin's formula in fixed point (with guard bits)."""
    guard = 64
    one = 1 << (bits + guard)

    def arctan_inv(x):
        total, term, k, sign = 0, one // x, 1, 1
        x2 = x * x
        while term:
            total += sign * (term // k)
            term //= x2
            k += 2
            sign = -sign
        return total

    return (4 * (4 * arctan_inv(5) - arctan_inv(239))) >> guard


def modp_prime(bits, offset):
    """RFC 2412 / 3526 MODP prime: 2^b - 2^(b-64) - 1 + 2^64 * (floor(2^(b-130) pi) + offset)."""
    return (1 << bits) - (1 << (bits - 64)) - 1 + (1 << 64) * (pi_digits_binary(bits - 130) + offset)


def is_carmichael(n):
    """Korselt: n composite, square-free, and p - 1 | n - 1 for every prime p | n (trial division)."""
    factors, m, p = [], n, 2
    while p * p <= m:
        while m % p == 0:
            factors.append(p)
            m //= p
        p += 1
    if m > 1:
        factors.append(m)
    return len(factors) >= 2 and len(set(factors)) == len(factors) and all((n - 1) % (f - 1) == 0 for f in factors)


def random_prime(bits, rng):
    while True:
        n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if miller_rabin(n, rng):
            return n


# ---------------------------------------------------------------------------------------------------
# Cases

def s(x):
    return None if x is None else str(x)


def signed(rng, bits):
    v = rng.getrandbits(bits)
    return -v if rng.random() < 0.3 else v


def gen_powm(rng):
    out = []

    def add(b, e, m):
        try:
            r = pow(b, e, m)
        except ValueError:  # negative exponent with no inverse
            r = None
        out.append({"base": s(b), "exponent": s(e), "modulus": s(m), "result": s(r)})

    # Edge cases: exponent 0, modulus 1, base 0, base = modulus, negative base, negative exponent.
    for b, e, m in [(0, 0, 7), (5, 0, 7), (5, 0, 1), (5, 3, 1), (0, 5, 7), (7, 5, 7), (-2, 3, 7), (-2, 4, 7),
                    (2, 10, 1000), (3, -1, 1), (0, -2, 1), (3, -1, 7), (3, -5, 11), (6, -1, 9), (-3, -3, 10),
                    (2, 2, 2), (1, 1, 2)]:
        add(b, e, m)
    for bits in SIZES:
        for _ in range(2):
            m = rng.getrandbits(bits) | (1 << (bits - 1))
            if m < 2:
                m = 2
            b = signed(rng, bits + 8)
            e = rng.getrandbits(min(bits, 1024) if bits > 1024 and rng.random() < 0.5 else bits)
            add(b, e, m)
        m = rng.getrandbits(bits) | (1 << (bits - 1)) | 1  # odd modulus: also checks powmSecret
        add(signed(rng, bits), rng.getrandbits(bits), m)
    return out


def gen_inverse(rng):
    out = []

    def add(a, m):
        try:
            r = pow(a, -1, m)
        except ValueError:
            r = None
        out.append({"value": s(a), "modulus": s(m), "result": s(r)})

    for a, m in [(3, 7), (-3, 7), (10, 7), (0, 7), (6, 9), (1, 2), (4, 8), (-1, 1000), (12, 18), (17, 3120)]:
        add(a, m)
    for bits in SIZES[2:]:
        m = rng.getrandbits(bits) | (1 << (bits - 1))
        add(signed(rng, bits + 4), m)
        g = rng.getrandbits(min(bits, 64)) | 2  # shares a factor with m below
        add(g * rng.getrandbits(bits), g * m)
    return out


def gen_gcd_lcm(rng):
    gcds, lcms = [], []
    pairs = [(0, 0), (0, 5), (5, 0), (-12, 18), (12, -18), (-12, -18), (1, 1), (17, 17), (2 ** 64, 2 ** 32),
             (2 ** 521 - 1, 2 ** 607 - 1)]
    for bits in SIZES:
        common = rng.getrandbits(max(1, bits // 3))
        pairs.append((signed(rng, bits) * common, signed(rng, bits) * common))
        pairs.append((signed(rng, bits), signed(rng, bits)))
    for a, b in pairs:
        g = math.gcd(a, b)
        l = 0 if a == 0 or b == 0 else abs(a * b) // g
        gcds.append({"a": s(a), "b": s(b), "result": s(g)})
        lcms.append({"a": s(a), "b": s(b), "result": s(l)})
    return gcds, lcms


def gen_jacobi(rng):
    out = []
    fixed = [(0, 1), (1, 1), (5, 1), (0, 3), (1, 3), (2, 3), (3, 3), (2, 15), (7, 15), (-1, 7), (-1, 5),
             (1001, 9907), (19, 45), (8, 21), (5, 21), (-21, 35)]
    for a, n in fixed:
        out.append({"a": s(a), "n": s(n), "result": jacobi(a, n)})
    for bits in SIZES[1:]:
        for _ in range(2):
            n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
            a = signed(rng, bits + 3)
            out.append({"a": s(a), "n": s(n), "result": jacobi(a, n)})
    p = 2 ** 127 - 1
    for a in [2, 3, 5, 7, p - 1, p + 2]:
        out.append({"a": s(a), "n": s(p), "result": jacobi(a, p)})
    return out


def gen_crt(rng):
    out = []

    def add(residues, moduli):
        out.append({"residues": [s(r) for r in residues], "moduli": [s(m) for m in moduli],
                    "result": s(crt(residues, moduli))})

    add([2], [3])
    add([2, 3, 2], [3, 5, 7])
    add([-1, -1], [4, 9])
    add([100, 200], [7, 11])
    add([0, 0, 0], [2, 3, 5])
    add([1, 2], [4, 6])          # not coprime: must throw
    add([1, 2, 3], [3, 5, 9])    # not pairwise coprime: must throw
    for bits in [16, 64, 256, 1024, 2048]:
        k = rng.choice([2, 3, 4])
        moduli = []
        while len(moduli) < k:
            m = rng.getrandbits(bits) | (1 << (bits - 1))
            if m > 1 and all(math.gcd(m, x) == 1 for x in moduli):
                moduli.append(m)
        residues = [signed(rng, bits + 8) for _ in moduli]
        add(residues, moduli)
    p, q = random_prime(1024, rng), random_prime(1024, rng)  # RSA-style CRT over two 1024-bit primes
    x = rng.getrandbits(2047)
    add([x % p, x % q], [p, q])
    return out


def gen_divmod(rng):
    out = []

    def add(a, b):
        q, r = truncated_divmod(a, b)
        out.append({"dividend": s(a), "divisor": s(b), "quotient": s(q), "remainder": s(r),
                    "mod": s(a % abs(b))})

    for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (5, 7), (-5, 7), (6, 3), (-6, 3), (1, 1),
                 (-1, 1), (2 ** 64, 3), (-(2 ** 64), 3), (2 ** 128 + 1, -(2 ** 64))]:
        add(a, b)
    for bits in SIZES:
        a = signed(rng, bits * 2 if bits <= 2048 else bits)
        b = 0
        while b == 0:
            b = signed(rng, max(1, bits // 2) if rng.random() < 0.5 else bits)
        add(a, b)
        add(-abs(a), abs(b))  # negative dividend
    return out


CARMICHAEL = [561, 1105, 1729, 2465, 2821, 6601, 8911, 10585, 15841, 29341, 41041, 62745, 63973, 75361,
              101101, 126217, 172081, 188461, 252601, 278545, 294409, 314821, 334153, 340561, 399001,
              410041, 449065, 488881, 512461]
# Strong pseudoprimes: to base 2; to bases 2, 3; 2..5; 2..7; 2..11; 2..13; 2..17; the first 9 primes;
# the first 12 primes (Jaeschke; Zhang & Tang; Sorenson & Webster).
STRONG_PSEUDOPRIMES = [2047, 3277, 4033, 4681, 8321, 1373653, 25326001, 3215031751, 2152302898747,
                       3474749660383, 341550071728321, 3825123056546413051,
                       318665857834031151167461]
MERSENNE_PRIME_EXPONENTS = [2, 3, 5, 7, 13, 17, 19, 31, 61, 89, 107, 127, 521, 607, 1279, 2203, 2281, 3217]
MERSENNE_COMPOSITE_EXPONENTS = [11, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71, 73, 79, 83, 97, 101, 103, 109, 113]


def gen_primes(rng):
    out = []

    def add(n, prime, note):
        out.append({"value": s(n), "prime": prime, "note": note})

    for n in [-7, -2, -1, 0, 1, 4, 9, 15, 25, 49, 91, 1001, 2 ** 32 + 1, 2 ** 64, 3 ** 40]:
        add(n, False, "small or trivial composite (values <= 1 are not prime)")
    for n in [2, 3, 5, 7, 11, 13, 1009, 1999, 65537, 2 ** 31 - 1, 18446744073709551557]:
        add(n, True, "known prime")
    for n in CARMICHAEL:
        assert is_carmichael(n)
        add(n, False, "Carmichael number")
    for n in STRONG_PSEUDOPRIMES:
        assert any(n % p == 0 for p in SMALL_PRIMES) or not miller_rabin(n, rng)
        add(n, False, "strong pseudoprime to small bases")
    for p in MERSENNE_PRIME_EXPONENTS:
        assert p == 2 or lucas_lehmer(p)
        add(2 ** p - 1, True, "Mersenne prime 2^%d-1 (Lucas-Lehmer)" % p)
    for p in MERSENNE_COMPOSITE_EXPONENTS:
        assert not lucas_lehmer(p)
        add(2 ** p - 1, False, "composite Mersenne number 2^%d-1 (Lucas-Lehmer)" % p)
    # Chernick Carmichael numbers (6k+1)(12k+1)(18k+1) with three prime factors, up to ~600 bits.
    for kbits in [20, 64, 128, 196]:
        while True:
            k = rng.getrandbits(kbits) | (1 << (kbits - 1))
            f = [6 * k + 1, 12 * k + 1, 18 * k + 1]
            if all(miller_rabin(x, rng) for x in f):
                break
        n = f[0] * f[1] * f[2]
        assert pow(2, n - 1, n) == 1
        add(n, False, "Chernick Carmichael number (%d-bit k)" % kbits)
    # RFC 3526 MODP group primes (safe primes), rebuilt from the formula and checked here.
    for bits, offset in [(2048, 124476), (3072, 1690314), (4096, 240904)]:
        p = modp_prime(bits, offset)
        text = "%x" % p
        assert text.startswith("ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1") and text.endswith("f" * 16)
        assert p.bit_length() == bits and miller_rabin(p, rng, 16) and miller_rabin((p - 1) // 2, rng, 16)
        add(p, True, "RFC 3526 %d-bit MODP prime" % bits)
        add(p + 2, miller_rabin(p + 2, rng), "RFC 3526 %d-bit MODP prime + 2" % bits)
    for bits in [8, 16, 32, 64, 128, 256, 512, 1024]:
        p = random_prime(bits, rng)
        q = random_prime(bits, rng)
        add(p, True, "random %d-bit prime (Miller-Rabin, 48 rounds)" % bits)
        add(p * q, False, "product of two %d-bit primes" % bits)
        add(p * p, False, "square of a %d-bit prime" % bits)
        q2 = 2 * p - 1  # p(2p-1) is a Fermat pseudoprime to base 2 when 2p-1 is prime too
        add(p * q2, False, "p(2p-1), %d-bit p" % bits)
    big = [random_prime(1024, rng) for _ in range(4)]
    add(big[0] * big[1] * big[2] * big[3], False, "product of four 1024-bit primes (4096 bits)")
    return out


def gen_bytes(rng):
    out = []

    def add(v, width):
        if v < 0 or (v.bit_length() + 7) // 8 > width:
            h = None
        else:
            h = v.to_bytes(width, "big").hex()
        out.append({"value": s(v), "width": width, "hex": h})

    for v, w in [(0, 0), (0, 1), (0, 32), (1, 1), (255, 1), (256, 1), (256, 2), (65535, 2), (65536, 2),
                 (-1, 8), (-256, 32), (1, 0), (2 ** 64 - 1, 8), (2 ** 64, 8), (2 ** 64, 9)]:
        add(v, w)
    for bits in SIZES:
        v = rng.getrandbits(bits) | (1 << (bits - 1))
        n = (bits + 7) // 8
        add(v, n)
        add(v, n + rng.randrange(1, 40))
        add(v, n - 1)
    return out


def generate():
    rng = random.Random(SEED)
    gcds, lcms = gen_gcd_lcm(rng)
    return {
        "scheme": "bignum",
        "version": 1,
        "generator": "Tools/gen_bignum_vectors.py",
        "conventions": {
            "numbers": "decimal strings with an optional leading '-'",
            "null": "the operation must throw",
            "divmod": "quotient truncated toward zero, remainder has the dividend's sign; mod in [0, |divisor|)",
            "powm": "result in [0, modulus); negative exponents use the inverse; odd moduli with exponent >= 0 "
                    "also check powmSecret",
            "primes": "values <= 1, negatives included, are not prime",
            "bytes": "unsigned big-endian, left-padded to exactly width bytes",
        },
        "cases": {
            "powm": gen_powm(rng),
            "inverse": gen_inverse(rng),
            "gcd": gcds,
            "lcm": lcms,
            "jacobi": gen_jacobi(rng),
            "crt": gen_crt(rng),
            "divmod": gen_divmod(rng),
            "primes": gen_primes(rng),
            "bytes": gen_bytes(rng),
        },
    }


def render(doc):
    return json.dumps(doc, indent=1) + "\n"


def main(argv):
    doc = generate()
    counts = {k: len(v) for k, v in doc["cases"].items()}
    return write_or_check({OUT: render(doc)}, check="--check" in argv, note="" if "--check" in argv else ": %s" % counts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
