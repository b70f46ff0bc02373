// The small modules of src/tensor checked directly: deprecation.ts (one warning per form, its
// words) and recycle.ts's bounds (buffers per size, bytes in all, the counters). Written for the
// survivors of `npm run mutate -- src/tensor` (docs/mutation/history.md).
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { deprecated } from "../src/tensor/deprecation.js";
import { RECYCLE_MIN_BYTES, clearRecycled, recycleArray, recycleStats, takeRecycled } from "../src/tensor/recycle.js";

/** Runs of the test below in this process: each uses fresh names, since deprecated() remembers what it warned about. */
let deprecationRuns = 0;

test("deprecated warns once per function and old form, with what to write instead", () => {
  // A suffix per run, so the test passes when run again in one process (the in-process mutation runner does).
  const r = String(++deprecationRuns);
  const warn = mock.method(console, "warn", () => {});
  try {
    deprecated(`mtdFn${r}`, "mtdFn(x, 1)", "mtdFn(x, { a: 1 })");
    deprecated(`mtdFn${r}`, "mtdFn(x, 1)", "mtdFn(x, { a: 1 })");
    assert.equal(warn.mock.callCount(), 1);
    assert.deepEqual(warn.mock.calls[0].arguments, ["deeptype: mtdFn(x, 1) is deprecated and will be removed in the next release; write mtdFn(x, { a: 1 })"]);
    deprecated(`mtdFn${r}`, "mtdFn(x, 2)", "mtdFn(x, { b: 2 })"); // another form of the same function
    deprecated(`mtdOther${r}`, "mtdFn(x, 1)", "y"); // the same form text under another function
    assert.equal(warn.mock.callCount(), 3);
    // The key separates function and form: ("ab", "c") and ("a", "bc") are different forms.
    deprecated(`mtd${r}ab`, "c", "1");
    deprecated(`mtd${r}a`, "bc", "2");
    assert.equal(warn.mock.callCount(), 5);
  } finally {
    warn.mock.restore();
  }
});

test("recycle: at most four buffers of one size, at most 32 MiB in all, and the counters", () => {
  clearRecycled();
  assert.deepEqual(recycleStats(), { recycled: 0, reused: 0, heldBytes: 0 });
  for (let i = 0; i < 5; i++) recycleArray(new Uint8Array(RECYCLE_MIN_BYTES));
  assert.deepEqual(recycleStats(), { recycled: 4, reused: 0, heldBytes: 4 * RECYCLE_MIN_BYTES });
  // Exactly the minimum size is pooled; one byte less is not.
  recycleArray(new Uint8Array(RECYCLE_MIN_BYTES - 1));
  assert.equal(recycleStats().heldBytes, 4 * RECYCLE_MIN_BYTES);
  const got = takeRecycled(RECYCLE_MIN_BYTES)!;
  assert.equal(got.byteLength, RECYCLE_MIN_BYTES);
  assert.deepEqual(recycleStats(), { recycled: 4, reused: 1, heldBytes: 3 * RECYCLE_MIN_BYTES });
  clearRecycled();
  // The byte bound: 32 MiB may be held exactly, not one buffer more.
  const MiB = 1024 * 1024;
  for (let i = 0; i < 4; i++) recycleArray(new Uint8Array(8 * MiB));
  assert.equal(recycleStats().heldBytes, 32 * MiB);
  recycleArray(new Uint8Array(RECYCLE_MIN_BYTES));
  assert.equal(recycleStats().heldBytes, 32 * MiB, "the pool is full");
  assert.equal(recycleStats().recycled, 4);
  takeRecycled(8 * MiB);
  recycleArray(new Uint8Array(RECYCLE_MIN_BYTES));
  assert.equal(recycleStats().heldBytes, 24 * MiB + RECYCLE_MIN_BYTES, "taking one out makes room");
  // A pooled buffer comes back zeroed, even if the array given back was not.
  clearRecycled();
  const dirty = new Float32Array(RECYCLE_MIN_BYTES / 4).fill(7);
  recycleArray(dirty);
  const buf = takeRecycled(RECYCLE_MIN_BYTES)!;
  assert.equal(buf, dirty.buffer);
  assert.ok(new Uint8Array(buf).every((v) => v === 0));
  clearRecycled();
  assert.deepEqual(recycleStats(), { recycled: 0, reused: 0, heldBytes: 0 });
});
