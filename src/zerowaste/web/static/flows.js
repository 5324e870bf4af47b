/* Material-flow page: draws the JSON block named by [data-flow-sankey] as a plotly.js Sankey.
   Hovering a link shows its reconciled value, its measurement and standard deviation;
   suspect flows are drawn red. Nothing is loaded from outside this site. */
(function () {
  "use strict";

  var NODE = "#1f7a5a";
  var BOUNDARY = "#9aa5ad";
  var LINK = "rgba(31,122,90,0.30)";
  var SUSPECT = "rgba(192,57,43,0.65)";

  function fmt(value) {
    return value === null || value === undefined ? "" : Number(value).toLocaleString(undefined, { maximumFractionDigits: 6 });
  }

  function hover(link, text, unit) {
    var lines = [link.label, text.reconciled + ": " + fmt(link.value) + " " + unit];
    if (link.measured === null || link.measured === undefined) {
      lines.push(text.unknown);
    } else {
      lines.push(text.measured + ": " + fmt(link.measured) + " ± " + fmt(link.sd) + " " + unit);
    }
    if (link.suspect) {
      lines.push(text.suspect);
    }
    return lines.join("<br>");
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-flow-sankey"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.classList.add("sankey-chart");
    var boundary = { "environment:in": true, "environment:out": true };
    var trace = {
      type: "sankey",
      arrangement: "snap",
      valueformat: ",.4~f",
      valuesuffix: " " + data.unit,
      node: {
        label: data.nodes.map(function (node) { return node.label; }),
        color: data.nodes.map(function (node) { return boundary[node.id] ? BOUNDARY : NODE; }),
        pad: 18,
        thickness: 18,
        line: { width: 0 }
      },
      link: {
        source: data.links.map(function (link) { return link.source; }),
        target: data.links.map(function (link) { return link.target; }),
        value: data.links.map(function (link) { return link.value; }),
        color: data.links.map(function (link) { return link.suspect ? SUSPECT : LINK; }),
        customdata: data.links.map(function (link) { return hover(link, data.text, data.unit); }),
        hovertemplate: "%{customdata}<extra></extra>"
      }
    };
    var layout = {
      height: Math.max(380, Math.min(900, data.nodes.length * 48)),
      margin: { l: 10, r: 10, t: 10, b: 10 },
      font: { size: 13 },
      paper_bgcolor: "rgba(0,0,0,0)"
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, [trace], layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-flow-sankey]"), draw);
    var select = document.getElementById("substance-select");
    if (select && select.form) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
