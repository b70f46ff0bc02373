/**
 * Prints how many of PyTorch's OpInfo cases deeptype agrees with, per backend, and every case that
 * does not agree (grouped by op and kind). Run: node --import tsx scripts/opinfo-report.ts [js|wasm] [--all]
 */
import { loadOpInfo, runOp, type CaseResult } from "../test/opinfo-harness.js";

const backends = process.argv.slice(2).filter((a) => a === "js" || a === "wasm") as ("js" | "wasm")[];
const showAll = process.argv.includes("--all");
const fixtures = loadOpInfo();
for (const b of backends.length ? backends : (["js", "wasm"] as const)) {
  const results: CaseResult[] = Object.keys(fixtures).flatMap((op) => runOp(op, b));
  const bad = results.filter((r) => !r.verdict.ok);
  const errors = results.filter((r) => r.id.includes("/error/"));
  const samples = results.length - errors.length;
  const okSamples = results.filter((r) => r.verdict.ok && !r.id.includes("/error/")).length;
  const okErrors = errors.filter((r) => r.verdict.ok).length;
  const byKind: Record<string, number> = {};
  for (const r of bad) if (!r.verdict.ok) byKind[r.verdict.kind] = (byKind[r.verdict.kind] ?? 0) + 1;
  const opsAllOk = Object.keys(fixtures).filter((op) => results.every((r) => r.op !== op || r.verdict.ok)).length;
  console.log(`${b}: ${results.length - bad.length} / ${results.length} cases agree (samples ${okSamples}/${samples}, error inputs ${okErrors}/${errors.length}) over ${Object.keys(fixtures).length} operators (${opsAllOk} fully agree); not agreeing: ${JSON.stringify(byKind)}`);
  const seen = new Map<string, number>();
  for (const r of bad) {
    if (r.verdict.ok) continue;
    const k = `${r.op} [${r.verdict.kind}] ${r.verdict.detail.replace(/element \d+ is .*/, "values differ")}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (showAll) console.log(`  ${r.id} ${r.verdict.kind}: ${r.verdict.detail}`);
  }
  if (!showAll) for (const [k, n] of seen) console.log(`  ${n}x ${k}`);
}
