#!/usr/bin/env python3
"""Synthetic conference-recap blog for recap's build benchmark (bench/run.sh).

Usage:
    python3 bench/gen_corpus.py --posts N --out DIR --flavor {recap,hugo,zola,jekyll}
            [--zola-config {auto,giallo,syntect}]

Writes a complete site to DIR (DIR is emptied first) and prints one line:
flavor, N, tags, events, body words, DIR.

What every flavor gets (identical posts; fixed seed, so the same arguments
give the same bytes on every run and every machine):
  - N posts, each with 2-5 of 60 tags, one of N/20 events ("KubeCon EU 2019";
    about 20 posts an event, dated a few days after it, 2015 to mid-2026) and
    1-2 of 24 authors;
  - a Markdown body of about 1,150 words of prose (3-6 sections with
    headings, paragraphs with emphasis, inline code and links, one bullet
    list, one blockquote) and 1-2 fenced code blocks (rust, go, yaml or bash,
    15-25 lines, assembled from snippet templates with random identifiers).
Post i is generated from its own seed, so post 7 reads the same at every N.

Scaffolding per flavor:
  recap   config.toml (title, base_url) + content/posts/<slug>.md (TOML front
          matter: title, date, tags, event, authors); recap brings its theme.
  hugo    config.toml + config.nohl.toml (highlighting off) + layouts/ for
          `hugo` 0.111+ (Debian's 0.111.3 is what this was tested with).
  zola    config.toml + config.nohl.toml + templates/ for Zola 0.19+.
          Zola 0.22 replaced `[markdown] highlight_code/highlight_theme`
          (an error there) with `[markdown.highlighting]` (ignored before
          0.22), so the config has to match the installed Zola:
          --zola-config auto (default) asks `zola --version` and falls back
          to the 0.22 form when Zola is not installed.
  jekyll  _config.yml, _layouts/, a plugin in _plugins/ for the listing
          pages and Liquid templates for the feed and sitemap, so that a
          stock `jekyll build` (4.3) needs no extra gems.
The hugo/zola/jekyll themes all produce: a page per post, a home page of the
newest posts paginated by 20, tag pages paginated by 20, event pages (a
taxonomy, unpaginated), /tags/ and /events/ index pages, highlighted code,
one site feed of the 20 newest posts (full content) and a sitemap.

DIR/.bench-manifest.json describes what a build must produce (post slugs,
tag and event slugs with their post counts, page size, feed file); the
checker bench/check_build.py compares a build's public/ against it.
"""
import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from random import Random

SEED = 7319
SITE_TITLE = "Conference Recaps"
BASE_URL = "https://example.org"
PER_PAGE = 20          # listings of the hugo/zola/jekyll themes
RECAP_PER_PAGE = 10    # recap's default posts_per_page (its config is left minimal)
FEED_ITEMS = 20
LANGS = ("rust", "go", "yaml", "bash")

# ------------------------------------------------------------------ vocabulary

TAGS = [
    "rust", "golang", "python", "typescript", "java", "kotlin", "webassembly",
    "kubernetes", "containers", "service-mesh", "serverless", "edge",
    "observability", "tracing", "logging", "metrics", "sre", "incident-response",
    "chaos-engineering", "security", "supply-chain", "identity", "privacy",
    "cryptography", "databases", "postgres", "sqlite", "caching", "search",
    "streaming", "kafka", "data-pipelines", "machine-learning", "llm", "gpu",
    "performance", "profiling", "compilers", "type-systems", "concurrency",
    "async", "networking", "ebpf", "linux", "storage", "ci-cd", "testing",
    "build-systems", "developer-experience", "platform-engineering",
    "infrastructure-as-code", "gitops", "api-design", "graphql", "frontend",
    "accessibility", "open-source", "community", "career", "architecture",
]
assert len(TAGS) == 60 and len(set(TAGS)) == 60

AUTHORS = [
    "Amara Okonkwo", "Bastian Vogel", "Carmen Ruiz", "Dmitri Volkov",
    "Eleni Papadaki", "Farid Haddad", "Greta Lindqvist", "Hiroshi Tanaka",
    "Ingrid Solberg", "Jonas Weber", "Keanu Makoa", "Leila Farahani",
    "Mateo Rossi", "Nadia Benali", "Oskar Nowak", "Priya Raman",
    "Quentin Marchand", "Rosa Delgado", "Samuel Osei", "Tamsin Hughes",
    "Umar Siddiqui", "Valentina Greco", "Wen Li", "Yusuf Demir",
]
assert len(AUTHORS) == 24

# Conference series with their regional editions ("" = no region in the name).
SERIES = [
    ("KubeCon", ["EU", "NA", "China", "India", "Japan"]),
    ("CloudNativeCon", ["EU", "NA"]),
    ("RustConf", [""]), ("EuroRust", [""]), ("RustLab", [""]),
    ("Rust Nation", ["UK"]), ("GopherCon", ["US", "EU", "UK", "India"]),
    ("PyCon", ["US", "DE", "UK", "Italia", "APAC"]), ("EuroPython", [""]),
    ("FOSDEM", [""]), ("SREcon", ["Americas", "EMEA", "APAC"]),
    ("QCon", ["London", "San Francisco", "Plus"]), ("Strange Loop", [""]),
    ("JSConf", ["EU", "US", "Budapest"]), ("React Summit", [""]),
    ("Devoxx", ["Belgium", "France", "UK", "Poland"]), ("All Things Open", [""]),
    ("PromCon", ["EU", "NA"]), ("WasmCon", [""]),
    ("Open Source Summit", ["NA", "Europe", "Japan"]), ("AWS Summit", ["Berlin", "Stockholm", "New York"]),
    ("Google Cloud Next", [""]), ("HashiConf", ["Global", "Europe"]), ("DockerCon", [""]),
    ("Monitorama", ["PDX", "EU"]), ("NDC", ["Oslo", "London", "Sydney", "Porto"]),
    ("GOTO", ["Amsterdam", "Copenhagen", "Chicago", "Aarhus"]), ("Linux Plumbers", [""]),
    ("PGConf", ["EU", "NYC", "India"]), ("Kafka Summit", ["London", "Bay Area"]),
    ("P99 CONF", [""]), ("LambdaConf", [""]), ("ElixirConf", ["US", "EU"]),
    ("KotlinConf", [""]), ("Java One", [""]), ("Velocity", ["NY", "Berlin"]),
    ("USENIX ATC", [""]), ("RubyConf", [""]), ("Config Management Camp", [""]),
]
# City editions of community events; they give the pool room for 100,000 posts.
CITY_SERIES = ["DevOpsDays", "Kubernetes Community Days", "PyData", "BSides",
               "Rust Meetup", "Go Meetup", "Cloud Native Day", "Postgres Day"]
CITIES = [
    "Amsterdam", "Athens", "Austin", "Bangalore", "Barcelona", "Berlin", "Bogota",
    "Boston", "Brussels", "Bucharest", "Budapest", "Buenos Aires", "Cape Town",
    "Chicago", "Copenhagen", "Denver", "Dublin", "Edinburgh", "Geneva", "Hamburg",
    "Helsinki", "Istanbul", "Jakarta", "Krakow", "Lagos", "Lisbon", "Ljubljana",
    "London", "Lyon", "Madrid", "Melbourne", "Mexico City", "Milan", "Montreal",
    "Munich", "Nairobi", "Oslo", "Paris", "Porto", "Prague", "Riga", "Seattle",
    "Seoul", "Singapore", "Stockholm", "Tallinn", "Tokyo", "Toronto", "Vienna", "Zurich",
]
YEARS = list(range(2015, 2027))

SUBJECTS = [
    "The opening keynote", "A maintainer of the project", "One of the platform teams",
    "A speaker from a payments company", "Our own team", "A panel of operators",
    "A first-time speaker", "The closing talk", "The workshop host", "A staff engineer",
    "Someone at the sponsor booth", "The program committee", "A database engineer",
    "A team from a large retailer", "The lightning-talk block", "A security researcher",
    "An SRE from a streaming service", "The core developers", "A consultant",
    "One of the organisers",
]
VERBS = [
    "walked through", "made the case for", "showed", "took apart", "measured",
    "argued against", "demonstrated", "revisited", "compared", "summarised",
    "questioned", "rebuilt", "profiled", "retired", "open-sourced", "benchmarked",
    "documented", "untangled", "stress-tested", "migrated",
]
ADJECTIVES = [
    "boring", "fast", "fragile", "incremental", "distributed", "observable",
    "declarative", "well-tested", "hand-rolled", "pragmatic", "underrated",
    "experimental", "battle-tested", "lean", "surprising", "portable", "noisy",
    "zero-downtime", "self-hosted", "ambitious", "legacy", "minimal",
]
NOUNS = [
    "scheduler", "build pipeline", "runtime", "compiler pass", "operator", "sidecar",
    "API gateway", "dashboard", "trace pipeline", "alerting setup", "rollout process",
    "job queue", "controller", "allocator", "garbage collector", "query planner",
    "secondary index", "read replica", "consensus layer", "message broker", "cache",
    "reverse proxy", "test suite", "release train", "on-call rotation",
    "postmortem process", "design review", "feature-flag service", "schema migration",
    "plugin system", "monorepo", "thread pool", "event loop", "state machine",
    "type checker", "package registry", "load balancer", "storage engine",
    "deploy tool", "config language",
]
CLAUSE_VERBS = [
    "held up", "fell over", "paid for itself", "got simpler", "doubled its throughput",
    "lost a third of its latency", "needed a rewrite", "became the default",
    "surprised everyone", "stayed boring", "scaled past expectations", "broke in new ways",
]
TAILS = [
    "in production", "at a scale we rarely see", "without any downtime",
    "in under an hour", "on stage", "with a live demo", "over three years",
    "across five regions", "with remarkably little code", "for the first time",
    "in front of a full room", "after a long outage", "on a shoestring budget",
    "with a single engineer", "during the conference itself",
]
CONNECTORS = [
    "and explained why", "before showing how", "while pointing out that",
    "and admitted that", "after noting that", "so that by the end",
]
HEADINGS = [
    "Keynotes", "The hallway track", "Talks we will rewatch", "Observability",
    "Performance", "Security and the supply chain", "People and culture",
    "What we will try at work", "Workshops", "The expo floor", "Surprises",
    "Takeaways", "Tooling", "Lightning talks", "Platform engineering",
    "Data and storage", "Open source", "Questions we still have",
]
SUBHEADINGS = ["Q&A", "A closer look", "Numbers worth noting", "Follow-ups"]
TITLE_PHRASES = [
    "notes from the hallway track", "what we are taking home", "the talks that stuck",
    "highlights and hot takes", "a field report", "lessons for our platform",
    "three days in review", "what changed our minds", "the trends we noticed",
    "five things to try at work", "day one and day two", "our unfiltered notes",
    "the best conversations", "what we would tell our past selves",
]
CODE_WORDS = ["config", "state", "client", "buffer", "handler", "request", "metrics",
              "registry", "pool", "queue", "worker", "tracer", "span", "cache",
              "store", "index", "shard", "lease", "batch", "token"]
CODE_TYPES = ["Config", "Worker", "Registry", "Tracer", "Store", "Pipeline",
              "Scheduler", "Gateway", "Limiter", "Router", "Ledger", "Watcher"]
METHODS = ["flush", "poll", "spawn", "apply", "merge", "drain", "retry", "commit"]


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def a_or_an(word):
    return "an" if word[0] in "aeiou" else "a"


# ------------------------------------------------------------------ events

def event_pool():
    conferences = [(" ".join(p for p in (series, region, str(year)) if p), year)
                   for series, regions in SERIES for region in regions for year in YEARS]
    cities = [(f"{series} {city} {year}", year)
              for series in CITY_SERIES for city in CITIES for year in YEARS]
    return conferences, cities


def make_events(count):
    # conference editions first, city editions only once those run out (~23,000 posts)
    conferences, cities = event_pool()
    Random(f"{SEED}:conferences").shuffle(conferences)
    Random(f"{SEED}:cities").shuffle(cities)
    pool = conferences + cities
    events = pool[:count]
    extra = 2
    while len(events) < count:  # only past ~115,000 posts
        for name, year in pool[: count - len(events)]:
            events.append((f"{name} Edition {extra}", year))
        extra += 1
    out = []
    for k, (name, year) in enumerate(events):
        r = Random(f"{SEED}:event:{k}")
        month = r.randint(1, 5) if year == 2026 else r.randint(1, 12)
        start = dt.datetime(year, month, r.randint(1, 28), tzinfo=dt.timezone.utc)
        out.append({"name": name, "slug": slugify(name), "start": start})
    assert len({e["slug"] for e in out}) == len(out), "event slugs must be distinct"
    return out


# ------------------------------------------------------------------ prose

class Prose:
    """Sentences and blocks of Markdown prose; blocks come with their word counts."""

    def __init__(self, rng, event):
        self.r = rng
        self.event = event

    def noun_phrase(self, emphasis=False):
        adj, noun = self.r.choice(ADJECTIVES), self.r.choice(NOUNS)
        return f"{a_or_an(adj)} {adj} {'*' + noun + '*' if emphasis else noun}"

    def sentence(self):
        r = self.r
        roll = r.random()
        words = [r.choice(SUBJECTS), r.choice(VERBS), self.noun_phrase(emphasis=roll < 0.12)]
        for _ in range(r.choice((0, 0, 1, 1, 2))):
            words += [r.choice(CONNECTORS), "the", r.choice(ADJECTIVES), r.choice(NOUNS),
                      r.choice(CLAUSE_VERBS)]
        words.append(r.choice(TAILS))
        s = " ".join(words)
        if 0.12 <= roll < 0.20:
            s += f", and **the {r.choice(NOUNS)}** stole the show"
        elif 0.20 <= roll < 0.30:
            s += f" by calling `{r.choice(CODE_WORDS)}.{r.choice(METHODS)}()` in a loop"
        elif 0.30 <= roll < 0.40:
            noun = r.choice(NOUNS)
            s += (f" (the [{noun} write-up](https://example.com/notes/"
                  f"{slugify(noun)}-{r.randint(10, 999)}) has the details)")
        return s[0].upper() + s[1:] + "."

    def paragraph(self, target):
        out, n = [], 0
        while n < target:
            s = self.sentence()
            out.append(s)
            n += len(s.split())
        return " ".join(out), n

    def bullet_list(self):
        items = []
        for _ in range(self.r.randint(3, 6)):
            noun = self.r.choice(NOUNS)
            items.append(f"- **{noun[0].upper() + noun[1:]}**: {self.r.choice(VERBS)} "
                         f"{self.noun_phrase()} {self.r.choice(TAILS)} "
                         f"([slides](https://example.net/slides/{slugify(noun)}-{self.r.randint(1, 99)}))")
        text = "\n".join(items)
        return text, len(text.split())

    def quote(self):
        text = (f"> {self.sentence()}\n> {self.sentence()}\n>\n"
                f"> -- {self.r.choice(SUBJECTS).lower()}, at {self.event['name']}")
        return text, len(text.split())


# ------------------------------------------------------------------ code

def fill(template, values):
    return re.sub(r"@(\w+)@", lambda m: values[m.group(1)], template)


# Per language: the head as blocks of lines (optional blocks are kept only
# when the drawn length leaves room for them), then functions (or, in YAML,
# containers) made of a header line, single-line statements drawn from a
# pool, a last statement and a closing line, separated by `gap` blank lines,
# then the tail. Bodies are sized so that a block has exactly the drawn
# number of lines.
SNIPPETS = {
    "rust": {
        "head": [
            (True, ["use std::collections::HashMap;", "use std::time::{Duration, Instant};", ""]),
            (True, ["/// Keeps one @a@ counter per key.", "pub struct @T@ {",
                    "    @a@: HashMap<String, u64>,", "    @b@: Duration,", "}", ""]),
            (False, ["impl @T@ {"]),
        ],
        "open": "    pub fn @m@_@a@(&mut self, key: &str, delta: u64) -> Result<u64, String> {",
        "body": [
            "        let started = Instant::now();",
            "        let slot = self.@a@.entry(key.to_owned()).or_insert(0);",
            "        *slot = slot.saturating_add(delta * @n@);",
            "        if *slot > @big@ { return Err(format!(\"@a@ over budget: {}\", key)); }",
            "        let @c@ = self.@b@.checked_sub(started.elapsed()).unwrap_or_default();",
            "        debug_assert!(self.@b@ >= Duration::ZERO);",
            "        self.@b@ = Duration::from_millis(@n@ * delta.min(@small@));",
            "        let hot = self.@a@.values().filter(|v| **v > @small@).count();",
            "        self.@a@.retain(|_, v| *v != 0);",
        ],
        "last": "        Ok(self.@a@.get(key).copied().unwrap_or(0))",
        "close": "    }",
        "gap": 1,
        "tail": ["}"],
    },
    "go": {
        "head": [
            (False, ["package @pkg@", "", "import (", "\t\"context\"", "\t\"fmt\"", "\t\"time\"", ")", ""]),
            (True, ["type @T@ struct {", "\t@A@ map[string]int", "\ttimeout time.Duration", "}", ""]),
        ],
        "open": "func (s *@T@) @M@(ctx context.Context, key string) (int, error) {",
        "body": [
            "\tctx, cancel := context.WithTimeout(ctx, s.timeout)",
            "\tdefer cancel()",
            "\tstart := time.Now()",
            "\tv, ok := s.@A@[key]",
            "\tif !ok { return 0, fmt.Errorf(\"@a@ %q: not found\", key) }",
            "\ts.@A@[key] = v + @n@",
            "\tif err := ctx.Err(); err != nil { return 0, err }",
            "\tfmt.Println(\"@c@ took\", time.Since(start))",
            "\tif v > @big@ { s.@A@[key] = @small@ }",
        ],
        "last": "\treturn s.@A@[key], nil",
        "close": "}",
        "gap": 1,
        "tail": [],
    },
    "yaml": {
        "head": [
            (False, ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: @t@-@a@"]),
            (True, ["  labels:", "    app: @t@"]),
            (False, ["spec:"]),
            (True, ["  replicas: @small1@", "  selector:", "    matchLabels: { app: @t@ }"]),
            (False, ["  template:", "    spec:", "      containers:"]),
        ],
        "open": "        - name: @c@",
        "body": [
            "          image: registry.example.com/@c@:@ver@",
            "          imagePullPolicy: IfNotPresent",
            "          args: [\"--port=@port@\", \"--log-level=info\"]",
            "          ports: [{ containerPort: @port@ }]",
            "          resources: { limits: { cpu: \"@small1@\", memory: \"@mem@Mi\" } }",
            "          env: [{ name: @U@_URL, value: \"http://@b@:@port@\" }]",
            "          readinessProbe: { httpGet: { path: /healthz, port: @port@ } }",
            "          securityContext: { runAsNonRoot: true }",
        ],
        "last": "          terminationMessagePolicy: FallbackToLogsOnError",
        "close": None,
        "gap": 0,
        "tail": [],
    },
    "bash": {
        "head": [
            (False, ["#!/usr/bin/env bash", "set -euo pipefail", ""]),
            (True, ["NAMESPACE=\"${NAMESPACE:-@t@}\"", "RETRIES=@small1@", ""]),
        ],
        "open": "@m@_@a@() {",
        "body": [
            "  local target=\"deploy/@c@\"",
            "  kubectl -n \"$NAMESPACE\" rollout status \"$target\" --timeout=@n@s",
            "  for i in $(seq 1 \"$RETRIES\"); do curl -fsS \"https://@c@.example.com/healthz\" && break; sleep \"$i\"; done",
            "  kubectl -n \"$NAMESPACE\" get pods -l app=@c@ -o name | head -n @small@",
            "  echo \"@a@: $(date -u +%FT%TZ) ok\" >> \"/tmp/@t@.log\"",
            "  jq -r '.items[].metadata.name' < \"/tmp/@b@.json\" | sort -u",
            "  [ -s \"/tmp/@b@.json\" ] || { echo \"no @b@ data\" >&2; return 1; }",
        ],
        "last": "  return 0",
        "close": "}",
        "gap": 1,
        "tail": ["", "@m@_@a@ \"$@\""],
    },
}


def code_block(r, lang):
    spec = SNIPPETS[lang]
    words = r.sample(CODE_WORDS, 4)
    values = {
        "T": r.choice(CODE_TYPES), "a": words[0], "b": words[1], "c": words[2],
        "A": words[0].capitalize(), "M": r.choice(METHODS).capitalize() + words[3].capitalize(),
        "m": r.choice(METHODS), "pkg": words[3], "n": str(r.randint(2, 64)),
        "big": str(r.randint(500, 99999)), "small": str(r.randint(3, 20)),
        "small1": str(r.randint(1, 9)), "port": str(r.randint(8000, 9099)),
        "ver": f"{r.randint(1, 4)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
        "mem": str(r.choice((128, 256, 512, 1024))),
    }
    values["t"] = slugify(values["T"])
    values["U"] = values["b"].upper()
    target = r.randint(15, 25)
    tail, gap, pool = spec["tail"], spec["gap"], spec["body"]
    fixed = 2 + (spec["close"] is not None)            # header, last statement, closing line
    smallest = fixed + 1                               # a function with one statement
    # head: the required blocks, plus the optional ones that still leave room
    spare = target - len(tail) - smallest - sum(len(b) for opt, b in spec["head"] if not opt)
    head = []
    for optional, block in spec["head"]:
        if optional:
            if len(block) > spare:
                continue
            spare -= len(block)
        head += block
    # split the remaining lines into functions of a few statements each
    room = target - len(head) - len(tail)
    bodies = []
    while room > 0:
        g = gap if bodies else 0
        size = g + r.randint(smallest + 1, smallest + 5)
        if room - size < gap + smallest:               # the rest could not hold a function
            size = room if room - g - fixed <= len(pool) else room - gap - smallest
        bodies.append(size - g - fixed)
        room -= size
    lines = [fill(line, values) for line in head]
    for i, body_len in enumerate(bodies):
        if i:  # the next function works on other fields
            lines += [""] * gap
            values["a"], values["b"], values["c"] = values["b"], values["c"], values["a"]
            values["A"], values["U"] = values["a"].capitalize(), values["b"].upper()
            values["m"] = r.choice(METHODS)
        picked = sorted(r.sample(range(len(pool)), min(body_len, len(pool))))  # pool order
        body = [pool[k] for k in picked] + [r.choice(pool) for _ in range(body_len - len(picked))]
        closing = [spec["close"]] if spec["close"] is not None else []
        lines += [fill(line, values) for line in [spec["open"]] + body + [spec["last"]] + closing]
    lines += [fill(line, values) for line in tail]
    assert len(lines) == target and min(bodies) >= 1, (lang, target, len(lines), bodies)
    return "```" + lang + "\n" + "\n".join(lines) + "\n```"


# ------------------------------------------------------------------ posts

def post_body(r, event):
    """A recap's Markdown body and its number of code blocks."""
    p = Prose(r, event)
    prose_target = r.randint(800, 1480)          # whitespace-separated words outside code
    n_sections = r.randint(3, 6)
    headings = r.sample(HEADINGS, n_sections)
    code_sections = r.sample(range(n_sections), r.randint(1, 2))
    list_at, quote_at = r.randrange(n_sections), r.randrange(n_sections)
    sub_at = r.randrange(n_sections) if r.random() < 0.3 else -1

    intro, _ = p.paragraph(r.randint(45, 80))
    blocks = [f"We spent a few days at **{event['name']}**, and this is what stayed with us. {intro}"]
    words = len(blocks[0].split())
    for si, heading in enumerate(headings):
        blocks.append(f"## {heading}")
        words += 1 + len(heading.split())
        budget = (prose_target - words) // (n_sections - si)
        extras = []
        if si == list_at:
            extras.append(p.bullet_list())
        if si == quote_at:
            extras.append(p.quote())
        if si == sub_at:
            sub = f"### {r.choice(SUBHEADINGS)}"
            extras.append((sub, len(sub.split())))
        spent = sum(n for _, n in extras)
        paras = []
        while not paras or spent < budget - 25:
            para, n = p.paragraph(max(35, min(r.randint(50, 110), budget - spent)))
            paras.append(para)
            spent += n
        for text, _ in extras:
            paras.insert(r.randint(1, len(paras)), text)
        if si in code_sections:
            lead = f"A condensed version of the {r.choice(NOUNS)} from that talk:"
            spent += len(lead.split())
            at = r.randint(1, len(paras))
            paras[at:at] = [lead, code_block(r, r.choice(LANGS))]
        blocks += paras
        words += spent
    body = "\n\n".join(blocks) + "\n"
    # Hugo shortcodes, Zola/Tera and Liquid must never see template syntax.
    assert "{{" not in body and "{%" not in body and "{#" not in body
    return body, len(code_sections)


def make_posts(n):
    """Yield the N posts one by one (a 100,000-post corpus does not fit comfortably in memory)."""
    events = make_events(max(1, n // 20))
    order = list(range(n))
    Random(f"{SEED}:order:{n}").shuffle(order)   # about 20 posts an event, every event used
    for i in range(n):
        r = Random(f"{SEED}:post:{i}")
        event = events[order[i] % len(events)]
        date = event["start"] + dt.timedelta(days=r.randint(1, 21), seconds=r.randrange(86400))
        title = f"{event['name']}: {r.choice(TITLE_PHRASES)}"
        body, code = post_body(r, event)
        yield {
            "title": title, "slug": f"{slugify(title)}-{i + 1}", "date": date,
            "tags": r.sample(TAGS, r.randint(2, 5)), "event": event,
            "authors": r.sample(AUTHORS, r.randint(1, 2)), "body": body, "code_blocks": code,
        }


# ------------------------------------------------------------------ front matter

def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(items):
    return "[" + ", ".join(toml_str(x) for x in items) + "]"


def rfc3339(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def front_matter(p, flavor):
    if flavor == "jekyll":  # YAML; double-quoted YAML scalars take the same escapes
        return ("---\n"
                f"title: {toml_str(p['title'])}\n"
                f"date: {p['date'].strftime('%Y-%m-%d %H:%M:%S +0000')}\n"
                f"tags: {toml_list(p['tags'])}\n"
                f"event: {toml_str(p['event']['name'])}\n"
                f"authors: {toml_list(p['authors'])}\n"
                "---\n")
    lines = ["+++", f"title = {toml_str(p['title'])}", f"date = {rfc3339(p['date'])}"]
    if flavor == "recap":
        lines += [f"tags = {toml_list(p['tags'])}", f"event = {toml_str(p['event']['name'])}",
                  f"authors = {toml_list(p['authors'])}"]
    elif flavor == "hugo":
        lines += [f"authors = {toml_list(p['authors'])}", f"tags = {toml_list(p['tags'])}",
                  f"events = {toml_list([p['event']['name']])}"]
    else:  # zola: taxonomies go in their own table
        lines += [f"authors = {toml_list(p['authors'])}", "", "[taxonomies]",
                  f"tags = {toml_list(p['tags'])}", f"events = {toml_list([p['event']['name']])}"]
    return "\n".join(lines) + "\n+++\n"


# ------------------------------------------------------------------ themes

CSS = """body { font: 16px/1.6 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
header, footer { display: flex; gap: 1rem; color: #555; }
pre { padding: .75rem; overflow-x: auto; }
blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid #ddd; }
ul.tags { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
"""

HUGO_CONFIG = """baseURL = "@base@/"
title = "@title@"
languageCode = "en"
paginate = @per_page@
rssLimit = @feed@
buildFuture = true
disableKinds = ["section"]

[taxonomies]
  tag = "tags"
  event = "events"

# one feed (the home page's), no per-list feeds
[outputs]
  home = ["HTML", "RSS"]
  page = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[markup.highlight]
  codeFences = @hl@
  noClasses = true
  style = "monokai"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<link rel="alternate" type="application/rss+xml" title="{{ .Site.Title }}" href="{{ "index.xml" | absURL }}"></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> <a href="{{ "/tags/" | relURL }}">Tags</a> <a href="{{ "/events/" | relURL }}">Events</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>Hugo benchmark theme</footer>
</body>
</html>
""",
    "partials/pager.html": """<nav class="pager">{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} {{ .PageNumber }} / {{ .TotalPages }} {{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
""",
    "partials/post-list.html": """<ul class="posts">{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan 2006" }}</time></li>{{ end }}
</ul>
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="byline"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 Jan 2006" }}</time>, by {{ delimit .Params.authors ", " }}{{ range .GetTerms "events" }}, at <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>Latest recaps</h1>
{{ $pager := .Paginate (where .Site.RegularPages "Section" "posts") }}
{{ partial "post-list.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
""",
    # Tag pages are paginated; an event's page lists all of its posts.
    "_default/term.html": """{{ define "title" }}{{ .Title }} | {{ .Site.Title }}{{ end }}
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ if eq .Data.Plural "tags" }}{{ $pager := .Paginate .Pages }}
{{ partial "post-list.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ else }}{{ partial "post-list.html" .Pages }}{{ end }}
{{ end }}
""",
    # The site feed, with full content like the other tools' feeds.
    "index.rss.xml": """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ .Site.Title }}</title>
<link>{{ .Permalink }}</link>
<description>Recent recaps on {{ .Site.Title }}</description>
<atom:link href="{{ .Permalink }}index.xml" rel="self" type="application/rss+xml"/>
{{ range first .Site.Config.Services.RSS.Limit (where .Site.RegularPages "Section" "posts") }}<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | html }}</description>
</item>
{{ end }}</channel>
</rss>
""",
}

ZOLA_CONFIG = """base_url = "@base@"
title = "@title@"
compile_sass = false
build_search_index = false
minify_html = false
generate_feeds = true
feed_filenames = ["atom.xml"]
feed_limit = @feed@
taxonomies = [
    { name = "tags", paginate_by = @per_page@ },
    { name = "events" },
]
"""
# Zola 0.22+ (giallo) and Zola 0.19-0.21 (syntect) switch highlighting on differently.
ZOLA_HIGHLIGHT = {
    "giallo": '\n[markdown.highlighting]\ntheme = "github-dark"\n',
    "syntect": '\n[markdown]\nhighlight_code = true\nhighlight_theme = "base16-ocean-dark"\n',
}

ZOLA_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="stylesheet" href="{{ get_url(path='style.css') | safe }}">
<link rel="alternate" type="application/atom+xml" title="{{ config.title }}" href="{{ get_url(path='atom.xml') | safe }}"></head>
<body>
<header><a href="{{ config.base_url | safe }}/">{{ config.title }}</a> <a href="{{ get_url(path='tags/') | safe }}">Tags</a> <a href="{{ get_url(path='events/') | safe }}">Events</a></header>
<main>{% block content %}{% endblock content %}</main>
<footer>Zola benchmark theme</footer>
</body>
</html>
""",
    "macros.html": """{% macro post_list(pages) %}<ul class="posts">{% for p in pages %}
<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time datetime="{{ p.date | date(format='%Y-%m-%d') }}">{{ p.date | date(format='%-d %b %Y') }}</time></li>{% endfor %}
</ul>{% endmacro post_list %}
{% macro pager(paginator) %}<nav class="pager">{% if paginator.previous %}<a href="{{ paginator.previous | safe }}">Newer</a>{% endif %} {{ paginator.current_index }} / {{ paginator.number_pagers }} {% if paginator.next %}<a href="{{ paginator.next | safe }}">Older</a>{% endif %}</nav>{% endmacro pager %}
""",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block content %}<article>
<h1>{{ page.title }}</h1>
<p class="byline"><time datetime="{{ page.date }}">{{ page.date | date(format='%-d %b %Y') }}</time>, by {{ page.authors | join(sep=", ") }}{% for e in page.taxonomies.events %}, at <a href="{{ get_taxonomy_url(kind='events', name=e) | safe }}">{{ e }}</a>{% endfor %}</p>
<ul class="tags">{% for t in page.taxonomies.tags %}<li><a href="{{ get_taxonomy_url(kind='tags', name=t) | safe }}">{{ t }}</a></li>{% endfor %}</ul>
{{ page.content | safe }}
</article>{% endblock content %}
""",
    "index.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}<h1>Latest recaps</h1>
{{ m::post_list(pages=paginator.pages) }}
{{ m::pager(paginator=paginator) }}
{% endblock content %}
""",
    "section.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}<h1>{{ section.title }}</h1>
{{ m::post_list(pages=section.pages) }}
{% endblock content %}
""",
    "taxonomy_list.html": """{% extends "base.html" %}
{% block title %}{{ taxonomy.name }} | {{ config.title }}{% endblock title %}
{% block content %}<h1>{{ taxonomy.name }}</h1>
<ul>{% for term in terms %}
<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}
</ul>
{% endblock content %}
""",
    # Tags have paginate_by (a paginator); events do not (all pages at once).
    "taxonomy_single.html": """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ term.name }} | {{ config.title }}{% endblock title %}
{% block content %}<h1>{{ term.name }}</h1>
{% if paginator is defined %}{{ m::post_list(pages=paginator.pages) }}
{{ m::pager(paginator=paginator) }}{% else %}{{ m::post_list(pages=term.pages) }}{% endif %}
{% endblock content %}
""",
}
ZOLA_HOME = "+++\nsort_by = \"date\"\npaginate_by = @per_page@\n+++\n"
# posts/ hands its pages to the home section and renders no /posts/ page itself.
ZOLA_POSTS_SECTION = "+++\nsort_by = \"date\"\ntransparent = true\nrender = false\n+++\n"

JEKYLL_CONFIG = """title: "@title@"
url: "@base@"
baseurl: ""
permalink: /posts/:title/
timezone: UTC
future: true
markdown: kramdown
highlighter: rouge
kramdown:
  input: GFM
  syntax_highlighter: rouge
defaults:
  - scope: { path: "", type: posts }
    values: { layout: post }
bench_listings:
  per_page: @per_page@
feed_items: @feed@
exclude: [public, config.nohl.toml]
"""

# Generator for the listing pages (the paginated home page, tag and event
# pages, and the /tags/ and /events/ indexes), so the site needs no gem
# beyond Jekyll itself.
JEKYLL_PLUGIN = r"""# Listing pages of the benchmark theme.
module BenchListings
  class ListPage < Jekyll::PageWithoutAFile
    def initialize(site, dir, layout, data)
      super(site, site.source, dir, "index.html")
      self.content = ""
      self.data.update(data)
      self.data["layout"] = layout
    end
  end

  class Generator < Jekyll::Generator
    safe true
    priority :lowest

    def generate(site)
      per_page = site.config.fetch("bench_listings", {}).fetch("per_page", 20).to_i
      newest_first = site.posts.docs.sort_by { |d| [d.date, d.relative_path] }.reverse
      paged(site, "", newest_first, per_page, "Latest recaps")

      tags = Hash.new { |h, k| h[k] = [] }
      events = Hash.new { |h, k| h[k] = [] }
      newest_first.each do |doc|
        Array(doc.data["tags"]).each { |t| tags[t] << doc }
        events[doc.data["event"]] << doc if doc.data["event"]
      end
      index(site, "tags", "Tags", tags) { |dir, name, posts| paged(site, dir, posts, per_page, name) }
      index(site, "events", "Events", events) { |dir, name, posts| paged(site, dir, posts, 0, name) }
    end

    # One index page for a taxonomy, and the term pages through the block.
    def index(site, root, title, terms)
      entries = terms.keys.sort.map do |name|
        dir = "#{root}/#{Jekyll::Utils.slugify(name)}"
        yield dir, name, terms[name]
        { "name" => name, "url" => "/#{dir}/", "count" => terms[name].size }
      end
      site.pages << ListPage.new(site, root, "terms", "title" => title, "terms" => entries)
    end

    # Pages of `per_page` posts at DIR/, DIR/page/2/, ...; per_page 0: one page.
    def paged(site, dir, posts, per_page, title)
      chunks = per_page > 0 ? posts.each_slice(per_page).to_a : [posts]
      chunks = [[]] if chunks.empty?
      base = dir.empty? ? "/" : "/#{dir}/"
      chunks.each_with_index do |chunk, i|
        n = i + 1
        page_dir = n == 1 ? dir : File.join(dir, "page", n.to_s)
        site.pages << ListPage.new(site, page_dir, "list",
          "title" => title, "posts" => chunk, "page_number" => n, "total_pages" => chunks.size,
          "newer_url" => (n == 1 ? nil : (n == 2 ? base : "#{base}page/#{n - 1}/")),
          "older_url" => (n == chunks.size ? nil : "#{base}page/#{n + 1}/"))
      end
    end
  end
end
"""

JEKYLL_LAYOUTS = {
    "default.html": """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% if page.title %}{{ page.title | escape }} | {% endif %}{{ site.title }}</title>
<link rel="stylesheet" href="{{ '/style.css' | relative_url }}">
<link rel="alternate" type="application/atom+xml" title="{{ site.title }}" href="{{ '/feed.xml' | absolute_url }}"></head>
<body>
<header><a href="{{ '/' | relative_url }}">{{ site.title }}</a> <a href="{{ '/tags/' | relative_url }}">Tags</a> <a href="{{ '/events/' | relative_url }}">Events</a></header>
<main>{{ content }}</main>
<footer>Jekyll benchmark theme</footer>
</body>
</html>
""",
    "post.html": """---
layout: default
---
<article>
<h1>{{ page.title | escape }}</h1>
<p class="byline"><time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: "%-d %b %Y" }}</time>, by {{ page.authors | join: ", " }}{% if page.event %}, at <a href="{{ page.event | slugify | prepend: '/events/' | append: '/' | relative_url }}">{{ page.event }}</a>{% endif %}</p>
<ul class="tags">{% for t in page.tags %}<li><a href="{{ t | slugify | prepend: '/tags/' | append: '/' | relative_url }}">{{ t }}</a></li>{% endfor %}</ul>
{{ content }}
</article>
""",
    "list.html": """---
layout: default
---
<h1>{{ page.title | escape }}</h1>
<ul class="posts">{% for p in page.posts %}
<li><a href="{{ p.url | relative_url }}">{{ p.title | escape }}</a> <time datetime="{{ p.date | date: '%Y-%m-%d' }}">{{ p.date | date: "%-d %b %Y" }}</time></li>{% endfor %}
</ul>
{% if page.total_pages > 1 %}<nav class="pager">{% if page.newer_url %}<a href="{{ page.newer_url | relative_url }}">Newer</a>{% endif %} {{ page.page_number }} / {{ page.total_pages }} {% if page.older_url %}<a href="{{ page.older_url | relative_url }}">Older</a>{% endif %}</nav>{% endif %}
""",
    "terms.html": """---
layout: default
---
<h1>{{ page.title }}</h1>
<ul>{% for t in page.terms %}
<li><a href="{{ t.url | relative_url }}">{{ t.name | escape }}</a> ({{ t.count }})</li>{% endfor %}
</ul>
""",
}

JEKYLL_FEED = """---
layout: null
---
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{{ site.title | xml_escape }}</title>
<id>{{ '/' | absolute_url }}</id>
<link href="{{ '/feed.xml' | absolute_url }}" rel="self"/>
<link href="{{ '/' | absolute_url }}"/>
<updated>{{ site.time | date_to_xmlschema }}</updated>
{% for post in site.posts limit: site.feed_items %}<entry>
<title>{{ post.title | xml_escape }}</title>
<link href="{{ post.url | absolute_url }}"/>
<id>{{ post.url | absolute_url }}</id>
<updated>{{ post.date | date_to_xmlschema }}</updated>
{% for a in post.authors %}<author><name>{{ a | xml_escape }}</name></author>{% endfor %}
<content type="html">{{ post.content | xml_escape }}</content>
</entry>
{% endfor %}</feed>
"""

JEKYLL_SITEMAP = """---
layout: null
---
<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{% for post in site.posts %}<url><loc>{{ post.url | absolute_url }}</loc><lastmod>{{ post.date | date_to_xmlschema }}</lastmod></url>
{% endfor %}{% for p in site.pages %}{% if p.name == "index.html" %}<url><loc>{{ p.url | absolute_url }}</loc></url>
{% endif %}{% endfor %}</urlset>
"""


# ------------------------------------------------------------------ writing

def zola_style(choice):
    """'giallo' for Zola 0.22+, 'syntect' for 0.19-0.21."""
    if choice != "auto":
        return choice
    try:
        out = subprocess.run(["zola", "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "giallo"
    m = re.search(r"(\d+)\.(\d+)", out)
    if m and (int(m.group(1)), int(m.group(2))) < (0, 22):
        return "syntect"
    return "giallo"


class Writer:
    def __init__(self, root):
        self.root = root
        self.dirs = set()

    def __call__(self, rel, text):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def scaffold(write, flavor, zola_cfg):
    subst = {"base": BASE_URL, "title": SITE_TITLE, "per_page": str(PER_PAGE), "feed": str(FEED_ITEMS)}
    if flavor == "recap":
        # Hugo, Zola and Jekyll draw no social cards: neither does recap
        # here, so the builds do the same work (docs/performance.md has
        # what cards cost).
        write("config.toml", f"title = {toml_str(SITE_TITLE)}\nbase_url = {toml_str(BASE_URL)}\nsocial_cards = false\n")
    elif flavor == "hugo":
        write("config.toml", fill(HUGO_CONFIG, dict(subst, hl="true")))
        write("config.nohl.toml", fill(HUGO_CONFIG, dict(subst, hl="false")))
        for name, text in HUGO_LAYOUTS.items():
            write(f"layouts/{name}", text)
        write("static/style.css", CSS)
    elif flavor == "zola":
        config = fill(ZOLA_CONFIG, subst)
        write("config.toml", config + ZOLA_HIGHLIGHT[zola_cfg])
        write("config.nohl.toml", config)
        for name, text in ZOLA_TEMPLATES.items():
            write(f"templates/{name}", text)
        write("static/style.css", CSS)
        write("content/_index.md", fill(ZOLA_HOME, subst))
        write("content/posts/_index.md", ZOLA_POSTS_SECTION)
    elif flavor == "jekyll":
        write("_config.yml", fill(JEKYLL_CONFIG, subst))
        write("_plugins/bench_listings.rb", JEKYLL_PLUGIN)
        for name, text in JEKYLL_LAYOUTS.items():
            write(f"_layouts/{name}", text)
        write("feed.xml", JEKYLL_FEED)
        write("sitemap.xml", JEKYLL_SITEMAP)
        write("style.css", CSS)


def post_path(p, flavor):
    if flavor == "jekyll":
        return f"_posts/{p['date'].strftime('%Y-%m-%d')}-{p['slug']}.md"
    return f"content/posts/{p['slug']}.md"


def generate(n, out, flavor, zola_choice="auto"):
    zola_cfg = zola_style(zola_choice) if flavor == "zola" else None
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    write = Writer(out)
    scaffold(write, flavor, zola_cfg)

    tag_posts, event_posts, authors, slugs = {}, {}, set(), []
    words = code_blocks = 0
    for p in make_posts(n):
        write(post_path(p, flavor), front_matter(p, flavor) + "\n" + p["body"])
        for t in p["tags"]:
            tag_posts[t] = tag_posts.get(t, 0) + 1
        event_posts[p["event"]["slug"]] = event_posts.get(p["event"]["slug"], 0) + 1
        authors.update(p["authors"])
        slugs.append(p["slug"])
        words += len(p["body"].split())
        code_blocks += p["code_blocks"]
    manifest = {
        "generator": "bench/gen_corpus.py",
        "seed": SEED,
        "flavor": flavor,
        "posts": n,
        "tag_count": len(tag_posts),
        "event_count": len(event_posts),
        "per_page": RECAP_PER_PAGE if flavor == "recap" else PER_PAGE,
        "feed_items": FEED_ITEMS,
        "feed_file": {"recap": "atom.xml", "hugo": "index.xml", "zola": "atom.xml",
                      "jekyll": "feed.xml"}[flavor],
        "zola_config": zola_cfg,
        "body_words": words,
        "code_blocks": code_blocks,
        "authors": len(authors),
        "tags": {slugify(t): c for t, c in sorted(tag_posts.items())},
        "events": dict(sorted(event_posts.items())),
        "slugs": slugs,
    }
    with open(os.path.join(out, ".bench-manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=0, sort_keys=True)
        f.write("\n")
    return manifest


def main():
    ap = argparse.ArgumentParser(description="Write a synthetic conference-recap site for benchmarks.")
    ap.add_argument("--posts", type=int, required=True, metavar="N")
    ap.add_argument("--out", required=True, metavar="DIR")
    ap.add_argument("--flavor", required=True, choices=["recap", "hugo", "zola", "jekyll"])
    ap.add_argument("--zola-config", default="auto", choices=["auto", "giallo", "syntect"],
                    help="highlighting keys for Zola 0.22+ (giallo) or 0.19-0.21 (syntect)")
    a = ap.parse_args()
    if a.posts < 1:
        ap.error("--posts must be at least 1")
    m = generate(a.posts, a.out, a.flavor, a.zola_config)
    print(f"flavor={a.flavor} posts={m['posts']} tags={m['tag_count']} events={m['event_count']} "
          f"body_words={m['body_words']} dir={a.out}")


if __name__ == "__main__":
    sys.exit(main())
