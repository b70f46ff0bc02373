// The comparison helpers the other suites rely on: a helper that passes wrong values makes every
// test built on it pass too, so the helpers are tested themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor } from "../src/index.js";
import { assertClose as seqClose } from "./nn-seq-util.js";
import { assertClose as nnClose } from "./nn-helpers.js";
import { assertClose as optimClose } from "./optim-helpers.js";

const f64 = (v: number[]) => tensor(Float64Array.from(v), { dtype: "float64" });

test("nn-seq assertClose: a NaN anywhere fails, even when later elements match", () => {
  assert.throws(() => seqClose(f64([NaN, 2, 3]), f64([1, 2, 3]), 1e-9), /element 0 differs by NaN/);
  assert.throws(() => seqClose(f64([1, 2, NaN]), f64([1, 2, 3]), 1e-9), /element 2 differs by NaN/);
  assert.throws(() => seqClose(f64([1, 2, 3]), f64([1, NaN, 3]), 1e-9), /element 1/);
  assert.throws(() => seqClose(f64([Infinity, 2]), f64([-Infinity, 2]), 1e-9), /element 0/);
  assert.throws(() => seqClose(f64([Infinity, 2]), f64([5, 2]), 1e-9), /element 0/);
  assert.throws(() => seqClose(f64([1, 2.1]), f64([1, 2]), 1e-3), /element 1 differs by 0.1/);
  assert.throws(() => seqClose(f64([1, 2]), f64([1, 2, 3]), 1), /shape/);
  // Same values (equal infinities, NaN where NaN is wanted) and differences within tol pass.
  seqClose(f64([Infinity, -Infinity, NaN, 1]), f64([Infinity, -Infinity, NaN, 1 + 1e-12]), 1e-9);
  seqClose(f64([1, 2]), { shape: [2], data: [1, 2 + 5e-10] }, 1e-9);
  seqClose(f64([Infinity]), { shape: [1], data: ["inf"] }, 0);
});

test("nn and optim assertClose: NaN and out-of-tolerance elements fail", () => {
  assert.throws(() => nnClose(f64([NaN, 2, 3]), [1, 2, 3], "x"), /element 0 is NaN/);
  assert.throws(() => nnClose(f64([1, 2, 3.1]), [1, 2, 3], "x"), /element 2/);
  nnClose(f64([1, 2, 3 + 1e-6]), [1, 2, 3], "x");
  assert.throws(() => optimClose([NaN, 2, 3], [1, 2, 3], 1e-6, 1e-9, "p"), /p\[0\]/);
  assert.throws(() => optimClose([1, 2, 3.1], [1, 2, 3], 1e-6, 1e-9, "p"), /p\[2\]/);
  optimClose([1, 2, 3 + 1e-9], [1, 2, 3], 1e-6, 1e-9, "p");
});

test("remembering (backend-wasm's js reference): a repeat gives the first call's bytes; any other input is computed", async () => {
  const { remembering, view } = await import("./backend-wasm-helpers.js");
  const { JsBackend } = await import("../src/backend/js/index.js");
  let calls = 0;
  const inner = new JsBackend();
  const counted = new Proxy(inner, {
    get: (t, k, r) => {
      const f = Reflect.get(t, k, r);
      return typeof f === "function" ? (...a: unknown[]) => (calls++, f.apply(t, a)) : f;
    },
  });
  const js = remembering(counted);
  const v = (a: number[]) => view(Float32Array.from(a), [a.length]);
  const x = v([1, -2, 3]), out = v([0, 0, 0]);
  js.unary("neg", x, out);
  const out2 = v([9, 9, 9]); // other output contents: another call (its bytes are part of the question)
  js.unary("neg", x, v([0, 0, 0]));
  assert.equal(calls, 1, "the repeat was answered from memory");
  js.unary("neg", x, out2);
  assert.equal(calls, 2);
  const again = v([0, 0, 0]);
  js.unary("neg", v([1, -2, 3]), again);
  assert.deepEqual(Array.from(again.data as Float32Array), [-1, 2, -3], "written back as computed");
  js.unary("neg", v([1, -2, 3.0000002]), v([0, 0, 0]));
  assert.equal(calls, 3, "one input differing in its last bit is a new call");
  // In place (one array passed twice) and bare arrays (the optimizers): written back whole.
  const a = v([1, 2, 3]);
  js.binary("add", a, a, a);
  const b = v([1, 2, 3]);
  js.binary("add", b, b, b);
  assert.deepEqual(Array.from(b.data as Float32Array), [2, 4, 6]);
  assert.equal(calls, 4);
  const p = { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: false };
  const p1 = Float32Array.from([1, 1]), p2 = Float32Array.from([1, 1]);
  js.sgdUpdate(p1, Float32Array.from([1, -1]), null, p);
  js.sgdUpdate(p2, Float32Array.from([1, -1]), null, p);
  assert.deepEqual([...p2], [0.5, 1.5]);
  assert.equal(calls, 5);
  // Parameters JSON cannot tell apart (NaN and Infinity are both null, -0 is 0) are different calls.
  for (const q of [NaN, Infinity, -Infinity, 0, -0]) js.unaryParam("clamp", x, v([0, 0, 0]), q, q);
  assert.equal(calls, 10);
});
