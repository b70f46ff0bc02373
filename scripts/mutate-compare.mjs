#!/usr/bin/env node
// Compares two Stryker JSON reports of the same source (e.g. the in-process runner's and the tap
// runner's): the count of each status in both, and every mutant whose status differs.
//   node scripts/mutate-compare.mjs reports/mutation/grad-clip-ts.json reports/mutation/grad-clip-ts.tap.json
// Mutants are matched by id and place; with --by-place by place only (a run of a line range numbers
// its mutants from 0), and only the places both reports have are compared.
import fs from "node:fs";

const byPlace = process.argv.includes("--by-place");
const [a, b] = process.argv.slice(2).filter((x) => x !== "--by-place");
if (!a || !b) {
  console.error("usage: node scripts/mutate-compare.mjs <report A.json> <report B.json>");
  process.exit(2);
}
const read = (f) => {
  const out = new Map();
  for (const [file, v] of Object.entries(JSON.parse(fs.readFileSync(f, "utf8")).files)) {
    for (const m of v.mutants) out.set(`${byPlace ? "" : `#${m.id} `}${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement)}`, m.status);
  }
  return out;
};
const ra = read(a), rb = read(b);
const tally = (r) => [...r.values()].reduce((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
console.log(`A ${a}: ${ra.size} mutants ${JSON.stringify(tally(ra))}`);
console.log(`B ${b}: ${rb.size} mutants ${JSON.stringify(tally(rb))}`);
let diff = 0;
const keys = byPlace ? [...ra.keys()].filter((k) => rb.has(k)) : [...new Set([...ra.keys(), ...rb.keys()])];
for (const k of keys) {
  if (ra.get(k) !== rb.get(k)) {
    diff++;
    console.log(`differs: ${k}: A ${ra.get(k) ?? "(absent)"}, B ${rb.get(k) ?? "(absent)"}`);
  }
}
console.log(`${diff} of ${keys.length} mutants differ`);
process.exit(diff ? 1 : 0);
