// Session 14 (helper tidy): F.tripletMarginWithDistanceLoss and nn.TripletMarginWithDistanceLoss against
// torch 1.13 (test/fixtures/triplet_s14t.json, scripts/fixtures/triplet_s14t.py): the default distance and
// custom ones (functions and a module), margin, swap, each reduction, [D], [N, D] and [N, K, D] inputs,
// float32 and float64 on js and wasm at 1 and 2 threads: values and gradients; printouts; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, tensor, randn, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { fromFixture, closeTo, onBackends, type FixtureTensor, outputWeights } from "./fixture-s13a.js";

const F = nn.functional;
interface Case { inputs: FixtureTensor[]; distance: string; margin: number; swap: boolean; reduction: "none" | "mean" | "sum"; output: FixtureTensor; grads: FixtureTensor[] }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/triplet_s14t.json", import.meta.url), "utf8")) as Record<string, Case | string[]>;

/** The distances of scripts/fixtures/triplet_s14t.py, by name. */
const DISTANCES: Record<string, nn.DistanceFunction | undefined> = {
  default: undefined,
  l1: (x, y) => x.sub(y).abs().sum(-1),
  cosine: (x, y) => F.cosineSimilarity(x, y, -1).neg().add(1),
  sqeuclidean: (x, y) => x.sub(y).pow(2).sum(-1),
  pairwise1: new nn.PairwiseDistance(1),
};

function check(label: string, name: string, c: Case, viaModule: boolean): void {
  const ins = c.inputs.map((f) => fromFixture(f).requiresGrad_());
  const opts = { distanceFunction: DISTANCES[c.distance], margin: c.margin, swap: c.swap, reduction: c.reduction };
  const [a, p, n] = ins;
  const out = viaModule ? new nn.TripletMarginWithDistanceLoss(opts).call(a, p, n) : F.tripletMarginWithDistanceLoss(a, p, n, opts);
  const W = outputWeights(out);
  out.mul(W).sum().backward();
  const [rtol, atol] = out.dtype === "float32" ? [1e-5, 1e-5] : [1e-12, 1e-12];
  closeTo(out, c.output, `${label} ${name} output`, rtol, atol);
  ins.forEach((t, i) => closeTo(t.grad!, c.grads[i], `${label} ${name} grad ${i}`, rtol, atol));
}

test("tripletMarginWithDistanceLoss and the module: values and gradients as torch 1.13 (js, wasm 1 and 2 threads)", () => {
  const names = Object.keys(FIX).filter((k) => k !== "repr");
  assert.equal(names.length, 66);
  onBackends((label) => {
    for (const name of names) check(label, name, FIX[name] as Case, false);
  });
  for (const name of names) check("module", name, FIX[name] as Case, true);
});

test("TripletMarginWithDistanceLoss: PyTorch's printouts and its distance_function child", () => {
  const [plain, pairwise, fn] = FIX.repr as string[];
  const def = new nn.TripletMarginWithDistanceLoss();
  assert.equal(def.toString(), plain);
  assert.ok(def.distanceFunction instanceof nn.PairwiseDistance);
  assert.deepEqual(def.namedChildren().map(([k]) => k), ["distance_function"]);
  const mod = new nn.PairwiseDistance(1);
  const withModule = new nn.TripletMarginWithDistanceLoss({ distanceFunction: mod, margin: 0.5 });
  assert.equal(withModule.toString(), pairwise);
  assert.equal(withModule.distanceFunction, mod);
  const l1 = DISTANCES.l1!;
  const withFn = new nn.TripletMarginWithDistanceLoss({ distanceFunction: l1 });
  assert.equal(withFn.toString(), fn);
  assert.equal(withFn.distanceFunction, l1);
  assert.deepEqual(withFn.namedChildren(), []);
  assert.deepEqual([withFn.margin, withFn.swap, withFn.reduction], [1, false, "mean"]);
});

test("tripletMarginWithDistanceLoss: a hand case, and the distance function sees each pair once per call", () => {
  const a = tensor([[0, 0], [1, 1]], { dtype: "float64" }), p = tensor([[3, 4], [1, 1]], { dtype: "float64" }), n = tensor([[0, 1], [4, 5]], { dtype: "float64" });
  const l2 = (x: Tensor, y: Tensor): Tensor => x.sub(y).pow(2).sum(-1).sqrt();
  // d(a,p) = [5, 0], d(a,n) = [1, 5]: max(0, 5 - 1 + 1) = 5, max(0, 0 - 5 + 1) = 0
  assert.deepEqual(F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: l2, reduction: "none" }).tolist(), [5, 0]);
  // swap: d(p,n) = [sqrt(18), 5] is not smaller than d(a,n) on row 0, equal on row 1
  assert.deepEqual(F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: l2, swap: true, reduction: "sum" }).item(), 5);
  const calls: string[] = [];
  const spy = (x: Tensor, y: Tensor): Tensor => {
    calls.push([x, y].map((t) => (t === a ? "a" : t === p ? "p" : "n")).join(""));
    return l2(x, y);
  };
  F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: spy, swap: true });
  assert.deepEqual(calls, ["ap", "an", "pn"]);
});

test("tripletMarginWithDistanceLoss: errors name the function", () => {
  const x = randn([2, 3]);
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { distanceFunction: 3 as never }), "tripletMarginWithDistanceLoss: distanceFunction must be a function (x1, x2) => Tensor or a module such as new nn.PairwiseDistance(), got number 3");
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { distanceFunction: () => 1 as never }), "tripletMarginWithDistanceLoss: distanceFunction must return a Tensor of distances, got number 1");
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { margin: Number.NaN }), "tripletMarginWithDistanceLoss: margin must be a finite number, got number NaN");
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { swap: 1 as never }), "tripletMarginWithDistanceLoss: swap must be true or false, got number 1");
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { reduction: "avg" as never }), /^tripletMarginWithDistanceLoss: .*reduction/);
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, x, x, { distance_function: F.pairwiseDistance } as never), /^tripletMarginWithDistanceLoss: unknown option 'distance_function'/);
  throwsWith(() => F.tripletMarginWithDistanceLoss(x, [1, 2] as never, x), /^tripletMarginWithDistanceLoss: positive must be a Tensor/);
  throwsWith(() => new nn.TripletMarginWithDistanceLoss({ margin: "1" as never }), 'TripletMarginWithDistanceLoss: margin must be a finite number, got string "1"');
  throwsWith(() => new nn.TripletMarginWithDistanceLoss({ swap: "yes" as never }), 'TripletMarginWithDistanceLoss: swap must be true or false, got string "yes"');
  throwsWith(() => new nn.TripletMarginWithDistanceLoss({ distanceFunction: {} as never }), /^TripletMarginWithDistanceLoss: distanceFunction must be a function/);
  throwsWith(() => new nn.TripletMarginWithDistanceLoss({ distance_function: F.pairwiseDistance } as never), /^TripletMarginWithDistanceLoss: unknown option 'distance_function'; deeptype spells it 'distanceFunction'/);
});
