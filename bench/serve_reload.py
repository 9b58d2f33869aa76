#!/usr/bin/env python3
"""Edit-to-reload time of `recap serve` on the shared benchmark corpus.

    python3 bench/serve_reload.py [N ...]          # default: 1000 10000
    RECAP_BIN=target/release/recap RUNS=5 python3 bench/serve_reload.py 1000

For each N: generate the corpus (bench/gen_corpus.py --flavor recap)
unless BENCH_DIR/recap-serve-N exists, start `recap serve`, open the
live-reload channel, then RUNS times: append a sentence to one post and
measure (a) until the server announces the reload and (b) until that post's
page is served with the new sentence; then RUNS times: change the post's
title in its front matter (which relinks the site model: listings, feeds and
the search index show titles) and measure (c) until the page is served with
the new title. Prints a table of medians.
Stdlib only; loopback only.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GEN = HERE / "gen_corpus.py"
RECAP = Path(os.environ.get("RECAP_BIN", REPO / "target" / "release" / "recap"))
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/bench"))
RUNS = int(os.environ.get("RUNS", "5"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


class Events:
    """The live-reload channel; `wait(name)` blocks until that event arrives."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /__recap/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.cond = threading.Condition()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.sock.makefile("r", encoding="utf-8", errors="replace"):
            if line.startswith("event:"):
                with self.cond:
                    self.seen.append((line.split(":", 1)[1].strip(), time.perf_counter()))
                    self.cond.notify_all()

    def wait(self, name, after, timeout=300):
        deadline = time.time() + timeout
        with self.cond:
            while time.time() < deadline:
                for event, at in self.seen:
                    if event == name and at >= after:
                        return at
                self.cond.wait(1)
        raise TimeoutError(name)


def corpus(n):
    site = BENCH_DIR / f"recap-serve-{n}"
    if not (site / "config.toml").exists():
        subprocess.run([sys.executable, str(GEN), "--posts", str(n), "--out", str(site), "--flavor", "recap"],
                       check=True, stderr=subprocess.DEVNULL)
    return site


def edit(post, text, marker, events, port, page):
    """Saves `text` into `post`; the times of the save, of the reload event
    and of `page` first being served with `marker`."""
    edited_at = time.perf_counter()
    post.write_text(text)
    reloaded_at = events.wait("reload", edited_at)
    while marker not in http_get(port, page):
        time.sleep(0.002)
    served_at = time.perf_counter()
    time.sleep(0.3)
    return reloaded_at, served_at, edited_at


def measure(n):
    site = corpus(n)
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([str(RECAP), "serve", "--port", str(port)], cwd=site,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in server.stdout:
            if line.startswith("Serving "):
                break
        startup = time.perf_counter() - started
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        events = Events(port)
        posts = sorted((site / "content" / "posts").glob("*.md"))
        post = posts[len(posts) // 2]
        original = post.read_text()
        slug = post.stem
        page = next(p for p in (f"/{y}/{slug}/" for y in range(2000, 2031)) if "200 OK" in http_get(port, p).split("\r\n", 1)[0])
        reloads, pages, retitled = [], [], []
        try:
            for run in range(RUNS):
                marker = f"Edited for the benchmark, run {run}."
                reloaded_at, served_at, edited_at = edit(post, original + f"\n{marker}\n", marker, events, port, page)
                reloads.append((reloaded_at - edited_at) * 1000)
                pages.append((served_at - edited_at) * 1000)
            for run in range(RUNS):
                marker = f"Retitled for the benchmark {run}"
                text = original.replace('title = "', f'title = "{marker}: ', 1)
                _, served_at, edited_at = edit(post, text, marker, events, port, page)
                retitled.append((served_at - edited_at) * 1000)
        finally:
            post.write_text(original)
        return startup, statistics.median(reloads), statistics.median(pages), statistics.median(retitled)
    finally:
        server.kill()
        server.wait()


def main():
    ns = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    if not RECAP.exists():
        sys.exit(f"build recap first: cargo build --release ({RECAP} missing)")
    rows = [(n, *measure(n)) for n in ns]
    print(f"# recap serve, edit-to-reload, median of {RUNS}, {os.cpu_count()} cores")
    print("| posts | first build (s) | body edit → reload event (ms) | body edit → new page served (ms) "
          "| title edit → new page served (ms) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, startup, reload, page, retitle in rows:
        print(f"| {n:,} | {startup:.2f} | {reload:.0f} | {page:.0f} | {retitle:.0f} |")


if __name__ == "__main__":
    main()
