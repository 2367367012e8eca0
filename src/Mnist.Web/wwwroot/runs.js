// The runs page: each run's settings, figures and curves; a run still training is polled until it finishes.
"use strict";
nav("/runs");

const runsBox = document.getElementById("runs");
const shown = new Map();   // run id → { steps, next, finished, panel }

async function refresh() {
  try {
    const runs = await api("/api/runs");
    for (const run of runs) {
      let state = shown.get(run.id);
      if (!state) {
        state = { steps: [], next: 0, finished: false, panel: panelFor(run) };
        shown.set(run.id, state);
        runsBox.append(state.panel);
      }
      if (!state.finished) await follow(run, state);
    }
    document.getElementById("status").textContent = runs.length === 0 ? "No runs yet: mnist train writes them under runs/." : "";
  } catch (error) {
    document.getElementById("status").textContent = error.message;
  }
}

async function follow(run, state) {
  const log = await api(`/api/runs/${encodeURIComponent(run.id)}/metrics?from=${state.next}`);
  state.steps.push(...log.steps);
  state.next = log.next;
  drawCurves(state);
  state.panel.querySelector(".state").textContent = log.finished ? "finished" : "training…";
  if (log.finished) {
    state.finished = true;
    const again = (await api("/api/runs")).find(r => r.id === run.id);
    fillFinished(state.panel, again);
  }
}

function panelFor(run) {
  const panel = document.createElement("section");
  panel.className = "panel run";
  panel.dataset.run = run.id;
  panel.innerHTML = `<h2>${run.id} <small class="state"></small></h2>
    <div class="figures"></div>
    <div class="row curves">
      <svg class="chart loss"></svg><svg class="chart accuracy"></svg><svg class="chart rate"></svg>
    </div>
    <div class="row pictures"></div>`;
  if (run.finished) fillFinished(panel, run);
  return panel;
}

function fillFinished(panel, run) {
  const s = run.summary;
  if (s) {
    const rows = Object.entries(s.settings).map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("");
    const validation = s.validation_accuracy == null ? "" : `<tr><th>validation accuracy</th><td>${s.validation_accuracy.toFixed(4)}</td></tr>`;
    panel.querySelector(".figures").innerHTML = `<table><tr><th>model</th><td>${s.model}</td></tr>${rows}
      <tr><th>test accuracy</th><td class="test-accuracy">${s.test_accuracy.toFixed(4)}</td></tr>${validation}
      <tr><th>training time</th><td>${s.train_seconds.toFixed(1)} s</td></tr></table>`;
  }
  const pictures = panel.querySelector(".pictures");
  pictures.replaceChildren();
  const matrix = document.createElement("div");
  pictures.append(matrix);
  confusion(run.id, matrix);
  if (run.pictures.includes("predictions.png")) {
    const img = document.createElement("img");
    img.src = `/api/runs/${encodeURIComponent(run.id)}/pictures/predictions.png`;
    img.alt = "predictions on test images";
    img.style.maxWidth = "520px";
    pictures.append(img);
  }
}

function drawCurves(state) {
  const at = key => state.steps.map(m => [m.step, Number(m[key])]);
  const validated = state.steps.filter(m => m.validation_accuracy != null).map(m => [m.step, m.validation_accuracy]);
  lineChart(state.panel.querySelector(".loss"), "loss", [{ name: "loss", color: "#1e88e5", points: at("loss") }]);
  lineChart(state.panel.querySelector(".accuracy"), "accuracy", [
    { name: "batch", color: "#43a047", points: at("batch_accuracy") },
    { name: "validation", color: "#e53935", points: validated },
  ]);
  lineChart(state.panel.querySelector(".rate"), "learning rate", [{ name: "learning rate", color: "#8e24aa", points: at("learning_rate") }]);
}

async function confusion(id, box) {
  try {
    const { matrix, examples } = await api(`/api/runs/${encodeURIComponent(id)}/confusion`);
    const table = document.createElement("table");
    table.className = "matrix";
    table.innerHTML = "<tr><th>true \\ predicted</th>" + matrix.map((_, p) => `<th>${p}</th>`).join("") + "</tr>";
    matrix.forEach((row, t) => {
      const tr = document.createElement("tr");
      tr.innerHTML = `<th>${t}</th>`;
      row.forEach((count, p) => {
        const td = document.createElement("td");
        td.textContent = count;
        td.dataset.cell = `${t},${p}`;
        if (t === p) td.className = "diag";
        td.style.background = t === p ? "" : `rgba(229, 57, 53, ${Math.min(1, count / 30)})`;
        td.addEventListener("click", () => showCell(id, t, p, examples[t * 10 + p]));
        tr.append(td);
      });
      table.append(tr);
    });
    box.replaceChildren(table);
  } catch (error) {
    box.textContent = `confusion matrix: ${error.message}`;
  }
}

async function showCell(id, label, predicted, indices) {
  const cell = document.getElementById("cell");
  cell.hidden = false;
  const first = indices.slice(0, 200);
  document.getElementById("cell-title").textContent =
    `${id}: ${indices.length} test images of a ${label} read as ${predicted}` + (indices.length > first.length ? ` (the first ${first.length})` : "");
  const box = document.getElementById("cell-digits");
  box.replaceChildren();
  if (first.length === 0) return;
  for (const image of await api(`/api/test-images?model=${encodeURIComponent(id)}&indices=${first.join(",")}`)) {
    const canvas = document.createElement("canvas");
    canvas.title = `test image ${image.index}, label ${image.label}`;
    drawDigit(canvas, image.pixels);
    box.append(canvas);
  }
  cell.scrollIntoView();
}

refresh();
setInterval(refresh, 1000);
