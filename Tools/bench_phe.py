#!/usr/bin/env python3
"""Throughput of python-paillier (phe 1.5.0 with gmpy2) on this machine, one thread.

Usage:
    python3 Tools/bench_phe.py [--bits 2048] [--seconds 2] [--venv .venv-phe]

Prints one JSON object, operations per second:
    {"bits": B, "keygen": …, "encrypt": …, "encrypt_float": …, "decrypt": …, "add": …, "mul_scalar": …,
     "notes": {…}}
- keygen: `phe.generate_paillier_keypair(n_length=B)`;
- encrypt: `public_key.encrypt(k)` of a random 63-bit signed int (phe picks exponent 0);
  encrypt_float: `public_key.encrypt(x)` of a random float in (-1e6, 1e6) (phe's float encoding);
- decrypt: `private_key.decrypt(c)` of ciphertexts of random ints (CRT decryption and decoding);
- add: `c1 + c2` of two EncryptedNumbers with the same exponent;
- mul_scalar: `c * k` with k a random positive 64-bit int.
Each operation runs for --seconds (at least one call; keygen at least 2 calls). If phe is not importable
by this interpreter, the script re-runs itself with the interpreter of --venv (default .venv-phe at the
repository root). It refuses to run without gmpy2 (phe.util.HAVE_GMP), since phe's pure-Python fallback
is an order of magnitude slower and would not be the number anyone compares against.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_phe(venv):
    try:
        import phe  # noqa: F401
        import phe.util  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(venv, "bin", "python")
    if os.environ.get("BENCH_PHE_REEXEC") or not os.path.exists(python):
        sys.exit("bench_phe: python-paillier (phe) is not importable and %s does not exist; create it with: "
                 "python3 -m venv %s && %s/bin/pip install phe==1.5.0 gmpy2 click" % (python, venv, venv))
    env = dict(os.environ, BENCH_PHE_REEXEC="1")
    sys.exit(subprocess.call([python, os.path.abspath(__file__)] + sys.argv[1:], env=env))


def rate(fn, inputs, seconds, minimum=1):
    """Calls fn(inputs[i % len]) until `seconds` elapsed (and at least `minimum` times); returns ops/s."""
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        fn(inputs[count % len(inputs)])
        count += 1
        now = time.perf_counter()
        if now >= deadline and count >= minimum:
            return count / (now - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per operation")
    parser.add_argument("--venv", default=os.path.join(ROOT, ".venv-phe"),
                        help="venv whose python has phe and gmpy2 (used if this interpreter lacks phe)")
    args = parser.parse_args(argv)
    ensure_phe(args.venv)
    import phe
    import phe.util
    if not phe.util.HAVE_GMP:
        sys.exit("bench_phe: phe runs without gmpy2 (phe.util.HAVE_GMP is False); pip install gmpy2")
    import gmpy2

    rng = random.Random(20250601)  # inputs only; phe draws its own randomness from os.urandom
    seconds = args.seconds
    results = {"bits": args.bits}

    results["keygen"] = rate(lambda _: phe.generate_paillier_keypair(n_length=args.bits), [None], seconds, 2)
    pub, priv = phe.generate_paillier_keypair(n_length=args.bits)

    ints = [rng.randrange(-(1 << 62), 1 << 62) for _ in range(64)]
    floats = [rng.uniform(-1e6, 1e6) for _ in range(64)]
    results["encrypt"] = rate(pub.encrypt, ints, seconds)
    results["encrypt_float"] = rate(pub.encrypt, floats, seconds)

    ciphertexts = [pub.encrypt(k) for k in ints]
    for c, k in zip(ciphertexts[:4], ints):
        assert priv.decrypt(c) == k
    results["decrypt"] = rate(priv.decrypt, ciphertexts, seconds)

    pairs = [(ciphertexts[i], ciphertexts[(i + 1) % len(ciphertexts)]) for i in range(len(ciphertexts))]
    results["add"] = rate(lambda ab: ab[0] + ab[1], pairs, seconds)
    scaled = [(ciphertexts[i], rng.randrange(1, 1 << 64)) for i in range(len(ciphertexts))]
    results["mul_scalar"] = rate(lambda ck: ck[0] * ck[1], scaled, seconds)

    for key in ("keygen", "encrypt", "encrypt_float", "decrypt", "add", "mul_scalar"):
        results[key] = float("%.4g" % results[key])
    results["notes"] = {
        "unit": "operations per second, one thread",
        "phe": getattr(phe, "__version__", "1.5.0"),
        "gmpy2": gmpy2.version(),
        "python": sys.version.split()[0],
        "seconds_per_operation": seconds,
        "encrypt": "random 63-bit signed int; encrypt_float: random float in (-1e6, 1e6)",
        "mul_scalar": "random positive 64-bit int scalar",
    }
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
