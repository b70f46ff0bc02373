// A short run of the fuzz harness (fuzz/run.ts) as part of npm test: ~2,000 mutated safetensors,
// checkpoint, IDX, PNG and JPEG files, each ending in a reader's Error or a self-consistent decode,
// none hanging (5 s watchdog), crashing (1.5 GB heap cap) or returning planted freed memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runFuzz } from "../fuzz/run.js";
import { MARKER, containsMarker } from "../fuzz/targets.js";

test("the freed-memory marker check finds the marker and nothing else", () => {
  const a = new Uint8Array(64);
  assert.equal(containsMarker(a), false);
  a.set(MARKER, 30);
  assert.equal(containsMarker(a), true);
  assert.equal(containsMarker(new Float32Array(a.buffer)), true);
  a[33] ^= 1;
  assert.equal(containsMarker(a), false);
});

test("fuzz: 2,000 hostile inputs (seed 1), every outcome a reader's Error or a consistent decode", async () => {
  // Bounded in time as well as count: on a quiet machine all 2,000 run in about 15 s; on a loaded
  // one the run stops at 30 s and still covers every target dozens of times.
  const r = await runFuzz({ seed: 1, count: 2000, seconds: 30 });
  assert.equal(r.failure, undefined, r.failure);
  assert.deepEqual(r.findings, [], JSON.stringify(r.findings.slice(0, 5)));
  assert.ok(r.done >= 120, `only ${r.done} inputs ran`);
  // Planted memory does come back through uninitialised allocations, so a decoder that returned such
  // memory would show the marker (on this machine 18 of 20 allocations held it).
  assert.ok((r.markerSelfCheck ?? 0) >= 1, `marker self-check ${r.markerSelfCheck}`);
  for (const t of ["safetensors", "checkpoint", "idx", "idx.gz", "png", "jpeg"]) {
    const s = r.tally[t];
    assert.ok(s && s.errors > 0, `${t}: some inputs are rejected`);
    // With seed 1, each target's first 100 inputs include decodable ones (the mutations are not all fatal).
    if (s.inputs >= 100) assert.ok(s.decoded > 0, `${t}: some inputs decode`);
  }
  assert.ok(r.slowestMs < 5000, `slowest input took ${r.slowestMs} ms`);
  assert.ok(r.peakRssMb < 1536, `peak RSS ${r.peakRssMb} MB`);
});
