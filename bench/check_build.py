#!/usr/bin/env python3
"""Check a benchmark build's output against the corpus manifest.

Usage:
    python3 bench/check_build.py SITE_DIR [--strict]

SITE_DIR is a corpus written by bench/gen_corpus.py and built into
SITE_DIR/public. Checked against SITE_DIR/.bench-manifest.json:
  posts   every post slug has a page (an index.html in a folder named after
          the slug, at any depth: /posts/<slug>/ and /<year>/<slug>/ both count)
  tags    /tags/<tag>/ for every tag, and /tags/ itself
  events  /events/<event>/ for every event, and /events/ itself
  pages   the last home page (/page/K/, K = ceil(posts / per_page)) and the
          last page of the biggest tag exist, and nothing past them
  feed    the site feed has min(posts, feed_items) entries
  sitemap sitemap.xml exists and lists at least one URL per post
Prints one line, e.g.
    html=1372 posts=1000/1000 tags=60/60 events=50/50 pages=ok feed=20/20 sitemap=1368 OK
and with --strict exits 1 unless everything matches.
"""
import json
import math
import os
import re
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    site = args[0]
    pub = os.path.join(site, "public")
    with open(os.path.join(site, ".bench-manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    problems = []

    slugs = set(m["slugs"])
    html, found = 0, set()
    for root, _dirs, files in os.walk(pub):
        for name in files:
            if name.endswith(".html"):
                html += 1
        if "index.html" in files and os.path.basename(root) in slugs:
            found.add(os.path.basename(root))
    if len(found) != len(slugs):
        problems.append(f"{len(slugs) - len(found)} post pages missing")

    def page(*parts):
        return os.path.isfile(os.path.join(pub, *parts, "index.html"))

    counts = {}
    for kind in ("tags", "events"):
        terms = m[kind]
        counts[kind] = sum(page(kind, t) for t in terms)
        if counts[kind] != len(terms):
            problems.append(f"{len(terms) - counts[kind]} {kind} pages missing")
        if not page(kind):
            problems.append(f"no /{kind}/ index")

    per = m["per_page"]
    last = math.ceil(m["posts"] / per)
    if not page() or (last > 1 and not page("page", str(last))) or page("page", str(last + 1)):
        problems.append(f"home pages: expected {last}")
    tag, n = max(m["tags"].items(), key=lambda kv: (kv[1], kv[0]))
    last = math.ceil(n / per)
    if (last > 1 and not page("tags", tag, "page", str(last))) or page("tags", tag, "page", str(last + 1)):
        problems.append(f"/tags/{tag}/: expected {last} pages")

    feed_path = os.path.join(pub, m["feed_file"])
    want = min(m["posts"], m["feed_items"])
    entries = -1
    if os.path.isfile(feed_path):
        with open(feed_path, encoding="utf-8") as f:
            entries = len(re.findall(r"<(?:entry|item)[\s>]", f.read()))
    if entries != want:
        problems.append(f"feed {m['feed_file']}: {entries if entries >= 0 else 'missing'}, expected {want}")

    locs = 0
    if os.path.isfile(os.path.join(pub, "sitemap.xml")):
        for name in os.listdir(pub):  # Zola splits big sitemaps into sitemap1.xml, ...
            if re.fullmatch(r"sitemap\d*\.xml", name):
                with open(os.path.join(pub, name), encoding="utf-8") as f:
                    locs += f.read().count("<loc>")
    if locs < m["posts"]:
        problems.append(f"sitemap: {locs} URLs")

    print(f"html={html} posts={len(found)}/{len(slugs)} tags={counts['tags']}/{len(m['tags'])} "
          f"events={counts['events']}/{len(m['events'])} pages={'ok' if not any('pages' in p for p in problems) else 'BAD'} "
          f"feed={max(entries, 0)}/{want} sitemap={locs} "
          + ("OK" if not problems else "MISMATCH: " + "; ".join(problems)))
    if problems and "--strict" in sys.argv[1:]:
        sys.exit(1)


if __name__ == "__main__":
    main()
