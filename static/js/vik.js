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
    // Wide tables scroll inside their own box instead of pushing the page sideways (tablet,
    // phone). Templates may already wrap a table in .vik-table-scroll; the rest are wrapped here,
    // also after an htmx swap. The box is focusable so keyboard users can scroll it too.
    function wrapTables(root) {
      (root || document).querySelectorAll("table.utrecht-table").forEach(function (table) {
        var parent = table.parentElement;
        if (!parent || parent.classList.contains("vik-table-scroll")) { return; }
        var box = document.createElement("div");
        box.className = "vik-table-scroll";
        parent.insertBefore(box, table);
        box.appendChild(table);
      });
      // On a phone a table with a simple header becomes stacked rows: each cell carries its
      // column's name (data-label), shown by CSS before the value.
      (root || document).querySelectorAll("table.utrecht-table:not(.vik-stackable)").forEach(function (table) {
        var heads = table.querySelectorAll("thead tr:first-child th");
        if (!heads.length || table.querySelector("[colspan]:not(td[colspan])") || table.querySelector("thead [colspan]")) { return; }
        var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
        table.querySelectorAll("tbody tr").forEach(function (tr) {
          Array.prototype.forEach.call(tr.children, function (cell, i) {
            if (names[i] && !cell.hasAttribute("colspan") && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
          });
        });
        table.classList.add("vik-stackable");
      });
      // Each scroll box is a region named after its caption, else the heading of its section
      // (else the page's); names stay unique on the page, as landmarks must (axe landmark-unique).
      (root || document).querySelectorAll(".vik-table-scroll:not([tabindex])").forEach(function (box) {
        var caption = box.querySelector("caption");
        var section = box.closest("section, .vik-card, fieldset");
        var heading = (section && section.querySelector("h2, h3, h4, legend")) || document.querySelector("main h1, h1");
        var label = caption ? caption.textContent.trim() : (box.getAttribute("data-label") || (heading ? "Tabel: " + heading.textContent.trim() : "Tabel"));
        var same = 0;
        document.querySelectorAll(".vik-table-scroll[role='region']").forEach(function (other) {
          var name = other.getAttribute("aria-label") || "";
          if (name === label || name.indexOf(label + " (") === 0) { same += 1; }
        });
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", same ? label + " (" + (same + 1) + ")" : label);
      });
    }
    wrapTables(document);
    document.body.addEventListener("htmx:afterSwap", function (ev) { wrapTables(ev.target.parentElement || document); });
    // Auto-submit selects: <select data-autosubmit>
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  });
})();
