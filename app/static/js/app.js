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
    (root || document).querySelectorAll("[data-new-org-toggle]").forEach(function (select) {
      var target = document.getElementById(select.getAttribute("data-new-org-toggle"));
      if (target) { target.hidden = select.value !== target.getAttribute("data-shown-when"); }
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-new-org-toggle]")) { syncToggles(); }
  });
  // Controls that only work with JavaScript are hidden in the page and shown here.
  function showScripted() {
    document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { syncToggles(); showScripted(); });
  document.addEventListener("htmx:afterSettle", function () { syncToggles(); showScripted(); });

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
