#!/usr/bin/env python3
"""Differential test: the `secagg paillier` CLI against python-paillier's `pheutil` (phe 1.5.0).

Usage:
    python3 Tools/check_phe_interop.py --secagg .build/debug/secagg [--venv .venv-phe] [--no-2048] [--keep DIR]

Checks, in both directions (1024-bit keys, plus one 2048-bit round):
- key files: `pheutil genpkey` / `extract` keys are read by secagg; `secagg paillier keygen --format phe`
  writes pheutil's JWK layout, which phe loads (p*q = n, |n| = bits);
- values encrypted by `pheutil encrypt` decrypt in `secagg paillier decrypt --format phe`, and values
  encrypted by `secagg paillier encrypt --format phe` decrypt in `pheutil decrypt`, for phe-made and
  secagg-made keys;
- sums: `secagg paillier add --format phe` of pheutil ciphertexts decrypts in pheutil; `pheutil addenc`
  of secagg ciphertexts decrypts in secagg; a pheutil number with an exponent below -32 is added to one
  with exponent -32 (exponent alignment);
- a secagg-native key pair round-trips (keygen, encrypt, add, decrypt);
- bad input (a truncated phe key, a ciphertext "v" of 0, n^2 or n^2 + 1) makes secagg exit 1 with
  exactly one line on stderr.
Values are compared within 1e-9 relative (plus the fixed-point resolution: 2^-128 for phe's e = -32,
2^-32 for the native format's default fraction bits).

python-paillier runs in this interpreter if it can import phe, gmpy2 and click; otherwise, with
`--venv DIR`, in DIR's interpreter (the venv is created and `phe==1.5.0 gmpy2 click` installed when
missing). If python-paillier cannot be made available the script exits 1 with a message: it is never
skipped. The last line is `phe-interop: N passed, M failed`; the exit status is 1 if any check failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

REEXEC_ENV = "SECAGG_PHE_INTEROP_REEXEC"
PHE_REQUIREMENTS = ["phe==1.5.0", "gmpy2", "click"]
TIMEOUT = 600

VALUES_A = [1.5, -2.0, -2.5, -7.0, 0.0, 1e-06, 123456.789, 3.0, -0.1]
VALUES_B = [2.25, 5.0, -0.5, 7.0, -3.75, 2e-06, -123456.0, 0.1, 0.1]
TINY = 1e-30  # pheutil encrypts this with an exponent below -32


# ---------------------------------------------------------------------------------------------------
# Making python-paillier available
# ---------------------------------------------------------------------------------------------------

def phe_importable():
    try:
        import phe  # noqa: F401
        import phe.command_line  # noqa: F401  (needs click)
        import gmpy2  # noqa: F401
        return True
    except ImportError:
        return False


def venv_python(venv):
    return os.path.join(venv, "bin", "python")


def venv_has_phe(python):
    if not os.path.exists(python):
        return False
    probe = subprocess.run([python, "-c", "import phe, phe.command_line, gmpy2, click"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return probe.returncode == 0


def fatal(message):
    print("phe-interop: %s" % message, file=sys.stderr)
    print("phe-interop: 0 passed, 1 failed")
    sys.exit(1)


def ensure_phe(venv):
    """Returns normally when phe runs in this interpreter; otherwise re-executes under the venv."""
    if phe_importable():
        return
    if os.environ.get(REEXEC_ENV):
        fatal("python-paillier is still not importable under %s" % sys.executable)
    if not venv:
        fatal("python-paillier (phe, gmpy2, click) is not importable by %s; pass --venv DIR to create a venv "
              "with %s" % (sys.executable, " ".join(PHE_REQUIREMENTS)))
    venv = os.path.abspath(venv)
    python = venv_python(venv)
    if not venv_has_phe(python):
        if not os.path.exists(python):
            made = subprocess.run([sys.executable, "-m", "venv", venv], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, universal_newlines=True)
            if made.returncode != 0:
                fatal("cannot create the venv %s: %s" % (venv, last_line(made.stdout)))
        pip = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
                             + PHE_REQUIREMENTS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        if pip.returncode != 0 or not venv_has_phe(python):
            fatal("cannot install %s into %s: %s" % (" ".join(PHE_REQUIREMENTS), venv, last_line(pip.stdout)))
    env = dict(os.environ)
    env[REEXEC_ENV] = "1"
    sys.stdout.flush()
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], env)


def last_line(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


# ---------------------------------------------------------------------------------------------------
# Running the two tools
# ---------------------------------------------------------------------------------------------------

class Result:
    def __init__(self, cmd, proc):
        self.cmd = cmd
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def describe(self):
        return "`%s` exited %s; stderr: %s" % (" ".join(os.path.basename(c) if i == 0 else c
                                                        for i, c in enumerate(self.cmd))[:300],
                                                 self.rc, last_line(self.err)[:300])


def run(cmd, cwd):
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        class Timeout:
            returncode, stdout, stderr = -1, "", "timed out after %d s" % TIMEOUT
        proc = Timeout()
    except OSError as err:
        class Failed:
            returncode, stdout, stderr = -1, "", "cannot run: %s" % err
        proc = Failed()
    return Result(cmd, proc)


class Tools:
    def __init__(self, secagg, workdir):
        self.secagg = secagg
        self.dir = workdir
        self.pheutil_cmd = [sys.executable, "-m", "phe.command_line"]

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def sa(self, *args):
        return run([self.secagg, "paillier"] + list(args), self.dir)

    def pheutil(self, *args):
        return run(self.pheutil_cmd + list(args), self.dir)


def values_arg(values):
    return "--values=" + ",".join(repr(float(x)) for x in values)


def close(got, want, resolution):
    """Within 1e-9 relative, or within the encoding's resolution."""
    return abs(got - want) <= 1e-9 * max(abs(got), abs(want)) + resolution


PHE_RESOLUTION = 2.0 ** -120      # e = -32: 16^-32 = 2^-128 per rounding; sums add two roundings
NATIVE_RESOLUTION = 2.0 ** -31    # fraction_bits 32: 2^-33 per rounding, times two for a sum, with margin


# ---------------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------------

class Checker:
    def __init__(self, tools, verbose):
        self.t = tools
        self.passed = 0
        self.failed = 0
        self.verbose = verbose

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, (": " + detail) if detail else ""))
        sys.stdout.flush()
        return ok

    def ran(self, name, result):
        """Records a failure if a command failed; returns True if it succeeded."""
        if result.rc != 0:
            return self.record(name, False, result.describe())
        return True

    def compare(self, name, lines, want, resolution):
        got_lines = [line.strip() for line in lines if line.strip()]
        if len(got_lines) != len(want):
            return self.record(name, False, "%d values printed, %d expected: %r" % (len(got_lines), len(want),
                                                                                   got_lines[:12]))
        bad = []
        for i, (text, x) in enumerate(zip(got_lines, want)):
            try:
                y = float(text)
            except ValueError:
                bad.append("#%d %r is not a number" % (i, text))
                continue
            if not close(y, x, resolution):
                bad.append("#%d got %r want %r" % (i, text, x))
        return self.record(name, not bad, "; ".join(bad[:5]))

    # -- helpers on the phe side ------------------------------------------------------------------

    def phe_encrypt(self, pub, x, name):
        """pheutil encrypt one value into file `name`; returns the path or None."""
        result = self.t.pheutil("encrypt", pub, "--output", self.t.path(name), "--", repr(float(x)))
        if result.rc != 0:
            self.record("pheutil encrypt %r" % x, False, result.describe())
            return None
        return self.t.path(name)

    def phe_encrypt_many(self, pub, values, stem):
        """pheutil-encrypted values, one file each, plus one file with all lines; returns (files, joined)."""
        files = []
        for i, x in enumerate(values):
            f = self.phe_encrypt(pub, x, "%s-%d.json" % (stem, i))
            if f is None:
                return None, None
            files.append(f)
        joined = self.t.write(stem + "-all.jsonl", "".join(open(f).read().strip() + "\n" for f in files))
        return files, joined

    def phe_decrypt_lines(self, priv, lines, stem, check_name):
        """Writes each phe JSON line to its own file and decrypts it with pheutil; returns values or None."""
        out = []
        for i, line in enumerate(lines):
            f = self.t.write("%s-%d.json" % (stem, i), line.strip() + "\n")
            result = self.t.pheutil("decrypt", priv, f)
            if result.rc != 0:
                self.record(check_name, False, "line %d: %s" % (i, result.describe()))
                return None
            out.append(result.out.strip())
        return out

    def phe_lines(self, name, result, count):
        """stdout of a secagg --format phe command: `count` JSON lines {"v": str, "e": int}."""
        lines = [line for line in result.out.splitlines() if line.strip()]
        problems = []
        if len(lines) != count:
            problems.append("%d lines, %d expected" % (len(lines), count))
        for line in lines:
            try:
                obj = json.loads(line)
            except ValueError:
                problems.append("not JSON: %r" % line[:80])
                continue
            if not (isinstance(obj, dict) and isinstance(obj.get("v"), str) and obj["v"].isdigit()
                    and isinstance(obj.get("e"), int) and not isinstance(obj.get("e"), bool)):
                problems.append("not {\"v\": \"<digits>\", \"e\": <int>}: %r" % line[:80])
        self.record(name, not problems, "; ".join(problems[:3]))
        return lines if not problems else None

    # -- key files --------------------------------------------------------------------------------

    def phe_keys(self, bits):
        priv, pub = "phe-priv-%d.json" % bits, "phe-pub-%d.json" % bits
        r = self.t.pheutil("genpkey", "--keysize", str(bits), self.t.path(priv))
        if not self.ran("pheutil genpkey --keysize %d" % bits, r):
            return None
        r = self.t.pheutil("extract", self.t.path(priv), self.t.path(pub))
        if not self.ran("pheutil extract (%d)" % bits, r):
            return None
        return self.t.path(priv), self.t.path(pub)

    def secagg_keys(self, bits, fmt):
        priv, pub = "sa-%s-priv-%d.json" % (fmt, bits), "sa-%s-pub-%d.json" % (fmt, bits)
        r = self.t.sa("keygen", "--bits", str(bits), "--out", self.t.path(priv), "--public-out",
                      self.t.path(pub), "--format", fmt)
        if not self.ran("secagg keygen --bits %d --format %s" % (bits, fmt), r):
            return None
        return self.t.path(priv), self.t.path(pub)

    def check_secagg_phe_key_files(self, bits, priv, pub):
        import phe
        import phe.util
        name = "secagg keygen --format phe (%d) writes pheutil's JWK layout, loadable by phe" % bits
        try:
            with open(priv) as f:
                k = json.load(f)
            with open(pub) as f:
                p = json.load(f)
            problems = []
            if k.get("kty") != "DAJ" or "decrypt" not in k.get("key_ops", []):
                problems.append("private key kty/key_ops")
            if p.get("kty") != "DAJ" or p.get("alg") != "PAI-GN1" or "encrypt" not in p.get("key_ops", []):
                problems.append("public key kty/alg/key_ops")
            if not isinstance(k.get("pub"), dict) or k["pub"].get("n") != p.get("n"):
                problems.append("private key's pub.n differs from the public key file's n")
            for field in ("p", "q"):
                if not isinstance(k.get(field), str) or "=" in k[field] or "+" in k[field] or "/" in k[field]:
                    problems.append("%s is not unpadded base64url" % field)
            n = phe.util.base64_to_int(p["n"])
            pk = phe.PaillierPublicKey(n)
            sk = phe.PaillierPrivateKey(pk, phe.util.base64_to_int(k["p"]), phe.util.base64_to_int(k["q"]))
            if n.bit_length() != bits:
                problems.append("|n| = %d" % n.bit_length())
            if sk.decrypt(pk.encrypt(-2.5)) != -2.5:
                problems.append("phe round trip with the key failed")
        except Exception as err:  # noqa: BLE001 - any failure to parse is the finding
            problems = ["%s: %s" % (type(err).__name__, err)]
        return self.record(name, not problems, "; ".join(problems))

    # -- the rounds -------------------------------------------------------------------------------

    def round(self, bits, key_origin, values_a, values_b):
        """One key pair (made by phe or by secagg, phe format), encryptions and sums both ways."""
        label = "%s key %d" % (key_origin, bits)
        keys = self.phe_keys(bits) if key_origin == "phe" else self.secagg_keys(bits, "phe")
        if keys is None:
            return
        priv, pub = keys
        if key_origin == "secagg":
            self.check_secagg_phe_key_files(bits, priv, pub)

        # pheutil -> secagg decrypt (one file per value and one file holding all lines)
        files_a, joined_a = self.phe_encrypt_many(pub, values_a, "pe-a-%s-%d" % (key_origin, bits))
        files_b, joined_b = self.phe_encrypt_many(pub, values_b, "pe-b-%s-%d" % (key_origin, bits))
        if files_a and files_b:
            r = self.t.sa("decrypt", "--key", priv, joined_a, "--format", "phe")
            if self.ran("secagg decrypt of pheutil ciphertexts (%s)" % label, r):
                self.compare("secagg decrypt of pheutil ciphertexts (%s)" % label, r.out.splitlines(),
                             values_a, PHE_RESOLUTION)
            r = self.t.sa("decrypt", "--key", priv, files_a[0], "--format", "phe")
            if self.ran("secagg decrypt of one pheutil file (%s)" % label, r):
                self.compare("secagg decrypt of one pheutil file (%s)" % label, r.out.splitlines(),
                             values_a[:1], PHE_RESOLUTION)
                if values_a[0] == 1.5:
                    self.record("secagg prints 1.5 as '1.5' (%s)" % label, r.out.strip() == "1.5",
                                "printed %r" % r.out.strip())
            # secagg add of pheutil ciphertexts -> pheutil decrypt
            r = self.t.sa("add", joined_a, joined_b, "--key", pub, "--format", "phe")
            name = "secagg add of pheutil ciphertexts, decrypted by pheutil (%s)" % label
            if self.ran(name, r):
                lines = self.phe_lines("secagg add --format phe output format (%s)" % label, r, len(values_a))
                if lines:
                    got = self.phe_decrypt_lines(priv, lines, "sum-sa-%s-%d" % (key_origin, bits), name)
                    if got is not None:
                        self.compare(name, got, [x + y for x, y in zip(values_a, values_b)], PHE_RESOLUTION)

        # secagg encrypt -> pheutil decrypt
        r = self.t.sa("encrypt", "--key", pub, values_arg(values_a), "--format", "phe")
        name = "pheutil decrypt of secagg ciphertexts (%s)" % label
        sa_a = None
        if self.ran("secagg encrypt --format phe (%s)" % label, r):
            sa_a = self.phe_lines("secagg encrypt --format phe output format (%s)" % label, r, len(values_a))
            if sa_a:
                got = self.phe_decrypt_lines(priv, sa_a, "sa-enc-%s-%d" % (key_origin, bits), name)
                if got is not None:
                    self.compare(name, got, values_a, PHE_RESOLUTION)
                r2 = self.t.sa("decrypt", "--key", priv, self.t.write("sa-a-%s-%d.jsonl" % (key_origin, bits),
                                                                      "\n".join(sa_a) + "\n"), "--format", "phe")
                if self.ran("secagg decrypt of secagg phe ciphertexts (%s)" % label, r2):
                    self.compare("secagg decrypt of secagg phe ciphertexts (%s)" % label, r2.out.splitlines(),
                                 values_a, PHE_RESOLUTION)
        r = self.t.sa("encrypt", "--key", pub, values_arg(values_b), "--format", "phe")
        sa_b = None
        if self.ran("secagg encrypt --format phe, second batch (%s)" % label, r):
            sa_b = self.phe_lines("secagg encrypt --format phe output format, second batch (%s)" % label, r,
                                  len(values_b))

        # pheutil addenc of secagg ciphertexts -> secagg decrypt
        if sa_a and sa_b:
            name = "pheutil addenc of secagg ciphertexts, decrypted by secagg (%s)" % label
            sums = []
            for i, (la, lb) in enumerate(zip(sa_a, sa_b)):
                fa = self.t.write("add-in-a-%s-%d-%d.json" % (key_origin, bits, i), la + "\n")
                fb = self.t.write("add-in-b-%s-%d-%d.json" % (key_origin, bits, i), lb + "\n")
                r = self.t.pheutil("addenc", pub, fa, fb)
                if r.rc != 0:
                    self.record(name, False, "pair %d: %s" % (i, r.describe()))
                    sums = None
                    break
                sums.append(r.out.strip())
            if sums is not None:
                f = self.t.write("sum-phe-%s-%d.jsonl" % (key_origin, bits), "\n".join(sums) + "\n")
                r = self.t.sa("decrypt", "--key", priv, f, "--format", "phe")
                if self.ran(name, r):
                    self.compare(name, r.out.splitlines(), [x + y for x, y in zip(values_a, values_b)],
                                 PHE_RESOLUTION)

    def mixed_exponents(self, bits):
        """pheutil writes e < -32 for tiny values; secagg must decrypt it and align exponents in a sum."""
        keys = self.phe_keys(bits)
        if keys is None:
            return
        priv, pub = keys
        tiny = self.phe_encrypt(pub, TINY, "tiny.json")
        big = self.phe_encrypt(pub, 2.5, "big.json")
        if not (tiny and big):
            return
        e = json.loads(open(tiny).read())["e"]
        self.record("pheutil encrypts %r with an exponent below -32" % TINY, e < -32, "e = %r" % e)
        r = self.t.sa("decrypt", "--key", priv, tiny, "--format", "phe")
        if self.ran("secagg decrypt of an e = %s number" % e, r):
            self.compare("secagg decrypt of an e = %s number" % e, r.out.splitlines(), [TINY], 0.0)
        for first, second, order in ((tiny, big, "e<-32 first"), (big, tiny, "e=-32 first")):
            name = "secagg add with exponents %s and -32 (%s), decrypted by pheutil" % (e, order)
            r = self.t.sa("add", first, second, "--key", pub, "--format", "phe")
            if self.ran(name, r):
                lines = self.phe_lines("secagg add output format (%s)" % order, r, 1)
                if lines:
                    got = self.phe_decrypt_lines(priv, lines, "mixed-%s" % order.split()[0], name)
                    if got is not None:
                        self.compare(name, got, [2.5 + TINY], PHE_RESOLUTION)
                        obj = json.loads(lines[0])
                        self.record("the aligned sum keeps the smaller exponent (%s)" % order, obj["e"] == e,
                                    "e = %r" % obj["e"])

    def native_round_trip(self, bits):
        keys = self.secagg_keys(bits, "native")
        if keys is None:
            return
        priv, pub = keys
        label = "native %d" % bits
        try:
            kp = json.loads(open(priv).read())
            kq = json.loads(open(pub).read())
            ok = (kp.get("version") == 1 and kp.get("type") == "paillier-private-key"
                  and kq.get("version") == 1 and kq.get("type") == "paillier-public-key"
                  and kp.get("n") == kq.get("n") and int(kp["p"]) * int(kp["q"]) == int(kp["n"])
                  and int(kq["n"]).bit_length() == bits)
            detail = "" if ok else "keys: %r / %r" % (sorted(kp), sorted(kq))
        except Exception as err:  # noqa: BLE001
            ok, detail = False, "%s: %s" % (type(err).__name__, err)
        self.record("secagg native key files (%s)" % label, ok, detail)
        docs = []
        for values, stem in ((VALUES_A, "na"), (VALUES_B, "nb")):
            r = self.t.sa("encrypt", "--key", pub, values_arg(values), "--format", "native")
            if not self.ran("secagg encrypt --format native (%s)" % label, r):
                return
            try:
                doc = json.loads(r.out)
                ok = (doc.get("version") == 1 and doc.get("type") == "paillier-ciphertexts"
                      and doc.get("n") == kq.get("n") and doc.get("fraction_bits") == 32
                      and len(doc.get("ciphertexts", [])) == len(values)
                      and all(isinstance(c, str) and c.isdigit() for c in doc["ciphertexts"]))
                detail = "" if ok else r.out[:200]
            except Exception as err:  # noqa: BLE001
                ok, detail = False, "%s: %s" % (type(err).__name__, err)
            self.record("secagg native ciphertext document (%s)" % label, ok, detail)
            docs.append(self.t.write("%s-%d.json" % (stem, bits), r.out))
        r = self.t.sa("decrypt", "--key", priv, docs[0], "--format", "native")
        if self.ran("secagg native decrypt (%s)" % label, r):
            self.compare("secagg native decrypt (%s)" % label, r.out.splitlines(), VALUES_A, NATIVE_RESOLUTION)
        r = self.t.sa("add", docs[0], docs[1], "--key", pub, "--format", "native")
        if self.ran("secagg native add (%s)" % label, r):
            summed = self.t.write("nsum-%d.json" % bits, r.out)
            r = self.t.sa("decrypt", "--key", priv, summed, "--format", "native")
            if self.ran("secagg native decrypt of a sum (%s)" % label, r):
                self.compare("secagg native decrypt of a sum (%s)" % label, r.out.splitlines(),
                             [x + y for x, y in zip(VALUES_A, VALUES_B)], NATIVE_RESOLUTION)
        # the same ciphertexts through phe's arithmetic (native n and ciphertexts are plain decimals)
        try:
            import phe
            n = int(kq["n"])
            sk = phe.PaillierPrivateKey(phe.PaillierPublicKey(n), int(kp["p"]), int(kp["q"]))
            doc = json.loads(open(docs[0]).read())
            got = [sk.decrypt(phe.EncryptedNumber(sk.public_key, int(c), exponent=-8)) for c in doc["ciphertexts"]]
            self.compare("phe decrypts secagg native ciphertexts (fraction_bits 32 = exponent -8) (%s)" % label,
                         [repr(x) for x in got], VALUES_A, NATIVE_RESOLUTION)
        except Exception as err:  # noqa: BLE001
            self.record("phe decrypts secagg native ciphertexts (%s)" % label, False,
                        "%s: %s" % (type(err).__name__, err))

    def expect_failure(self, name, result):
        err_lines = result.err.strip("\n").split("\n") if result.err.strip() else []
        ok = result.rc == 1 and len(err_lines) == 1
        return self.record("rejects %s (exit 1, one stderr line)" % name, ok,
                           "exit %s, stderr %r" % (result.rc, result.err[:300]))

    def bad_inputs(self, bits):
        keys = self.phe_keys(bits)
        if keys is None:
            return
        priv, pub = keys
        priv_text, pub_text = open(priv).read(), open(pub).read()
        n = json.loads(pub_text)["n"]
        import phe.util
        n = phe.util.base64_to_int(n)
        good = self.phe_encrypt(pub, 1.5, "good.json")
        if not good:
            return
        trunc_priv = self.t.write("trunc-priv.json", priv_text[: len(priv_text) // 2])
        trunc_pub = self.t.write("trunc-pub.json", pub_text[: len(pub_text) // 2])
        self.expect_failure("a truncated phe private key (decrypt)",
                            self.t.sa("decrypt", "--key", trunc_priv, good, "--format", "phe"))
        self.expect_failure("a truncated phe public key (encrypt)",
                            self.t.sa("encrypt", "--key", trunc_pub, "--values=1.5", "--format", "phe"))
        self.expect_failure("a truncated phe public key (add)",
                            self.t.sa("add", good, good, "--key", trunc_pub, "--format", "phe"))
        for v, what in ((0, "0"), (n * n, "n^2"), (n * n + 1, "n^2 + 1")):
            f = self.t.write("bad-%s.json" % what.replace("^", "").replace(" + ", "p"),
                             json.dumps({"v": str(v), "e": -32}) + "\n")
            self.expect_failure("ciphertext v = %s (decrypt)" % what,
                                self.t.sa("decrypt", "--key", priv, f, "--format", "phe"))
            self.expect_failure("ciphertext v = %s (add)" % what,
                                self.t.sa("add", good, f, "--key", pub, "--format", "phe"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secagg", required=True, help="path of the secagg executable")
    parser.add_argument("--venv", help="venv for python-paillier (created when phe is not importable)")
    parser.add_argument("--no-2048", action="store_true", help="skip the 2048-bit round")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temporary directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    args = parser.parse_args(argv)

    ensure_phe(args.venv)
    import phe.util
    if not phe.util.HAVE_GMP:
        fatal("phe is importable but runs without gmpy2 (phe.util.HAVE_GMP is False)")

    secagg = os.path.abspath(args.secagg)
    if not (os.path.isfile(secagg) and os.access(secagg, os.X_OK)):
        fatal("%s is not an executable (build it first: swift build)" % args.secagg)

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        workdir, cleanup = os.path.abspath(args.keep), None
    else:
        workdir = tempfile.mkdtemp(prefix="phe-interop-")
        cleanup = workdir
    try:
        c = Checker(Tools(secagg, workdir), args.verbose)
        c.round(1024, "phe", VALUES_A, VALUES_B)
        c.round(1024, "secagg", VALUES_A, VALUES_B)
        c.mixed_exponents(1024)
        c.native_round_trip(1024)
        c.bad_inputs(1024)
        if not args.no_2048:
            c.round(2048, "phe", VALUES_A[:4], VALUES_B[:4])
            c.round(2048, "secagg", VALUES_A[:4], VALUES_B[:4])
    finally:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
    print("phe-interop: %d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
