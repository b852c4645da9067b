// The search box's shortcuts, and the loading of search.js: "/" and
// Ctrl/⌘-K go to the box from anywhere but a field. search.js, the search
// engine and its results, loads on the first use of the box: a focus, a
// press or a key in it; and at once when the address holds a query or a
// search led to this page, whose words search.js marks. Until then a page
// loads nothing of search but this.
(function () {
  "use strict";
  var root = document.querySelector("[data-search-index]"), input, loaded, hl;
  if (!root) return;
  input = root.querySelector("input");
  addEventListener("keydown", function (e) {
    var t = e.target, typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
    if ((e.key === "/" && !typing) || (e.key === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  // site.js starts with search.js's address (a theme without it has none).
  if (!window.psSearch) return;
  function load() {
    if (loaded) return;
    loaded = true;
    var s = document.createElement("script");
    s.src = window.psSearch;
    document.head.append(s);
  }
  input.addEventListener("focus", load);
  input.addEventListener("pointerdown", load);
  input.addEventListener("input", load);
  // A search left the words to mark for the page it opened; an entry for
  // another page (one opened in a new tab) is no reason to load.
  try { hl = JSON.parse(sessionStorage.getItem("ps-hl")); } catch (e) { hl = null; }
  if ((hl && hl.u === location.pathname + location.hash) || new URLSearchParams(location.search).has("q")) load();
})();
