#!/usr/bin/env python3
"""Writes the posts of a Hugo site as compare.py reads them (path,title,url; url the full permalink),
from the real `hugo list all`. Run in the site's folder with the same
environment its build needs:

    cd SITE && python3 hugo_posts.py content/posts > posts.csv

(the argument: the folder that holds the posts, from the site's root).
"""

import csv
import subprocess
import sys

folder = (sys.argv[1] if len(sys.argv) > 1 else "content/posts").strip("/")
listing = subprocess.run(["hugo", "list", "all"], check=True, capture_output=True, text=True).stdout
writer = csv.writer(sys.stdout)
writer.writerow(["path", "title", "url"])
for row in csv.DictReader(listing.splitlines()):
    if not row["path"].startswith(f"{folder}/") or row["draft"] == "true":
        continue
    if row["path"].rsplit("/", 1)[-1].startswith("_index"):
        continue
    writer.writerow([row["path"], row["title"], row["permalink"]])
