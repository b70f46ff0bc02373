/**
 * Benchmarks deeptype's backends against peers in one run, so ratios compare like with like:
 *
 *   npm run bench                      every row
 *   npm run bench -- --sizes 256,512   sgemm sizes to run
 *   npm run bench -- --only train      rows whose name contains "train"
 *
 * Columns: deeptype wasm on 1 and 2 threads, the js reference backend (small sizes only), the
 * TensorFlow.js cpu and wasm backends, and PyTorch on 1 and 2 threads (bench/torch/bench.py, run
 * by the first of $DEEPTYPE_PYTHON, python3, /usr/bin/python3 that can `import torch`). sgemm rows are GFLOP/s (higher is better), the conv2d row
 * is milliseconds (lower is better). Each number is a median of timed calls after warm-up (see measure).
 *
 * Training rows time one optimizer step (forward, crossEntropy, backward, SGD or Adam) of the MNIST
 * models in src/models on a batch of 64 random images, in ms; TensorFlow.js runs the same layers
 * (bench/tfjs-models.ts). The inference row is the CNN's forward pass on 256 images (deeptype under
 * noGrad + eval(), tfjs predict, torch no_grad), in images/s. The peak-RSS row trains the CNN for
 * RSS_STEPS steps in a fresh child process per column (bench/rss.ts, bench/torch/bench.py --rss-cnn)
 * and reports the child's peak resident set size in MB.
 *
 * To add a row, push a Row to `rows` with a function per column; columns without one print "-". A
 * function may return a string instead, the reason the column cannot run it: the cell prints "n/a"
 * and the reason is listed under the table; so does a function that throws (e.g. a missing
 * TensorFlow.js kernel).
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import type { Backend, View } from "../src/backend/backend.js";
import { Generator as TensorGenerator, noGrad, randint, randn as trandn, registerBackend, setBackend } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { mnistCnn, mnistMlp } from "../src/models/index.js";
import { tfPredict, tfTrainStep } from "./tfjs-models.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";

type Bench = () => void;
interface Row {
  id: string;
  unit: "GFLOP/s" | "ms" | "images/s" | "MB";
  /** Work per call, to turn seconds into the unit (flops for GFLOP/s, images for images/s; ignored for ms). */
  flops: number;
  /**
   * Column name -> a function that prepares operands and returns the timed call (null: skip,
   * prints "-"; a string: why this column cannot run the row, prints "n/a").
   */
  run: Partial<Record<string, () => Bench | string | null>>;
}

const COLUMNS = ["deeptype wasm 1t", "deeptype wasm 2t", "deeptype js", "tfjs cpu", "tfjs wasm", "torch 1t", "torch 2t"] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sizes = (arg("--sizes") ?? "256,512,1024").split(",").map(Number);

/**
 * Median seconds per call over 5 batches of ~75 ms, after two warm-up calls; calls slower than
 * 0.2 s (the reference kernels, tfjs cpu at 1024) get one warm-up and the median of 3 calls;
 * calls slower than 2 s (the js backend training the CNN) one warm-up and one timed call, and calls
 * slower than 5 s (tfjs cpu training the CNN, ~15 s) that first call alone, to keep the run short.
 */
function measure(fn: Bench): number {
  let t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first > 5000) return first / 1e3;
  if (first > 2000) {
    t0 = performance.now();
    fn();
    return (performance.now() - t0) / 1e3;
  }
  if (first > 200) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      t0 = performance.now();
      fn();
      times.push((performance.now() - t0) / 1e3);
    }
    return times.sort((a, b) => a - b)[1];
  }
  fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    if (performance.now() - t >= 75) break;
    reps *= 2;
  }
  const times: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    times.push((performance.now() - t) / 1e3 / reps);
  }
  times.sort((a, b) => a - b);
  return times[2];
}

const g = new Generator(0);
function randn(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = g.normal();
  return a;
}
function v(data: Float32Array, shape: number[], strides: number[]): View {
  return { data, dtype: "float32", shape, strides, offset: 0 };
}

const wasm = createWasmBackend();
const js = new JsBackend();
const VARIANTS = ["A·B", "A·Bᵀ", "Aᵀ·B"] as const;
type Variant = (typeof VARIANTS)[number];

/** a·b through the backend contract; transposes are strided views, as the front end passes them. */
function sgemmOn(b: Backend, n: number, variant: Variant, threads?: number): Bench {
  const A = randn(n * n), B = randn(n * n), C = new Float32Array(n * n);
  const row = [0, n, 1], col = [0, 1, n];
  const av = v(A, [1, n, n], variant === "Aᵀ·B" ? col : row);
  const bv = v(B, [1, n, n], variant === "A·Bᵀ" ? col : row);
  const cv = v(C, [1, n, n], row);
  return () => {
    if (threads) setNumThreads(threads);
    b.matmul(av, bv, cv);
  };
}

function tfSgemm(n: number, variant: Variant): Bench {
  const a = tf.tensor2d(randn(n * n), [n, n]), b = tf.tensor2d(randn(n * n), [n, n]);
  return () => {
    const c = tf.matMul(a, b, variant === "Aᵀ·B", variant === "A·Bᵀ");
    c.dataSync();
    c.dispose();
  };
}

const conv = { x: [64, 16, 28, 28], o: 32, k: 3, pad: 1 };
function convOn(b: Backend, threads?: number): Bench {
  const [N, C, H, W] = conv.x;
  const x = v(randn(N * C * H * W), conv.x, [C * H * W, H * W, W, 1]);
  const w = v(randn(conv.o * C * 9), [conv.o, C, 3, 3], [C * 9, 9, 3, 1]);
  const y = v(new Float32Array(N * conv.o * H * W), [N, conv.o, H, W], [conv.o * H * W, H * W, W, 1]);
  const p = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
  return () => {
    if (threads) setNumThreads(threads);
    b.conv2d(x, w, null, y, p);
  };
}
function tfConv(): Bench {
  // TensorFlow.js convolves NHWC; the layout is its native one, so this favours it slightly.
  const [N, C, H, W] = conv.x;
  const x = tf.tensor4d(randn(N * C * H * W), [N, H, W, C]);
  const w = tf.tensor4d(randn(conv.o * C * 9), [3, 3, C, conv.o]);
  return () => {
    const y = tf.conv2d(x, w, 1, "same");
    y.dataSync();
    y.dispose();
  };
}

const rows: Row[] = [];
for (const n of sizes) {
  for (const variant of VARIANTS) {
    rows.push({
      id: `sgemm ${n} ${variant}`,
      unit: "GFLOP/s",
      flops: 2 * n ** 3,
      run: {
        "deeptype wasm 1t": () => (wasm ? sgemmOn(wasm, n, variant, 1) : null),
        "deeptype wasm 2t": () => (wasm ? sgemmOn(wasm, n, variant, 2) : null),
        // The reference kernels take seconds beyond 256.
        "deeptype js": () => (n <= 256 ? sgemmOn(js, n, variant) : null),
        "tfjs cpu": () => tfSgemm(n, variant),
        "tfjs wasm": () => tfSgemm(n, variant),
      },
    });
  }
}
rows.push({
  id: "conv2d [64,16,28,28] 32×3×3 pad 1",
  unit: "ms",
  flops: 0,
  run: {
    "deeptype wasm 1t": () => (wasm ? convOn(wasm, 1) : null),
    "deeptype wasm 2t": () => (wasm ? convOn(wasm, 2) : null),
    "tfjs cpu": () => tfConv(),
    "tfjs wasm": () => tfConv(),
  },
});

/** One training step (SGD lr 0.01 or Adam lr 1e-3) of `model` on a fixed random batch, run on the named backend. */
function trainStep(name: "mlp" | "cnn", optimizer: "SGD" | "Adam", backendName: "wasm" | "js", threads?: number): Bench {
  setBackend(backendName);
  const gen = new TensorGenerator(0);
  const model = name === "mlp" ? mnistMlp(gen) : mnistCnn(gen);
  const opt = optimizer === "SGD" ? new optim.SGD(model.parameters(), { lr: 0.01 }) : new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = trandn([64, 1, 28, 28], { generator: gen });
  const y = randint(0, 10, [64], { generator: gen });
  return () => {
    setBackend(backendName);
    if (threads) setNumThreads(threads);
    opt.zeroGrad();
    nn.functional.crossEntropy(model.forward(x), y).backward();
    opt.step();
  };
}
if (wasm) registerBackend("wasm", () => wasm);
for (const [model, optimizer] of [["mlp", "SGD"], ["mlp", "Adam"], ["cnn", "Adam"]] as const) {
  // tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so it cannot train the CNN: the
  // row calls it anyway and reports the error it throws rather than assuming it.
  const tfjs = () => tfTrainStep(model, optimizer === "SGD" ? "sgd" : "adam");
  rows.push({
    id: `train step ${model} batch 64 ${optimizer}`,
    unit: "ms",
    flops: 0,
    run: {
      "deeptype wasm 1t": () => (wasm ? trainStep(model, optimizer, "wasm", 1) : null),
      "deeptype wasm 2t": () => (wasm ? trainStep(model, optimizer, "wasm", 2) : null),
      "deeptype js": () => trainStep(model, optimizer, "js"),
      "tfjs cpu": tfjs,
      "tfjs wasm": tfjs,
    },
  });
}

/** The CNN's forward pass on 256 random images in evaluation mode, without a graph. */
function inferCnn(threads: number): Bench {
  setBackend("wasm");
  const gen = new TensorGenerator(0);
  const model = mnistCnn(gen).eval();
  const x = trandn([256, 1, 28, 28], { generator: gen });
  return () => {
    setBackend("wasm");
    setNumThreads(threads);
    noGrad(() => model.forward(x));
  };
}
rows.push({
  id: "infer cnn batch 256",
  unit: "images/s",
  flops: 256,
  run: {
    "deeptype wasm 1t": () => (wasm ? inferCnn(1) : null),
    "deeptype wasm 2t": () => (wasm ? inferCnn(2) : null),
    "deeptype js": () => "the reference kernels take ~4 s per batch of 256; skipped to keep the run short",
    "tfjs cpu": () => tfPredict(256),
    "tfjs wasm": () => tfPredict(256),
  },
});

/** Steps of the peak-RSS row: enough for every allocator to reach its steady state. */
const RSS_STEPS = 200;
const RSS_ROW = `peak RSS cnn train ${RSS_STEPS} steps batch 64 Adam`;

// `--only train` keeps the rows whose name contains "train".
const only = arg("--only");
if (only) rows.splice(0, rows.length, ...rows.filter((r) => r.id.includes(only)));

// ---- running ---------------------------------------------------------------------------------

const results = new Map<string, Map<string, number>>();
/** Row -> column -> why the column cannot run the row (printed as "n/a"). */
const notApplicable = new Map<string, Map<string, string>>();
const notes: string[] = [];
function record(row: string, col: string, value: number): void {
  if (!results.has(row)) results.set(row, new Map());
  results.get(row)!.set(col, value);
}
function recordNA(row: string, col: string, reason: string): void {
  if (!notApplicable.has(row)) notApplicable.set(row, new Map());
  notApplicable.get(row)!.set(col, reason);
}

async function tfBackend(name: "cpu" | "wasm"): Promise<boolean> {
  try {
    if (name === "wasm") {
      // Loads the .wasm files from node_modules: no network needed.
      tfWasm.setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
    }
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (name === "wasm") {
      notes.push(`tfjs wasm: SIMD ${tf.env().getBool("WASM_HAS_SIMD_SUPPORT")}, threads ${tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT")} (tfjs-backend-wasm has no worker threads in Node)`);
    }
    return ok;
  } catch (e) {
    notes.push(`tfjs ${name}: could not load (${(e as Error).message}); skipped`);
    return false;
  }
}

function runColumn(col: string): void {
  for (const row of rows) {
    const make = row.run[col];
    let fn: Bench | string | null | undefined;
    let s: number;
    try {
      fn = make?.();
      if (!fn) continue;
      if (typeof fn === "string") {
        recordNA(row.id, col, fn);
        continue;
      }
      s = measure(fn);
    } catch (e) {
      recordNA(row.id, col, `threw "${(e as Error).message}"`);
      continue;
    }
    record(row.id, col, row.unit === "ms" ? s * 1e3 : row.unit === "images/s" ? row.flops / s : row.flops / s / 1e9);
    process.stderr.write(".");
  }
}

function runTorch(python: string | undefined): void {
  const script = fileURLToPath(new URL("./torch/bench.py", import.meta.url));
  if (!python) return;
  const r = spawnSync(python, [script, sizes.join(",")], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    notes.push(`torch: bench/torch/bench.py failed: ${r.stderr.trim().split("\n").pop()}`);
    return;
  }
  const out = JSON.parse(r.stdout) as { version: string; blas: string; results: Record<string, Record<string, number>> };
  notes.push(`torch ${out.version}, BLAS_INFO=${out.blas} (${python} bench/torch/bench.py; "generic" means the system libblas.so.3, reference BLAS unless OpenBLAS is installed)`);
  for (const [row, cols] of Object.entries(out.results)) {
    if (only && !row.includes(only)) continue;
    for (const [col, value] of Object.entries(cols)) record(row, col, value);
  }
}

/** The peak-RSS row: one fresh child process per column, each training the CNN RSS_STEPS steps. */
function runRss(python: string | undefined): void {
  if (only && !RSS_ROW.includes(only)) return;
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const child = (col: string, cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    try {
      const out = JSON.parse(line) as { peakRssMB?: number; msPerStep?: number; error?: string };
      if (out.peakRssMB !== undefined) record(RSS_ROW, col, out.peakRssMB);
      else recordNA(RSS_ROW, col, `threw "${out.error}"`);
    } catch {
      recordNA(RSS_ROW, col, `child failed: ${r.stderr.trim().split("\n").pop()}`);
    }
    process.stderr.write(".");
  };
  const tsx = ["--import", "tsx", here("./rss.ts")];
  if (wasm) {
    child("deeptype wasm 1t", process.execPath, [...tsx, "deeptype", "1", String(RSS_STEPS)]);
    child("deeptype wasm 2t", process.execPath, [...tsx, "deeptype", "2", String(RSS_STEPS)]);
  }
  recordNA(RSS_ROW, "deeptype js", `a CNN step takes ~3 s on the reference kernels (${RSS_STEPS} steps: ~10 min)`);
  const tfCpuStep = results.get("train step cnn batch 64 Adam")?.get("tfjs cpu");
  recordNA(RSS_ROW, "tfjs cpu", `a CNN step takes ${tfCpuStep ? `${(tfCpuStep / 1e3).toFixed(0)} s` : "~14 s"} (${RSS_STEPS} steps: ~${Math.round(((tfCpuStep ?? 14e3) * RSS_STEPS) / 6e4)} min)`);
  // Runs the child anyway: the cell reports what tfjs-backend-wasm throws.
  child("tfjs wasm", process.execPath, [...tsx, "tfjs-wasm", "1", String(RSS_STEPS)]);
  if (python) {
    for (const t of [1, 2]) child(`torch ${t}t`, python, [here("./torch/bench.py"), "--rss-cnn", String(t), String(RSS_STEPS)]);
  }
}

function findPython(): string | undefined {
  // `python3` may be a pyenv or venv interpreter without Debian's python3-torch, which only the
  // system interpreter sees; DEEPTYPE_PYTHON picks another one.
  const candidates = [process.env.DEEPTYPE_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  const python = candidates.find((p) => spawnSync(p, ["-c", "import torch"], { encoding: "utf8" }).status === 0);
  if (!python) notes.push(`torch: \`import torch\` failed with ${candidates.join(", ")} (PyTorch not installed); PyTorch columns skipped`);
  return python;
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  if (wasm) {
    runColumn("deeptype wasm 1t");
    runColumn("deeptype wasm 2t");
    runColumn("deeptype js");
  } else notes.push("deeptype wasm: WebAssembly SIMD unavailable; skipped");
  if (await tfBackend("cpu")) runColumn("tfjs cpu");
  if (await tfBackend("wasm")) runColumn("tfjs wasm");
  const python = findPython();
  runTorch(python);
  runRss(python);
  process.stderr.write("\n");

  const fmt = (x: number | undefined, unit: string) => (x === undefined ? "-" : unit === "images/s" || unit === "MB" ? x.toFixed(0) : x.toFixed(1));
  const naNotes: string[] = [];
  const header = ["benchmark", "unit", ...COLUMNS, "wasm 2t / torch 2t"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  const extra = new Set([...results.keys(), ...notApplicable.keys()].filter((k) => !rows.some((r) => r.id === k)));
  for (const row of rows.map((r) => r.id).concat([...extra])) {
    const r = results.get(row) ?? new Map<string, number>();
    const na = notApplicable.get(row) ?? new Map<string, string>();
    const unit = row === RSS_ROW ? "MB" : (rows.find((x) => x.id === row)?.unit ?? "GFLOP/s");
    const ours = r.get("deeptype wasm 2t"), theirs = r.get("torch 2t");
    // A ratio above 1 means deeptype is better (faster, or smaller), whatever the unit.
    const ratio = ours && theirs ? (unit === "ms" || unit === "MB" ? theirs / ours : ours / theirs).toFixed(2) : "-";
    const cell = (c: string) => {
      const reason = na.get(c);
      if (reason === undefined) return fmt(r.get(c), unit);
      naNotes.push(`n/a: ${row}, ${c}: ${reason}`);
      return "n/a";
    };
    lines.push(`| ${row} | ${unit} | ${COLUMNS.map(cell).join(" | ")} | ${ratio} |`);
  }
  console.log(`deeptype bench: node ${process.version}, wasm variant ${wasm?.variant ?? "none"}, load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)} (other processes skew timings)`);
  console.log(lines.join("\n"));
  console.log("ratio column: deeptype wasm 2 threads relative to PyTorch 2 threads (> 1 = deeptype faster, or smaller for MB)");
  for (const n of naNotes) console.log(n);
  for (const n of notes) console.log(`note: ${n}`);
}

await main();
