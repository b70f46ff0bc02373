/**
 * Steady memory over a long training loop, with no dispose/tidy anywhere:
 *
 *   node --import tsx bench/memory.ts                       20,000 steps on the wasm backend
 *   node --import tsx bench/memory.ts --steps 4000 --backend js
 *
 * Trains a small MLP (64-128-64-10, ReLU, Adam) on batches of 16 random vectors, building a fresh
 * graph every step, and prints the process's RSS, the V8 heap in use and the typed-array bytes
 * every 2,000 steps. Tensor storage is garbage-collected typed arrays and the wasm arena is reused
 * call after call, so every figure should stop growing after the first report.
 */
import { Generator, randint, randn, setBackend } from "../src/core.js";
import * as nn from "../src/nn/index.js";
import * as optim from "../src/optim/index.js";
import { useWasm } from "./wasm-backend.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const steps = Number(arg("--steps") ?? 20000);
const every = Number(arg("--every") ?? 2000);
const backendName = (arg("--backend") ?? "wasm") as "wasm" | "js";

if (backendName === "wasm") useWasm("bench/memory (--backend js runs without it)");
else setBackend(backendName);

const gen = new Generator(0);
const model = new nn.Sequential(
  new nn.Linear(64, 128, { generator: gen }),
  new nn.ReLU(),
  new nn.Linear(128, 64, { generator: gen }),
  new nn.ReLU(),
  new nn.Linear(64, 10, { generator: gen }),
);
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });

const mb = (b: number) => (b / 2 ** 20).toFixed(1);
console.log(`memory: ${steps} steps, MLP 64-128-64-10, batch 16, Adam, backend ${backendName}, node ${process.version}`);
console.log("step | rss MB | heapUsed MB | arrayBuffers MB | loss");
const t0 = performance.now();
let loss = 0;
for (let step = 1; step <= steps; step++) {
  // New inputs every step, as a data loader would give them.
  const x = randn([16, 64], { generator: gen });
  const y = randint(0, 10, [16], { generator: gen });
  opt.zeroGrad();
  const l = nn.functional.crossEntropy(model.forward(x), y);
  l.backward();
  opt.step();
  if (step % every === 0 || step === 1) {
    loss = l.item();
    const m = process.memoryUsage();
    console.log(`${step} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${mb(m.arrayBuffers)} | ${loss.toFixed(3)}`);
  }
}
const s = (performance.now() - t0) / 1e3;
console.log(`${steps} steps in ${s.toFixed(1)} s (${((s / steps) * 1e3).toFixed(2)} ms/step); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
