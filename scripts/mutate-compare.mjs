#!/usr/bin/env node
// Compares two Stryker JSON reports of the same source (e.g. the in-process runner's and the tap
// runner's): the count of each status in both, and every mutant whose status differs.
//   node scripts/mutate-compare.mjs reports/mutation/grad-clip-ts.json reports/mutation/grad-clip-ts.tap.json
import fs from "node:fs";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: node scripts/mutate-compare.mjs <report A.json> <report B.json>");
  process.exit(2);
}
const read = (f) => {
  const out = new Map();
  for (const [file, v] of Object.entries(JSON.parse(fs.readFileSync(f, "utf8")).files)) {
    for (const m of v.mutants) out.set(`#${m.id} ${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement)}`, m.status);
  }
  return out;
};
const ra = read(a), rb = read(b);
const tally = (r) => [...r.values()].reduce((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
console.log(`A ${a}: ${ra.size} mutants ${JSON.stringify(tally(ra))}`);
console.log(`B ${b}: ${rb.size} mutants ${JSON.stringify(tally(rb))}`);
let diff = 0;
for (const k of new Set([...ra.keys(), ...rb.keys()])) {
  if (ra.get(k) !== rb.get(k)) {
    diff++;
    console.log(`differs: ${k}: A ${ra.get(k) ?? "(absent)"}, B ${rb.get(k) ?? "(absent)"}`);
  }
}
console.log(`${diff} of ${new Set([...ra.keys(), ...rb.keys()]).size} mutants differ`);
process.exit(diff ? 1 : 0);
