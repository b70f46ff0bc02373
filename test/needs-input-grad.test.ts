// A backward rule decides which input gradients to compute from `needsInputGrad`, never from
// `inputs[k].requiresGrad`: on float16/bfloat16 tensors the rule runs in float32 and sees float32
// copies of its inputs (src/autograd/node.ts), which do not require grad, so a rule reading
// requiresGrad silently gave no gradient to a 16-bit input (binaryCrossEntropy's bfloat16 target got
// none). Two checks: no rule's source reads requiresGrad, and every multi-input op gives each of its
// bfloat16 inputs the gradient its float32 form gives (rounded to bfloat16).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as dt from "../src/index.js";
import { Tensor, tensor } from "../src/index.js";

const F = dt.nn.functional;

/** Every `backward`/`backwardInto` rule body of the op files: from the key to the end of its arrow function. */
function ruleBodies(): { where: string; body: string }[] {
  const files = ["src/ops", "src/nn", "src/nn/functional", "src/autograd"].flatMap((d) =>
    readdirSync(d).filter((f) => f.endsWith(".ts")).map((f) => `${d}/${f}`));
  const out: { where: string; body: string }[] = [];
  for (const file of files) {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/\b(backward|backwardInto)\s*:\s*(\([^)]*\)|\w+)\s*=>/g)) {
      // The body: brackets balanced from the arrow to the comma or brace that closes the property.
      let depth = 0, i = m.index! + m[0].length;
      for (; i < src.length; i++) {
        const c = src[i];
        if ("([{".includes(c)) depth++;
        else if (")]}".includes(c)) {
          if (depth === 0) break;
          depth--;
        } else if (c === "," && depth === 0) break;
      }
      const line = src.slice(0, m.index).split("\n").length;
      out.push({ where: `${file}:${line}`, body: src.slice(m.index, i) });
    }
  }
  return out;
}

test("no backward rule reads requiresGrad (it sees float32 copies of 16-bit inputs): rules use needsInputGrad", () => {
  const rules = ruleBodies();
  // The defineOp rules written as arrow functions (43 today); the elementwise helpers' gradient
  // lambdas are not among them, and the bfloat16 test below covers them by running them.
  assert.ok(rules.length >= 40, `found ${rules.length} rules; the scan should see at least 40`);
  const offending = rules.filter((r) => /\.requiresGrad\b/.test(r.body)).map((r) => r.where);
  assert.deepEqual(offending, []);
});

const values = (n: number, shift: number): number[] => Array.from({ length: n }, (_, i) => ((i * 7 + shift) % 11) / 8 - 0.6);
const t = (shape: number[], shift: number, dtype: "float32" | "bfloat16"): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(values(n, shift)).reshape(shape).to(dtype).requiresGrad_(true);
};
const probs = (shape: number[], dtype: "float32" | "bfloat16"): Tensor => t(shape, 3, "float32").detach().sigmoid().to(dtype).requiresGrad_(true);

/** Multi-input ops, each with every floating input requiring grad: name, input shapes, the call. */
const CASES: [string, (dtype: "float32" | "bfloat16") => Tensor[], (...a: Tensor[]) => Tensor][] = [
  ["mul", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => a.mul(b)],
  ["div", (d) => [t([2, 3], 1, d), t([2, 3], 2, d).abs().add(0.5).detach().requiresGrad_(true)], (a, b) => a.div(b)],
  ["atan2", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => dt.atan2(a, b)],
  ["maximum", (d) => [t([2, 3], 1, d), t([2, 3], 5, d)], (a, b) => dt.maximum(a, b)],
  ["lerp", (d) => [t([2, 3], 1, d), t([2, 3], 2, d), t([2, 3], 3, d)], (a, b, w) => dt.lerp(a, b, w)],
  ["where", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => dt.where(a.detach().gt(0), a, b)],
  ["clamp (tensor bounds)", (d) => [t([2, 3], 1, d), t([2, 3], 2, d).sub(0.5).detach().requiresGrad_(true), t([2, 3], 4, d).add(0.5).detach().requiresGrad_(true)], (x, lo, hi) => x.clamp(lo, hi)],
  ["hypot", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => dt.hypot(a, b)],
  ["logaddexp", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => dt.logaddexp(a, b)],
  ["matmul", (d) => [t([2, 3], 1, d), t([3, 2], 2, d)], (a, b) => a.matmul(b)],
  ["linear", (d) => [t([2, 3], 1, d), t([4, 3], 2, d), t([4], 3, d)], (x, w, b) => F.linear(x, w, b)],
  ["addmm", (d) => [t([2, 2], 1, d), t([2, 3], 2, d), t([3, 2], 3, d)], (c, a, b) => dt.addmm(c, a, b)],
  ["addr", (d) => [t([2, 3], 1, d), t([2], 2, d), t([3], 3, d)], (c, u, v) => dt.addr(c, u, v)],
  ["cdist", (d) => [t([3, 2], 1, d), t([2, 2], 4, d)], (a, b) => dt.cdist(a, b)],
  ["cross", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => dt.cross(a, b, 1)],
  ["conv2d", (d) => [t([1, 1, 3, 3], 1, d), t([2, 1, 2, 2], 2, d), t([2], 3, d)], (x, w, b) => F.conv2d(x, w, b)],
  ["bilinear", (d) => [t([2, 3], 1, d), t([2, 2], 2, d), t([2, 3, 2], 3, d), t([2], 4, d)], (a, b, w, bias) => F.bilinear(a, b, w, bias)],
  ["layerNorm", (d) => [t([2, 3], 1, d), t([3], 2, d), t([3], 3, d)], (x, w, b) => F.layerNorm(x, [3], w, b)],
  ["groupNorm", (d) => [t([2, 2, 2], 1, d), t([2], 2, d), t([2], 3, d)], (x, w, b) => F.groupNorm(x, 1, w, b)],
  ["prelu", (d) => [t([2, 3], 1, d), t([1], 2, d)], (x, w) => F.prelu(x, w)],
  ["cosineSimilarity", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => F.cosineSimilarity(a, b)],
  ["mseLoss", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => F.mseLoss(a, b)],
  ["l1Loss", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => F.l1Loss(a, b)],
  ["huberLoss", (d) => [t([2, 3], 1, d), t([2, 3], 2, d)], (a, b) => F.huberLoss(a, b)],
  ["binaryCrossEntropy", (d) => [probs([2, 3], d), probs([2, 3], d)], (p, y) => F.binaryCrossEntropy(p, y)],
  ["binaryCrossEntropyWithLogits", (d) => [t([2, 3], 1, d), probs([2, 3], d)], (x, y) => F.binaryCrossEntropyWithLogits(x, y)],
  ["klDiv", (d) => [t([2, 3], 1, d), probs([2, 3], d)], (x, y) => F.klDiv(x, y, { reduction: "sum" })],
  ["marginRankingLoss", (d) => [t([4], 1, d), t([4], 2, d)], (a, b) => F.marginRankingLoss(a, b, tensor([1, -1, 1, -1]).to(a.dtype))],
  ["tripletMarginLoss", (d) => [t([2, 3], 1, d), t([2, 3], 2, d), t([2, 3], 3, d)], (a, p, n) => F.tripletMarginLoss(a, p, n)],
  ["gaussianNllLoss", (d) => [t([2, 3], 1, d), t([2, 3], 2, d), probs([2, 3], d)], (x, y, v) => F.gaussianNllLoss(x, y, v)],
];

test("every input of a multi-input op gets its gradient in bfloat16, as its float32 form gives it", () => {
  const missing: string[] = [];
  for (const [name, make, f] of CASES) {
    const ref = make("float32");
    f(...ref).sum().backward();
    const half = make("bfloat16");
    f(...half).float().sum().backward();
    half.forEach((x, i) => {
      if (x.grad === null) return missing.push(`${name}: input ${i} got no gradient`);
      assert.equal(x.grad.dtype, "bfloat16", `${name} input ${i}`);
      const want = Array.from(ref[i].grad!.to("bfloat16").float().data() as Float32Array);
      const got = Array.from(x.grad.float().data() as Float32Array);
      // bfloat16 inputs differ from the float32 ones by a rounding: a loose tolerance, the point is presence.
      got.forEach((g, k) => assert.ok(Math.abs(g - want[k]) <= 0.05 * Math.max(1, Math.abs(want[k])), `${name} input ${i}[${k}]: ${g} vs ${want[k]}`));
    });
  }
  assert.deepEqual(missing, []);
});
