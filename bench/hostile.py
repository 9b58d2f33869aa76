#!/usr/bin/env python3
"""Hostile-input benchmark: the inputs that once made recap quadratic.

    bench/hostile.py [--recap target/release/recap] [--scale 1]

Builds one small site per case in a temp folder and prints a table of wall
time, peak RSS and output size. Each case is something a careless or
hostile post can hold: thousands of identical headings (unique heading ids),
thousands of shortcodes (placeholders, positions, filling), many tags on
one post (every tag page lists the post with all its tags; recap caps tags
per post at 100), and a post at that cap. Every build is expected to take
time linear in its input: compare a case against the same case at
--scale 2, which doubles every count.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

CONFIG = 'title = "Hostile"\nbase_url = "https://example.org"\n'


def post(front, body):
    return f'+++\ntitle = "Hostile"\ndate = 2024-03-22\n{front}\n+++\n{body}'


def cases(scale):
    headings = 20000 * scale
    shortcodes = 8000 * scale
    yield (f"{headings} identical headings", post("", "## Heading\n\ntext\n\n" * headings), 0)
    figure = '{{ figure(src="/a.png", caption="A caption") }}\n\n'
    yield (f"{shortcodes} shortcodes", post("", figure * shortcodes), 0)
    yield (f"{shortcodes} unknown block lookalikes", post("", "{% lookalike() %} text\n\n" * shortcodes), 0)
    yield (f"{shortcodes} shortcodes left open", post("", "{{ youtube(id=\"x\"\n\n" * shortcodes), 0)
    yield (f"{shortcodes * 8} open calls on one line", post("", "{{ youtube( " * (shortcodes * 8) + "\n"), 0)
    tags = ", ".join(f'"tag {n}"' for n in range(100))
    yield ("100 tags on one post (the cap)", post(f"tags = [{tags}]", "x\n"), 0)
    many = ", ".join(f'"tag {n}"' for n in range(10000 * scale))
    yield (f"{10000 * scale} tags on one post (refused)", post(f"tags = [{many}]", "x\n"), 1)


def folder_size(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return total


def run(recap, text):
    site = tempfile.mkdtemp(prefix="recap-hostile-")
    try:
        os.makedirs(os.path.join(site, "content/posts"))
        with open(os.path.join(site, "config.toml"), "w") as file:
            file.write(CONFIG)
        with open(os.path.join(site, "content/posts/hostile.md"), "w") as file:
            file.write(text)
        started = time.monotonic()
        child = subprocess.run([os.path.abspath(recap), "build", "-q"], cwd=site, capture_output=True)
        wall = time.monotonic() - started
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        output = os.path.join(site, "public")
        size = folder_size(output) if os.path.isdir(output) else 0
        return child.returncode, wall, rss, size
    finally:
        shutil.rmtree(site, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recap", default=os.path.abspath("target/release/recap"))
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    print(f"| case | exit | wall (s) | peak RSS so far (MiB) | output (MB) |")
    print(f"|---|---|---|---|---|")
    failed = False
    for name, text, expected in cases(args.scale):
        code, wall, rss, size = run(args.recap, text)
        failed |= code != expected
        print(f"| {name} | {code} | {wall:.2f} | {rss:.0f} | {size / 1e6:.1f} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
