#!/usr/bin/env python3
"""NumPy reference for the training benchmarks (Benchmarks/Core/TrainingBenchmarks.swift).

One local epoch of mini-batch SGD, exactly the computation FederatedLearning's `Model.train` does: shuffle, batches
of 32, forward (X·W + b, ReLU, softmax), cross-entropy loss, backward (Wᵀ-products, bias sums), in-place update,
float32 throughout, over 10,000 dense Gaussian-cluster samples of 784 features and 10 classes, for softmax
regression 784-10 and the MLP 784-128-10 (He/Glorot-uniform initialisation, zero biases). Prints samples/s as
JSON (median over the timed epochs, after one warm-up epoch).

BLAS threads: --threads 1 (default) pins OpenBLAS/MKL/OpenMP to one thread, the same as the Swift code;
--threads 0 leaves the library default (all cores).

Uses the running Python's numpy; if it has none, creates .venv-numpy at the repository root, installs numpy
there and re-runs itself with it.

    python3 Tools/bench_numpy_training.py [--threads 1] [--epochs 7]
"""
import argparse
import json
import os
import subprocess
import sys
import time

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
VENV = os.path.join(REPO, ".venv-numpy")


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (0: library default)")
    p.add_argument("--epochs", type=int, default=7, help="timed epochs per model (after one warm-up)")
    p.add_argument("--samples", type=int, default=10_000)
    p.add_argument("--batch", type=int, default=32)
    return p.parse_args()


args = parse()
if args.threads > 0:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = str(args.threads)

try:
    import numpy as np
except ImportError:
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(python):
        raise SystemExit("numpy is missing even in .venv-numpy")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "numpy"], check=True)
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])

FEATURES, CLASSES = 784, 10


def make_data(n, rng):
    """Gaussian clusters as SyntheticClassification: class means N(0, sep²/(2d)), unit noise, sep = 4."""
    means = rng.standard_normal((CLASSES, FEATURES)) * (4.0 / np.sqrt(2 * FEATURES))
    y = rng.permutation(np.arange(n) % CLASSES).astype(np.int64)
    x = (means[y] + rng.standard_normal((n, FEATURES))).astype(np.float32)
    return x, y


def init(sizes, rng):
    layers = []
    for l in range(len(sizes) - 1):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        a = np.sqrt(6.0 / (fan_in + fan_out)) if l == len(sizes) - 2 else np.sqrt(6.0 / fan_in)
        w = ((2 * rng.random((fan_in, fan_out)) - 1) * a).astype(np.float32)
        layers.append([w, np.zeros(fan_out, dtype=np.float32)])
    return layers


def epoch(layers, x, y, batch, lr, rng):
    n = x.shape[0]
    perm = rng.permutation(n)
    loss_sum = 0.0
    lr = np.float32(lr)
    for start in range(0, n, batch):
        idx = perm[start:start + batch]
        xb, yb = x[idx], y[idx]
        b = xb.shape[0]
        acts = [xb]
        for i, (w, bias) in enumerate(layers):
            z = acts[-1] @ w
            z += bias
            if i < len(layers) - 1:
                np.maximum(z, 0, out=z)
            acts.append(z)
        logits = acts[-1]
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        s = logits.sum(axis=1, keepdims=True)
        logits /= s
        rows = np.arange(b)
        loss_sum += float(-np.log(logits[rows, yb]).sum())
        delta = logits
        delta[rows, yb] -= 1
        delta *= np.float32(1.0 / b)
        for i in range(len(layers) - 1, -1, -1):
            w, bias = layers[i]
            below = acts[i]
            dw = below.T @ delta
            db = delta.sum(axis=0)
            if i > 0:
                delta = delta @ w.T
                delta *= below > 0
            w -= lr * dw
            bias -= lr * db
    return loss_sum / n


def main():
    rng = np.random.default_rng(0x7EA1)
    x, y = make_data(args.samples, rng)
    results = []
    for name, sizes in (("softmax 784-10", [FEATURES, CLASSES]), ("MLP 784-128-10", [FEATURES, 128, CLASSES])):
        layers = init(sizes, rng)
        epoch(layers, x, y, args.batch, 0.01, rng)  # warm-up
        times = []
        for _ in range(args.epochs):
            t0 = time.perf_counter()
            epoch(layers, x, y, args.batch, 0.01, rng)
            times.append(time.perf_counter() - t0)
        times.sort()
        median = times[len(times) // 2]
        results.append({
            "model": name, "samples": args.samples, "batch_size": args.batch,
            "epoch_seconds_median": median, "samples_per_second": args.samples / median,
        })
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown")
    except Exception:
        pass
    print(json.dumps({
        "numpy": np.__version__, "blas": blas, "blas_threads": args.threads or "default", "results": results,
    }, indent=2))


main()
