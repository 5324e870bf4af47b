/* Contract page: delivered versus committed tonnes per month, as grouped bars. Data come from
   the JSON block named by [data-contract-chart]; nothing is loaded from outside this site. */
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-contract-chart"));
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var traces = [
      { x: data.months, y: data.committed, type: "bar", name: data.labels.committed,
        marker: { color: "rgba(120,120,120,0.6)" } },
      { x: data.months, y: data.delivered, type: "bar", name: data.labels.delivered,
        marker: { color: "rgba(31,122,90,1)" } }
    ];
    var layout = {
      height: 320,
      barmode: "group",
      margin: { l: 60, r: 20, t: 10, b: 40 },
      yaxis: { title: { text: data.labels.unit } },
      paper_bgcolor: "rgba(0,0,0,0)",
      legend: { orientation: "h" }
    };
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    Plotly.newPlot(element, traces, layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-contract-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
