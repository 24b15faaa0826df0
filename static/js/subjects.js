// Subjects: the network graph (cytoscape) and picking a record for a new link. No inline
// scripts (CSP): data comes from a json_script tag and data-* attributes.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }

  var COLOURS = { person: "#154273", organisation: "#8a4b00", address: "#39870c", vehicle: "#6b2c91", count: "#535353" };

  function drawNetwork() {
    var container = document.getElementById("vik-network");
    var dataTag = document.getElementById("vik-network-data");
    if (!container || !dataTag || typeof window.cytoscape !== "function") { return; }
    var data = JSON.parse(dataTag.textContent);
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, url: n.url, root: n.root ? 1 : 0, hub: n.hub ? 1 : 0 } });
    });
    data.edges.forEach(function (e) {
      elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label, ended: e.ended ? 1 : 0 } });
    });
    // Cytoscape injects a <style> element (blocked by the strict CSP) unless an element with this
    // id exists; its one rule lives in vik.css instead.
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      var marker = document.createElement("meta");
      marker.id = "__________cytoscape_stylesheet";
      document.head.appendChild(marker);
    }
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      maxZoom: 2,
      minZoom: 0.1,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 110, "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 7, "width": 18, "height": 18, "color": "#1a1a1a",
          "background-color": function (ele) { return COLOURS[ele.data("kind")] || "#154273"; } } },
        { selector: "node[root = 1]", style: { "width": 30, "height": 30, "border-width": 3, "border-color": "#e17000" } },
        { selector: "node[kind = 'count']", style: { "shape": "round-rectangle", "width": 60, "background-color": "#f3f3f3", "border-width": 1, "border-color": "#535353" } },
        { selector: "edge", style: { "label": data.edges.length > 40 ? "" : "data(label)", "font-size": 7, "text-background-color": "#fff", "text-background-opacity": 0.8, "width": 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#6b6b6b", "target-arrow-color": "#6b6b6b" } },
        { selector: "edge[ended = 1]", style: { "line-style": "dashed" } }
      ],
      layout: { name: data.nodes.length > 150 ? "concentric" : "cose", animate: false, nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 150; }, nodeOverlap: 40, padding: 40, avoidOverlap: true, minNodeSpacing: 30, concentric: function (n) { return 10 - (n.data("root") ? 0 : 5); } }
    });
    cy.on("tap", "node", function (ev) {
      var url = ev.target.data("url");
      if (url) { window.location.assign(url); }
    });
    container.setAttribute("data-ready", "1");
  }

  function attachPicker() {
    var kind = document.getElementById("id_target_kind");
    var target = document.getElementById("id_target_id");
    if (!kind || !target) { return; }
    document.body.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("#subject-results a[href]");
      if (!link) { return; }
      var m = link.getAttribute("href").match(/\/subjecten\/(persoon|organisatie|adres|voertuig)\/(\d+)\//);
      if (!m) { return; }
      ev.preventDefault();
      var kinds = { persoon: "person", organisatie: "organisation", adres: "address", voertuig: "vehicle" };
      kind.value = kinds[m[1]];
      target.value = m[2];
      target.focus();
    });
  }

  ready(function () { drawNetwork(); attachPicker(); });
})();
