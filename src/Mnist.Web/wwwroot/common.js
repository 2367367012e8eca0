// Shared by the pages: the API, the navigation bar, and drawing a 28×28 digit into a canvas.
"use strict";

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function nav(here) {
  const bar = document.createElement("nav");
  for (const [href, label] of [["/", "Draw"], ["/runs", "Runs"], ["/projector", "Projector"]]) {
    const a = document.createElement("a");
    a.href = href; a.textContent = label;
    if (href === here) a.className = "here";
    bar.append(a);
  }
  document.body.prepend(bar);
}

// pixels: 784 values in 0..1, white ink on black as MNIST stores them.
function drawDigit(canvas, pixels) {
  canvas.width = 28; canvas.height = 28;
  const context = canvas.getContext("2d");
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * pixels[i]);
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}

async function modelOptions(select, selected) {
  const models = await api("/api/models");
  select.replaceChildren();
  for (const m of models) {
    const option = document.createElement("option");
    option.value = m.id;
    const accuracy = m.testAccuracy == null ? "test accuracy unknown" : `test accuracy ${(100 * m.testAccuracy).toFixed(2)}%`;
    option.textContent = `${m.id} (${m.name}, ${m.dataSet}, ${accuracy})`;
    if (m.id === selected) option.selected = true;
    select.append(option);
  }
  return models;
}
