// `deeptype exam`: every item with a demonstration is run in its tiny configuration; the verdict it
// prints must be the one its judge derives from the measured values, and for the items whose outcome
// does not depend on timing or on training noise the verdict itself is asserted, with the numbers behind it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ITEMS, defaultContext, findItem, listText, markdownTable, outcomeText, runItem, type ItemOutcome } from "../examples/exam/index.js";
import { renderExamHtml } from "../examples/exam/html.js";
import { batchHomogeneityCheck, flipAlignmentProbe } from "../src/utils/data-checks.js";
import { readCodes, writeCodes } from "../examples/exam/codes-file.js";
import { tensor } from "../src/index.js";

// Items whose verdict is fixed by exact arithmetic, file sizes or large effects (not by timing or seed noise).
const EXPECTED: Record<string, string> = {
  "1.1a": "confirmed", "1.1b": "confirmed", "1.1c": "confirmed", "1.2b": "confirmed", "1.2c": "confirmed", "1.2d": "confirmed",
  "1.3a": "confirmed", "1.3d": "confirmed", "1.6c": "confirmed", "1.7a": "confirmed", "1.8b": "confirmed", "1.9a": "confirmed", "1.4c": "confirmed", "1.4d": "confirmed",
  "1.5b": "confirmed", "1.7c": "confirmed", "2.1": "confirmed", "2.2": "confirmed", "2.5": "confirmed", "2.3": "depends", "2.4": "confirmed", "2.7": "confirmed",
  "3.1": "confirmed", "3.2": "confirmed", "3.3": "confirmed", "3.4": "confirmed", "3.5": "confirmed", "3.6": "confirmed", "3.7": "confirmed",
  "3.8": "confirmed", "3.9": "confirmed", "4.1": "confirmed", "4.2": "confirmed", "4.3": "confirmed", "4.4": "depends", "4.6": "confirmed",
  "4.7": "confirmed", "5.1": "confirmed", "6.1": "confirmed", "6.2": "confirmed", "6.3": "confirmed", "6.4": "confirmed",
  "7.1": "confirmed", "7.2": "confirmed", "7.3": "confirmed", "7.4": "confirmed", "7.5": "confirmed",
  "1.1d": "confirmed", "1.3b": "confirmed", "1.3c": "confirmed", "1.5a": "confirmed", "1.5c": "confirmed", "1.6a": "confirmed", "1.6b": "confirmed",
  "1.7b": "confirmed", "1.8a": "confirmed", "1.8c": "confirmed", "1.8d": "confirmed", "1.9c": "confirmed", "1.9d": "confirmed",
};

const ctx = defaultContext({ tiny: true, workDir: fs.mkdtempSync(path.join(os.tmpdir(), "exam-test-")) });
const outcomes = new Map<string, ItemOutcome>();

test("the list has every exam item once, each with a claim; ids are found and unknown ids are refused", () => {
  const ids = ITEMS.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ["1.1a", "1.5c", "1.9d", "2.7", "3.9", "4.7", "5.4", "6.4", "7.6"]) assert.ok(ids.includes(id), id);
  assert.equal(ids.filter((i) => i.startsWith("1.")).length, 35); // 9 questions x 4 statements, 1.5d removed
  assert.ok(ITEMS.every((i) => i.claim.length > 10 && (i.fidelity === "missing" || i.file)));
  assert.ok(ITEMS.every((i) => (i.run === undefined) === (i.judge === undefined)), "a run always comes with its judge");
  assert.ok(ITEMS.filter((i) => i.fidelity === "faithful").every((i) => i.run), "a faithful item runs");
  assert.match(listText(), /4\.4 +faithful/);
  assert.throws(() => findItem("4.9"), /no item "4.9"/);
});

for (const item of ITEMS.filter((i) => i.run)) {
  test(`exam ${item.id} (tiny): the printed verdict follows from the measured values`, async () => {
    const o = await runItem(item, ctx);
    outcomes.set(item.id, o);
    assert.ok(o.measured && o.judgement);
    assert.ok(o.measured.lines.length > 0);
    for (const [k, v] of Object.entries(o.measured.values)) assert.ok(typeof v === "number" && !Number.isNaN(v), `${k} = ${v}`);
    assert.deepEqual(item.judge!(o.measured.values), o.judgement, "the verdict is a function of the values");
    const text = outcomeText(o);
    assert.ok(text.includes(`verdict: ${o.judgement.verdict.toUpperCase()}`) && text.includes(item.claim));
    if (EXPECTED[item.id]) assert.equal(o.judgement.verdict, EXPECTED[item.id], `${item.id}: ${o.judgement.because}`);
  });
}

test("7.6: the alignment probe flags the image-only flip and passes the correct one", () => {
  const v = outcomes.get("7.6")!.measured!.values;
  assert.equal(v.probeCorrectMisaligned, 0);
  assert.ok(v.probeBugMisaligned > 0);
});

test("5.1: the client program read only the decoder and the codes, and the codes are smaller than the pixels", () => {
  const o = outcomes.get("5.1")!;
  assert.ok(o.measured!.lines.some((l) => l.includes('"read":["decoder.safetensors","codes.bin"]')));
  assert.ok(o.measured!.values.codeBytesPerImage < 70 && o.measured!.values.pixelBytesPerImage === 196);
  assert.ok(o.measured!.values.unetSkipBytes > 196);
});

test("the report: a markdown table row and an HTML section per item, self-contained", () => {
  const all = ITEMS.map((item) => outcomes.get(item.id) ?? { item, measured: null, judgement: null, seconds: 0 });
  const md = markdownTable(all, "test");
  assert.equal(md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| item")).length, ITEMS.length);
  const html = renderExamHtml(all, "test");
  assert.equal((html.match(/<section /g) ?? []).length, ITEMS.length);
  assert.ok(html.includes("<svg") && !/<script|https?:\/\//.test(html));
});

test("codes file: 8-bit quantisation round trip within half a step", () => {
  const t = tensor([[0, 0.5, 1, -2]]);
  const { codes } = readCodes(writeCodes(t));
  const back = codes.tolist() as number[][];
  const step = 3 / 255;
  [0, 0.5, 1, -2].forEach((v, i) => assert.ok(Math.abs(back[0][i] - v) <= step / 2 + 1e-6));
});

test("data checks: flip alignment and batch homogeneity", () => {
  const img = tensor([[[1, 2, 3]]]), depth = tensor([[[4, 5, 6]]]);
  const good = flipAlignmentProbe((s: { image: typeof img; depth: typeof img }) => ({ image: s.image.flip(-1), depth: s.depth.flip(-1) }), [{ image: img, depth }]);
  assert.equal(good.ok, true);
  const bad = flipAlignmentProbe((s: { image: typeof img; depth: typeof img }) => ({ image: s.image.flip(-1), depth: s.depth }), [{ image: img, depth }]);
  assert.deepEqual([bad.ok, bad.flipped, bad.misaligned], [false, 1, 1]);
  assert.throws(() => flipAlignmentProbe((s) => s, []), /got no samples/);
  const sorted = batchHomogeneityCheck([["d", "d", "d", "d"], ["d", "d", "d", "d"], ["n", "n", "n", "n"], ["n", "n", "n", "n"]]);
  assert.equal(sorted.ok, false);
  assert.equal(sorted.singleGroupFraction, 1);
  assert.ok(Math.abs(sorted.expectedSingleGroupFraction - 0.125) < 1e-12);
  assert.equal(batchHomogeneityCheck([["d", "n", "d", "n"], ["n", "d", "n", "d"]]).ok, true);
});

test("deeptype exam: lists the items; an unknown id exits 2", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "exam", ...args], { encoding: "utf8" });
  const list = run();
  assert.equal(list.status, 0);
  assert.match(list.stdout, /7\.6 +faithful/);
  const bad = run("9.9");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no item "9.9"/);
  const one = run("2.7");
  assert.equal(one.status, 0);
  assert.match(one.stdout, /verdict: CONFIRMED/);
});
