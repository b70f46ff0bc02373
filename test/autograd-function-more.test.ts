// Custom autograd Functions (src/autograd/function.ts): the cases the mutation run found untested
// (docs/testing.md): saved nulls, errors for views, inference tensors, promises and non-tensor
// results, anonymous Functions, non-tensor outputs, extra and wrong-typed gradients, and how a
// returned gradient is fitted to its input (summed over broadcast dims, cast to the input's dtype).
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, inferenceMode, noGrad, ones, Tensor, tensor } from "../src/index.js";

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor => tensor(v, { dtype: "float64", requiresGrad });

test("saveForBackward keeps nulls in place; savedTensors version-checks each saved tensor by position", () => {
  let got: (Tensor | null)[] = [];
  class Saves extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor, y: Tensor): Tensor {
      ctx.saveForBackward(null, x, undefined, y);
      return x.mul(y);
    }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
      got = ctx.savedTensors;
      const [, x, , y] = got;
      return [g.mul(y!), g.mul(x!)];
    }
  }
  const x = f64([1, 2]);
  const y = f64([3, 4], false);
  Saves.apply(x, y).sum().backward();
  assert.equal(got.length, 4);
  assert.deepEqual([got[0], got[2]], [null, null]);
  assert.equal(got[1], x);
  assert.deepEqual(x.grad!.tolist(), [3, 4]);
  // The tensor at position 3 (not 1) changed: the error names position 3.
  const z = Saves.apply(x, y);
  y.add_(1);
  assert.throws(() => z.sum().backward(), /^Error: Saves\.backward: saved tensor 3 \(shape \[2\]\) was modified in place after saveForBackward \(version 1, expected 0\)/);
});

test("apply refuses a dirty view, a saved inference tensor and a Promise; names an anonymous Function 'Function'", () => {
  class Dirty extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      ctx.markDirty(x);
      return x;
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }
  const base = f64([1, 2, 3]).mul(1);
  assert.throws(() => Dirty.apply(base.narrow(0, 0, 2)), /^Error: Dirty\.apply: input 0 is a view; ctx\.markDirty supports only tensors that are not views/);
  // The same call on a tensor that is not a view, with no grad anywhere, is allowed and not recorded.
  const free = f64([1, 2], false);
  assert.equal(Dirty.apply(free), free);
  class SavesConstant extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor, c: Tensor): Tensor {
      ctx.saveForBackward(x, c);
      return x.mul(c);
    }
  }
  const c = inferenceMode(() => f64([2, 2], false));
  assert.throws(
    () => SavesConstant.apply(f64([1, 2]), c),
    /^Error: SavesConstant\.forward: saved tensor 1 \(shape \[2\]\) is an inference tensor \(made inside inferenceMode\)/,
  );
  // An inference tensor as an input that is not saved is fine, and so is one saved outside a graph.
  assert.deepEqual(SavesConstant.apply(f64([1, 2], false), c).tolist(), [2, 4]);
  class Async extends autograd.Function {
    static override forward(): Promise<Tensor> {
      return Promise.resolve(ones([1]));
    }
  }
  assert.throws(() => Async.apply(), /^Error: Async\.forward: must be synchronous; it returned a Promise$/);
  class NullForward extends autograd.Function {
    static override forward(): null {
      return null;
    }
  }
  assert.throws(() => NullForward.apply(), /^Error: NullForward\.forward: must return a Tensor or an array of tensors, got null$/);
  class Numbers extends autograd.Function {
    static override forward(): number[] {
      return [1, 2];
    }
  }
  assert.throws(() => Numbers.apply(), /^Error: Numbers\.forward: must return a Tensor or an array of tensors, got an array of 2 non-tensors$/);
  const Anonymous = (() => class extends autograd.Function {})();
  assert.equal(Anonymous.name, "");
  assert.throws(() => Anonymous.apply(), /^Error: Function\.forward: a custom autograd Function must define static forward/);
  const AnonymousNumber = (() =>
    class extends autograd.Function {
      static override forward(): number {
        return 3;
      }
    })();
  assert.throws(() => AnonymousNumber.apply(), /^Error: Function\.forward: must return a Tensor or an array of tensors, got number$/);
  const AnonymousNoBackward = (() =>
    class extends autograd.Function {
      static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
    })();
  assert.throws(() => AnonymousNoBackward.apply(f64([1])).sum().backward(), /^Error: Function\.backward: a custom autograd Function must define static backward\(ctx, \.\.\.gradOutputs\) to be differentiated$/);
  const AnonymousDouble = (() =>
    class extends autograd.Function {
      static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(): Tensor[] {
        return [];
      }
    })();
  const y = AnonymousDouble.apply(f64([1]));
  assert.equal(y.gradFn!.name, "Function");
  assert.throws(() => y.sum().backward(), /Function\.backward: returned 0 gradient\(s\) but forward took 1 argument\(s\)/);
});

test("needsInputGrad is all false when apply does not record; an array result is returned as given", () => {
  let needs: readonly boolean[] = [];
  const made: Tensor[] = [];
  class Two extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor, k: number): Tensor[] {
      needs = ctx.needsInputGrad;
      const r = [x.mul(k), x.add(k)];
      made.push(...r);
      return r;
    }
  }
  const x = f64([1, 2]);
  const r = noGrad(() => Two.apply(x, 2));
  assert.deepEqual(needs, [false, false]);
  assert.equal(r[0], made[0], "outside a graph the outputs are forward's own tensors");
  assert.equal(r[1].requiresGrad, false);
  const r2 = Two.apply(x, 2);
  assert.deepEqual(needs, [true, false]);
  assert.notEqual(r2, made);
  assert.equal(r2[0].requiresGrad, true);
});

test("a non-tensor output gets null in backward; gradients for non-tensor and extra arguments must be null", () => {
  let received: unknown[] = [];
  class WithCount extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor): unknown[] {
      return [x.mul(3), 7];
    }
    static override backward(_c: autograd.FunctionCtx, ...g: unknown[]): unknown[] {
      received = g;
      return [(g[0] as Tensor).mul(3), null, undefined];
    }
  }
  const x = f64([1, 2]);
  const [y, n] = WithCount.apply(x) as [Tensor, number];
  assert.equal(n, 7);
  y.sum().backward();
  assert.equal(received.length, 2);
  assert.equal(received[1], null, "the number output has no gradient to materialize");
  assert.deepEqual(x.grad!.tolist(), [3, 3]);
  class ExtraGradient extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor {
      return a.mul(2);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor[] {
      return [g, g];
    }
  }
  assert.throws(
    () => ExtraGradient.apply(f64([1])).sum().backward(),
    /ExtraGradient\.backward: returned 2 gradients but forward took 1 arguments; the extra ones must be null/,
  );
  class NumberGradient extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor): Tensor {
      return a.mul(2);
    }
    static override backward(): unknown {
      return 2;
    }
  }
  assert.throws(() => NumberGradient.apply(f64([1])).sum().backward(), /NumberGradient\.backward: gradient 0 must be a Tensor or null, got number/);
  class NullForNumber extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, a: Tensor, _k: number): Tensor {
      return a.mul(2);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): unknown[] {
      return [g.mul(2), undefined];
    }
  }
  const a = f64([1, 2]);
  NullForNumber.apply(a, 3).sum().backward();
  assert.deepEqual(a.grad!.tolist(), [2, 2]);
});

test("a returned gradient is summed over broadcast dims, cast to the input's dtype, and ignored for inputs without grad", () => {
  let gradFor: () => Tensor = () => ones([1]);
  class Custom extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor, y: Tensor): Tensor {
      return x.sum().add(y.sum());
    }
    static override backward(): Tensor[] {
      return [gradFor(), ones([3])];
    }
  }
  const run = (x: Tensor, g: () => Tensor): Tensor => {
    gradFor = g;
    x.grad = null;
    const y = f64([1, 2], false); // no grad: its gradient (of a shape that does not fit) is dropped, as PyTorch does
    Custom.apply(x, y).backward();
    return x.grad!;
  };
  const x = f64([[1], [2]]); // [2, 1]
  // Same rank, a size-1 dim broadcast: summed over it.
  assert.deepEqual(run(x, () => f64([[1, 2, 3], [4, 5, 6]], false)).tolist(), [[6], [15]]);
  // A leading dim too.
  assert.deepEqual(run(x, () => f64([[[1], [2]], [[10], [20]]] as never, false)).tolist(), [[11], [22]]);
  // A float32 gradient for a float64 input becomes float64.
  const g = run(x, () => tensor([[0.1], [0.2]]));
  assert.equal(g.dtype, "float64");
  assert.deepEqual(g.tolist(), [[Math.fround(0.1)], [Math.fround(0.2)]]);
  // Not expandable: the size-2 dim would need a 2 or a 1.
  assert.throws(() => run(x, () => f64([[1], [2], [3]], false)), /Custom\.backward: returned a gradient of shape \[3,1\] at position 0 for an input of shape \[2,1\]/);
  assert.throws(() => run(x, () => f64([1, 2], false)), /Custom\.backward: returned a gradient of shape \[2\] at position 0 for an input of shape \[2,1\]/);
});

test("savedTensors can be read in forward; an output that already has a graph, or a view, is returned as a new tensor over it", () => {
  let inForward: (Tensor | null)[] = [];
  const outside = f64([1, 2]).mul(3); // has a gradFn of its own
  class Returns extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor[] {
      ctx.saveForBackward(x);
      inForward = ctx.savedTensors;
      return [x.mul(2), outside];
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g.mul(2);
    }
  }
  const x = f64([1, 1]);
  const [y, o] = Returns.apply(x);
  assert.equal(inForward[0], x);
  assert.notEqual(o, outside, "a tensor with its own graph comes back as a new tensor");
  assert.equal(outside.gradFn!.name, "mul", "and keeps its own graph");
  assert.equal(o.gradFn!.name, "Returns");
  y.sum().add(o.sum()).backward();
  assert.deepEqual(x.grad!.tolist(), [2, 2]);
  // A view input returned unchanged: the new tensor is still a view of the same base.
  class Same extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, v: Tensor): Tensor {
      return v;
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }
  const base = f64([1, 2, 3]).mul(1);
  const view = base.narrow(0, 1, 2);
  const r = Same.apply(view);
  assert.notEqual(r, view);
  assert.equal(r.base, view.base);
  assert.equal(r.base, base);
});

test("a ctx kept past a backward without retainGraph refuses savedTensors with the freed-graph error", () => {
  let kept: autograd.FunctionCtx | null = null;
  class Keeps extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      ctx.saveForBackward(x);
      return x.square();
    }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      kept = ctx;
      const [x] = ctx.savedTensors;
      return g.mul(x!).mul(2);
    }
  }
  const x = f64([1, 2]);
  Keeps.apply(x).sum().backward(undefined, { retainGraph: true });
  assert.equal(kept!.savedTensors[0], x, "still readable: the graph was retained");
  Keeps.apply(x).sum().backward();
  assert.throws(
    () => kept!.savedTensors,
    /^Error: Keeps\.backward: the saved tensors were freed by an earlier backward; trying to backward through the graph a second time\. Pass \{retainGraph: true\} to the first backward\(\) if you need to do this\.$/,
  );
  assert.deepEqual(x.grad!.tolist(), [4, 8]);
});

test("an output that got no gradient is materialized as zeros of its own dtype; too few gradients is named in full", () => {
  let seen: [string, number[]][] = [];
  class Two extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor): Tensor[] {
      return [x.mul(2), x.mul(3)];
    }
    static override backward(_c: autograd.FunctionCtx, ga: Tensor, gb: Tensor): Tensor {
      seen = [[ga.dtype, ga.tolist() as number[]], [gb.dtype, gb.tolist() as number[]]];
      return ga.mul(2).add(gb.mul(3));
    }
  }
  const x = f64([1, 2]);
  const [a] = Two.apply(x);
  a.sum().backward();
  assert.deepEqual(seen, [["float64", [1, 1]], ["float64", [0, 0]]]);
  class TooFew extends autograd.Function {
    static override forward(_c: autograd.FunctionCtx, x: Tensor, y: Tensor): Tensor {
      return x.mul(y);
    }
    static override backward(_c: autograd.FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }
  assert.throws(
    () => TooFew.apply(x, f64([3, 4])).sum().backward(),
    /^Error: TooFew\.backward: returned 1 gradient\(s\) but forward took 2 argument\(s\); return one per forward argument, in order \(null for arguments that get none\)$/,
  );
});
