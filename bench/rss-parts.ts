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
import { Generator } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { recycleStats } from "../src/tensor/recycle.js";
import { procStatusMB } from "./proc.js";
import { deeptypeTrainStep } from "./train-step.js";
import { useWasm } from "./wasm-backend.js";

const threads = Number(process.argv[2] ?? 1), steps = Number(process.argv[3] ?? 200);
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
function status(): string {
  const s = procStatusMB(["VmRSS", "RssAnon", "RssFile", "VmHWM"]);
  if (!s) throw new Error("bench/rss-parts: reads /proc/self/status, which only Linux has");
  return `VmRSS ${s.VmRSS.toFixed(1)} (anon ${s.RssAnon.toFixed(1)}, file ${s.RssFile.toFixed(1)}) peak ${s.VmHWM.toFixed(1)}`;
}
const wasm = useWasm("bench/rss-parts");
let faults = process.resourceUsage().minorPageFault;
function show(label: string, perStep = 1): void {
  const m = process.memoryUsage();
  const f = process.resourceUsage().minorPageFault;
  console.log(
    `${label} | ${status()} | heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} | ` +
      `wasm shared ${mb(wasm.memoryBytes().main)} plain ${wasm.memoryBytes().plain ? mb(wasm.memoryBytes().plain) : "-"} | faults/step ${((f - faults) / perStep).toFixed(0)} | recycled ${recycleStats().recycled}`,
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
