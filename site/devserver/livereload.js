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
      show(e.data);
    });
    es.onerror = function () {
      // The browser retries by itself unless it gave up; then try again.
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }

  // show puts a failed build's message over the page, as text.
  function show(message) {
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
    var pre = overlay.querySelector("pre");
    pre.style.margin = "0";
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = "Rebuild failed; this page is the last good build.\n\n" + message;
  }

  connect();
})();
