/**
 * Sampling, quantiles and integration, the PyTorch way: draw from normal / multinomial / poisson,
 * summarise with quantile / nanquantile / nanmedian, integrate with trapezoid / cumulativeTrapezoid,
 * and cap embedding norms with nn.Embedding's maxNorm.
 *
 *   node --import tsx examples/sampling-and-statistics.ts [--n 20000]
 */
import {
  Generator, normal, multinomial, poisson, quantile, nanquantile, nanmedian, trapezoid, cumulativeTrapezoid, linspace, tensor, nn,
} from "../src/index.js";
import { isMain, parseFlags, type Log } from "./common.js";

export function main(opts: { n?: number; log?: Log } = {}) {
  const log = opts.log ?? console.log;
  const n = opts.n ?? 20000;
  const g = new Generator(2026);

  // 1. N(10, 2²) draws and their quartiles (the normal's are 10 ∓ 1.349)
  const x = normal(10, 2, [n], { generator: g });
  const quartiles = quantile(x, tensor([0.25, 0.5, 0.75]), 0).tolist() as number[];
  log(`normal(10, 2): quartiles ${quartiles.map((v) => v.toFixed(3)).join(", ")} (exact 8.651, 10, 11.349)`);

  // 2. Missing values: nanmedian and nanquantile leave NaNs out; quantile would give NaN
  const readings = tensor([[3.1, NaN, 2.9, 3.3], [NaN, NaN, 5.0, 4.0]]);
  const med = nanmedian(readings, 1);
  log(`nanmedian per row ${JSON.stringify(med.values.tolist())} at ${JSON.stringify(med.indices.tolist())}; ` +
    `nanquantile(0.9) ${JSON.stringify(nanquantile(readings, 0.9, 1).tolist())}`);

  // 3. Categories and counts
  const picks = multinomial(tensor([0.2, 0.5, 0.3]), n, true, { generator: g });
  const freq = [0, 1, 2].map((k) => picks.eq(k).sum().item() / n);
  const counts = poisson(tensor([4]).expand([n]), { generator: g });
  log(`multinomial frequencies ${freq.map((v) => v.toFixed(3)).join(", ")}; poisson(4) mean ${counts.mean().item().toFixed(3)}`);

  // 4. The area under the standard normal's density on [-3, 3] (0.9973), and its running integral
  const t = linspace(-3, 3, 601, { dtype: "float64" });
  const pdf = t.square().mul(-0.5).exp().div(Math.sqrt(2 * Math.PI));
  const area = trapezoid(pdf, t).item();
  const cdf = cumulativeTrapezoid(pdf, t);
  log(`trapezoid area ${area.toFixed(5)}; running integral at 0: ${cdf.get(299).item().toFixed(5)}`);

  // 5. Embedding rows looked up are renormalised in place to norm <= maxNorm
  const emb = new nn.Embedding(10, 4, { maxNorm: 1, generator: g });
  emb.call(tensor([1n, 3n]));
  const norms = emb.weight.detach().norm(2, 1).tolist() as number[];
  log(`embedding row norms after a lookup of rows 1 and 3: ${norms.map((v) => v.toFixed(2)).join(" ")}`);
  return { quartiles, median: med.values.tolist() as number[], freq, poissonMean: counts.mean().item(), area, norms };
}

if (isMain(import.meta.url)) main(parseFlags({ n: 20000 }));
