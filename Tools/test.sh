#!/usr/bin/env bash
# Every test: system packages, the vector generators' self-checks, a release build, and `swift test`
# (which also runs the independent Python checks under Tools/, including the python-paillier
# differential test in .venv-phe).
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/deps.sh
secagg_install_deps "${SECAGG_BUILD_DEPS[@]}" python3 python3-venv

echo "== python-paillier (phe) for the differential test, in .venv-phe"
if ! .venv-phe/bin/python -c "import phe, gmpy2, click" 2>/dev/null; then
    python3 -m venv .venv-phe
    .venv-phe/bin/pip install --quiet --disable-pip-version-check phe==1.5.0 gmpy2 click
fi

echo "== vector generators (independent Python): committed files are up to date"
for generator in Tools/gen_*.py; do
    python3 "$generator" --check
done

echo "== release build"
swift build -c release

echo "== tests"
swift test
