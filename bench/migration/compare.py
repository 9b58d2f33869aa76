#!/usr/bin/env python3
"""Compares a blog as its own generator built it with the same blog after
`recap import` and `recap build`, post by post. Standard library only.

    compare.py --posts POSTS.csv --original ORIGINAL_OUTPUT --recap RECAP_OUTPUT \
               [--source SOURCE_FOLDER] [--name NAME]

POSTS.csv lists the original site's posts, one `path,title,url` row each
(`path` relative to --source; `url` the post's URL, with the site's
host, which tells the site's own absolute image URLs from remote ones). For Hugo,
`hugo_posts.py` writes it from `hugo list all`; for Jekyll, a page of the blog writes it (docs/migrating.md).

For every post of the original output it checks that
- its URL answers in recap's output (a page, or a redirect to one);
- every image the original page shows, that resolves in the original
  output and that the post's source names, also shows and resolves in
  recap's page;
- the original's visible text of the post is in recap's page: the share
  of the words of the original's best-matching element (the post body,
  without the theme's boxes for author bios, sharing and tags) that
  recap's page (its `main`) holds, counted with repeats (not for posts
  without a body, nor for translations, which redirect);
- no Liquid (`{%`), Hugo shortcode (`{{<`, `{{%`) or kramdown attribute
  list (`{:`) text is visible in recap's page outside code;
- recap's `<h1>` is the post's title (the front matter came over).

Prints one Markdown table row for the blog, and the posts that fall short.
"""

import argparse
import csv
import html
import os
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlparse

SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Words in class names and ids of a theme's boxes around a post body.
CHROME = ("author", "share", "social", "tag", "categor", "comment", "related", "footer", "byline",
          "disqus", "newsletter", "subscribe", "pagination", "post-nav", "breadcrumb")
# Image tags shown as text (`<img src=...>` a generator failed to render):
# markup, not words of the post.
MARKUP = re.compile(r"<img\b[^<>]*>")
LEFTOVER = re.compile(r"\{\{[<%]|\{%|\{:")
WORD = re.compile(r"\w+", re.UNICODE)
# A post's front matter, YAML (---) or TOML (+++), at the top of its file.
FRONT_MATTER = re.compile(r"\A(---|\+\+\+)\s*\n.*?\n\1\s*(\n|\Z)", re.S)
# `libocon-2016.sq.md`: a translation, which recap imports as a redirect.
TRANSLATION = re.compile(r"\.[a-z]{2,3}\.(md|markdown)$")


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []
        self.text = []  # text directly inside, in order with children

    def is_chrome(self):
        """A theme's box around the post: author bios, sharing, tags. Never
        the post itself (`<article class="post tag-devops">`)."""
        if self.tag in ("article", "main", "body", "html"):
            return False
        names = (self.attrs.get("class") or "") + " " + (self.attrs.get("id") or "")
        return any(word in names.lower() for word in CHROME)

    def all_text(self, skip_code=False, skip_chrome=False):
        parts = []
        for item in self.text:
            if isinstance(item, Node):
                if item.tag in SKIPPED_TAGS or (skip_code and item.tag in ("pre", "code")):
                    continue
                if skip_chrome and (item.tag in ("nav", "footer", "aside") or item.is_chrome()):
                    continue
                parts.append(item.all_text(skip_code, skip_chrome))
            else:
                parts.append(item)
        return " ".join(parts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        self.current.text.append(node)
        if tag not in VOID_TAGS:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text.append(data)


def parse(path):
    builder = TreeBuilder()
    with open(path, encoding="utf-8", errors="replace") as file:
        builder.feed(file.read())
    return builder.root


# The site's base path ("/blog" for a site served from example.org/blog/),
# which the output folders do not have.
BASE_PATH = ""


def output_path(path):
    """A URL path as a path inside an output folder: the base path off."""
    path = unquote(path)
    if BASE_PATH and (path == BASE_PATH or path.startswith(BASE_PATH + "/")):
        path = path[len(BASE_PATH):] or "/"
    return path


def page_file(output, url_path):
    """The file serving `url_path` in a static output folder, or None."""
    path = output_path(urlparse(url_path).path)
    candidate = os.path.join(output, path.lstrip("/"))
    if path.endswith("/") or os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
    return candidate if os.path.isfile(candidate) else None


def redirect_target(root):
    for node in root.walk():
        if node.tag == "meta" and node.attrs.get("http-equiv", "").lower() == "refresh":
            content = node.attrs.get("content", "")
            match = re.search(r"url=(.+)", content, re.IGNORECASE)
            if match:
                return match.group(1).strip().strip("'\"")
    return None


def follow(output, url_path, hops=3):
    """The page at `url_path` after redirects: (file, tree, url) or None."""
    for _ in range(hops + 1):
        file = page_file(output, url_path)
        if file is None:
            return None
        tree = parse(file)
        target = redirect_target(tree)
        if target is None:
            return file, tree, url_path
        url_path = urlparse(urljoin(url_path, target)).path
    return None


def images(output, tree, page_url, host=""):
    """Basenames of the images a page shows that resolve in `output`;
    absolute URLs count when they are on `host`, the site's own."""
    found = set()
    for node in tree.walk():
        if node.tag != "img":
            continue
        src = node.attrs.get("src") or ""
        if not src or src.startswith("data:"):
            continue
        parsed = urlparse(urljoin(page_url, src))
        if parsed.netloc and parsed.netloc != host:
            continue  # remote: not the generator's to resolve
        path = os.path.join(output, output_path(parsed.path).lstrip("/"))
        if os.path.isfile(path) and os.path.getsize(path) > 0:
            found.add(os.path.basename(unquote(parsed.path)))
    return found


def words(text):
    return [word.lower() for word in WORD.findall(html.unescape(text))]


def body_ratio(original_tree, recap_body, recap_page):
    """Share of the original post body's words that recap's body holds.
    The body is the element whose words best match recap's post body (F1);
    a theme's boxes inside it (author bios, sharing, tags) are left out.
    Its words are looked for in recap's whole page (title and byline too)."""
    wanted = Counter(recap_body)
    page = Counter(recap_page)
    total = sum(wanted.values())
    # A post whose body vanished scores 0, not 1.
    best, best_score = 0.0, -1.0
    for node in original_tree.walk():
        if node.tag not in ("article", "main", "div", "section", "body", "#root"):
            continue
        have = Counter(words(MARKUP.sub(" ", node.all_text(skip_chrome=True))))
        size = sum(have.values())
        if size == 0 or total == 0:
            continue
        common = sum((have & wanted).values())
        precision, recall = common / size, common / total
        if precision + recall == 0:
            continue
        score = 2 * precision * recall / (precision + recall)
        if score > best_score:
            best_score = score
            best = sum((have & page).values()) / size
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", required=True)
    parser.add_argument("--original", required=True)
    parser.add_argument("--recap", required=True)
    parser.add_argument("--source", default=".")
    parser.add_argument("--name", default="blog")
    parser.add_argument("--base-path", default="", help='the path the site is served under, e.g. "/blog"')
    args = parser.parse_args()
    global BASE_PATH
    BASE_PATH = args.base_path.rstrip("/")

    with open(args.posts, encoding="utf-8") as file:
        posts = [row for row in csv.DictReader(file)]
    counted = answered = 0
    images_total = images_kept = 0
    leftovers = 0
    ratios = []
    titles_lost = 0
    problems = []
    for post in posts:
        host = urlparse(post["url"]).netloc
        post["url"] = urlparse(post["url"]).path
        original = page_file(args.original, post["url"])
        if original is None:
            continue  # not built by the original generator (draft, future)
        counted += 1
        original_tree = parse(original)
        recap = follow(args.recap, post["url"])
        if recap is None:
            problems.append(f"{post['url']}: no page in recap's output")
            continue
        answered += 1
        _, recap_tree, recap_url = recap
        try:
            with open(os.path.join(args.source, post["path"]), encoding="utf-8", errors="replace") as file:
                source = file.read()
        except OSError:
            source = ""
        shown = {
            name
            for name in images(args.original, original_tree, post["url"], host)
            if re.search(r"(^|[/(\"'\s=])" + re.escape(name), source)
        }
        kept = images(args.recap, recap_tree, recap_url, host)
        images_total += len(shown)
        images_kept += len(shown & kept)
        for name in sorted(shown - kept):
            problems.append(f"{post['url']}: image {name} does not show in recap")
        prose = [node for node in recap_tree.walk() if "prose" in node.attrs.get("class", "").split()]
        prose_text = " ".join(node.all_text() for node in prose)
        visible = " ".join(node.all_text(skip_code=True) for node in prose)
        found = LEFTOVER.findall(visible)
        if found:
            leftovers += len(found)
            problems.append(f"{post['url']}: left visible: {', '.join(sorted(set(found)))}")
        if TRANSLATION.search(post["path"]):
            continue  # redirected to the post in the site's own language
        if not WORD.search(FRONT_MATTER.sub("", source, count=1)):
            continue  # no body to compare: the theme shows front matter
        main = next((node for node in recap_tree.walk() if node.tag == "main"), recap_tree)
        ratio = body_ratio(original_tree, words(prose_text), words(main.all_text()))
        ratios.append(ratio)
        if ratio < 0.98:
            problems.append(f"{post['url']}: text ratio {ratio:.3f}")
        heading = next((node.all_text().strip() for node in recap_tree.walk() if node.tag == "h1"), "")
        if " ".join(heading.split()) != " ".join(html.unescape(post["title"]).split()):
            titles_lost += 1
            problems.append(f"{post['url']}: title {heading!r}, expected {post['title']!r}")

    good_text = sum(1 for ratio in ratios if ratio >= 0.98)
    share = lambda a, b: f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"
    print("| blog | posts | URLs answering | images resolving | leftovers | text ratio >= 0.98 | titles lost |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.name} | {counted} | {share(answered, counted)} | {share(images_kept, images_total)} "
        f"| {leftovers} | {share(good_text, len(ratios))} | {titles_lost} |"
    )
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


if __name__ == "__main__":
    main()
