/**
 * The WebAssembly FMA ceiling of this machine, for the sgemm row of bench/run.ts: a register-only loop
 * of 12 independent f32x4.relaxed_madd chains (no loads or stores, enough chains to cover the FMA
 * latency on two pipes), compiled from AssemblyScript at bench time. No kernel can do more float32
 * arithmetic per second in wasm here, so it is the yardstick for "GEMM near the SIMD ceiling".
 *
 *   const peak = await fmaCeiling();   peak.run(threads, iters) -> seconds; flops per iter: peak.flopsPerIter
 *
 * Two threads run the same loop on the calling thread and one worker at once (the wall time of both).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";

const CHAINS = 12;
const SOURCE = `
export function fmaLoop(iters: i32): f32 {
  const a = f32x4.splat(0.9999), b = f32x4.splat(0.5);
  ${Array.from({ length: CHAINS }, (_, i) => `let c${i} = f32x4.splat(${i}.0);`).join(" ")}
  for (let i = 0; i < iters; i++) {
    ${Array.from({ length: CHAINS }, (_, i) => `c${i} = f32x4.relaxed_madd(c${i}, a, b);`).join(" ")}
  }
  let s = c0;
  ${Array.from({ length: CHAINS - 1 }, (_, i) => `s = f32x4.add(s, c${i + 1});`).join(" ")}
  return f32x4.extract_lane(s, 0);
}
`;

const WORKER = `
const { workerData } = require("node:worker_threads");
const inst = new WebAssembly.Instance(workerData.module, {});
const ctrl = new Int32Array(workerData.ctrl);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  if (ctrl[3]) break;
  inst.exports.fmaLoop(ctrl[2]);
  Atomics.add(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
`;

export interface FmaCeiling {
  /** Flops one loop iteration does on one thread. */
  readonly flopsPerIter: number;
  /** Seconds for `iters` iterations on each of `threads` threads (1 or 2), run at once. */
  run(threads: number, iters: number): number;
  close(): void;
}

/** The loop compiled by AssemblyScript (imported here only: this runs in the child process below). */
async function compile(): Promise<Uint8Array> {
  const asc = (await import("assemblyscript/asc")).default;
  let binary: Uint8Array | null = null;
  const errors: string[] = [];
  const { error } = await asc.main(["fma.ts", "--outFile", "fma.wasm", "-O3", "--runtime", "stub", "--enable", "simd,relaxed-simd"], {
    readFile: (name: string) => (name === "fma.ts" ? SOURCE : null),
    writeFile: (name: string, contents: Uint8Array) => {
      if (name.endsWith(".wasm")) binary = contents;
    },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (s: string) => errors.push(String(s)) },
  } as never);
  if (error || !binary) throw new Error(`fma ceiling: asc failed: ${errors.join("")}${error ?? ""}`);
  return binary;
}

const here = fileURLToPath(import.meta.url);
// Child mode (`node --import tsx bench/fma-ceiling.ts --emit-wasm`): the module's bytes, base64, on stdout.
if (process.argv[1] === here && process.argv[2] === "--emit-wasm") process.stdout.write(Buffer.from(await compile()).toString("base64"));

export async function fmaCeiling(): Promise<FmaCeiling> {
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  // Compiled in a child process: the AssemblyScript compiler (binaryen) would stay in this process's
  // JavaScript heap (~46 MB, four times deeptype's own), and every major garbage collection of the
  // workloads timed in this process would mark it (docs/performance-history.md, "Session 7: why the full bench disagreed").
  const child = spawnSync(process.execPath, ["--import", "tsx", here, "--emit-wasm"], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`fma ceiling: compiling the loop in a child process failed: ${child.stderr.trim().split("\n").pop()}`);
  const binary = Buffer.from(child.stdout, "base64");
  // Compiled by the optimizing tier up front: a long call that starts in V8's baseline tier stays there.
  setFlagsFromString("--no-liftoff");
  const module = new WebAssembly.Module(binary);
  setFlagsFromString("--liftoff");
  const loop = (new WebAssembly.Instance(module, {}).exports as { fmaLoop(n: number): number }).fmaLoop;
  const ctrl = new Int32Array(new SharedArrayBuffer(16));
  let worker: Worker | null = null;
  return {
    flopsPerIter: CHAINS * 4 * 2,
    run(threads, iters) {
      if (threads > 1 && !worker) {
        worker = new Worker(WORKER, { eval: true, workerData: { module, ctrl: ctrl.buffer } });
        worker.unref();
      }
      const t0 = performance.now();
      if (threads > 1) {
        const done = Atomics.load(ctrl, 1);
        Atomics.store(ctrl, 2, iters);
        Atomics.add(ctrl, 0, 1);
        Atomics.notify(ctrl, 0);
        loop(iters);
        while (Atomics.load(ctrl, 1) === done) Atomics.wait(ctrl, 1, done, 100);
      } else loop(iters);
      return (performance.now() - t0) / 1e3;
    },
    close() {
      if (!worker) return;
      Atomics.store(ctrl, 3, 1);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
    },
  };
}
