// CatTransform / StackTransform and constraints.cat / stack (session 14, helper dist2): values, inverses,
// log |det J| and the gradients of their weighted sums, domain / codomain checks and bijectTo /
// transformTo of cat and stack constraints, against torch 1.13 (scripts/fixtures/dist2_s14d.py ->
// test/fixtures/dist2_s14d.json), in float32 and float64. Where PyTorch raises, deeptype must throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { distributions as D, tensor, Tensor, grad, type DType } from "../src/index.js";

type Enc = { t: (number | string)[]; shape: number[]; dtype: string };
type OrErr = Enc | { error: string };
interface TRow { kind: "cat" | "stack"; parts: string[]; dim: number; lengths: number[] | null; x: Enc; y: Enc; ladj: Enc; wy: Enc; wl: Enc; gy: Enc; gl: Enc; inv: Enc; gi: Enc; domainOk: OrErr; codomainOk: OrErr; bijective: boolean }
interface CRow { kind: "cat" | "stack"; parts: string[]; dim: number; lengths: number[] | null; value: Enc; ok: OrErr; eventDim: number; isDiscrete: boolean }
type RegOut = { y: Enc; ok: OrErr; ladj?: Enc; ladjError?: string } | { error: string };
interface RRow { kind: "cat" | "stack"; parts: string[]; dim: number; lengths: number[] | null; x: Enc; transformTo: RegOut; bijectTo: RegOut }
const fx = JSON.parse(readFileSync(new URL("./fixtures/dist2_s14d.json", import.meta.url), "utf8")) as { transforms: TRow[]; constraints: CRow[]; registry: RRow[] };

const num = (v: number | string): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const decode = (e: Enc): Tensor => tensor(e.t.map(num), { dtype: e.dtype as DType }).reshape(e.shape);

function close(got: Tensor, want: Enc, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const tol = want.dtype === "float64" ? 1e-10 : 2e-6;
  const g = Array.from(got.detach().contiguous().numbers(), Number);
  want.t.map(num).forEach((e, i) => {
    if (Number.isNaN(e)) return assert.ok(Number.isNaN(g[i]), `${what}[${i}]: ${g[i]}, PyTorch NaN`);
    assert.ok(Math.abs(g[i] - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ${g[i]} vs PyTorch ${e}`);
  });
}
function sameBools(got: Tensor, want: Enc, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.deepEqual(Array.from(got.numbers(), Boolean), want.t.map(Boolean), what);
}

const part = (n: string): D.Transform => ({
  exp: () => new D.ExpTransform(), affine: () => new D.AffineTransform(1.5, -2), sigmoid: () => new D.SigmoidTransform(),
  tanh: () => new D.TanhTransform(), softplus: () => new D.SoftplusTransform(), id: () => D.identityTransform,
  "indep-exp": () => new D.IndependentTransform(new D.ExpTransform(), 1), "indep-affine": () => new D.IndependentTransform(new D.AffineTransform(0.5, 3), 1),
} as Record<string, () => D.Transform>)[n]();
const cons = (n: string): D.Constraint => ({ positive: D.constraints.positive, real: D.constraints.real, unit: D.constraints.unitInterval, simplex: D.constraints.simplex, nonnegInt: D.constraints.nonnegativeInteger } as Record<string, D.Constraint>)[n];
const makeT = (r: { kind: string; parts: string[]; dim: number; lengths: number[] | null }): D.Transform =>
  r.kind === "cat" ? new D.CatTransform(r.parts.map(part), r.dim, r.lengths ?? undefined) : new D.StackTransform(r.parts.map(part), r.dim);
const makeC = (r: { kind: string; parts: string[]; dim: number; lengths: number[] | null }): D.Constraint =>
  r.kind === "cat" ? D.constraints.cat(r.parts.map(cons), r.dim, r.lengths ?? undefined) : D.constraints.stack(r.parts.map(cons), r.dim);
const label = (r: { kind: string; parts: string[]; dim: number; lengths: number[] | null }, dt = ""): string => `${r.kind}[${r.parts.join(",")}] dim ${r.dim}${r.lengths ? ` lengths ${r.lengths.join(",")}` : ""} ${dt}`;

test("CatTransform / StackTransform: values, inverse, log |det J| and their gradients match torch 1.13", () => {
  assert.ok(fx.transforms.length >= 22);
  for (const r of fx.transforms) {
    const what = label(r, r.x.dtype), t = makeT(r);
    const x = decode(r.x).requiresGrad_(true);
    const y = t.call(x);
    close(y, r.y, `${what} y`);
    const ladj = t.logAbsDetJacobian(x, y);
    close(ladj, r.ladj, `${what} ladj`);
    close(grad(y.mul(decode(r.wy)).sum(), [x])[0]!, r.gy, `${what} d(y)/dx`);
    close(grad(t.logAbsDetJacobian(x, t.call(x)).mul(decode(r.wl)).sum(), [x])[0]!, r.gl, `${what} d(ladj)/dx`);
    const yd = decode(r.y).requiresGrad_(true);
    const xi = t.inv.call(yd);
    close(xi, r.inv, `${what} inverse`);
    close(grad(xi.mul(decode(r.wy)).sum(), [yd])[0]!, r.gi, `${what} d(inverse)/dy`);
    assert.equal(t.bijective, r.bijective, `${what} bijective`);
    for (const [k, c, v] of [["domain", t.domain, decode(r.x)], ["codomain", t.codomain, decode(r.y)]] as const) {
      const want = k === "domain" ? r.domainOk : r.codomainOk;
      if ("error" in want) assert.throws(() => c.check(v), Error, `${what} ${k} check should throw as PyTorch's`);
      else sameBools(c.check(v), want, `${what} ${k} check`);
    }
  }
});

test("constraints.cat / stack: checks, eventDim and isDiscrete match torch 1.13", () => {
  for (const r of fx.constraints) {
    const c = makeC(r), what = label(r);
    assert.equal(c.eventDim, r.eventDim, `${what} eventDim`);
    assert.equal(c.isDiscrete, r.isDiscrete, `${what} isDiscrete`);
    if ("error" in r.ok) assert.throws(() => c.check(decode(r.value)), Error, `${what} should throw as PyTorch's`);
    else sameBools(c.check(decode(r.value)), r.ok, `${what} check`);
  }
});

test("bijectTo / transformTo of cat and stack constraints build Cat / Stack transforms as torch 1.13's", () => {
  for (const r of fx.registry) {
    for (const which of ["transformTo", "bijectTo"] as const) {
      const want = r[which], what = `${which}(${label(r)})`, x = decode(r.x);
      if ("error" in want) {
        assert.throws(() => D[which](makeC(r)).call(x), Error, `${what} should throw as PyTorch's`);
        continue;
      }
      const t = D[which](makeC(r));
      assert.ok(t instanceof (r.kind === "cat" ? D.CatTransform : D.StackTransform), `${what}: kind`);
      const y = t.call(x);
      close(y, want.y, `${what} y`);
      if (want.ladj) close(t.logAbsDetJacobian(x, y), want.ladj, `${what} ladj`);
      if (want.ladjError) assert.throws(() => t.logAbsDetJacobian(x, y), Error, `${what} ladj should throw as PyTorch's (${want.ladjError})`);
      if ("error" in want.ok) assert.throws(() => makeC(r).check(y));
      else sameBools(makeC(r).check(y), want.ok, `${what} check`);
    }
  }
});

test("CatTransform / StackTransform / constraints.cat / stack: bad input names the function", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => new D.CatTransform([], 0), /CatTransform: tseq must be a non-empty array of Transforms/);
  assert.throws(() => new D.CatTransform([new D.ExpTransform(), 3 as unknown as D.Transform]), /CatTransform: tseq/);
  assert.throws(() => new D.CatTransform([new D.ExpTransform()], 0, [1, 2]), /CatTransform: lengths must be 1 non-negative integers/);
  assert.throws(() => new D.CatTransform([new D.ExpTransform()], 0.5), /CatTransform: dim must be an integer/);
  assert.throws(() => new D.CatTransform([new D.ExpTransform(), new D.ExpTransform()], 1, [1, 1]).call(x), /CatTransform.call: the tensor's size 3 along dim 1 is not the sum of lengths \(2\)/);
  assert.throws(() => new D.CatTransform([new D.ExpTransform()], 2, [3]).inverse(x), /CatTransform.inverse: dim 2 is out of range/);
  assert.throws(() => new D.StackTransform([new D.ExpTransform()], 0).call(x), /StackTransform.call: the tensor's size 2 along dim 0 is not the number of transforms \(1\)/);
  assert.throws(() => new D.StackTransform([null as unknown as D.Transform]), /StackTransform: tseq/);
  assert.throws(() => D.constraints.cat([], 0), /constraints.cat: cseq must be a non-empty array of Constraints/);
  assert.throws(() => D.constraints.cat([D.constraints.real], 0, [1, 1]), /constraints.cat: lengths must be 1/);
  assert.throws(() => D.constraints.cat([D.constraints.real, D.constraints.real], 1).check(x), /constraints.cat: the value's size 3 along dim 1 is not the sum of lengths \(2\)/);
  assert.throws(() => D.constraints.stack([D.constraints.real], 0).check(x), /constraints.stack: the value's size 2 along dim 0 is not the number of constraints \(1\)/);
  assert.throws(() => D.constraints.stack([D.constraints.real], 5).check(x), /constraints.stack: dim 5 is out of range/);
});

test("CatTransform / StackTransform: equality and a TransformedDistribution through them", () => {
  const a = new D.CatTransform([new D.ExpTransform(), new D.AffineTransform(1, 2)], -1, [2, 1]);
  assert.ok(a.equals(new D.CatTransform([new D.ExpTransform(), new D.AffineTransform(1, 2)], -1, [2, 1])));
  assert.ok(!a.equals(new D.CatTransform([new D.ExpTransform(), new D.AffineTransform(1, 2)], -1, [1, 2])));
  assert.ok(new D.StackTransform([new D.ExpTransform()], 1).equals(new D.StackTransform([new D.ExpTransform()], 1)));
  // log p(y) = log N(x) - log |det J|, elementwise (event dims 0): checked against the parts directly.
  const base = new D.Normal(tensor([[0, 0, 0]]), tensor([[1, 1, 1]]));
  const td = new D.TransformedDistribution(base, [a]);
  const y = tensor([[0.5, 2, -1]]);
  const x = a.inv.call(y);
  const want = base.logProb(x).sub(a.logAbsDetJacobian(x, y));
  close(td.logProb(y), { t: Array.from(want.numbers(), Number), shape: [...want.shape], dtype: "float32" }, "TransformedDistribution logProb");
});
