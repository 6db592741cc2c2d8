#!/usr/bin/env python3
"""Independent check of admission proofs, token shares and tokens (Specs/admission.md).

Reads the JSON files SecAggKit writes (AdmissionPublicParameters, AdmissionProof, TokenShare,
AdmissionToken) and re-verifies them with plain Python integers, using the formulas of
Tools/gen_admission_vectors.py; it never calls SecAggKit.

Usage:
    python3 Tools/check_admission.py --public public.json [--session S --round R]
        [--proof PROOF.json ...] [--share SHARE.json ...] [--token TOKEN.json ...]
Prints one line per file ("ok" or the reason) and exits 1 if any check fails.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_admission_vectors import (Group, authority_set_digest, combine_in_exponent, derive_group,  # noqa: E402
                                   dleq_verify, hash_to_group, lagrange_at_zero, schnorr_verify)
from gen_vectors import is_prime  # noqa: E402


class Reject(Exception):
    pass


def load_public(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("version", 1) != 1:
        raise Reject("public parameters version %r" % doc.get("version"))
    gp = doc["group"]
    G = Group(int(gp["p"]), int(gp["q"]), int(gp["g"]))
    std = derive_group()
    if (G.p, G.q, G.g) != (std["p"], std["q"], std["g"]):
        if not (is_prime(G.p) and is_prime(G.q) and (G.p - 1) % G.q == 0 and G.valid(G.g)):
            raise Reject("invalid group")
    t = int(doc["threshold"])
    vks = [int(v) for v in doc["verificationKeys"]]
    Y = int(doc["issuingPublicKey"])
    if not 1 <= t <= len(vks):
        raise Reject("threshold %d not in 1..%d" % (t, len(vks)))
    if not all(G.valid(v) for v in vks) or not G.valid(Y):
        raise Reject("verification key outside the subgroup")
    if combine_in_exponent(G, list(range(1, t + 1)), vks[:t]) != Y:
        raise Reject("verification keys do not interpolate to the issuing public key")
    return G, t, vks, Y, authority_set_digest(G, t, vks, Y)


def expect_context(obj, session, rnd):
    if session is not None and obj["session"] != session:
        raise Reject("session %r, expected %r" % (obj["session"], session))
    if rnd is not None and int(obj["round"]) != rnd:
        raise Reject("round %s, expected %d" % (obj["round"], rnd))


def check_proof(pub, proof, session, rnd):
    G, t, vks, Y, digest = pub
    expect_context(proof, session, rnd)
    y = int(proof["publicKey"]["y"])
    if not schnorr_verify(G, y, int(proof["commitment"]), int(proof["response"]), proof["session"],
                          int(proof["round"]), digest):
        raise Reject("invalid Schnorr proof")


def check_share(pub, share, client_y, session, rnd):
    G, t, vks, Y, digest = pub
    j = int(share["authority"])
    if not 1 <= j <= len(vks):
        raise Reject("unknown authority %d" % j)
    if int(share["client"]["y"]) != client_y or share["session"] != session or int(share["round"]) != rnd:
        raise Reject("share %d is for another client, session or round" % j)
    h = hash_to_group(G, client_y, session, rnd)
    if not dleq_verify(G, h, vks[j - 1], int(share["value"]), int(share["proof"]["challenge"]),
                       int(share["proof"]["response"])):
        raise Reject("share of authority %d has an invalid DLEQ proof" % j)


def check_token(pub, token, session, rnd):
    G, t, vks, Y, digest = pub
    expect_context(token, session, rnd)
    y = int(token["client"]["y"])
    if not G.valid(y):
        raise Reject("client key outside the subgroup")
    shares = token["shares"]
    if len(shares) < t:
        raise Reject("only %d shares, %d needed" % (len(shares), t))
    seen = set()
    for share in shares:
        j = int(share["authority"])
        if j in seen:
            raise Reject("duplicate authority %d" % j)
        seen.add(j)
        check_share(pub, share, y, token["session"], int(token["round"]))
    used = shares[:t]
    sigma = combine_in_exponent(G, [int(s["authority"]) for s in used], [int(s["value"]) for s in used])
    if sigma != int(token["value"]):
        raise Reject("token value is not the combination of its shares")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--public", required=True)
    parser.add_argument("--session")
    parser.add_argument("--round", type=int)
    parser.add_argument("--proof", action="append", default=[])
    parser.add_argument("--share", action="append", default=[])
    parser.add_argument("--token", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        pub = load_public(args.public)
    except (Reject, KeyError, ValueError) as e:
        print("%s: %s" % (args.public, e))
        return 1
    failures = 0
    jobs = [("proof", p) for p in args.proof] + [("share", p) for p in args.share] + \
           [("token", p) for p in args.token]
    for kind, path in jobs:
        try:
            with open(path, encoding="utf-8") as f:
                obj = json.load(f)
            if kind == "proof":
                check_proof(pub, obj, args.session, args.round)
            elif kind == "share":
                expect_context(obj, args.session, args.round)
                check_share(pub, obj, int(obj["client"]["y"]), obj["session"], int(obj["round"]))
            else:
                check_token(pub, obj, args.session, args.round)
            print("%s: ok (%s)" % (path, kind))
        except (Reject, KeyError, ValueError, TypeError) as e:
            print("%s: %s" % (path, e))
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
