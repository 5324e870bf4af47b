/* Forecast and scenario pages: the history with the chosen model's forecast and its interval
   bands, and a scenario's monthly landfill and emissions beside its baseline. Data come from
   the JSON blocks named by [data-forecast-chart] and [data-scenario-chart]; nothing is loaded
   from outside this site. */
(function () {
  "use strict";

  var CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };

  function data(element, attribute) {
    var source = document.getElementById(element.getAttribute(attribute));
    if (!source || typeof Plotly === "undefined") {
      return null;
    }
    return JSON.parse(source.textContent);
  }

  function drawn(element) {
    element.setAttribute("data-drawn", "true");
  }

  function forecast(element) {
    var d = data(element, "data-forecast-chart");
    if (!d) {
      return;
    }
    var traces = [];
    var shades = ["rgba(31,94,160,0.15)", "rgba(31,94,160,0.3)"];
    d.forecast.bands.forEach(function (band, i) {
      traces.push({ x: d.forecast.months, y: band.upper, type: "scatter", mode: "lines",
        line: { width: 0 }, showlegend: false, hoverinfo: "skip" });
      traces.push({ x: d.forecast.months, y: band.lower, type: "scatter", mode: "lines",
        line: { width: 0 }, fill: "tonexty", fillcolor: shades[i % shades.length],
        name: band.level + "% " + d.labels.band });
    });
    traces.push({ x: d.history.months, y: d.history.tonnes, type: "scatter",
      mode: "lines+markers", line: { color: "rgba(60,60,60,1)" }, name: d.labels.history });
    traces.push({ x: d.forecast.months, y: d.forecast.mean, type: "scatter",
      mode: "lines+markers", line: { color: "rgba(31,94,160,1)", dash: "dot" },
      name: d.labels.forecast });
    var layout = { height: 380, margin: { l: 60, r: 20, t: 10, b: 40 },
      yaxis: { title: { text: d.labels.unit }, rangemode: "tozero" },
      paper_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h" } };
    Plotly.newPlot(element, traces, layout, CONFIG).then(function () { drawn(element); });
  }

  function scenario(element) {
    var d = data(element, "data-scenario-chart");
    if (!d) {
      return;
    }
    function pair(series, axis, colour) {
      return [
        { x: d.months, y: series.baseline, type: "bar", name: d.labels.baseline,
          marker: { color: "rgba(150,150,150,1)" }, xaxis: axis.x, yaxis: axis.y,
          showlegend: axis.y === "y" },
        { x: d.months, y: series.scenario, type: "bar", name: d.labels.scenario,
          marker: { color: colour }, xaxis: axis.x, yaxis: axis.y, showlegend: axis.y === "y" }
      ];
    }
    var traces = pair(d.landfill, { x: "x", y: "y" }, "rgba(192,57,43,1)")
      .concat(pair(d.emissions, { x: "x2", y: "y2" }, "rgba(31,122,90,1)"));
    var layout = { height: 460, margin: { l: 60, r: 20, t: 10, b: 40 }, barmode: "group",
      grid: { rows: 2, columns: 1, pattern: "independent" },
      yaxis: { title: { text: d.labels.landfill } },
      yaxis2: { title: { text: d.labels.emissions } }, xaxis2: { matches: "x" },
      paper_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h" } };
    Plotly.newPlot(element, traces, layout, CONFIG).then(function () { drawn(element); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-forecast-chart]"), forecast);
    Array.prototype.forEach.call(document.querySelectorAll("[data-scenario-chart]"), scenario);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
