// A short run of the fuzz harness (fuzz/run.ts) as part of npm test: ~2,000 mutated safetensors,
// checkpoint, IDX, PNG, JPEG and PyTorch .pt files, each ending in a reader's Error or a self-consistent
// decode, none taking over 5 s of wall time, crashing (1.5 GB heap cap) or returning planted freed memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runFuzz } from "../fuzz/run.js";
import fs from "node:fs";
import { unzipSync, zipSync } from "fflate";
import { MARKER, containsMarker } from "../fuzz/targets.js";
import os from "node:os";
import path from "node:path";
import { PICKLE_ATTACKS, view } from "../fuzz/pickles.js";
import { io } from "../src/index.js";
import { loadPytorch } from "../src/node.js";

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
  for (const t of ["safetensors", "checkpoint", "idx", "idx.gz", "png", "jpeg", "pt"]) {
    const s = r.tally[t];
    assert.ok(s && s.errors > 0, `${t}: some inputs are rejected`);
    // With seed 1, each target's first 100 inputs include decodable ones (the mutations are not all fatal).
    if (s.inputs >= 100) assert.ok(s.decoded > 0, `${t}: some inputs decode`);
  }
  assert.ok(r.slowestMs < 5000, `slowest input took ${r.slowestMs} ms`);
  assert.ok(r.peakRssMb < 1536, `peak RSS ${r.peakRssMb} MB`);
});

test("the 5 s rule is wall time per input: a slow input is a finding, an unfinished one is killed and named", async () => {
  // The same harness with the limit lowered to 1 µs: every input passes it, so each is a finding.
  const slow = await runFuzz({ seed: 1, count: 8, seconds: 30, hangMs: 0.001, watchdogMs: 60_000 });
  assert.equal(slow.failure, undefined);
  assert.equal(slow.findings.length, 8);
  assert.match(slow.findings[0].problem, /^took \d+ ms \(\d+ ms of CPU; limit 0.001 ms\)$/);
  // The parent kills a child whose input has not finished when the watchdog fires, and names it.
  const hung = await runFuzz({ seed: 1, count: 50, seconds: 30, watchdogMs: 1 });
  assert.match(hung.failure ?? "", /^hang: input \d+ \(\w[\w.]*, [^)]*\) did not finish in 1 ms; reproduce with --seed 1$/);
});

test(".pt: each hand-made hostile pickle ends in the reader's Error naming the problem, or decodes as PyTorch would", () => {
  const files = unzipSync(new Uint8Array(fs.readFileSync(new URL("./fixtures/interop/state_dict.pt", import.meta.url))));
  const expected: Record<string, RegExp> = {
    "pickle calls posix.system": /^io\.parsePytorch: a\.pt: refusing to load global posix\.system/,
    "pickle calls builtins.eval via STACK_GLOBAL": /refusing to load global builtins\.eval/,
    "pickle INST opcode": /unsupported opcode 0x69/,
    "pickle unknown opcode": /unsupported opcode 0xff/,
    "pickle nested 20,000 lists deep": /^parsePytorch: a\.pt: "0\.0\.0.*" is nested more than 1000 levels deep$/,
    "pickle nested 20,000 tuples deep": /is nested more than 1000 levels deep/,
    "pickle list containing itself": /^parsePytorch: a\.pt: "0" contains itself \(a cycle\)/,
    "pickle dict containing itself": /"self" contains itself/,
    "pickle BINUNICODE8 of 2^62 bytes": /length 4611686018427387904 at byte 3 is beyond the pickle's 15 bytes/,
    "pickle BINBYTES8 of 2^40 bytes": /length 1099511627776 at byte 3 is beyond/,
    "pickle LONG4 of 2^31-1 bytes": /truncated at byte 7: needs 2147483647 more bytes/,
    "pickle FRAME of 2^62 bytes": /length 4611686018427387904/,
    "pickle GET of an unset memo slot": /memo entry 123456 read at byte 6 was never stored/,
    "pickle stack underflow": /stack underflow at byte 2/,
    "pickle MARK never closed": /STOP with 0 values on the stack/,
    "pickle huge stride-0 view": /^parsePytorch: a\.pt: a tensor of size \[2147483647,2147483647\], stride \[0,0\], offset 0 has 4611686014132420600 elements \(18446744056529682000 bytes as float32\), more than maxBytes \(4294967296\); pass a larger \{ maxBytes \} to read it$/,
    "pickle view of stride 2^52": /^parsePytorch: a\.pt: a tensor of size \[3\], stride \[4503599627370496\], offset 0 reaches past the end of storage 0, which has 18 elements$/,
    "pickle view with a negative stride": /size \[2\] and stride \[-1\], expected equally long lists of non-negative integers/,
    "pickle empty view past the storage": /^parsePytorch: a\.pt: a tensor of size \[0\], stride \[1\], offset 19 starts at element 19 of storage 0, which has 18$/,
  };
  for (const [name, make] of PICKLE_ATTACKS) {
    const bytes = zipSync(Object.fromEntries(Object.entries({ ...files, "state_dict/data.pkl": make() }).map(([k, v]) => [k, [v, { level: 0 }]])) as never);
    const t0 = performance.now();
    if (name === "pickle exponential sharing") {
      // 2^48 leaves by reference: shared in the result as in Python, converted once each.
      let v = io.parsePytorch(bytes, "a.pt") as unknown[];
      for (let k = 0; k < 48; k++) {
        assert.equal(v[0], v[1]);
        v = v[0] as unknown[];
      }
      assert.equal(v, 1);
    } else assert.throws(() => io.parsePytorch(bytes, "a.pt"), (e: Error) => !(e instanceof TypeError) && !(e instanceof RangeError) && expected[name].test(e.message), name);
    assert.ok(performance.now() - t0 < 5000, `${name} took ${performance.now() - t0} ms`);
  }
});

test(".pt: a view's dense size is bounded by maxBytes (raised per call), its extent by its storage", async () => {
  const files = unzipSync(new Uint8Array(fs.readFileSync(new URL("./fixtures/interop/state_dict.pt", import.meta.url))));
  const pt = (pkl: Uint8Array): Uint8Array => zipSync(Object.fromEntries(Object.entries({ ...files, "state_dict/data.pkl": pkl }).map(([k, v]) => [k, [v, { level: 0 }]])) as never);
  // 1,000 float32 elements from one by stride 0: 4,000 bytes as a dense tensor.
  const wide = pt(view([1000], [0], 3));
  assert.throws(() => io.parsePytorch(wide, "w.pt", { maxBytes: 3999 }), /^Error: parsePytorch: w\.pt: a tensor of size \[1000\], stride \[0\], offset 3 has 1000 elements \(4000 bytes as float32\), more than maxBytes \(3999\); pass a larger \{ maxBytes \} to read it$/);
  const t = io.parsePytorch(wide, "w.pt", { maxBytes: 4000 }) as { shape: number[]; strides: number[]; offset: number };
  assert.deepEqual([t.shape, t.strides, t.offset], [[1000], [0], 3]);
  // The last element a view reaches, for each stride pattern: inside (17 of 18) or one past.
  assert.deepEqual((io.parsePytorch(pt(view([3, 2], [5, 1], 6)), "v.pt") as { shape: number[] }).shape, [3, 2]);
  assert.throws(() => io.parsePytorch(pt(view([3, 2], [5, 1], 7)), "v.pt"), /offset 7 reaches element 18 of storage 0, which has 18 elements$/);
  assert.throws(() => io.parsePytorch(pt(view([2, 2], [2 ** 52, 2 ** 52], 0)), "v.pt"), /reaches past the end of storage 0/);
  assert.deepEqual((io.parsePytorch(pt(view([0], [1], 18)), "e.pt") as { shape: number[] }).shape, [0], "an empty view may start at the end, as in PyTorch");
  assert.throws(() => io.parsePytorch(wide, "w.pt", { maxBytse: 1 } as never), /^Error: parsePytorch: unknown option 'maxBytse'; did you mean 'maxBytes'\? \(it takes maxBytes\)$/);
  // loadPytorch passes its maxBytes on.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-pt-"));
  try {
    fs.writeFileSync(path.join(dir, "w.pt"), wide);
    await assert.rejects(loadPytorch(path.join(dir, "w.pt"), { maxBytes: 3999 }), /has 1000 elements \(4000 bytes as float32\), more than maxBytes \(3999\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
