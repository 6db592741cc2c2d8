#!/usr/bin/env python3
"""Independent check of `secagg shamir split` / `secagg shamir combine` (Python standard library only).

* Shares written by `secagg shamir split` must reconstruct, by Lagrange interpolation at 0 written here
  from the formula, to the secrets given, from every t-subset tried and in any order; every share must lie
  on one polynomial of degree < t (checked with t+1 shares when n > t).
* Shares made here (random polynomials from `secrets`) must be combined by `secagg shamir combine` to the
  secrets, read from stdin and from one file per holder.
* Bad input must exit 1 with exactly one line on stderr and nothing on stdout.

Usage: python3 Tools/check_shamir.py --secagg .build/debug/secagg
Prints one line per failure and a closing line `shamir-cli: N passed, M failed`; exits 1 if any failed.
"""

import argparse
import itertools
import json
import os
import secrets as system_random
import subprocess
import sys
import tempfile

MERSENNE61 = (1 << 61) - 1
P256 = 2**256 - 2**224 + 2**192 + 2**96 - 1  # NIST P-256 field prime


def lagrange_at_zero(points, p):
    """Interpolates the polynomial through `points` [(x, y)] at x = 0, modulo the prime p."""
    total = 0
    for i, (xi, yi) in enumerate(points):
        num, den = 1, 1
        for j, (xj, _) in enumerate(points):
            if i != j:
                num = num * xj % p
                den = den * (xj - xi) % p
        total = (total + yi * num * pow(den, p - 2, p)) % p
    return total


def deal(secret_values, t, n, p):
    """Shamir shares made here: index i gets f_j(i) for each secret j, f_j random of degree t-1."""
    polys = [[s] + [system_random.randbelow(p) for _ in range(t - 1)] for s in secret_values]
    shares = []
    for i in range(1, n + 1):
        values = [sum(c * pow(i, k, p) for k, c in enumerate(poly)) % p for poly in polys]
        shares.append({"index": i, "values": [str(v) for v in values]})
    return {"modulus": str(p), "threshold": t, "shares": shares}


class Checker:
    def __init__(self, secagg):
        self.secagg = secagg
        self.passed = 0
        self.failures = []

    def run(self, args, stdin=None):
        return subprocess.run([self.secagg] + args, input=stdin, capture_output=True, text=True, timeout=120)

    def record(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print("FAIL " + what)

    def split_reconstructs(self, t, n, field, secret_values):
        p = MERSENNE61 if field == "mersenne61" else int(field)
        name = "split t=%d n=%d field=%s m=%d" % (t, n, field if len(field) < 20 else field[:12] + "...", len(secret_values))
        result = self.run(["shamir", "split", "--threshold", str(t), "--shares", str(n), "--field", field,
                           "--secrets", ",".join(str(s) for s in secret_values)])
        if result.returncode != 0:
            self.record(False, "%s: exit %d: %s" % (name, result.returncode, result.stderr.strip()))
            return
        doc = json.loads(result.stdout)
        ok = doc["modulus"] == str(p) and doc["threshold"] == t and [s["index"] for s in doc["shares"]] == list(range(1, n + 1))
        ok = ok and all(len(s["values"]) == len(secret_values) and all(0 <= int(v) < p for v in s["values"]) for s in doc["shares"])
        self.record(ok, name + ": output shape")
        shares = {s["index"]: [int(v) for v in s["values"]] for s in doc["shares"]}
        subsets = list(itertools.combinations(range(1, n + 1), t))
        if len(subsets) > 12:
            subsets = subsets[:6] + subsets[-6:]
        for subset in subsets:
            for order in (subset, tuple(reversed(subset))):
                got = [lagrange_at_zero([(i, shares[i][j]) for i in order], p) for j in range(len(secret_values))]
                self.record(got == list(secret_values), "%s: reconstruct from %s" % (name, list(order)))
        if n > t:
            # Degree check: interpolating t points predicts every other share.
            base = list(range(1, t + 1))
            for k in range(t + 1, n + 1):
                for j in range(len(secret_values)):
                    predicted = sum(shares[i][j] * self.weight(base, i, k, p) for i in base) % p
                    if predicted != shares[k][j]:
                        self.record(False, "%s: share %d value %d is off the degree-%d polynomial" % (name, k, j, t - 1))
                        return
            self.record(True, name + ": all shares on one polynomial of degree < t")

    @staticmethod
    def weight(base, i, x, p):
        """Lagrange basis polynomial for node i over `base`, evaluated at x."""
        num, den = 1, 1
        for l in base:
            if l != i:
                num = num * (x - l) % p
                den = den * (i - l) % p
        return num * pow(den, p - 2, p) % p

    def combine_accepts_python_shares(self, t, n, p, secret_values):
        doc = deal(secret_values, t, n, p)
        chosen = system_random.SystemRandom().sample(doc["shares"], t)
        subset = dict(doc, shares=chosen)
        name = "combine t=%d n=%d p=%s" % (t, n, str(p)[:12])
        result = self.run(["shamir", "combine", "-"], stdin=json.dumps(subset))
        ok = result.returncode == 0 and json.loads(result.stdout) == [str(s) for s in secret_values]
        self.record(ok, name + " (stdin): " + (result.stderr.strip() or result.stdout.strip()[:80]))
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for share in chosen:
                path = os.path.join(tmp, "holder-%d.json" % share["index"])
                with open(path, "w") as f:
                    json.dump(dict(doc, shares=[share]), f)
                paths.append(path)
            result = self.run(["shamir", "combine"] + paths)
            ok = result.returncode == 0 and json.loads(result.stdout) == [str(s) for s in secret_values]
            self.record(ok, name + " (one file per holder): " + (result.stderr.strip() or "ok"))

    def rejects(self, what, args, stdin=None):
        result = self.run(args, stdin)
        lines = result.stderr.strip().splitlines()
        ok = result.returncode == 1 and len(lines) == 1 and lines[0].startswith("secagg: ") and result.stdout == ""
        self.record(ok, "bad input (%s): exit %d, stderr %r, stdout %r" % (what, result.returncode, result.stderr[:200], result.stdout[:80]))

    def bad_inputs(self):
        good = deal([5, 6], 2, 3, 11)
        two = dict(good, shares=good["shares"][:2])
        def variant(**changes):
            doc = json.loads(json.dumps(two))
            for key, value in changes.items():
                if key == "share0":
                    doc["shares"][0].update(value)
                else:
                    doc[key] = value
            return json.dumps(doc)
        split = ["shamir", "split", "--threshold", "2", "--shares", "3", "--secrets", "1"]
        self.rejects("threshold > shares", ["shamir", "split", "--threshold", "4", "--shares", "3", "--secrets", "1"])
        self.rejects("threshold 0", ["shamir", "split", "--threshold", "0", "--shares", "3", "--secrets", "1"])
        self.rejects("non-prime field", split + ["--field", "15"])
        self.rejects("malformed field", split + ["--field", "0x11"])
        self.rejects("secret >= modulus", ["shamir", "split", "--threshold", "2", "--shares", "3", "--field", "11", "--secrets", "11"])
        self.rejects("negative secret", ["shamir", "split", "--threshold", "2", "--shares", "3", "--secrets=-1"])
        self.rejects("malformed secret", ["shamir", "split", "--threshold", "2", "--shares", "3", "--secrets", "1,x2"])
        self.rejects("empty secret", ["shamir", "split", "--threshold", "2", "--shares", "3", "--secrets", "1,,2"])
        self.rejects("n >= p", ["shamir", "split", "--threshold", "2", "--shares", "11", "--field", "11", "--secrets", "1"])
        self.rejects("missing option", ["shamir", "split", "--threshold", "2", "--secrets", "1"])
        self.rejects("unknown option", split + ["--frobnicate"])
        self.rejects("share index 0", ["shamir", "combine"], variant(share0={"index": 0}))
        self.rejects("duplicate index", ["shamir", "combine"], variant(share0={"index": 2}))
        self.rejects("index >= p", ["shamir", "combine"], variant(share0={"index": 11}))
        self.rejects("fewer than t shares", ["shamir", "combine"], json.dumps(dict(good, shares=good["shares"][:1])))
        self.rejects("value >= modulus", ["shamir", "combine"], variant(share0={"values": ["11", "0"]}))
        self.rejects("negative value", ["shamir", "combine"], variant(share0={"values": ["-1", "0"]}))
        self.rejects("vector length mismatch", ["shamir", "combine"], variant(share0={"values": ["1"]}))
        self.rejects("non-prime modulus", ["shamir", "combine"], variant(modulus="12"))
        self.rejects("malformed value", ["shamir", "combine"], variant(share0={"values": ["1e3", "0"]}))
        self.rejects("hex value", ["shamir", "combine"], variant(share0={"values": ["0x1", "0"]}))
        self.rejects("number instead of string", ["shamir", "combine"], variant(share0={"values": [1, 0]}))
        self.rejects("missing key", ["shamir", "combine"], json.dumps({"modulus": "11", "shares": []}))
        self.rejects("not JSON", ["shamir", "combine"], "{\"modulus\": ")
        self.rejects("empty input", ["shamir", "combine"], "")
        self.rejects("missing file", ["shamir", "combine", "/nonexistent/shares.json"])
        with tempfile.TemporaryDirectory() as tmp:
            a, b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
            with open(a, "w") as f:
                json.dump(dict(good, shares=good["shares"][:1]), f)
            other = deal([5, 6], 2, 3, 13)
            with open(b, "w") as f:
                json.dump(dict(other, shares=other["shares"][1:2]), f)
            self.rejects("shares from different fields", ["shamir", "combine", a, b])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secagg", required=True, help="path to the secagg executable")
    args = parser.parse_args()
    checker = Checker(os.path.abspath(args.secagg))
    rng = system_random.SystemRandom()
    for t, n in [(1, 1), (1, 3), (2, 2), (2, 3), (3, 5), (6, 10), (10, 10)]:
        checker.split_reconstructs(t, n, "mersenne61", [rng.randrange(MERSENNE61) for _ in range(3)])
    checker.split_reconstructs(3, 5, "mersenne61", [0, 1, MERSENNE61 - 1])
    checker.split_reconstructs(3, 10, "11", [0, 10, 7])
    checker.split_reconstructs(4, 7, str(P256), [rng.randrange(P256) for _ in range(2)])
    checker.split_reconstructs(2, 3, str(MERSENNE61), [12345])
    for t, n, p in [(2, 3, MERSENNE61), (6, 10, MERSENNE61), (3, 5, P256), (3, 10, 11)]:
        checker.combine_accepts_python_shares(t, n, p, [rng.randrange(p) for _ in range(4)])
    checker.bad_inputs()
    print("shamir-cli: %d passed, %d failed" % (checker.passed, len(checker.failures)))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
