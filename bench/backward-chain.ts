/**
 * Per-node cost of the backward pass on small tensors, two checkouts in one process (process CPU time,
 * interleaved rounds): a chain of 60 ops on [64] tensors (mul, add, tanh, 20 times), then backward.
 *
 *   node --import tsx bench/backward-chain.ts <checkout A> <checkout B>
 */
const roots = process.argv.slice(2);
const mods = await Promise.all(roots.map((r) => import(`${r}/src/index.ts`)));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const runs = mods.map((d) => {
  const x = d.randn([64], { generator: new d.Generator(1) }).requiresGrad_();
  const w = d.randn([64], { generator: new d.Generator(2) }).requiresGrad_();
  return () => { let y = x; for (let i = 0; i < 20; i++) y = y.mul(w).add(x).tanh(); y.sum().backward(); x.grad = null; w.grad = null; };
});
const res: number[][] = runs.map(() => []);
for (let r = 0; r < 25; r++) runs.forEach((f, k) => { const t0 = cpu(); for (let i = 0; i < 200; i++) f(); res[k].push((cpu() - t0) / 200); });
res.forEach((v, k) => { v.sort((a, b) => a - b); console.log(roots[k], "median", v[12].toFixed(4), "ms best", v[0].toFixed(4)); });
