/** nn.ParameterList and nn.ParameterDict against PyTorch 1.13 (test/fixtures/s13d.json, scripts/fixtures/s13d.py). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, optim, zeros, ones, tensor, type Tensor } from "../src/index.js";
import { FIX, closeTo, fromFixture, type FixtureTensor } from "./fixture-s13d.js";
import { throwsWith } from "./throws-with.js";

const C = FIX.containers as Record<string, unknown>;
const init = C.init as Record<string, FixtureTensor>;

class Net extends nn.Module {
  scales = new nn.ParameterList([fromFixture(init["scales.0"]), fromFixture(init["scales.1"])]);
  // A plain object is added in sorted key order, as PyTorch's: "a" before "b".
  table = new nn.ParameterDict({ b: fromFixture(init["table.b"]), a: fromFixture(init["table.a"]) });
  lin = new nn.Linear(3, 2);
  forward(x: Tensor): Tensor {
    const h = x.mul(this.scales.at(0)).add(this.scales.at(1)).add(this.table.get("b"));
    return this.lin.call(h).matmul(this.table.get("a"));
  }
}

test("ParameterList/ParameterDict inside a model: names, state dict keys, printout and two SGD steps as PyTorch", () => {
  const net = new Net();
  net.loadStateDict({ "lin.weight": fromFixture(init["lin.weight"]), "lin.bias": fromFixture(init["lin.bias"]) }, { strict: false });
  assert.deepEqual(net.namedParameters().map(([k]) => k), C.names);
  assert.deepEqual(Object.keys(net.stateDict()), C.keys);
  assert.equal(net.toString(), C.repr);
  const x = fromFixture(C.x as FixtureTensor);
  const opt = new optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.9 });
  for (let i = 0; i < 2; i++) {
    opt.zeroGrad();
    net.call(x).pow(2).mean().backward();
    opt.step();
  }
  const after = C.after as Record<string, FixtureTensor>;
  const sd = net.stateDict();
  for (const k of Object.keys(after)) closeTo(sd[k], after[k], k, 1e-5, 1e-6);
  // loadStateDict round trip into a fresh model, strict
  const other = new Net();
  other.loadStateDict(sd);
  for (const k of Object.keys(after)) assert.deepEqual(other.stateDict()[k].numbers(), sd[k].numbers(), `reloaded ${k}`);
  // the Parameter objects are kept, so the optimizer's hold on them survives the load
  assert.equal(other.scales.at(0), other.parameters()[0]);
});

test("printouts of ParameterList and ParameterDict are PyTorch's", () => {
  assert.equal(new nn.ParameterList([zeros([3, 4])]).toString(), C.list1);
  assert.equal(new nn.ParameterList([zeros([3, 4]), zeros([], { dtype: "float64" })]).toString(), C.list2);
  assert.equal(new nn.ParameterDict({ x: zeros([2, 3], { dtype: "float16" }) }).toString(), C.dict1);
  assert.equal(new nn.ParameterDict([["w", zeros([2, 3])], ["b", zeros([2], { dtype: "float64" })]]).toString(), C.dict2);
  assert.deepEqual([new nn.ParameterList().toString(), new nn.ParameterDict().toString()], C.empty);
});

test("ParameterList: append, extend, at, set, length, iteration; tensors wrapped in Parameters sharing storage", () => {
  const t = tensor([1, 2, 3]);
  const ps = new nn.ParameterList([t]);
  const p0 = ps.at(0);
  assert.ok(p0 instanceof nn.Parameter);
  assert.equal(p0.requiresGrad, true);
  p0.detach().fill_(7); // same storage as t, as PyTorch's Parameter(t)
  assert.deepEqual(Array.from(t.numbers()), [7, 7, 7]);
  const q = new nn.Parameter(ones([2]));
  assert.equal(ps.append(q).extend([zeros([1]), zeros([4])]).length, 4);
  assert.equal(ps.at(1), q); // a Parameter is kept as is
  assert.equal(ps.at(-1).shape[0], 4);
  ps.set(-1, ones([5]));
  assert.deepEqual(ps.at(3).shape, [5]);
  assert.deepEqual([...ps].map((p) => p.shape[0]), [3, 2, 1, 5]);
  // PyTorch's ps[1:3] and ps[-2:]: the same Parameter objects in a new list
  const mid = ps.slice(1, 3);
  assert.ok(mid instanceof nn.ParameterList);
  assert.deepEqual([mid.length, mid.at(0) === q, mid.at(1) === ps.at(2)], [2, true, true]);
  assert.deepEqual(ps.slice(-2).namedParameters().map(([k, p]) => [k, p.shape[0]]), [["0", 1], ["1", 5]]);
  assert.deepEqual(ps.namedParameters().map(([k]) => k), ["0", "1", "2", "3"]);
  assert.deepEqual(Object.keys(ps.stateDict()), ["0", "1", "2", "3"]);
  // model.to converts the held parameters in place
  ps.double();
  assert.equal(ps.at(0).dtype, "float64");
  assert.equal(ps.at(1), q);
  throwsWith(() => ps.at(4), "ParameterList.at: index 4 is out of range for a list of 4 parameters (valid: -4 to 3)", RangeError);
  throwsWith(() => new nn.ParameterList().at(0), "ParameterList.at: index 0 is out of range for a list of 0 parameters (valid: none: it is empty)", RangeError);
  throwsWith(() => ps.set(-5, ones([1])), "ParameterList.set: index -5 is out of range for a list of 4 parameters (valid: -4 to 3)", RangeError);
  throwsWith(() => ps.append(3 as unknown as Tensor), "ParameterList.append: the value must be a Tensor or Parameter, got number 3");
  throwsWith(() => ps.append(zeros([2], { dtype: "int64" })), "ParameterList.append: only floating-point tensors can be parameters (they require gradients), got dtype int64; convert it with .float()");
  throwsWith(() => new nn.ParameterList(ones([2]) as unknown as Tensor[]), /^ParameterList: values must be an array of tensors or parameters, got/);
  throwsWith(() => (ps.forward as () => never)(), /^ParameterList.forward: a ParameterList has no forward/);
});

test("ParameterDict: get/set/has/delete/pop/popitem/setdefault/update/clear/copy, keys/values/items, iteration over keys", () => {
  const pd = new nn.ParameterDict([["z", zeros([1])], ["y", zeros([2])]]);
  // an object is added in sorted key order (PyTorch 1.13 sorts a plain dict), pairs keep their order
  pd.update({ b: zeros([3]), a: zeros([4]) });
  assert.deepEqual(pd.keys(), C.updateOrder);
  assert.deepEqual([...pd], C.updateOrder);
  assert.deepEqual(pd.values().map((p) => p.shape[0]), [1, 2, 4, 3]);
  assert.deepEqual(pd.items().map(([k, p]) => [k, p.shape[0]]), [["z", 1], ["y", 2], ["a", 4], ["b", 3]]);
  assert.equal(pd.length, 4);
  assert.deepEqual(Object.keys(pd.stateDict()), ["z", "y", "a", "b"]);
  assert.ok(pd.get("z") instanceof nn.Parameter);
  assert.equal(pd.get("nope", null), null);
  assert.equal(pd.has("y"), true);
  const y = pd.pop("y");
  assert.deepEqual([y.shape, pd.has("y"), pd.keys()], [[2], false, ["z", "a", "b"]]);
  const [k, last] = pd.popitem();
  assert.deepEqual([k, last.shape], ["b", [3]]);
  const d = pd.setdefault("d", ones([5]));
  assert.equal(pd.setdefault("d", zeros([9])), d);
  pd.set("z", ones([6]));
  assert.deepEqual(pd.items().map(([key, p]) => [key, p.shape[0]]), [["z", 6], ["a", 4], ["d", 5]]);
  const cp = pd.copy();
  assert.equal(cp.get("a"), pd.get("a"));
  assert.equal(pd.delete("a"), true);
  assert.equal(pd.delete("a"), false);
  assert.deepEqual(cp.keys(), ["z", "a", "d"]);
  // a Map keeps its order
  assert.deepEqual(new nn.ParameterDict(new Map([["q", ones([1])], ["p", ones([1])]])).keys(), ["q", "p"]);
  cp.clear();
  assert.equal(cp.length, 0);
  throwsWith(() => pd.get("nope"), 'ParameterDict.get: no parameter "nope" (keys: z, d)');
  throwsWith(() => pd.pop("nope"), 'ParameterDict.pop: no parameter "nope" (keys: z, d)');
  throwsWith(() => cp.popitem(), "ParameterDict.popitem: the dictionary is empty");
  throwsWith(() => pd.set("a.b", ones([1])), 'ParameterDict.set: key must be a non-empty string without ".", got string "a.b"');
  throwsWith(() => pd.set("w", [1, 2] as unknown as Tensor), /^ParameterDict.set\("w"\): the value must be a Tensor or Parameter, got/);
  throwsWith(() => new nn.ParameterDict([["a"]] as unknown as [string, Tensor][]), /^ParameterDict: entry 0 must be a \[key, tensor\] pair, got/);
  throwsWith(() => new nn.ParameterDict(ones([1]) as unknown as Record<string, Tensor>), /^ParameterDict: parameters must be an object of tensors by key/);
});

test("an optimizer steps ParameterList and ParameterDict entries registered in a model", () => {
  const ps = new nn.ParameterList([ones([2])]);
  const pd = new nn.ParameterDict({ w: ones([2]) });
  const opt = new optim.SGD([...ps.parameters(), ...pd.parameters()], { lr: 0.5 });
  ps.at(0).mul(pd.get("w")).sum().backward();
  opt.step();
  assert.deepEqual([Array.from(ps.at(0).numbers()), Array.from(pd.get("w").numbers())], [[0.5, 0.5], [0.5, 0.5]]);
});
