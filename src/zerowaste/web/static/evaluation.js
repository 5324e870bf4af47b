/* Evaluation workbench: draws the event-study paths (each estimator's estimates with their
   95 % intervals, the reference period −1 at zero). Data come from the JSON block named by
   [data-evaluation-chart]; nothing is loaded from outside this site. */
(function () {
  "use strict";

  var COLOURS = ["rgba(31,90,160,1)", "rgba(192,57,43,1)"];

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-evaluation-chart"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var count = data.series.length;
    var traces = data.series.map(function (s, i) {
      var offset = (i - (count - 1) / 2) * 0.12;
      return {
        x: s.period.map(function (p) { return p + offset; }),
        y: s.estimate,
        type: "scatter",
        mode: "lines+markers",
        name: s.name,
        line: { color: COLOURS[i % COLOURS.length] },
        error_y: {
          type: "data",
          symmetric: false,
          array: s.high.map(function (h, k) { return h - s.estimate[k]; }),
          arrayminus: s.estimate.map(function (e, k) { return e - s.low[k]; })
        },
        text: s.period.map(String),
        hovertemplate: "%{text}: %{y:.4f}<extra>" + s.name + "</extra>"
      };
    });
    var layout = {
      height: 380,
      margin: { l: 60, r: 20, t: 10, b: 50 },
      xaxis: { title: { text: data.labels.x }, dtick: 1, zeroline: false },
      yaxis: { title: { text: data.labels.y }, zeroline: true },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: -0.5, x1: -0.5, y0: 0, y1: 1,
        line: { dash: "dot", color: "rgba(100,100,100,1)" } }],
      paper_bgcolor: "rgba(0,0,0,0)",
      legend: { orientation: "h" }
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, traces, layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-evaluation-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
