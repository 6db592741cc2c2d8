#!/usr/bin/env bash
# The main job: build SecAggKit (release), check every known-answer vector file, then run a FedAvg demo
# with secure aggregation (Bonawitz et al. masking, 20% of clients dropping each round) on built-in
# synthetic data; results in ./results (results.json, rounds.csv, SVG plots).
set -euo pipefail
cd "$(dirname "$0")/.."
source Tools/deps.sh
secagg_install_deps "${SECAGG_BUILD_DEPS[@]}"
swift build -c release --product secagg
.build/release/secagg vectors verify
.build/release/secagg run --config Examples/fedavg-secagg.json --out results
