/* MotCua statistics: draw each <canvas data-chart="ID"> from the JSON in <script id="ID">.
   The figures are also in the table under each chart, which screen readers use instead. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var language = document.documentElement.lang || "vi";
  var numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var percent = Boolean(spec.percent);
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set) {
          return { label: set.label, data: set.data, backgroundColor: set.color, borderColor: set.color, borderWidth: 1 };
        })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom", labels: { color: "#1b1f24" } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + numbers.format(item.raw) + (percent ? " %" : "");
              }
            }
          }
        },
        scales: {
          x: { ticks: { color: "#1b1f24" }, max: (percent && spec.horizontal) ? 100 : undefined, beginAtZero: true },
          y: { ticks: { color: "#1b1f24" }, max: (percent && !spec.horizontal) ? 100 : undefined, beginAtZero: true }
        }
      }
    });
  });
})();
