#!/usr/bin/env bash
# Full-build benchmark: recap against Hugo, Zola and Jekyll on the synthetic
# conference-recap corpus of bench/gen_corpus.py.
#
#   bench/run.sh [N ...]                          # default: 1000 10000
#   RUNS=1 TOOLS="recap hugo jekyll" bench/run.sh 200 1000
#   RECAP_BIN=target/release/recap bench/run.sh 100000
#
# Environment:
#   RUNS=3            timed builds per tool and N (after one warm-up build)
#   TOOLS="recap hugo zola jekyll"   tools to measure; ones not installed are
#                     skipped with a note
#   BENCH_DIR=/tmp/recap-bench   corpora (<tool>-<N>/), logs/ and results.tsv
#   RECAP_BIN         recap binary; unset: `cargo build --release` in this
#                     repository and use its target/release/recap
#   TIMEOUT=900       seconds allowed for one build
#   KEEP_CORPUS=1     reuse BENCH_DIR/<tool>-<N> when its manifest matches
#   CPUS              e.g. "1": run every build under `taskset -c 1`
#                     (default: no pinning, all cores)
#   HUGO, ZOLA, JEKYLL   commands for the peers (default: hugo, zola, jekyll)
#
# For every N and tool: write the corpus in the tool's flavor, build it once
# as a warm-up (it must exit 0 and pass bench/check_build.py: a page per
# post, every tag and event page, pagination, the feed and the sitemap), then
# time RUNS builds with /usr/bin/time -v. Before every build, warm-up
# included, the output folder (public/) and the tools' caches are deleted,
# the same for every tool. Hugo and Zola are also measured with syntax
# highlighting off (config.nohl.toml). Reported: median wall time, median
# CPU time (user + sys) and the highest peak RSS of the timed builds.
#
# Output: progress on stderr; a Markdown table (a row per N, a column per
# tool: "wall s / CPU s / MiB") and recap's ratios to the fastest and the
# leanest peer (highlighting on) on stdout; BENCH_DIR/results.tsv; build
# logs and /usr/bin/time reports in BENCH_DIR/logs/.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-recap hugo zola jekyll}
BENCH_DIR=${BENCH_DIR:-/tmp/recap-bench}
TIMEOUT=${TIMEOUT:-900}
KEEP_CORPUS=${KEEP_CORPUS:-0}
CPUS=${CPUS:-}
HUGO=${HUGO:-hugo}
ZOLA=${ZOLA:-zola}
JEKYLL=${JEKYLL:-jekyll}

die() { echo "run.sh: $*" >&2; exit 2; }
say() { echo "$*" >&2; }

NS=("$@")
[ ${#NS[@]} -gt 0 ] || NS=(1000 10000)
for n in "${NS[@]}"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$n'"; done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "TIMEOUT must be a number of seconds"
[ -x /usr/bin/time ] || die "needs GNU time as /usr/bin/time (Debian package 'time')"
command -v python3 >/dev/null || die "needs python3"
PIN=()
if [ -n "$CPUS" ]; then
  command -v taskset >/dev/null || die "CPUS is set but taskset is missing"
  PIN=(taskset -c "$CPUS")
fi

mkdir -p "$BENCH_DIR/logs" || die "cannot create $BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
LOGS=$BENCH_DIR/logs
RESULTS=$BENCH_DIR/results.tsv

# ---------------------------------------------------------------- tools

declare -A VERSION
ACTIVE=()
ZOLA_CONFIG=giallo
for tool in $TOOLS; do
  case $tool in
    recap)
      if [ -z "${RECAP_BIN:-}" ]; then
        say "building recap: cargo build --release"
        (cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
        RECAP_BIN=$REPO/target/release/recap
      fi
      [ -x "$RECAP_BIN" ] || { say "skip recap: $RECAP_BIN is not an executable"; continue; }
      RECAP_BIN=$(cd "$(dirname "$RECAP_BIN")" && pwd)/$(basename "$RECAP_BIN")
      VERSION[recap]=$("$RECAP_BIN" --version 2>/dev/null | head -1 | awk '{print $NF}') ;;
    hugo)
      command -v "$HUGO" >/dev/null || { say "skip hugo: '$HUGO' is not installed"; continue; }
      VERSION[hugo]=$("$HUGO" version 2>/dev/null | awk '{print $2}') ;;
    zola)
      command -v "$ZOLA" >/dev/null || { say "skip zola: '$ZOLA' is not installed"; continue; }
      VERSION[zola]=$("$ZOLA" --version 2>/dev/null | awk '{print $2}')
      # 0.22 replaced the highlighting keys; the corpus must match the binary
      case ${VERSION[zola]} in 0.19.*|0.20.*|0.21.*) ZOLA_CONFIG=syntect ;; esac ;;
    jekyll)
      command -v "$JEKYLL" >/dev/null || { say "skip jekyll: '$JEKYLL' is not installed"; continue; }
      VERSION[jekyll]="$("$JEKYLL" --version 2>/dev/null | awk '{print $2}')/ruby-$(ruby -e 'print RUBY_VERSION' 2>/dev/null)" ;;
    *) say "skip $tool: unknown tool (known: recap hugo zola jekyll)"; continue ;;
  esac
  [ -n "${VERSION[$tool]}" ] || VERSION[$tool]=unknown
  ACTIVE+=("$tool")
done
[ ${#ACTIVE[@]} -gt 0 ] || die "no tool to measure"

# ---------------------------------------------------------------- helpers

clean_output() {  # everything a previous build leaves behind
  rm -rf "$1/public" "$1/.jekyll-cache" "$1/.jekyll-metadata" "$1/resources" "$1/.hugo_build.lock"
}

# build_once DIR LOG CMD...  ->  RC WALL CPU RSS_KB
build_once() {
  local dir=$1 log=$2; shift 2
  local report=$log.time
  clean_output "$dir"
  ( cd "$dir" && exec /usr/bin/time -v -o "$report" "${PIN[@]}" timeout -k 10 "$TIMEOUT" "$@" ) >"$log" 2>&1
  RC=$?
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
                       for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$report")
  CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$report")
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report")
  [ -n "$WALL" ] && [ -n "$RSS_KB" ] || { WALL=0; CPU=0; RSS_KB=0; [ "$RC" = 0 ] && RC=1; }
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

row() { local IFS=$'\t'; echo "$*" >>"$RESULTS"; }

# measure N TOOL VARIANT HIGHLIGHT DIR CMD...
measure() {
  local n=$1 tool=$2 variant=$3 hl=$4 dir=$5; shift 5
  local ver=${VERSION[$tool]} tag="$n-$variant"
  say "== $variant, $n posts: $*"
  build_once "$dir" "$LOGS/$tag-warmup.log" "$@"
  if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
    say "   warm-up timed out after ${TIMEOUT}s"
    row "$n" "$variant" "$ver" "$hl" 0 - - - - "timeout"; return
  elif [ "$RC" != 0 ]; then
    say "   warm-up failed (exit $RC), see $LOGS/$tag-warmup.log"
    row "$n" "$variant" "$ver" "$hl" 0 - - - - "failed"; return
  fi
  local check
  check=$(python3 "$HERE/check_build.py" "$dir" --strict)
  local ok=$?
  say "   warm-up ${WALL}s: $check"
  echo "$check" >>"$LOGS/$tag-warmup.log"
  local html=${check%% *}; html=${html#html=}
  if [ $ok != 0 ]; then
    row "$n" "$variant" "$ver" "$hl" 0 - - - "$html" "bad-output"; return
  fi
  local walls=() cpus=() max_rss=0 i
  for ((i = 1; i <= RUNS; i++)); do
    build_once "$dir" "$LOGS/$tag-run$i.log" "$@"
    if [ "$RC" != 0 ]; then
      local why=failed; { [ "$RC" = 124 ] || [ "$RC" = 137 ]; } && why=timeout
      say "   run $i: $why (exit $RC), see $LOGS/$tag-run$i.log"
      row "$n" "$variant" "$ver" "$hl" "$((i - 1))" - - - "$html" "$why"; return
    fi
    say "   run $i: ${WALL}s wall, ${CPU}s CPU, $((RSS_KB / 1024)) MiB"
    walls+=("$WALL"); cpus+=("$CPU")
    [ "$RSS_KB" -gt "$max_rss" ] && max_rss=$RSS_KB
  done
  row "$n" "$variant" "$ver" "$hl" "$RUNS" "$(median "${walls[@]}")" "$(median "${cpus[@]}")" \
      "$((max_rss / 1024))" "$html" ok
}

# corpus TOOL N -> DIR (written unless KEEP_CORPUS=1 finds a matching one)
corpus() {
  local tool=$1 n=$2 dir=$BENCH_DIR/$1-$2
  if [ "$KEEP_CORPUS" = 1 ] && python3 - "$dir/.bench-manifest.json" "$n" "$tool" "$ZOLA_CONFIG" <<'EOF' 2>/dev/null
import json, sys
m = json.load(open(sys.argv[1]))
ok = m["posts"] == int(sys.argv[2]) and m["flavor"] == sys.argv[3]
sys.exit(0 if ok and (m["flavor"] != "zola" or m["zola_config"] == sys.argv[4]) else 1)
EOF
  then
    say "   reusing $dir"
  else
    local t0=$SECONDS
    python3 "$HERE/gen_corpus.py" --posts "$n" --out "$dir" --flavor "$tool" --zola-config "$ZOLA_CONFIG" \
      >"$LOGS/gen-$tool-$n.log" 2>&1 || { cat "$LOGS/gen-$tool-$n.log" >&2; die "gen_corpus.py failed"; }
    say "   $(cat "$LOGS/gen-$tool-$n.log") ($((SECONDS - t0)) s)"
  fi
  CORPUS=$dir
}

# ---------------------------------------------------------------- run

printf 'n\ttool\tversion\thighlight\truns\tmedian_wall_s\tmedian_cpu_s\tmax_rss_mib\thtml_files\tstatus\n' >"$RESULTS"
STARTED=$(date -u +%FT%TZ)
for n in "${NS[@]}"; do
  for tool in "${ACTIVE[@]}"; do
    say "-- $tool, $n posts: corpus"
    corpus "$tool" "$n"
    case $tool in
      recap)  measure "$n" recap recap on "$CORPUS" "$RECAP_BIN" build ;;
      hugo)   measure "$n" hugo hugo on "$CORPUS" "$HUGO" --quiet --destination public
              measure "$n" hugo hugo-nohl off "$CORPUS" "$HUGO" --quiet --destination public --config config.nohl.toml ;;
      zola)   measure "$n" zola zola on "$CORPUS" "$ZOLA" build
              measure "$n" zola zola-nohl off "$CORPUS" "$ZOLA" --config config.nohl.toml build ;;
      jekyll) measure "$n" jekyll jekyll on "$CORPUS" "$JEKYLL" build --destination public --disable-disk-cache --quiet ;;
    esac
  done
done

# ---------------------------------------------------------------- report

echo
echo "Full builds, $STARTED, $(nproc) cores${CPUS:+ (builds pinned to CPUs $CPUS)}, $(uname -r);" \
     "median of $RUNS timed build(s) after 1 warm-up, output deleted before each; max peak RSS."
echo
python3 - "$RESULTS" <<'EOF'
import csv, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
order = ["recap", "hugo", "hugo-nohl", "zola", "zola-nohl", "jekyll"]
names = {"recap": "recap", "hugo": "Hugo", "zola": "Zola", "jekyll": "Jekyll"}
variants = [v for v in order if any(r["tool"] == v for r in rows)]

def title(v):
    r = next(r for r in rows if r["tool"] == v)
    base = v.split("-")[0]
    return f"{names[base]} {r['version']}" + (", no highlighting" if v.endswith("-nohl") else "")

def cell(r):
    if r is None:
        return "-"
    if r["status"] != "ok":
        return r["status"]
    return f"{float(r['median_wall_s']):.2f} / {float(r['median_cpu_s']):.2f} / {r['max_rss_mib']}"

ns = sorted({int(r["n"]) for r in rows})
print("| posts | " + " | ".join(title(v) for v in variants) + " |")
print("| ---: | " + " | ".join("---" for _ in variants) + " |")
for n in ns:
    at = {r["tool"]: r for r in rows if int(r["n"]) == n}
    print(f"| {n:,} | " + " | ".join(cell(at.get(v)) for v in variants) + " |")
print()
print("Cells: median wall s / median CPU s (user+sys) / max peak RSS MiB.")
if any(r["tool"] == "recap" for r in rows):
    print()
    print("recap against the peers of this run with highlighting on (Hugo, Zola, Jekyll):")
for n in ns:
    at = {r["tool"]: r for r in rows if int(r["n"]) == n and r["status"] == "ok"}
    peers = [r for v, r in at.items() if v in ("hugo", "zola", "jekyll")]  # highlighting on, like recap
    me = at.get("recap")
    if not any(r["tool"] == "recap" for r in rows):
        break  # recap was not measured
    if me is None or not peers:
        print(f"{n:,} posts: no ratio (needs a successful recap build and one of a peer)")
        continue
    fast = min(peers, key=lambda r: float(r["median_wall_s"]))
    lean = min(peers, key=lambda r: int(r["max_rss_mib"]))
    w, f = float(me["median_wall_s"]), max(float(fast["median_wall_s"]), 0.01)
    m, l = int(me["max_rss_mib"]), int(lean["max_rss_mib"])
    print(f"{n:,} posts: recap wall {w:.2f} s = {w / f:.2f}x the fastest peer "
          f"({names[fast['tool']]}, {f:.2f} s); peak RSS {m} MiB = {m / l:.2f}x the smallest peer "
          f"({names[lean['tool']]}, {l} MiB)")
EOF
echo
echo "TSV: $RESULTS   logs: $LOGS/"
