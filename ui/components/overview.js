// The whole network at a glance: one figure per stage, left to right, every map drawn small.
// Data comes from cnnviz/viz/browser.py, the maps fetched once per model and image from ui/maps.py's address;
// a click (or Enter) reports the cell (or the class) back to Python.
// Keyboard: Tab reaches it; arrow keys move the selected cell, Page Up/Down change the map, Enter opens its
// arithmetic. Each stage's canvas carries a sentence written from its numbers for screen readers.

const GUTTER = 26; // pixels between stages, where the arrows go
const GAP = 3; // pixels between maps of a stage
const MAX_ROWS = 8; // maps per column of a stage
const MIN_FIGURE = 56; // narrowest stage, so its title fits

const measurer = document.createElement("canvas").getContext("2d");

function titleWidth(stage, large) {
  // The narrowest a stage can be: its title on one line and its operation on two. On a projector, type is
  // larger and both may wrap (title on two lines, operation on three): only the longest word must fit.
  const [bold, plain] = large ? [22, 20] : [16, 14];
  const family = '"Source Sans Pro", sans-serif';
  const widest = (text, font) => {
    measurer.font = font;
    return Math.max(...String(text).split(/\s+/).map((word) => measurer.measureText(word).width));
  };
  if (large) {
    measurer.font = `${plain}px ${family}`;
    const lines = stage.kind === "bars" ? ["adds up", "to 100%"] : [fmt(stage.low ?? 0), `to ${fmt(stage.high ?? 0)}`];
    const below = Math.max(...lines.map((line) => measurer.measureText(line).width)); // the range, on two lines
    measurer.font = `bold ${bold}px ${family}`;
    const title = Math.max(measurer.measureText(stage.title).width / 2 + bold, widest(stage.title, measurer.font));
    measurer.font = `${plain}px ${family}`;
    const operation = Math.max(measurer.measureText(stage.operation).width / 3 + 2 * plain, widest(stage.operation, measurer.font));
    return Math.ceil(Math.max(title, operation, below)) + 6; // title on two lines, operation on three, range on two
  }
  measurer.font = `bold ${bold}px ${family}`;
  const title = measurer.measureText(stage.title).width;
  measurer.font = `${plain}px ${family}`;
  const operation = measurer.measureText(stage.operation).width / 2 + 3 * plain; // slack for where words break
  return Math.ceil(Math.max(title, operation)) + 6;
}

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

// A probability as a percentage that never rounds to "0%" or "100%" when it is not exactly that (as
// cnnviz.insight.verdict.percent words the headline): "<1%", "12.3%", ">99.9%".
function share(p) {
  if (p <= 0 || p >= 1) return `${p <= 0 ? 0 : 100}%`;
  if (p < 0.005) return "<1%";
  if (p >= 0.9995) return ">99.9%";
  return `${(p * 100).toFixed(1)}%`;
}

function lutFor(stage, colours) {
  if (stage.gray) return colours.gray;
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
  const span = stage.high - stage.low || 1;
  const offset = channel * h * w;
  for (let i = 0; i < h * w; i++) {
    const [r, g, b] = colour(lut, (stage.data[offset + i] - stage.low) / span);
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
    const rows = Math.min(32, stage.count);
    const cols = Math.ceil(stage.count / rows);
    const cell = Math.max(4, Math.floor(area / rows) - 1);
    return { rows, cols, cell, width: cols * (cell + 1), scalable: false };
  }
  return { width: 170, scalable: false };
}

function looksTheSame(a, b) {
  // Whether two reruns' data draw the same maps the same way (what may differ is the selection and its marks).
  const look = (data) => JSON.stringify([data.only, data.colours, data.height, !!data.large]);
  return look(a) === look(b);
}

class Overview {
  constructor(parent, setStateValue) {
    this.setStateValue = setStateValue;
    this.root = document.createElement("div");
    this.root.className = "cnnviz-overview";
    this.root.tabIndex = 0;
    this.root.setAttribute("role", "group");
    this.root.setAttribute(
      "aria-label",
      "The network, stage by stage. Arrow keys move the selected cell, Page Up and Page Down change the map, " +
        "Enter shows how the selected number is computed."
    );
    this.toolbar = document.createElement("div");
    this.toolbar.className = "toolbar";
    this.hint = document.createElement("span");
    this.hint.className = "hint";
    this.download = document.createElement("button");
    this.download.className = "download";
    this.download.type = "button";
    this.download.textContent = "Download as picture";
    this.download.addEventListener("click", () => this.savePicture());
    this.toolbar.append(this.hint, this.download);
    this.scroller = document.createElement("div");
    this.scroller.className = "scroller";
    this.row = document.createElement("div");
    this.row.className = "stages";
    this.overlay = document.createElement("canvas");
    this.overlay.className = "overlay";
    this.overlay.setAttribute("aria-hidden", "true");
    this.tooltip = document.createElement("div");
    this.tooltip.className = "tooltip";
    this.tooltip.setAttribute("role", "status");
    this.live = document.createElement("div");
    this.live.className = "sr-only";
    this.live.setAttribute("aria-live", "polite");
    this.row.appendChild(this.overlay);
    this.scroller.appendChild(this.row);
    this.root.append(this.toolbar, this.scroller, this.tooltip, this.live);
    parent.querySelectorAll(".cnnviz-overview").forEach((old) => old.remove());
    parent.appendChild(this.root);
    this.hovered = null;
    this.resize = new ResizeObserver(() => this.data && this.render());
    this.resize.observe(this.root);
    this.root.addEventListener("keydown", (event) => this.key(event));
    this.scroller.addEventListener("scroll", () => this.updateHint());
  }

  maps(address) {
    // Every stage's numbers, fetched once per model and image (ui/maps.py); a rerun only changes the selection.
    if (!this.loaded || this.loaded.address !== address) {
      const stages = fetch(address, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`the maps did not arrive (${response.status}): reload the page`);
          return response.json();
        })
        .then((stages) => {
          for (const stage of stages) stage.data = decode(stage.values);
          return stages;
        });
      this.loaded = { address, stages };
    }
    return this.loaded.stages;
  }

  async update(data) {
    this.latest = data;
    let stages;
    try {
      stages = await this.maps(data.maps);
    } catch (error) {
      this.loaded = null; // the next rerun asks again
      this.hint.textContent = `The network's maps could not be shown: ${error.message}.`;
      return;
    }
    if (this.latest !== data) return; // a newer rerun came while the maps were on their way
    const only = data.only ? new Set(data.only) : null;
    const drawn = this.data;
    this.data = { ...data, stages: only ? stages.filter((stage) => only.has(stage.id)) : stages };
    this.root.classList.toggle("large", !!data.large);
    if (drawn && drawn.maps === data.maps && looksTheSame(drawn, data)) {
      requestAnimationFrame(() => this.drawOverlay()); // only the selection changed: its marks, not every map
      return;
    }
    this.render();
  }

  render() {
    const { stages, colours, height } = this.data;
    const captions = this.data.large ? 184 : 80; // room for the titles above and the ranges below
    const area = height - captions;
    const plans = stages.map((stage) => ({ ...planStage(stage, area), least: titleWidth(stage, this.data.large) }));
    const available = (this.scroller.clientWidth || 1000) - 4;
    const minTile = available < 600 ? 26 : 12; // a finger needs larger tiles than a mouse: phones scroll sideways
    const widthOf = (plan, scale) =>
      Math.max(MIN_FIGURE, plan.least, Math.ceil(plan.scalable ? plan.cols * plan.tile * scale + (plan.cols - 1) * GAP : plan.width));
    const total = (scale) => plans.reduce((sum, plan) => sum + widthOf(plan, scale), 0) + GUTTER * (stages.length - 1);
    let scale = 1;
    for (let i = 0; i < 30 && total(scale) > available; i++) scale *= 0.97; // shrink the maps until everything fits
    const tiles = plans.filter((p) => p.scalable && p.rows > 1).map((p) => p.tile);
    const smallest = tiles.length ? Math.min(...tiles) : Infinity;
    if (smallest * scale < minTile) scale = minTile / smallest; // too narrow: scroll sideways instead
    for (const plan of plans) {
      if (!plan.scalable) continue;
      plan.tile *= scale;
      plan.width = plan.cols * plan.tile + (plan.cols - 1) * GAP;
    }
    const used = Math.max(
      ...plans.filter((p) => p.scalable).map((p) => p.rows * p.tile + (p.rows - 1) * GAP),
      area * 0.6
    );
    this.row.querySelectorAll("figure").forEach((f) => f.remove());
    this.figures = stages.map((stage, index) => this.drawStage(stage, plans[index], colours, Math.ceil(used)));
    this.row.style.gap = `${GUTTER}px`;
    requestAnimationFrame(() => {
      this.drawOverlay();
      this.updateHint();
    });
  }

  updateHint() {
    const more = this.scroller.scrollWidth - this.scroller.clientWidth - this.scroller.scrollLeft;
    this.hint.textContent = more > 8 ? "More to the right: scroll sideways →" : "";
    this.root.classList.toggle("scrolls", more > 8);
  }

  drawStage(stage, plan, colours, area) {
    const figure = document.createElement("figure");
    figure.className = `stage stage-${stage.kind}`;
    figure.dataset.stage = stage.id;
    figure.style.width = `${Math.max(MIN_FIGURE, plan.least, Math.ceil(plan.width))}px`;
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
    canvas.setAttribute("aria-label", stage.alt || `${stage.title}: ${stage.operation}`);
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
        ctx.drawImage(mapImage(stage, c, colours), x, y, plan.tile, (plan.tile * stage.height) / stage.width);
        cells.push({ channel: c, x, y, size: plan.tile });
      }
    } else if (stage.kind === "units") {
      const lut = stage.signed ? colours.diverging : colours.sequential;
      for (let i = 0; i < stage.count; i++) {
        const x = Math.floor(i / plan.rows) * (plan.cell + 1);
        const y = (i % plan.rows) * (plan.cell + 1);
        const [r, g, b] = colour(lut, (stage.data[i] - stage.low) / (stage.high - stage.low || 1));
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(x, y, plan.cell, plan.cell);
        cells.push({ unit: i, x, y, size: plan.cell });
      }
    } else {
      const n = stage.labels.length;
      const bar = Math.min(30, (area - 4) / n);
      const big = this.data.large ? 20 : 15;
      for (let i = 0; i < n; i++) {
        const y = i * bar + (area - n * bar) / 2;
        const p = stage.data[i];
        const label = stage.labels[i].length > 6 ? (stage.labels[i] === "not a digit" ? "none" : stage.labels[i].slice(0, 5) + "…") : stage.labels[i];
        ctx.textBaseline = "middle";
        ctx.font = `600 ${big}px sans-serif`;
        ctx.fillStyle = "#1a1a1a";
        ctx.fillText(label, 2, y + bar / 2);
        ctx.fillStyle = i === stage.best ? colours.highlight : colours.base;
        ctx.fillRect(52, y + 3, Math.max(1, p * 72), bar - 6);
        ctx.fillStyle = "#1a1a1a";
        ctx.font = `${i === stage.best ? 700 : 400} ${big - 1}px sans-serif`;
        const said = share(p); // after the bar, kept inside the figure (">99.9%" after a full bar)
        ctx.fillText(said, Math.min(56 + p * 72, width - ctx.measureText(said).width - 2), y + bar / 2);
        cells.push({ label: i, x: 0, y, width: width, size: bar });
      }
    }
    const range = document.createElement("figcaption");
    range.className = "range";
    if (stage.kind === "bars") range.textContent = "adds up to 100%";
    else range.textContent = `${fmt(stage.kind === "maps" && stage.gray ? stage.low : stage.low)} to ${fmt(stage.high)}`;
    figure.append(title, canvas, range);
    this.row.appendChild(figure);
    figure.__cell = (channel, row, col) => {
      // where a cell is on its stage's canvas (for tests and for people reading the code)
      const cell = cells[channel];
      const unit = cell.size / stage.width;
      return { x: cell.x + (col + 0.5) * unit, y: cell.y + (row + 0.5) * unit };
    };
    canvas.addEventListener("mousemove", (event) => this.hover(event, stage, cells, canvas));
    canvas.addEventListener("mouseleave", () => this.leave());
    canvas.addEventListener("click", (event) => this.click(event, stage, cells, canvas));
    return { stage, plan, cells, canvas, figure };
  }

  locate(event, stage, cells, canvas) {
    // The map (or unit, or class) and cell under the pointer.
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    for (const cell of cells) {
      const w = cell.width || cell.size;
      const h = stage.kind === "maps" ? (cell.size * stage.height) / stage.width : cell.size;
      if (x >= cell.x && x < cell.x + w && y >= cell.y && y < cell.y + h) {
        if (stage.kind !== "maps") return { cell };
        const col = Math.min(stage.width - 1, Math.floor(((x - cell.x) / w) * stage.width));
        const row = Math.min(stage.height - 1, Math.floor(((y - cell.y) / h) * stage.height));
        return { cell, row, col };
      }
    }
    return null;
  }

  describe(stage, hit) {
    if (stage.kind === "maps") {
      const value = stage.data[hit.cell.channel * stage.height * stage.width + hit.row * stage.width + hit.col];
      const map = stage.channels > 1 ? ` · map ${hit.cell.channel}` : "";
      return `${stage.title}${map} · row ${hit.row}, column ${hit.col}: ${value.toFixed(3)} · tap or click to see how it is computed`;
    }
    if (stage.kind === "units") return `${stage.title}, unit ${hit.cell.unit}: ${stage.data[hit.cell.unit].toFixed(3)}`;
    return `${stage.labels[hit.cell.label]}: ${(stage.data[hit.cell.label] * 100).toFixed(2)}% · tap or click to see what pushed it`;
  }

  hover(event, stage, cells, canvas) {
    const hit = this.locate(event, stage, cells, canvas);
    if (!hit) return this.leave();
    this.showTip(this.describe(stage, hit), event.clientX, event.clientY);
    this.hovered = { stage: stage.id, ...hit };
    this.drawOverlay();
  }

  showTip(text, clientX, clientY) {
    this.tooltip.textContent = text;
    const box = this.root.getBoundingClientRect();
    this.tooltip.style.left = `${Math.max(0, Math.min(clientX - box.left + 14, box.width - 270))}px`;
    this.tooltip.style.top = `${clientY - box.top + 14}px`;
    this.tooltip.style.display = "block";
  }

  leave() {
    this.tooltip.style.display = "none";
    if (this.hovered) {
      this.hovered = null;
      this.drawOverlay();
    }
  }

  click(event, stage, cells, canvas) {
    const hit = this.locate(event, stage, cells, canvas);
    if (!hit) return;
    this.showTip(this.describe(stage, hit), event.clientX, event.clientY); // a tap on a touch screen shows the number too
    if (stage.kind === "bars") {
      this.setStateValue("clicked", { kind: "class", index: hit.cell.label, at: Date.now() });
      return;
    }
    if (stage.kind !== "maps") return;
    this.select(stage.id, hit.cell.channel, hit.row, hit.col, true);
  }

  select(stage, channel, row, col, open) {
    this.setStateValue("clicked", { kind: "cell", block: stage, channel, row, col, open, at: Date.now() });
    if (open) this.bringArithmeticIntoView();
  }

  // The arithmetic a click opens is drawn below the overview, often below the fold: scroll the page to its cell
  // pickers (the Layer picker, keyed "layer") as soon as they are there, and once more when the rerun has ended,
  // in case what was drawn above them moved them.
  bringArithmeticIntoView() {
    const app = document.querySelector("[data-testid='stApp']");
    const until = performance.now() + 10000;
    let scrolled = false;
    let ran = false;
    const look = () => {
      const running = !app || app.getAttribute("data-test-script-state") === "running";
      ran = ran || running;
      const picker = document.querySelector(".st-key-layer");
      if (picker && (!scrolled || (ran && !running))) {
        const box = picker.getBoundingClientRect();
        if (!scrolled || box.top < 0 || box.top > window.innerHeight * 0.5) {
          picker.style.scrollMarginTop = "4rem"; // below Streamlit's header
          picker.scrollIntoView({ block: "start" });
        }
        scrolled = true;
        if (ran && !running) return;
      }
      if (performance.now() < until) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }

  key(event) {
    const selected = this.data && this.data.selected;
    if (!selected) return;
    const stage = this.data.stages.find((s) => s.id === selected.layer);
    if (!stage) return;
    let { channel, row, col } = selected;
    const moves = {
      ArrowLeft: () => (col = Math.max(0, col - 1)),
      ArrowRight: () => (col = Math.min(stage.width - 1, col + 1)),
      ArrowUp: () => (row = Math.max(0, row - 1)),
      ArrowDown: () => (row = Math.min(stage.height - 1, row + 1)),
      PageUp: () => (channel = Math.max(0, channel - 1)),
      PageDown: () => (channel = Math.min(stage.channels - 1, channel + 1)),
    };
    if (moves[event.key]) {
      event.preventDefault();
      event.stopPropagation(); // not a page turn in presenter mode
      moves[event.key]();
      const value = stage.data[channel * stage.height * stage.width + row * stage.width + col];
      this.live.textContent = `${stage.title}, map ${channel}, row ${row}, column ${col}: ${value.toFixed(2)}`;
      // The next key moves on from here, not from the selection of the last rerun, which may still be on its way.
      this.data.selected = { ...selected, channel, row, col };
      this.select(stage.id, channel, row, col, false);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();
      this.select(stage.id, channel, row, col, true);
    }
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
    return {
      x: c.left - r.left + cell.x + col * unit,
      y: c.top - r.top + cell.y + row * unit,
      size: span * unit,
      mapX: c.left - r.left + cell.x,
      mapY: c.top - r.top + cell.y,
      mapSize: cell.size,
    };
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
    this.drawMarks(ctx, this.data.marks || [], this.data.colours.highlight);
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
      if (x1 - x0 < 10) continue;
      ctx.beginPath();
      ctx.moveTo(x0, y - 1.5); ctx.lineTo(x1 - 8, y - 1.5); ctx.lineTo(x1 - 8, y - 6); ctx.lineTo(x1, y);
      ctx.lineTo(x1 - 8, y + 6); ctx.lineTo(x1 - 8, y + 1.5); ctx.lineTo(x0, y + 1.5);
      ctx.closePath();
      ctx.fill();
    }
  }

  drawMarks(ctx, marks, highlight) {
    // The boxes Python chose: the selected cell, the window it was computed from, the cells it became.
    const main = marks.find((m) => m.role === "cell");
    const target = main && this.stageOf(main.stage) ? this.cellBox(this.stageOf(main.stage), main.channel, main.row, main.col) : null;
    for (const mark of marks) {
      const figure = this.stageOf(mark.stage);
      if (!figure) continue;
      const channels = mark.channel < 0 ? [...Array(figure.stage.channels).keys()] : [mark.channel];
      for (const channel of channels) {
        const box = this.cellBox(figure, channel, mark.row, mark.col, mark.size);
        const size = Math.max(box.size, 4);
        if (mark.role === "window") {
          ctx.globalAlpha = 0.45;
          ctx.strokeStyle = highlight;
          ctx.lineWidth = 1;
          if (target) {
            ctx.beginPath();
            ctx.moveTo(box.x + box.size, box.y + box.size / 2);
            ctx.lineTo(target.mapX, target.mapY + target.mapSize / 2);
            ctx.stroke();
          }
          ctx.globalAlpha = 1;
          ctx.lineWidth = 2;
          ctx.strokeRect(box.x, box.y, size, size);
        } else {
          ctx.strokeStyle = highlight;
          ctx.lineWidth = 2.5;
          ctx.strokeRect(box.mapX - 2, box.mapY - 2, box.mapSize + 4, (box.mapSize * figure.stage.height) / figure.stage.width + 4);
          ctx.strokeStyle = "#000";
          ctx.lineWidth = mark.role === "cell" ? 3 : 2;
          ctx.strokeRect(box.x - 1, box.y - 1, size + 2, size + 2);
        }
      }
    }
  }

  savePicture() {
    // Every stage as it is drawn, with its titles and ranges, into one PNG (for slides).
    const scale = 2;
    const r = this.row.getBoundingClientRect();
    const width = this.row.scrollWidth, height = this.row.scrollHeight;
    const out = document.createElement("canvas");
    out.width = width * scale;
    out.height = height * scale;
    const ctx = out.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#111";
    ctx.textBaseline = "top";
    for (const { figure, canvas, stage } of this.figures) {
      const c = canvas.getBoundingClientRect();
      const f = figure.getBoundingClientRect();
      ctx.font = "700 16px sans-serif";
      ctx.fillText(stage.title, f.left - r.left, f.top - r.top);
      ctx.font = "13px sans-serif";
      ctx.fillText(stage.operation, f.left - r.left, f.top - r.top + 19);
      ctx.drawImage(canvas, c.left - r.left, c.top - r.top, c.width, c.height);
      ctx.fillText(figure.querySelector(".range").textContent, f.left - r.left, c.bottom - r.top + 4);
    }
    ctx.drawImage(this.overlay, 0, 0, width, height);
    const link = document.createElement("a");
    link.download = this.data.filename || "cnnviz-overview.png";
    link.href = out.toDataURL("image/png");
    link.click();
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
