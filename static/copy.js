// A "Copy" button on each code block, added only where scripts run: without
// them the block is a plain block, still selectable. Line numbers and
// prompts are left out of what is copied.
(function () {
  if (!navigator.clipboard) return;
  // The words, in the site's language, from the script tag.
  var words = (document.currentScript && document.currentScript.dataset) || {};
  var copyWord = words.copy || "Copy";
  var copiedWord = words.copied || "Copied";
  document.querySelectorAll("pre.code").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = copyWord;
    button.addEventListener("click", function () {
      var code = pre.querySelector("code").cloneNode(true);
      code.querySelectorAll(".ln, .prompt").forEach(function (node) { node.remove(); });
      navigator.clipboard.writeText(code.textContent).then(
        function () { button.textContent = copiedWord; },
        function () { button.textContent = "⚠"; }
      );
      setTimeout(function () { button.textContent = copyWord; }, 2000);
    });
    // In the block's bar (templates/hooks/codeblock.html), or above a
    // block a site's own hook writes without one.
    var bar = pre.parentNode.querySelector(".code-bar");
    if (bar) bar.appendChild(button);
    else pre.insertAdjacentElement("beforebegin", button);
    pre.parentNode.classList.add("has-copy");
  });
})();
