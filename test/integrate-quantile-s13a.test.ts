// Session 13 (helper deptha): trapezoid / trapz / cumulativeTrapezoid, quantile / nanquantile and
// nanmedian against torch 1.13: values, indices and gradients of sum(W * output) from
// test/fixtures/s13a.json (scripts/fixtures/s13a.py), float32 and float64, on the js and wasm
// backends at 1 and 2 threads; then shapes, empty and 0-d inputs, the options forms and the errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { tensor, zeros, trapezoid, trapz, cumulativeTrapezoid, quantile, nanquantile, nanmedian, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { FIX, fromFixture, closeTo, onBackends, type FixtureTensor, outputWeights } from "./fixture-s13a.js";

type Fn = (...t: Tensor[]) => Tensor | { values: Tensor; indices: Tensor };
const FNS: Record<string, Fn> = {
  "trapezoid": (y) => trapezoid(y),
  "trapezoid:dim0dx": (y) => trapezoid(y, { dx: 0.37, dim: 0 }),
  "trapezoid:x1d": (y, x) => trapezoid(y, x),
  "trapezoid:xFull": (y, x) => trapezoid(y, x, { dim: 1 }),
  "trapezoid:xBroadcast": (y, x) => trapezoid(y, { x }),
  "trapezoid:one": (y) => trapezoid(y),
  "cumulativeTrapezoid": (y) => cumulativeTrapezoid(y),
  "cumulativeTrapezoid:dx": (y) => cumulativeTrapezoid(y, { dx: -1.5, dim: 0 }),
  "cumulativeTrapezoid:x1d": (y, x) => cumulativeTrapezoid(y, x),
  "cumulativeTrapezoid:xFull": (y, x) => cumulativeTrapezoid(y, x, { dim: -2 }),
  "quantile": (x) => quantile(x, 0.3),
  "quantile:dim": (x) => quantile(x, 0.71, 1),
  "quantile:dim0keep": (x) => x.quantile(0.5, { dim: 0, keepdim: true }),
  "quantile:qTensor": (x, q) => quantile(x, q, 1),
  "quantile:qTensorKeep": (x, q) => quantile(x, q, 1, true),
  "quantile:allKeep": (x, q) => quantile(x, q, null, true),
  "quantile:lower": (x, q) => quantile(x, q, -1, { interpolation: "lower" }),
  "quantile:higher": (x, q) => quantile(x, q, -1, false, { interpolation: "higher" }),
  "quantile:midpoint": (x, q) => x.quantile(q, -1, false, { interpolation: "midpoint" }),
  "quantile:nearest": (x, q) => quantile(x, q, { dim: -1, interpolation: "nearest" }),
  "quantile:ties": (x) => quantile(x, 0.4, 1),
  "quantile:nan": (x) => quantile(x, 0.4, 1),
  "nanquantile:nan": (x) => nanquantile(x, 0.4, 1),
  "nanquantile:nanQ": (x, q) => x.nanquantile(q, 0, { interpolation: "midpoint" }),
  "nanquantile:all": (x) => nanquantile(x, 0.75),
  "nanmedian:all": (x) => nanmedian(x),
  "nanmedian:allTies": (x) => x.nanmedian(),
  "nanmedian:dim": (x) => nanmedian(x, 1),
  "nanmedian:dim0keep": (x) => x.nanmedian(0, true),
  "nanmedian:ties": (x) => nanmedian(x, { dim: 1 }),
};

interface Case { inputs: FixtureTensor[]; output: FixtureTensor; indices?: FixtureTensor; grads?: (FixtureTensor | null)[] }

test("trapezoid, cumulativeTrapezoid, quantile, nanquantile, nanmedian: values, indices and gradients as torch 1.13", () => {
  const names = Object.keys(FIX).filter((k) => /^(trapezoid|cumulativeTrapezoid|quantile|nanquantile|nanmedian)/.test(k));
  assert.equal(names.length, Object.keys(FNS).length * 2);
  onBackends((label) => {
    for (const name of names) {
      const c = FIX[name] as unknown as Case;
      const base = name.slice(0, name.lastIndexOf(":"));
      const dtype = name.endsWith("float32") ? "float32" : "float64";
      // float32: sums and lerps may round in another order than PyTorch's (a few ulps)
      const [rtol, atol] = dtype === "float32" ? [2e-6, 2e-6] : [1e-13, 1e-13];
      const leaves = c.inputs.map((f, i) => {
        const t = fromFixture(f);
        return c.grads?.[i] ? t.requiresGrad_() : t;
      });
      const out = FNS[base](...leaves);
      const values = out instanceof dt.Tensor ? out : out.values;
      closeTo(values, c.output, `${label} ${name}`, rtol, atol);
      if (c.indices) assert.deepEqual((out as { indices: Tensor }).indices.tolist(), fromFixture(c.indices).tolist(), `${label} ${name} indices`);
      if (c.grads) {
        const W = outputWeights(values);
        values.mul(W).sum().backward();
        c.grads.forEach((g, i) => {
          if (g) closeTo(leaves[i].grad!, g, `${label} ${name} grad ${i}`, rtol, atol);
        });
      }
    }
  });
});

test("trapezoid and cumulativeTrapezoid: integer, empty and one-sample inputs, trapz, gradcheck", () => {
  // torch: trapezoid(tensor([1, 2, 4])) = 4.5 (float32); dx=2: 9; x = [1, 2, 4]: 7.5
  const i = tensor([1n, 2n, 4n]);
  for (const [r, v] of [[trapezoid(i), 4.5], [trapezoid(i, { dx: 2 }), 9], [trapezoid(i, i), 7.5], [trapz(i, { dx: 2 }), 9]] as const) {
    assert.deepEqual([r.dtype, r.item()], ["float32", v]);
  }
  assert.deepEqual(cumulativeTrapezoid(i).tolist(), [1.5, 4.5]);
  // dx as a 0-d tensor (PyTorch's Scalar): trapezoid(y, dx=torch.tensor(2.)) = [9, 22]
  assert.deepEqual(trapezoid(tensor([[1, 2, 4], [3, 5, 9]]), { dx: tensor(2) }).tolist(), [9, 22]);
  // Empty dim: zeros over the other dims (numpy's answer); torch.trapezoid(zeros(2, 0)) = [0, 0], dim=0: shape [0]
  assert.deepEqual(trapezoid(zeros([2, 0])).tolist(), [0, 0]);
  assert.deepEqual(trapezoid(zeros([2, 0]), { dim: 0 }).shape, [0]);
  assert.deepEqual(trapezoid(zeros([2, 0], { dtype: "int64" })).dtype, "int64");
  assert.deepEqual([cumulativeTrapezoid(zeros([2, 0])).shape, cumulativeTrapezoid(zeros([2, 1])).shape], [[2, 0], [2, 0]]);
  const f64 = (v: number[] | number[][]) => tensor(v, { dtype: "float64", requiresGrad: true });
  const y = f64([[1, -2, 0.5, 3], [0.25, 1, 2, -1]]), x = f64([0, 0.5, 1.75, 2]);
  assert.equal(dt.gradcheck((a, b) => trapezoid(a, b), [y, x]), true);
  assert.equal(dt.gradcheck((a, b) => cumulativeTrapezoid(a, b, { dim: 1 }), [y, x]), true);
  assert.equal(dt.gradcheck((a) => cumulativeTrapezoid(a, { dx: 0.3, dim: 0 }), [y]), true);
});

test("trapezoid and cumulativeTrapezoid: bad calls name the function", () => {
  const y = tensor([[1, 2, 4], [3, 5, 9]]);
  // torch: "trapezoid: There must be one `x` value for each sample point"
  throwsWith(() => trapezoid(y, tensor([0, 1])), "trapezoid: there must be one x value for each sample point: x has 2, y [2,3] has 3 along dim 1");
  throwsWith(() => cumulativeTrapezoid(y, tensor([0, 1])), /^cumulativeTrapezoid: there must be one x value for each sample point/);
  // torch: "Dimension specified as -1 but tensor has no dimensions"; "Dimension out of range"
  throwsWith(() => trapezoid(tensor(3)), "trapezoid: y must have at least one dim to integrate along, got a 0-d tensor");
  throwsWith(() => trapezoid(y, { dim: 2 }), /^trapezoid: .*dim.*2/);
  // torch: "trapezoid: received a bool input for `y`, but bool is not supported"
  throwsWith(() => trapezoid(tensor([true, false])), "trapezoid: bool y is not supported (as PyTorch); convert it with .float()");
  throwsWith(() => trapezoid(y, tensor([0, 1, 2]), { dx: 1 }), "trapezoid: give either x (the sample points) or dx (a constant spacing), not both");
  throwsWith(() => trapezoid(y, { x: tensor([0, 1, 2]), dx: 1 }), "trapezoid: give either x (the sample points) or dx (a constant spacing), not both");
  throwsWith(() => trapezoid(y, tensor([0, 1, 2]), { x: tensor([0, 1, 2]) }), "trapezoid: x was given both positionally and in the options; give it once");
  throwsWith(() => trapezoid(y, { dx: "1" as never }), 'trapezoid: dx must be a real number, got string "1"');
  throwsWith(() => trapezoid(y, { dimm: 0 } as never), /^trapezoid: unknown option 'dimm'; did you mean 'dim'\?/);
  throwsWith(() => trapezoid(y, [0, 1, 2] as never), "trapezoid: x must be a Tensor of sample points (or give { dx }), got an array of length 3");
  // x broadcast against y after the differences, as torch: x [3, 1] has no differences along dim 1 to pair with y's
  throwsWith(() => trapezoid(y, dt.ones([3, 1])), /^trapezoid: shapes \[3,0\] and \[2,2\] cannot be broadcast/);
});

test("quantile and nanquantile: shapes, NaN, 0-d, options forms and errors as torch 1.13", () => {
  const N = NaN;
  const x = tensor([[3, 1, 2, N], [4, 0, 1, 2]]);
  // torch: quantile(x, 0.3, dim=1) = [nan, 0.9]; nanquantile = [1.6, 0.9]
  assert.deepEqual(Array.from(quantile(x, 0.3, 1).numbers(), (v) => Math.round(v * 1e6) / 1e6), [NaN, 0.9]);
  assert.deepEqual(Array.from(nanquantile(x, 0.3, 1).numbers(), (v) => Math.round(v * 1e6) / 1e6), [1.6, 0.9]);
  // Shapes: keepdim without a dim keeps every dim as 1; a 1-D q comes first; a 0-d q like a number
  assert.deepEqual(quantile(x.get(1), 0.5, null, true).shape, [1]);
  assert.deepEqual(quantile(x, tensor([0.5, 0.6]), 0, true).shape, [2, 1, 4]);
  assert.deepEqual(quantile(x, tensor(0.5), 0).shape, [4]);
  assert.deepEqual(quantile(x, tensor([])).shape, [0]);
  assert.deepEqual([quantile(tensor(3), 0.5).item(), quantile(tensor(3), 0.5, 0, true).shape], [3, []]);
  assert.ok(Number.isNaN(nanquantile(tensor([N, N]), 0.5).item() as number));
  // The options forms: { dim, keepdim } beside interpolation, methods too
  assert.deepEqual(quantile(x, 0.5, { dim: 0, keepdim: true }).tolist(), quantile(x, 0.5, 0, true).tolist());
  assert.deepEqual(x.nanquantile(0.5, { dim: 1, interpolation: "lower" }).tolist(), nanquantile(x, 0.5, 1, false, { interpolation: "lower" }).tolist());
  // torch's messages: "quantile() input tensor must be non-empty", "q must be in the range [0, 1] but got 1.5",
  // "q values must be in the range [0, 1]", "q tensor must be same dtype as the input tensor",
  // "input tensor must be either float or double dtype", "q must be a scalar or 1D tensor", interpolation "foo"
  throwsWith(() => quantile(tensor([]), 0.5), "quantile: input must be non-empty, got shape [0]");
  throwsWith(() => quantile(x, 1.5), "quantile: q must be in the range [0, 1], got 1.5");
  throwsWith(() => nanquantile(x, tensor([0.5, -0.1])), "nanquantile: q values must be in the range [0, 1], got -0.10000000149011612 at index 1");
  throwsWith(() => quantile(x, tensor([0.5], { dtype: "float64" })), 'quantile: q must have the input\'s dtype float32, got float64 (as PyTorch); convert it with q.to("float32")');
  throwsWith(() => quantile(tensor([1n, 2n]), 0.5), "quantile: input must be a float32 or float64 tensor (as PyTorch), got int64; convert it with .float()");
  throwsWith(() => quantile(x, dt.ones([2, 2]).mul(0.5)), "quantile: q must be a number, a 0-d or a 1-D tensor, got shape [2,2]");
  throwsWith(() => quantile(x, 0.5, { interpolation: "foo" as never }), 'quantile: interpolation must be one of linear, lower, higher, midpoint, nearest, got string "foo"');
  throwsWith(() => quantile(x, 0.5, 2), /^quantile: .*dim.*2/);
  throwsWith(() => quantile(x, 0.5, 0, "yes" as never), 'quantile: keepdim must be true or false, got string "yes"');
  throwsWith(() => quantile(x, "0.5" as never), 'quantile: q must be a number or a tensor of quantiles in [0, 1], got string "0.5"');
  throwsWith(() => quantile(x, 0.5, { interp: "lower" } as never), /^quantile: unknown option 'interp'; did you mean 'interpolation'\?/);
});

test("nanmedian: NaNs left out, indices, empty and 0-d inputs, PyTorch's gradient for the 0-d form", () => {
  const N = NaN;
  // torch.nanmedian(x, 1) of these rows: values [nan, 1, 2, 1], indices [0, 0, 0, 2]
  const r = nanmedian(tensor([[N, N, N], [1, N, 1], [2, 1, 2], [N, 3, 1]]), 1);
  assert.deepEqual([Array.from(r.values.numbers(), String), r.indices.tolist()], [["NaN", "1", "2", "1"], [0, 0, 0, 2]]);
  const [v, i] = nanmedian(tensor([N, N, N, N, N, 2]), 0);
  assert.deepEqual([v.item(), i.item()], [2, 5]);
  // A line of NaNs: torch's index is where libstdc++'s nth_element leaves it (n = 1..19 below, from torch 1.13)
  const allNan = [0, 0, 0, 2, 2, 3, 5, 6, 7, 8, 8, 9, 8, 9, 9, 10, 10, 11, 11];
  assert.deepEqual(allNan.map((_, k) => nanmedian(dt.full([2, k + 1], NaN), 1).indices.tolist()), allNan.map((want) => [want, want]));
  // torch: nanmedian(tensor([])) = nan (median refuses it here, PyTorch gives nan for both); all-NaN: nan
  assert.ok(Number.isNaN(nanmedian(tensor([])).item() as number));
  assert.ok(Number.isNaN(nanmedian(tensor([N, N])).item() as number));
  // 0-d: torch.nanmedian(tensor(5.), 0, True) = (5, 0); zeros(0, 3) along 1 is empty; integers: nanmedian(tensor([1, 5, 2]), 0) = (2, 2)
  const z = nanmedian(tensor(5), 0, true);
  assert.deepEqual([z.values.shape, z.values.item(), z.indices.item()], [[], 5, 0]);
  assert.deepEqual(nanmedian(zeros([0, 3]), 1).values.shape, [0]);
  const n = nanmedian(tensor([1n, 5n, 2n]), 0);
  assert.deepEqual([n.values.dtype, n.values.item(), n.indices.item()], ["int64", 2, 2]);
  // PyTorch's evenly_distribute_backward: the gradient is shared by every element equal to the median
  // torch: [1, 2, 2, 3, nan] -> [0, 0.5, 0.5, 0, 0]; all NaN -> 1/3 each
  const g = tensor([1, 2, 2, 3, N], { requiresGrad: true });
  nanmedian(g).backward();
  assert.deepEqual(g.grad!.tolist(), [0, 0.5, 0.5, 0, 0]);
  const h = tensor([N, N, N], { dtype: "float64", requiresGrad: true });
  nanmedian(h).backward();
  assert.deepEqual(h.grad!.tolist(), [1 / 3, 1 / 3, 1 / 3]);
  // torch: "median(): Expected reduction dim 1 to have non-zero size."; keepdim needs a dim, as median
  throwsWith(() => nanmedian(zeros([3, 0]), 1), "nanmedian: dim 1 of [3,0] is empty; there is no median");
  // An empty integer tensor: PyTorch returns an unspecified value (int64's minimum); deeptype says so, as median().
  throwsWith(() => nanmedian(tensor([], { dtype: "int32" })), "nanmedian: an empty int32 tensor (shape [0]) has no median; an empty float tensor gives NaN");
  throwsWith(() => nanmedian(tensor([1]), { keepdim: true } as never), /^nanmedian: keepdim needs a dim/);
  throwsWith(() => nanmedian(tensor([true])), "nanmedian: bool tensors have no median (as PyTorch); convert with .int() or .float()");
  throwsWith(() => nanmedian(tensor([1]), 1), /^nanmedian: .*dim.*1/);
});

test("median() of all elements shares its gradient among ties as PyTorch (it went to one of them)", () => {
  // torch: x = [1, 2, 2, 3, 2]; torch.median(x).backward() -> [0, 1/3, 1/3, 0, 1/3]; with a NaN: all of it to the NaN
  const x = tensor([1, 2, 2, 3, 2], { dtype: "float64", requiresGrad: true });
  const m = dt.median(x);
  assert.deepEqual([m.item(), m.gradFn!.name], [2, "median"]);
  m.backward();
  assert.deepEqual(x.grad!.tolist(), [0, 1 / 3, 1 / 3, 0, 1 / 3]);
  const y = tensor([1, 2, 2, 3, NaN], { requiresGrad: true });
  y.median().mul(2).backward();
  assert.deepEqual(y.grad!.tolist(), [0, 0, 0, 0, 2]);
  // Second order: the gradient is constant in x
  const z = tensor([4, 1, 4], { dtype: "float64", requiresGrad: true });
  assert.equal(dt.gradcheck((t) => dt.median(t.mul(t)), [tensor([3, 1, 2], { dtype: "float64", requiresGrad: true })]), true);
  assert.equal(dt.median(z).item(), 4);
});
