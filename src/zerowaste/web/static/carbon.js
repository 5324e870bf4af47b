/* Carbon views: draws avoided emissions over time with their 95 % band, and inventory
   emissions in a chart of their own (the two are never summed). Data come from the JSON block
   named by [data-carbon-chart]; nothing is loaded from outside this site. */
(function () {
  "use strict";

  function band(periods, series, colour, label, axis) {
    var traces = [];
    if (series.low.some(function (v) { return v !== null; })) {
      traces.push({ x: periods, y: series.high, type: "scatter", mode: "lines", line: { width: 0 },
        showlegend: false, hoverinfo: "skip", yaxis: axis });
      traces.push({ x: periods, y: series.low, type: "scatter", mode: "lines", line: { width: 0 },
        fill: "tonexty", fillcolor: colour.replace("1)", "0.2)"), name: label.band, yaxis: axis });
    }
    traces.push({ x: periods, y: series.value, type: "scatter", mode: "lines+markers",
      line: { color: colour }, name: label.name, yaxis: axis });
    return traces;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-carbon-chart"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.classList.add("carbon-chart");
    var traces = band(data.periods, data.avoided, "rgba(31,122,90,1)",
      { name: data.labels.avoided, band: data.labels.band }, "y")
      .concat(band(data.periods, data.inventory, "rgba(192,57,43,1)",
        { name: data.labels.inventory, band: data.labels.band }, "y2"));
    var layout = {
      height: 420,
      margin: { l: 60, r: 20, t: 10, b: 40 },
      grid: { rows: 2, columns: 1, pattern: "independent" },
      yaxis: { title: { text: data.labels.avoided + " (" + data.labels.unit + ")" } },
      yaxis2: { title: { text: data.labels.inventory + " (" + data.labels.unit + ")" } },
      xaxis2: { matches: "x" },
      paper_bgcolor: "rgba(0,0,0,0)",
      legend: { orientation: "h" }
    };
    traces.forEach(function (trace) { if (trace.yaxis === "y2") { trace.xaxis = "x2"; } });
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, traces, layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-carbon-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
