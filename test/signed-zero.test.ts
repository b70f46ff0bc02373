/**
 * Signed zeros, infinities and NaN through every unary op and activation, exact to PyTorch 1.13
 * (test/fixtures/signed-zero.json, from scripts/gen-signed-zero-fixtures.py), on the js and wasm
 * backends, in float32 and float64. A result of 0 must carry PyTorch's sign: relu(-0) is -0 there,
 * gelu(-0) is +0; code that divides by a result (1/relu(x)) or tests its sign (signbit, copysign,
 * atan2) sees the difference.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Tensor, tensor, setBackend, getBackend, nn, type DType } from "../src/index.js";

type Enc = number | string;
const fx = JSON.parse(readFileSync(new URL("./fixtures/signed-zero.json", import.meta.url), "utf8")) as {
  inputs: Enc[];
  ops: Record<string, Record<"float32" | "float64", Enc[]>>;
};

const dec = (v: Enc): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : v === "0" ? 0 : (v as number));

const F = nn.functional;
const OPS: Record<string, (x: Tensor) => Tensor> = {
  neg: (x) => x.neg(), exp: (x) => x.exp(), log: (x) => x.log(), log1p: (x) => x.log1p(), expm1: (x) => x.expm1(),
  sqrt: (x) => x.sqrt(), rsqrt: (x) => x.rsqrt(), abs: (x) => x.abs(), sign: (x) => x.sign(), sin: (x) => x.sin(),
  cos: (x) => x.cos(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(), relu: (x) => x.relu(), erf: (x) => x.erf(),
  floor: (x) => x.floor(), ceil: (x) => x.ceil(), round: (x) => x.round(), trunc: (x) => x.trunc(),
  reciprocal: (x) => x.reciprocal(), square: (x) => x.square(),
  tan: (x) => x.tan(), asin: (x) => x.asin(), acos: (x) => x.acos(), atan: (x) => x.atan(), sinh: (x) => x.sinh(),
  cosh: (x) => x.cosh(), asinh: (x) => x.asinh(), acosh: (x) => x.acosh(), atanh: (x) => x.atanh(), log2: (x) => x.log2(),
  log10: (x) => x.log10(), exp2: (x) => x.exp2(), frac: (x) => x.frac(), erfc: (x) => x.erfc(), erfinv: (x) => x.erfinv(),
  lgamma: (x) => x.lgamma(), digamma: (x) => x.digamma(), sinc: (x) => x.sinc(), deg2rad: (x) => x.deg2rad(),
  rad2deg: (x) => x.rad2deg(), nanToNum: (x) => x.nanToNum(),
  gelu: (x) => F.gelu(x), geluTanh: (x) => F.gelu(x, "tanh"), leakyRelu: (x) => F.leakyRelu(x), elu: (x) => F.elu(x),
  silu: (x) => F.silu(x), softplus: (x) => F.softplus(x), relu6: (x) => F.relu6(x), hardswish: (x) => F.hardswish(x),
  hardsigmoid: (x) => F.hardsigmoid(x), hardtanh: (x) => F.hardtanh(x), selu: (x) => F.selu(x), celu: (x) => F.celu(x),
  mish: (x) => F.mish(x), softsign: (x) => F.softsign(x), tanhshrink: (x) => F.tanhshrink(x), logsigmoid: (x) => F.logsigmoid(x),
  softshrink: (x) => F.softshrink(x), hardshrink: (x) => F.hardshrink(x), rrelu: (x) => F.rrelu(x),
  threshold: (x) => F.threshold(x, 0.5, -2),
};

/** "-0", "0", "inf", "nan" or the number: what must agree exactly (finite non-zero values agree to `tol`). */
const kind = (v: number): string => (Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : Object.is(v, -0) ? "-0" : v === 0 ? "0" : "finite");

// Tiled past the wasm backend's small-tensor cutoffs and SIMD widths (with a ragged tail), so the
// vector loops and their remainders both meet every special value.
const REPEAT = 1111;

function check(backendName: string): void {
  for (const [name, want] of Object.entries(fx.ops)) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`${name} ${dtype}`, () => {
        const inputs = fx.inputs.map(dec);
        const n = inputs.length;
        const data = Array.from({ length: n * REPEAT }, (_, i) => inputs[i % n]);
        const got = OPS[name](tensor(data, { dtype: dtype as DType })).tolist() as number[];
        const exp = want[dtype].map(dec);
        // The sign and class of each value are what this test is about; finite values agree loosely
        // (deeptype's float64 digamma(1.5) is 1e-10 off; ops-math.test.ts checks the values closely).
        const tol = dtype === "float32" ? 2e-6 : 1e-9;
        for (let i = 0; i < got.length; i++) {
          const g = got[i], e = exp[i % n];
          const where = `${name}(${String(Object.is(inputs[i % n], -0) ? "-0" : inputs[i % n])}) ${dtype} on ${backendName} at ${i}`;
          assert.equal(kind(g), kind(e), `${where}: got ${Object.is(g, -0) ? "-0" : g}, PyTorch gives ${Object.is(e, -0) ? "-0" : e}`);
          if (kind(e) === "finite") assert.ok(Math.abs(g - e) <= tol * Math.max(1, Math.abs(e)), `${where}: got ${g}, PyTorch gives ${e}`);
        }
      });
    }
  }
}

describe("signed zero, infinities and NaN through unary ops, as PyTorch", () => {
  it("clamp is min(max(x, lo), hi) as PyTorch's: -0 at a bound of 0 stays -0, min > max gives max, NaN passes", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const got = tensor([-0, 0, -1, 7, NaN], { dtype }).clamp(0, 6).tolist() as number[];
      assert.ok(Object.is(got[0], -0) && Object.is(got[1], 0), `${dtype}: ${got}`);
      assert.deepEqual(got.slice(2), [0, 6, NaN]);
      assert.deepEqual(tensor([1, 5, -3], { dtype }).clamp(3, 2).tolist(), [2, 2, 2]);
      assert.deepEqual(F.hardtanh(tensor([1, 5, -3], { dtype }), 3, 2).tolist(), [2, 2, 2]);
    }
  });

  it("conv2d of an all-zero input with negative weights and a -0 bias is +0 on js and wasm, as PyTorch's", () => {
    // PyTorch 1.13: F.conv2d(zeros(1,1,3,3), -ones(1,1,2,2), tensor([-0.])) has no sign bit set (float32 and
    // float64): its sums start at +0 and the bias is added to them.
    const before = getBackend();
    try {
      for (const b of ["js", "wasm"]) {
        setBackend(b);
        for (const dtype of ["float32", "float64"] as const) {
          const x = tensor(new Array(9).fill(0), { dtype }).reshape([1, 1, 3, 3]);
          const w = tensor([-1, -1, -1, -1], { dtype }).reshape([1, 1, 2, 2]);
          for (const bias of [tensor([-0], { dtype }), null]) {
            const y = F.conv2d(x, w, bias).reshape([-1]).tolist() as number[];
            assert.deepEqual(y.map((v) => Object.is(v, -0) ? "-0" : String(v)), ["0", "0", "0", "0"], `${b} ${dtype} bias ${bias ? "-0" : "none"}`);
          }
        }
      }
    } finally {
      setBackend(before);
    }
  });

  it("covers every op of the fixture", () => assert.deepEqual(Object.keys(fx.ops).sort(), Object.keys(OPS).sort()));
  for (const b of ["js", "wasm"]) {
    describe(b, () => {
      let before = "";
      it(`selects ${b}`, () => {
        before = getBackend();
        setBackend(b);
        assert.equal(getBackend(), b);
      });
      check(b);
      it(`restores the backend`, () => { setBackend(before); });
    });
  }
});
