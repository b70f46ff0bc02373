/**
 * What max-pool backward's output costs apart from the kernel: the call into a fresh 3.2 MB output
 * (as the op runs it) and into a reused one, the same allocation made but the call into the reused
 * output, the kernel alone (operands already in the arena),
 * allocating that output alone, allocating and filling it, filling or copying into a reused one, and
 * the floor of writing 3.2 MB once in wasm (a v128 store loop and memory.fill, in a module of a few
 * instructions assembled below):
 *
 *   node --import tsx bench/fresh-output.ts
 *
 * 1 thread, process CPU time per call (user + system: page faults count), 5 rounds of 300 calls.
 */
import { loadavg } from "node:os";
import { Generator, Tensor, backend, maxPool2dWithIndices, noGrad, randn } from "../src/core.js";
import { setNumThreads } from "../src/backend/wasm/index.js";
import { T } from "../src/backend/wasm/codes.js";
import { useWasm } from "./wasm-backend.js";

/**
 * The write floor, as a module of two functions over a 4 MiB memory, in the binary format:
 *   (func $stores (param $p i32) (param $end i32)   ;; four v128.store of zeros per 64 bytes
 *     (loop (v128.store offset=0|16|32|48 (local.get $p) (v128.const 0)) ...
 *       (local.set $p (i32.add (local.get $p) (i32.const 64))) (br_if 0 (i32.lt_u (local.get $p) (local.get $end)))))
 *   (func $fill (param $p i32) (param $n i32) (memory.fill (local.get $p) (i32.const 0) (local.get $n)))
 */
function writeFloor(): { stores(p: number, end: number): void; fill(p: number, n: number): void } {
  const leb = (n: number): number[] => (n < 128 ? [n] : [(n & 127) | 128, n >> 7]);
  const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const store = (offset: number): number[] => [0x20, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x0b, 4, offset];
  const stores = [0, 0x03, 0x40, ...[0, 16, 32, 48].flatMap(store),
    0x20, 0, 0x41, 0xc0, 0, 0x6a, 0x21, 0, 0x20, 0, 0x20, 1, 0x49, 0x0d, 0, 0x0b, 0x0b];
  const fill = [0, 0x20, 0, 0x41, 0, 0x20, 1, 0xfc, 0x0b, 0, 0x0b];
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 0]), ...section(3, [2, 0, 0]), ...section(5, [1, 0, 64]),
    ...section(7, [2, ...name("stores"), 0, 0, ...name("fill"), 0, 1]),
    ...section(10, [2, ...leb(stores.length), ...stores, ...leb(fill.length), ...fill])];
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))).exports as never;
}

const w = useWasm("bench/fresh-output");
setNumThreads(1);
const gen = new Generator(0);
const x = randn([64, 16, 28, 28], { generator: gen });
const { values, indices: positions } = noGrad(() => maxPool2dWithIndices(x, 2));
const indices = positions.to("int32");
const gy = randn(values.shape, { generator: gen });
const reused = Tensor.empty(x.shape);
const f32 = (t: Tensor): Float32Array => t.storage.data as Float32Array;
const BYTES = x.numel() * 4;
const floor = writeFloor();
// The kernel alone: gy and the indices staged before its rounds (other calls reuse the arena),
// routed arena to arena as one call over the batch.
const s = w.sessionForBench();
const [N, C, H, W] = x.shape;
let kernelArgs: number[] = [];
const stage = (): void => {
  s.begin(0, Infinity);
  kernelArgs = [N * C, H, W, H / 2, W / 2, s.stageDense(gy.view_()), s.stageDense(indices.view_()), s.arena.alloc(BYTES)];
};
const cases: Record<string, () => void> = {
  "backward, fresh output": () => backend().maxPool2dBackward(gy.view_(), indices.view_(), Tensor.empty(x.shape).view_()),
  "backward, reused output": () => backend().maxPool2dBackward(gy.view_(), indices.view_(), reused.view_()),
  // The fresh output's allocation without writing into it: is the cost the destination or the allocation?
  "Tensor.empty, then backward into reused": () => {
    void Tensor.empty(x.shape);
    backend().maxPool2dBackward(gy.view_(), indices.view_(), reused.view_());
  },
  "kernel alone": () => s.run(T.maxPoolBackwardTask, 1, kernelArgs),
  "Tensor.empty": () => void Tensor.empty(x.shape),
  "Tensor.empty + fill": () => void f32(Tensor.empty(x.shape)).fill(1),
  "fill reused": () => void f32(reused).fill(1),
  "copy into reused": () => f32(reused).set(f32(x)),
  "wasm v128 stores": () => floor.stores(0, BYTES),
  "wasm memory.fill": () => floor.fill(0, BYTES),
};
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
for (let r = 0; r < 5; r++) {
  const row: string[] = [];
  for (const [name, f] of Object.entries(cases)) {
    if (name === "kernel alone") stage();
    for (let i = 0; i < 20; i++) f();
    const c = process.cpuUsage(), calls = 300;
    for (let i = 0; i < calls; i++) f();
    const u = process.cpuUsage(c);
    row.push(`${name} ${(u.user / 1e3 / calls).toFixed(3)} + ${(u.system / 1e3 / calls).toFixed(3)}`);
  }
  console.log(`ms per call (user + system): ${row.join(" | ")}`);
}
process.exit(0);
