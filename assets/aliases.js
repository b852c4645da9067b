// Old addresses: a link to an anchor that moved to another page leads to
// its new place. The page lists its old anchors in data-aliases.
(function () {
  "use strict";
  var map;
  try { map = JSON.parse(document.body.getAttribute("data-aliases") || "{}"); } catch (e) { return; }

  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && !document.getElementById(id) && Object.prototype.hasOwnProperty.call(map, id)) {
      location.replace(map[id]);
    }
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
