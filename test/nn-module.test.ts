// Module bookkeeping: structural registration, traversal, modes, hooks, state dicts and printing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, zeros, ones, randn, manualSeed, noGrad, type Tensor } from "../src/index.js";
import { fixtures, fromFix, stateFromFix, assertClose } from "./nn-helpers.js";

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  fc2 = new nn.Linear(3, 2, { bias: false });
  forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

test("fields register parameters and children in declaration order", () => {
  manualSeed(0);
  const n = new Net();
  assert.deepEqual([...n.namedParameters()].map(([k]) => k), ["fc1.weight", "fc1.bias", "fc2.weight"]);
  assert.deepEqual([...n.namedChildren()].map(([k]) => k), ["fc1", "act", "fc2"]);
  assert.deepEqual([...n.namedModules()].map(([k]) => k), ["", "fc1", "act", "fc2"]);
  assert.equal(n.parameters().length, 3);
  assert.ok(n.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad));
  assert.deepEqual(Object.keys(n.stateDict()), ["fc1.weight", "fc1.bias", "fc2.weight"]);
});

test("Sequential names children 0,1,... and prints like PyTorch", () => {
  const s = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU());
  assert.equal(s.toString(), "Sequential(\n  (0): Linear(in_features=784, out_features=10, bias=True)\n  (1): ReLU()\n)");
  assert.equal(s.at(-1).constructor.name, "ReLU");
  assert.deepEqual(Object.keys(s.stateDict()), ["0.weight", "0.bias"]);
  assert.throws(() => s.at(2), /index 2 is out of range for a container of 2 modules/);
});

// The fixture's composite model, field for field.
class Composite extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2));
  pool = new nn.AdaptiveAvgPool2d(1);
  drop = new nn.Dropout(0.25);
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Linear(8, 4), new nn.GELU(), new nn.Linear(4, 2, { bias: false }));
  emb = new nn.Embedding(10, 4, { paddingIdx: 0 });
  ln = new nn.LayerNorm(4);
  forward(x: Tensor): Tensor {
    return this.classifier.call(this.drop.call(this.pool.call(this.features.call(x))));
  }
}

test("a composite model has PyTorch's state dict keys, printout and eval output after loading its weights", () => {
  const fix = fixtures().composite;
  const m = new Composite();
  assert.deepEqual(Object.keys(m.stateDict()), fix.keys);
  assert.ok(fix.keys.includes("features.1.running_mean") && fix.keys.includes("features.1.num_batches_tracked"));
  assert.equal(m.toString(), fix.repr.replace(/^Net\(/, "Composite("));
  m.loadStateDict(stateFromFix(fix.state));
  m.eval();
  assertClose(m.call(fromFix(fix.input)), fix.output, "eval output");
});

test("stateDict round trip: a second model loaded from the first's state dict computes the same outputs", () => {
  manualSeed(1);
  const a = new Composite();
  manualSeed(2);
  const b = new Composite();
  const x = randn([2, 3, 4, 4]);
  a.train();
  a.call(x); // updates a's running statistics, so buffers must travel too
  a.eval();
  b.eval();
  assert.notDeepEqual([...b.call(x).data()], [...a.call(x).data()]);
  const res = b.loadStateDict(a.stateDict());
  assert.deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual([...b.call(x).data()], [...a.call(x).data()]);
  assert.equal(b.stateDict()["features.1.num_batches_tracked"].item(), 1);
  // Loading copies: the two models do not share storage afterwards.
  noGrad(() => (a.classifier.at(1) as nn.Linear).weight.fill_(0));
  assert.notEqual(b.stateDict()["classifier.1.weight"].data()[0], 0);
  // stateDict tensors share storage with the parameters and are detached.
  const sd = b.stateDict();
  assert.equal(sd["classifier.1.weight"].storage, (b.classifier.at(1) as nn.Linear).weight.storage);
  assert.equal(sd["classifier.1.weight"].requiresGrad, false);
});

test("loadStateDict reports missing, unexpected and mismatched keys", () => {
  const m = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  const sd = m.stateDict();
  const { ["1.running_var"]: _dropped, ...missing } = sd;
  void _dropped;
  assert.throws(() => m.loadStateDict(missing), /Sequential.loadStateDict: missing keys: "1.running_var" \(pass \{strict: false\} to load the matching keys only\)/);
  assert.throws(() => m.loadStateDict({ ...sd, "2.weight": zeros([1]) }), /unexpected keys: "2.weight"/);
  assert.deepEqual(m.loadStateDict({ ...missing, "2.weight": zeros([1]) }, { strict: false }), { missingKeys: ["1.running_var"], unexpectedKeys: ["2.weight"] });
  assert.throws(
    () => m.loadStateDict({ ...sd, "0.weight": zeros([2, 4]) }),
    /size mismatch for "0.weight": the checkpoint has shape \[2,4\], the model has \[2,3\]/,
  );
  assert.throws(() => m.loadStateDict({ ...sd, "0.weight": zeros([2, 4]) }, { strict: false }), /size mismatch for "0.weight"/);
  // Values convert to the target's dtype (PyTorch's int64 counter arrives as a number tensor).
  m.loadStateDict({ ...sd, "1.num_batches_tracked": tensor(7) });
  assert.equal(m.stateDict()["1.num_batches_tracked"].dtype, "int32");
  assert.equal(m.stateDict()["1.num_batches_tracked"].item(), 7);
});

test("train()/eval() propagate; zeroGrad sets grads to null; requiresGrad_ freezes; apply visits every module", () => {
  const m = new Composite();
  m.eval();
  assert.ok([...m.modules()].every((c) => !c.training));
  m.train();
  assert.ok([...m.modules()].every((c) => c.training));
  m.classifier.train(false);
  assert.equal(m.classifier.at(1).training, false);
  assert.equal(m.features.at(0).training, true);
  const x = randn([2, 3, 4, 4]);
  m.call(x).sum().backward();
  assert.ok(m.classifier.at(1).parameters().every((p) => p.grad !== null));
  m.zeroGrad();
  assert.ok(m.parameters().every((p) => p.grad === null));
  m.features.requiresGrad_(false);
  assert.ok(m.features.parameters().every((p) => !p.requiresGrad));
  m.call(x).sum().backward();
  assert.ok(m.features.parameters().every((p) => p.grad === null));
  assert.ok((m.classifier.at(1) as nn.Linear).weight.grad !== null);
  const names: string[] = [];
  m.apply((c) => names.push(c.constructor.name));
  assert.equal(names.at(-1), "Composite");
  assert.equal(names.length, [...m.modules()].length);
  assert.equal(m.buffers().length, 3);
  assert.deepEqual([...m.namedBuffers()].map(([k]) => k), ["features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"]);
});

test("shared modules and parameters are listed once", () => {
  const shared = new nn.Linear(2, 2);
  const s = new nn.Sequential(shared, new nn.ReLU(), shared);
  assert.equal(s.parameters().length, 2);
  assert.deepEqual([...s.namedModules()].map(([k]) => k), ["", "0", "1"]);
  // Weight tying: one parameter in two modules stays one parameter through a dtype conversion.
  const enc = new nn.Linear(3, 3), dec = new nn.Linear(3, 3);
  dec.weight = enc.weight;
  const tied = new nn.Sequential(enc, dec);
  assert.equal(tied.parameters().length, 3);
  assert.deepEqual(Object.keys(tied.stateDict()), ["0.weight", "0.bias", "1.weight", "1.bias"], "state dicts list tied weights under each key, as PyTorch");
  tied.double();
  assert.equal(enc.weight, dec.weight);
  assert.equal(enc.weight.dtype, "float64");
  assert.equal(tied.parameters().length, 3);
});

test("forward hooks: pre-hooks may replace arguments, hooks may replace outputs, handles remove them", () => {
  const lin = new nn.Linear(2, 2, { bias: false });
  noGrad(() => lin.weight.copy_(tensor([[1, 0], [0, 1]])));
  const seen: number[][] = [];
  const h1 = lin.registerForwardHook((_m, _args, out) => void seen.push([...(out as Tensor).data()]));
  const h2 = lin.registerForwardPreHook((_m, args) => [(args[0] as Tensor).mul(2)]);
  const x = tensor([[1, 2]]);
  assert.deepEqual([...lin.call(x).data()], [2, 4]);
  assert.deepEqual(seen, [[2, 4]]);
  assert.deepEqual([...lin.forward(x).data()], [1, 2], "forward bypasses hooks");
  h2.remove();
  const h3 = lin.registerForwardHook((_m, _a, out) => (out as Tensor).neg());
  assert.deepEqual([...lin.call(x).data()], [-1, -2]);
  h1.remove();
  h3.remove();
  assert.deepEqual([...lin.call(x).data()], [1, 2]);
  assert.equal(seen.length, 2);
  // Sequential calls its children through call(), so their hooks run inside it.
  const seq = new nn.Sequential(lin, new nn.ReLU());
  let ran = 0;
  lin.registerForwardHook(() => void ran++);
  seq.call(x);
  assert.equal(ran, 1);
});

test("registerParameter/registerBuffer/registerModule, ModuleList and ModuleDict", () => {
  class Attn extends nn.Module {
    blocks = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2, { bias: false })]);
    heads = new nn.ModuleDict({ cls: new nn.Linear(2, 3), box: new nn.Linear(2, 4) });
    constructor() {
      super();
      this.registerParameter("in_proj_weight", new nn.Parameter(ones([6, 2])));
      this.registerBuffer("mask", zeros([2]));
      this.registerBuffer("scratch", zeros([2]), { persistent: false });
      this.registerParameter("in_proj_bias", null);
    }
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  const a = new Attn();
  assert.deepEqual(Object.keys(a.stateDict()), [
    "in_proj_weight", "mask", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "heads.cls.weight", "heads.cls.bias", "heads.box.weight", "heads.box.bias",
  ]);
  assert.equal(a.buffers().length, 2, "non-persistent buffers are buffers but not saved");
  assert.equal(a.blocks.length, 2);
  assert.equal(a.heads.get("box").constructor.name, "Linear");
  assert.throws(() => a.heads.get("seg"), /no module "seg" \(keys: cls, box\)/);
  assert.throws(() => a.registerBuffer("a.b", zeros([1])), /name must be a non-empty string without "\."/);
  assert.throws(() => a.registerParameter("w", zeros([1]) as nn.Parameter), /must be a Parameter \(wrap it: new Parameter\(t\)\)/);
  assert.throws(() => (a.blocks as nn.ModuleList).forward(), /ModuleList has no forward/);
  assert.equal(
    a.toString(),
    "Attn(\n  (blocks): ModuleList(\n    (0): Linear(in_features=2, out_features=2, bias=True)\n    (1): Linear(in_features=2, out_features=2, bias=False)\n  )\n" +
      "  (heads): ModuleDict(\n    (cls): Linear(in_features=2, out_features=3, bias=True)\n    (box): Linear(in_features=2, out_features=4, bias=True)\n  )\n)",
  );
});

test("Parameter is a Tensor leaf that requires grad and shares the wrapped tensor's storage", () => {
  const t = zeros([2, 3]);
  const p = new nn.Parameter(t);
  assert.ok(p instanceof nn.Parameter);
  assert.equal(p.requiresGrad, true);
  assert.equal(p.isLeaf, true);
  assert.equal(p.storage, t.storage);
  assert.equal(new nn.Parameter(t, false).requiresGrad, false);
  assert.ok(!(p.add(1) instanceof nn.Parameter), "op results are plain tensors");
});

test("module.double() converts parameters and buffers; layers reject wrong input sizes with the fix", () => {
  const m = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2)).double();
  assert.ok(m.parameters().every((p) => p.dtype === "float64" && p.requiresGrad && p instanceof nn.Parameter));
  assert.equal(m.stateDict()["1.running_mean"].dtype, "float64");
  assert.equal(m.stateDict()["1.num_batches_tracked"].dtype, "int32");
  assert.throws(() => new nn.Linear(784, 10).forward(randn([64, 785])), /Linear\(784, 10\): input \[64,785\] has 785 features in its last dim, expected 784/);
  assert.throws(() => new nn.Conv2d(3, 8, 3).forward(randn([1, 1, 8, 8])), /Conv2d: input \[1,1,8,8\] has 1 channels, but the layer was built with inChannels=3/);
  assert.throws(() => new nn.BatchNorm2d(4).forward(randn([2, 4, 3])), /BatchNorm2d: expected input \[N,C,H,W\], got \[2,4,3\]/);
  assert.throws(() => new nn.BatchNorm1d(4).forward(randn([1, 4])), /expected more than 1 value per channel when training/);
  assert.throws(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), /groups \(4\) must divide both inChannels \(4\) and outChannels \(6\)/);
});
