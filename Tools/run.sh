#!/usr/bin/env bash
# The main job: build SecAggKit (release) and run it. For now: check every known-answer vector file.
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/deps.sh
secagg_install_deps "${SECAGG_BUILD_DEPS[@]}"
swift build -c release --product secagg
.build/release/secagg vectors verify "$@"
