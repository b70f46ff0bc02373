// Measures, over many seeds, what test/examples.test.ts asserts about the depth example's image-only
// flip bug, so the test's thresholds come from a distribution, not from one lucky seed:
//
//   node --import tsx scripts/depth-flip-seeds.ts [firstSeed=0] [count=20]
//
// Per seed (the test's configuration): each model's L1 on the mirrored training images against
// flip(D) and against D, relative to its L1 on the unmirrored images, and the bug-minus-correct
// last-epoch training loss. Then min / max / mean / sd of each over the seeds.
import { main as depth } from "../examples/depth-regression.js";

const [first, count] = [Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 20)];
const cols: Record<string, number[]> = { bugMirroredPairs: [], correctMirroredPairs: [], bugMinusCorrectLoss: [] };
for (let seed = first; seed < first + count; seed++) {
  const r = await depth({ scenes: 20, frames: 4, epochs: 12, batchSize: 8, lr: 5e-3, size: 16, seed, log: () => {} });
  const last = (v: number[]): number => v[v.length - 1];
  const row = {
    bugMirroredPairs: r.flipBug.mirrored.vsOriginal / r.flipBug.cleanTrainLoss - 1,
    correctMirroredPairs: r.correct.mirrored.vsMirrored / r.correct.cleanTrainLoss - 1,
    bugMinusCorrectLoss: last(r.flipBug.trainLoss) - last(r.correct.trainLoss),
  };
  for (const [k, v] of Object.entries(row)) cols[k].push(v);
  console.log(`seed ${seed}: ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(4)}`).join("  ")}`);
}
for (const [k, v] of Object.entries(cols)) {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  console.log(`${k.padEnd(22)} min ${Math.min(...v).toFixed(4)}  max ${Math.max(...v).toFixed(4)}  mean ${mean.toFixed(4)}  sd ${sd.toFixed(4)}  positive ${v.filter((x) => x > 0).length}/${v.length}`);
}
