#!/usr/bin/env bash
# Every test: system packages (Chromium for the dashboard's browser check), the vector generators'
# self-checks, and `swift test` (which also runs the independent Python checks under Tools/, including the
# python-paillier differential test in .venv-phe, and the networked mode as real processes).
# `swift test` builds every target, benchmarks included (debug); Tools/run.sh builds release.
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

echo "== headless Chromium for the dashboard test"
secagg_install_chromium || echo "chromium unavailable: the dashboard browser check will be skipped"

echo "== tests"
swift test
