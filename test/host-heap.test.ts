import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import "../src/tensor/dtype.js"; // the module that runs the warm-up when it loads
import { wantsHeapWarmup, warmHeapOnce } from "../src/tensor/host-heap.js";

const child = fileURLToPath(new URL("./host-heap-child.ts", import.meta.url));
/** How much [heap] and anonymous mappings grew for five 12 MiB tensors in a fresh process (test/host-heap-child.ts). */
function growth(warmup: "0" | "1"): { heapMiB: number; anonymousMiB: number } {
  const r = spawnSync(process.execPath, ["--expose-gc", "--single-threaded-gc", "--import", "tsx", child], {
    encoding: "utf8", env: { ...process.env, DEEPTYPE_HEAP_WARMUP: warmup }, timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { heapMiB: number; anonymousMiB: number; tensors: number; warmupFreed: boolean };
  assert.equal(out.tensors, 5);
  assert.ok(out.warmupFreed, "V8 did not free the warm-up's dropped buffer within 500 collections");
  return out;
}

describe("host heap warm-up (src/tensor/host-heap.ts)", () => {
  it("runs only in Node on Linux, and DEEPTYPE_HEAP_WARMUP=0 turns it off", () => {
    const node = { versions: { node: "20.0.0" } };
    assert.equal(wantsHeapWarmup({ ...node, platform: "linux", env: {} }), true);
    assert.equal(wantsHeapWarmup({ ...node, platform: "linux", env: { DEEPTYPE_HEAP_WARMUP: "0" } }), false);
    assert.equal(wantsHeapWarmup({ ...node, platform: "darwin", env: {} }), false);
    assert.equal(wantsHeapWarmup({ platform: "linux", env: {} }), false, "not Node (a browser shim of process)");
    assert.equal(wantsHeapWarmup(undefined), false, "no process at all (a browser)");
  });

  it("runs once per process: loading the tensor layer already did it", () => {
    assert.equal(warmHeapOnce(), false);
  });

  it("makes a large tensor's storage come from the heap, not from fresh pages of its own (glibc)", () => {
    if (process.platform !== "linux") {
      assert.equal(wantsHeapWarmup(process), false);
      return;
    }
    // Without the warm-up glibc maps each 12 MiB block by itself and unmaps it on free, so every such
    // result page-faults again; with it the blocks come from the heap and are reused. 48 of the 60 MiB
    // leaves room for V8's own pages and a thread stack mapped meanwhile.
    const cold = growth("0"), warm = growth("1");
    assert.ok(cold.anonymousMiB >= 48 && cold.heapMiB < 12, `without the warm-up: ${JSON.stringify(cold)} (expected the 60 MiB in mappings of their own)`);
    assert.ok(warm.heapMiB >= 48 && warm.anonymousMiB < 48, `with the warm-up: ${JSON.stringify(warm)} (expected the 60 MiB in the heap)`);
  });
});
