// The comparison cells of the bench's table (bench/table.ts): ratios against PyTorch, the peak-RSS
// row included, are withheld when the fairness gate fails (PyTorch on a reference BLAS).
import { test } from "node:test";
import assert from "node:assert/strict";
import { metCell, ratioCell, rssRow } from "../bench/table.js";

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
