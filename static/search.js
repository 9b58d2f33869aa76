// Client-side search for recap sites: loads /search-index.json once and
// filters it as the reader types. The index format is documented in
// src/render/search.rs.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !results || !status) return;

  var MAX_RESULTS = 50;
  var index = null;
  var rows = [];

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function prepare(data) {
    index = data;
    rows = data.posts.map(function (post) {
      var event = post[3] >= 0 ? data.events[post[3]] : "";
      var tags = post[4].map(function (i) { return data.tags[i]; });
      var authors = post[5].map(function (i) { return data.authors[i]; });
      return {
        title: post[0], path: post[1], date: post[2], event: event,
        tags: tags, authors: authors, summary: post[6],
        titleText: fold(post[0]),
        otherText: fold([event, tags.join(" "), authors.join(" "), post[6]].join(" "))
      };
    });
  }

  function score(row, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      if (row.titleText.indexOf(terms[i]) >= 0) total += 3;
      else if (row.otherText.indexOf(terms[i]) >= 0) total += 1;
      else return 0;
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(query) {
    results.textContent = "";
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { status.textContent = ""; return; }
    var found = [];
    for (var i = 0; i < rows.length; i++) {
      var s = score(rows[i], terms);
      if (s) found.push([s, i]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    status.textContent = found.length === 0 ? "No recaps match “" + query + "”."
      : found.length + (found.length === 1 ? " recap matches." : " recaps match.") +
        (found.length > MAX_RESULTS ? " Showing the first " + MAX_RESULTS + "." : "");
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var row = rows[hit[1]];
      var item = element("li", "search-result");
      var link = element("a", "search-result-title", row.title);
      link.href = index.base_path + row.path;
      item.appendChild(link);
      var meta = [row.date, row.event, row.authors.join(", ")].filter(Boolean).join(" · ");
      item.appendChild(element("p", "search-result-meta", meta));
      if (row.summary) item.appendChild(element("p", "search-result-summary", row.summary));
      results.appendChild(item);
    });
  }

  fetch(input.getAttribute("data-index"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      prepare(data);
      var initial = new URLSearchParams(window.location.search).get("q");
      if (initial) { input.value = initial; }
      render(input.value);
    })
    .catch(function () { status.textContent = "The search index could not be loaded."; });

  input.addEventListener("input", function () { if (index) render(input.value); });
})();
