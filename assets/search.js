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
  var own = (o, k) => o && Object.hasOwn(o, k) ? o[k] : undefined;

  // fold returns the word w without the accents of its Latin letters, and
  // with ß as ss, as site/search's fold does.
  var fold = (w) => /(?=\p{sc=Latin})[^\0-\xBF]/u.test(w) ? w.normalize("NFD").replace(/(\p{sc=Latin})\p{Mn}+/gu, "$1").replace(/ß/g, "ss").normalize("NFC") : w;
  // lower lower-cases s a character at a time, as Go does: İ is i, not i
  // and a dot, and Σ is σ wherever it stands.
  var lower = (s) => [...s].map((c) => c == "\u0130" ? "i" : c.toLowerCase()).join("");
  // after tells whether a sorts after b in Go's order, by code point: a
  // comparison of UTF-16 units puts U+E000–U+FFFF after the characters
  // past U+FFFF.
  function after(a, b) {
    var u = (c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    for (var i = 0, x, y; i < a.length && i < b.length; i++) {
      if ((x = a.charCodeAt(i)) != (y = b.charCodeAt(i))) return u(x) > u(y);
    }
    return a.length > b.length;
  }
  // pairs returns the terms of a run of CJK characters as bleve's CJK
  // filters make them: half-width kana folded to full width (a sound mark
  // joined to the kana before it), then each pair of neighbours, or the one
  // character of a run of one.
  function pairs(run) {
    var t = [], c, p, v;
    for (var ch of run) {
      c = ch.codePointAt(0); p = t.length - 1;
      if (c >= 0xFF65 && c <= 0xFF9F) {
        if ((c == 0xFF9E || c == 0xFF9F) && p >= 0 && (v = t[p].codePointAt(0)) >= 0x30A6 && v <= 0x30FD &&
          (v = (t[p] + (c == 0xFF9E ? "\u3099" : "\u309A")).normalize("NFC")).length == 1) { t[p] = v; continue; }
        ch = ch.normalize("NFKC");
      }
      t.push(ch);
    }
    return t.length == 1 ? t : t.slice(1).map((c, i) => t[i] + c);
  }

  // within1 tells whether the letter arrays a and b are at most one edit
  // apart, a transposition of neighbours counting as one.
  function within1(a, b) {
    if (a.length < b.length) [a, b] = [b, a];
    var d = a.length - b.length, i = 0, eq = (x, y) => a.slice(x).join("") == b.slice(y).join("");
    if (d > 1) return false;
    while (i < b.length && a[i] == b[i]) i++;
    return d ? eq(i + 1, i) : i >= a.length - 1 || eq(i + 1, i + 1) || a[i] == b[i + 1] && a[i + 1] == b[i] && eq(i + 2, i + 2);
  }
  // sameStem tells whether w and s differ only after their first stem
  // letters, in at most suffix letters each.
  function sameStem(w, s, stem, suffix) {
    var i = 0;
    while (i < w.length && w[i] == s[i]) i++;
    return i >= stem && w.length - i <= suffix && s.length - i <= suffix;
  }
  // oneTypo tells whether s is one edit from w; with prefix, whether some
  // beginning of s is.
  function oneTypo(w, s, prefix) {
    if (!prefix) return within1(w, s);
    for (var l = w.length - 1; l <= w.length + 1; l++) if (l <= s.length && within1(w, s.slice(0, l))) return true;
    return false;
  }

  // engine reads the static index at base (a URL ending in "/"): the
  // manifest, then the pages of keys and the records that queries need.
  function engine(base) {
    // cs is the first page of each chunk, and then the number of pages; C
    // the pages at hand.
    var M, mp, pp = [], C = [], rp = [], cs = [];
    var get = (u) => fetch(base + u).then((r) => { if (!r.ok) throw Error(u + ": " + r.status); return r.json(); });
    // The files are named after their contents: in a small index, all in
    // the folder dir; in a large one, page i after itself, and the files
    // of records by groups of rg, in a folder named after each group (the
    // names, 6 characters each, are in ph and rh).
    var sum = (s, i) => s.substr(i * 6, 6);
    var pageURL = (i) => M.dir ? M.dir + "/k" + i + ".json" : "k" + i + "." + sum(M.ph, i) + ".json";
    var recordURL = (f) => (M.dir || sum(M.rh, Math.floor(f / M.rg))) + "/r" + f + ".json";
    var manifest = () => mp || (mp = get("index.json").then((m) => {
      M = m;
      m.chunks.reduce((i, n) => { cs.push(i); return i + n; }, 0);
      cs.push(m.keys.length);
    }));
    // load fetches the pages lo to hi, each once.
    function load(lo, hi = lo) {
      var l = [];
      for (let i = lo; i <= hi; i++) l.push(pp[i] = pp[i] || get(pageURL(i)).then((c) => { C[i] = c; }));
      return Promise.all(l);
    }
    // last returns the greatest i below n for which ok(i) holds, where ok
    // holds from 0 up to some i.
    function last(n, ok) {
      for (var lo = 1, hi = n, m; lo < hi;) if (ok(m = (lo + hi) >> 1)) lo = m + 1; else hi = m;
      return lo - 1;
    }
    // pageOf returns the page that holds key k; chunkOf, its chunk.
    var pageOf = (k) => last(M.keys.length, (i) => !after(M.keys[i], k));
    var chunkOf = (k) => { var p = pageOf(k); return last(cs.length - 1, (i) => cs[i] <= p); };
    // termOf returns a surface word's terms: none for a stop word,
    // undefined when the content has no such word.
    function termOf(s) {
      var v = own((C[pageOf(s)] || {}).s, s);
      return v === undefined ? v : v === 1 ? [s] : v === 0 ? [] : typeof v == "string" ? [v] : v;
    }
    var postings = (t) => own((C[pageOf(t)] || {}).t, t);
    // keys calls f with each key of the pages lo to hi, in part ("s" or "t"),
    // that begins with w.
    function keys(lo, hi, part, w, f) {
      for (; lo <= hi; lo++) for (var s in C[lo][part]) if (s.startsWith(w)) f(s);
    }

    // expand reads a query as site/search's expand does.
    async function expand(q) {
      await manifest();
      q = lower(q);
      // The rules of reading a query, as the manifest lists them.
      var [minPrefix, maxPrefixChunks, prefixBoost, minTypo, typoBoost, maxSuffix, maxWords] = M.q, ws = [], n = 0;
      (q.match(WORD) || []).forEach((w) => {
        var cjk = ISCJK.test(w);
        (cjk ? pairs(w) : [w]).forEach((t) => { if (n++ < maxWords) ws.push({ w: t, cjk: cjk }); });
      });
      var open = n <= maxWords && /[\p{L}\p{N}\p{M}]$/u.test(q);
      // span returns the pages of w: those of the keys it begins when it is
      // read as a prefix and they lie in at most maxPrefixChunks chunks,
      // else its own one; and the pages of those chunks, where a typo of it
      // is looked for.
      function span(w, prefix) {
        var c = chunkOf(w), h = c, lo = pageOf(w), hi = lo;
        if (prefix) while (h + 1 < cs.length - 1 && M.keys[cs[h + 1]].startsWith(w)) h++;
        if (!prefix || h - c >= maxPrefixChunks) h = c, prefix = 0;
        else while (hi + 1 < M.keys.length && M.keys[hi + 1].startsWith(w)) hi++;
        return { lo: lo, hi: hi, pre: prefix, tlo: cs[c], thi: cs[h + 1] - 1 };
      }
      ws.forEach((p, i) => {
        p.a = [...p.w]; p.last = open && i == ws.length - 1;
        p.s = span(p.w, p.cjk ? p.a.length == 1 : p.last && p.a.length >= minPrefix);
      });
      await Promise.all(ws.map((p) => load(p.s.lo, p.s.hi)));
      var out = await Promise.all(ws.map(async (p) => {
        var alts = new Map(), r = p.s, f, fa;
        var set = (t, b) => { if (!(alts.get(t) >= b)) alts.set(t, b); };
        var add = (s, b) => (termOf(s) || []).forEach((t) => set(t, b));
        if (p.cjk) {
          // A pair is its own term; a lone character also stands for the pairs it begins.
          if (postings(p.w)) set(p.w, 1);
          if (r.pre) keys(r.lo, r.hi, "t", p.w, (s) => set(s, prefixBoost));
          return alts;
        }
        add(p.w, 1);
        if (r.pre) keys(r.lo, r.hi, "s", p.w, (s) => add(s, prefixBoost));
        if (!alts.size && termOf(p.w) === undefined && p.a.length >= minTypo) {
          // Typos are looked for without accents, among the words without theirs.
          fa = [...f = fold(p.w)];
          if (f != p.w) r = span(f, p.last && fa.length >= minPrefix);
          await load(r.tlo, r.thi);
          keys(r.tlo, r.thi, "s", "", (s) => {
            var b = [...s];
            if (oneTypo(fa, b, p.last) || sameStem(fa, b, minTypo, maxSuffix)) add(s, typoBoost);
          });
        }
        return alts;
      }));
      out = out.filter((a) => a.size).map((a) => [...a].sort((x, y) => after(x[0], y[0]) ? 1 : -1));
      await Promise.all(out.flat().map((a) => load(pageOf(a[0]))));
      return out;
    }

    // query returns the k documents that best match q, best first, as
    // hits: [{n: document number, score}]; the number of matches, total;
    // and the set of terms it looked for.
    async function query(q, k) {
      var ws = await expand(q), N = M.n, sum = 0, terms = new Set();
      var leaves = ws.map((alts) => alts.flatMap((a) => {
        var ps = postings(a[0]) || [];
        terms.add(a[0]);
        return M.boosts.map((f, fi) => {
          var p = ps[fi] || [], b = f * a[1], idf = 1 + Math.log(N / (p.length / 3 + 1));
          sum += (b * idf) * (b * idf);
          return { p: p, b: b, idf: idf };
        });
      }));
      var norm = 1 / Math.sqrt(sum), tot = new Float64Array(N), tc = new Uint16Array(N), hits = [], total = 0, d, h, i;
      leaves.forEach((ls) => {
        var s = new Float64Array(N), c = new Uint16Array(N);
        ls.forEach((l) => {
          for (var qw = l.b * l.idf * norm, d = 0, v, i = 0; i < l.p.length; i += 3) {
            d += l.p[i];
            v = Math.sqrt(l.p[i + 1]) * Math.fround(1 / Math.sqrt(l.p[i + 2])) * l.idf;
            s[d] += qw != 1 ? v * qw : v;
            c[d]++;
          }
        });
        for (d = 0; d < N; d++) if (c[d]) { tot[d] += s[d] * (c[d] / ls.length); tc[d]++; }
      });
      // Keep the best k, in order, by insertion.
      for (d = 0; d < N; d++) {
        if (!tc[d]) continue;
        total++;
        h = { n: d, score: tot[d] * (tc[d] / ws.length) }; i = hits.length;
        if (i == k && hits[k - 1].score >= h.score) continue;
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
      C.forEach((c) => { for (var s in c.s) if (termOf(s).some((t) => terms.has(t))) set.add(s); });
      terms.forEach((t) => {
        if (ISCJK.test(t)) set.add(t);
        ((postings(t) || [])[4] || []).forEach((s) => set.add(s));
      });
      return set;
    }
    // record returns document n's record, [title, category, address,
    // text]: item n % per of the file of records n / per, fetched once.
    function record(n) {
      var f = Math.floor(n / M.per);
      return (rp[f] = rp[f] || get(recordURL(f))).then((r) => r[n % M.per]);
    }
    return { manifest: manifest, query: query, marks: marks, record: record };
  }

  if (typeof module == "object" && module.exports) module.exports = { engine: engine };
  if (typeof document == "undefined") return;

  // marked returns, for each character of the word w, whether it belongs
  // to a word of set: the whole word, or in a run of CJK characters a pair
  // or a lone character of set; null when none does.
  function marked(w, set) {
    var cs = [...w], on = null, j;
    if (!ISCJK.test(w)) return set.has(lower(w)) ? cs.map(() => true) : null;
    for (j = 0; j < cs.length; j++) {
      if (set.has(cs[j])) (on = on || [])[j] = true;
      if (set.has(cs[j] + cs[j + 1])) (on = on || [])[j] = on[j + 1] = true;
    }
    return on && cs.map((c, j) => !!on[j]);
  }
  // markText appends text to el, with the words in set wrapped in <mark>.
  function markText(el, text, set) {
    var at = 0;
    text.replace(WORD, (w, i) => {
      var on = marked(w, set), cs = [...w], j, k, part;
      if (!on) return;
      el.append(text.slice(at, i));
      for (j = 0; j < cs.length; j = k) {
        for (k = j; k < cs.length && on[k] == on[j]; k++);
        part = cs.slice(j, k).join("");
        el.append(on[j] ? Object.assign(document.createElement("mark"), { textContent: part }) : part);
      }
      at = i + w.length;
    });
    el.append(text.slice(at));
  }
  // snippet returns about 160 characters of text around its first word in set.
  function snippet(text, set) {
    var m, on, first = 0, start = 0, sp;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if ((on = marked(m[0], set))) { first = m.index + on.indexOf(true); break; }
    if (first > 60) {
      // From a space before the word, or, in unspaced text, a little before it.
      sp = text.indexOf(" ", first - 60);
      start = sp >= 0 && sp < first ? sp + 1 : first - 30;
      if (/[\uDC00-\uDFFF]/.test(text[start])) start++;
    }
    return (start ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
  }

  // highlight marks the words of the search that led here in the prompt the
  // address points at.
  function highlight() {
    var h, el, set, walk, nodes = [];
    try { h = JSON.parse(sessionStorage.getItem("ps-hl")); } catch (e) { return; }
    if (!h || h.u != location.pathname + location.hash) return;
    sessionStorage.removeItem("ps-hl");
    document.querySelectorAll("mark.ps-mark").forEach((m) => m.replaceWith(m.textContent));
    el = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : document.querySelector("main");
    if (!el) return;
    set = new Set(h.w); walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) nodes.push(walk.currentNode);
    nodes.forEach((t) => {
      var f = document.createDocumentFragment();
      markText(f, t.data, set);
      if (f.childNodes.length > 1) {
        f.querySelectorAll("mark").forEach((m) => { m.className = "ps-mark"; });
        t.replaceWith(f);
      }
    });
  }

  // T returns an interface string in the page's language (see copy.js).
  var T = (k, p) => window.psT ? psT(k, p) : k;
  var root = document.querySelector("[data-search-index]");
  highlight();
  addEventListener("hashchange", highlight);
  if (!root) return;
  var input = root.querySelector("input"), box = document.getElementById(input.getAttribute("aria-controls"));
  var status = root.querySelector("[role=status]"), E = engine(root.dataset.searchIndex), base = root.dataset.base || "/";
  var seq = 0, active = -1, shown = [], words = [], urlTimer, lastKey = -1e9, pause;
  var attr = (el, a, v) => v == null ? el.removeAttribute(a) : el.setAttribute(a, v);
  var el = (tag, cls) => Object.assign(document.createElement(tag), { className: cls });

  function open(on) {
    box.hidden = !on;
    attr(input, "aria-expanded", on);
    if (!on) select(-1);
  }
  function select(i) {
    if (shown[active]) attr(shown[active], "aria-selected");
    active = i;
    attr(input, "aria-activedescendant", shown[i] && shown[i].id);
    if (shown[i]) {
      attr(shown[i], "aria-selected", "true");
      shown[i].scrollIntoView({ block: "nearest" });
    }
  }
  // go remembers the words to highlight on the page that a opens.
  function go(a) {
    try { sessionStorage.setItem("ps-hl", JSON.stringify({ u: a.pathname + a.hash, w: words })); } catch (e) { return; }
    open(false);
    if (a.pathname == location.pathname) setTimeout(highlight);
  }
  function setURL(q) {
    var u = new URL(location.href);
    if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
    history.replaceState(history.state, "", u);
  }

  async function run() {
    var q = input.value.slice(0, 1024), my = ++seq, r, recs, set, p; // a pasted essay is no query
    // Chrome ignores history calls past a few hundred in ten seconds.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(setURL, 250, q.trim());
    if (!q.trim()) { box.replaceChildren(); shown = []; open(false); return; }
    r = await E.query(q, 10);
    // The records of a query typed over already are not fetched.
    if (my != seq) return;
    recs = await Promise.all(r.hits.map((h) => E.record(h.n)));
    if (my != seq) return;
    set = E.marks(r.terms);
    words = [...set];
    // A result leads to a path of this site, under its base path: never
    // to another site or scheme, whatever the index says.
    shown = recs.filter((d) => d && /^\/(?![\/\\])/.test(d[2])).map((d, i) => {
      var a = el("a", "ps-hit"), t = el("span", "ps-t"), c = el("span", "ps-c"), x = el("span", "ps-x");
      a.href = base + d[2].slice(1); a.id = "ps.r" + i; attr(a, "role", "option");
      markText(t, d[0], set); c.textContent = d[1]; markText(x, snippet(d[3], set), set);
      a.append(t, c, x);
      a.addEventListener("click", () => go(a));
      return a;
    });
    select(-1);
    if (!shown.length) {
      // A listbox holds options only: the message is one that cannot be
      // chosen.
      p = el("p", "ps-none");
      attr(p, "role", "option");
      attr(p, "aria-disabled", "true");
      p.textContent = T("no_results_for", { query: q.trim() });
    }
    box.replaceChildren(...shown.length ? shown : [p]);
    box.dataset.q = q;
    status.textContent = shown.length ? T("results", { count: r.total }) : T("no_results");
    open(true);
  }
  var search = () => run().catch((e) => { status.textContent = T("search_failed"); console.error(e); });
  var warm = () => E.manifest().catch(() => {});

  // While keys come less than 100 ms apart, faster than anyone reads the
  // results, the search waits for a pause of 100 ms: nothing is fetched
  // for what is typed over.
  function typed() {
    var now = performance.now(), fast = now - lastKey < 100;
    lastKey = now;
    clearTimeout(pause);
    if (fast) pause = setTimeout(search, 100); else search();
  }

  input.addEventListener("focus", () => { warm(); if (shown.length) open(true); });
  input.addEventListener("input", typed);
  input.addEventListener("keydown", (e) => {
    var k = e.key, n = shown.length, a;
    if (k == "ArrowDown" || k == "ArrowUp") {
      e.preventDefault();
      if (box.hidden) return open(!!(n || box.firstChild));
      if (n) select(k == "ArrowDown" ? (active + 1) % n : (active < 1 ? n : active) - 1);
    } else if (k == "Enter" && n && !box.hidden) {
      e.preventDefault();
      go(a = shown[Math.max(active, 0)]);
      location.href = a.href;
    } else if (k == "Escape" && !box.hidden) {
      e.preventDefault(); // a second Esc clears the field, as search fields do
      open(false);
    }
  });
  root.addEventListener("focusout", (e) => { if (!root.contains(e.relatedTarget)) open(false); });
  // search-load.js loads this script when the box gets the focus, which
  // counts as a key: the first keys after it may be typed as fast; or when
  // some keys came already, the last of them maybe a moment ago; or for the
  // query of the address, which is searched at once.
  var q0 = new URLSearchParams(location.search).get("q");
  if (document.activeElement == input) warm(), lastKey = performance.now();
  if (q0 && !input.value) input.value = q0, search();
  else if (input.value.trim()) lastKey = performance.now(), typed();
})();
