// Type-level tests: `npm test` runs tsc --noEmit over this file first, so each `@ts-expect-error`
// line must be a compile error (tsc fails on an unused one) and every other line must compile.
// The runtime assertions check that what the types promise is what the values are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { autograd, data, nn, randn, randint, tensor, Tensor } from "../src/index.js";

test("TensorDataset items and DataLoader batches are typed tuples", () => {
  const ds = new data.TensorDataset(randn([10, 3]), randint(0, 2, [10]));
  const item: [Tensor, Tensor] = ds.getItem(0);
  // @ts-expect-error a two-tensor dataset's item has no third element
  const third: Tensor = ds.getItem(0)[2];
  void third;
  const batches: [Tensor, Tensor][] = [];
  for (const batch of new data.DataLoader(ds, { batchSize: 4 })) {
    const [x, y] = batch;
    batches.push([x, y]);
    // @ts-expect-error batches are [Tensor, Tensor], not a longer tuple
    const [, , z]: [Tensor, Tensor, Tensor] = batch;
    void z;
  }
  assert.deepEqual(batches.map(([x, y]) => [x.shape, y.shape]), [[[4, 3], [4]], [[4, 3], [4]], [[2, 3], [2]]]);
  assert.deepEqual(item[0].shape, [3]);
  // The tuple survives randomSplit, ConcatDataset and map.
  const [train] = data.randomSplit(ds, [8, 2]);
  const fromSplit: [Tensor, Tensor][] = [...new data.DataLoader(train, { batchSize: 8 })];
  const fromConcat: [Tensor, Tensor][] = [...new data.DataLoader(new data.ConcatDataset([ds, ds]), 20)];
  const named: { x: Tensor; y: Tensor }[] = [...new data.DataLoader(ds.map(([x, y]) => ({ x, y })), 10)];
  assert.deepEqual([fromSplit[0][0].shape, fromConcat[0][1].shape, named[0].x.shape], [[8, 3], [20], [10, 3]]);
  const three = new data.TensorDataset(randn([2, 1]), randn([2, 1]), randn([2, 1]));
  const row: [Tensor, Tensor, Tensor] = three.getItem(1);
  assert.equal(row.length, 3);
});

test("RNN/LSTM/GRU parameters are properties of the type under PyTorch's names", () => {
  const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
  const w: nn.Parameter = lstm.weight_ih_l0;
  const r: Tensor = lstm.bias_hh_l1_reverse;
  const gru = new nn.GRU(2, 5);
  const g: Tensor = gru.weight_hh_l0;
  // @ts-expect-error not a PyTorch RNN parameter name
  void lstm.weight_xx_l0;
  // @ts-expect-error the layer index is a number
  void gru.weight_ih_lfirst;
  assert.deepEqual([w.shape, r.shape, g.shape], [[16, 3], [16], [15, 5]]);
  const names: nn.RNNParameterName[] = ["weight_ih_l0", "bias_hh_l3_reverse"];
  // @ts-expect-error
  const bad: nn.RNNParameterName = "weight_ih_0";
  void bad;
  assert.equal(names.length, 2);
});

test("autograd.Function.apply takes forward's arguments and returns forward's result type", () => {
  class Scale extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, x: Tensor, k: number): Tensor {
      return x.mul(k);
    }

    static override backward(_ctx: autograd.FunctionCtx, g: Tensor): [Tensor, null] {
      return [g, null];
    }
  }
  const y: Tensor = Scale.apply(tensor([1, 2]), 3);
  // Wrong calls, compiled but never run:
  const wrongCalls = (): void => {
    // @ts-expect-error k must be a number
    Scale.apply(tensor([1]), "3");
    // @ts-expect-error k is required
    Scale.apply(tensor([1]));
  };
  void wrongCalls;
  assert.deepEqual(y.tolist(), [3, 6]);
});

test("autograd.functional result types follow single-vs-array inputs and outputs", () => {
  const F = autograd.functional;
  const x = tensor([1, 2], { dtype: "float64" });
  const j1: Tensor = F.jacobian((a: Tensor) => a.exp(), x);
  const j2: Tensor[] = F.jacobian((a: Tensor, b: Tensor) => a.mul(b), [x, x]);
  const j3: Tensor[][] = F.jacobian((a: Tensor, b: Tensor) => [a.mul(b), a.add(b)], [x, x]);
  const h: Tensor[][] = F.hessian((a: Tensor, b: Tensor) => a.mul(b).sum(), [x, x]);
  const [out, v]: [Tensor, Tensor] = F.vjp((a: Tensor) => a.exp(), x, x);
  // @ts-expect-error a single input gives a single Jacobian tensor, not an array
  const wrong: Tensor[] = F.jacobian((a: Tensor) => a.exp(), x);
  void wrong;
  const wrongCall = (): void => {
    // @ts-expect-error an array of two inputs calls func with two tensors
    F.jacobian((a: Tensor, b: Tensor, c: Tensor) => a.add(b).add(c), [x, x]);
  };
  void wrongCall;
  assert.deepEqual([j1.shape, j2[1].shape, j3[1][0].shape, h[0][1].shape, out.shape, v.shape], [[2, 2], [2, 2], [2, 2], [2, 2], [2], [2]]);
});

test("registerHook returns a removable handle; full backward hooks type the module", () => {
  const x = tensor([1], { requiresGrad: true });
  const handle = x.registerHook((g) => g.mul(2));
  handle.remove();
  // @ts-expect-error a hook returns a Tensor or nothing
  x.registerHook(() => 3);
  const lin = new nn.Linear(2, 2);
  lin.registerFullBackwardHook((m, gin, gout) => {
    const inF: number = m.inFeatures;
    void inF;
    void gout;
    return [gin[0]];
  });
  assert.equal(lin.hasForwardHooks(), true);
});
