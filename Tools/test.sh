#!/usr/bin/env bash
# Every test: system packages, the vector generators' self-checks, a release build, and `swift test`
# (which also runs the independent Python checks under Tools/).
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/deps.sh
secagg_install_deps "${SECAGG_BUILD_DEPS[@]}" python3

echo "== vector generators (independent Python): committed files are up to date"
for generator in Tools/gen_*.py; do
    python3 "$generator" --check
done

echo "== release build"
swift build -c release

echo "== tests"
swift test
