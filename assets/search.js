// Search as you type, on the static index that site/search exports from
// bleve. It reads queries and scores documents by bleve's rules (TF-IDF,
// query norm, coordination), so it ranks as `promptsite search` does.
(function () {
  "use strict";
  // A word is a run of CJK characters (Han, kana, Hangul and the marks
  // written in Japanese words), or of other letters, digits and marks joined
  // across an apostrophe; a mark stays with the run it follows.
  var CJK = "[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u3031-\\u3035\\u3099\\u309A\\u30FC\\uFF70\\uFF9E\\uFF9F]";
  var K = "(?:(?=[\\p{L}\\p{N}\\p{M}])" + CJK + ")", L = "(?:(?!" + CJK + ")[\\p{L}\\p{N}\\p{M}])";
  var WORD = new RegExp(K + "(?:" + K + "|\\p{M})*|" + L + "(?:" + L + "|\\p{M})*(?:['’]" + L + "(?:" + L + "|\\p{M})*)*", "gu");
  var ISCJK = new RegExp("^" + K, "u");
  var own = function (o, k) { return o && Object.hasOwn(o, k) ? o[k] : undefined; };

  // fold returns the word w without the accents of its Latin letters, and
  // with ß as ss, as site/search's fold does.
  function fold(w) {
    return /(?=\p{sc=Latin})[^\0-\xBF]/u.test(w) ? w.normalize("NFD").replace(/(\p{sc=Latin})\p{Mn}+/gu, "$1").replace(/ß/g, "ss").normalize("NFC") : w;
  }
  // lower lower-cases s a character at a time, as Go does: İ is i, not i
  // and a dot, and Σ is σ wherever it stands.
  function lower(s) {
    return Array.from(s, function (c) { return c === "\u0130" ? "i" : c.toLowerCase(); }).join("");
  }
  // after tells whether a sorts after b in Go's order, by code point: a
  // comparison of UTF-16 units puts U+E000–U+FFFF after the characters
  // past U+FFFF.
  function after(a, b) {
    var u = function (c) { return c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c; };
    for (var i = 0, n = Math.min(a.length, b.length); i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) return u(x) > u(y);
    }
    return a.length > b.length;
  }
  // pairs returns the terms of a run of CJK characters as bleve's CJK
  // filters make them: half-width kana folded to full width (a sound mark
  // joined to the kana before it), then each pair of neighbours, or the one
  // character of a run of one.
  function pairs(run) {
    var t = [], out = [], i, c, p, v;
    for (var ch of run) {
      c = ch.codePointAt(0); p = t.length - 1;
      if (c >= 0xFF65 && c <= 0xFF9F) {
        if ((c === 0xFF9E || c === 0xFF9F) && p >= 0 && (v = t[p].codePointAt(0)) >= 0x30A6 && v <= 0x30FD &&
          (v = (t[p] + (c === 0xFF9E ? "\u3099" : "\u309A")).normalize("NFC")).length === 1) { t[p] = v; continue; }
        ch = ch.normalize("NFKC");
      }
      t.push(ch);
    }
    if (t.length === 1) return t;
    for (i = 0; i + 1 < t.length; i++) out.push(t[i] + t[i + 1]);
    return out;
  }

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

  // engine reads the static index at base (a URL ending in "/"): the
  // manifest, then the pages of keys and the records that queries need.
  function engine(base) {
    var M, mp, pp = [], C = [], rp = {}, cs = [];
    function get(u) {
      return fetch(base + u).then(function (r) { if (!r.ok) throw Error(u + ": " + r.status); return r.json(); });
    }
    // cs is the first page of each chunk, and then the number of pages.
    function manifest() {
      return mp || (mp = get("index.json").then(function (m) {
        M = m;
        m.chunks.reduce(function (i, n) { cs.push(i); return i + n; }, 0);
        cs.push(m.keys.length);
      }));
    }
    function load(i) { return pp[i] || (pp[i] = get(M.dir + "/k" + i + ".json").then(function (c) { C[i] = c; })); }
    function loadAll(list) { return Promise.all(list.map(load)); }
    // last returns the greatest i below n for which ok(i) holds, where ok
    // holds from 0 up to some i.
    function last(n, ok) {
      var lo = 1, hi = n;
      while (lo < hi) { var m = (lo + hi) >> 1; if (ok(m)) lo = m + 1; else hi = m; }
      return lo - 1;
    }
    // pageOf returns the page that holds key k; chunkOf, its chunk.
    function pageOf(k) { return last(M.keys.length, function (i) { return !after(M.keys[i], k); }); }
    function chunkOf(k) { var p = pageOf(k); return last(cs.length - 1, function (i) { return cs[i] <= p; }); }
    // termOf returns a surface word's terms: none for a stop word,
    // undefined when the content has no such word.
    function termOf(s) {
      var c = C[pageOf(s)], v = own(c && c.s, s);
      return v === undefined ? v : v === 1 ? [s] : v === 0 ? [] : typeof v === "string" ? [v] : v;
    }
    function postings(t) { var c = C[pageOf(t)]; return own(c && c.t, t); }
    // keys calls f with each key of the pages lo to hi, in part ("s" or "t"),
    // that begins with w.
    function keys(lo, hi, part, w, f) {
      for (var c = lo; c <= hi; c++) for (var s in C[c][part]) if (s.startsWith(w)) f(s);
    }

    // expand reads a query as site/search's expand does.
    async function expand(q) {
      await manifest();
      q = lower(q);
      var P = M.q, ws = [], n = 0, out = [];
      (q.match(WORD) || []).forEach(function (w) {
        var cjk = ISCJK.test(w);
        (cjk ? pairs(w) : [w]).forEach(function (t) { if (n++ < P.maxWords) ws.push({ w: t, cjk: cjk }); });
      });
      var open = n <= P.maxWords && /[\p{L}\p{N}\p{M}]$/u.test(q);
      // span returns the pages of w: those of the keys it begins when it is
      // read as a prefix and they lie in at most maxPrefixChunks chunks,
      // else its own one; and the pages of those chunks, where a typo of it
      // is looked for.
      function span(w, prefix) {
        var c = chunkOf(w), h = c, lo = pageOf(w), hi = lo;
        if (prefix) while (h + 1 < cs.length - 1 && M.keys[cs[h + 1]].startsWith(w)) h++;
        if (!prefix || h - c >= P.maxPrefixChunks) h = c, prefix = 0;
        else while (hi + 1 < M.keys.length && M.keys[hi + 1].startsWith(w)) hi++;
        return { lo: lo, hi: hi, pre: prefix, tlo: cs[c], thi: cs[h + 1] - 1 };
      }
      var plan = ws.map(function (p, i) {
        p.a = Array.from(p.w); p.last = open && i === ws.length - 1;
        p.s = span(p.w, p.cjk ? p.a.length === 1 : p.last && p.a.length >= P.minPrefix);
        return p;
      });
      var need = function (lo, hi) { var l = []; for (var c = lo; c <= hi; c++) l.push(c); return l; };
      await loadAll(plan.flatMap(function (p) { return need(p.s.lo, p.s.hi); }));
      await Promise.all(plan.map(async function (p) {
        var alts = new Map(), r = p.s;
        var set = function (t, b) { if (!(alts.get(t) >= b)) alts.set(t, b); };
        var add = function (s, b) { (termOf(s) || []).forEach(function (t) { set(t, b); }); };
        if (p.cjk) {
          // A pair is its own term; a lone character also stands for the pairs it begins.
          if (postings(p.w)) set(p.w, 1);
          if (r.pre) keys(r.lo, r.hi, "t", p.w, function (s) { set(s, P.prefixBoost); });
        } else {
          add(p.w, 1);
          if (r.pre) keys(r.lo, r.hi, "s", p.w, function (s) { add(s, P.prefixBoost); });
          if (!alts.size && termOf(p.w) === undefined && p.a.length >= P.minTypo) {
            // Typos are looked for without accents, among the words without theirs.
            var f = fold(p.w), fa = Array.from(f);
            if (f !== p.w) r = span(f, p.last && fa.length >= P.minPrefix);
            await loadAll(need(r.tlo, r.thi));
            keys(r.tlo, r.thi, "s", "", function (s) {
              var b = Array.from(s);
              if (oneTypo(fa, b, p.last) || sameStem(fa, b, P)) add(s, P.typoBoost);
            });
          }
        }
        p.alts = alts;
      }));
      plan.forEach(function (p) {
        if (p.alts.size) out.push(Array.from(p.alts).sort(function (x, y) { return after(x[0], y[0]) ? 1 : -1; }));
      });
      await loadAll(out.flat().map(function (a) { return pageOf(a[0]); }));
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

    // marks returns the surface words of the terms: those of the pages at
    // hand, and those a term's postings name, which lie on other pages; and
    // the terms of CJK characters.
    function marks(terms) {
      var set = new Set();
      C.forEach(function (c) { if (c) for (var s in c.s) if (termOf(s).some(function (t) { return terms.has(t); })) set.add(s); });
      terms.forEach(function (t) {
        if (ISCJK.test(t)) set.add(t);
        ((postings(t) || [])[4] || []).forEach(function (s) { set.add(s); });
      });
      return set;
    }
    // record returns document n's record, [title, category, address,
    // text]: item n % per of the file of records n / per, fetched once.
    function record(n) {
      var f = Math.floor(n / M.per);
      return (rp[f] || (rp[f] = get(M.dir + "/r" + f + ".json"))).then(function (r) { return r[n % M.per]; });
    }
    return { manifest: manifest, query: query, marks: marks, record: record };
  }

  if (typeof module === "object" && module.exports) module.exports = { engine: engine };
  if (typeof document === "undefined") return;

  // marked returns, for each character of the word w, whether it belongs
  // to a word of set: the whole word, or in a run of CJK characters a pair
  // or a lone character of set; null when none does.
  function marked(w, set) {
    var cs = Array.from(w), on = null, j;
    if (!ISCJK.test(w)) return set.has(lower(w)) ? cs.map(function () { return true; }) : null;
    for (j = 0; j < cs.length; j++) {
      if (set.has(cs[j])) (on = on || [])[j] = true;
      if (j + 1 < cs.length && set.has(cs[j] + cs[j + 1])) (on = on || [])[j] = on[j + 1] = true;
    }
    return on && cs.map(function (c, j) { return !!on[j]; });
  }
  // markText appends text to el, with the words in set wrapped in <mark>.
  function markText(el, text, set) {
    var at = 0;
    text.replace(WORD, function (w, i) {
      var on = marked(w, set), cs = Array.from(w), j, k, part;
      if (!on) return w;
      el.append(text.slice(at, i));
      for (j = 0; j < cs.length; j = k) {
        for (k = j; k < cs.length && on[k] === on[j]; k++);
        part = cs.slice(j, k).join("");
        el.append(on[j] ? Object.assign(document.createElement("mark"), { textContent: part }) : part);
      }
      at = i + w.length;
      return w;
    });
    el.append(text.slice(at));
  }
  // snippet returns about 160 characters of text around its first word in set.
  function snippet(text, set) {
    var m, first = 0, start = 0, end, sp;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if (marked(m[0], set)) { first = m.index + marked(m[0], set).indexOf(true); break; }
    if (first > 60) {
      // From a space before the word, or, in unspaced text, a little before it.
      sp = text.indexOf(" ", first - 60);
      start = sp >= 0 && sp < first ? sp + 1 : first - 30;
      if (/[\uDC00-\uDFFF]/.test(text[start])) start++;
    }
    end = start + 160;
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

  // T returns an interface string in the page's language (see copy.js).
  var T = function (k, p) { return window.psT ? window.psT(k, p) : k; };
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
    var r = await E.query(q, 10);
    // The records of a query typed over already are not fetched.
    if (my !== seq) return;
    var recs = await Promise.all(r.hits.map(function (h) { return E.record(h.n); }));
    if (my !== seq) return;
    // A result leads to a path of this site, under its base path: never
    // to another site or scheme, whatever the index says.
    recs = recs.filter(function (d) { return d && /^\/(?![\/\\])/.test(d[2]); });
    var set = E.marks(r.terms);
    words = Array.from(set);
    shown = recs.map(function (d, i) {
      var a = document.createElement("a"), t = document.createElement("span"), c = document.createElement("span"), x = document.createElement("span");
      a.href = base + d[2].slice(1); a.id = "ps.r" + i; a.className = "ps-hit"; a.setAttribute("role", "option");
      t.className = "ps-t"; c.className = "ps-c"; x.className = "ps-x";
      markText(t, d[0], set); c.textContent = d[1]; markText(x, snippet(d[3], set), set);
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
      p.textContent = T("no_results_for", { query: q.trim() });
      box.replaceChildren(p);
    } else box.replaceChildren.apply(box, shown);
    box.dataset.q = q;
    status.textContent = shown.length ? T("results", { count: r.total }) : T("no_results");
    open(true);
  }

  input.addEventListener("focus", function () { E.manifest().catch(function () {}); if (shown.length) open(true); });
  function search() { run().catch(function (e) { status.textContent = T("search_failed"); console.error(e); }); }
  // While keys come less than 100 ms apart, faster than anyone reads the
  // results, the search waits for a pause of 100 ms: nothing is fetched
  // for what is typed over.
  var lastKey = -1e9, pause;
  input.addEventListener("input", function () {
    var now = performance.now(), fast = now - lastKey < 100;
    lastKey = now;
    clearTimeout(pause);
    if (fast) pause = setTimeout(search, 100); else search();
  });
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
  // search-load.js may load this script after the box got the focus and
  // some keys.
  var q0 = new URLSearchParams(location.search).get("q");
  if (q0 && !input.value) input.value = q0;
  if (document.activeElement === input) E.manifest().catch(function () {});
  if (input.value.trim()) search();
})();
