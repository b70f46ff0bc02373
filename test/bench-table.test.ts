// The comparison cells of the bench's table (bench/table.ts): ratios against PyTorch, the peak-RSS
// row included, are withheld when the fairness gate fails (PyTorch on a reference BLAS).
// blasGate is that gate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { blasGate, metCell, ratioCell, rssRow } from "../bench/table.js";

const cellsOf = (line: string) => line.split("|").slice(1, -1).map((c) => c.trim());

test("ratioCell and metCell: values, missing sides, withheld", () => {
  assert.equal(ratioCell(3, 4, true), "0.75x");
  assert.equal(ratioCell(3, 4, false), "withheld");
  assert.equal(ratioCell(undefined, 4, true), "-");
  assert.equal(ratioCell(3, undefined, false), "-");
  assert.equal(metCell(true, true), "yes");
  assert.equal(metCell(false, true), "NO");
  assert.equal(metCell(true, false), "?");
  assert.equal(metCell(undefined, false), "-");
});

test("rssRow: ratios and target with the gate passed", () => {
  const rss = new Map<string, number | string>([["deeptype 1t", 150.4], ["torch 1t", 250], ["deeptype 2t", 300], ["torch 2t", 240], ["tfjs cpu", "too slow"]]);
  const { line, notes } = rssRow(rss, true, 200);
  const c = cellsOf(line);
  assert.equal(c.length, 13, "as many columns as the time rows");
  assert.deepEqual(c, ["peak RSS, cnn train 200 steps", "MB", "150", "250", "0.60x", "300", "240", "1.25x", "-", "n/a", "-", "below torch", "yes / NO"]);
  assert.deepEqual(notes, ["n/a: peak RSS, tfjs cpu: too slow"]);
});

test("rssRow: when the gate withholds ratios, the peak-RSS row withholds its ratios and its target too", () => {
  const rss = new Map<string, number | string>([["deeptype 1t", 150], ["torch 1t", 250], ["deeptype 2t", 160], ["torch 2t", 260]]);
  const c = cellsOf(rssRow(rss, false, 200).line);
  assert.deepEqual([c[2], c[3], c[5], c[6]], ["150", "250", "160", "260"], "the measured values are still shown");
  assert.equal(c[4], "withheld");
  assert.equal(c[7], "withheld");
  assert.equal(c[12], "? / ?");
  assert.ok(!c.some((x) => /\dx$/.test(x)), `no ratio printed: ${c.join(" | ")}`);
});

test("rssRow: a column without a number shows no ratio", () => {
  const c = cellsOf(rssRow(new Map([["deeptype 1t", 150]]), true, 200).line);
  assert.deepEqual([c[3], c[4], c[12]], ["-", "-", "- / -"]);
});

const OPENBLAS = ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"];

test("blasGate: an optimized BLAS at 30 GFLOP/s or more passes; a reference BLAS never does", () => {
  assert.deepEqual(blasGate(OPENBLAS, { torchRow: 80, oursRow: 60, torchStart: 75, oursStart: 55 }), { ok: true, optimized: true, torch: 80, ours: 60 });
  assert.equal(blasGate(["/usr/lib/x86_64-linux-gnu/libmkl_rt.so"], { torchStart: 30, oursStart: 60 }).ok, true, "30 is enough");
  assert.equal(blasGate(OPENBLAS, { torchStart: 29.9, oursStart: 60 }).ok, false, "slow and slower than deeptype: withheld");
  // A reference BLAS (libblas.so.3 from the reference package) is withheld even when fast enough.
  const ref = blasGate(["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"], { torchStart: 40, oursStart: 10 });
  assert.deepEqual([ref.ok, ref.optimized], [false, false]);
  assert.equal(blasGate([], { torchStart: 40, oursStart: 10 }).ok, false, "nothing loaded");
});

test("blasGate: under load, torch's sgemm is weighed against deeptype's timed with it, from the row or else the start probes", () => {
  // The row ran: its pair decides, not the start probes.
  assert.equal(blasGate(OPENBLAS, { torchRow: 20, oursRow: 15, torchStart: 10, oursStart: 50 }).ok, true);
  assert.equal(blasGate(OPENBLAS, { torchRow: 20, oursRow: 25, torchStart: 90, oursStart: 50 }).ok, false);
  // `--only` without the sgemm row (no row figures): the start probes decide. The gate used to
  // compare torch's start probe with no deeptype figure at all (Infinity), so a loaded machine
  // withheld every ratio of such a run although PyTorch ran on OpenBLAS.
  const g = blasGate(OPENBLAS, { torchStart: 20, oursStart: 15 });
  assert.deepEqual(g, { ok: true, optimized: true, torch: 20, ours: 15 });
  assert.equal(blasGate(OPENBLAS, { torchStart: 20, oursStart: 25 }).ok, false);
  // Half a row (one side's cell missing) is not a pair: the probes decide.
  assert.deepEqual(blasGate(OPENBLAS, { torchRow: 20, torchStart: 22, oursStart: 15 }), { ok: true, optimized: true, torch: 22, ours: 15 });
});
