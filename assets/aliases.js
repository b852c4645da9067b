// Old addresses: a link to an anchor that moved to another page leads to
// its new place. The page lists its old anchors in data-aliases. A page
// that does not hold every id its address may name, a large library's
// home page or a page of a category split into pages, names in data-ids a
// map of those ids to the pages that hold them, fetched only when the
// address's fragment is not on the page. A page that is gone leads on
// with the fragment, which its refresh would drop.
(function () {
  "use strict";
  var map, ids, idsURL = document.body.getAttribute("data-ids");
  try { map = JSON.parse(document.body.getAttribute("data-aliases") || "{}"); } catch (e) { return; }
  var has = function (m, k) { return Object.prototype.hasOwnProperty.call(m, k); };
  var local = function (to) { return /^\/(?![\/\\])/.test(to); };

  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    if (has(map, id)) return location.replace(map[id]);
    if (!idsURL) return onward();
    ids = ids || fetch(idsURL).then(function (r) { return r.json(); });
    ids.then(function (m) {
      if (has(m, id) && decodeURIComponent(location.hash.slice(1)) === id && local(m[id])) location.replace(m[id]);
    }).catch(function () {});
  }

  function onward() {
    var refresh = document.querySelector('meta[http-equiv="refresh"]');
    var to = refresh && /;\s*url=(.*)$/i.exec(refresh.getAttribute("content") || "");
    if (to && to[1].indexOf("#") < 0 && local(to[1])) location.replace(to[1] + location.hash);
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
