/* OpenCommunity PA — questions and answers: the @-mention suggestion list. The page works without this file
   (a mention can be typed by hand as @[Nome Cognome](user:ID)). */
(function () {
  "use strict";

  var TOKEN = /(^|[\s(])@([^\s@\[\]()]{1,60})$/; // "@mar" just before the caret
  var timer = null;
  var state = null; // {field, start, end}: the "@prefix" being completed

  function listOf(field) {
    return document.getElementById(field.getAttribute("data-mention-list"));
  }
  function clear(field) {
    var list = field && listOf(field);
    if (list) { list.innerHTML = ""; }
    state = null;
  }
  function suggest(field) {
    var caret = field.selectionStart;
    var before = field.value.slice(0, caret);
    var match = TOKEN.exec(before);
    if (!match) { clear(field); return; }
    var prefix = match[2];
    var start = caret - prefix.length - 1;
    var url = field.getAttribute("data-mention-url");
    url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(prefix);
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      // Only if the person is still typing the same mention.
      if (document.activeElement !== field || field.selectionStart !== caret) { return; }
      state = { field: field, start: start, end: caret };
      var list = listOf(field);
      if (list) { list.innerHTML = html; }
    }).catch(function () { clear(field); });
  }
  function buttons(field) {
    var list = listOf(field);
    return list ? Array.prototype.slice.call(list.querySelectorAll("button[data-mention]")) : [];
  }
  function choose(button) {
    if (!state) { return; }
    var field = state.field;
    var text = button.getAttribute("data-mention") + " ";
    field.value = field.value.slice(0, state.start) + text + field.value.slice(state.end);
    var caret = state.start + text.length;
    clear(field);
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-mention-url]")) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(field); }, 250);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches("textarea[data-mention-url]")) {
      var found = buttons(target);
      if (!found.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); found[0].focus(); }
      if (event.key === "Escape") { event.preventDefault(); clear(target); }
      return;
    }
    if (!(target.matches && target.matches("button[data-mention]")) || !state) { return; }
    var all = buttons(state.field);
    var index = all.indexOf(target);
    if (event.key === "ArrowDown" && index < all.length - 1) { event.preventDefault(); all[index + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? all[index - 1] : state.field).focus(); }
    if (event.key === "Escape") { event.preventDefault(); var field = state.field; clear(field); field.focus(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-mention]");
    if (button) { event.preventDefault(); choose(button); }
  });
})();
