/* Members-area charts: each [data-chart] container names the <script type="application/json">
   (from json_script) holding a plotly figure built on the server. Drawn with the bundled
   plotly.js; no mode bar, so the chart adds no tab stops (the data table is the
   keyboard-and-screen-reader equivalent). */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (container) {
      var source = document.getElementById(container.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(container, figure.data, figure.layout, {
        displayModeBar: false, responsive: true
      }).then(function () {
        // Plotly's svgs are decoration for assistive technology: the container carries the label.
        container.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
        container.setAttribute("data-drawn", "true");
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
