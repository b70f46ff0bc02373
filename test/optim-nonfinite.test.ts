// An infinite parameter stays infinite through SGD and Adam steps when weight decay is 0, as in
// PyTorch 1.13, which adds the decay term only when it is not 0 (0 · inf would be NaN). The fused
// kernels of both backends once always added it. Values printed by PyTorch 1.13 for the same steps:
// p = [inf, 1, -inf], grad [0.5, 2, 1] set twice, lr 0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, optim, type DType, Tensor } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";

const CASES: [string, (ps: Tensor[]) => optim.Optimizer, Record<"float32" | "float64", number>][] = [
  ["SGD momentum 0.9", (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }), { float32: 0.42000001668930054, float64: 0.42000000000000004 }],
  ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1 }), { float32: 0.6000000238418579, float64: 0.6000000000000001 }],
  ["Adam", (ps) => new optim.Adam(ps, { lr: 0.1 }), { float32: 0.800000011920929, float64: 0.8000000010000007 }],
  ["AdamW weightDecay 0.01", (ps) => new optim.AdamW(ps, { lr: 0.1, weightDecay: 0.01 }), { float32: 0.798101007938385, float64: 0.7981010009995007 }],
];

for (const backend of ["js", "wasm"]) {
  test(`an infinite parameter stays infinite under SGD and Adam without weight decay, as in PyTorch (${backend})`, () => {
    const before = getBackend();
    setBackend(backend);
    try {
      for (const dtype of ["float32", "float64"] as DType[]) {
        for (const [name, make, middle] of CASES) {
          const p = tensor([Infinity, 1, -Infinity], { dtype }).requiresGrad_();
          const opt = make([p]);
          for (let k = 0; k < 2; k++) {
            p.grad = tensor([0.5, 2, 1], { dtype });
            opt.step();
          }
          const got = Array.from(p.data());
          assert.deepEqual([got[0], got[2]], [Infinity, -Infinity], `${name} ${dtype}`);
          assert.ok(Math.abs(got[1] - middle[dtype as "float32" | "float64"]) <= (dtype === "float32" ? 1e-7 : 1e-15), `${name} ${dtype}: ${got[1]}`);
        }
        // With decay, PyTorch's SGD gives NaN there too (inf · 0.01 − inf); so does deeptype's.
        const q = tensor([Infinity, 1], { dtype }).requiresGrad_();
        const sgd = new optim.SGD([q], { lr: 0.1, weightDecay: 0.01 });
        q.grad = tensor([0.5, 2], { dtype });
        sgd.step();
        assert.ok(Number.isNaN(q.data()[0]), `SGD weightDecay ${dtype}`);
      }
    } finally {
      setBackend(before);
    }
  });
}
