// Live reload for promptsite's dev server: reloads the page when the site
// is rebuilt, or when the server restarts, and shows why a rebuild failed.
// The server adds this script to pages it serves; built sites never have it.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : "";
  var overlay = null;

  function connect() {
    var es = new EventSource("/_promptsite/events");
    // The server names its current build on connecting and after each
    // rebuild: any other than the one this page came from means reload.
    es.addEventListener("reload", function (e) {
      if (e.data !== build) {
        es.close();
        location.reload();
      }
    });
    es.addEventListener("failed", function (e) {
      show("Rebuild failed; this page is the last good build.\n\n" + e.data, false);
    });
    es.addEventListener("warnings", function (e) {
      show("The site is built, with warnings to fix before it is published:\n\n" + e.data, true);
    });
    es.onerror = function () {
      // Reconnect every second, with a stream of our own: the browser's
      // own retries wait longer and longer while the server is down (a
      // restart), or stop.
      es.close();
      setTimeout(connect, 1000);
    };
  }

  // show puts a build's message over the page, as text: a failure in red,
  // warnings in yellow.
  function show(message, warning) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      Object.assign(overlay.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
        maxHeight: "50vh", overflow: "auto", margin: "0", padding: "1em",
        background: "#fff0f0", color: "#7a0000", borderTop: "3px solid #c00",
        font: "14px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap"
      });
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.style.float = "right";
      close.addEventListener("click", function () {
        overlay.remove();
        overlay = null;
      });
      overlay.appendChild(close);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    Object.assign(overlay.style, warning ?
      { background: "#fff8e0", color: "#5c4400", borderTop: "3px solid #b08800" } :
      { background: "#fff0f0", color: "#7a0000", borderTop: "3px solid #c00" });
    var pre = overlay.querySelector("pre");
    pre.style.margin = "0";
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = message;
  }

  connect();
})();
