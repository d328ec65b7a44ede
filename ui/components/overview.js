// The whole network at a glance: one figure per stage, left to right, every map drawn small.
// Data comes from cnnviz/overview.py; a click reports the cell (or the class) back to Python.

const GUTTER = 26; // pixels between stages, where the arrows go
const GAP = 3; // pixels between maps of a stage
const MAX_ROWS = 8; // maps per column of a stage
const MIN_TILE = 12; // smallest map drawn; below this the overview scrolls sideways
const MIN_FIGURE = 56; // narrowest stage, so its title fits

function decode(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function colour(lut, t) {
  const i = Math.max(0, Math.min(lut.length - 1, Math.round(t * (lut.length - 1))));
  return lut[i];
}

function fmt(v) {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function lutFor(stage, colours) {
  if (stage.id === "input") return colours.gray;
  return stage.signed ? colours.diverging : colours.sequential;
}

function mapImage(stage, channel, colours) {
  // One map as an offscreen canvas, one pixel per cell.
  const { height: h, width: w } = stage;
  const off = document.createElement("canvas");
  off.width = w;
  off.height = h;
  const ctx = off.getContext("2d");
  const image = ctx.createImageData(w, h);
  const lut = lutFor(stage, colours);
  const low = stage.id === "input" ? stage.low_value : stage.low;
  const span = stage.high - low || 1;
  const offset = channel * h * w;
  for (let i = 0; i < h * w; i++) {
    const [r, g, b] = colour(lut, (stage.data[offset + i] - low) / span);
    image.data.set([r, g, b, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
  return off;
}

function planStage(stage, area) {
  // Size of a stage's figure: tiles for maps, a grid of cells for units, bars for the output.
  if (stage.kind === "maps") {
    const rows = stage.channels === 1 ? 1 : Math.min(stage.channels, MAX_ROWS);
    const cols = Math.ceil(stage.channels / rows);
    let tile = (area - (rows - 1) * GAP) / rows;
    if (stage.channels === 1) tile = Math.min(tile, 150);
    return { rows, cols, tile, width: cols * tile + (cols - 1) * GAP, scalable: true };
  }
  if (stage.kind === "units") {
    const rows = 32;
    const cols = Math.ceil(stage.count / rows);
    const cell = Math.max(4, Math.floor(area / rows) - 1);
    return { rows, cols, cell, width: cols * (cell + 1), scalable: false };
  }
  return { width: 162, scalable: false };
}

class Overview {
  constructor(parent, setStateValue) {
    this.setStateValue = setStateValue;
    this.root = document.createElement("div");
    this.root.className = "cnnviz-overview";
    this.scroller = document.createElement("div");
    this.scroller.className = "scroller";
    this.row = document.createElement("div");
    this.row.className = "stages";
    this.overlay = document.createElement("canvas");
    this.overlay.className = "overlay";
    this.tooltip = document.createElement("div");
    this.tooltip.className = "tooltip";
    this.row.appendChild(this.overlay);
    this.scroller.appendChild(this.row);
    this.root.append(this.scroller, this.tooltip);
    parent.querySelectorAll(".cnnviz-overview").forEach((old) => old.remove());
    parent.appendChild(this.root);
    this.hovered = null;
    this.resize = new ResizeObserver(() => this.data && this.render());
    this.resize.observe(this.root);
  }

  update(data) {
    this.data = data;
    for (const stage of data.stages) stage.data = decode(stage.values);
    this.render();
  }

  render() {
    const { stages, colours, height } = this.data;
    const area = height - 72; // room left for the captions above and below
    const plans = stages.map((stage) => planStage(stage, area));
    const available = (this.scroller.clientWidth || 1000) - 4;
    const widthOf = (plan, scale) =>
      Math.max(MIN_FIGURE, Math.ceil(plan.scalable ? plan.cols * plan.tile * scale + (plan.cols - 1) * GAP : plan.width));
    const total = (scale) => plans.reduce((sum, plan) => sum + widthOf(plan, scale), 0) + GUTTER * (stages.length - 1);
    let scale = 1;
    for (let i = 0; i < 30 && total(scale) > available; i++) scale *= 0.97; // shrink the maps until everything fits
    const smallest = Math.min(...plans.filter((p) => p.scalable && p.rows > 1).map((p) => p.tile));
    if (smallest * scale < MIN_TILE) scale = MIN_TILE / smallest; // too narrow: scroll sideways instead
    for (const plan of plans) {
      if (!plan.scalable) continue;
      plan.tile *= scale;
      plan.width = plan.cols * plan.tile + (plan.cols - 1) * GAP;
    }
    const used = Math.max(...plans.filter((p) => p.scalable).map((p) => p.rows * p.tile + (p.rows - 1) * GAP), area * 0.6);
    this.row.querySelectorAll("figure").forEach((f) => f.remove());
    this.figures = stages.map((stage, index) => this.drawStage(stage, plans[index], colours, Math.ceil(used)));
    this.row.style.gap = `${GUTTER}px`;
    requestAnimationFrame(() => this.drawOverlay());
  }

  drawStage(stage, plan, colours, area) {
    const figure = document.createElement("figure");
    figure.className = `stage stage-${stage.kind}`;
    figure.dataset.stage = stage.id;
    figure.style.width = `${Math.max(MIN_FIGURE, Math.ceil(plan.width))}px`;
    const title = document.createElement("figcaption");
    title.className = "title";
    title.innerHTML = `<b></b><span></span>`;
    title.querySelector("b").textContent = stage.title;
    title.querySelector("span").textContent = stage.operation;
    const canvas = document.createElement("canvas");
    const ratio = window.devicePixelRatio || 1;
    const width = Math.ceil(plan.width);
    canvas.width = width * ratio;
    canvas.height = area * ratio;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${area}px`;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${stage.title}: ${stage.operation}`);
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.imageSmoothingEnabled = false;
    const cells = [];
    if (stage.kind === "maps") {
      for (let c = 0; c < stage.channels; c++) {
        const col = Math.floor(c / plan.rows);
        const row = c % plan.rows;
        const x = col * (plan.tile + GAP);
        const y = row * (plan.tile + GAP) + (stage.channels === 1 ? (area - plan.tile) / 2 : (area - plan.rows * (plan.tile + GAP) + GAP) / 2);
        ctx.drawImage(mapImage(stage, c, colours), x, y, plan.tile, plan.tile * stage.height / stage.width);
        cells.push({ channel: c, x, y, size: plan.tile });
      }
    } else if (stage.kind === "units") {
      const lut = colours.sequential;
      for (let i = 0; i < stage.count; i++) {
        const x = Math.floor(i / plan.rows) * (plan.cell + 1);
        const y = (i % plan.rows) * (plan.cell + 1);
        const [r, g, b] = colour(lut, stage.data[i] / stage.high);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(x, y, plan.cell, plan.cell);
        cells.push({ unit: i, x, y, size: plan.cell });
      }
    } else {
      const n = stage.labels.length;
      const bar = Math.min(30, (area - 4) / n);
      ctx.font = "600 15px sans-serif";
      ctx.textBaseline = "middle";
      for (let i = 0; i < n; i++) {
        const y = i * bar + (area - n * bar) / 2;
        const p = stage.data[i];
        ctx.fillStyle = "#1a1a1a";
        ctx.fillText(stage.labels[i].slice(0, 6), 2, y + bar / 2);
        ctx.fillStyle = i === stage.best ? colours.highlight : colours.base;
        ctx.fillRect(48, y + 3, Math.max(1, p * 72), bar - 6);
        ctx.fillStyle = "#1a1a1a";
        ctx.font = i === stage.best ? "700 14px sans-serif" : "14px sans-serif";
        ctx.fillText(`${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`, 52 + p * 72, y + bar / 2);
        ctx.font = "600 15px sans-serif";
        cells.push({ label: i, x: 0, y, width: width, size: bar });
      }
    }
    const range = document.createElement("figcaption");
    range.className = "range";
    if (stage.kind === "maps") {
      const low = stage.id === "input" ? stage.low_value : stage.low;
      range.textContent = `${fmt(low)} to ${fmt(stage.high)}`;
    } else if (stage.kind === "units") {
      range.textContent = `0 to ${fmt(stage.high)}`;
    } else {
      range.textContent = "adds up to 100%";
    }
    figure.append(title, canvas, range);
    this.row.appendChild(figure);
    figure.__cell = (channel, row, col) => {
      // where a cell is on screen (for tests and for people reading the code)
      const box = canvas.getBoundingClientRect();
      const cell = cells[channel];
      const unit = cell.size / stage.width;
      return { x: box.left + cell.x + (col + 0.5) * unit, y: box.top + cell.y + (row + 0.5) * unit };
    };
    canvas.addEventListener("mousemove", (event) => this.hover(event, stage, plan, cells, canvas));
    canvas.addEventListener("mouseleave", () => this.leave());
    canvas.addEventListener("click", (event) => this.click(event, stage, plan, cells, canvas));
    return { stage, plan, cells, canvas, figure };
  }

  locate(event, stage, plan, cells, canvas) {
    // The map (or unit, or class) and cell under the mouse.
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    for (const cell of cells) {
      const w = cell.width || cell.size;
      const h = stage.kind === "maps" ? cell.size * stage.height / stage.width : cell.size;
      if (x >= cell.x && x < cell.x + w && y >= cell.y && y < cell.y + h) {
        if (stage.kind !== "maps") return { cell };
        const col = Math.min(stage.width - 1, Math.floor((x - cell.x) / w * stage.width));
        const row = Math.min(stage.height - 1, Math.floor((y - cell.y) / h * stage.height));
        return { cell, row, col };
      }
    }
    return null;
  }

  hover(event, stage, plan, cells, canvas) {
    const hit = this.locate(event, stage, plan, cells, canvas);
    if (!hit) return this.leave();
    let text;
    if (stage.kind === "maps") {
      const value = stage.data[hit.cell.channel * stage.height * stage.width + hit.row * stage.width + hit.col];
      const map = stage.channels > 1 ? ` · map ${hit.cell.channel}` : "";
      text = `${stage.title}${map} · row ${hit.row}, col ${hit.col}: ${value.toFixed(3)}`;
      if (stage.block || stage.id === "input") text += " · click to see how it is computed";
    } else if (stage.kind === "units") {
      text = `unit ${hit.cell.unit}: ${stage.data[hit.cell.unit].toFixed(3)}`;
    } else {
      text = `${stage.labels[hit.cell.label]}: ${(stage.data[hit.cell.label] * 100).toFixed(2)}% · click to see what pushed it`;
    }
    this.tooltip.textContent = text;
    const box = this.root.getBoundingClientRect();
    this.tooltip.style.left = `${Math.min(event.clientX - box.left + 14, box.width - 260)}px`;
    this.tooltip.style.top = `${event.clientY - box.top + 14}px`;
    this.tooltip.style.display = "block";
    this.hovered = { stage: stage.id, ...hit };
    this.drawOverlay();
  }

  leave() {
    this.tooltip.style.display = "none";
    if (this.hovered) {
      this.hovered = null;
      this.drawOverlay();
    }
  }

  click(event, stage, plan, cells, canvas) {
    const hit = this.locate(event, stage, plan, cells, canvas);
    if (!hit) return;
    if (stage.kind === "bars") {
      this.setStateValue("clicked", { kind: "class", index: hit.cell.label, at: Date.now() });
      return;
    }
    if (stage.kind !== "maps") return;
    let { row, col } = hit;
    let block = stage.block;
    let channel = hit.cell.channel;
    if (stage.id === "input") {
      block = this.data.stages.find((s) => s.source === "input").block; // the first conv reads the input at the same positions
      channel = this.data.selected && this.data.selected.block === block ? this.data.selected.channel : 0;
    } else if (stage.step === "pool") {
      // a pooled cell: select the cell of its window that won
      const relu = this.data.stages.find((s) => s.block === block && s.step === "relu");
      let best = -Infinity;
      for (let dr = 0; dr < 2; dr++) {
        for (let dc = 0; dc < 2; dc++) {
          const r = row * 2 + dr, c = col * 2 + dc;
          const v = relu.data[channel * relu.height * relu.width + r * relu.width + c];
          if (v > best) { best = v; hit.best = [r, c]; }
        }
      }
      [row, col] = hit.best;
    }
    if (!block) return;
    this.setStateValue("clicked", { kind: "cell", block, channel, row, col, step: stage.step || "conv", at: Date.now() });
  }

  stageOf(id) {
    return this.figures.find((f) => f.stage.id === id);
  }

  cellBox(figure, channel, row, col, span = 1) {
    // Where a cell (or a span x span window starting at it) of a map is drawn, relative to the stages row.
    const { stage, cells, canvas } = figure;
    const cell = cells[channel];
    const unit = cell.size / stage.width;
    const c = canvas.getBoundingClientRect();
    const r = this.row.getBoundingClientRect();
    return { x: c.left - r.left + cell.x + col * unit, y: c.top - r.top + cell.y + row * unit, size: span * unit,
             mapX: c.left - r.left + cell.x, mapY: c.top - r.top + cell.y, mapSize: cell.size };
  }

  drawOverlay() {
    if (!this.figures) return;
    const ratio = window.devicePixelRatio || 1;
    const width = this.row.scrollWidth;
    const height = this.row.scrollHeight;
    this.overlay.width = width * ratio;
    this.overlay.height = height * ratio;
    this.overlay.style.width = `${width}px`;
    this.overlay.style.height = `${height}px`;
    const ctx = this.overlay.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    this.drawArrows(ctx);
    const selected = this.data.selected;
    if (selected) this.drawSelection(ctx, selected, this.data.colours.highlight);
    if (this.hovered && this.hovered.row !== undefined) {
      const figure = this.stageOf(this.hovered.stage);
      const box = this.cellBox(figure, this.hovered.cell.channel, this.hovered.row, this.hovered.col);
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(box.x - 1, box.y - 1, Math.max(box.size, 3) + 2, Math.max(box.size, 3) + 2);
    }
  }

  drawArrows(ctx) {
    ctx.fillStyle = "#555";
    for (let i = 1; i < this.figures.length; i++) {
      const a = this.figures[i - 1].canvas.getBoundingClientRect();
      const b = this.figures[i].canvas.getBoundingClientRect();
      const r = this.row.getBoundingClientRect();
      const x0 = a.right - r.left + 6, x1 = b.left - r.left - 6, y = a.top - r.top + a.height / 2;
      ctx.beginPath();
      ctx.moveTo(x0, y - 1.5); ctx.lineTo(x1 - 8, y - 1.5); ctx.lineTo(x1 - 8, y - 6); ctx.lineTo(x1, y);
      ctx.lineTo(x1 - 8, y + 6); ctx.lineTo(x1 - 8, y + 1.5); ctx.lineTo(x0, y + 1.5);
      ctx.closePath();
      ctx.fill();
    }
  }

  drawSelection(ctx, selected, highlight) {
    const steps = this.figures.filter((f) => f.stage.block === selected.block);
    if (!steps.length) return;
    const conv = steps.find((f) => f.stage.step === "conv");
    if (!conv) return;
    const source = this.stageOf(conv.stage.source); // what the conv reads: the input, or the last block's pooled maps
    const k = conv.stage.kernel;
    const pad = Math.floor(k / 2);
    const target = this.cellBox(conv, selected.channel, selected.row, selected.col);
    ctx.strokeStyle = highlight;
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.45;
    for (let c = 0; source && c < source.stage.channels; c++) {
      const win = this.cellBox(source, c, selected.row - pad, selected.col - pad, k);
      ctx.beginPath();
      ctx.moveTo(win.x + win.size, win.y + win.size / 2);
      ctx.lineTo(target.mapX, target.mapY + target.mapSize / 2);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    for (let c = 0; source && c < source.stage.channels; c++) {
      const win = this.cellBox(source, c, selected.row - pad, selected.col - pad, k);
      ctx.strokeRect(win.x, win.y, win.size, win.size);
    }
    for (const figure of steps) {
      const pooled = figure.stage.step === "pool";
      const row = pooled ? Math.floor(selected.row / 2) : selected.row;
      const col = pooled ? Math.floor(selected.col / 2) : selected.col;
      const box = this.cellBox(figure, selected.channel, row, col);
      ctx.lineWidth = 2.5;
      ctx.strokeRect(box.mapX - 2, box.mapY - 2, box.mapSize + 4, box.mapSize * figure.stage.height / figure.stage.width + 4);
      ctx.lineWidth = 2;
      const size = Math.max(box.size, 4);
      ctx.strokeStyle = "#000";
      ctx.strokeRect(box.x - 1, box.y - 1, size + 2, size + 2);
      ctx.strokeStyle = highlight;
    }
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let view = parentElement.__cnnvizOverview;
  if (!view) {
    view = new Overview(parentElement, setStateValue);
    parentElement.__cnnvizOverview = view;
  }
  view.update(data);
  return () => {
    view.resize.disconnect();
    delete parentElement.__cnnvizOverview;
  };
}
