#!/usr/bin/env python3
"""Rebuild benchmark: what a build costs after nothing, one post body or
one post's tags changed, against a cold build, at several site sizes.

    python3 bench/incremental.py [N ...]            # default: 1000 10000
    BASE_BIN=/path/to/older/recap python3 bench/incremental.py 10000

For each N: a corpus from bench/gen_corpus.py (recap flavor), then
  cold       output and .recap-cache/ deleted
  no-op      nothing changed since the build before
  body edit  one sentence appended to one post's body
  tags edit  one tag added to one post
  touched    one post written again with the same text (new time)
each the median of RUNS (default 3) wall times, with the peak RSS of the
slowest. With BASE_BIN, the same for that binary on its own copy of the
corpus (its own cache), for "no slower than before" comparisons.
Environment: RECAP_BIN (default: cargo build --release), BENCH_DIR
(default /tmp/recap-incremental), RUNS.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(binary, site):
    done = subprocess.run(["/usr/bin/time", "-v", binary, "build", "--quiet"], cwd=site,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{binary} build failed in {site}:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return int(wall.group(1)) * 60 + float(wall.group(2)), int(rss.group(1)) / 1024


def post_file(site):
    folder = os.path.join(site, "content/posts")
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.endswith(".md"):
                return os.path.join(root, name)
    sys.exit("no post in the corpus")


def edit_body(path, n):
    with open(path, "a") as f:
        f.write(f"\nOne more thought, number {n}.\n")


def edit_tags(path, n):
    text = open(path).read()
    text, count = re.subn(r"^tags = \[", f'tags = ["edited-{n}", ', text, count=1, flags=re.M)
    if count == 0:
        sys.exit(f"no tags line in {path}")
    open(path, "w").write(text)


def touch(path, _n):
    text = open(path).read()
    open(path, "w").write(text)


def measure(binary, site, runs):
    results = {}

    def run_kind(name, before):
        walls, peak = [], 0
        for i in range(runs):
            before(i)
            wall, rss = timed(binary, site)
            walls.append(wall)
            peak = max(peak, rss)
        results[name] = (statistics.median(walls), peak)

    def cold(_i):
        for part in ["public", ".recap-cache"]:
            shutil.rmtree(os.path.join(site, part), ignore_errors=True)

    run_kind("cold", cold)
    timed(binary, site)
    post = post_file(site)
    run_kind("no-op", lambda i: None)
    run_kind("body edit", lambda i: edit_body(post, i))
    run_kind("tags edit", lambda i: edit_tags(post, i))
    run_kind("touched", lambda i: touch(post, i))
    return results


def main():
    sizes = [int(n) for n in sys.argv[1:]] or [1000, 10000]
    runs = int(os.environ.get("RUNS", "3"))
    bench = os.path.abspath(os.environ.get("BENCH_DIR", "/tmp/recap-incremental"))
    os.makedirs(bench, exist_ok=True)
    binary = os.environ.get("RECAP_BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target/release/recap")
    binaries = [("recap", os.path.abspath(binary))]
    if os.environ.get("BASE_BIN"):
        binaries.append(("base", os.path.abspath(os.environ["BASE_BIN"])))
    table = {}
    for n in sizes:
        corpus = os.path.join(bench, f"corpus-{n}")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--posts", str(n),
                            "--out", corpus, "--flavor", "recap"], check=True, capture_output=True)
        for label, path in binaries:
            site = os.path.join(bench, f"{label}-{n}")
            shutil.rmtree(site, ignore_errors=True)
            shutil.copytree(corpus, site)
            print(f"measuring {label} at {n} posts", file=sys.stderr, flush=True)
            table[(label, n)] = measure(path, site, runs)
    kinds = ["cold", "no-op", "body edit", "tags edit", "touched"]
    print(f"Median of {runs} builds, wall seconds / peak MiB; {os.cpu_count()} cores.\n")
    print("| binary | posts | " + " | ".join(kinds) + " |")
    print("|---|---:|" + "---:|" * len(kinds))
    for (label, n), results in table.items():
        cells = [f"{results[k][0]:.2f} / {results[k][1]:.0f}" for k in kinds]
        print(f"| {label} | {n:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
