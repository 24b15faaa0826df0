// VIK front-end glue: no inline scripts (CSP). Behaviour is attached by data attributes.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    // Confirmation prompts for dangerous actions: <form data-confirm="...">
    document.body.addEventListener("submit", function (ev) {
      var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) { ev.preventDefault(); }
    });
    // Slow actions: <form data-busy="Bezig met …"> disables its submit buttons once the request
    // is on its way (no double submit), shows the busy text and marks the form aria-busy. Done
    // after the event so the browser has already read the form data.
    document.body.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (ev.defaultPrevented || !form.getAttribute || !form.hasAttribute("data-busy")) { return; }
      window.setTimeout(function () {
        form.setAttribute("aria-busy", "true");
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (btn) {
          btn.setAttribute("data-label", btn.textContent);
          btn.disabled = true;
          btn.textContent = form.getAttribute("data-busy");
        });
      }, 0);
    });
    // Back to a page from the browser cache: the buttons work again.
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-busy][aria-busy]").forEach(function (form) {
        form.removeAttribute("aria-busy");
        form.querySelectorAll("[data-label]").forEach(function (btn) {
          btn.disabled = false;
          btn.textContent = btn.getAttribute("data-label");
        });
      });
    });
    // Auto-submit selects: <select data-autosubmit>
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  });
})();
