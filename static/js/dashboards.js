/* Dashboards: charts (chart.js), the table toggle and the buurt map (leaflet without tiles).
   Data comes from json_script tags; no inline script (strict CSP). */
(function () {
  "use strict";

  var PALETTE = ["#154273", "#e17000", "#39870c", "#a90061", "#007bc7", "#8fcae7", "#ffb612", "#5a3e8f",
    "#b4b4b4", "#ca005d", "#275937", "#673327", "#01689b", "#76d2b6", "#f9e11e", "#42145f"];

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function drawChart(section) {
    var dom = section.getAttribute("data-figure");
    var data = readJson(dom);
    var holder = document.getElementById(dom + "-chart");
    if (!data || !holder || !window.Chart || holder.getAttribute("data-drawn")) { return; }
    var canvas = holder.querySelector("canvas");
    // Nothing to draw (every cell suppressed as "<5"): say so instead of an empty plot.
    var anything = data.datasets.some(function (ds) { return ds.data.some(function (v) { return v !== null; }); });
    if (!anything && holder.getAttribute("data-hidden-text")) {
      var p = document.createElement("p");
      p.className = "vik-muted";
      p.textContent = holder.getAttribute("data-hidden-text");
      holder.replaceChildren(p);
      holder.classList.add("vik-chart--empty");
      holder.setAttribute("data-drawn", "1");
      return;
    }
    var stacked = data.type === "stacked";
    var line = data.type === "line";
    var datasets = data.datasets.map(function (ds, i) {
      var colour = PALETTE[i % PALETTE.length];
      return { label: ds.label, data: ds.data, backgroundColor: colour, borderColor: colour, spanGaps: true };
    });
    // Long or many category labels read better on horizontal bars; the box grows with the
    // number of bars (a class per size step, no inline style) and the legend sits below the plot
    // so it never covers data.
    var longest = (data.labels || []).reduce(function (m, l) { return Math.max(m, String(l).length); }, 0);
    var horizontal = !line && longest > 14;
    if (horizontal) {
      var step = Math.min(Math.ceil((data.labels || []).length / 5), 8);
      holder.classList.add("vik-chart--horizontal", "vik-chart--rows-" + step);
    }
    // many series: a taller box, so the legend below the plot leaves room for the bars
    if (!horizontal && datasets.length > 6) { holder.classList.add("vik-chart--horizontal", "vik-chart--rows-3"); }
    var value = { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } };
    // a long label is shortened on the axis (the tooltip and the table show it whole)
    var category = { stacked: stacked, ticks: { autoSkip: false, callback: function (v) {
      var l = String(this.getLabelForValue(v));
      return l.length > 20 ? l.slice(0, 19) + "\u2026" : l;
    } } };
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: value, y: category } : { x: { stacked: stacked }, y: value },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    });
    holder.setAttribute("data-drawn", "1");
  }

  function bindToggle(button) {
    if (button.getAttribute("data-bound")) { return; }
    button.setAttribute("data-bound", "1");
    button.addEventListener("click", function () {
      var dom = button.getAttribute("data-toggle-table");
      var chart = document.getElementById(dom + "-chart");
      var table = document.getElementById(dom + "-table");
      var showTable = button.getAttribute("aria-pressed") !== "true";
      table.hidden = !showTable;
      chart.hidden = showTable;
      button.setAttribute("aria-pressed", showTable ? "true" : "false");
      button.textContent = showTable ? button.getAttribute("data-label-chart") : button.getAttribute("data-label-table");
    });
  }

  function initFigures(root) {
    root.querySelectorAll("section[data-figure]").forEach(drawChart);
    root.querySelectorAll("button[data-toggle-table]").forEach(bindToggle);
  }

  // --- map -------------------------------------------------------------------------------------

  var BINS = ["#f3f3f3", "#fde0c5", "#facb98", "#f59e5a", "#e17000", "#a34f00"];

  function binColour(value, max) {
    if (!value) { return BINS[0]; }
    var step = Math.ceil((value / Math.max(max, 1)) * (BINS.length - 1));
    return BINS[Math.min(Math.max(step, 1), BINS.length - 1)];
  }

  function initMap() {
    var el = document.getElementById("vik-map");
    var data = readJson("vik-map-data");
    if (!el || !data || !window.L || el.getAttribute("data-drawn")) { return; }
    el.setAttribute("data-drawn", "1");
    // The outlines are CBS reference data the browser caches; the figures come with the page.
    fetch(el.getAttribute("data-outlines-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (outlines) { drawMap(el, outlines, data); })
      .catch(function () {
        el.setAttribute("data-error", "1");
        el.textContent = el.getAttribute("data-error-text") || "";
      });
  }

  function drawMap(el, geo, data) {
    var counts = data.counts || {};
    geo.features.forEach(function (f) {
      var c = counts[f.properties.code] || [0, 0, 0];
      f.properties.signals = c[0];
      f.properties.closures = c[1];
      f.properties.measures = c[2];
    });
    var layerName = "signals";
    var map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var maxOf = function (key) {
      return geo.features.reduce(function (m, f) { return Math.max(m, f.properties[key] || 0); }, 0);
    };
    var styleFor = function (feature) {
      return {
        color: "#154273", weight: 1, fillOpacity: 0.75,
        fillColor: binColour(feature.properties[layerName], maxOf(layerName)),
        className: "vik-buurt vik-buurt-" + feature.properties.code
      };
    };
    var detailUrl = function (code) {
      var url = el.getAttribute("data-buurt-url").replace("CODE", encodeURIComponent(code));
      var query = el.getAttribute("data-query");
      return query ? url + "?" + query : url;
    };
    var outlines = window.L.geoJSON(geo, {
      style: styleFor,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindTooltip(p.name + " (" + p.code + "): " + p.signals + " / " + p.closures + " / " + p.measures);
        layer.on("click", function () {
          if (window.htmx) {
            window.htmx.ajax("GET", detailUrl(p.code), { target: "#buurt-detail", swap: "innerHTML" });
          } else {
            window.location.href = detailUrl(p.code);
          }
        });
      }
    }).addTo(map);
    if (geo.features.length) {
      map.fitBounds(outlines.getBounds());
    } else {
      map.setView([52.356, 6.662], 12);
    }
    if (data.points && data.points.length) {
      var points = window.L.layerGroup();
      data.points.forEach(function (pt) {
        window.L.circleMarker([pt.lat, pt.lon], {
          radius: Math.min(4 + pt.n, 12), color: "#154273", weight: 1, fillColor: "#154273", fillOpacity: 0.8,
          interactive: false
        }).addTo(points);
      });
      points.addTo(map);
    }
    document.querySelectorAll("input[name=vik-layer]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        layerName = radio.value;
        outlines.setStyle(styleFor);
      });
    });
  }

  function init() {
    initFigures(document);
    initMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // A lazily loaded panel replaces its placeholder (outerHTML): draw whatever is new.
  document.addEventListener("htmx:afterSettle", function () { initFigures(document); });
})();
