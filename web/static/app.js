// Enhancement only: live SLA countdowns. Every page works without this file.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown[datetime]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      var left = Math.round((due - now) / 1000);
      var late = left < 0;
      var s = Math.abs(left);
      var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
      var text = (d ? d + "d " : "") + pad(h) + ":" + pad(m) + ":" + pad(s % 60);
      el.textContent = late ? "-" + text + " (" + (el.getAttribute("data-overdue") || "overdue") + ")" : text;
      el.classList.toggle("late", late);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
