// Kernels of the js reference backend that no op covers: fill and the fused optimizer updates
// (reference values from PyTorch 1.13's torch.optim, float64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { getBackend, listBackends, zeros } from "../src/index.js";
import { JsBackend } from "../src/backend/js/index.js";

const js = new JsBackend();
const backend = () => js;

const close = (got: ArrayLike<number>, want: number[], what: string): void => {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-12, `${what}[${i}]: ${got[i]} vs ${w}`));
};

test("wasm is the default backend where WebAssembly SIMD validates; js is always listed", () => {
  assert.equal(getBackend(), typeof WebAssembly.validate === "function" ? "wasm" : "js");
  assert.ok(listBackends().includes("js") && listBackends().includes("wasm"));
});

test("fill writes every element of a strided view and nothing else", () => {
  const x = zeros([3, 4]);
  backend().fill(x.t().get("1:3").view_(), 5);
  assert.deepEqual(x.tolist(), [[0, 5, 5, 0], [0, 5, 5, 0], [0, 5, 5, 0]]);
});

const grads = [[0.5, -1, 2], [0.1, 0.2, -0.3], [-1, 0, 0.3]];

test("sgdUpdate matches torch.optim.SGD (momentum, dampening, weight decay, nesterov)", () => {
  const b = backend();
  const p = new Float64Array([1, -2, 0.5]);
  const buf = new Float64Array(3);
  grads.slice(0, 2).forEach((g, k) =>
    b.sgdUpdate(p, new Float64Array(g), buf, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.01, firstStep: k === 0 }));
  close(p, [0.8932458999999999, -1.8224917999999999, 0.14578044999999998], "param");
  close(buf, [0.5575410000000001, -0.755082, 1.5371955], "momentum buffer");
  const q = new Float64Array([1, -2, 0.5]);
  const qb = new Float64Array(3);
  grads.slice(0, 2).forEach((g, k) =>
    b.sgdUpdate(q, new Float64Array(g), qb, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0, firstStep: k === 0 }));
  close(q, [0.8455, -1.7670000000000001, 0.014999999999999986], "nesterov");
  const r = new Float64Array([1, 2]);
  b.sgdUpdate(r, new Float64Array([1, -1]), null, { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true });
  close(r, [0.5, 2.5], "plain sgd");
});

test("adamUpdate matches torch.optim.Adam / AdamW / amsgrad", () => {
  const run = (weightDecay: number, decoupled: boolean, amsgrad: boolean): Float64Array => {
    const p = new Float64Array([1, -2, 0.5]);
    const m = new Float64Array(3), v = new Float64Array(3);
    const maxV = amsgrad ? new Float64Array(3) : null;
    grads.forEach((g, k) =>
      backend().adamUpdate(p, new Float64Array(g), m, v, maxV, { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay, decoupled, step: k + 1 }));
    return p;
  };
  close(run(0.1, false, false), [0.9838511111106473, -1.9780430616120088, 0.4797328335020093], "Adam(weight_decay=0.1)");
  close(run(0.1, true, false), [0.9830916617927774, -1.9760400015681854, 0.4787895092724774], "AdamW(weight_decay=0.1)");
  close(run(0, false, true), [0.9860609507542354, -1.9820262093649632, 0.48026295722962986], "Adam(amsgrad=True)");
});
