/* OpenCommunity PA — small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  var it = (document.documentElement.lang || "it") === "it";
  var texts = {
    offline: it ? "Connessione al server non riuscita: controlla la rete e riprova." : "Could not reach the server: check your connection and try again.",
    failed: it ? "Operazione non riuscita." : "The operation failed."
  };

  // Registration: the "new organisation" fieldset is shown only when the person asks for one.
  function syncToggles(root) {
    (root || document).querySelectorAll("[data-new-org-toggle]").forEach(function (control) {
      var target = document.getElementById(control.getAttribute("data-new-org-toggle"));
      // A radio button (registration's "Non trovi il tuo ente?") shows its part while it is the one checked.
      var shown = control.type === "radio" ? control.checked : control.value === (target && target.getAttribute("data-shown-when"));
      if (target) { target.hidden = !shown; }
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-new-org-toggle], input[type=radio]")) { syncToggles(); }
  });
  // Controls that only work with JavaScript are hidden in the page and shown here.
  function showScripted() {
    document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { syncToggles(); showScripted(); });
  document.addEventListener("htmx:afterSettle", function () { syncToggles(); showScripted(); });

  // On a phone a panel (the search facets) waits behind its button: closed on arrival, and as it was after each
  // htmx swap re-renders it. Without JavaScript the button stays hidden and the panel shown.
  var openPanels = {};
  function syncPhoneToggles() {
    document.querySelectorAll("[data-phone-toggle]").forEach(function (button) {
      var id = button.getAttribute("data-phone-toggle");
      var panel = document.getElementById(id);
      if (!panel) { return; }
      panel.classList.toggle("phone-collapsed", !openPanels[id]);
      button.setAttribute("aria-expanded", openPanels[id] ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-phone-toggle]");
    if (!button) { return; }
    var id = button.getAttribute("data-phone-toggle");
    openPanels[id] = !openPanels[id];
    syncPhoneToggles();
  });
  document.addEventListener("DOMContentLoaded", syncPhoneToggles);
  document.addEventListener("htmx:afterSettle", syncPhoneToggles);

  // Shareable filter URLs: empty fields are left out of GET requests (and so of the pushed URL).
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") { return; }
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") { delete parameters[name]; }
    });
  });

  // Uploads: the <progress> inside the form follows the bytes sent.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("[data-upload-progress]");
    var bar = form && form.querySelector("progress");
    if (!bar || !event.detail.lengthComputable) { return; }
    bar.hidden = false;
    bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
  });

  // Messages of an earlier action are stale once the page changes in place: the new content brings its own.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap) { return; }
    var target = event.detail.target;
    document.querySelectorAll(".flash-messages").forEach(function (box) {
      if (!(target && target.contains(box))) { box.remove(); }
    });
  });

  // Focus after a swap: when the focused control was replaced, the keyboard must not fall back to the page's start
  // (and the next Tab to the footer). The trigger may name where focus goes (data-focus-after, a CSS selector);
  // otherwise it goes to the first heading of what changed, else its status line, else the changed region itself.
  // htmx itself keeps a focused element that has an id and honours [autofocus] in the new content.
  var lastFocusXhr = null;
  function focusable(el) {
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) { el.setAttribute("tabindex", "-1"); }
    return el;
  }
  function focusAfterSwap(detail) {
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) { return; }
    var trigger = detail.requestConfig && detail.requestConfig.elt || detail.elt;
    var named = trigger && trigger.closest && trigger.closest("[data-focus-after]");
    var target = detail.target && document.body.contains(detail.target) ? detail.target : null;
    if (!target && detail.requestConfig && detail.requestConfig.target) {
      var id = detail.requestConfig.target.id;
      target = id ? document.getElementById(id) : null;
    }
    var chosen = named && document.querySelector(named.getAttribute("data-focus-after"));
    if (!chosen && target) {
      chosen = target.querySelector("h1, h2, h3, h4, h5, h6") || target.querySelector("[role=status], [role=alert]") || target;
    }
    if (chosen) { focusable(chosen).focus(); }
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    // One decision per response, after every part (out-of-band ones too) has settled.
    if (event.detail.xhr && event.detail.xhr === lastFocusXhr) { return; }
    lastFocusXhr = event.detail.xhr;
    var detail = event.detail;
    setTimeout(function () { focusAfterSwap(detail); }, 0);
  });

  // A refused htmx request (403, 404, 409, 500…) is announced in one alert region instead of failing silently.
  function showError(message) {
    var box = document.getElementById("htmx-error");
    if (!box) { return; }
    box.textContent = message;
    box.hidden = false;
    box.setAttribute("tabindex", "-1");
    box.focus();
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("htmx-error");
    if (box) { box.hidden = true; }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var heading = doc.querySelector("h1");
    var lead = doc.querySelector(".lead");
    var text = [heading && heading.textContent, lead && lead.textContent].filter(Boolean).join(": ");
    showError((text || doc.body.textContent || texts.failed).trim().replace(/\s+/g, " "));
  });
  document.addEventListener("htmx:sendError", function () { showError(texts.offline); });
})();
