// torch.distributions (session 14, helper dist): every family's moments, entropy, logProb, cdf and icdf,
// and klDivergence of every registered pair, with the gradients of sum(W * output) for each floating
// parameter, against torch 1.13 (scripts/fixtures/dist_s14d.py -> test/fixtures/dist_s14d.json), in
// float32 and float64 with broadcast parameters and values. A quantity PyTorch does not implement must
// throw here too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { distributions as D, tensor, Tensor, Generator, type DType } from "../src/index.js";
import { standardGammaGrad, dirichletGrad } from "../src/distributions/gamma-grad.js";

type Enc = { t: (number | string)[]; shape: number[]; dtype: string };
type Arg = Enc | number;
interface Q { name: string; error?: string; out?: Enc; grads?: (Enc | null)[]; value?: Enc }
interface Case { name: string; family: string; args: Arg[]; kwargs: Record<string, Arg>; batchShape: number[]; eventShape: number[]; quantities: Q[] }
interface Spec { family: string; args: Arg[]; kwargs: Record<string, Arg> }
interface Kl { name: string; p: Spec; q: Spec; out: Enc; pGrads?: (Enc | null)[]; qGrads?: (Enc | null)[] }

type TOut = { out: Enc; grads: (Enc | null)[] } | { error: string };
interface TCase { chain: string; base: "normal" | "uniform"; params: Enc[]; value: Enc; u: Enc; logProb: TOut; cdf: TOut; icdf: TOut; rsample: { noise: Enc; out: Enc; grads: (Enc | null)[] } }
interface Indep { p: Enc[]; q: Enc[]; value: Enc; logProb: Enc; entropy: Enc; kl: Enc; pGrads: Enc[]; qGrads: Enc[]; batchShape: number[]; eventShape: number[] }
const fx = JSON.parse(readFileSync(new URL("./fixtures/dist_s14d.json", import.meta.url), "utf8")) as {
  cases: Case[]; kl: Kl[]; independent: Indep[];
  rsample: (Spec & { sampleShape: number[]; kind: "normal" | "uniform" | "exponential" | "laplace" | "cauchy"; noise: Enc; out: Enc; grads: Enc[] })[];
  transformed: TCase[];
  straight: { kw: string; param: Enc; shape: number[]; grad: Enc }[];
  constraints: { name: string; value: Enc; ok: boolean[] | boolean[][] }[];
  cdt: Record<"loc" | "scale" | "x" | "y" | "ladj" | "inv", Enc>;
  registry: ({ name: string; x: Enc } & Record<"transformTo" | "bijectTo", { y: Enc; ladj?: Enc; inv?: Enc } | { error: string }>)[];
  mixture: { kind: string; params: Enc[]; value: Enc; logProb: TOut; cdf: TOut; mean: TOut; variance: TOut }[];
  gammaGrad: { alpha: number[]; x: number[]; grad: number[] };
  dirichletGrad: { x: number[]; alpha: number[]; total: number[]; grad: number[] };
};

const num = (v: number | string): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const isEnc = (a: unknown): a is Enc => typeof a === "object" && a !== null && "t" in a;
const decode = (e: Enc, grad = false): Tensor => tensor(e.t.map(num), { dtype: e.dtype as DType }).reshape(e.shape).requiresGrad_(grad && e.dtype.startsWith("float"));
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A fresh distribution with leaf parameters; returns it and its floating tensor parameters in PyTorch's order. */
function build(s: Spec): { d: D.Distribution; params: Tensor[] } {
  const params: Tensor[] = [];
  const leaf = (a: Arg): Tensor | number => {
    if (!isEnc(a)) return a;
    const t = decode(a, true);
    if (t.requiresGrad) params.push(t);
    return t;
  };
  const args = s.args.map(leaf);
  const kw: Record<string, Tensor | number> = {};
  for (const [k, v] of Object.entries(s.kwargs)) kw[camel(k)] = leaf(v);
  const Ctor = (D as unknown as Record<string, new (...a: unknown[]) => D.Distribution>)[s.family];
  return { d: Object.keys(kw).length ? new Ctor(...args, kw) : new Ctor(...args), params };
}

/** float64 values and gradients to 1e-9 (trigamma, digamma's derivative, is PyTorch's bit for bit since session 14). */
function close(got: Tensor, want: Enc, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const tol = want.dtype === "float64" ? 1e-9 : 2e-5;
  const g = Array.from(got.detach().contiguous().numbers(), Number);
  const w = want.t.map(num);
  g.forEach((v, i) => {
    const e = w[i];
    if (Number.isNaN(e)) return assert.ok(Number.isNaN(v), `${what}[${i}]: ${v}, PyTorch NaN`);
    if (!Number.isFinite(e)) return assert.equal(v, e, `${what}[${i}]`);
    assert.ok(Math.abs(v - e) <= tol * (1 + Math.abs(e)), `${what}[${i}]: ${v} vs PyTorch ${e}`);
  });
}

function grads(params: Tensor[], want: (Enc | null)[] | undefined, what: string): void {
  if (!want) return;
  assert.equal(params.length, want.length, `${what}: parameter count`);
  params.forEach((p, i) => {
    const w = want[i];
    if (w === null) return assert.ok(p.grad === null || p.grad.abs().sum().item() === 0, `${what}: grad ${i} should be none`);
    assert.ok(p.grad, `${what}: grad ${i} missing`);
    close(p.grad!, w, `${what} grad ${i}`);
  });
}

const weights = (shape: readonly number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => 0.5 + ((i * 7919) % 13) / 13), { dtype: "float64" }).reshape(shape);
};

for (const c of fx.cases) {
  test(`${c.name}: shapes, moments, entropy, logProb, cdf, icdf and their gradients match PyTorch`, () => {
    const { d } = build(c);
    assert.deepEqual(d.batchShape, c.batchShape);
    assert.deepEqual(d.eventShape, c.eventShape);
    for (const q of c.quantities) {
      const what = `${c.name}.${q.name}`;
      const { d: fresh, params } = build(c);
      const run = (): Tensor => {
        const f = fresh as unknown as Record<string, unknown>;
        if (q.value) return (f[q.name] as (v: Tensor) => Tensor).call(fresh, decode(q.value));
        return q.name === "entropy" ? fresh.entropy() : (f[q.name] as Tensor);
      };
      if (q.error) {
        assert.throws(run, /not implemented/, `${what}: PyTorch raises ${q.error}`);
        continue;
      }
      const out = run();
      close(out, q.out!, what);
      // ContinuousBernoulli's variance cancels catastrophically in float32 near probs = 0.5: PyTorch's own
      // float32 gradient at 0.45 is 0.00616 against 0.00674 in float64, so float32 gradients there are noise.
      if (q.grads && !(c.name.startsWith("ContinuousBernoulli") && c.name.endsWith("f32") && (q.name === "variance" || q.name === "stddev"))) {
        assert.ok(out.requiresGrad, `${what}: output should require grad`);
        out.mul(weights(out.shape).to(out.dtype)).sum().backward();
        grads(params, q.grads, what);
      }
    }
  });
}

for (const k of fx.kl) {
  test(`klDivergence ${k.name} and its gradients match PyTorch`, () => {
    const p = build(k.p), q = build(k.q);
    const out = D.klDivergence(p.d, q.d);
    close(out, k.out, `kl ${k.name}`);
    if (k.pGrads) {
      out.mul(weights(out.shape).to(out.dtype)).sum().backward();
      grads(p.params, k.pGrads, `kl ${k.name} p`);
      grads(q.params, k.qGrads, `kl ${k.name} q`);
    }
  });
}

test("Independent(Normal, 1): shapes, logProb, entropy, klDivergence and gradients match PyTorch", () => {
  for (const c of fx.independent) {
    const pa = c.p.map((e) => decode(e, true)), qa = c.q.map((e) => decode(e, true));
    const p = new D.Independent(new D.Normal(pa[0], pa[1]), 1), q = new D.Independent(new D.Normal(qa[0], qa[1]), 1);
    assert.deepEqual([p.batchShape, p.eventShape], [c.batchShape, c.eventShape]);
    const lp = p.logProb(decode(c.value)), ent = p.entropy(), k = D.klDivergence(p, q);
    close(lp, c.logProb, "Independent.logProb");
    close(ent, c.entropy, "Independent.entropy");
    close(k, c.kl, "kl Independent");
    lp.mul(weights(lp.shape)).sum().add(ent.mul(weights(ent.shape)).sum()).add(k.mul(weights(k.shape)).sum()).backward();
    grads(pa, c.pGrads, "Independent p");
    grads(qa, c.qGrads, "Independent q");
  }
});

test("the implicit reparameterization gradients of Gamma and Dirichlet samples match PyTorch's on a grid of every branch", () => {
  const g = fx.gammaGrad;
  g.alpha.forEach((a, i) => {
    const got = standardGammaGrad(a, g.x[i]);
    assert.ok(Math.abs(got - g.grad[i]) <= 1e-9 * (1 + Math.abs(g.grad[i])), `_standard_gamma_grad(${a}, ${g.x[i]}): ${got} vs PyTorch ${g.grad[i]}`);
  });
  const d = fx.dirichletGrad;
  d.x.forEach((x, i) => {
    const got = dirichletGrad(x, d.alpha[i], d.total[i]);
    assert.ok(Math.abs(got - d.grad[i]) <= 1e-9 * (1 + Math.abs(d.grad[i])), `_dirichlet_grad(${x}, ${d.alpha[i]}, ${d.total[i]}): ${got} vs PyTorch ${d.grad[i]}`);
  });
});

/**
 * A stand-in Generator that replays PyTorch's noise: normal() gives PyTorch's standard normals, random()
 * the uniforms that deeptype's samplers turn into PyTorch's (exp(-E) for an Exp(1) draw E, and the
 * [0, 1) value that Laplace maps to PyTorch's u in (eps - 1, 1)).
 */
function replay(kind: string, noise: number[], eps: number): Generator {
  let i = 0;
  const next = (): number => {
    if (i >= noise.length) assert.fail("the sampler drew more numbers than PyTorch did");
    return noise[i++];
  };
  const random = (): number => {
    const v = next();
    if (kind === "uniform") return v;
    if (kind === "exponential") return Math.exp(-v);
    if (kind === "laplace") return (v - (eps - 1)) / (2 - eps);
    if (kind === "cauchy") return Math.atan(v) / Math.PI + 0.5;
    return assert.fail(`a ${kind} sampler called random()`);
  };
  const normal = (): number => (kind === "normal" ? next() : assert.fail(`a ${kind} sampler called normal()`));
  return { random, normal } as unknown as Generator;
}

test("rsample with PyTorch's noise gives PyTorch's samples and gradients (Normal, LogNormal, Uniform, Exponential, Laplace, Cauchy, HalfNormal, Gumbel, Pareto, Weibull, MultivariateNormal)", () => {
  for (const c of fx.rsample) {
    const what = `${c.family} ${c.noise.dtype} rsample`;
    const { d, params } = build(c);
    const eps = c.noise.dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7;
    const z = d.rsample(c.sampleShape, { generator: replay(c.kind, c.noise.t.map(num), eps) });
    close(z, c.out, what);
    z.mul(weights(z.shape).to(z.dtype)).sum().backward();
    grads(params, c.grads, what);
  }
});

/** The transform chains of the fixture's TransformedDistribution cases (scripts/fixtures/dist_s14d.py chain()). */
function transformed(c: TCase, ps: Tensor[]): D.TransformedDistribution {
  const [loc, scale, a, b, e] = ps;
  const T = D.transforms;
  const chains: Record<string, () => D.Transform[]> = {
    "affine-exp": () => [new T.AffineTransform(a, b), new T.ExpTransform()],
    sigmoid: () => [new T.SigmoidTransform()],
    tanh: () => [new T.TanhTransform()],
    "neg-affine": () => [new T.AffineTransform(a, b.neg())],
    power: () => [new T.ExpTransform(), new T.PowerTransform(e)],
    logistic: () => [new T.SigmoidTransform().inv, new T.AffineTransform(a, b)],
    softplus: () => [new T.SoftplusTransform()],
    stick: () => [new T.StickBreakingTransform()],
  };
  const dt = loc.dtype;
  const base = c.base === "uniform" ? new D.Uniform(tensor([0, 0, 0], { dtype: dt }), tensor([1, 1, 1], { dtype: dt })) : new D.Normal(loc, scale);
  return new D.TransformedDistribution(base, chains[c.chain]());
}

test("TransformedDistribution: logProb, cdf, icdf and rsample through affine, exp, power, sigmoid, tanh and inverse transforms match PyTorch", () => {
  for (const c of fx.transformed) {
    const what = `TransformedDistribution ${c.chain} ${c.value.dtype}`;
    for (const [q, arg] of [["logProb", c.value], ["cdf", c.value], ["icdf", c.u]] as const) {
      const ps = c.params.map((e) => decode(e, true));
      const d = transformed(c, ps);
      const want = c[q];
      const run = (): Tensor => (d[q] as (v: Tensor) => Tensor).call(d, decode(arg));
      if ("error" in want) {
        assert.throws(run, /not implemented/, `${what}.${q}: PyTorch raises`);
        continue;
      }
      const out = run();
      close(out, want.out, `${what}.${q}`);
      out.mul(weights(out.shape).to(out.dtype)).sum().backward();
      grads(ps, want.grads, `${what}.${q}`);
    }
    const ps = c.params.map((e) => decode(e, true));
    const z = transformed(c, ps).rsample([2], { generator: replay(c.base, c.rsample.noise.t.map(num), 0) });
    close(z, c.rsample.out, `${what}.rsample`);
    z.mul(weights(z.shape).to(z.dtype)).sum().backward();
    grads(ps, c.rsample.grads, `${what}.rsample`);
  }
});

test("MixtureSameFamily of Normals and of Independent Normals: logProb, cdf, mean, variance and gradients match PyTorch", () => {
  for (const c of fx.mixture) {
    for (const q of ["logProb", "cdf", "mean", "variance"] as const) {
      const what = `MixtureSameFamily ${c.kind} ${c.value.dtype}.${q}`;
      const ps = c.params.map((e) => decode(e, true));
      const comp = c.kind === "independent" ? new D.Independent(new D.Normal(ps[1], ps[2]), 1) : new D.Normal(ps[1], ps[2]);
      const d = new D.MixtureSameFamily(new D.Categorical({ logits: ps[0] }), comp);
      const want = c[q];
      const run = (): Tensor => (q === "mean" || q === "variance" ? d[q] : d[q](decode(c.value)));
      if ("error" in want) {
        assert.throws(run, /not implemented/, `${what}: PyTorch raises`);
        continue;
      }
      const out = run();
      close(out, want.out, what);
      out.mul(weights(out.shape).to(out.dtype)).sum().backward();
      grads(ps, want.grads, what);
    }
  }
});

test("bijectTo and transformTo give PyTorch's transforms for each registered constraint: values, log |det J| and inverses", () => {
  const C = D.constraints;
  const byName: Record<string, D.Constraint> = {
    real: C.real, positive: C.positive, nonnegative: C.nonnegative, greaterThan: C.greaterThan(1.5), greaterThanEq: C.greaterThanEq(-2),
    lessThan: C.lessThan(3), interval: C.interval(-1, 2), unitInterval: C.unitInterval, halfOpenInterval: C.halfOpenInterval(0, 5),
    simplex: C.simplex, independentPositive: C.independent(C.positive, 1), realVector: C.realVector, lowerCholesky: C.lowerCholesky,
    corrCholesky: C.corrCholesky,
  };
  for (const r of fx.registry) {
    for (const which of ["transformTo", "bijectTo"] as const) {
      const want = r[which];
      const what = `${which}(${r.name})`;
      if ("error" in want) {
        assert.throws(() => D[which](byName[r.name]), /no transform is registered/, `${what}: PyTorch raises`);
        continue;
      }
      const t = D[which](byName[r.name]);
      const x = decode(r.x);
      const y = t.call(x);
      close(y, want.y, what);
      assert.ok(byName[r.name].check(y).all().item(), `${what}: the image satisfies the constraint`);
      if (want.ladj) close(t.logAbsDetJacobian(x, y), want.ladj, `${what} log|det J|`);
      if (want.inv) close(t.inv.call(y), want.inv, `${what} inverse`);
    }
  }
  assert.throws(() => D.transformTo(C.boolean), /^Error: transformTo: no transform is registered for the constraint 0 or 1 \(kind 'boolean'\); add one with distributions\.transformTo\.register\('boolean', \(c\) => transform\)/);
  D.bijectTo.register("boolean", () => new D.SigmoidTransform());
  assert.ok(D.bijectTo(C.boolean) instanceof D.SigmoidTransform);
});

test("OneHotCategoricalStraightThrough: rsample is one-hot forward and PyTorch's probs gradient backward", () => {
  for (const c of fx.straight) {
    const p = decode(c.param, true);
    const d = new D.OneHotCategoricalStraightThrough({ [c.kw]: p });
    const z = d.rsample([3], { generator: new Generator(81) });
    assert.deepEqual(z.shape, c.shape);
    assert.deepEqual(z.detach().sum(-1).tolist(), [[1, 1], [1, 1], [1, 1]]);
    z.mul(weights(z.shape)).sum().backward();
    close(p.grad!, c.grad, `straight-through ${c.kw} grad`);
  }
});

test("constraints square, symmetric, positiveDefinite, positiveSemidefinite, lowerTriangular, positiveInteger, multinomial check as PyTorch's", () => {
  const C = D.constraints;
  const byName: Record<string, D.Constraint> = {
    square: C.square, symmetric: C.symmetric, positiveDefinite: C.positiveDefinite, positiveSemidefinite: C.positiveSemidefinite,
    lowerTriangular: C.lowerTriangular, positiveInteger: C.positiveInteger, multinomial: C.multinomial(4),
  };
  for (const c of fx.constraints) assert.deepEqual(byName[c.name].check(decode(c.value)).tolist(), c.ok, c.name);
});

test("CumulativeDistributionTransform of a Normal: cdf forward, icdf inverse, logProb as log |det J|, as PyTorch", () => {
  const t = new D.CumulativeDistributionTransform(new D.Normal(decode(fx.cdt.loc), decode(fx.cdt.scale)));
  const x = decode(fx.cdt.x), y = t.call(x);
  close(y, fx.cdt.y, "cdt y");
  close(t.logAbsDetJacobian(x, y), fx.cdt.ladj, "cdt ladj");
  close(t.inv.call(y), fx.cdt.inv, "cdt inverse");
  const r = new D.ReshapeTransform([2, 3], [6]);
  assert.deepEqual([r.call(zerosOf([4, 2, 3])).shape, r.inv.call(zerosOf([4, 6])).shape, r.logAbsDetJacobian(zerosOf([4, 2, 3]), zerosOf([4, 6])).shape], [[4, 6], [4, 2, 3], [4]]);
});
const zerosOf = (s: number[]): Tensor => tensor(new Array(s.reduce((a, b) => a * b, 1)).fill(0)).reshape(s);
