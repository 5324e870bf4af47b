/* Batch trace: reads the JSON block named by [data-sankey] and draws it as a plotly.js Sankey.
   Batch nodes link to their own trace page; nothing is loaded from outside this site. */
(function () {
  "use strict";

  var COLOURS = {
    root: "#1f7a5a",
    ancestor: "#6b8fb3",
    descendant: "#58a78a",
    fate: "#9aa5ad",
    unaccounted: "#c0392b"
  };

  function fade(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.35)";
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-sankey"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.classList.add("sankey-chart");
    var nodes = data.nodes;
    var colours = nodes.map(function (node) { return COLOURS[node.group] || COLOURS.fate; });
    var trace = {
      type: "sankey",
      arrangement: "snap",
      valueformat: ",.3~f",
      valuesuffix: " " + data.labels.unit,
      node: {
        label: nodes.map(function (node) { return node.label; }),
        color: colours,
        customdata: nodes.map(function (node) { return node.url; }),
        pad: 18,
        thickness: 18,
        line: { width: 0 }
      },
      link: {
        source: data.links.map(function (link) { return link.source; }),
        target: data.links.map(function (link) { return link.target; }),
        value: data.links.map(function (link) { return link.value; }),
        color: data.links.map(function (link) { return fade(colours[link.target]); })
      }
    };
    var height = Math.max(360, Math.min(900, nodes.length * 44));
    var layout = {
      height: height,
      margin: { l: 10, r: 10, t: 10, b: 10 },
      font: { size: 13 },
      paper_bgcolor: "rgba(0,0,0,0)"
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, [trace], layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
    element.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata;
      if (url && point.sourceLinks !== undefined) {
        window.location.assign(url);
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sankey]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
