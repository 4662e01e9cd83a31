/* giapranh - the charts of /charts (pages_charts.c): every
 * <canvas data-chart="URL"> is drawn with Chart.js from the chart's JSON
 * model at URL, and gets a "Tải ảnh PNG" link.  Without JavaScript the
 * table beside each canvas is the chart. */
(function () {
  "use strict";
  var COLORS = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f",
    "#ad1457", "#4e342e", "#558b2f", "#283593", "#f9a825", "#37474f", "#d84315",
    "#00695c"];
  var number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  /* a white page behind the chart: the PNG is not transparent */
  var background = {
    id: "gpBackground",
    beforeDraw: function (chart) {
      var c = chart.ctx;
      c.save();
      c.globalCompositeOperation = "destination-over";
      c.fillStyle = "#ffffff";
      c.fillRect(0, 0, chart.width, chart.height);
      c.restore();
    }
  };

  function fail(canvas, why) {
    var fig = canvas.closest("figure");
    if (fig) { fig.classList.add("chart-failed"); }
    var tools = fig && fig.querySelector(".chart-tools");
    if (tools) { tools.textContent = "Không vẽ được biểu đồ (" + why + "); số liệu ở bảng bên cạnh."; }
    canvas.setAttribute("data-state", "failed");
  }

  function render(canvas, m) {
    var line = m.draw === "line";
    var pct = m.percent ? "%" : "";
    var datasets = (m.datasets || []).map(function (d, i) {
      var color = COLORS[i % COLORS.length];
      return {
        label: d.series,
        data: d.data,
        borderColor: color,
        backgroundColor: line ? color : color + "cc",
        borderWidth: line ? 2 : 1,
        borderDash: d.dashed ? [6, 4] : [],
        pointRadius: line ? 2 : 0,
        pointStyle: line ? "line" : "rect",
        fill: false,
        spanGaps: true,
        stepped: line && !d.dashed ? "before" : false
      };
    });
    var chart = new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: m.labels, datasets: datasets },
      plugins: [background],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        /* drawn at once: what the page shows is the final picture */
        animation: false,
        scales: {
          x: { stacked: !!m.stacked, title: { display: true, text: m.x_axis } },
          y: {
            stacked: !!m.stacked, beginAtZero: true,
            title: { display: true, text: m.y_axis },
            /* counts have no tenths */
            ticks: { precision: m.integer ? 0 : undefined, callback: function (v) { return number.format(v) + pct; } }
          }
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: line } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = ctx.parsed.y;
                return ctx.dataset.label + ": " + (v === null ? "–" : number.format(v) + pct);
              }
            }
          }
        }
      }
    });
    var tools = canvas.closest("figure").querySelector(".chart-tools");
    if (tools) {
      var a = document.createElement("a");
      a.href = "#";
      a.className = "chart-png";
      a.setAttribute("role", "button");
      a.download = "bieu-do-" + (m.chart || "giapranh") + ".png";
      a.textContent = "Tải ảnh PNG";
      /* the picture as it is when asked for (after a resize too) */
      a.addEventListener("click", function () { a.href = chart.toBase64Image("image/png", 1); });
      tools.textContent = "";
      tools.appendChild(a);
    }
    canvas.setAttribute("data-state", "drawn");
    canvas.setAttribute("data-series", String(datasets.length));
  }

  function draw(canvas) {
    if (!window.Chart) { fail(canvas, "thiếu thư viện Chart.js"); return; }
    fetch(canvas.getAttribute("data-chart"), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) { throw new Error("máy chủ trả lời " + r.status); }
      return r.json();
    }).then(function (m) { render(canvas, m); })
      .catch(function (e) { fail(canvas, e.message); });
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
