#!/usr/bin/env python3
"""Image benchmark: recap against Hugo on the same pictures, in the same run.

    python3 bench/images/run.py [--jpegs 200] [--pngs 50] [--posts 100] [--runs 1]

The corpus: JPEGS camera-sized photos (4000 x 3000, 3-5 MB each) and PNGS
screenshots (1920 x 1080), made by `cargo run --example image_corpus` from
the example site's real photos (static/img/photos/) and real screenshots
(docs/screenshots/), spread over POSTS posts as Markdown images. Both tools
make the same variants of every picture: widths 480, 960 and 1600 (those
narrower than the original), each as WebP and in the original's format, at
quality 80, with a Lanczos filter, in <picture>/srcset markup (Hugo through
an image render hook with resources.Get and .Resize).

Measured (wall seconds, median of --runs; peak RSS of the slowest):
  cold      empty output and empty caches (recap: .recap-cache/, Hugo:
            resources/_gen/): every variant is made
  cached    output folder deleted, caches kept: nothing is made
  no-op     recap only: output and cache kept (the usual rebuild)
  no images recap only: the same posts without their images, for the cost
            the cached pictures add
And bytes shipped: per post page, the image bytes a browser 1280 px wide
(DPR 1) downloads, picking from srcset by `sizes` (WebP where offered),
against the originals; the same for the example site's home page.

Environment: RECAP_BIN (default: cargo build --release), HUGO (default
hugo), BENCH_DIR (default /tmp/recap-image-bench).
"""

import argparse
import html.parser
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WIDTHS = [480, 960, 1600]
QUALITY = 80
VIEWPORT = 1280
REM = 16


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, cwd, log):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak MiB)."""
    started = time.monotonic()
    with open(log, "w") as out:
        done = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - started
    text = open(log).read()
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}; see {log}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return wall, int(rss.group(1)) / 1024 if rss else 0.0


def pictures(bench, jpegs, pngs):
    folder = os.path.join(bench, f"pictures-{jpegs}-{pngs}")
    if os.path.isdir(folder) and len(os.listdir(folder)) == jpegs + pngs:
        return folder
    say(f"writing {jpegs} photos and {pngs} screenshots into {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--example", "image_corpus", "--",
         os.path.join(REPO, "static/img/photos"), os.path.join(REPO, "docs/screenshots"),
         folder, str(jpegs), str(pngs)],
        cwd=REPO, check=True)
    return folder


def post_images(folder, posts):
    """The pictures of each post: photos and screenshots dealt in turn."""
    names = sorted(os.listdir(folder))
    photos = [n for n in names if n.endswith(".jpg")]
    screens = [n for n in names if n.endswith(".png")]
    per_post = [[] for _ in range(posts)]
    for i, name in enumerate(photos):
        per_post[i % posts].append(name)
    for i, name in enumerate(screens):
        per_post[(i * posts // max(len(screens), 1)) % posts].append(name)
    return per_post


def body(images, with_images=True):
    text = "Notes from the day, with the pictures we took.\n\n"
    for name in images:
        text += "Some words about what this picture shows.\n\n"
        if with_images:
            text += f"![A picture: {name}](/img/bench/{name})\n\n"
    return text


def link_pictures(folder, target, names):
    os.makedirs(target, exist_ok=True)
    for name in names:
        os.link(os.path.join(folder, name), os.path.join(target, name))


def recap_site(root, folder, per_post, with_images):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "content/posts"))
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write('title = "Image bench"\nbase_url = "https://example.org"\nsocial_cards = false\n'
                f"[images]\nwidths = {WIDTHS}\nformats = [\"webp\"]\nquality = {QUALITY}\n")
    if with_images:
        link_pictures(folder, os.path.join(root, "static/img/bench"), sorted(os.listdir(folder)))
    for n, images in enumerate(per_post):
        with open(os.path.join(root, f"content/posts/2025-01-01-post-{n:03}.md"), "w") as f:
            f.write(f'+++\ntitle = "Post {n}"\n+++\n' + body(images, with_images))


HUGO_HOOK = """{{- $src := resources.Get (strings.TrimPrefix "/" .Destination) -}}
{{- with $src -}}
{{- $webp := slice -}}{{- $own := slice -}}
{{- range slice WIDTHS -}}
{{- if lt . $src.Width -}}
{{- $w := $src.Resize (printf "%dx webp qQUALITY" .) -}}
{{- $o := $src.Resize (printf "%dx qQUALITY" .) -}}
{{- $webp = $webp | append (printf "%s %dw" $w.RelPermalink .) -}}
{{- $own = $own | append (printf "%s %dw" $o.RelPermalink .) -}}
{{- end -}}
{{- end -}}
<picture>{{ with $webp }}<source type="image/webp" srcset="{{ delimit . ", " }}" sizes="(max-width: 44rem) calc(100vw - 2.5rem), 42rem">{{ end }}<img src="{{ $src.RelPermalink }}" srcset="{{ delimit $own ", " }}{{ if $own }}, {{ end }}{{ $src.RelPermalink }} {{ $src.Width }}w" sizes="(max-width: 44rem) calc(100vw - 2.5rem), 42rem" width="{{ $src.Width }}" height="{{ $src.Height }}" alt="{{ $.Text }}" loading="lazy"></picture>
{{- end -}}
""".replace("WIDTHS", " ".join(map(str, WIDTHS))).replace("QUALITY", str(QUALITY))


def hugo_site(root, folder, per_post):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "content/posts"))
    os.makedirs(os.path.join(root, "layouts/_default/_markup"))
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\ntitle = "Image bench"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                f'[imaging]\nresampleFilter = "Lanczos"\nquality = {QUALITY}\n')
    layouts = os.path.join(root, "layouts/_default")
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write("<!doctype html><html><body><main>{{ .Content }}</main></body></html>\n")
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write("<!doctype html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n")
    with open(os.path.join(layouts, "_markup/render-image.html"), "w") as f:
        f.write(HUGO_HOOK)
    link_pictures(folder, os.path.join(root, "assets/img/bench"), sorted(os.listdir(folder)))
    for n, images in enumerate(per_post):
        with open(os.path.join(root, f"content/posts/post-{n:03}.md"), "w") as f:
            f.write(f'+++\ntitle = "Post {n}"\ndate = 2025-01-01\n+++\n' + body(images))


class Pictures(html.parser.HTMLParser):
    """The <picture>/<img> candidates of a page."""

    def __init__(self):
        super().__init__()
        self.found = []  # (srcset, sizes, src) per image, WebP first
        self.source = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "source" and attrs.get("type") == "image/webp":
            self.source = (attrs.get("srcset", ""), attrs.get("sizes", ""))
        elif tag == "img":
            if self.source:
                self.found.append((self.source[0], self.source[1], attrs.get("src")))
            else:
                self.found.append((attrs.get("srcset", ""), attrs.get("sizes", ""), attrs.get("src")))
            self.source = None


def length(text):
    text = text.strip()
    m = re.fullmatch(r"calc\(100vw - ([\d.]+)rem\)", text)
    if m:
        return VIEWPORT - float(m.group(1)) * REM
    if text == "100vw":
        return VIEWPORT
    m = re.fullmatch(r"([\d.]+)rem", text)
    if m:
        return float(m.group(1)) * REM
    m = re.fullmatch(r"([\d.]+)px", text)
    return float(m.group(1)) if m else VIEWPORT


def slot_width(sizes):
    """The width `sizes` gives at the benchmark's viewport."""
    for part in [p.strip() for p in sizes.split(",") if p.strip()]:
        m = re.fullmatch(r"\((max|min)-width:\s*([\d.]+)rem\)\s+(.+)", part)
        if not m:
            return length(part)
        limit = float(m.group(2)) * REM
        if (m.group(1) == "max" and VIEWPORT <= limit) or (m.group(1) == "min" and VIEWPORT >= limit):
            return length(m.group(3))
    return VIEWPORT


def chosen(srcset, sizes, src):
    """The URL a browser downloads: the narrowest candidate at least as wide
    as the slot, else the widest."""
    if not srcset:
        return src
    candidates = []
    for entry in srcset.split(","):
        url, _, width = entry.strip().rpartition(" ")
        candidates.append((int(width.rstrip("w")), url))
    candidates.sort()
    slot = slot_width(sizes)
    for width, url in candidates:
        if width >= slot:
            return url
    return candidates[-1][1]


def shipped(public, page, base="/"):
    parser = Pictures()
    parser.feed(open(os.path.join(public, page), encoding="utf-8").read())
    before = after = 0
    for srcset, sizes, src in parser.found:
        if not src or src.startswith("http"):
            continue
        original = os.path.join(public, src[len(base):].lstrip("/"))
        picked = os.path.join(public, chosen(srcset, sizes, src)[len(base):].lstrip("/"))
        before += os.path.getsize(original)
        after += os.path.getsize(picked)
    return before, after


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jpegs", type=int, default=200)
    parser.add_argument("--pngs", type=int, default=50)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    bench = os.path.abspath(os.environ.get("BENCH_DIR", "/tmp/recap-image-bench"))
    logs = os.path.join(bench, "logs")
    os.makedirs(logs, exist_ok=True)
    recap = os.environ.get("RECAP_BIN")
    if not recap:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        recap = os.path.join(REPO, "target/release/recap")
    hugo = os.environ.get("HUGO", "hugo")
    folder = pictures(bench, args.jpegs, args.pngs)
    per_post = post_images(folder, args.posts)
    source_bytes = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))

    sites = {name: os.path.join(bench, name) for name in ["recap", "recap-noimg", "hugo"]}
    recap_site(sites["recap"], folder, per_post, True)
    recap_site(sites["recap-noimg"], folder, per_post, False)
    have_hugo = shutil.which(hugo) is not None
    if have_hugo:
        hugo_site(sites["hugo"], folder, per_post)
    else:
        say(f"{hugo} not found: measuring recap only")

    def recap_build(site, tag):
        return run([recap, "build", "--quiet"], site, os.path.join(logs, f"{tag}.log"))

    def hugo_build(tag):
        return run([hugo, "--quiet"], sites["hugo"], os.path.join(logs, f"{tag}.log"))

    times = {key: [] for key in ["recap cold", "recap cached", "recap no-op", "recap no images",
                                 "hugo cold", "hugo cached"]}
    rss = {}
    for i in range(args.runs):
        say(f"run {i + 1} of {args.runs}")
        for path in [".recap-cache", "public"]:
            shutil.rmtree(os.path.join(sites["recap"], path), ignore_errors=True)
        wall, mib = recap_build(sites["recap"], f"recap-cold-{i}")
        times["recap cold"].append(wall)
        rss["recap cold"] = max(rss.get("recap cold", 0), mib)
        shutil.rmtree(os.path.join(sites["recap"], "public"))
        wall, mib = recap_build(sites["recap"], f"recap-cached-{i}")
        times["recap cached"].append(wall)
        rss["recap cached"] = max(rss.get("recap cached", 0), mib)
        wall, mib = recap_build(sites["recap"], f"recap-noop-{i}")
        times["recap no-op"].append(wall)
        rss["recap no-op"] = mib
        shutil.rmtree(os.path.join(sites["recap-noimg"], "public"), ignore_errors=True)
        recap_build(sites["recap-noimg"], f"recap-noimg-warm-{i}")
        shutil.rmtree(os.path.join(sites["recap-noimg"], "public"))
        wall, mib = recap_build(sites["recap-noimg"], f"recap-noimg-{i}")
        times["recap no images"].append(wall)
        rss["recap no images"] = mib
        if have_hugo:
            for path in ["public", "resources"]:
                shutil.rmtree(os.path.join(sites["hugo"], path), ignore_errors=True)
            wall, mib = hugo_build(f"hugo-cold-{i}")
            times["hugo cold"].append(wall)
            rss["hugo cold"] = max(rss.get("hugo cold", 0), mib)
            shutil.rmtree(os.path.join(sites["hugo"], "public"))
            wall, mib = hugo_build(f"hugo-cached-{i}")
            times["hugo cached"].append(wall)
            rss["hugo cached"] = mib

    version = subprocess.run([recap, "--version"], capture_output=True, text=True).stdout.strip()
    hugo_version = (subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
                    if have_hugo else "-")
    print(f"Pictures: {args.jpegs} photos 4000 x 3000 and {args.pngs} screenshots 1920 x 1080, "
          f"{source_bytes / 2**20:.0f} MiB, over {args.posts} posts; {version}, Hugo {hugo_version}; "
          f"{os.cpu_count()} cores; median of {args.runs} run(s).\n")
    print("| build | wall s | peak MiB |")
    print("|---|---:|---:|")
    for key, values in times.items():
        if values:
            print(f"| {key} | {median(values):.2f} | {rss.get(key, 0):.0f} |")
    if times["hugo cold"]:
        print(f"\nrecap cold / Hugo cold: {median(times['recap cold']) / median(times['hugo cold']):.2f}x")
    added = (median(times["recap cached"]) - median(times["recap no images"])) * 1000
    print(f"Cached pictures add {added:.0f} ms to the build without images "
          f"(no-op rebuild: {median(times['recap no-op']) * 1000:.0f} ms).")

    public = os.path.join(sites["recap"], "public")
    pages = [os.path.join(root, "index.html")[len(public) + 1:]
             for root, _, files in os.walk(public) if "index.html" in files and "/20" in root]
    totals = [shipped(public, page) for page in pages]
    before = sum(b for b, _ in totals) / max(len(totals), 1)
    after = sum(a for _, a in totals) / max(len(totals), 1)
    print(f"\nImage bytes per post page at {VIEWPORT} px: {before / 2**20:.2f} MiB originals, "
          f"{after / 2**20:.2f} MiB shipped ({(1 - after / before) * 100:.0f}% fewer).")

    example = os.path.join(bench, "example")
    shutil.rmtree(example, ignore_errors=True)
    os.makedirs(example)
    for part in ["config.toml", "content", "static"]:
        src = os.path.join(REPO, part)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(example, part))
    run([recap, "build", "--quiet"], example, os.path.join(logs, "example.log"))
    before, after = shipped(os.path.join(example, "public"), "index.html")
    print(f"Example site home page: {before / 1024:.0f} KiB of originals, {after / 1024:.0f} KiB "
          f"shipped ({(1 - after / before) * 100:.0f}% fewer).")


if __name__ == "__main__":
    main()
