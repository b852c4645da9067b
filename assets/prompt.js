// Prompts to fill in and to open in an AI chat. The build marks a prompt's
// blanks, such as [paste your code here], as <mark class="ph"> in its code
// block (site/placeholder); "Fill in" builds a form with a field for each.
// What is typed is kept in this browser's localStorage, by blank, and is
// never sent anywhere but into the chat the reader opens.
(function () {
  "use strict";
  var C = window.psCopy, T = window.psT;
  if (!C || !T) return;
  // MAX_URL is the longest chat address, in characters, that a link opens.
  // A longer prompt is copied instead and the link opens a blank chat.
  // Many servers and proxies refuse a request line over 8 KiB (nginx's
  // large_client_header_buffers, Apache's LimitRequestLine of 8190), so
  // 8000 stays under the common limit with room for the request's method.
  var MAX_URL = 8000, STORE = "promptsite:ph:", vals = {};

  function get(k) {
    if (!(k in vals)) {
      try { vals[k] = localStorage.getItem(STORE + k) || ""; } catch (e) { vals[k] = ""; }
    }
    return vals[k];
  }
  function set(k, v) {
    vals[k] = v;
    try { if (v) localStorage.setItem(STORE + k, v); else localStorage.removeItem(STORE + k); } catch (e) { /* private mode */ }
  }
  // keyOf is a blank's name as site/placeholder.Key gives it.
  function keyOf(m) {
    return m.textContent.replace(/^(\[|\{\{)|(\]|\}\})$/g, "").trim().split(/\s+/).join(" ").toLowerCase();
  }
  // codeOf returns the node that holds a prompt's text, its blanks marked:
  // the <template> of its text as written, or else its first code block.
  function codeOf(sec) {
    var t = sec.querySelector("template.src");
    return t ? t.content : sec.querySelector(".code pre code");
  }

  // fill calls out(text, key) for each run of the prompt's text: key is
  // set for a blank's value, or its words when it has none.
  function fill(sec, out) {
    (function walk(n) {
      for (var c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) out(c.data);
        else if (c.classList.contains("ph")) { var k = keyOf(c); out(sec.filled && get(k) || c.textContent, k); }
        else walk(c);
      }
    })(codeOf(sec));
  }
  // text is the prompt as it will be sent: filled in once its form has
  // been opened, else exactly as written.
  function text(sec) {
    var s = "";
    fill(sec, function (t) { s += t; });
    return s;
  }

  function update(sec) {
    var t = text(sec);
    if (sec.preview) {
      var p = sec.preview;
      p.textContent = "";
      fill(sec, function (s, k) {
        if (!k) return p.append(s);
        var m = document.createElement("mark");
        m.className = get(k) ? "ph done" : "ph";
        m.textContent = s;
        p.append(m);
      });
    }
    sec.querySelectorAll("a.chat").forEach(function (a) {
      a.blank = a.blank || a.getAttribute("href");
      var u = a.dataset.q + encodeURIComponent(t);
      a.long = u.length > MAX_URL;
      a.href = a.long ? a.blank : u;
    });
  }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt) e.textContent = txt;
    return e;
  }

  // form opens, or closes, the prompt's Fill in form, building it the
  // first time.
  function form(sec, btn) {
    var f = sec.querySelector(".fill-form");
    if (f) {
      f.hidden = !f.hidden;
    } else {
      sec.filled = true;
      f = el("div", "fill-form");
      f.id = sec.id + ".fill";
      f.setAttribute("role", "group");
      f.setAttribute("aria-label", btn.getAttribute("aria-label"));
      var seen = {};
      codeOf(sec).querySelectorAll("mark.ph").forEach(function (m) {
        var k = keyOf(m);
        if (seen[k]) return;
        seen[k] = 1;
        var ml = m.classList.contains("ml"), id = f.id + "-" + f.children.length;
        var l = el("label", "", k.charAt(0).toUpperCase() + k.slice(1)), in_ = el(ml ? "textarea" : "input");
        l.htmlFor = in_.id = id;
        if (ml) { in_.rows = 4; in_.spellcheck = false; }
        in_.value = get(k);
        in_.addEventListener("input", function () { set(k, in_.value); update(sec); });
        f.append(l, in_);
      });
      var pl = el("p", "fill-label", T("preview")), pre = el("pre", "fill-preview"), copy = el("button", "copy-filled", T("copy_filled"));
      pl.id = f.id + "-p";
      pre.tabIndex = 0;
      pre.setAttribute("aria-labelledby", pl.id);
      sec.preview = pre.appendChild(el("code"));
      copy.type = "button";
      copy.addEventListener("click", function () {
        C.text(text(sec)).then(function () { C.confirm(copy, true, T("copied_filled")); },
          function () { C.confirm(copy, false); });
      });
      f.append(pl, pre, copy, el("p", "fill-note", T("fill_note")));
      btn.parentNode.after(f);
      btn.setAttribute("aria-controls", f.id);
      update(sec);
    }
    btn.setAttribute("aria-expanded", String(!f.hidden));
    if (!f.hidden) f.querySelector("input, textarea").focus();
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest && ev.target.closest("a.chat, button.fill");
    if (!t) return;
    var sec = t.closest("section");
    if (t.tagName === "BUTTON") return form(sec, t);
    update(sec);
    if (!t.long) return;
    // Too long for an address: copy the prompt now, while the page has the
    // focus, and let the link open a blank chat to paste it into.
    var s = text(sec);
    C.fallback(s).catch(function () { return C.text(s); }).then(
      function () { C.announce(T("too_long_copied")); },
      function () { C.announce(T("too_long_not_copied")); });
  });

  document.querySelectorAll("section.prompt").forEach(function (sec) {
    var bar = sec.querySelector(".prompt-actions");
    if (!bar) return;
    if (!codeOf(sec)) { bar.hidden = true; return; }
    update(sec);
  });
})();
