// Client-side search for recap sites. Loads /search-index.json (recaps,
// sessions, speakers, events and pages), shows results as the reader types,
// then loads the recaps' body text in the background and searches it too.
// The index format is documented in src/render/search.rs.
//
// The matching (recapSearch.prepare, addBodies, search) needs no page, so
// bench/search_bench.mjs times it on a site's real index.
(function (root) {
  "use strict";

  var KINDS = { post: "Recap", session: "Session", speaker: "Speaker", event: "Event", page: "Page" };

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function row(kind, title, path, meta, summary, other) {
    return {
      kind: kind, title: title, path: path, meta: meta, summary: summary,
      titleText: fold(title), otherText: fold(other), bodyText: ""
    };
  }

  // One row per thing a reader may look for; recaps come first, in the
  // index's order (newest first), so their place is their post index.
  function prepare(data) {
    var events = data.events.map(function (e) { return e[0]; });
    var rows = data.posts.map(function (post) {
      var event = post[3] >= 0 ? events[post[3]] : "";
      var tags = post[4].map(function (i) { return data.tags[i]; });
      var authors = post[5].map(function (i) { return data.authors[i]; });
      var meta = [post[2], event, authors.join(", ")].filter(Boolean).join(" · ");
      return row("post", post[0], post[1], meta, post[6],
        [event, tags.join(" "), authors.join(" "), post[6]].join(" "));
    });
    data.sessions.forEach(function (session) {
      var speakers = session[1].map(function (i) { return data.speakers[i][0]; });
      var event = session[2] >= 0 ? events[session[2]] : "";
      var recap = data.posts[session[3]];
      var meta = [speakers.join(", "), event].filter(Boolean).join(" · ");
      rows.push(row("session", session[0], recap[1], meta, "In our recap “" + recap[0] + "”",
        [speakers.join(" "), event].join(" ")));
    });
    data.speakers.forEach(function (speaker) {
      rows.push(row("speaker", speaker[0], speaker[1], speaker[2], "", speaker[2]));
    });
    data.events.forEach(function (event) {
      var meta = [event[2], event[3]].filter(Boolean).join(" · ");
      rows.push(row("event", event[0], event[1], meta, "", event[3]));
    });
    data.pages.forEach(function (page) {
      rows.push(row("page", page[0], page[1], "", page[2], page[2]));
    });
    return rows;
  }

  // The body text of the recaps of one body file, from post `first` on.
  function addBodies(rows, first, texts) {
    for (var i = 0; i < texts.length; i++) {
      if (rows[first + i] && rows[first + i].kind === "post") rows[first + i].bodyText = fold(texts[i]);
    }
  }

  // Every row matching each term, best first: a term in the title counts 3,
  // in names, tags or summary 1, in the body text alone a half.
  function search(rows, query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    var found = [];
    if (!terms.length) return found;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r], total = 0;
      for (var t = 0; t < terms.length; t++) {
        if (row.titleText.indexOf(terms[t]) >= 0) total += 3;
        else if (row.otherText.indexOf(terms[t]) >= 0) total += 1;
        else if (row.bodyText.indexOf(terms[t]) >= 0) total += 0.5;
        else { total = 0; break; }
      }
      if (total) found.push([total, r]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return found.map(function (hit) { return rows[hit[1]]; });
  }

  root.recapSearch = { prepare: prepare, addBodies: addBodies, search: search, kinds: KINDS };
  if (typeof document === "undefined") return;

  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !results || !status) return;

  var MAX_RESULTS = 50;
  // The page's words, in the site's language (data-* of the input).
  function word(name, fallback) { return input.dataset[name] || fallback; }
  var data = null;
  var rows = [];
  var bodiesRequested = false;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(query) {
    results.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var found = search(rows, query);
    status.textContent = found.length === 0 ? word("nothing", "Nothing matches “{query}”.").replace("{query}", query)
      : (found.length === 1 ? word("resultsOne", "1 result.")
        : word("resultsOther", "{n} results.").replace("{n}", found.length)) +
        (found.length > MAX_RESULTS ? " " + word("first", "Showing the first {n}.").replace("{n}", MAX_RESULTS) : "");
    found.slice(0, MAX_RESULTS).forEach(function (row) {
      var item = element("li", "search-result search-result-" + row.kind);
      var heading = element("p", "search-result-heading");
      var kindKey = "kind" + row.kind.charAt(0).toUpperCase() + row.kind.slice(1);
      heading.appendChild(element("span", "badge search-result-kind", word(kindKey, KINDS[row.kind])));
      heading.appendChild(document.createTextNode(" "));
      var link = element("a", "search-result-title", row.title);
      link.href = data.base_path + row.path;
      heading.appendChild(link);
      item.appendChild(heading);
      if (row.meta) item.appendChild(element("p", "search-result-meta", row.meta));
      if (row.summary) item.appendChild(element("p", "search-result-summary", row.summary));
      results.appendChild(item);
    });
  }

  // The body files, once the reader starts searching; each one found
  // refreshes the results.
  function loadBodies(indexUrl) {
    if (bodiesRequested || !data.bodies) return;
    bodiesRequested = true;
    data.bodies.files.forEach(function (name, number) {
      fetch(new URL(name, indexUrl))
        .then(function (response) { return response.json(); })
        .then(function (texts) {
          addBodies(rows, number * data.bodies.posts_per_file, texts);
          render(input.value);
        })
        .catch(function () {});
    });
  }

  var indexUrl = new URL(input.getAttribute("data-index"), window.location.href);
  fetch(indexUrl)
    .then(function (response) { return response.json(); })
    .then(function (loaded) {
      data = loaded;
      rows = prepare(loaded);
      var initial = new URLSearchParams(window.location.search).get("q");
      if (initial) { input.value = initial; }
      render(input.value);
      if (input.value) loadBodies(indexUrl);
    })
    .catch(function () { status.textContent = word("failed", "The search index could not be loaded."); });

  input.addEventListener("input", function () {
    if (!data) return;
    render(input.value);
    loadBodies(indexUrl);
  });
})(this);
