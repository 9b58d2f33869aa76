#!/usr/bin/env bash
# Full-build benchmark of recap against Hugo, Zola and Jekyll (when installed).
# Kept for existing habits and docs: it only runs bench/run.sh with the same
# arguments and environment, so
#
#   bench/build.sh [N ...]                    # default: 1000 10000
#   RUNS=3 TOOLS="recap zola" bench/build.sh 1000 10000 100000
#
# does exactly what bench/run.sh does (see its header for every knob). Like
# before, recap is built with `cargo build --release` unless RECAP_BIN is set.
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run.sh" "$@"
