// The trend page's charts: the numbers come from the <script type="application/json"
// id="trend-data"> element written by Django's json_script (data, never executed), and are
// drawn by Chart.js (static/js/vendor). The same numbers are in the table below the charts.
(function () {
  var source = document.getElementById("trend-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#1565c0", "#ef6c00", "#c62828", "#6a1b9a", "#2e7d32"];
  data.charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: chart.lines.map(function (line, index) {
          var colour = colours[index % colours.length];
          return {
            label: line.name,
            data: line.values,
            borderColor: colour,
            backgroundColor: colour,
            borderWidth: 2,
            pointRadius: data.labels.length > 24 ? 0 : 2,
            tension: 0.2,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: 8 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      },
    });
  });
})();
