/* City dashboard: draws each indicator's yearly trend, with its target as a dashed line.
   Data come from the JSON block named by [data-indicator-chart]; nothing is loaded from
   outside this site. */
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-indicator-chart"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var traces = [{ x: data.x, y: data.y, type: "scatter", mode: "lines+markers",
      line: { color: "rgba(31,122,90,1)" }, name: data.labels.value, connectgaps: false }];
    if (data.target !== null) {
      traces.push({ x: data.x, y: data.x.map(function () { return data.target; }),
        type: "scatter", mode: "lines", line: { dash: "dash", color: "rgba(192,57,43,1)" },
        name: data.labels.target });
    }
    var layout = {
      height: 220,
      margin: { l: 50, r: 10, t: 10, b: 30 },
      xaxis: { type: "category" },
      yaxis: { title: { text: data.labels.unit } },
      paper_bgcolor: "rgba(0,0,0,0)",
      showlegend: data.target !== null,
      legend: { orientation: "h" }
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, traces, layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-indicator-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
