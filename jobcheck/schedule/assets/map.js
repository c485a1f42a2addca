// jobcheck schedule map: hover details. Every manifest string is set with textContent, never as HTML.
(function () {
  "use strict";
  var node = document.getElementById("map-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  // Rows carry the first run of each plot column as differences, and the counts above one;
  // unpacked here to [column, count, unix, ...].
  data.rows.forEach(function (row) {
    var t = data.t0, cols = [];
    row.firsts.forEach(function (d) {
      t += d;
      cols.push(Math.min(data.plotWidth - 1, Math.floor((t - data.t0) * data.plotWidth / data.span)), 1, t);
    });
    for (var i = 0; i < row.many.length; i += 2) cols[row.many[i] * 3 + 1] = row.many[i + 1];
    row.cols = cols;
  });
  var tip = document.getElementById("tip");
  var svg = document.getElementById("timeline");
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function offsetAt(zone, t) {
    var spans = data.zones[zone] || [[0, 0]], off = spans[0][1];
    for (var i = 0; i < spans.length && spans[i][0] <= t; i++) off = spans[i][1];
    return off;
  }
  function offsetText(off) {
    var s = off < 0 ? "-" : "+", a = Math.abs(off);
    return "UTC" + s + pad(Math.floor(a / 3600)) + ":" + pad(Math.floor(a % 3600 / 60));
  }
  function wall(t, off, withDay) {
    var d = new Date((t + off) * 1000);
    var hm = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    if (!withDay) return hm;
    return DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + hm;
  }
  function line(text, bold) {
    var el = document.createElement(bold ? "b" : "div");
    el.textContent = text;
    tip.appendChild(el);
  }
  function nearest(row, col) {
    var cols = row.cols, best = -1, dist = 5;
    for (var i = 0; i < cols.length; i += 3) {
      var d = Math.abs(cols[i] - col);
      if (d < dist) { dist = d; best = i; }
    }
    return best;
  }
  function show(index, col, x, y) {
    var row = data.rows[index];
    if (!row) { tip.hidden = true; return; }
    tip.textContent = "";
    line(row.id, true);
    line(row.schedule + " (" + row.zone + ")");
    var i = nearest(row, col);
    if (i < 0) {
      line(row.note);
    } else {
      var t = row.cols[i + 2], n = row.cols[i + 1], dOff = offsetAt(data.display, t);
      line((n > 1 ? n + " runs from " : "run at ") + wall(t, dOff, true) + " " + data.display + " (" + offsetText(dOff) + ")");
      line(wall(t, 0, true) + " UTC");
      if (row.zone !== data.display && row.zone !== "UTC") line(wall(t, offsetAt(row.zone, t), true) + " " + row.zone);
    }
    tip.hidden = false;
    tip.dataset.row = String(index);
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 8)) + "px";
    tip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - h - 8)) + "px";
  }
  function toPlot(ev) {
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }
  if (svg) {
    svg.addEventListener("mousemove", function (ev) {
      var g = ev.target.closest ? ev.target.closest("g.row") : null;
      if (!g) { tip.hidden = true; return; }
      show(+g.getAttribute("data-row"), toPlot(ev).x - data.labelWidth, ev.clientX, ev.clientY);
    });
    svg.addEventListener("mouseleave", function () { tip.hidden = true; });
  }
  // "#tip=ROW@UNIX" opens the tooltip as hovering over that instant would: a link to one run.
  var m = /^#tip=(\d+)@(\d+)$/.exec(location.hash);
  if (m) show(+m[1], Math.floor((+m[2] - data.t0) * data.plotWidth / data.span), 40, 40);
  document.documentElement.setAttribute("data-ready", String(data.rows.length));
})();
