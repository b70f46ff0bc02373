/**
 * One interface for the list-like containers (Sequential, ModuleList, ParameterList) and the dict-like
 * ones (ModuleDict, ParameterDict), PyTorch's names in camelCase (src/nn/containers.ts's header):
 * every method on every container, the renumbering PyTorch does after insert / pop, and the
 * deprecated 0.1 names of ModuleDict (entries, size).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, ones, zeros, type Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const LIST_METHODS = ["at", "set", "append", "extend", "insert", "pop", "slice"];
const DICT_METHODS = ["get", "set", "has", "delete", "pop", "keys", "values", "items", "clear", "update"];

test("the list-like and dict-like containers have the same methods, length and iteration", () => {
  const lists = [new nn.Sequential(new nn.ReLU()), new nn.ModuleList([new nn.ReLU()]), new nn.ParameterList([ones([1])])];
  for (const l of lists) {
    for (const m of LIST_METHODS) assert.equal(typeof (l as unknown as Record<string, unknown>)[m], "function", `${l.constructor.name}.${m}`);
    assert.equal(l.length, 1, `${l.constructor.name}.length`);
    assert.equal([...l].length, 1, `${l.constructor.name} iterates over its items`);
  }
  const dicts = [new nn.ModuleDict({ a: new nn.ReLU() }), new nn.ParameterDict({ a: ones([1]) })];
  for (const d of dicts) {
    for (const m of DICT_METHODS) assert.equal(typeof (d as unknown as Record<string, unknown>)[m], "function", `${d.constructor.name}.${m}`);
    assert.equal(d.length, 1, `${d.constructor.name}.length`);
    assert.deepEqual([...d], ["a"], `${d.constructor.name} iterates over its keys`);
  }
});

const names = (l: Iterable<nn.Module>): string[] => [...l].map((m) => m.constructor.name);

test("Sequential: set, extend, insert, pop renumber the children as PyTorch's (state dict keys follow)", () => {
  const l0 = new nn.Linear(2, 3), l1 = new nn.Linear(3, 4), l2 = new nn.Linear(4, 5);
  const net = new nn.Sequential(l0, new nn.ReLU());
  assert.equal(net.extend([l1, new nn.Tanh()]), net);
  assert.deepEqual(names(net), ["Linear", "ReLU", "Linear", "Tanh"]);
  assert.equal(net.insert(-1, new nn.GELU()), net);
  assert.deepEqual(names(net), ["Linear", "ReLU", "Linear", "GELU", "Tanh"]);
  net.insert(5, l2);
  assert.equal(net.at(-1), l2);
  assert.equal(net.pop(1).constructor.name, "ReLU");
  assert.equal(net.pop(), l2);
  assert.deepEqual(names(net), ["Linear", "Linear", "GELU", "Tanh"]);
  assert.deepEqual(Object.keys(net.stateDict()), ["0.weight", "0.bias", "1.weight", "1.bias"]);
  assert.equal(net.set(-1, new nn.Sigmoid()), net);
  assert.deepEqual(names(net), ["Linear", "Linear", "GELU", "Sigmoid"]);
  assert.deepEqual(Array.from(net.call(ones([1, 2])).shape), [1, 4]);
  assert.equal(net.length, 4);
  throwsWith(() => net.pop(4), "Sequential.pop: index 4 is out of range for a container of 4 modules (valid: -4 to 3)", RangeError);
  throwsWith(() => net.set(4, new nn.ReLU()), "Sequential.set: index 4 is out of range for a container of 4 modules (valid: -4 to 3)", RangeError);
  throwsWith(() => net.insert(6, new nn.ReLU()), "Sequential.insert: index 6 is out of range for a container of 4 modules (valid: -4 to 4)", RangeError);
  throwsWith(() => net.set(0, 3 as never), "Sequential.set: expected a Module, got number");
  throwsWith(() => net.extend([new nn.ReLU(), "x" as never]), "Sequential.extend: item 1: expected a Module, got string");
  throwsWith(() => net.extend(3 as never), /^Sequential.extend: modules must be an array of modules, got number 3/);
  throwsWith(() => new nn.Sequential().pop(), "Sequential.pop: index -1 is out of range for a container of 0 modules (valid: none: it is empty)", RangeError);
  assert.equal(net.length, 4, "failed calls leave it as it was");
});

test("Sequential: set, insert, extend and pop keep the neighbours' batchFirst layouts agreeing", () => {
  const lstm = (batchFirst: boolean): nn.LSTM => new nn.LSTM(4, 4, { batchFirst });
  const net = new nn.Sequential(lstm(true), new nn.Identity(), lstm(true));
  const msg = /^Sequential\.(set|insert|extend|pop): LSTM \(item \d, batchFirst (true|false)\) feeds LSTM \(item \d, batchFirst (true|false)\); they read the sequence from different axes/;
  throwsWith(() => net.set(1, lstm(false)), msg);
  throwsWith(() => net.insert(1, lstm(false)), msg);
  throwsWith(() => net.extend([lstm(false)]), msg);
  const mixed = new nn.Sequential(lstm(true), new nn.Identity(), new nn.Linear(4, 4));
  mixed.set(2, lstm(true));
  assert.deepEqual(names(net), ["LSTM", "Identity", "LSTM"], "a refused change leaves it as it was");
  // Removing the module between two layouts that disagree would make them neighbours.
  const apart = new nn.Sequential(lstm(true), new nn.Identity(), lstm(false));
  throwsWith(() => apart.pop(1), msg);
  assert.equal(apart.length, 3);
  assert.equal(apart.pop().constructor.name, "LSTM");
});

test("ModuleList: set, pop, slice, extend beside at / append / insert", () => {
  const a = new nn.ReLU(), b = new nn.Tanh(), c = new nn.Sigmoid();
  const list = new nn.ModuleList([a, b, c]);
  const part = list.slice(1);
  assert.ok(part instanceof nn.ModuleList);
  assert.deepEqual([part.length, part.at(0), part.at(1)], [2, b, c]);
  assert.deepEqual(names(list.slice(-2, -1)), ["Tanh"]);
  assert.equal(list.set(-1, new nn.GELU()), list);
  assert.deepEqual(names(list), ["ReLU", "Tanh", "GELU"]);
  assert.equal(list.pop(0), a);
  assert.equal(list.pop().constructor.name, "GELU");
  assert.deepEqual([list.length, list.at(0)], [1, b]);
  list.extend([new nn.Linear(1, 2)]).insert(0, new nn.Linear(2, 1));
  assert.deepEqual(Object.keys(list.stateDict()), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  throwsWith(() => list.extend([new nn.ReLU(), 5 as never]), "ModuleList.extend: item 1: expected a Module, got number");
  assert.equal(list.length, 3, "a refused extend adds nothing");
  throwsWith(() => list.set(3, new nn.ReLU()), "ModuleList.set: index 3 is out of range for a container of 3 modules (valid: -3 to 2)", RangeError);
  throwsWith(() => list.pop(-4), "ModuleList.pop: index -4 is out of range for a container of 3 modules (valid: -3 to 2)", RangeError);
  throwsWith(() => list.set(0, {} as never), "ModuleList.set: expected a Module, got Object");
  throwsWith(() => list.at("0" as never), 'ModuleList.at: index string "0" is out of range for a container of 3 modules (valid: -3 to 2)', RangeError);
});

test("ParameterList: insert and pop, all-or-nothing extend", () => {
  const ps = new nn.ParameterList([zeros([1]), zeros([2])]);
  assert.equal(ps.insert(1, ones([3])), ps);
  assert.deepEqual([...ps].map((p) => p.shape[0]), [1, 3, 2]);
  assert.ok(ps.at(1) instanceof nn.Parameter);
  ps.insert(-3, ones([4])).insert(4, ones([5]));
  assert.deepEqual([...ps].map((p) => p.shape[0]), [4, 1, 3, 2, 5]);
  assert.deepEqual(ps.pop().shape, [5]);
  assert.deepEqual(ps.pop(0).shape, [4]);
  assert.deepEqual(Object.keys(ps.stateDict()), ["0", "1", "2"]);
  assert.deepEqual([...ps].map((p) => p.shape[0]), [1, 3, 2]);
  throwsWith(() => ps.extend([ones([1]), zeros([1], { dtype: "int32" })]), "ParameterList.extend: only floating-point tensors can be parameters (they require gradients), got dtype int32; convert it with .float()");
  assert.equal(ps.length, 3, "a refused extend adds nothing");
  throwsWith(() => ps.insert(4, ones([1])), "ParameterList.insert: index 4 is out of range for a list of 3 parameters (valid: -3 to 3)", RangeError);
  throwsWith(() => ps.pop(3), "ParameterList.pop: index 3 is out of range for a list of 3 parameters (valid: -3 to 2)", RangeError);
  throwsWith(() => ps.insert(0, 2 as unknown as Tensor), "ParameterList.insert: the value must be a Tensor or Parameter, got number 2");
});

test("ModuleDict: items, length, pop, update, clear, iteration over keys", () => {
  const a = new nn.ReLU(), b = new nn.Tanh(), c = new nn.Sigmoid();
  const d = new nn.ModuleDict({ y: a, x: b });
  // PyTorch 1.13's ModuleDict keeps a dict's order (its ParameterDict sorts).
  assert.deepEqual(d.items(), [["y", a], ["x", b]]);
  assert.deepEqual([...d], ["y", "x"]);
  assert.equal(d.length, 2);
  assert.equal(d.update({ z: c, y: b }), d);
  assert.deepEqual(d.items(), [["y", b], ["x", b], ["z", c]]);
  d.update(new Map([["w", a]]));
  d.update([["v", c]]);
  assert.deepEqual(d.keys(), ["y", "x", "z", "w", "v"]);
  const copy = new nn.ModuleDict(d);
  assert.deepEqual(copy.items(), d.items());
  const other = new nn.ModuleDict().update(d);
  assert.deepEqual(other.keys(), d.keys());
  assert.equal(d.pop("z"), c);
  assert.deepEqual([d.has("z"), d.length], [false, 4]);
  throwsWith(() => d.pop("z"), 'ModuleDict.pop: no module "z" (keys: y, x, w, v)');
  throwsWith(() => d.update([["u", 3]] as never), 'ModuleDict.update("u"): expected a Module, got number');
  throwsWith(() => d.update(5 as never), "ModuleDict.update: modules must be an object of modules by name or an iterable of [name, module] pairs, got number 5");
  throwsWith(() => d.update(new nn.Sequential() as never), /^ModuleDict.update: modules must be an object of modules by name/);
  throwsWith(() => d.update([["a.b", a]]), 'ModuleDict.update: key must be a non-empty string without ".", got "a.b"');
  d.clear();
  assert.deepEqual([d.length, d.keys(), Object.keys(d.stateDict())], [0, [], []]);
  assert.deepEqual(copy.keys(), ["y", "x", "z", "w", "v"], "a copy does not share the key table");
});

test("ModuleDict.entries() and .size still work for one release, with a one-line notice each", () => {
  const warned: string[] = [];
  const orig = console.warn;
  console.warn = (m: string) => warned.push(m);
  try {
    const a = new nn.ReLU();
    const d = new nn.ModuleDict({ a });
    assert.deepEqual(d.entries(), [["a", a]]);
    assert.equal(d.size, 1);
    d.entries();
  } finally {
    console.warn = orig;
  }
  assert.deepEqual(warned, [
    "deeptype: ModuleDict.entries() is deprecated and will be removed in the next release; write ModuleDict.items()",
    "deeptype: ModuleDict.size is deprecated and will be removed in the next release; write ModuleDict.length",
  ]);
});
