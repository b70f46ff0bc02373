// CPU time per call of the tensor-creation paths that every op and training step goes through
// (zeros/ones/full of a small shape, tensor() of a typed array), for A/B checks of src/tensor's
// creation code: run it on two checkouts one after the other, twice each, and compare the best
// figures (CPU time, so it holds up under load better than wall time; still noisy on a busy machine).
//
//   node --import tsx bench/creation-micro.ts /work/main
//   node --import tsx bench/creation-micro.ts /path/to/other/checkout
const root = process.argv[2] ?? process.cwd();
const { zeros, ones, full, tensor } = (await import(`${root}/src/index.ts`)) as typeof import("../src/index.js");

function time(label: string, fn: () => unknown, n: number): void {
  for (let i = 0; i < n / 10; i++) fn();
  const perCall: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    perCall.push((c.user + c.system) / n);
  }
  perCall.sort((a, b) => a - b);
  console.log(`${label}: ${(perCall[0] * 1000).toFixed(1)} ns/call CPU (median of 5: ${(perCall[2] * 1000).toFixed(1)})`);
}

const f32 = new Float32Array(64);
time("zeros([64])", () => zeros([64]), 200000);
time("ones([64])", () => ones([64]), 200000);
time("full([256], 2)", () => full([256], 2), 200000);
time("tensor(Float32Array(64))", () => tensor(f32), 200000);
