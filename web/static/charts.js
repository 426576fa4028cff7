// Draws every <canvas data-chart='{Chart.js config}'>: the config is data in an attribute, not code,
// so pages keep the strict CSP (no inline scripts).
(function () {
  function draw() {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var config = JSON.parse(canvas.dataset.chart);
      config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
      new window.Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
