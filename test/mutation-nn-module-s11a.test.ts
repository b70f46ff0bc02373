// src/nn/module.ts: what session 10's run of the rest of src/nn left alive (58 survivors, 32 not
// covered; docs/mutation/session-11-nn.md): the buffer, hook, registration, train and loadStateDict
// messages, Module's internal fields being hidden and fixed, pre-hooks returning a value or nothing,
// the backward-hook setup only when a backward hook is registered and grad is on, non-recursive
// parameters and buffers, requiresGrad_'s default, and Python's float reprs of inf and nan.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, noGrad, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

class Twice extends nn.Module<[Tensor], Tensor> {
  forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

class Pass extends nn.Module<[Tensor], Tensor> {
  forward(x: Tensor): Tensor {
    return x;
  }
}

test("Parameter: requiresGrad by default, off when asked; the data check's message", () => {
  assert.equal(new nn.Parameter(tensor([1, 2])).requiresGrad, true);
  assert.equal(new nn.Parameter(tensor([1, 2]), false).requiresGrad, false);
  throwsWith(() => new nn.Parameter(3 as never), "Parameter: data must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
});

test("Module's internal maps are neither listed nor replaceable", () => {
  const m = new nn.Linear(2, 3);
  assert.deepEqual(Object.keys(m), ["training", "inFeatures", "outFeatures", "weight", "bias"].filter((k) => k in m));
  for (const k of ["_buffers", "_nonPersistent", "_preHooks", "_hooks", "_backwardHooks"]) {
    assert.ok(!Object.keys(m).includes(k), k);
    assert.throws(() => { (m as unknown as Record<string, unknown>)[k] = new Map(); }, TypeError, k);
  }
});

test("call: a TypeError from forward on a tensor input is not renamed; a number input is", () => {
  class Breaks extends nn.Module<[Tensor], Tensor> {
    forward(): Tensor {
      throw new TypeError("inner trouble");
    }
  }
  throwsWith(() => new Breaks().call(tensor([1])), "inner trouble", TypeError);
  throwsWith(() => new nn.ReLU().call(3 as never), "ReLU.call: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  throwsWith(() => new nn.Linear(2, 2).call(...([] as unknown as [Tensor])), "Linear.call: expected a Tensor input, got undefined; call the module on a tensor, e.g. model.call(x) with x = tensor([[...]])");
  throwsWith(() => new nn.Linear(2, 2).call([1, 2] as never), "Linear.call: argument 1 must be a Tensor, got an array of length 2; wrap plain numbers with tensor([...])");
});

test("forward pre-hooks: a returned tensor replaces the argument, undefined keeps it; forward hooks likewise", () => {
  const m = new Twice();
  const x = tensor([1, 2]);
  const seen: unknown[][] = [];
  const h1 = m.registerForwardPreHook((_m, args) => { seen.push(args); });
  assert.deepEqual(Array.from(m.call(x).numbers()), [2, 4]);
  const h2 = m.registerForwardPreHook(() => tensor([5]));
  assert.deepEqual(Array.from(m.call(x).numbers()), [10]);
  h2.remove();
  const h3 = m.registerForwardHook(() => undefined);
  assert.deepEqual(Array.from(m.call(x).numbers()), [2, 4]);
  h3.remove();
  h1.remove();
  assert.equal(seen.length, 3);
  assert.equal(seen[0][0], x);
});

test("the backward-hook wrapping happens only with a backward hook registered and grad enabled", () => {
  const m = new Pass();
  const x = tensor([1, 2], { requiresGrad: true });
  // A forward hook alone: the output is forward's own object.
  const h = m.registerForwardHook(() => undefined);
  assert.equal(m.call(x), x);
  h.remove();
  const calls: number[] = [];
  m.registerFullBackwardHook(() => { calls.push(1); });
  // Under noGrad: no wrapping either.
  assert.equal(noGrad(() => m.call(x)), x);
  const y = m.call(x);
  assert.notEqual(y, x);
  y.sum().backward();
  assert.equal(calls.length, 1);
});

test("hook registration: a non-function is refused under the registering method's name", () => {
  const m = new nn.Linear(2, 2);
  throwsWith(() => m.registerForwardPreHook(3 as never), "registerForwardPreHook: the hook must be a function, got number 3");
  throwsWith(() => m.registerForwardHook("f" as never), "registerForwardHook: the hook must be a function, got string \"f\"");
  throwsWith(() => m.registerFullBackwardHook(null as never), "registerFullBackwardHook: the hook must be a function, got null");
  assert.equal(m.hasForwardHooks(), false);
});

test("registration and buffer messages", () => {
  const m = new nn.Linear(2, 2);
  const cases: [() => unknown, string][] = [
    [() => m.registerBuffer("a.b", null), "Linear.registerBuffer: name must be a non-empty string without \".\", got \"a.b\""],
    [() => m.registerBuffer("", null), "Linear.registerBuffer: name must be a non-empty string without \".\", got \"\""],
    [() => m.registerBuffer(3 as never, null), "Linear.registerBuffer: name must be a non-empty string without \".\", got 3"],
    [() => m.registerBuffer("_hooks", null), "Linear.registerBuffer: \"_hooks\" is reserved by Module"],
    [() => m.registerBuffer("training", null), "Linear.registerBuffer: \"training\" is reserved by Module"],
    [() => m.registerBuffer("x", 3 as never), "Linear.registerBuffer: \"x\" must be a Tensor or null"],
    [() => m.getBuffer("x"), "Linear.getBuffer: no buffer named \"x\" (has: none)"],
    [() => new nn.BatchNorm1d(2).getBuffer("x"), "BatchNorm1d.getBuffer: no buffer named \"x\" (has: running_mean, running_var, num_batches_tracked)"],
    [() => m.setBuffer("x", null), "Linear.setBuffer: no buffer named \"x\"; register it first with registerBuffer"],
    [() => m.registerParameter("w2", tensor([1]) as never), "Linear.registerParameter: \"w2\" must be a Parameter (wrap it: new Parameter(t)) or null"],
    [() => m.registerParameter("a.b", null), "Linear.registerParameter: name must be a non-empty string without \".\", got \"a.b\""],
    [() => m.registerModule("", null), "Linear.registerModule: name must be a non-empty string without \".\", got \"\""],
    [() => m.registerModule("_buffers", null), "Linear.registerModule: \"_buffers\" is reserved by Module"],
    [() => m.train(1 as never), "Linear.train: mode must be a boolean, got number"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
  // A buffer registered, replaced and read back; persistent false keeps it out of the state dict, true again puts it back.
  m.registerBuffer("stat", tensor([1]), { persistent: false });
  assert.ok(!("stat" in m.stateDict()));
  m.registerBuffer("stat", tensor([2]), { persistent: true });
  assert.ok("stat" in m.stateDict());
  m.setBuffer("stat", tensor([3]));
  assert.deepEqual(Array.from(m.getBuffer("stat")!.numbers()), [3]);
  m.registerBuffer("none", null);
  assert.equal(m.getBuffer("none"), null);
  assert.deepEqual(m.namedBuffers().map(([k]) => k), ["stat"]);
});

test("parameters(false) and namedBuffers('', false) stop at the module itself; requiresGrad_() defaults to on", () => {
  class Net extends nn.Module<[Tensor], Tensor> {
    fc = new nn.Linear(2, 2);
    bn = new nn.BatchNorm1d(2);
    scale = new nn.Parameter(tensor([1]));
    constructor() {
      super();
      this.registerBuffer("count", tensor([0]));
    }
    forward(x: Tensor): Tensor {
      return this.bn.call(this.fc.call(x));
    }
  }
  const seq = new Net();
  assert.deepEqual(seq.namedParameters("", false).map(([k]) => k), ["scale"]);
  assert.deepEqual(seq.namedParameters("top", false).map(([k]) => k), ["top.scale"]);
  assert.equal(seq.parameters(false).length, 1);
  assert.equal(seq.parameters().length, 5);
  assert.deepEqual(seq.namedBuffers("", false).map(([k]) => k), ["count"]);
  assert.deepEqual(seq.namedBuffers("top", false).map(([k]) => k), ["top.count"]);
  assert.equal(seq.buffers(false).length, 1);
  assert.deepEqual(seq.namedBuffers().map(([k]) => k), ["count", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"]);
  seq.requiresGrad_(false);
  assert.ok(seq.parameters().every((p) => !p.requiresGrad));
  seq.requiresGrad_();
  assert.ok(seq.parameters().every((p) => p.requiresGrad));
});

test("loadStateDict: its argument checks and a non-tensor value, each message exact", () => {
  const m = new nn.Linear(2, 2);
  const cases: [() => unknown, string][] = [
    [() => m.loadStateDict({ weight: null as never, bias: 3 as never }), "Linear.loadStateDict: size mismatch for \"weight\": expected a Tensor, got null; \"bias\": expected a Tensor, got number (check that the model is built with the same sizes as the checkpoint)"],
    [() => m.loadStateDict({}, null as never), "Linear.loadStateDict: options must be an object like { strict: false }, got null"],
    [() => m.loadStateDict({}, 3 as never), "Linear.loadStateDict: options must be an object like { strict: false }, got number 3"],
    [() => m.loadStateDict({}, { strict: 1 as never }), "Linear.loadStateDict: strict must be a boolean, got number 1"],
    [() => m.loadStateDict([] as never), "Linear.loadStateDict: expected a state dict (an object of tensors by name, as stateDict() or loadWeights() return), got an array of length 0"],
    [() => m.loadStateDict(null as never), "Linear.loadStateDict: expected a state dict (an object of tensors by name, as stateDict() or loadWeights() return), got null"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
  // strict: false with a missing key loads the rest.
  const r = m.loadStateDict({ bias: tensor([7, 8]) }, { strict: false });
  assert.deepEqual(r, { missingKeys: ["weight"], unexpectedKeys: [] });
  assert.deepEqual(Array.from(m.bias!.numbers()), [7, 8]);
});

test("reprs print Python's inf, -inf and nan", () => {
  assert.equal(String(new nn.Hardtanh(-Infinity, Infinity)), "Hardtanh(min_val=-inf, max_val=inf)");
  assert.equal(String(new nn.ELU(NaN)), "ELU(alpha=nan)");
  assert.equal(String(new nn.LeakyReLU(1e-5)), "LeakyReLU(negative_slope=1e-05)");
  assert.equal(String(new nn.LeakyReLU(2)), "LeakyReLU(negative_slope=2.0)");
  assert.equal(String(new nn.LeakyReLU(1e20)), "LeakyReLU(negative_slope=1e+20)");
});

test("the call's renamed error names the input argument", () => {
  const e = (() => { try { new nn.ReLU().call(3 as never); } catch (err) { return err as { arg?: string; cause?: unknown }; } })();
  assert.equal(e?.arg, "input");
  assert.ok(e?.cause instanceof Error);
});

test("registerModule: the sub-module is listed and its field stays assignable", () => {
  class Holder extends nn.Module<[Tensor], Tensor> {
    constructor() {
      super();
      this.registerModule("block", new nn.Linear(2, 2));
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const h = new Holder();
  assert.deepEqual(h.namedChildren().map(([k]) => k), ["block"]);
  (h as unknown as { block: nn.Module }).block = new nn.ReLU();
  assert.ok(h.children()[0] instanceof nn.ReLU);
  assert.deepEqual(Object.keys(h.stateDict()), []);
});

test("to(dtype): floating parameters (and their gradients) and buffers convert in place, integer ones stay", () => {
  class Net extends nn.Module<[Tensor], Tensor> {
    fc = new nn.Linear(2, 2);
    bn = new nn.BatchNorm1d(2);
    tied = this.fc.weight;
    forward(x: Tensor): Tensor {
      return this.bn.call(this.fc.call(x));
    }
  }
  const n = new Net();
  const w = n.fc.weight;
  w.grad = tensor([[1, 2], [3, 4]]);
  const intDtype = n.bn.getBuffer("num_batches_tracked")!.dtype;
  assert.ok(intDtype === "int32" || intDtype === "int64");
  assert.equal(n.to("float64"), n);
  assert.equal(n.fc.weight, w);
  assert.equal(w.dtype, "float64");
  assert.equal(w.grad!.dtype, "float64");
  assert.equal(n.fc.bias!.dtype, "float64");
  assert.equal(n.bn.getBuffer("running_mean")!.dtype, "float64");
  assert.equal(n.bn.getBuffer("num_batches_tracked")!.dtype, intDtype);
  assert.equal(n.float().fc.weight.dtype, "float32");
  assert.equal(n.half().fc.weight.dtype, "float16");
  assert.equal(n.bfloat16().bn.getBuffer("running_var")!.dtype, "bfloat16");
  assert.equal(n.double().fc.weight.dtype, "float64");
  assert.equal(n.bn.getBuffer("num_batches_tracked")!.dtype, intDtype);
});

test("loadStateDict: the messages for shape mismatches of the same rank, missing and unexpected keys", () => {
  const m = new nn.Linear(2, 3);
  throwsWith(() => m.loadStateDict({ weight: tensor([[1, 2, 3], [4, 5, 6]]), bias: tensor([1, 2, 3]) }),
    "Linear.loadStateDict: size mismatch for \"weight\": the checkpoint has shape [2,3], the model has [3,2] (check that the model is built with the same sizes as the checkpoint)");
  throwsWith(() => m.loadStateDict({ weight: tensor([[1, 2], [4, 5], [4, 5]]), extra: tensor([1]), more: tensor([1]) }),
    "Linear.loadStateDict: missing keys: \"bias\"; unexpected keys: \"extra\", \"more\" (pass {strict: false} to load the matching keys only)");
  throwsWith(() => m.loadStateDict({ weight: tensor([[1, 2, 3], [4, 5, 6]]), extra: tensor([1]) }),
    "Linear.loadStateDict: size mismatch for \"weight\": the checkpoint has shape [2,3], the model has [3,2]; missing keys: \"bias\"; unexpected keys: \"extra\" (check that the model is built with the same sizes as the checkpoint)");
});

test("toString: PyTorch's layout for extra lines with children, several extra lines, and Python float reprs", () => {
  class Net extends nn.Module<[Tensor], Tensor> {
    fc = new nn.Linear(2, 3);
    override extraRepr(): string {
      return "k=1";
    }
    forward(x: Tensor): Tensor {
      return this.fc.call(x);
    }
  }
  assert.equal(String(new Net()), "Net(\n  k=1\n  (fc): Linear(in_features=2, out_features=3, bias=True)\n)");
  class Two extends nn.Module<[Tensor], Tensor> {
    override extraRepr(): string {
      return "a=1\nb=2";
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  assert.equal(String(new Two()), "Two(\n  a=1\n  b=2\n)");
  assert.equal(String(new Pass()), "Pass()");
  assert.equal(String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU())), "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)");
  assert.equal(String(new nn.LeakyReLU(1e16)), "LeakyReLU(negative_slope=1e+16)");
  assert.equal(String(new nn.LeakyReLU(0.25)), "LeakyReLU(negative_slope=0.25)");
});

test("call: arrays of tensors are arguments, not plain numbers", () => {
  class Sum extends nn.Module<[Tensor[]], Tensor> {
    forward(xs: Tensor[]): Tensor {
      return xs.reduce((p, q) => p.add(q));
    }
  }
  assert.deepEqual(Array.from(new Sum().call([tensor([1]), tensor([2])]).numbers()), [3]);
  class Nested extends nn.Module<[Tensor[][]], Tensor> {
    forward(xs: Tensor[][]): Tensor {
      return xs[0][0];
    }
  }
  assert.deepEqual(Array.from(new Nested().call([[tensor([4])]]).numbers()), [4]);
  throwsWith(() => new Nested().call([[1]] as never), "Nested.call: argument 1 must be a Tensor, got an array of length 1; wrap plain numbers with tensor([...])");
  throwsWith(() => new Nested().call(null as never), "Nested.call: expected a Tensor input, got null; call the module on a tensor, e.g. model.call(x) with x = tensor([[...]])");
});
