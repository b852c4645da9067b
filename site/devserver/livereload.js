// Live reload for promptsite's dev server: brings the page up to date when
// the site is rebuilt, or when the server restarts, and shows why a
// rebuild failed. The server adds this script to pages it serves, first in
// their head; built sites never have it.
//
// A page is updated in place when it can be: the new page is fetched, its
// body takes the old one's place, and the page's scripts run again over
// it, as they ran at its load, once the listeners they set on window and
// document are taken off. That spares the browser a new document, most of
// the time an edit takes to show, and keeps the reader where they were.
// The page reloads instead when that could leave it otherwise than a load
// would: when a script ran before this one or was added since the load
// (such as the search engine, which holds the old index), when the new
// page has other scripts, stylesheets, <html> attributes or a <noscript>,
// when a script fails as it runs again, or when the page cannot be
// fetched.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : "";
  var overlay = null, es = null, queue = Promise.resolve();
  var latest = build; // the build the server named last
  var reconnect = 0;  // the timer of the next connect

  // The page's scripts as they ran at its load (see scripts), read once
  // they have: after this one, which is first in the head.
  var loaded = null;
  document.addEventListener("DOMContentLoaded", function () { loaded = scripts(document); });
  // A script before this one set listeners that it did not see.
  var first = Array.prototype.indexOf.call(document.scripts, script) === 0;

  // What the page's scripts set from now on: the listeners on window and
  // document, to take off before they run again.
  var listeners = [], listen = window.addEventListener.bind(window);
  [window, document].forEach(function (target) {
    var add = target.addEventListener;
    target.addEventListener = function (type, fn, opts) {
      listeners.push([target, type, fn, opts]);
      return add.call(target, type, fn, opts);
    };
  });

  // ours tells the live-reload script, this one or a new page's, which
  // the server names the build in, from the page's own.
  function ours(s) { return s.hasAttribute("data-build"); }

  // The stylesheets of a page, which an update keeps as they are.
  var SHEETS = 'link[rel~="stylesheet"], style';

  // scripts returns the page's scripts but this one, each as "head SRC"
  // or "body SRC", or null if one is not a deferred classic script with a
  // src: one that runs while the page is parsed, or when it is fetched,
  // or that was added since, cannot be run again as it ran.
  function scripts(doc) {
    var out = [];
    for (var i = 0; i < doc.scripts.length; i++) {
      var s = doc.scripts[i];
      if (ours(s)) continue;
      if (!s.src || !s.defer || s.async || (s.type && !/^(text|application)\/javascript$/i.test(s.type))) return null;
      out.push((doc.head.contains(s) ? "head " : "body ") + s.src);
    }
    return out;
  }

  function same(a, b) { return a !== null && b !== null && a.join("\n") === b.join("\n"); }
  function sheets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll(SHEETS), function (l) {
      return l.tagName === "STYLE" ? "style " + l.media + " " + l.textContent : l.href + " " + l.media;
    });
  }
  function attrs(el) {
    return Array.prototype.map.call(el.attributes, function (a) { return a.name + "=" + a.value; }).sort();
  }

  // update brings the page to the build named want: in place when it can
  // (see above), else with a reload.
  function update(want) {
    // A build named since is the one to bring the page to.
    if (want === build || want !== latest) return Promise.resolve();
    var unchanged = function () { return first && loaded !== null && same(loaded, scripts(document)); };
    if (!unchanged()) return reload();
    return fetch(location.href, {cache: "no-store"}).then(function (r) {
      if (r.redirected || !/^text\/html/.test(r.headers.get("Content-Type") || "")) throw r;
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var tag = doc.querySelector("script[data-build]");
      if (!tag || !same(loaded, scripts(doc)) || !same(sheets(document), sheets(doc)) ||
          !same(attrs(document.documentElement), attrs(doc.documentElement)) ||
          doc.querySelector("noscript") || !unchanged()) throw doc;
      var x = scrollX, y = scrollY;
      swap(doc);
      build = tag.getAttribute("data-build");
      return rerun().then(function () { settle(x, y); });
    }).then(function () {
      // Once the page is drawn, the stream starts again: the server then
      // knows the page has its new build, and tells of a failure anew.
      // A hidden page draws nothing, and connects at once.
      if (document.hidden) return connectIn(0);
      requestAnimationFrame(function () { connectIn(0); });
    }).catch(reload);
  }

  function reload() {
    if (es) es.close();
    location.reload();
    return new Promise(function () {}); // the page goes
  }

  // swap puts the body of doc in the place of the page's, and the rest of
  // its head but the scripts and stylesheets, which are the same.
  function swap(doc) {
    var keep = function (el) { return el.matches("script, " + SHEETS); };
    Array.prototype.slice.call(document.head.children).forEach(function (el) { if (!keep(el)) el.remove(); });
    var at = document.head.firstChild;
    Array.prototype.slice.call(doc.head.children).forEach(function (el) {
      if (!keep(el)) document.head.insertBefore(document.adoptNode(el), at);
    });
    listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
    listeners = [];
    overlay = null; // it was on the old body
    // Until its scripts have run again, the new body may be shorter than
    // it will be: it keeps the old one's height, so that the page stays
    // scrolled where it was (see settle).
    var body = document.adoptNode(doc.body);
    body.style.minHeight = document.body.scrollHeight + "px";
    document.body.replaceWith(body);
  }

  // settle ends an update once the page's scripts have run again: the
  // body has its own height, the reader is where they were (x, y), and
  // the element the address's fragment names is the target (:target), as
  // at a load, for which going to the fragment again is needed.
  function settle(x, y) {
    document.body.style.minHeight = "";
    if (!document.body.getAttribute("style")) document.body.removeAttribute("style");
    if (location.hash) location.replace(location.href);
    scrollTo(x, y);
  }

  // rerun runs the page's scripts again, in order, from the browser's
  // cache, each in a new element in the old one's place, then tells them
  // the page is loaded, as a load does.
  function rerun() {
    var failed = false;
    var fail = function () { failed = true; };
    listen("error", fail);
    return Promise.all(Array.prototype.filter.call(document.scripts, function (old) {
      return !ours(old);
    }).map(function (old) {
      return new Promise(function (done) {
        var s = document.createElement("script");
        Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
        s.async = false; // in order, as deferred scripts run
        s.onload = s.onerror = done;
        old.replaceWith(s);
      });
    })).then(function () {
      window.removeEventListener("error", fail);
      // A script that cannot run twice, such as one that declares a
      // const at its top, leaves the page without it: a load has it.
      if (failed) throw new Error("a script failed as it ran again");
      document.dispatchEvent(new Event("DOMContentLoaded", {bubbles: true}));
      window.dispatchEvent(new Event("load"));
    });
  }

  // connectIn connects after ms, once however often it is asked before.
  function connectIn(ms) {
    clearTimeout(reconnect);
    reconnect = setTimeout(connect, ms);
  }

  function connect() {
    if (es) es.close();
    es = new EventSource("/_promptsite/events");
    // The server names its current build on connecting and after each
    // rebuild: any other than the page's means an update.
    es.addEventListener("reload", function (e) {
      var want = latest = e.data;
      queue = queue.then(function () { return update(want); });
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
      connectIn(1000);
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
