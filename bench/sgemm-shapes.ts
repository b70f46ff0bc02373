/**
 * The GEMM kernel alone, shape by shape, two checkouts interleaved in one process (process CPU time,
 * 1 thread), for A/B tests of assembly/gemm.ts changes on a shared machine:
 *
 *   node --import tsx bench/sgemm-shapes.ts <checkout A> <checkout B> M,N,K,aT,bT ...
 *   e.g. ... 1024,1024,1024,0,0 64,256,784,0,1 256,784,64,1,0     # sgemm 1024, the MLP's layer 1
 *
 * aT / bT = 1: that operand is read transposed, as linear (x·Wᵀ: bT) and its weight gradient
 * (gᵀ·x: aT) pass them. Operands sit in each checkout's 1-thread arena, 64 MiB up, and are not
 * copied per call (gemmStaged, as bench/mlp-parts.ts's "gemm"). Each checkout is a directory with
 * src/ and its built src/backend/wasm/kernels.generated.ts, as for bench/ab.ts. Prints per shape the
 * median of 21 interleaved batches (~20 M multiply-adds each), its GFLOP/s, and B's median over A's.
 */
const [rootA, rootB, ...specs] = process.argv.slice(2);
if (!rootA || !rootB || specs.length === 0) throw new Error("bench/sgemm-shapes: usage: <checkout A> <checkout B> M,N,K,aT,bT ...");
const shapes = specs.map((s) => s.split(",").map(Number));

async function load(root: string): Promise<Array<() => void>> {
  const core = await import(`${root}/src/core.ts`);
  const wasm = await import(`${root}/src/backend/wasm/index.ts`);
  const { gemmStaged } = await import(`${root}/src/backend/wasm/matmul.ts`);
  const w = wasm.createWasmBackend();
  if (!w) throw new Error(`bench/sgemm-shapes: no wasm backend in ${root}`);
  const be = w.sessionForBench();
  be.begin(0, 1);
  be.arena.alloc(64 << 20);
  const g = new core.Generator(0);
  const ops = shapes.map(([M, N, K]) => {
    const pa = be.arena.alloc(M * K * 4), pb = be.arena.alloc(K * N * 4);
    for (let i = 0; i < M * K; i++) be.arena.f32[pa / 4 + i] = g.normal();
    for (let i = 0; i < K * N; i++) be.arena.f32[pb / 4 + i] = g.normal();
    return [pa, pb];
  });
  return shapes.map(([M, N, K, aT, bT], i) => () => {
    be.begin(0, 1);
    gemmStaged(be, 1, 1, M, N, K, { ptr: ops[i][0], strides: aT ? [0, 1, M] : [0, K, 1] }, { ptr: ops[i][1], strides: bT ? [0, 1, K] : [0, N, 1] });
  });
}

const A = await load(rootA), B = await load(rootB);
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1];
shapes.forEach(([M, N, K, aT, bT], s) => {
  const reps = Math.max(1, Math.round(2e7 / (M * N * K)));
  const batch = (f: () => void) => {
    const c = process.cpuUsage();
    for (let i = 0; i < reps; i++) f();
    const u = process.cpuUsage(c);
    return (u.user + u.system) / reps;
  };
  for (let i = 0; i < 3; i++) {
    batch(A[s]);
    batch(B[s]);
  }
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < 21; r++) {
    // Alternate which goes first, so neither always follows the other.
    if (r % 2) {
      ta.push(batch(A[s]));
      tb.push(batch(B[s]));
    } else {
      tb.push(batch(B[s]));
      ta.push(batch(A[s]));
    }
  }
  const gf = (us: number) => ((2 * M * N * K) / us / 1e3).toFixed(1);
  const name = `${M}x${N}x${K}${aT ? " aT" : ""}${bT ? " bT" : ""}`;
  console.log(`${name}: A ${median(ta).toFixed(1)} us (${gf(median(ta))} GFLOP/s), B ${median(tb).toFixed(1)} us (${gf(median(tb))} GFLOP/s); B/A ${(median(tb) / median(ta)).toFixed(3)}`);
});
