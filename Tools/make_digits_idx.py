#!/usr/bin/env python3
"""Builds Examples/data/digits/: the UCI Optical Recognition of Handwritten Digits test set (the 1,797 8x8
images scikit-learn ships as `sklearn/datasets/data/digits.csv.gz`, CC BY 4.0) as MNIST-format IDX files.

Source: the scikit-learn wheel (downloaded with `pip download scikit-learn==1.9.1 --no-deps` unless --wheel or
--csv names a local copy). Each CSV row is 64 pixel counts in 0..16 and the digit. Pixels are scaled to bytes
as round(v * 255 / 16) so the IDX loader's /255 maps them to [0, 1]. Split, deterministic and stratified by
position: row i (0-based) goes to the test set if i % 5 == 4, else to the training set (1,438 / 359).
Output: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
t10k-labels-idx1-ubyte.gz, gzip with mtime 0 and no file name, so the bytes are reproducible.

    python3 Tools/make_digits_idx.py            # (re)write the files
    python3 Tools/make_digits_idx.py --check    # exit 1 if the committed files differ from a fresh build
"""
import argparse
import csv
import gzip
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

SKLEARN_VERSION = "1.9.1"
MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Examples", "data", "digits")


def read_csv_gz(data: bytes):
    rows = list(csv.reader(io.StringIO(gzip.decompress(data).decode("ascii"))))
    images, labels = [], []
    for row in rows:
        values = [int(v) for v in row]
        if len(values) != 65 or not all(0 <= v <= 16 for v in values[:64]) or not 0 <= values[64] <= 9:
            raise SystemExit(f"unexpected row in digits.csv.gz: {row[:5]}...")
        images.append(bytes(round(v * 255 / 16) for v in values[:64]))
        labels.append(values[64])
    if len(rows) != 1797:
        raise SystemExit(f"expected 1797 rows, found {len(rows)}")
    return images, labels


def source_bytes(args) -> bytes:
    if args.csv:
        with open(args.csv, "rb") as f:
            return f.read()
    wheel = args.wheel
    tmp = None
    if not wheel:
        tmp = tempfile.mkdtemp()
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"scikit-learn=={SKLEARN_VERSION}", "--no-deps",
             "--only-binary=:all:", "-q", "-d", tmp],
            check=True)
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
    with zipfile.ZipFile(wheel) as z:
        return z.read(MEMBER)


def idx_images(images) -> bytes:
    return struct.pack(">IIII", 0x803, len(images), 8, 8) + b"".join(images)


def idx_labels(labels) -> bytes:
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def build(args):
    images, labels = read_csv_gz(source_bytes(args))
    test = [i for i in range(len(images)) if i % 5 == 4]
    train = [i for i in range(len(images)) if i % 5 != 4]
    return {
        "train-images-idx3-ubyte.gz": gz(idx_images([images[i] for i in train])),
        "train-labels-idx1-ubyte.gz": gz(idx_labels([labels[i] for i in train])),
        "t10k-images-idx3-ubyte.gz": gz(idx_images([images[i] for i in test])),
        "t10k-labels-idx1-ubyte.gz": gz(idx_labels([labels[i] for i in test])),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", help="a local scikit-learn wheel")
    parser.add_argument("--csv", help="a local digits.csv.gz")
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    parser.add_argument("--out", default=OUT_DIR)
    args = parser.parse_args()
    files = build(args)
    if args.check:
        stale = []
        for name, data in files.items():
            path = os.path.join(args.out, name)
            if not os.path.exists(path) or open(path, "rb").read() != data:
                stale.append(name)
        if stale:
            print("out of date: " + ", ".join(stale))
            sys.exit(1)
        print("digits IDX files up to date")
        return
    os.makedirs(args.out, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
