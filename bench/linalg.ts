/**
 * CPU time of the float64 linalg kernels (session 14): eigh, eigvalsh, svd, svdvals on a random float64
 * n×n matrix, for one or two checkouts in one process (interleaved, so load hits both alike):
 *
 *   node --import tsx bench/linalg.ts <checkout> [<checkout B>] [sizes, default 64,128,256] [rounds, default 5]
 *
 * Prints the median and spread (min..max) of process CPU time per call, in ms.
 */
const args = process.argv.slice(2);
const roots = args.filter((a) => a.startsWith("/"));
const sizes = (args.find((a) => /^[0-9,]+$/.test(a) && a.includes(",")) ?? "64,128,256").split(",").map(Number);
const rounds = Number(args.find((a) => /^[0-9]+$/.test(a)) ?? 5);

const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const mods = await Promise.all(roots.map((r) => import(`${r}/src/core.ts`)));
for (const n of sizes) {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const vals = Array.from({ length: n * n }, rnd);
  for (const f of ["eigh", "eigvalsh", "svd", "svdvals"] as const) {
    const times: number[][] = roots.map(() => []);
    for (let r = 0; r < rounds; r++) {
      mods.forEach((core, i) => {
        let a = core.tensor(vals, { dtype: "float64" }).reshape([n, n]);
        if (f.startsWith("eig")) a = core.add(a, core.transpose(a, 0, 1));
        const t0 = cpu();
        const out = core.linalg[f](a);
        (Array.isArray(out) ? out[0] : out).data();
        times[i].push(cpu() - t0);
      });
    }
    const line = times.map((t) => { t.sort((x, y) => x - y); return `${t[t.length >> 1].toFixed(1)} (${t[0].toFixed(1)}..${t[t.length - 1].toFixed(1)})`; });
    console.log(`n=${n} ${f.padEnd(8)} ${line.join("  |  ")} ms`);
  }
}
