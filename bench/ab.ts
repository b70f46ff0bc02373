/**
 * Two checkouts of deeptype timed in one process, their batches interleaved, so that load from other
 * processes on a shared machine hits both alike (separate runs minutes apart can differ by 2x there):
 *
 *   node --import tsx bench/ab.ts <checkout A> <checkout B> [mlp|sgd|add|linear|sgemm|mlpgemm|cnn|pool|poolfwd|avgpool|convfwd|convgx|convgw|convcrp|convop|convgxop|zeros|full|tensor] [rounds]
 *
 * A checkout is a directory with src/ (a git worktree of another commit, with its
 * src/backend/wasm/kernels.generated.ts built). Each gets its own modules and wasm backend on
 * 1 thread. Rows: the MNIST MLP's SGD step on a batch of 64 (bench/run.ts's "train mlp batch 64
 * SGD") and its SGD update alone (sgd, on the gradients of one backward), the add of two [64] tensors, a Linear 784->256 forward and backward on a batch of 64, the
 * MNIST CNN's Adam step on a batch of 64 ("train cnn batch 64 Adam"), a.matmul(b) of two 1024x1024 matrices
 * into the fresh output it allocates (sgemm, bench/run.ts's "sgemm 1024" row), the MLP step's eight
 * matrix products as the GEMM kernel alone on operands already in wasm memory (mlpgemm, as
 * bench/mlp-parts.ts's "gemm" part), and a 2x2 max-pool of
 * [64,16,28,28] forward and backward as autograd runs them (the pool not fused into a conv), and the
 * CNN's second convolution [64,16,28,28] * 32x3x3 pad 1 through the backend contract (arena copies
 * included): forward (convfwd), input and weight gradients (convgx, convgw), fused conv + bias + ReLU
 * + 2x2 max-pool (convcrp), and the forward and input gradient as ops into the fresh output each
 * allocates (convop, convgxop: the bench's conv rows); poolfwd is the max-pool's forward alone, avgpool a 2x2 average pool
 * forward and backward as the max-pool row; zeros([64]), full([256], 2) and
 * tensor(Float32Array(64)), the tensor creation every op goes through (zeros, full, tensor).
 * Prints process CPU time per call: the median and best batch of each, B's median over A's, and the
 * quartiles of B's batch over the A batch beside it in each round (paired, so load that shifts
 * between rounds cancels). The checkout loaded second has come out 1.5-3% faster whatever it held
 * (docs/backend-wasm.md, session 13): run both orders and take the geometric mean of B/A and 1/(A/B).
 * With THREADS=2 both run on 2 threads and the time is wall clock (CPU time would hide what a
 * second thread gives; run it where the two cores are free); THREADS=2 CPU=1 sums both threads'
 * CPU time instead, which shows work the split duplicates (packing) on a loaded machine.
 */
type Row = "mlp" | "sgd" | "add" | "linear" | "sgemm" | "mlpgemm" | "cnn" | "pool" | "poolfwd" | "avgpool" | "convfwd" | "convgx" | "convgw" | "convcrp" | "convop" | "convgxop" | "zeros" | "full" | "tensor";
const THREADS = Number(process.env.THREADS ?? 1);
// CPU=1 with THREADS=2: process CPU time (both threads' work, helpers' spinning included) instead of wall clock.
const WALL = THREADS > 1 && process.env.CPU !== "1";

async function load(root: string): Promise<Record<Row, () => void>> {
  const core = await import(`${root}/src/core.ts`);
  const nn = await import(`${root}/src/nn/index.ts`);
  const optim = await import(`${root}/src/optim/index.ts`);
  const { mnistCnn, mnistMlp } = await import(`${root}/src/models/index.ts`);
  const wasm = await import(`${root}/src/backend/wasm/index.ts`);
  const w = wasm.createWasmBackend();
  if (!w) throw new Error(`bench/ab: no wasm backend in ${root}`);
  core.registerBackend("wasm", () => w);
  core.setBackend("wasm");
  wasm.setNumThreads(THREADS);
  const g = new core.Generator(0);
  const model = mnistMlp(g);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  // The sgd row: the MLP's SGD update alone, on gradients of one backward kept across calls.
  const sgdModel = mnistMlp(g), sgdOpt = new optim.SGD(sgdModel.parameters(), { lr: 0.01 });
  const x = core.randn([64, 1, 28, 28], { generator: g });
  const y = core.randint(0, 10, [64], { generator: g });
  nn.functional.crossEntropy(sgdModel.forward(x), y).backward();
  const a = core.randn([64], { generator: g }), b = core.randn([64], { generator: g });
  const xl = core.randn([64, 784], { generator: g }), lin = new nn.Linear(784, 256);
  const ma = core.randn([1024, 1024], { generator: g }), mb = core.randn([1024, 1024], { generator: g });
  const cnn = mnistCnn(g), adam = new optim.Adam(cnn.parameters(), { lr: 1e-3 });
  const xp = core.randn([64, 16, 28, 28], { generator: g }).requiresGrad_(), gp = core.randn([64, 16, 14, 14], { generator: g });
  const cx = core.randn([64, 16, 28, 28], { generator: g }).view_(), cw = core.randn([32, 16, 3, 3], { generator: g }).view_();
  const cb = core.randn([32], { generator: g }).view_(), cgy = core.randn([64, 32, 28, 28], { generator: g }).view_();
  const cy = core.Tensor.empty([64, 32, 28, 28]).view_(), cgx = core.Tensor.empty([64, 16, 28, 28]).view_();
  const cgw = core.Tensor.empty([32, 16, 3, 3]).view_(), cpool = core.Tensor.empty([64, 32, 14, 14]).view_();
  const cidx = core.Tensor.empty([64, 32, 14, 14], "int32").view_();
  const f32 = new Float32Array(64);
  const tx = core.randn([64, 16, 28, 28], { generator: g }), tw = core.randn([32, 16, 3, 3], { generator: g });
  const tgy = core.randn([64, 32, 28, 28], { generator: g });
  const { apply } = await import(`${root}/src/ops/op.ts`);
  const { gemmStaged } = await import(`${root}/src/backend/wasm/matmul.ts`);
  // [M, N, K, A stored transposed, B stored transposed] as linear and linearBackward call the GEMM.
  const mlpShapes: Array<[number, number, number, boolean, boolean]> = [
    [64, 256, 784, false, true], [64, 128, 256, false, true], [64, 10, 128, false, true],
    [256, 784, 64, true, false], [128, 256, 64, true, false], [10, 128, 64, true, false],
    [64, 256, 128, false, false], [64, 128, 10, false, false],
  ];
  const be = w.sessionForBench();
  // Operands 64 MiB up in the 1-thread instance's arena, above what the calls themselves allocate.
  be.begin(0, 1);
  be.arena.alloc(64 << 20);
  const mlpOps = mlpShapes.map(([M, N, K]) => {
    const pa = be.arena.alloc(M * K * 4), pb = be.arena.alloc(K * N * 4);
    for (let i = 0; i < M * K; i++) be.arena.f32[pa / 4 + i] = g.normal();
    for (let i = 0; i < K * N; i++) be.arena.f32[pb / 4 + i] = g.normal();
    return [pa, pb];
  });
  const { convInputGradOp } = await import(`${root}/src/ops/conv.ts`);
  const cp = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  const pp = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true };
  return {
    convfwd: () => w.conv2d(cx, cw, cb, cy, cp),
    convgx: () => w.conv2dBackwardInput(cgy, cw, cgx, cp),
    convgw: () => w.conv2dBackwardWeight(cx, cgy, cgw, cp),
    convcrp: () => w.conv2dReluPool(cx, cw, cb, cpool, cidx, cp, pp, [64, 32, 28, 28]),
    // The same convolutions as ops, each into the fresh output its op allocates (bench/run.ts's conv rows).
    convop: () => core.noGrad(() => core.conv2d(tx, tw, null, { padding: 1 })),
    convgxop: () => core.noGrad(() => apply(convInputGradOp, [tgy, tw], { p: cp, outShape: [64, 16, 28, 28] })),
    cnn: () => {
      adam.zeroGrad();
      nn.functional.crossEntropy(cnn.forward(x), y).backward();
      adam.step();
    },
    pool: () => {
      xp.grad = null;
      core.maxPool2d(xp, 2).backward(gp);
    },
    poolfwd: () => core.noGrad(() => core.maxPool2d(xp, 2)),
    avgpool: () => {
      xp.grad = null;
      core.avgPool2d(xp, 2).backward(gp);
    },
    mlp: () => {
      opt.zeroGrad();
      nn.functional.crossEntropy(model.forward(x), y).backward();
      opt.step();
    },
    sgd: () => sgdOpt.step(),
    add: () => a.add(b),
    sgemm: () => core.noGrad(() => ma.matmul(mb)),
    mlpgemm: () => {
      be.begin(0, 1);
      mlpShapes.forEach(([M, N, K, aT, bT], i) => {
        gemmStaged(be, 1, 1, M, N, K, { ptr: mlpOps[i][0], strides: aT ? [0, 1, M] : [0, K, 1] }, { ptr: mlpOps[i][1], strides: bT ? [0, 1, K] : [0, N, 1] });
      });
    },
    // Tensor creation, which every op and step goes through.
    zeros: () => core.zeros([64]),
    full: () => core.full([256], 2),
    tensor: () => core.tensor(f32),
    linear: () => {
      lin.zeroGrad();
      lin.call(xl).sum().backward();
    },
  };
}

const [rootA, rootB] = process.argv.slice(2, 4);
if (!rootA || !rootB) throw new Error("bench/ab: usage: node --import tsx bench/ab.ts <checkout A> <checkout B> [mlp|sgd|add|linear|sgemm|mlpgemm|cnn|pool|poolfwd|avgpool|convfwd|convgx|convgw|convcrp|convop|convgxop|zeros|full|tensor] [rounds]");
const row = (process.argv[4] ?? "mlp") as Row;
const rounds = Number(process.argv[5] ?? 25);
const A = await load(rootA), B = await load(rootB);
const fa = A[row], fb = B[row];
if (!fa || !fb) throw new Error(`bench/ab: unknown row ${row}; use mlp, sgd, add, linear, sgemm, mlpgemm, cnn, pool, poolfwd, avgpool, convfwd, convgx, convgw, convcrp, convop, convgxop, zeros, full or tensor`);
const reps = row === "add" || row === "zeros" || row === "full" || row === "tensor" ? 100_000 : row === "cnn" ? 5 : row.startsWith("conv") ? 4 : row === "sgemm" ? 2 : 20;
const batch = (f: () => void): number => {
  const c = process.cpuUsage(), t = performance.now();
  for (let i = 0; i < reps; i++) f();
  if (WALL) return ((performance.now() - t) * 1e3) / reps;
  const u = process.cpuUsage(c);
  return (u.user + u.system) / reps;
};
for (let i = 0; i < 5; i++) {
  batch(fa);
  batch(fb);
}
const ta: number[] = [], tb: number[] = [], ratio: number[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so neither always follows the other's garbage.
  if (r % 2) {
    ta.push(batch(fa));
    tb.push(batch(fb));
  } else {
    tb.push(batch(fb));
    ta.push(batch(fa));
  }
  ratio.push(tb[r] / ta[r]);
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1];
const show = (us: number) => (us >= 100 ? `${(us / 1e3).toFixed(3)} ms` : `${us.toFixed(3)} us`);
console.log(
  `${row}, ${THREADS} thread(s), ${WALL ? "wall-clock" : "CPU"} time per call over ${rounds} interleaved rounds: A ${show(median(ta))} (best ${show(Math.min(...ta))}), ` +
    `B ${show(median(tb))} (best ${show(Math.min(...tb))}); B/A ${(median(tb) / median(ta)).toFixed(2)}; ` +
    `per round B/A quartiles ${[0.25, 0.5, 0.75].map((q) => [...ratio].sort((x, y) => x - y)[Math.floor(q * (ratio.length - 1))].toFixed(3)).join(" ")}`,
);
