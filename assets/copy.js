// Copy buttons: a code block's text, the address of a prompt, or the
// page's markdown. window.psCopy lends copying to the other scripts, and
// window.psT the page's interface strings.
(function () {
  "use strict";
  var announcer = document.getElementById("ps.announce");

  // The interface strings the scripts use, in the site's language, are
  // set by the start of site.js; a page in another language (or of a
  // theme's older layout) gives its own in <body data-strings>. By key (see
  // site/i18n): a plural one by key, "_" and its plural category, such as
  // "results_other". "lang", when there, is the language the strings are in.
  var S = window.psStrings || {}, rules;
  if (document.body.hasAttribute("data-strings")) try { S = JSON.parse(document.body.getAttribute("data-strings")); } catch (e) { S = {}; }

  // t returns the string of key with each {name} in it replaced by
  // params[name]. With params.count, a plural string takes the form that
  // the number asks for. A string the page lacks is its key.
  function t(key, params) {
    var has = function (o, k) { return o && Object.prototype.hasOwnProperty.call(o, k); };
    var s = has(S, key) ? S[key] : undefined;
    if (s === undefined && has(params, "count")) {
      if (!rules) {
        try { rules = new Intl.PluralRules(S.lang || document.documentElement.lang || "en"); } catch (e) { rules = {select: function () { return "other"; }}; }
      }
      var form = key + "_" + rules.select(params.count);
      s = has(S, form) ? S[form] : S[key + "_other"];
    }
    if (typeof s !== "string") return key;
    return s.replace(/\{(\w+)\}/g, function (m, name) { return has(params, name) ? String(params[name]) : m; });
  }

  function announce(msg) {
    if (!announcer) return;
    // Clear first so that the same message twice is read twice.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = msg; }, 50);
  }

  // fallbackCopy copies where navigator.clipboard is missing, as on plain
  // http from a LAN address.
  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.className = "sr-only";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    ta.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function confirm(button, ok, okMsg) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    clearTimeout(button._t);
    button.classList.toggle("ok", ok);
    button.classList.toggle("err", !ok);
    button.textContent = t(ok ? "copied" : "copy_failed");
    announce(ok ? okMsg : t("copy_failed_note"));
    button._t = setTimeout(function () {
      button.textContent = label;
      button.classList.remove("ok", "err");
    }, 2000);
  }

  // promptURL is the absolute address of a prompt's share page, which
  // previews the prompt in a chat and leads to its section.
  function promptURL(path) {
    return new URL(path, location.href).href;
  }

  // copyFetched copies what a fetch gives. The clipboard is asked for at
  // once, with the text to come, where the browser allows it: Safari
  // refuses a copy that starts after the click's handler has returned.
  function copyFetched(path) {
    var text = fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.text();
    });
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem && window.isSecureContext) {
      var item = new ClipboardItem({"text/plain": text.then(function (t) { return new Blob([t], {type: "text/plain"}); })});
      return navigator.clipboard.write([item]).catch(function () { return text.then(copyText); });
    }
    return text.then(copyText);
  }

  window.psCopy = {text: copyText, fallback: fallbackCopy, announce: announce, confirm: confirm};
  window.psT = t;

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.copy, button.copy-link, button.copy-md"), msg, copied, src, code;
    if (!b) return;
    if (b.classList.contains("copy-md")) {
      msg = "copied_page";
      copied = copyFetched(b.dataset.src);
    } else if (b.classList.contains("copy")) {
      // A prompt's text as written is in a <template> beside the button
      // when the page shows it rendered; else the code block is the text.
      src = b.parentNode.querySelector("template.src");
      code = b.parentNode.querySelector("pre code");
      msg = "copied";
      copied = copyText(src ? src.content.textContent : code ? code.textContent : "");
    } else {
      msg = "copied_link";
      copied = copyText(promptURL(b.dataset.href));
    }
    copied.then(function () { confirm(b, true, t(msg)); }, function () { confirm(b, false); });
  });

  document.querySelectorAll("button.copy[hidden], button.copy-link[hidden], button.copy-md[hidden]").forEach(function (b) { b.hidden = false; });
})();
