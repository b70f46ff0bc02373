// Grad modes (src/autograd/grad-mode.ts) and graph nodes (src/autograd/node.ts): the cases the
// mutation run found untested (docs/testing.md): async functions refused by every mode with the
// mode's own name and the mode restored, nesting, hook handles, and the node's internal guards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, enableGrad, inferenceMode, isGradEnabled, isInferenceMode, noGrad, setGradEnabled, tensor, Tensor } from "../src/index.js";

const { withGradEnabled } = autograd;
import { apply, defineOp } from "../src/ops/op.js";
import { Node } from "../src/autograd/node.js";

const f64 = (v: number[], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });

test("an async function is refused by each mode under its own name, and the modes are restored", async () => {
  const later = async (): Promise<number> => 1;
  assert.throws(() => noGrad(later), /^Error: noGrad\/enableGrad: fn must be synchronous \(grad mode is global state/);
  assert.throws(() => enableGrad(later), /^Error: noGrad\/enableGrad: fn must be synchronous/);
  assert.throws(() => withGradEnabled(false, later), /^Error: withGradEnabled: fn must be synchronous/);
  assert.throws(() => inferenceMode(later), /^Error: inferenceMode: fn must be synchronous/);
  assert.equal(isGradEnabled(), true);
  assert.equal(isInferenceMode(), false);
  // inferenceMode(false, fn) is a plain call: no check, no mode change.
  assert.equal(await inferenceMode(false, later), 1);
  assert.throws(() => inferenceMode(true, 3 as never), /^Error: inferenceMode: expected a function to run, e\.g\. inferenceMode\(\(\) => model\.call\(x\)\), got number$/);
});

test("modes nest and are restored after a throw; setGradEnabled switches recording", () => {
  const x = f64([1, 2]);
  const seen: [boolean, boolean][] = [];
  inferenceMode(() => {
    seen.push([isGradEnabled(), isInferenceMode()]);
    inferenceMode(() => seen.push([isGradEnabled(), isInferenceMode()]));
    seen.push([isGradEnabled(), isInferenceMode()]);
    assert.throws(() => inferenceMode(() => { throw new Error("boom"); }), /boom/);
    seen.push([isGradEnabled(), isInferenceMode()]);
    inferenceMode(false, () => seen.push([isGradEnabled(), isInferenceMode()]));
  });
  assert.deepEqual(seen, [[false, true], [false, true], [false, true], [false, true], [false, true]]);
  assert.equal(isInferenceMode(), false);
  assert.equal(withGradEnabled(false, () => x.mul(2)).requiresGrad, false);
  assert.equal(noGrad(() => withGradEnabled(true, () => x.mul(2))).requiresGrad, true);
  assert.equal(noGrad(() => enableGrad(() => isGradEnabled())), true);
  setGradEnabled(false);
  try {
    assert.equal(x.mul(2).requiresGrad, false);
  } finally {
    setGradEnabled(true);
  }
  assert.equal(x.mul(2).requiresGrad, true);
});

test("hook handles remove only their own hook, and removing twice is harmless", () => {
  const x = f64([1, 2]);
  const calls: string[] = [];
  const a = x.registerHook(() => void calls.push("a"));
  const b = x.registerHook(() => void calls.push("b"));
  a.remove();
  a.remove();
  x.mul(2).sum().backward();
  assert.deepEqual(calls, ["b"]);
  b.remove();
  x.mul(2).sum().backward();
  assert.deepEqual(calls, ["b"]);
});

test("a node refuses a rule's gradient of the wrong shape, a freed graph, and sees needsInputGrad per input", () => {
  let needs: readonly boolean[] = [];
  const badRule = defineOp<undefined>({
    name: "badRule",
    forward: ([x]) => x.clone(),
    backward: (g, s) => {
      needs = s.needsInputGrad;
      return [g.reshape([1, -1]), null];
    },
  });
  const x = f64([1, 2]);
  const c = f64([3, 4], false);
  const y = apply(badRule, [x, c], undefined);
  assert.throws(() => y.sum().backward(), /internal error in badRule backward: gradient of shape \[1,2\] for an input of shape \[2\]$/);
  assert.deepEqual(needs, [true, false]);
  // Same sizes, fewer dims: [2] for an input of shape [2, 1].
  const flatRule = defineOp<undefined>({ name: "flatRule", forward: ([t]) => t.reshape([2]).clone(), backward: (g) => [g] });
  assert.throws(() => apply(flatRule, [f64([1, 2]).reshape([2, 1])], undefined).sum().backward(), /internal error in flatRule backward: gradient of shape \[2\] for an input of shape \[2,1\]$/);
  const n = new Node("twoIn", [x, c], null, undefined, () => []);
  assert.deepEqual(n.edges, [x, null]);
  assert.throws(() => n.applyMany([null, null]), /^Error: internal error: twoIn has one output but got 2 gradients$/);
  assert.deepEqual(n.applyMany([null]), []);
  n.release();
  assert.throws(() => n.apply(f64([1], false)), /^Error: backward: twoIn's saved tensors were freed by an earlier backward; trying to backward through the graph a second time\. Pass \{retainGraph: true\}/);
  assert.throws(() => new Node("acc", [x, c], null, undefined, () => [], () => x), /^Error: internal error: acc has an accumulating backward but 2 inputs$/);
  const noOut = new Node("noOut", [x], null, undefined, (_g, s) => [s.output]);
  assert.throws(() => noOut.apply(f64([1, 1], false)), /^Error: internal error: noOut saved no output$/);
});
