// The draw page: strokes on a canvas (mouse, pen or touch), the prediction as you draw, ten bars, the 28×28 input.
"use strict";
nav("/");

const pad = document.getElementById("pad");
const ink = pad.getContext("2d");
const bars = document.getElementById("bars");
const status = document.getElementById("status");
const models = document.getElementById("model");
let drawing = false, last = null, timer = null, inFlight = 0;

function clearPad() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, pad.width, pad.height);
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return { x: (event.clientX - box.left) * pad.width / box.width, y: (event.clientY - box.top) * pad.height / box.height };
}

function stroke(to) {
  ink.strokeStyle = "#000";
  ink.lineWidth = pad.width / 14;   // about the pen width of an MNIST digit once scaled down
  ink.lineCap = ink.lineJoin = "round";
  ink.beginPath();
  ink.moveTo(last.x, last.y);
  ink.lineTo(to.x, to.y);
  ink.stroke();
  last = to;
}

pad.addEventListener("pointerdown", e => { drawing = true; pad.setPointerCapture(e.pointerId); last = point(e); stroke(last); schedule(); });
pad.addEventListener("pointermove", e => { if (drawing) { stroke(point(e)); schedule(); } });
for (const end of ["pointerup", "pointercancel"]) pad.addEventListener(end, () => { if (drawing) { drawing = false; predictNow(); } });

// Debounced: a request at most every 150 ms of drawing, and one when the stroke ends.
function schedule() {
  if (timer === null) timer = setTimeout(predictNow, 150);
}

function predictNow() {
  clearTimeout(timer); timer = null;
  pad.toBlob(blob => predict(blob, "image/png"), "image/png");
}

async function predict(body, type) {
  inFlight++;
  document.body.dataset.busy = "true";
  try {
    const result = await api(`/api/predict?model=${encodeURIComponent(models.value)}`, { method: "POST", headers: { "Content-Type": type }, body });
    show(result);
    status.textContent = "";
    status.className = "";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  } finally {
    if (--inFlight === 0) document.body.dataset.busy = "false";
  }
}

function show(result) {
  document.getElementById("guess").textContent = result.className;
  drawDigit(document.getElementById("preview"), result.input);
  bars.replaceChildren();
  bars.classList.toggle("named", result.classNames.some(name => name.length > 1));
  result.probabilities.forEach((p, digit) => {
    const row = document.createElement("div");
    row.className = digit === result.digit ? "bar top" : "bar";
    row.dataset.digit = digit;
    row.dataset.probability = p;
    row.innerHTML = `<span class="digit"></span><span class="track"><span class="fill" style="display:block;width:${(100 * p).toFixed(1)}%"></span></span><span>${(100 * p).toFixed(1)}%</span>`;
    // The model's data set names the class ("7", or "Ankle boot" for Fashion-MNIST); set as text, never as markup.
    row.querySelector(".digit").textContent = result.classNames[digit];
    bars.append(row);
  });
}

document.getElementById("clear").addEventListener("click", () => {
  clearPad();
  bars.replaceChildren();
  document.getElementById("guess").textContent = "?";
  drawDigit(document.getElementById("preview"), new Array(784).fill(0));
});

document.getElementById("upload").addEventListener("change", async e => {
  const file = e.target.files[0];
  if (!file) return;
  predict(file, file.type || "application/octet-stream");
  // The picture goes into the pad as well, so what was sent stays in view (the server judges whether it is one).
  clearPad();
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    ink.drawImage(bitmap, (pad.width - bitmap.width * scale) / 2, (pad.height - bitmap.height * scale) / 2, bitmap.width * scale, bitmap.height * scale);
  } catch { /* not a picture the browser can show either */ }
});

clearPad();
modelOptions(models, new URLSearchParams(location.search).get("model")).catch(error => { status.textContent = error.message; status.className = "error"; });
models.addEventListener("change", predictNow);
