// recap serve: reloads the page after a rebuild, swaps stylesheets when only
// CSS changed, and shows build errors over the page until they are fixed.
(function () {
  "use strict";
  var OVERLAY_ID = "recap-error-overlay";

  function showError(text) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f6f6f6;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = "recap: the last rebuild failed";
      title.style.cssText = "margin:0 0 1rem;color:#ff9e8a;font:600 18px system-ui,sans-serif";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      var note = document.createElement("p");
      note.textContent = "Fix the file and save: this page reloads by itself.";
      note.style.cssText = "color:#bbb;font:14px system-ui,sans-serif";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      overlay.appendChild(note);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  function clearError() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  // Stylesheets have content-hashed names: read the new names from a fresh
  // copy of this page and swap the <link> elements in place.
  function swapStylesheets() {
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.querySelectorAll('link[rel="stylesheet"]');
        var current = document.querySelectorAll('link[rel="stylesheet"]');
        if (next.length !== current.length) { location.reload(); return; }
        for (var i = 0; i < current.length; i++) {
          current[i].href = next[i].href;
        }
      })
      .catch(function () { location.reload(); });
  }

  var failed = false;
  var source = new EventSource("/__recap/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () {
    if (failed) { location.reload(); } else { swapStylesheets(); }
  });
  source.addEventListener("failed", function (event) { failed = true; showError(event.data); });
  source.addEventListener("ok", function () { failed = false; clearError(); });
})();
