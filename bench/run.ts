/**
 * Benchmarks deeptype's backends against peers in one run, so ratios compare like with like:
 *
 *   npm run bench                      every row
 *   npm run bench -- --sizes 256,512   sgemm sizes to run
 *
 * Columns: deeptype wasm on 1 and 2 threads, the js reference backend (small sizes only), the
 * TensorFlow.js cpu and wasm backends, and PyTorch on 1 and 2 threads (bench/torch/bench.py, when
 * `python3 -c "import torch"` works). sgemm rows are GFLOP/s (higher is better), the conv2d row
 * is milliseconds (lower is better). Each number is the median of 5 timed batches after warm-up.
 *
 * To add a row (e.g. MLP or CNN training steps once nn exists), push a Row to `rows` with a
 * function per column; columns without one print "-".
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import type { Backend, View } from "../src/backend/backend.js";
import { JsBackend } from "../src/backend/js/index.js";
import { createWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { Generator } from "../src/tensor/generator.js";

type Bench = () => void;
interface Row {
  id: string;
  unit: "GFLOP/s" | "ms";
  /** Work per call, to turn seconds into the unit (flops for GFLOP/s; ignored for ms). */
  flops: number;
  /** Column name -> a function that prepares operands and returns the timed call (or null to skip). */
  run: Partial<Record<string, () => Bench | null>>;
}

const COLUMNS = ["deeptype wasm 1t", "deeptype wasm 2t", "deeptype js", "tfjs cpu", "tfjs wasm", "torch 1t", "torch 2t"] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sizes = (arg("--sizes") ?? "256,512,1024").split(",").map(Number);

/** Median seconds per call over 5 batches of ~0.3 s, after two warm-up calls. */
function measure(fn: Bench): number {
  fn();
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

// ---- running ---------------------------------------------------------------------------------

const results = new Map<string, Map<string, number>>();
const notes: string[] = [];
function record(row: string, col: string, value: number): void {
  if (!results.has(row)) results.set(row, new Map());
  results.get(row)!.set(col, value);
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
    const fn = make?.();
    if (!fn) continue;
    const s = measure(fn);
    record(row.id, col, row.unit === "ms" ? s * 1e3 : row.flops / s / 1e9);
    process.stderr.write(".");
  }
}

function runTorch(): void {
  const script = fileURLToPath(new URL("./torch/bench.py", import.meta.url));
  const probe = spawnSync("python3", ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) {
    notes.push("torch: `python3 -c \"import torch\"` failed (PyTorch not installed); PyTorch columns skipped");
    return;
  }
  const r = spawnSync("python3", [script, sizes.join(",")], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    notes.push(`torch: bench/torch/bench.py failed: ${r.stderr.trim().split("\n").pop()}`);
    return;
  }
  const out = JSON.parse(r.stdout) as { version: string; results: Record<string, Record<string, number>> };
  notes.push(`torch ${out.version} (bench/torch/bench.py)`);
  for (const [row, cols] of Object.entries(out.results)) for (const [col, value] of Object.entries(cols)) record(row, col, value);
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
  runTorch();
  process.stderr.write("\n");

  const fmt = (x: number | undefined, unit: string) => (x === undefined ? "-" : unit === "ms" ? x.toFixed(1) : x.toFixed(1));
  const header = ["benchmark", "unit", ...COLUMNS, "wasm 2t / torch 2t"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows.map((r) => r.id).concat([...results.keys()].filter((k) => !rows.some((r) => r.id === k)))) {
    const r = results.get(row) ?? new Map<string, number>();
    const unit = rows.find((x) => x.id === row)?.unit ?? "GFLOP/s";
    const ours = r.get("deeptype wasm 2t"), theirs = r.get("torch 2t");
    // A ratio above 1 means deeptype is faster, whatever the unit.
    const ratio = ours && theirs ? (unit === "ms" ? theirs / ours : ours / theirs).toFixed(2) : "-";
    lines.push(`| ${row} | ${unit} | ${COLUMNS.map((c) => fmt(r.get(c), unit)).join(" | ")} | ${ratio} |`);
  }
  console.log(`deeptype bench: node ${process.version}, wasm variant ${wasm?.variant ?? "none"}, load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)} (other processes skew timings)`);
  console.log(lines.join("\n"));
  console.log("ratio column: deeptype wasm 2 threads relative to PyTorch 2 threads (> 1 = deeptype faster)");
  for (const n of notes) console.log(`note: ${n}`);
}

await main();
