// Session 14 mutation tests of src/distributions (helper mutd): what `npm run mutate --
// src/distributions/distribution.ts` and `kl.ts` found unchecked (docs/mutation/session-14.md).
// Values are exact (shapes, messages) or PyTorch 1.13's behaviour, checked by hand with torch where noted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { distributions as D, tensor, Tensor, Generator } from "../src/index.js";
import { readOptions } from "../src/distributions/distribution.js";
import { throwsWith } from "./throws-with.js";

/** A family that implements only what Distribution requires, so the base class's defaults show. */
class Bare extends D.Distribution {
  constructor(batchShape: number[] = [], opts?: { validateArgs?: boolean }) {
    super("Bare", batchShape, [], readOptions<{ validateArgs?: boolean }>("Bare", opts, ["validateArgs"]).validateArgs);
  }
  get support(): D.constraints.Constraint {
    return D.constraints.real;
  }
  protected expandTo(batchShape: number[]): Bare {
    return new Bare(batchShape, { validateArgs: false });
  }
}

test("Distribution: the base class's defaults throw naming the family and the method, as PyTorch's NotImplementedError", () => {
  const b = new Bare([2]);
  assert.equal(b.hasRsample, false);
  assert.equal(b.hasEnumerateSupport, false);
  assert.equal(new D.Normal(0, 1).hasEnumerateSupport, false);
  assert.equal(new D.Bernoulli(0.5).hasEnumerateSupport, true);
  for (const [what, run] of [
    ["mean", () => b.mean], ["mode", () => b.mode], ["variance", () => b.variance], ["variance", () => b.stddev],
    ["sample", () => b.sample()], ["logProb", () => b.logProb(tensor(0))], ["cdf", () => b.cdf(tensor(0))],
    ["icdf", () => b.icdf(tensor(0))], ["entropy", () => b.entropy()], ["entropy", () => b.perplexity()],
    ["enumerateSupport", () => b.enumerateSupport()], ["enumerateSupport", () => b.enumerateSupport(false)],
  ] as const) {
    throwsWith(run, `Bare.${what}: not implemented for Bare (as in PyTorch 1.13)`);
  }
  throwsWith(() => b.rsample(), /^Bare\.rsample: Bare has no reparameterized sampler/);
  assert.equal(String(b), "Bare(batchShape=[2], eventShape=[])");
});

test("Distribution.setDefaultValidateArgs: later constructors take it as their default; a non-boolean throws", () => {
  try {
    D.Distribution.setDefaultValidateArgs(false);
    const n = new D.Normal(0, -1);
    assert.equal(n.validateArgs, false);
    assert.equal(new Bare().validateArgs, false);
    assert.equal(new D.Normal(0, 1, { validateArgs: true }).validateArgs, true);
    // Without validation a value outside the support is not checked (PyTorch gives NaN or -inf there).
    assert.ok(Number.isNaN(Number(new D.Normal(0, 1).logProb(tensor(NaN)).item())));
  } finally {
    D.Distribution.setDefaultValidateArgs(true);
  }
  assert.equal(new D.Normal(0, 1).validateArgs, true);
  throwsWith(() => new D.Normal(0, -1), /^Normal: scale must be positive/);
  throwsWith(() => D.Distribution.setDefaultValidateArgs(1 as never), "Distribution.setDefaultValidateArgs: value must be a boolean, got number 1");
  assert.equal(new D.Normal(0, 1).validateArgs, true, "the failed call leaves the default alone");
});

test("broadcastAll: a size-1 parameter is expanded to the others' shape (batchShape and the parameter's shape)", () => {
  const n = new D.Normal(tensor([0]), tensor([1, 2, 3]));
  assert.deepEqual(n.batchShape, [3]);
  assert.deepEqual(n.loc.shape, [3]);
  assert.deepEqual(n.scale.shape, [3]);
  assert.deepEqual(Array.from(n.mean.numbers()), [0, 0, 0]);
  const m = new D.Normal(tensor([[1], [2]]), tensor([1, 2, 3]));
  assert.deepEqual(m.batchShape, [2, 3]);
  assert.deepEqual(m.loc.shape, [2, 3]);
  assert.deepEqual(Array.from(m.scale.contiguous().numbers()), [1, 2, 3, 1, 2, 3]);
});

test("readOptions: the options object's checks and messages", () => {
  throwsWith(() => new D.Normal(0, 1, null as never), "Normal: the options must be an object { validateArgs }, got null");
  throwsWith(() => new D.Normal(0, 1, 5 as never), "Normal: the options must be an object { validateArgs }, got number 5");
  throwsWith(() => new D.Normal(0, 1, [true] as never), /^Normal: the options must be an object \{ validateArgs \}, got an array/);
  throwsWith(() => new D.Normal(0, 1, tensor(1) as never), /^Normal: the options must be an object \{ validateArgs \}, got /);
  throwsWith(() => new D.Normal(0, 1, { foo: 1 } as never), "Normal: unknown option 'foo' (it takes validateArgs)");
  throwsWith(() => new D.Normal(0, 1, { validate_args: true } as never), "Normal: unknown option 'validate_args'; deeptype spells it 'validateArgs' (it takes validateArgs)");
  throwsWith(() => new D.Normal(0, 1, { validateArgs: 1 } as never), "Normal: validateArgs must be a boolean, got number 1");
  // An option set to undefined is as if absent (the constructors' `{ ...opts }` spreads).
  assert.equal(new D.Normal(0, 1, { foo: undefined } as never).validateArgs, true);
  assert.equal(new D.Normal(0, 1, { validateArgs: undefined }).validateArgs, true);
  assert.equal(new D.Normal(0, 1, { validateArgs: false }).validateArgs, false);
  throwsWith(() => readOptions("Mine", { bad_key_name: 1 }, ["a", "b"]), "Mine: unknown option 'bad_key_name'; deeptype spells it 'badKeyName' (it takes a, b)");
  throwsWith(() => readOptions("Mine", 3, ["a", "b"]), "Mine: the options must be an object { a, b }, got number 3");
});

test("checkParams: the multi-index of the first bad element, and an event shown whole (8 values at most)", () => {
  throwsWith(() => new D.Normal(0, tensor([[1, 1], [-1, 1]])), /^Normal: scale must be positive \(> 0\), got -1 at \[1, 0\] of a float32 tensor of shape \[2, 2\] \(min -1\);/);
  throwsWith(() => new D.Normal(0, tensor([[1, 1, 1], [1, 1, -2]])), /^Normal: scale must be positive \(> 0\), got -2 at \[1, 2\] of a float32 tensor of shape \[2, 3\] \(min -2\);/);
  throwsWith(() => new D.Exponential(tensor([[[1], [1]], [[1], [0]]])), /^Exponential: rate must be positive \(> 0\), got 0 at \[1, 1, 0\] of a float32 tensor of shape \[2, 2, 1\]/);
  // Categorical's probs constraint is on events (the last dim): the whole bad row is shown.
  // (values summing to 1: Categorical normalizes probs before the check, as PyTorch)
  const eight = [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75];
  throwsWith(() => new D.Categorical(tensor(eight)), /^Categorical: probs must be a probability vector \(non-negative, summing to 1\), got \[0\.25, 0\.25, 0\.25, 0\.25, 0\.25, 0\.25, 0\.25, -0\.75\] \(a float32 tensor of shape \[8\]\);/);
  const nine = [0.5, 0.25, 0.25, 0, 0, 0, 0, 0.5, -0.5];
  throwsWith(() => new D.Categorical(tensor([[1, 0, 0, 0, 0, 0, 0, 0, 0], nine])), /^Categorical: probs must be a probability vector \(non-negative, summing to 1\), got \[0\.5, 0\.25, 0\.25, 0, 0, 0, 0, 0\.5, \.\.\.\] at \[1\] of a float32 tensor of shape \[2, 9\];/);
});

test("checkValue: scalar and event-shaped values out of the support, and a value with fewer dims than the event", () => {
  throwsWith(() => new D.Normal(0, 1).logProb(tensor(NaN)), "Normal.logProb: value must be within the support of Normal (a real number (not NaN)), got NaN; pass values from the support or construct the distribution with { validateArgs: false }");
  const oh = new D.OneHotCategorical(tensor([0.5, 0.5]));
  throwsWith(() => oh.logProb(tensor([1, 1])), "OneHotCategorical.logProb: value must be within the support of OneHotCategorical (a one-hot vector), got [1, 1] (value of shape [2]); pass values from the support or construct the distribution with { validateArgs: false }");
  throwsWith(() => oh.logProb(tensor(1)), "OneHotCategorical.logProb: the rightmost dimensions of value must be the event shape [2], got value of shape []");
  // icdf checks only that the value is a Tensor (PyTorch does not validate icdf's argument).
  throwsWith(() => new D.Normal(0, 1).icdf(0.5 as never), "Normal.icdf: value must be a Tensor, got number 0.5; wrap numbers with tensor(...)");
  assert.ok(Number.isNaN(Number(new D.Normal(0, 1).icdf(tensor(2)).item())), "icdf outside [0, 1] is NaN, not an error");
});

test("expand: the batch shape's checks (non-negative integers, each dim 1 or equal, no fewer dims)", () => {
  const n = new D.Normal(tensor([0, 1]), 1);
  for (const bad of [[-1], [1.5], [2, -1], "3", 3]) {
    throwsWith(() => n.expand(bad as never), /^Normal\.expand: batchShape must be an array of non-negative integers, got /);
  }
  throwsWith(() => n.expand([1]), "Normal.expand: cannot expand batch shape [2] to [1]; each dimension must be 1 or equal");
  const m = new D.Normal(tensor([[0, 1, 2], [3, 4, 5]]), 1);
  throwsWith(() => m.expand([3]), "Normal.expand: cannot expand batch shape [2, 3] to [3]; each dimension must be 1 or equal");
  throwsWith(() => m.expand([2, 1]), "Normal.expand: cannot expand batch shape [2, 3] to [2, 1]; each dimension must be 1 or equal");
  assert.deepEqual(m.expand([4, 2, 3]).batchShape, [4, 2, 3]);
  // [3] broadcasts with [3, 1] (to [3, 3]) and agrees in its first dim, but has fewer dims.
  throwsWith(() => new D.Normal(tensor([[0], [1], [2]]), 1).expand([3]), "Normal.expand: cannot expand batch shape [3, 1] to [3]; each dimension must be 1 or equal");
  assert.deepEqual(new D.Normal(tensor([0]), 1).expand([0]).batchShape, [0]);
});

test("sample / rsample: the sample shape as a number, [0], the options bag's placement and keys", () => {
  const n = new D.Normal(tensor([0, 1]), 1);
  assert.deepEqual(n.sample(4).shape, [4, 2]);
  assert.deepEqual(n.rsample(3).shape, [3, 2]);
  assert.deepEqual(n.sample([0]).shape, [0, 2]);
  assert.deepEqual(n.sample({ sampleShape: 2 }).shape, [2, 2]);
  assert.deepEqual(n.sample({ sampleShape: [2], foo: undefined } as never).shape, [2, 2]);
  const a = n.sample([3], { generator: new Generator(5) }), b = n.sample({ sampleShape: [3], generator: new Generator(5) });
  assert.deepEqual(Array.from(a.numbers()), Array.from(b.numbers()));
  throwsWith(() => n.sample({}, {} as never), "Normal.sample: the options object must come last, got an object after it");
  throwsWith(() => n.sample([2], { sampleShape: [3] }), "Normal.sample: sampleShape was given both positionally and in the options; give it once");
  throwsWith(() => n.sample({ foo: 1 } as never), "Normal.sample: unknown option 'foo' (it takes sampleShape, generator)");
  throwsWith(() => n.rsample([-1]), "Normal.rsample: sampleShape must be an array of non-negative integers like [10] or [], got an array of length 1");
  throwsWith(() => n.sample(null as never), "Normal.sample: sampleShape must be an array of non-negative integers like [10] or [], got null");
  throwsWith(() => n.rsample([1.5]), /^Normal\.rsample: sampleShape must be an array of non-negative integers/);
  assert.ok(n.rsample() instanceof Tensor);
});

test("klDivergence: the most specific pair in PyTorch's lexicographic order (p's class first, then q's)", () => {
  // Each value is torch 1.13's kl_divergence for the same classes and registrations (which warns
  // "Ambiguous kl_divergence(A, Normal)" for the first): the sum of the two distances would pick
  // (Normal, Normal) for A and (Normal, E) for (C, E).
  class A extends D.Normal {}
  D.registerKl(A, D.Distribution, () => tensor(42));
  assert.equal(D.klDivergence(new A(0, 1), new D.Normal(1, 1)).item(), 42);
  class C extends D.Normal {}
  D.registerKl(C, D.Distribution, () => tensor(1));
  D.registerKl(C, D.Normal)(() => tensor(2));
  assert.equal(D.klDivergence(new C(0, 1), new D.Normal(1, 1)).item(), 2);
  assert.equal(D.klDivergence(new C(0, 1), new D.Cauchy(1, 1)).item(), 1);
  // A later registration of the same pair replaces the earlier one.
  D.registerKl(C, D.Normal, () => tensor(3));
  assert.equal(D.klDivergence(new C(0, 1), new D.Normal(1, 1)).item(), 3);
  // The same p with the nearer q registered first: a later, farther q does not replace it.
  class C2 extends D.Normal {}
  D.registerKl(C2, D.Normal, () => tensor(6));
  D.registerKl(C2, D.Distribution, () => tensor(7));
  assert.equal(D.klDivergence(new C2(0, 1), new D.Normal(1, 1)).item(), 6);
  assert.equal(D.klDivergence(new C2(0, 1), new D.Cauchy(1, 1)).item(), 7);
  class E extends C {}
  D.registerKl(D.Normal, E, () => tensor(5));
  assert.equal(D.klDivergence(new C(0, 1), new E(1, 1)).item(), 3);
  assert.equal(D.klDivergence(new A(0, 1), new E(1, 1)).item(), 42);
  // The built-in pair is still the answer for plain Normals: 0.5 = KL(N(0, 1) || N(1, 1)).
  assert.equal(D.klDivergence(new D.Normal(0, 1), new D.Normal(1, 1)).item(), 0.5);
  throwsWith(() => D.registerKl(null as never, D.Normal), "registerKl: typeP must be a Distribution class (Normal, or a subclass of Distribution), got null");
  throwsWith(() => D.registerKl(D.Normal, 3 as never), "registerKl: typeQ must be a Distribution class (Normal, or a subclass of Distribution), got number 3");
  throwsWith(() => D.registerKl(D.Normal, D.Normal)(3 as never), "registerKl: the KL function must be a function (p, q) => Tensor, got number 3");
  throwsWith(() => D.registerKl(D.Normal, D.Normal, "f" as never), /^registerKl: the KL function must be a function \(p, q\) => Tensor, got string/);
});

test("klDivergence: a family that is an ExponentialFamily by Symbol.hasInstance ranks it just below Distribution, as PyTorch's MRO", () => {
  // torch 1.13: 2 (Bernoulli's MRO has ExponentialFamily before Distribution).
  class Q extends D.Cauchy {}
  D.registerKl(D.Distribution, Q, () => tensor(1));
  D.registerKl(D.ExponentialFamily, Q, () => tensor(2));
  assert.ok(new D.Bernoulli(0.3) instanceof D.ExponentialFamily);
  assert.equal(D.klDivergence(new D.Bernoulli(0.3), new Q(0, 1)).item(), 2);
});

test("Normal and LogNormal: their messages, and expand / a LogNormal's base Normal without validation, as PyTorch's validate_args=False", () => {
  throwsWith(() => new D.Normal(tensor([NaN]), 1), "Normal: loc must be a real number (not NaN), got NaN at [0] of a float32 tensor of shape [1]; loc must not be NaN");
  throwsWith(() => new D.Normal(0, 1).cdf(tensor(NaN)), "Normal.cdf: value must be within the support of Normal (a real number (not NaN)), got NaN; pass values from the support or construct the distribution with { validateArgs: false }");
  throwsWith(() => new D.LogNormal(0, -1), "LogNormal: scale must be positive (> 0), got -1; pass a positive scale, e.g. logScale.exp() or nn.functional.softplus(rawScale)");
  throwsWith(() => new D.LogNormal(0, 1, { foo: 1 } as never), "LogNormal: unknown option 'foo' (it takes validateArgs)");
  throwsWith(() => new D.LogNormal(tensor([0, NaN]), 1), "LogNormal: loc must be a real number (not NaN), got NaN at [1] of a float32 tensor of shape [2] (min NaN); loc must not be NaN");
  throwsWith(() => new D.LogNormal(0, 1).icdf(1 as never), "LogNormal.icdf: value must be a Tensor, got number 1; wrap numbers with tensor(...)");
  throwsWith(() => new D.LogNormal(0, 1).logProb(tensor(0)), "LogNormal.logProb: value must be within the support of LogNormal (positive (> 0)), got 0; pass values from the support or construct the distribution with { validateArgs: false }");
  throwsWith(() => new D.LogNormal(0, 1).cdf(tensor(-1)), /^LogNormal\.cdf: value must be within the support of LogNormal \(non-negative \(>= 0\)\), got -1;/);
  // PyTorch's expand builds the copy with validate_args=False and then copies the flag: an
  // unvalidated distribution with a bad scale expands without an error.
  const n = new D.Normal(0, tensor([-1]), { validateArgs: false }).expand([2]);
  assert.deepEqual(n.batchShape, [2]);
  assert.equal(n.validateArgs, false);
  assert.deepEqual(Array.from(n.scale.numbers()), [-1, -1]);
  const l = new D.LogNormal(tensor([0, 1]), tensor([-1]), { validateArgs: false });
  assert.equal(l.baseDist.validateArgs, false);
  const le = l.expand([3, 2]);
  assert.deepEqual(le.batchShape, [3, 2]);
  assert.equal(le.validateArgs, false);
  assert.deepEqual(Array.from(le.scale.contiguous().numbers()), [-1, -1, -1, -1, -1, -1]);
  // exp(loc + scale² / 2) = exp(2), exp(3) per row after expanding [2] to [2, 2].
  const m = Array.from(new D.LogNormal(tensor([0, 1]), 2).expand([2, 2]).mean.contiguous().numbers());
  assert.deepEqual(m.map((x) => Math.fround(x)), [Math.exp(2), Math.exp(3), Math.exp(2), Math.exp(3)].map((x) => Math.fround(x)));
});
