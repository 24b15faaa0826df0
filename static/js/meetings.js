// Casustafel: drag-and-drop ordering of the agenda (progressive enhancement; the up/down buttons
// work without it) and htmx swaps of 400 answers so the chair sees the Dutch reason in place.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  function enableSortable(root) {
    if (typeof window.Sortable === "undefined" || typeof window.htmx === "undefined") { return; }
    var list = (root || document).querySelector("[data-sortable]");
    if (!list || list.getAttribute("data-sortable-ready")) { return; }
    list.setAttribute("data-sortable-ready", "1");
    window.Sortable.create(list, {
      animation: 150,
      onEnd: function (ev) {
        if (ev.oldIndex === ev.newIndex) { return; }
        var ids = Array.prototype.map.call(list.querySelectorAll("li[data-id]"), function (li) { return li.getAttribute("data-id"); });
        window.htmx.ajax("POST", list.getAttribute("data-reorder-url"), {
          source: list, target: "#agenda-builder", swap: "outerHTML", values: { order: ids.join(",") }
        });
      }
    });
  }

  ready(function () {
    enableSortable(document);
    document.body.addEventListener("htmx:afterSettle", function () { enableSortable(document); });
    document.body.addEventListener("htmx:beforeSwap", function (ev) {
      if (ev.detail.xhr && ev.detail.xhr.status === 400) { ev.detail.shouldSwap = true; ev.detail.isError = false; }
    });
  });
})();
