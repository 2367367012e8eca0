// The projector: t-SNE maps of test images (last hidden layer or raw pixels), coloured by label; hover and click.
"use strict";
nav("/projector");

const COLORS = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#9a6324"];
const map = document.getElementById("map");
const tooltip = document.getElementById("tooltip");
const status = document.getElementById("status");
const models = document.getElementById("model");
const images = new Map();   // test index → pixels, fetched once
let data = null;

document.getElementById("legend").innerHTML = COLORS.map((c, d) => `<span style="color:${c}">■</span> ${d}`).join("&nbsp; ");

async function pixelsOf(indices) {
  const missing = indices.filter(i => !images.has(i));
  if (missing.length > 0) for (const image of await api(`/api/test-images?model=${encodeURIComponent(data.model)}&indices=${missing.join(",")}`)) images.set(image.index, image.pixels);
  return indices.map(i => images.get(i));
}

async function load() {
  status.textContent = "computing t-SNE (once per model; cached in its run folder)…";
  status.className = "";
  try {
    const count = document.getElementById("count").value;
    data = await api(`/api/projector?model=${encodeURIComponent(models.value)}&count=${count}`);
    status.textContent = `${data.indices.length} test images of ${data.model}`;
    draw();
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

function space() {
  return document.querySelector("input[name=space]:checked").value;
}

function draw() {
  if (!data) return;
  const xy = data[space()].xy, n = data.indices.length, size = 640, pad = 12;
  const xs = [], ys = [];
  for (let i = 0; i < n; i++) { xs.push(xy[2 * i]); ys.push(xy[2 * i + 1]); }
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  map.replaceChildren();
  for (let i = 0; i < n; i++) {
    const dot = svgElement("circle", {
      cx: pad + (xs[i] - x0) / (x1 - x0 || 1) * (size - 2 * pad),
      cy: pad + (ys[i] - y0) / (y1 - y0 || 1) * (size - 2 * pad),
      r: 3.5, fill: COLORS[data.labels[i]], "fill-opacity": 0.8,
    });
    dot.dataset.point = i;
    dot.addEventListener("mouseenter", e => hover(i, e));
    dot.addEventListener("mouseleave", () => { tooltip.style.display = "none"; });
    dot.addEventListener("click", () => pick(i));
    map.append(dot);
  }
  map.dataset.space = space();
}

async function hover(i, event) {
  tooltip.style.left = `${event.clientX + 12}px`;
  tooltip.style.top = `${event.clientY + 12}px`;
  tooltip.querySelector("span").textContent = `label ${data.labels[i]}, predicted ${data.predictions[i]}`;
  tooltip.style.display = "block";
  const [pixels] = await pixelsOf([data.indices[i]]);
  drawDigit(tooltip.querySelector("canvas"), pixels);
}

async function pick(i) {
  const near = data[space()].neighbours[i];
  document.getElementById("picked").textContent =
    `test image ${data.indices[i]} (label ${data.labels[i]}, predicted ${data.predictions[i]}): its ${near.length} nearest neighbours in the ${space() === "hidden" ? "hidden layer" : "pixel space"}`;
  const box = document.getElementById("neighbours");
  box.replaceChildren();
  const pixels = await pixelsOf(near.map(j => data.indices[j]));
  near.forEach((j, k) => {
    const canvas = document.createElement("canvas");
    canvas.title = `test image ${data.indices[j]}: label ${data.labels[j]}, predicted ${data.predictions[j]}`;
    drawDigit(canvas, pixels[k]);
    box.append(canvas);
  });
}

for (const radio of document.querySelectorAll("input[name=space]")) radio.addEventListener("change", draw);
document.getElementById("go").addEventListener("click", load);
const query = new URLSearchParams(location.search);
if (query.get("count")) document.getElementById("count").value = query.get("count");
modelOptions(models, query.get("model")).then(load, error => { status.textContent = error.message; status.className = "error"; });
