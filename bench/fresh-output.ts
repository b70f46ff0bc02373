/**
 * What max-pool backward's output costs apart from the kernel: the call into a fresh 3.2 MB output
 * (as the op runs it) and into a reused one, allocating that output alone, allocating and filling it,
 * and filling or copying into a reused one (the floor of writing 3.2 MB here):
 *
 *   node --import tsx bench/fresh-output.ts
 *
 * 1 thread, process CPU time per call (user + system: page faults count), 5 rounds of 300 calls.
 */
import { Generator, Tensor, backend, maxPool2dWithIndices, noGrad, randn } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { useWasm } from "./wasm-backend.js";

useWasm("bench/fresh-output");
setNumThreads(1);
const gen = new Generator(0);
const x = randn([64, 16, 28, 28], { generator: gen });
const { values, indices: positions } = noGrad(() => maxPool2dWithIndices(x, 2));
const indices = positions.to("int32");
const gy = randn(values.shape, { generator: gen });
const reused = Tensor.empty(x.shape);
const f32 = (t: Tensor): Float32Array => t.storage.data as Float32Array;
const cases: Record<string, () => void> = {
  "backward, fresh output": () => backend().maxPool2dBackward(gy.view_(), indices.view_(), Tensor.empty(x.shape).view_()),
  "backward, reused output": () => backend().maxPool2dBackward(gy.view_(), indices.view_(), reused.view_()),
  "Tensor.empty": () => void Tensor.empty(x.shape),
  "Tensor.empty + fill": () => void f32(Tensor.empty(x.shape)).fill(1),
  "fill reused": () => void f32(reused).fill(1),
  "copy into reused": () => f32(reused).set(f32(x)),
};
for (let r = 0; r < 5; r++) {
  const row: string[] = [];
  for (const [name, f] of Object.entries(cases)) {
    for (let i = 0; i < 20; i++) f();
    const c = process.cpuUsage(), N = 300;
    for (let i = 0; i < N; i++) f();
    const u = process.cpuUsage(c);
    row.push(`${name} ${(u.user / 1e3 / N).toFixed(3)} + ${(u.system / 1e3 / N).toFixed(3)}`);
  }
  console.log(`ms per call (user + system): ${row.join(" | ")}`);
}
process.exit(0);
