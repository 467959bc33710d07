// The incident room's mention chart (uPlot) and the postmortem's print button.
// The chart's data is the JSON in its data-series attribute (htmx drops <script>
// elements from what it swaps in); the summary and the table next to the chart say
// the same for screen readers.
"use strict";
(function () {
  var numbersOpen = false; // the table stays open across htmx refreshes of the chart

  function chart(node) {
    var d = JSON.parse(node.getAttribute("data-series") || "null");
    var numbers = document.getElementById("chart-numbers");
    if (numbers && numbersOpen) { numbers.open = true; }
    if (typeof uPlot === "undefined" || !d || !d.x.length) { return; }
    var opened = d.opened;
    // Times in the account's zone, on a 24-hour clock.
    var local = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), d.zone); };
    var hm = uPlot.fmtDate("{HH}:{mm}");
    var full = uPlot.fmtDate("{WWW} {D} {MMM}, {HH}:{mm}");
    var plot = new uPlot({
      width: Math.max(300, node.clientWidth || 640),
      height: 260,
      tzDate: local,
      scales: { x: { time: true }, n: { auto: true }, pct: { range: [0, 100] } },
      series: [
        { label: "Time", value: function (u, v) { return v == null ? "--" : full(local(v)); } },
        { label: "Usual range, high", scale: "n", stroke: "rgba(11,87,208,0.35)", width: 1, points: { show: false } },
        { label: "Usual range, low", scale: "n", stroke: "rgba(11,87,208,0.35)", width: 1, points: { show: false } },
        { label: "Usual", scale: "n", stroke: "#555", dash: [6, 4], width: 1.5, points: { show: false } },
        { label: "Mentions", scale: "n", stroke: "#0b57d0", width: 2, points: { show: false } },
        { label: "Negative %", scale: "pct", stroke: "#b3261e", width: 1.5, points: { show: false } }
      ],
      bands: [{ series: [1, 2], fill: "rgba(11,87,208,0.12)" }],
      axes: [
        { values: function (u, splits) { return splits.map(function (v) { return hm(local(v)); }); } },
        { scale: "n", label: "mentions" },
        { scale: "pct", side: 1, label: "% negative", grid: { show: false } }
      ],
      hooks: {
        draw: [function (u) {
          // The moment the incident opened: a vertical line.
          var x = u.valToPos(opened, "x", true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) { return; }
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#8a4b00";
          ctx.lineWidth = 2;
          ctx.setLineDash([2, 3]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        }]
      }
    }, [d.x, d.high, d.low, d.expected, d.total, d.share], node);
    window.addEventListener("resize", function () {
      if (document.body.contains(node)) {
        plot.setSize({ width: Math.max(300, node.clientWidth), height: 260 });
      }
    });
  }

  function printButton(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function register() {
    Firebreak.on("mention-chart", chart);
    Firebreak.on("print-postmortem", printButton);
  }

  document.addEventListener("toggle", function (event) {
    if (event.target && event.target.id === "chart-numbers") { numbersOpen = event.target.open; }
  }, true);
  // This script loads before app.js (the page's head comes first): register once
  // Firebreak exists, before app.js starts the initialisers on DOMContentLoaded.
  if (window.Firebreak) { register(); } else { document.addEventListener("DOMContentLoaded", register); }
})();
