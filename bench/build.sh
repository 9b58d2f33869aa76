#!/usr/bin/env bash
# Full-build benchmark: recap against Hugo, Zola and Jekyll (when installed)
# on the shared synthetic corpus, with wall time, CPU time and peak memory.
#
#   bench/build.sh [N ...]        # default: 1000 10000
#   RUNS=3 TOOLS="recap zola" bench/build.sh 1000 10000 100000
#
# It builds recap in release mode and runs ../shared/bench/run_peers.sh,
# which generates each corpus (gen_corpus.py), does one warm-up build and
# RUNS timed builds per tool with the output removed before each, and
# prints medians. Peers missing on this machine are skipped with a note.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
SHARED=${SHARED:-$REPO/../shared/bench}
[ -f "$SHARED/run_peers.sh" ] || { echo "need $SHARED/run_peers.sh (the shared benchmark kit)" >&2; exit 2; }
(cd "$REPO" && cargo build --release --quiet)
export RECAP_BIN="$REPO/target/release/recap"
export RUNS=${RUNS:-3}
exec bash "$SHARED/run_peers.sh" "$@"
