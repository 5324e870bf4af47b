/* Product footprint page: draws the contribution data (JSON block #pcf-chart-data) as
   horizontal plotly.js bar charts, one per [data-pcf-chart]; nothing is loaded from outside. */
(function () {
  "use strict";

  function draw(element, data) {
    var series = data[element.getAttribute("data-pcf-chart")];
    if (!series || !series.values.length) {
      return;
    }
    var trace = {
      type: "bar",
      orientation: "h",
      x: series.values.slice().reverse(),
      y: series.labels.slice().reverse(),
      marker: { color: "#1f7a5a" },
      hovertemplate: "%{y}: %{x:.3f} " + data.unit + "<extra></extra>"
    };
    var layout = {
      height: 80 + 32 * series.values.length,
      margin: { l: 220, r: 20, t: 10, b: 40 },
      xaxis: { title: { text: data.unit }, zeroline: true },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)"
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, [trace], layout, config);
  }

  function start() {
    var source = document.getElementById("pcf-chart-data");
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-pcf-chart]").forEach(function (element) {
      draw(element, data);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
