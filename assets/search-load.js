// Loads search.js, the search engine and its box, on the first use of the
// search box: a focus or a press on it, "/" or Ctrl/⌘-K; and at once when
// the address holds a query or a search led to this page, whose words
// search.js marks. Until then a page loads nothing of search but this.
(function () {
  "use strict";
  var root = document.querySelector("[data-search-js]"), input, loaded, hl;
  if (!root) return;
  input = root.querySelector("input");
  function load() {
    if (loaded) return;
    loaded = true;
    var s = document.createElement("script");
    s.src = root.dataset.searchJs;
    document.head.append(s);
  }
  input.addEventListener("focus", load);
  input.addEventListener("pointerdown", load);
  input.addEventListener("input", load);
  addEventListener("keydown", function (e) {
    var t = e.target, typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
    // Once search.js runs (it marks the box data-ready), it answers these.
    if (!root.hasAttribute("data-ready") && ((e.key === "/" && !typing) || (e.key === "k" && (e.ctrlKey || e.metaKey)))) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  // A search left the words to mark for the page it opened; an entry for
  // another page (one opened in a new tab) is no reason to load.
  try { hl = JSON.parse(sessionStorage.getItem("ps-hl")); } catch (e) { hl = null; }
  if ((hl && hl.u === location.pathname + location.hash) || new URLSearchParams(location.search).has("q")) load();
})();
