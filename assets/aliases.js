// Old addresses: a link to an anchor that moved to another page leads to
// its new place. The page lists its old anchors in data-aliases. A large
// library's home page, which lists only each category's first prompts,
// names in data-ids a map of the GitHub ids of the others, fetched only
// when the address's fragment is not on the page.
(function () {
  "use strict";
  var map, ids, idsURL = document.body.getAttribute("data-ids");
  try { map = JSON.parse(document.body.getAttribute("data-aliases") || "{}"); } catch (e) { return; }
  var has = function (m, k) { return Object.prototype.hasOwnProperty.call(m, k); };

  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    if (has(map, id)) return location.replace(map[id]);
    if (!idsURL) return;
    ids = ids || fetch(idsURL).then(function (r) { return r.json(); });
    ids.then(function (m) {
      if (has(m, id) && decodeURIComponent(location.hash.slice(1)) === id && /^\/(?![\/\\])/.test(m[id])) location.replace(m[id]);
    }).catch(function () {});
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
