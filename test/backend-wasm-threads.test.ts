/**
 * The wasm backend's thread pool and registration: argument checks, thread-count independence of
 * results, and that scripts using it exit on their own under tsx and from compiled JavaScript.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { getBackend, setBackend } from "../src/backend/index.js";
import { createWasmBackend, getNumThreads, poolStats, registerWasmBackend, setNumThreads } from "../src/backend/wasm/index.js";
import { JsBackend } from "../src/backend/js/index.js";
import { loadKernels } from "../src/backend/wasm/loader.js";
import { Pool } from "../src/backend/wasm/pool.js";
import { Generator } from "../src/tensor/generator.js";
import { assertBitwise, assertClose, randView, zeros } from "./backend-wasm-helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const wasm = createWasmBackend()!;

describe("wasm backend: threads", () => {
  it("setNumThreads rejects what is not a positive integer, naming the function and the fix", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity]) {
      assert.throws(() => setNumThreads(bad), /setNumThreads: expected a positive integer number of threads, got .*use 1/);
    }
    setNumThreads(1);
    assert.equal(getNumThreads(), 1);
    setNumThreads(2);
    assert.equal(getNumThreads(), Math.min(2, availableParallelism()));
  });

  it("gives bitwise identical elementwise, reduction, softmax, pooling, convolution and matmul results on 1 and 2 threads", () => {
    const g = new Generator(21);
    const a = randView(g, [301, 517], "perm"), b = randView(g, [301, 517], "bcast");
    const run = (nt: number): Float32Array[] => {
      setNumThreads(nt);
      const outs: Float32Array[] = [];
      const o1 = zeros(a.shape); wasm.binary("mul", a, b, o1); outs.push(o1.data as Float32Array);
      const o2 = zeros(a.shape); wasm.unary("tanh", a, o2); outs.push(o2.data as Float32Array);
      const o3 = zeros([517]); wasm.reduce("sum", a, [0], o3); outs.push(o3.data as Float32Array);
      const o4 = zeros([301]); wasm.reduce("max", a, [1], o4); outs.push(o4.data as Float32Array);
      const o5 = zeros(a.shape); wasm.softmax(a, 1, true, o5); outs.push(o5.data as Float32Array);
      const x = randView(new Generator(5), [4, 16, 20, 20]);
      const o6 = zeros([4, 16, 10, 10]), i6 = zeros([4, 16, 10, 10], "int32");
      wasm.maxPool2d(x, o6, i6, { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true });
      outs.push(o6.data as Float32Array);
      // Convolutions thread from 32 Mi multiply-adds (PAR_CONV): 8·32·32·9·40² = 118 Mi.
      const xc = randView(new Generator(5), [8, 32, 40, 40]);
      const o7 = zeros([8, 32, 40, 40]);
      const w = randView(new Generator(6), [32, 32, 3, 3]);
      wasm.conv2d(xc, w, null, o7, { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 });
      outs.push(o7.data as Float32Array);
      // A batch of one is cut into bands of rows (forward) and channels (input gradient): 32·32·9·96² = 81 Mi.
      const x1 = randView(new Generator(7), [1, 32, 96, 96]);
      const c = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
      const o8 = zeros([1, 32, 96, 96]);
      wasm.conv2d(x1, w, null, o8, c);
      outs.push(o8.data as Float32Array);
      const o9 = zeros([1, 32, 96, 96]);
      wasm.conv2dBackwardInput(o8, w, o9, c);
      outs.push(o9.data as Float32Array);
      // Matmul from 64 Mi (PAR_FLOPS): 300·512·512 = 75 Mi.
      const ma = randView(new Generator(9), [1, 300, 512], "perm"), mb = randView(new Generator(10), [1, 512, 512]);
      const o11 = zeros([1, 300, 512]);
      wasm.matmul(ma, mb, o11);
      outs.push(o11.data as Float32Array);
      // A large 2×2 pool and its backward (which stay on the calling thread: memory-bound, see index.ts).
      const xb = randView(new Generator(8), [2, 8, 512, 512]);
      const pb = { kernel: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], countIncludePad: true };
      const yb = zeros([2, 8, 256, 256]), ib = zeros([2, 8, 256, 256], "int32");
      wasm.maxPool2d(xb, yb, ib, pb);
      const o10 = zeros([2, 8, 512, 512]);
      wasm.maxPool2dBackward(yb, ib, o10);
      outs.push(o10.data as Float32Array);
      return outs;
    };
    const one = run(1), two = run(2);
    one.forEach((o, i) => assertBitwise(o, two[i], `result ${i}`));
  });

  it("pools odd plane counts and general windows into the same bits on 1 and 2 threads (more shares than threads)", () => {
    // 21 planes cut into 8 shares on 2 threads (index.ts runPool): shares of 3 and 2 planes. The sizes
    // clear the thresholds (PAR_POOL_*), so the 2-thread run offers its jobs to a helper.
    const g = new Generator(31);
    type P = { kernel: [number, number]; stride: [number, number]; padding: [number, number]; dilation: [number, number]; countIncludePad: boolean };
    const cases: Array<[number[], P]> = [
      [[3, 7, 200, 200], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], countIncludePad: true }],
      [[3, 7, 201, 201], { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], countIncludePad: false }],
      [[3, 7, 128, 128], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [2, 2], countIncludePad: true }],
    ];
    for (const [shape, p] of cases) {
      const x = randView(g, shape);
      const oH = Math.floor((shape[2] + 2 * p.padding[0] - p.dilation[0] * (p.kernel[0] - 1) - 1) / p.stride[0]) + 1;
      const oW = Math.floor((shape[3] + 2 * p.padding[1] - p.dilation[1] * (p.kernel[1] - 1) - 1) / p.stride[1]) + 1;
      const oshape = [shape[0], shape[1], oH, oW];
      const gy = randView(g, oshape);
      const run = (nt: number): Float32Array[] => {
        setNumThreads(nt);
        const y = zeros(oshape), idx = zeros(oshape, "int32"), a = zeros(oshape), gx = zeros(shape), ga = zeros(shape);
        (gx.data as Float32Array).fill(NaN);
        (ga.data as Float32Array).fill(NaN);
        wasm.maxPool2d(x, y, idx, p);
        wasm.maxPool2dBackward(gy, idx, gx);
        const outs = [y.data, new Float32Array((idx.data as Int32Array).buffer), gx.data] as Float32Array[];
        if (p.dilation[0] === 1) {
          wasm.avgPool2d(x, a, p);
          wasm.avgPool2dBackward(gy, ga, p);
          outs.push(a.data as Float32Array, ga.data as Float32Array);
        }
        return outs;
      };
      const one = run(1);
      const before = poolStats();
      const two = run(2);
      const after = poolStats();
      assert.ok(after.jobs + after.solo > before.jobs + before.solo, `${JSON.stringify(p)}: the 2-thread run offered work to threads`);
      one.forEach((o, i) => assertBitwise(o, two[i], `${JSON.stringify(p)} result ${i}`));
      const y = zeros(oshape), idx = zeros(oshape, "int32");
      new JsBackend().maxPool2d(x, y, idx, p);
      assertBitwise(two[0], y.data as Float32Array, "2 threads vs the js reference");
    }
  });

  it("pools a few large planes in bands of rows on 2 threads, from just above the thresholds, with the js reference's bits", () => {
    // Window elements (outputs × kH × kW) against PAR_POOL_MAX / PAR_POOL_AVG_BACK (1 Mi) and PAR_POOL_AVG
    // (4 Mi); 3×3 stride-1 pad-1 keeps H×W outputs. One plane (below the shares wanted) is cut into
    // 8 bands of rows on 2 threads (the backward, which cannot band, stays on one); 3 planes into 3
    // bands each (9 units in 8 shares).
    type P = { kernel: [number, number]; stride: [number, number]; padding: [number, number]; dilation: [number, number]; countIncludePad: boolean };
    const p: P = { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], countIncludePad: false };
    const js = new JsBackend();
    const g = new Generator(32);
    const offered = (f: () => void): boolean => {
      const a = poolStats();
      f();
      const b = poolStats();
      return b.jobs + b.solo > a.jobs + a.solo;
    };
    const cases: Array<[string, number[], boolean, boolean]> = [
      // [name, shape, max forward and avg backward threaded (>= 1 Mi), avg forward threaded (>= 4 Mi)]
      ["just below 1 Mi (341·341·9 = 1,046,529)", [1, 1, 341, 341], false, false],
      ["just above 1 Mi (341·342·9 = 1,049,598)", [1, 1, 341, 342], true, false],
      ["just below 4 Mi (682·683·9 = 4,192,254)", [1, 1, 682, 683], true, false],
      ["just above 4 Mi (683·683·9 = 4,198,401)", [1, 1, 683, 683], true, true],
      ["3 planes, 3 bands each", [1, 3, 200, 210], true, false],
    ];
    for (const [name, shape, maxThreads, avgThreads] of cases) {
      // Small integers: ties in most windows.
      const x = randView(g, shape, "contig", -3, 3);
      for (let i = 0; i < (x.data as Float32Array).length; i++) (x.data as Float32Array)[i] = Math.round((x.data as Float32Array)[i]);
      const gy = randView(g, shape);
      const want = { y: zeros(shape), idx: zeros(shape, "int32"), a: zeros(shape), ga: zeros(shape) };
      js.maxPool2d(x, want.y, want.idx, p);
      js.avgPool2d(x, want.a, p);
      js.avgPool2dBackward(gy, want.ga, p);
      for (const nt of [1, 2]) {
        setNumThreads(nt);
        const y = zeros(shape), idx = zeros(shape, "int32"), a = zeros(shape), ga = zeros(shape);
        const threaded = nt === 2 && availableParallelism() >= 2;
        assert.equal(offered(() => wasm.maxPool2d(x, y, idx, p)), threaded && maxThreads, `${name}: max forward offered to threads on ${nt}`);
        assert.equal(offered(() => wasm.avgPool2d(x, a, p)), threaded && avgThreads, `${name}: avg forward offered to threads on ${nt}`);
        // The backward adds overlapping windows into its planes: it splits whole planes only.
        assert.equal(offered(() => wasm.avgPool2dBackward(gy, ga, p)), threaded && maxThreads && shape[1] > 1, `${name}: avg backward offered to threads on ${nt}`);
        assertBitwise(y.data as Float32Array, want.y.data as Float32Array, `${name}: max values, ${nt} thread(s)`);
        assert.deepEqual(idx.data, want.idx.data, `${name}: max positions, ${nt} thread(s)`);
        assertBitwise(a.data as Float32Array, want.a.data as Float32Array, `${name}: avg values, ${nt} thread(s)`);
        // The SIMD backward adds overlapping windows in another order than the reference: float32 rounding.
        assertClose(ga, want.ga, `${name}: avg gradient, ${nt} thread(s)`, 1e-6, 1e-6);
      }
    }
  });

  it("runs every share of a job with more shares than threads exactly once, whoever claims it", () => {
    const k = loadKernels(true)!;
    const pool = new Pool(k, ["unaryTask"]);
    const n = 1 << 16, x = 1 << 20, o = x + 4 * n;
    if (k.memory.buffer.byteLength < o + 4 * n) k.memory.grow(Math.ceil((o + 4 * n - k.memory.buffer.byteLength) / 65536));
    const g = new Generator(24);
    const f32 = new Float32Array(k.memory.buffer);
    for (let i = 0; i < n; i++) f32[x / 4 + i] = g.normal();
    // neg (op 1) of n contiguous floats as `shares` shares on `threads` threads; the output starts as NaN.
    const neg = (shares: number, threads: number): Float32Array => {
      new Float32Array(k.memory.buffer).fill(NaN, o / 4, o / 4 + n);
      pool.run(0, shares, [1, 1, 1, 1, n, x, 0, 0, 0, 1, o, 0, 0], threads);
      return new Float32Array(k.memory.buffer).slice(o / 4, o / 4 + n);
    };
    const want = new Float32Array(n);
    for (let i = 0; i < n; i++) want[i] = -f32[x / 4 + i];
    for (const [shares, threads] of [[1, 1], [37, 2], [256, 2], [5, 1], [3, 2]]) {
      for (let rep = 0; rep < 20; rep++) assertBitwise(neg(shares, threads), want, `${shares} shares on ${threads} threads`);
    }
    assert.throws(() => pool.run(0, 257, [1, 1, 1, 1, n, x, 0, 0, 0, 1, o, 0, 0], 2), /at most 256 shares, got 257/);

    // start() publishes and returns; the calling thread may work before join() takes the shares left
    // (inChunks' overlap copies there). One job at a time; join() with none pending does nothing.
    const args = [1, 1, 1, 1, n, x, 0, 0, 0, 1, o, 0, 0];
    for (const [shares, threads] of [[37, 2], [2, 2], [1, 1]]) {
      new Float32Array(k.memory.buffer).fill(NaN, o / 4, o / 4 + n);
      pool.start(0, shares, args, threads);
      let spin = 0;
      for (let i = 0; i < 1e5; i++) spin += i;
      pool.join();
      assert.ok(spin > 0);
      assertBitwise(new Float32Array(k.memory.buffer).slice(o / 4, o / 4 + n), want, `start/join, ${shares} shares on ${threads} threads`);
    }
    // A backoff (a helper descheduled above, on a busy machine) would run the job inside start().
    (pool as unknown as { soloUntil: Float64Array }).soloUntil.fill(0);
    pool.start(0, 37, args, 2);
    assert.throws(() => pool.start(0, 37, args, 2), /a job was started before the previous one was joined/);
    pool.join();
    pool.join();
    assertBitwise(new Float32Array(k.memory.buffer).slice(o / 4, o / 4 + n), want, "the first job finished");
  });

  it("backs off to the calling thread when helpers cost time, with the same results, and tries threads again", () => {
    // The policy itself, on its own pool: a threaded job of kernel 0 reports (helped shares, own ms, waited ms).
    const k = loadKernels(true)!;
    const pool = new Pool(k, ["unaryTask"]);
    const p = pool as unknown as { judge(id: number, nt: number, helped: number, own: number, waited: number): void; soloUntil: Float64Array; backoffMs: Float64Array };
    p.judge(0, 2, 1, 1, 0.5);
    assert.equal(p.backoffMs[0], 0, "a helper that finished within the caller's own time is a gain");
    p.judge(0, 2, 1, 0.1, 2);
    assert.equal(p.backoffMs[0], 1, "waiting 2 ms for a helper after a 0.1 ms share is a loss: back off 1 ms");
    assert.ok(p.soloUntil[0] > performance.now());
    p.judge(0, 2, 1, 0.1, 2);
    p.judge(0, 2, 1, 0.1, 2);
    assert.equal(p.backoffMs[0], 4, "each repeat doubles the backoff");
    for (let i = 0; i < 20; i++) p.judge(0, 2, 1, 0.1, 2);
    assert.equal(p.backoffMs[0], 256, "up to 256 ms");
    p.judge(0, 2, 1, 1, 0);
    assert.equal(p.backoffMs[0], 0, "a job the helpers helped with ends it");
    p.judge(0, 16, 15, 0.1, 1);
    assert.equal(p.backoffMs[0], 0, "16 shares: 1.1 ms against about 1.6 ms on one thread is still a gain");
    p.judge(0, 16, 15, 0.1, 2);
    assert.equal(p.backoffMs[0], 1, "16 shares: 2.1 ms is a loss");
    p.judge(0, 2, 1, 1, 0);
    for (let i = 0; i < 7; i++) p.judge(0, 2, 0, 0.1, 0);
    assert.equal(p.backoffMs[0], 0, "7 jobs no helper joined are tolerated");
    p.judge(0, 2, 0, 0.1, 0);
    assert.equal(p.backoffMs[0], 1, "the 8th in a row backs off");

    // While backing off, the job runs every share on this thread (no job is published to helpers)
    // and gives the bitwise result of the threaded run and of one thread.
    const n = 1 << 16, x = 1 << 20, o = x + 4 * n;
    if (k.memory.buffer.byteLength < o + 4 * n) k.memory.grow(Math.ceil((o + 4 * n - k.memory.buffer.byteLength) / 65536));
    const f32 = new Float32Array(k.memory.buffer);
    const g = new Generator(23);
    for (let i = 0; i < n; i++) f32[x / 4 + i] = g.normal();
    const tanh = (nt: number): Float32Array => {
      pool.run(0, nt, [17, 1, 1, 4, n / 4, x, 0, 0, n / 4, 1, o, 0, 0]);
      return new Float32Array(k.memory.buffer).slice(o / 4, o / 4 + n);
    };
    const one = tanh(1);
    p.soloUntil[0] = 0;
    const threaded = tanh(2);
    const ctrl = (pool as unknown as { ctrl: Int32Array }).ctrl;
    const gen = Atomics.load(ctrl, 0);
    p.soloUntil[0] = performance.now() + 60_000;
    const solo = tanh(2);
    assert.equal(Atomics.load(ctrl, 0), gen, "no job was published while backing off");
    assertBitwise(one, threaded, "1 thread vs 2");
    assertBitwise(one, solo, "1 thread vs 2 while backing off");
    p.soloUntil[0] = 0;
  });

  it("runs on a plain (unshared) memory, single-threaded, with the same results", () => {
    const plain = createWasmBackend({ sharedMemory: false });
    assert.ok(plain);
    setNumThreads(2);
    const g = new Generator(22);
    const a = randView(g, [3, 65, 130], "perm"), b = randView(g, [3, 130, 17]);
    const x = zeros([3, 65, 17]), y = zeros([3, 65, 17]), z = zeros([3, 65, 17]);
    plain.matmul(a, b, x);
    wasm.matmul(a, b, y);
    new JsBackend().matmul(a, b, z);
    assertBitwise(x.data, y.data, "plain vs shared memory");
    assertClose(x, z, "plain memory vs js", 1e-4, 1e-4);
    const e = zeros([3, 65, 130]), f = zeros([3, 65, 130]);
    plain.unary("sigmoid", a, e);
    wasm.unary("sigmoid", a, f);
    assertBitwise(e.data, f.data, "sigmoid");
  });

  it("runs calls that stay on the calling thread on a plain memory and threaded ones on the shared memory, with the same bits", () => {
    // Copies into a SharedArrayBuffer-backed memory are 3-4x slower in V8, so 1-thread calls (and
    // calls below the threading threshold) use a second, plain-memory instance of the same kernels.
    const b = createWasmBackend()!;
    const memoryKind = () => ((b as unknown as { session: { k: { shared: boolean } } }).session.k.shared ? "shared" : "plain");
    const g = new Generator(24);
    const x = randView(g, [1, 300, 512], "perm"), w = randView(g, [1, 512, 512]); // 75 Mi multiply-adds: threaded on 2 (PAR_FLOPS)
    const small = randView(g, [33, 17]);
    const run = (nt: number) => {
      setNumThreads(nt);
      const y = zeros([1, 300, 512]);
      b.matmul(x, w, y);
      const matmulOn = memoryKind();
      const s = zeros([33, 17]);
      b.unary("tanh", small, s);
      assert.equal(memoryKind(), "plain", `${nt} thread(s): a call below the threading threshold runs on the plain memory`);
      const param = (randView(g, [70000]).data as Float32Array).slice(), grad = (randView(g, [70000]).data as Float32Array).slice();
      b.sgdUpdate(param, grad, null, { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true });
      assert.equal(memoryKind(), "plain", `${nt} thread(s): the optimizer update only moves memory, so it never threads (PAR_MEMORY)`);
      return { matmulOn, y: y.data as Float32Array, s: s.data as Float32Array };
    };
    const one = run(1);
    assert.equal(one.matmulOn, "plain", "1 thread: the matmul ran on the plain memory");
    const two = run(2);
    if (getNumThreads() > 1) assert.equal(two.matmulOn, "shared", "2 threads: the matmul ran on the shared memory");
    assertBitwise(one.y, two.y, "matmul, plain vs shared memory");
    assertBitwise(one.s, two.s, "tanh");
    const ref = zeros([1, 300, 512]);
    new JsBackend().matmul(x, w, ref);
    assertClose(one.y, ref, "plain memory vs js", 1e-4, 1e-4);
  });

  it("registers as \"wasm\" and validates here", () => {
    const before = getBackend();
    assert.equal(registerWasmBackend(), true);
    assert.equal(setBackend("wasm").name, "wasm");
    setBackend(before);
  });
});

/**
 * How long a child process may run before it counts as hung. A hang guard, not a timing assertion:
 * a process that does not exit on its own (a worker left referenced) never exits, so any bound
 * catches it, and a loaded machine (tsc over the wasm glue took over 60 s with five test runs
 * beside it) must not fail a process that would exit.
 */
const HANG_GUARD_MS = 600_000;

/** Runs a script in a fresh node; what it printed, and its exit status (null when the hang guard killed it). */
function node(args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: HANG_GUARD_MS, env: { ...process.env, ...env } });
  const killed = r.signal ? `\n(killed by ${r.signal} after the ${HANG_GUARD_MS / 1000} s hang guard: it did not exit on its own)` : "";
  return { status: r.status, out: `${r.stdout}${r.stderr}${killed}` };
}

// Multiplies 256×256 matrices on 2 threads, prints a checksum, and must then exit by itself.
const script = (modulePath: string) => `
import(${JSON.stringify(modulePath)}).then((m) => {
  m.setNumThreads(2);
  const b = m.createWasmBackend();
  const n = 256, a = new Float32Array(n * n).fill(0.5), out = new Float32Array(n * n);
  const v = (d) => ({ data: d, dtype: "float32", shape: [1, n, n], strides: [0, n, 1], offset: 0 });
  b.matmul(v(a), v(a), v(out));
  console.log("threads", m.getNumThreads(), "variant", b.variant, "value", out[12345]);
});`;

describe("wasm backend: processes", () => {
  const tmp = mkdtempSync(join(tmpdir(), "deeptype-wasm-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("a tsx script using 2 threads exits on its own", () => {
    const r = node(["--import", "tsx", "--input-type=module", "-e", script(join(root, "src/backend/wasm/index.ts"))]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /threads 2 variant (relaxed-simd|simd) value 64/);
  });

  it("the compiled JavaScript (as in dist/) loads its kernels and workers, and exits on its own", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const build = node([tsc, join(root, "src/backend/wasm/index.ts"), "--outDir", tmp, "--rootDir", root, "--module", "nodenext",
      "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "node"]);
    assert.equal(build.status, 0, build.out);
    const r = node(["--input-type=module", "-e", script(join(tmp, "src/backend/wasm/index.js"))]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /threads 2 variant (relaxed-simd|simd) value 64/);
  });

  it("initWasmBackend compiles asynchronously (as a browser's main thread requires) in a fresh process", () => {
    const code = `Promise.all([import(${JSON.stringify(join(root, "src/backend/wasm/index.ts"))}), import(${JSON.stringify(join(root, "src/backend/index.ts"))})])
      .then(async ([w, b]) => { console.log("init=" + (await w.initWasmBackend())); console.log("backend=" + b.setBackend("wasm").name); })`;
    const r = node(["--import", "tsx", "--input-type=module", "-e", code]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /init=true/);
    assert.match(r.out, /backend=wasm/);
  });

  it("DEEPTYPE_NUM_THREADS sets the default, and a bad value is a clear error", () => {
    const code = `import(${JSON.stringify(join(root, "src/backend/wasm/index.ts"))}).then((m) => console.log("n=" + m.getNumThreads()))`;
    const ok = node(["--import", "tsx", "--input-type=module", "-e", code], { DEEPTYPE_NUM_THREADS: "1" });
    assert.match(ok.out, /n=1/);
    assert.doesNotMatch(ok.out, /deeptype:/);
    const bad = node(["--import", "tsx", "--input-type=module", "-e", code], { DEEPTYPE_NUM_THREADS: "zero" });
    assert.notEqual(bad.status, 0);
    assert.match(bad.out, /DEEPTYPE_NUM_THREADS must be a positive integer, got "zero"/);
  });

  it("a thread count above the available cores is capped at them, with a one-line notice", () => {
    const cores = availableParallelism();
    const code = `import(${JSON.stringify(join(root, "src/backend/wasm/index.ts"))}).then((m) => { console.log("n=" + m.getNumThreads()); m.setNumThreads(${cores + 5}); console.log("m=" + m.getNumThreads()); })`;
    const r = node(["--import", "tsx", "--input-type=module", "-e", code], { DEEPTYPE_NUM_THREADS: String(cores + 62) });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`n=${cores}\\b`));
    assert.match(r.out, new RegExp(`m=${cores}\\b`));
    const notices = r.out.split("\n").filter((l) => l.startsWith("deeptype:"));
    assert.equal(notices.length, 1, r.out);
    assert.match(notices[0], new RegExp(`DEEPTYPE_NUM_THREADS asks for ${cores + 62} threads but this machine has ${cores} cores available; using ${cores}`));
  });

  it("without WebAssembly, \"wasm\" falls back to the js kernels with a one-line notice", () => {
    const code = `Promise.all([import(${JSON.stringify(join(root, "src/backend/wasm/index.ts"))}), import(${JSON.stringify(join(root, "src/backend/index.ts"))})])
      .then(([w, b]) => { console.log("validated=" + w.registerWasmBackend()); console.log("backend=" + b.setBackend("wasm").name); })`;
    const r = node(["--noexpose-wasm", "--import", "tsx", "--input-type=module", "-e", code]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /validated=false/);
    assert.match(r.out, /backend=js/);
    assert.match(r.out, /wasm backend is unavailable here \(WebAssembly SIMD is not supported\); it falls back to the js kernels/);
    assert.equal(r.out.match(/falls back/g)?.length, 1, "the notice is printed once");
  });
});
