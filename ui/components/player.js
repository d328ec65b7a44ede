// Convolution you can watch: the kernel slides over the input (with its stride and padding) and the output
// map fills cell by cell, with the running numbers beside it; the same for pooling windows (max or mean).
// All in the browser: no reruns. Data comes from cnnviz/viz/browser.py (player). With the browser's
// reduced-motion setting, Play shows the filled map at once instead of animating; Step still goes cell by cell.

const MAP_SIDE = 252; // pixels for the input and output maps
const GRID_CELL = 38; // pixels per number in the kernel and product grids

function decode(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function entry(lut, t) {
  return lut[Math.max(0, Math.min(lut.length - 1, Math.round(t * (lut.length - 1))))];
}

function rgb(lut, t) {
  const [r, g, b] = entry(lut, t);
  return `rgb(${r},${g},${b})`;
}

function ink(lut, t) {
  // dark text on light cells, light text on dark ones
  const [r, g, b] = entry(lut, t);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "#111" : "#fff";
}

function fixed(value, digits = 2) {
  // toFixed without "-0.00"
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

function canvasOf(width, height) {
  const canvas = document.createElement("canvas");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.setAttribute("role", "img");
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  return [canvas, ctx];
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

const reducedMotion = () => window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

class Player {
  constructor(parent) {
    parent.querySelectorAll(".cnnviz-player").forEach((old) => old.remove());
    this.root = element("div", "cnnviz-player");
    parent.appendChild(this.root);
    this.mode = "conv";
    this.position = 0;
    this.playing = false;
    this.speed = 8; // cells per second
    this.timer = null;
  }

  update(data) {
    this.stop();
    this.data = data;
    this.root.classList.toggle("large", !!data.large);
    this.inputs = decode(data.inputs);
    this.kernel = decode(data.kernel);
    this.output = decode(data.output);
    this.activated = decode(data.activated);
    this.chain = data.chain.map((step) => ({ ...step, values: decode(step.values) })); // what follows the conv
    this.pooled = data.pool ? decode(data.pool.values) : null;
    if (!data.pool) this.mode = "conv";
    this.inputChannel = data.channel_order[0];
    this.position = this.selectedPosition();
    this.build();
    this.draw();
  }

  cells() {
    const d = this.data;
    return this.mode === "conv" ? d.out_height * d.out_width : d.pool.height * d.pool.width;
  }

  selectedPosition() {
    const d = this.data;
    if (this.mode === "conv") return d.row * d.out_width + d.col;
    const p = d.pool;
    const row = Math.min(p.height - 1, Math.floor(d.row / p.stride));
    const col = Math.min(p.width - 1, Math.floor(d.col / p.stride));
    return row * p.width + col;
  }

  build() {
    const d = this.data;
    this.root.innerHTML = "";
    const controls = element("div", "controls");
    const modes = element("div", "modes");
    modes.setAttribute("role", "group");
    modes.setAttribute("aria-label", "What to watch");
    const pooling = d.pool ? (d.pool.mode === "max" ? "Max-pooling" : "Average pooling") : null;
    for (const [mode, label] of [["conv", "Convolution"], ["pool", pooling || "No pooling here"]]) {
      const button = element("button", mode === this.mode ? "mode on" : "mode", label);
      button.type = "button";
      button.dataset.mode = mode;
      button.setAttribute("aria-pressed", String(mode === this.mode));
      if (mode === "pool" && !d.pool) button.disabled = true;
      button.onclick = () => { this.stop(); this.mode = mode; this.position = this.selectedPosition(); this.build(); this.draw(); };
      modes.appendChild(button);
    }
    this.playButton = element("button", "play", "▶ Play");
    this.playButton.type = "button";
    this.playButton.onclick = () => (this.playing ? this.stop() : this.play());
    const step = element("button", "step", "Step ▸");
    step.type = "button";
    step.onclick = () => { this.stop(); this.advance(); };
    const restart = element("button", "restart", "⟲ Start over");
    restart.type = "button";
    restart.onclick = () => { this.stop(); this.position = 0; this.draw(); };
    const jump = element("button", "jump", "◎ Selected cell");
    jump.type = "button";
    jump.onclick = () => { this.stop(); this.position = this.selectedPosition(); this.draw(); };
    const speedLabel = element("label", "speed");
    speedLabel.append("Speed ");
    const speed = document.createElement("input");
    speed.type = "range"; speed.min = "1"; speed.max = "60"; speed.value = String(this.speed);
    speed.setAttribute("aria-label", "Cells per second");
    speed.oninput = () => { this.speed = Number(speed.value); if (this.playing) { this.stop(); this.play(); } };
    speedLabel.appendChild(speed);
    controls.append(modes, this.playButton, step, restart, jump, speedLabel);
    if (this.mode === "conv" && !d.first) {
      const pick = element("label", "channel");
      pick.append("Input map ");
      const select = document.createElement("select");
      for (const c of d.channel_order) {
        const option = document.createElement("option");
        option.value = String(c);
        option.textContent = `${c} (adds ${d.contribution[c] >= 0 ? "+" : ""}${d.contribution[c].toFixed(2)} here)`;
        select.appendChild(option);
      }
      select.value = String(this.inputChannel);
      select.onchange = () => { this.inputChannel = Number(select.value); this.draw(); };
      pick.appendChild(select);
      controls.appendChild(pick);
    }
    const stage = element("div", "stage");
    [this.inputCanvas, this.inputCtx] = canvasOf(MAP_SIDE, MAP_SIDE);
    [this.outputCanvas, this.outputCtx] = canvasOf(MAP_SIDE, MAP_SIDE);
    this.middle = element("div", "middle");
    const left = element("figure", "map");
    this.inputCaption = element("figcaption");
    left.append(this.inputCaption, this.inputCanvas);
    const right = element("figure", "map");
    this.outputCaption = element("figcaption");
    right.append(this.outputCaption, this.outputCanvas);
    stage.append(left, this.middle, right);
    this.status = element("div", "status");
    this.status.setAttribute("aria-live", "polite");
    this.root.append(controls, stage, this.status);
  }

  play() {
    if (reducedMotion()) { // no sliding window: the whole map, filled
      this.position = this.cells() - 1;
      this.draw();
      return;
    }
    if (this.position >= this.cells() - 1) this.position = 0;
    this.playing = true;
    this.playButton.textContent = "❚❚ Pause";
    this.timer = setInterval(() => {
      if (this.position >= this.cells() - 1) return this.stop();
      this.advance();
    }, 1000 / this.speed);
  }

  stop() {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.playButton) this.playButton.textContent = "▶ Play";
  }

  advance() {
    this.position = Math.min(this.position + 1, this.cells() - 1);
    this.draw();
  }

  draw() {
    if (this.mode === "conv") this.drawConv();
    else this.drawPool();
    this.root.dataset.position = String(this.position);
  }

  // --- convolution ---------------------------------------------------------------------

  convAt(row, col) {
    // The products of every input channel under the kernel at output (row, col), and their sum.
    const d = this.data;
    const k = d.k, pad = d.padding, s = d.stride;
    let sum = 0;
    let channelSum = 0;
    const products = [];
    for (let c = 0; c < d.in_channels; c++) {
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const r = row * s - pad + i, q = col * s - pad + j;
          const x = r >= 0 && r < d.in_height && q >= 0 && q < d.in_width ? this.inputs[(c * d.in_height + r) * d.in_width + q] : 0;
          const w = this.kernel[(c * k + i) * k + j];
          sum += x * w;
          if (c === this.inputChannel) {
            channelSum += x * w;
            products.push([x, w, x * w]);
          }
        }
      }
    }
    return { sum, channelSum, products };
  }

  drawMap(ctx, values, height, width, lut, low, high, pad, shown) {
    // A map with `pad` cells of zero padding around it; cells at or beyond `shown` are left blank.
    const side = MAP_SIDE / (Math.max(height, width) + 2 * pad);
    ctx.clearRect(0, 0, MAP_SIDE, MAP_SIDE);
    if (pad) {
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = "#767676";
      ctx.strokeRect(0.5, 0.5, MAP_SIDE - 1, MAP_SIDE - 1);
      ctx.setLineDash([]);
    }
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const index = r * width + c;
        if (shown !== undefined && index > shown) {
          ctx.fillStyle = "#f3f3f3";
        } else {
          ctx.fillStyle = rgb(lut, (values[index] - low) / (high - low || 1));
        }
        ctx.fillRect((c + pad) * side, (r + pad) * side, side - (side > 6 ? 0.5 : 0), side - (side > 6 ? 0.5 : 0));
      }
    }
    return side;
  }

  outline(ctx, x, y, w, h, colour, width = 3) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.strokeRect(x, y, w, h);
  }

  drawConv() {
    const d = this.data;
    const row = Math.floor(this.position / d.out_width);
    const col = this.position % d.out_width;
    const signedIn = d.input_signed;
    const lutIn = d.first ? d.colours.gray : signedIn ? d.colours.diverging : d.colours.sequential;
    const plane = this.inputs.subarray(this.inputChannel * d.in_height * d.in_width, (this.inputChannel + 1) * d.in_height * d.in_width);
    const low = d.first ? Math.min(...plane) : signedIn ? -d.input_limit : 0;
    const side = this.drawMap(this.inputCtx, plane, d.in_height, d.in_width, lutIn, low, d.input_limit, d.padding);
    this.outline(this.inputCtx, col * d.stride * side, row * d.stride * side, d.k * side, d.k * side, d.colours.highlight);
    const padding = d.padding ? " (dashed: zero padding)" : "";
    const stride = d.stride > 1 ? `; the kernel moves ${d.stride} pixels a step` : "";
    this.inputCaption.textContent = (d.first ? "The input image" : `Input map ${this.inputChannel} (from the layer before)`) + padding + stride;
    const limit = d.output_limit;
    const outSide = this.drawMap(this.outputCtx, this.output, d.out_height, d.out_width, d.colours.diverging, -limit, limit, 0, this.position);
    this.outline(this.outputCtx, col * outSide, row * outSide, outSide, outSide, "#000", 2.5);
    this.outputCaption.textContent = `${d.title}, map ${d.channel}: filled cell by cell`;
    this.inputCanvas.setAttribute("aria-label", `${this.inputCaption.textContent}; the kernel's window at output row ${row}, column ${col}`);
    this.outputCanvas.setAttribute("aria-label", `${this.outputCaption.textContent}; ${this.position + 1} of ${this.cells()} cells filled`);
    const { sum, channelSum, products } = this.convAt(row, col);
    this.drawGrids(products, d);
    const value = sum + d.bias;
    let text = d.in_channels > 1
      ? `Row ${row}, column ${col}: this input map adds ${channelSum.toFixed(3)}; all ${d.in_channels} input maps add up to ${sum.toFixed(3)}; `
      : `Row ${row}, column ${col}: the products add up to ${sum.toFixed(3)}; `;
    text += `plus the bias ${d.bias.toFixed(3)} makes ${value.toFixed(3)}`;
    let x = value;
    for (const step of this.chain) { // batch norm and the activation, as the network computed them at this cell
      const y = step.values[row * d.out_width + col];
      text += step.scale === undefined
        ? `; after ${step.title} ${y.toFixed(3)}`
        : `; batch norm: ${step.scale.toFixed(3)} × ${x.toFixed(3)} + ${step.shift.toFixed(3)} = ${y.toFixed(3)}`;
      x = y;
    }

    text += `. The model's own conv output here: ${this.output[this.position].toFixed(3)}.`;
    this.status.textContent = text;
  }

  drawGrids(products, d) {
    this.middle.innerHTML = "";
    const k = d.k;
    const limitW = Math.max(...products.map((p) => Math.abs(p[1]))) || 1;
    const limitP = Math.max(...products.map((p) => Math.abs(p[2]))) || 1;
    for (const [title, pick, limit] of [["Kernel (weights)", 1, limitW], ["Input × weight", 2, limitP]]) {
      const figure = element("figure", "grid");
      const [canvas, ctx] = canvasOf(k * GRID_CELL, k * GRID_CELL);
      canvas.setAttribute("aria-label", `${title}: ${products.map((p) => fixed(p[pick])).join(", ")}`);
      ctx.font = `${k > 5 ? 10 : 12}px sans-serif`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      products.forEach((p, i) => {
        const x = (i % k) * GRID_CELL, y = Math.floor(i / k) * GRID_CELL;
        const t = (p[pick] + limit) / (2 * limit);
        ctx.fillStyle = rgb(d.colours.diverging, t);
        ctx.fillRect(x, y, GRID_CELL - 1, GRID_CELL - 1);
        ctx.fillStyle = ink(d.colours.diverging, t);
        ctx.fillText(fixed(p[pick]), x + GRID_CELL / 2, y + GRID_CELL / 2);
      });
      figure.append(element("figcaption", "", title), canvas);
      this.middle.appendChild(figure);
    }
  }

  // --- pooling -----------------------------------------------------------------------------

  drawPool() {
    const d = this.data;
    const p = d.pool;
    const row = Math.floor(this.position / p.width);
    const col = this.position % p.width;
    const signed = d.activated_signed;
    const lut = signed ? d.colours.diverging : d.colours.sequential;
    const top = Math.max(...this.activated.map(Math.abs)) || 1;
    const low = signed ? -top : 0;
    const side = this.drawMap(this.inputCtx, this.activated, d.out_height, d.out_width, lut, low, top, 0);
    this.outline(this.inputCtx, col * p.stride * side, row * p.stride * side, p.size * side, p.size * side, d.colours.highlight);
    this.inputCaption.textContent = `${d.title}, map ${d.channel}, as pooling reads it`;
    const outSide = this.drawMap(this.outputCtx, this.pooled, p.height, p.width, lut, low, top, 0, this.position);
    this.outline(this.outputCtx, col * outSide, row * outSide, outSide, outSide, "#000", 2.5);
    this.outputCaption.textContent = `After ${p.title}: filled cell by cell`;
    const values = [];
    for (let i = 0; i < p.size; i++) {
      for (let j = 0; j < p.size; j++) values.push(this.activated[(row * p.stride + i) * d.out_width + col * p.stride + j]);
    }
    const best = values.indexOf(Math.max(...values));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    this.middle.innerHTML = "";
    const figure = element("figure", "grid");
    const cell = GRID_CELL * 1.6;
    const [canvas, ctx] = canvasOf(p.size * cell, p.size * cell);
    canvas.setAttribute("aria-label", `The window: ${values.map((v) => fixed(v)).join(", ")}`);
    ctx.font = "15px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    values.forEach((v, i) => {
      const x = (i % p.size) * cell, y = Math.floor(i / p.size) * cell;
      const t = (v - low) / (top - low);
      ctx.fillStyle = rgb(lut, t);
      ctx.fillRect(x, y, cell - 2, cell - 2);
      ctx.fillStyle = ink(lut, t);
      ctx.fillText(fixed(v), x + cell / 2, y + cell / 2);
      if (p.mode === "max" && i === best) this.outline(ctx, x + 1.5, y + 1.5, cell - 5, cell - 5, d.colours.highlight, 3);
    });
    figure.append(element("figcaption", "", "The window"), canvas);
    this.middle.appendChild(figure);
    const where = `Window at rows ${row * p.stride}-${row * p.stride + p.size - 1}, columns ${col * p.stride}-${col * p.stride + p.size - 1}: `;
    this.status.textContent = p.mode === "max"
      ? where + `max(${values.map((v) => v.toFixed(2)).join(", ")}) = ${Math.max(...values).toFixed(3)}. The other ${values.length - 1} are dropped.`
      : where + `mean(${values.map((v) => v.toFixed(2)).join(", ")}) = ${mean.toFixed(3)}: every value counts a little.`;
  }
}

export default function (component) {
  const { data, parentElement } = component;
  let player = parentElement.__cnnvizPlayer;
  if (!player) {
    player = new Player(parentElement);
    parentElement.__cnnvizPlayer = player;
  }
  player.update(data);
  return () => {
    player.stop();
    delete parentElement.__cnnvizPlayer;
  };
}
