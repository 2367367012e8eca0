// A small SVG line chart (no library): series of (x, y) points on linear axes with min/max labels.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svgElement(name, attributes) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

// series: [{ name, color, points: [[x, y], ...] }]; non-finite y values are skipped.
function lineChart(svg, title, series) {
  const width = 360, height = 200, left = 48, right = 10, top = 22, bottom = 24;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const all = series.flatMap(s => s.points).filter(p => Number.isFinite(p[1]));
  const text = (x, y, s, anchor = "start") => { const t = svgElement("text", { x, y, "font-size": 11, "text-anchor": anchor }); t.textContent = s; svg.append(t); };
  text(left, 14, title);
  if (all.length === 0) { text(width / 2, height / 2, "no data yet", "middle"); return; }
  let [x0, x1] = [Math.min(...all.map(p => p[0])), Math.max(...all.map(p => p[0]))];
  let [y0, y1] = [Math.min(...all.map(p => p[1])), Math.max(...all.map(p => p[1]))];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const px = x => left + (x - x0) / (x1 - x0) * (width - left - right);
  const py = y => height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom);
  svg.append(svgElement("rect", { x: left, y: top, width: width - left - right, height: height - top - bottom, fill: "none", stroke: "#ccc" }));
  text(left - 4, top + 8, format(y1), "end");
  text(left - 4, height - bottom, format(y0), "end");
  text(left, height - 8, format(x0));
  text(width - right, height - 8, format(x1), "end");
  series.forEach((s, i) => {
    const points = s.points.filter(p => Number.isFinite(p[1]));
    const line = svgElement("polyline", { fill: "none", stroke: s.color, "stroke-width": 1.5, points: points.map(p => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" ") });
    line.dataset.series = s.name;
    line.dataset.count = points.length;
    svg.append(line);
    if (series.length > 1) text(width - right - 4, top + 14 + 12 * i, s.name, "end"), svg.lastChild.setAttribute("fill", s.color);
  });
}

function format(v) {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);
}
