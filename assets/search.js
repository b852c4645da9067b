// Search as you type, on the static index that site/search exports from
// bleve. It reads queries and scores documents by bleve's rules (TF-IDF,
// query norm, coordination), so it ranks as `promptsite search` does.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;
  var own = function (o, k) { return o && Object.hasOwn(o, k) ? o[k] : undefined; };

  // within1 tells whether the letter arrays a and b are at most one edit
  // apart, a transposition of neighbours counting as one.
  function within1(a, b) {
    if (a.length < b.length) { var t = a; a = b; b = t; }
    var d = a.length - b.length, i = 0;
    var eq = function (x, y) { return a.slice(x).join("") === b.slice(y).join(""); };
    if (d > 1) return false;
    while (i < b.length && a[i] === b[i]) i++;
    if (d) return eq(i + 1, i);
    return i >= a.length - 1 || eq(i + 1, i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && eq(i + 2, i + 2));
  }
  // sameStem tells whether w and s differ only after their first minTypo letters, in at most maxSuffix letters each.
  function sameStem(w, s, P) {
    var i = 0;
    while (i < w.length && w[i] === s[i]) i++;
    return i >= P.minTypo && w.length - i <= P.maxSuffix && s.length - i <= P.maxSuffix;
  }
  function oneTypo(w, s, prefix) {
    if (!prefix) return within1(w, s);
    for (var l = w.length - 1; l <= w.length + 1; l++) if (l <= s.length && within1(w, s.slice(0, l))) return true;
    return false;
  }

  // engine reads the static index at base (a URL ending in "/").
  function engine(base) {
    var M, mp, cp = [], C = [], rp = {};
    function get(u) {
      return fetch(base + u).then(function (r) { if (!r.ok) throw Error(u + ": " + r.status); return r.json(); });
    }
    function manifest() { return mp || (mp = get("index.json").then(function (m) { M = m; })); }
    function load(i) { return cp[i] || (cp[i] = get(M.chunks[i]).then(function (c) { C[i] = c; })); }
    function loadAll(list) { return Promise.all(list.map(load)); }
    // chunkOf returns the chunk that holds key k.
    function chunkOf(k) {
      var lo = 0, hi = M.keys.length;
      while (lo < hi) { var m = (lo + hi) >> 1; if (M.keys[m] > k) hi = m; else lo = m + 1; }
      return lo - 1;
    }
    // termOf returns a surface word's term: "" for a stop word, undefined
    // when the content has no such word.
    function termOf(s) {
      var v = own(C[chunkOf(s)] && C[chunkOf(s)].s, s);
      return v === 1 ? s : v === 0 ? "" : v;
    }
    function postings(t) { return own(C[chunkOf(t)] && C[chunkOf(t)].t, t); }

    // expand reads a query as site/search's expand does.
    async function expand(q) {
      await manifest();
      q = q.toLowerCase();
      var P = M.q, all = q.match(WORD) || [], ws = all.slice(0, P.maxWords),
        open = all.length <= P.maxWords && /[\p{L}\p{N}\p{M}]$/u.test(q), plan = [], need = [], out = [];
      ws.forEach(function (w, i) {
        var p = { w: w, a: Array.from(w), last: open && i === ws.length - 1 };
        p.lo = p.hi = chunkOf(w);
        if (p.last && p.a.length >= P.minPrefix) {
          var h = p.lo;
          while (h + 1 < M.keys.length && M.keys[h + 1].startsWith(w)) h++;
          if (h - p.lo < P.maxPrefixChunks) { p.hi = h; p.pre = 1; }
        }
        for (var c = p.lo; c <= p.hi; c++) need.push(c);
        plan.push(p);
      });
      await loadAll(need);
      plan.forEach(function (p) {
        var alts = new Map(), c, s;
        var add = function (s, b) { var t = termOf(s); if (t && !(alts.get(t) >= b)) alts.set(t, b); };
        add(p.w, 1);
        if (p.pre) for (c = p.lo; c <= p.hi; c++) for (s in C[c].s) if (s.startsWith(p.w)) add(s, P.prefixBoost);
        if (!alts.size && termOf(p.w) === undefined && p.a.length >= P.minTypo)
          for (c = p.lo; c <= p.hi; c++) for (s in C[c].s) {
            var r = Array.from(s);
            if (oneTypo(p.a, r, p.last) || sameStem(p.a, r, P)) add(s, P.typoBoost);
          }
        if (alts.size) out.push(Array.from(alts).sort(function (x, y) { return x[0] < y[0] ? -1 : 1; }));
      });
      await loadAll(out.flat().map(function (a) { return chunkOf(a[0]); }));
      return out;
    }

    // query returns the k documents that best match q, best first, as
    // hits: [{n: document number, score}]; the number of matches, total;
    // and the set of terms it looked for.
    async function query(q, k) {
      var ws = await expand(q), F = M.fields, sum = 0, leaves = [], terms = new Set();
      ws.forEach(function (alts, wi) {
        leaves[wi] = [];
        alts.forEach(function (a) {
          terms.add(a[0]);
          var ps = postings(a[0]) || [];
          F.forEach(function (f, fi) {
            var p = ps[fi] || [], b = f[1] * a[1], idf = 1 + Math.log(M.n / (p.length / 3 + 1));
            sum += (b * idf) * (b * idf);
            leaves[wi].push({ p: p, b: b, idf: idf });
          });
        });
      });
      var N = M.n, norm = 1 / Math.sqrt(sum), tot = new Float64Array(N), tc = new Uint16Array(N), hits = [], total = 0;
      ws.forEach(function (alts, wi) {
        var s = new Float64Array(N), c = new Uint16Array(N), n = alts.length * F.length;
        leaves[wi].forEach(function (l) {
          var qw = l.b * l.idf * norm, d = 0, v;
          for (var i = 0; i < l.p.length; i += 3) {
            d += l.p[i];
            v = Math.sqrt(l.p[i + 1]) * Math.fround(1 / Math.sqrt(l.p[i + 2])) * l.idf;
            s[d] += qw !== 1 ? v * qw : v;
            c[d]++;
          }
        });
        for (var d = 0; d < N; d++) if (c[d]) { tot[d] += s[d] * (c[d] / n); tc[d]++; }
      });
      // Keep the best k, in order, by insertion.
      for (var d = 0; d < N; d++) {
        if (!tc[d]) continue;
        total++;
        var h = { n: d, score: tot[d] * (tc[d] / ws.length) }, i = hits.length;
        if (i === k && hits[k - 1].score >= h.score) continue;
        while (i > 0 && hits[i - 1].score < h.score) i--;
        hits.splice(i, 0, h);
        if (hits.length > k) hits.pop();
      }
      return { hits: hits, total: total, terms: terms };
    }

    // marks returns the surface words, in the chunks at hand, of the terms.
    function marks(terms) {
      var set = new Set();
      C.forEach(function (c) { if (c) for (var s in c.s) if (terms.has(termOf(s))) set.add(s); });
      return set;
    }
    // record returns document n's record: item n % per of the file of
    // records n / per, fetched once.
    function record(n) {
      var f = Math.floor(n / M.per);
      return (rp[f] || (rp[f] = get(M.docs + "/" + f + ".json"))).then(function (r) { return r[n % M.per]; });
    }
    return { manifest: manifest, query: query, marks: marks, record: record };
  }

  if (typeof module === "object" && module.exports) module.exports = { engine: engine };
  if (typeof document === "undefined") return;

  // markText appends text to el, with the words in set wrapped in <mark>.
  function markText(el, text, set) {
    var at = 0;
    text.replace(WORD, function (w, i) {
      if (!set.has(w.toLowerCase())) return w;
      el.append(text.slice(at, i), Object.assign(document.createElement("mark"), { textContent: w }));
      at = i + w.length;
      return w;
    });
    el.append(text.slice(at));
  }
  // snippet returns about 160 characters of text around its first word in set.
  function snippet(text, set) {
    var m, first = 0;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if (set.has(m[0].toLowerCase())) { first = m.index; break; }
    var start = first > 60 ? text.indexOf(" ", first - 60) + 1 : 0, end = start + 160;
    return (start ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  // highlight marks the words of the search that led here in the prompt the
  // address points at.
  function highlight() {
    var h, el;
    try { h = JSON.parse(sessionStorage.getItem("ps-hl")); } catch (e) { return; }
    if (!h || h.u !== location.pathname + location.hash) return;
    sessionStorage.removeItem("ps-hl");
    document.querySelectorAll("mark.ps-mark").forEach(function (m) { m.replaceWith(m.textContent); });
    el = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : document.querySelector("main");
    if (!el) return;
    var set = new Set(h.w), walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [];
    while (walk.nextNode()) nodes.push(walk.currentNode);
    nodes.forEach(function (t) {
      var f = document.createDocumentFragment();
      markText(f, t.data, set);
      if (f.childNodes.length > 1) {
        f.querySelectorAll("mark").forEach(function (m) { m.className = "ps-mark"; });
        t.replaceWith(f);
      }
    });
  }

  var root = document.querySelector("[data-search-index]");
  highlight();
  addEventListener("hashchange", highlight);
  if (!root) return;
  var input = root.querySelector("input"), box = document.getElementById(input.getAttribute("aria-controls"));
  var status = root.querySelector("[role=status]"), E = engine(root.dataset.searchIndex), base = root.dataset.base || "/";
  var seq = 0, active = -1, shown = [], words = [], urlTimer;

  function open(on) {
    box.hidden = !on;
    input.setAttribute("aria-expanded", on);
    if (!on) select(-1);
  }
  function select(i) {
    if (shown[active]) shown[active].removeAttribute("aria-selected");
    active = i;
    if (shown[i]) {
      shown[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", shown[i].id);
      shown[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  // go remembers the words to highlight on the page that a opens.
  function go(a) {
    try { sessionStorage.setItem("ps-hl", JSON.stringify({ u: a.pathname + a.hash, w: words })); } catch (e) { return; }
    open(false);
    if (a.pathname === location.pathname) setTimeout(highlight);
  }
  function setURL(q) {
    var u = new URL(location.href);
    if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
    history.replaceState(history.state, "", u);
  }

  async function run() {
    var q = input.value.slice(0, 1024), my = ++seq; // a pasted essay is no query
    // Chrome ignores history calls past a few hundred in ten seconds.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(setURL, 250, q.trim());
    if (!q.trim()) { box.replaceChildren(); shown = []; open(false); return; }
    var r = await E.query(q, 10), top = r.hits;
    var recs = await Promise.all(top.map(function (h) { return E.record(h.n); }));
    if (my !== seq) return;
    // A result leads to a path of this site, under its base path: never
    // to another site or scheme, whatever the index says.
    recs = recs.filter(function (d) { return d && /^\/(?![\/\\])/.test(d.u); });
    var set = E.marks(r.terms);
    words = Array.from(set);
    shown = recs.map(function (d, i) {
      var a = document.createElement("a"), t = document.createElement("span"), c = document.createElement("span"), x = document.createElement("span");
      a.href = base + d.u.slice(1); a.id = "ps.r" + i; a.className = "ps-hit"; a.setAttribute("role", "option");
      t.className = "ps-t"; c.className = "ps-c"; x.className = "ps-x";
      markText(t, d.t, set); c.textContent = d.c; markText(x, snippet(d.x, set), set);
      a.append(t, c, x);
      a.addEventListener("click", function () { go(a); });
      return a;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!shown.length) {
      // A listbox holds options only: the message is one that cannot be
      // chosen.
      var p = document.createElement("p");
      p.className = "ps-none";
      p.setAttribute("role", "option");
      p.setAttribute("aria-disabled", "true");
      p.textContent = "No results for “" + q.trim() + "”";
      box.replaceChildren(p);
    } else box.replaceChildren.apply(box, shown);
    box.dataset.q = q;
    status.textContent = shown.length ? r.total + " results" : "No results";
    open(true);
  }

  input.addEventListener("focus", function () { E.manifest().catch(function () {}); if (shown.length) open(true); });
  input.addEventListener("input", function () { run().catch(function (e) { status.textContent = "Search failed"; console.error(e); }); });
  input.addEventListener("keydown", function (e) {
    var k = e.key, n = shown.length;
    if (k === "ArrowDown" || k === "ArrowUp") {
      e.preventDefault();
      if (box.hidden) return open(!!(n || box.firstChild));
      if (n) select(k === "ArrowDown" ? (active + 1) % n : (active < 1 ? n : active) - 1);
    } else if (k === "Enter" && n && !box.hidden) {
      e.preventDefault();
      var a = shown[Math.max(active, 0)];
      go(a);
      location.href = a.href;
    } else if (k === "Escape" && !box.hidden) {
      e.preventDefault(); // a second Esc clears the field, as search fields do
      open(false);
    }
  });
  root.addEventListener("focusout", function (e) { if (!root.contains(e.relatedTarget)) open(false); });
  addEventListener("keydown", function (e) {
    var t = e.target, typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
    if ((e.key === "/" && !typing) || (e.key === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  var q0 = new URLSearchParams(location.search).get("q");
  if (q0) { input.value = q0; run(); }
})();
