/**
 * PyTorch's OpInfo samples and error inputs (test/fixtures/opinfo, from scripts/fixtures/opinfo.py)
 * replayed on the js and wasm backends: outputs, float64 gradients, and that every error input throws.
 * A case may only disagree if test/opinfo-known.ts lists it with a reason (docs/testing-opinfo.md),
 * and every listed deviation must still occur, so the list cannot go stale.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MAP, loadOpInfo, opNames, runError, runOp, type CaseResult } from "./opinfo-harness.js";
import { KNOWN, matchesKnown } from "./opinfo-known.js";
import { setBackend, getBackend } from "../src/index.js";

const fixtures = loadOpInfo();

test("opinfo: the mapping and the fixture script cover the same operators", () => {
  const script = readFileSync(new URL("../scripts/fixtures/opinfo.py", import.meta.url), "utf8");
  // MAPPED is its own list plus NNFUNC, LOSSES, DEPTH and LINALG (the ops kept in their own fixture files).
  const block = (re: RegExp): string[] => re.exec(script)![1].split(/\s+/).filter(Boolean);
  const listed = [...block(/MAPPED = sorted\("""([\s\S]*?)"""/), ...block(/NNFUNC = """([\s\S]*?)"""/), ...block(/LOSSES = """([\s\S]*?)"""/), ...block(/DEPTH = """([\s\S]*?)"""/), ...block(/LINALG = """([\s\S]*?)"""/)].sort();
  assert.deepEqual(Object.keys(MAP).sort(), listed);
  assert.deepEqual(Object.keys(fixtures).sort(), listed);
});

test("opinfo: an error input must throw an Error that starts with the op's name", () => {
  assert.deepEqual(opNames("nn.functional.max_pool2d"), ["maxPool2d"]);
  assert.deepEqual(opNames("diag_embed"), ["diagEmbed"]);
  assert.deepEqual(opNames("__rpow__"), ["pow"]);
  assert.deepEqual(opNames("max.reduction_with_dim"), ["max"]);
  assert.deepEqual(opNames("linalg.vector_norm"), ["vectorNorm", "linalg.vectorNorm"]);
  const c = fixtures.cat.errors[0]; // torch.cat([]): "cat: expected a non-empty list of tensors"
  assert.equal(runError("cat", c).ok, true);
  // An op whose error names another function fails the check.
  (MAP as Record<string, unknown>).fake_op = (): never => { throw new Error("cat: expected a non-empty list of tensors"); };
  try {
    const wrong = runError("fake_op", c);
    assert.equal(wrong.ok ? "ok" : wrong.kind, "unnamed");
  } finally {
    delete (MAP as Record<string, unknown>).fake_op;
  }
  // Half of the 16-bit error inputs at least: most ops' error_inputs hold a floating tensor.
  const half = Object.values(fixtures).reduce((n, f) => n + (f.halfErrors?.float16?.length ?? 0) + (f.halfErrors?.bfloat16?.length ?? 0), 0);
  assert.ok(half > 150, String(half));
});

for (const backendName of ["js", "wasm"] as const) {
  test(`opinfo: every PyTorch OpInfo case agrees on ${backendName}, or is a listed deviation`, () => {
    const before = getBackend();
    const results: CaseResult[] = [];
    try {
      for (const op of Object.keys(fixtures)) results.push(...runOp(op, backendName));
    } finally {
      setBackend(before);
    }
    const unexplained = results.filter((r) => !r.verdict.ok && !KNOWN.some((k) => matchesKnown(k, r)));
    assert.deepEqual(unexplained.map((r) => `${r.id} ${r.verdict.ok ? "" : `${r.verdict.kind}: ${r.verdict.detail}`}`), []);
    const stale = KNOWN.filter((k) => !results.some((r) => !r.verdict.ok && matchesKnown(k, r)));
    assert.deepEqual(stale.map((k) => `${k.op} ${k.kind} ${k.detail ?? ""}`), [], "deviations listed in test/opinfo-known.ts that no longer occur");
    const ok = results.filter((r) => r.verdict.ok).length;
    // Most cases must agree: the listed deviations are exceptions, not the rule.
    assert.ok(ok / results.length > 0.9, `${ok} / ${results.length}`);
  });
}
