// src/nn/containers.ts: what survived `npm run mutate -- src/nn/containers.ts` (docs/mutation/history.md,
// "Session 9: src/nn"): the argument and index errors (each matched from the start of its message),
// the layout check between neighbours, the fused Conv2d → ReLU (→ MaxPool2d) path of
// Sequential.forward, slicing, ModuleList.insert and ModuleDict's constructor forms and views.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, ones, randn, manualSeed, type Tensor } from "../src/index.js";

/** The call throws an Error (of `type`) whose message starts with `start` (a regex source). */
function throwsFrom(fn: () => unknown, start: string, type: ErrorConstructor = Error): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    assert.match((e as Error).message, new RegExp("^" + start));
    return true;
  });
}

function sameValues(a: Tensor, b: Tensor, label: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${label}: shape`);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-6 * (1 + Math.abs(y[i])), `${label}[${i}]: ${x[i]} vs ${y[i]}`);
}

test("containers say what they got instead of a module", () => {
  throwsFrom(() => new nn.Sequential(new nn.ReLU(), null as never), "Sequential: argument 1: expected a Module, got null$");
  throwsFrom(() => new nn.Sequential({} as never), "Sequential: argument 0: expected a Module, got Object$");
  throwsFrom(() => new nn.Sequential(5 as never), "Sequential: argument 0: expected a Module, got number$");
  // An object without a prototype has no constructor to name.
  throwsFrom(() => new nn.Sequential(Object.create(null) as never), "Sequential: argument 0: expected a Module, got undefined$");
  throwsFrom(() => new nn.Sequential().append("relu" as never), "Sequential\\.append: expected a Module, got string$");
  throwsFrom(() => new nn.ModuleList([new nn.ReLU(), 1 as never]), "ModuleList: item 1: expected a Module, got number$");
  throwsFrom(() => new nn.ModuleList(5 as never), "ModuleList: modules must be an array of modules, got number 5$");
  throwsFrom(() => new nn.ModuleList().append({} as never), "ModuleList\\.append: expected a Module, got Object$");
  throwsFrom(() => new nn.ModuleList().insert(0, null as never), "ModuleList\\.insert: expected a Module, got null$");
  throwsFrom(() => new nn.ModuleDict({ a: 1 as never }), 'ModuleDict\\.set\\("a"\\): expected a Module, got number$');
});

test("at() takes integer indices in -length..length-1 and names the container otherwise", () => {
  const a = new nn.ReLU(), b = new nn.Tanh(), c = new nn.Sigmoid();
  const seq = new nn.Sequential(a, b, c);
  assert.equal(seq.at(0), a);
  assert.equal(seq.at(2), c);
  assert.equal(seq.at(-1), c);
  assert.equal(seq.at(-3), a);
  throwsFrom(() => seq.at(3), "Sequential\\.at: index 3 is out of range for a container of 3 modules \\(valid: -3 to 2\\)$", RangeError);
  throwsFrom(() => seq.at(-4), "Sequential\\.at: index -4 is out of range for a container of 3 modules \\(valid: -3 to 2\\)$", RangeError);
  throwsFrom(() => seq.at(1.5), "Sequential\\.at: index 1\\.5 is out of range", RangeError);
  const list = new nn.ModuleList([a, b]);
  assert.equal(list.at(-2), a);
  throwsFrom(() => list.at(2), "ModuleList\\.at: index 2 is out of range for a container of 2 modules \\(valid: -2 to 1\\)$", RangeError);
  throwsFrom(() => list.at(-3), "ModuleList\\.at: index -3 is out of range", RangeError);
  throwsFrom(() => list.at(0.5), "ModuleList\\.at: index 0\\.5 is out of range", RangeError);
});

test("Sequential refuses neighbours that read the sequence from different axes, and only those", () => {
  const lstmBF = (): nn.LSTM => new nn.LSTM(4, 4, { batchFirst: true });
  const gruTF = (): nn.GRU => new nn.GRU(4, 4, { batchFirst: false });
  // A module without batchFirst next to one with it is fine, on either side.
  assert.equal(new nn.Sequential(new nn.Linear(4, 4), lstmBF()).length, 2);
  assert.equal(new nn.Sequential(lstmBF(), new nn.Linear(4, 4)).length, 2);
  assert.equal(new nn.Sequential(gruTF(), new nn.Identity(), lstmBF()).length, 3);
  assert.equal(new nn.Sequential(lstmBF(), lstmBF()).length, 2);
  throwsFrom(
    () => new nn.Sequential(new nn.Identity(), lstmBF(), gruTF()),
    "Sequential: LSTM \\(item 1, batchFirst true\\) feeds GRU \\(item 2, batchFirst false\\); they read the sequence from different axes\\. Construct both with the same batchFirst$",
  );
  const seq = new nn.Sequential(gruTF());
  throwsFrom(() => seq.append(lstmBF()), "Sequential\\.append: GRU \\(item 0, batchFirst false\\) feeds LSTM \\(item 1, batchFirst true\\)");
  assert.equal(seq.length, 1, "the refused module was not added");
  seq.append(new nn.Identity());
  assert.equal(seq.length, 2);
});

test("the item lists are not own enumerable properties: Object.keys shows none of the containers' private state", () => {
  const seq = new nn.Sequential(new nn.ReLU());
  const list = new nn.ModuleList([new nn.ReLU()]);
  const dict = new nn.ModuleDict({ a: new nn.ReLU() });
  const params = new nn.ParameterList([ones([1])]), pdict = new nn.ParameterDict({ a: ones([1]) });
  for (const m of [seq, list, dict, params, pdict]) assert.ok(!Object.keys(m).includes("store"), `${m.constructor.name}: ${Object.keys(m).join(",")}`);
  // The children are still registered by name.
  assert.deepEqual(seq.namedChildren().map(([k]) => k), ["0"]);
  assert.deepEqual(dict.namedChildren().map(([k]) => k), ["a"]);
});

test("Sequential.forward: the fused Conv2d → ReLU (→ MaxPool2d) runs give the same result as calling each module in turn", () => {
  manualSeed(5);
  const mods = [
    new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(3, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 2 * 2, 5), new nn.Tanh(),
  ];
  const net = new nn.Sequential(...mods);
  const x = randn([2, 2, 8, 8]);
  let want = x;
  for (const m of mods) want = (m as nn.Module<[Tensor], Tensor>).call(want);
  sameValues(net.call(x), want, "conv-relu-pool, conv-relu, flatten, linear, tanh");
  // The chains did run fused (one op: its node is the output's), as the docs promise; a hook on
  // the conv keeps it out of the fused op, so the hook sees the conv's own output.
  const xg = x.detach().requiresGrad_();
  assert.equal(new nn.Sequential(mods[0], mods[1]).call(xg).gradFn?.name, "conv2dRelu");
  assert.equal(new nn.Sequential(mods[0], mods[1], mods[2]).call(xg).gradFn?.name, "conv2dRelu");
  assert.equal(new nn.Sequential(new nn.Linear(8, 3), new nn.ReLU()).call(randn([2, 8]).requiresGrad_()).gradFn?.name, "linearRelu");
  const hooked = new nn.Conv2d(2, 3, 3);
  hooked.registerForwardHook(() => undefined);
  assert.equal(new nn.Sequential(hooked, new nn.ReLU()).call(xg).gradFn?.name, "relu");
  // Fused pair at the very end, and a lone conv.
  const tail = new nn.Sequential(new nn.Identity(), mods[3], mods[4]);
  sameValues(tail.call(mods[2].call(mods[1].call(mods[0].call(x)))), mods[4].call(mods[3].call(mods[2].call(mods[1].call(mods[0].call(x))))), "identity, conv-relu");
});

test("slice shares the module objects; ModuleList.insert places before the index, negative counting from the end", () => {
  const a = new nn.ReLU(), b = new nn.Tanh(), c = new nn.Sigmoid();
  const part = new nn.Sequential(a, b, c).slice(1);
  assert.equal(part.length, 2);
  assert.equal(part.at(0), b);
  assert.equal(new nn.Sequential(a, b, c).slice(0, 2).at(-1), b);
  const names = (l: nn.ModuleList): string[] => [...l].map((m) => m.constructor.name);
  const list = (): nn.ModuleList => new nn.ModuleList([new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid()]);
  assert.deepEqual(names(list().insert(0, new nn.ELU())), ["ELU", "ReLU", "Tanh", "Sigmoid"]);
  assert.deepEqual(names(list().insert(1, new nn.ELU())), ["ReLU", "ELU", "Tanh", "Sigmoid"]);
  assert.deepEqual(names(list().insert(3, new nn.ELU())), ["ReLU", "Tanh", "Sigmoid", "ELU"]);
  assert.deepEqual(names(list().insert(-1, new nn.ELU())), ["ReLU", "Tanh", "ELU", "Sigmoid"]);
  assert.deepEqual(names(list().insert(-3, new nn.ELU())), ["ELU", "ReLU", "Tanh", "Sigmoid"]);
  // Out of range throws instead of wrapping a second time (-5 on 3 items once landed at index 1).
  throwsFrom(() => list().insert(-4, new nn.ELU()), "ModuleList\\.insert: index -4 is out of range for a container of 3 modules \\(valid: -3 to 3\\)$");
  throwsFrom(() => list().insert(4, new nn.ELU()), "ModuleList\\.insert: index 4 is out of range");
  throwsFrom(() => list().insert(1.5, new nn.ELU()), "ModuleList\\.insert: index 1\\.5 is out of range");
  assert.deepEqual(names(new nn.ModuleList().insert(0, new nn.ELU())), ["ELU"]);
  throwsFrom(() => new nn.ModuleList().at(0), "ModuleList\\.at: index 0 is out of range for a container of 0 modules \\(valid: none: it is empty\\)$");
  assert.deepEqual(names(list().extend([new nn.ELU(), new nn.GELU()])), ["ReLU", "Tanh", "Sigmoid", "ELU", "GELU"]);
  throwsFrom(() => (list() as unknown as { forward(): void }).forward(), "ModuleList\\.forward: a ModuleList has no forward; iterate over it and call its modules in your own forward$");
});

test("ModuleDict: built from an object or from [name, module] pairs, refusing anything else; keys are non-empty and dot-free", () => {
  const a = new nn.ReLU(), b = new nn.Tanh();
  const fromPairs = new nn.ModuleDict([["x", a], ["y", b]]);
  assert.deepEqual(fromPairs.keys(), ["x", "y"]);
  assert.equal(fromPairs.get("y"), b);
  const d = new nn.ModuleDict({ x: a, y: b });
  assert.deepEqual(d.keys(), ["x", "y"]);
  assert.deepEqual(d.values(), [a, b]);
  assert.deepEqual(d.items(), [["x", a], ["y", b]]);
  assert.equal(d.length, 2);
  assert.equal(d.delete("x"), true);
  assert.equal(d.has("x"), false);
  assert.deepEqual(d.keys(), ["y"]);
  throwsFrom(() => new nn.ModuleDict(null as never), "ModuleDict: modules must be an object of modules by name or an iterable of \\[name, module\\] pairs, got null$");
  throwsFrom(() => new nn.ModuleDict(5 as never), "ModuleDict: modules must be an object of modules by name or an iterable of \\[name, module\\] pairs, got number 5$");
  throwsFrom(() => new nn.ModuleDict([["x"]] as never), "ModuleDict: entry 0 must be a \\[name, module\\] pair \\(or pass an object of modules by name\\), got an array of length 1$");
  throwsFrom(() => new nn.ModuleDict([["x", a], "y"] as never), "ModuleDict: entry 1 must be a \\[name, module\\] pair");
  throwsFrom(() => new nn.ModuleDict([["x", a, b]] as never), "ModuleDict: entry 0 must be a \\[name, module\\] pair");
  for (const key of ["", "a.b", 5]) {
    throwsFrom(() => new nn.ModuleDict().set(key as never, a), `ModuleDict\\.set: key must be a non-empty string without "\\.", got ${JSON.stringify(key).replace(/\./g, "\\.")}$`);
  }
  assert.equal(new nn.ModuleDict().set("Stryker was here!", a).length, 1);
  throwsFrom(() => new nn.ModuleDict().get("cls"), 'ModuleDict\\.get: no module "cls" \\(keys: none\\)$');
  throwsFrom(() => fromPairs.get("z"), 'ModuleDict\\.get: no module "z" \\(keys: x, y\\)$');
  throwsFrom(() => (fromPairs as unknown as { forward(): void }).forward(), "ModuleDict\\.forward: a ModuleDict has no forward; pick its modules by key in your own forward$");
});
