/**
 * What the peak RSS of CNN training (the peak-RSS row of bench/run.ts) is made of:
 *
 *   node --import tsx bench/rss-parts.ts [threads=1] [steps=200]
 *
 * Prints, after loading Node + tsx, importing deeptype, building the model and at some steps: VmRSS
 * and its peak VmHWM (with the anonymous and file-backed parts) from /proc/self/status, the V8 heap,
 * external and typed-array bytes, the sizes of the wasm backend's two memories (shared and plain),
 * the page faults per step and what the gradient pool (src/tensor/recycle.ts) recycled. Linux only.
 */
import { readFileSync } from "node:fs";
import { Generator, setBackend } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { recycleStats } from "../src/tensor/recycle.js";
import { deeptypeTrainStep } from "./train-step.js";

const threads = Number(process.argv[2] ?? 1), steps = Number(process.argv[3] ?? 200);
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
function status(): string {
  const s = readFileSync("/proc/self/status", "utf8");
  const kb = (k: string) => (Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN) / 1024).toFixed(1);
  return `VmRSS ${kb("VmRSS")} (anon ${kb("RssAnon")}, file ${kb("RssFile")}) peak ${kb("VmHWM")}`;
}
// The backend's instances are private (src/backend/wasm/session.ts): read their memories' sizes for this report only.
type Inst = { k: { memory: { buffer: ArrayBuffer } } } | null | undefined;
const be = (setBackend("wasm") as unknown as { session: { main?: Inst; plain?: Inst } }).session;
const memSize = (i: Inst) => (i ? mb(i.k.memory.buffer.byteLength) : "-");
let faults = process.resourceUsage().minorPageFault;
function show(label: string, perStep = 1): void {
  const m = process.memoryUsage();
  const f = process.resourceUsage().minorPageFault;
  console.log(
    `${label} | ${status()} | heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} | ` +
      `wasm shared ${memSize(be.main)} plain ${memSize(be.plain === be.main ? null : be.plain)} | faults/step ${((f - faults) / perStep).toFixed(0)} | recycled ${recycleStats().recycled}`,
  );
  faults = f;
}
console.log(`rss-parts: MNIST CNN, batch 64, Adam, ${threads} thread(s), ${steps} steps, node ${process.version}; sizes in MB`);
show("node + tsx + deeptype imported");
setNumThreads(threads);
const step = deeptypeTrainStep("cnn", "Adam", new Generator(0));
show("model, Adam and batch built");
let last = 0;
for (let i = 1; i <= steps; i++) {
  step();
  if (i === 1 || i === 5 || i % 50 === 0) {
    show(`step ${i}`, i - last);
    last = i;
  }
}
