import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import "../src/tensor/dtype.js"; // the module that runs the warm-up when it loads
import { wantsHeapWarmup, warmHeapOnce } from "../src/tensor/host-heap.js";

const child = fileURLToPath(new URL("./host-heap-child.ts", import.meta.url));
function faultsPerRound(warmup: "0" | "1"): number {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", child], {
    encoding: "utf8", env: { ...process.env, DEEPTYPE_HEAP_WARMUP: warmup }, timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { faultsPerRound: number }).faultsPerRound;
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

  it("makes dropped 8 MB arrays come back without fresh pages (glibc): page faults per round of four", () => {
    if (process.platform !== "linux") {
      assert.equal(wantsHeapWarmup(process), false);
      return;
    }
    const cold = faultsPerRound("0"), warm = faultsPerRound("1");
    // Four 8 MB arrays are 8,192 fresh pages a round; warm, only V8's own bookkeeping faults remain.
    assert.ok(warm < 600, `with the warm-up: ${warm} faults a round (expected under 600)`);
    assert.ok(cold > 2 * warm, `without the warm-up: ${cold} faults a round, with it ${warm} (expected over twice as many without)`);
  });
});
