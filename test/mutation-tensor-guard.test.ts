// src/tensor/guard.ts checked directly on small functions of this file (names prefixed `mtg` so
// they do not meet the library's registered names): what the entry layer does with a raw
// JavaScript error, with our own errors (renaming inner functions, keeping graph runners' and
// helpers' names), with a non-tensor first argument, with async rejections, and with trailing
// options objects (declareOptions keys, declareOptionalArgs spreading, misplaced positional keys).
// The public-surface surveys (api-checks, unknown-options) are outside the mutation mapping of
// src/tensor (scripts/mutate.mjs): each of their tests calls the whole surface.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  declareOptionalArgs, declareOptions, declaredOptionalArgNames, declaredOptionalArgs, declaredOptions, guardAll, guardFunction, guardMethod,
} from "../src/tensor/check.js";
import { tensor } from "../src/index.js";
import { thrown, throwsWith } from "./throws-with.js";

test("a raw JavaScript error becomes '<name>: cannot use the arguments (...); it takes ...', with the cause", () => {
  const f = guardFunction("mtgRaw", function mtgRaw(a: unknown, b = 2) {
    return (a as { foo: { bar: number } }).foo.bar + b;
  }, false);
  const e = thrown(() => f("x"));
  // The parameter list is the source's as the compiler emitted it (tsx prints `a,b=2`).
  assert.match(e.message, /^mtgRaw: cannot use the arguments \(string "x"\); it takes mtgRaw\(a, ?b ?= ?2\) \(Cannot read properties of undefined \(reading 'bar'\)\)$/);
  assert.ok(e.cause instanceof TypeError);
  assert.equal(f.name, "mtgRaw");
  assert.match(thrown(() => (f as () => number)()).message, /^mtgRaw: cannot use the arguments \(no arguments\); it takes mtgRaw\(a, ?b ?= ?2\) \(/);
  const g = guardFunction("mtgTakes", (..._a: unknown[]) => { throw new RangeError("Invalid array length"); }, false, "mtgTakes(x, y)");
  assert.equal(thrown(() => g(1, [2])).message, "mtgTakes: cannot use the arguments (number 1, an array of length 1); it takes mtgTakes(x, y) (Invalid array length)");
  const s = guardFunction("mtgSyntax", () => JSON.parse("{"), false);
  assert.match(thrown(() => s()).message, /^mtgSyntax: cannot use the arguments \(no arguments\); it takes mtgSyntax\(\) \(/);
  const r = guardFunction("mtgRef", () => { throw new ReferenceError("q is not defined"); }, false);
  assert.match(thrown(() => r()).message, /^mtgRef: cannot use the arguments .*\(q is not defined\)$/);
  const str = guardFunction("mtgStr", () => { throw "boom"; }, false);
  assert.match(thrown(() => str()).message, /^mtgStr: cannot use the arguments \(no arguments\); it takes .* \(boom\)$/);
  // Our own RangeError (it starts with a name) passes through as the same object.
  const own = new RangeError("mtgOwn: dimension 3 is out of range");
  const o = guardFunction("mtgOwn", () => { throw own; }, false);
  assert.equal(thrown(() => o()), own);
  assert.equal(own.message, "mtgOwn: dimension 3 is out of range");
});

test("our own errors: inner registered names are replaced by the called one; others are kept", () => {
  guardFunction("mtgInner", () => 0, false);
  guardFunction("mtgNs.mtgInner2", () => 0, false);
  const raise = (msg: string) => () => { throw new Error(msg); };
  assert.equal(thrown(guardFunction("mtgOuter", raise("mtgInner: min must be a number"), false)).message, "mtgOuter: min must be a number");
  assert.equal(thrown(guardFunction("mtgOuter", raise("mtgInner: mtgInner2: bad"), false)).message, "mtgOuter: bad");
  assert.equal(thrown(guardFunction("mtgOuter", raise("mtgNs.mtgInner2: bad"), false)).message, "mtgOuter: bad");
  assert.equal(thrown(guardFunction("mtgOuter", raise("model.safetensors: bad header"), false)).message, "mtgOuter: model.safetensors: bad header");
  assert.equal(thrown(guardFunction("mtgOuter", raise("no name here"), false)).message, "mtgOuter: no name here");
  assert.equal(thrown(guardFunction("mtgOuter", raise("mtgOuter: already named"), false)).message, "mtgOuter: already named");
  // A namespaced function: its short name or a dotted name ending in it already names it.
  assert.equal(thrown(guardFunction("mtgNs.mtgFn", raise("mtgFn: bad"), false)).message, "mtgFn: bad");
  assert.equal(thrown(guardFunction("mtgNs.mtgFn", raise("x.mtgFn: bad"), false)).message, "x.mtgFn: bad");
  assert.equal(thrown(guardFunction("mtgNs.mtgFn", raise("other: bad"), false)).message, "mtgNs.mtgFn: other: bad");
  // A helper told which name to use (an argument) names what the caller asked.
  const helper = guardFunction("mtgHelper", (_x: unknown, label: string) => { throw new Error(`${label}: bad`); }, false);
  assert.equal(thrown(() => helper(1, "MyTransform")).message, "MyTransform: bad");
  // The graph runners keep the inner op's name: it says which op of the graph failed.
  assert.equal(thrown(guardFunction("mtgNs.grad", raise("mtgInner: bad"), false)).message, "mtgNs.grad: mtgInner: bad");
  // (Not named "other": guarding registers the short name, and "other: bad" above must stay unregistered
  // when the file runs again in one process, as the in-process mutation runner does.)
  assert.equal(thrown(guardFunction("mtgNs.mtgNotRunner", raise("mtgInner: bad"), false)).message, "mtgNs.mtgNotRunner: bad");
  // The shared binary-op check names the op by its short name.
  assert.equal(thrown(guardFunction("mtgNs.addish", raise("a binary op: shapes [2] and [3]"), false)).message, "addish: shapes [2] and [3]");
  // Methods: named by the method's short name; x.name_ may report as name.
  const m = guardMethod("mtgSet_", () => { throw new Error("mtgSet: bad"); });
  assert.equal(thrown(() => m.call(tensor([1]))).message, "mtgSet: bad");
  const m2 = guardMethod("mtgMeth", () => { throw new Error("zzz: bad"); });
  assert.equal(thrown(() => m2.call(tensor([1]))).message, "mtgMeth: zzz: bad");
  const m3 = guardMethod("mtgMeth3", (self: never, a: never) => (self as { shape: number[] }).shape[0] + (a as { b: { c: number } }).b.c);
  assert.match(thrown(() => m3.call(tensor([1]), 5)).message, /^x\.mtgMeth3: cannot use the arguments \(number 5\); it takes x\.mtgMeth3\(a\) \(/);
});

test("tensorFirst: a first argument that is not a Tensor, number or boolean is refused before the call", () => {
  let calls = 0;
  const f = guardFunction("mtgT", (_x: unknown) => ++calls, true);
  throwsWith(() => f("x"), 'mtgT: input must be a Tensor, got string "x"');
  throwsWith(() => f([1]), "mtgT: input must be a Tensor, got an array of length 1 (wrap plain numbers with tensor(...))");
  assert.equal(calls, 0);
  f(tensor([1]));
  f(3);
  f(true);
  assert.equal(calls, 3);
  const g = guardFunction("mtgNotT", (_x: unknown) => 1, false);
  assert.equal(g("x"), 1);
});

test("async functions: a rejection is translated as a throw would be; a resolved value passes", async () => {
  const a = guardFunction("mtgAsync", async (x: unknown) => (x as { y: { z: number } }).y.z, false);
  await assert.rejects(a(1), (e: Error) => /^mtgAsync: cannot use the arguments \(number 1\); it takes mtgAsync\(x\) \(/.test(e.message));
  const b = guardFunction("mtgAsync2", async () => { throw new Error("mtgInner: bad"); }, false);
  await assert.rejects(b(), (e: Error) => e.message === "mtgAsync2: bad");
  const c = guardFunction("mtgAsync3", async (x: number) => x * 2, false);
  assert.equal(await c(4), 8);
});

test("declareOptions: a trailing plain object is checked against the declared keys before the call", () => {
  declareOptions({ mtgOpt: ["alpha", "beta"], mtgOptM: ["alpha"] });
  assert.deepEqual(declaredOptions("mtgOpt"), ["alpha", "beta"]);
  assert.equal(Object.isFrozen(declaredOptions("mtgOpt")), true);
  assert.equal(declaredOptions("mtgNothing"), undefined);
  const f = guardFunction("mtgOpt", function mtgOpt(x: unknown, dim = 0, opts: object = {}) { return [x, dim, opts]; }, false) as (...a: unknown[]) => unknown[];
  throwsWith(() => f(1, { alphx: 1 }), "mtgOpt: unknown option 'alphx'; did you mean 'alpha'? (it takes alpha, beta)");
  throwsWith(() => f(1, { dim: 1 }), "mtgOpt: dim is a positional parameter, not an option; write mtgOpt(1, 1)");
  assert.deepEqual(f(1, 2, { alpha: 1 }), [1, 2, { alpha: 1 }]);
  // The first argument is the function's data, never its options; other objects are not options.
  assert.deepEqual(f({ zzz: 1 }), [{ zzz: 1 }, 0, {}]);
  const map = new Map();
  assert.deepEqual(f(1, 2, map), [1, 2, map]);
  // A method's only argument may be its options object.
  const m = guardMethod("mtgOptM", (self: never, opts: object = {}) => [self, opts]);
  throwsWith(() => m.call(tensor([1]), { zzzz: 1 }), "x.mtgOptM: unknown option 'zzzz'; it takes alpha");
  const t = tensor([1]);
  assert.deepEqual(m.call(t, { alpha: 2 }), [t, { alpha: 2 }]);
  // Without declared keys, a misplaced positional key is named when the call fails.
  const pair = guardFunction("mtgPair", function mtgPair(a: number, b: number) { if (typeof b !== "number") throw new TypeError("b"); return a + b; }, false);
  throwsWith(() => pair(1, { b: 2 } as never), "mtgPair: b is a positional parameter, not an option; write mtgPair(1, 2)");
  assert.match(thrown(() => (pair as (a: unknown) => number)({ b: 2 })).message, /^mtgPair: cannot use the arguments/);
});

test("declareOptionalArgs: an options object stands in for the optional parameters, its bag passes on", () => {
  const spec = declareOptionalArgs({ mtgNorm: { first: 1, names: ["p", "dim"], bag: ["eps"] }, mtgLeaky: { first: 1, names: ["slope"] } });
  assert.equal(spec.mtgNorm.first, 1);
  assert.deepEqual(declaredOptionalArgs("mtgNorm"), { first: 1, names: ["p", "dim"], bag: ["eps"] });
  assert.equal(Object.isFrozen(declaredOptionalArgs("mtgNorm")), true);
  assert.ok(declaredOptionalArgNames().includes("mtgLeaky"));
  // Typed loosely: the options-object forms come from the entry layer, not from this signature.
  const norm = guardFunction("mtgNorm", function mtgNorm(x: unknown, p = 2, dim = 0, opts: object = {}) { return [x, p, dim, opts]; }, false) as (...a: unknown[]) => unknown[];
  assert.deepEqual(norm(7, { dim: 1 }), [7, 2, 1, {}]);
  assert.deepEqual(norm(7, 3, { dim: 1, eps: 0.1 }), [7, 3, 1, { eps: 0.1 }]);
  assert.deepEqual(norm(7, { p: 1, dim: undefined, eps: undefined }), [7, 1, 0, {}]);
  const own = { eps: 1 };
  assert.equal(norm(7, 3, 1, own)[3], own, "the function's own options object passes as it is (keys checked)");
  throwsWith(() => norm(7, 3, { p: 1 }), "mtgNorm: 'p' is given twice, positionally and in the options object; give it once");
  throwsWith(() => norm(7, { q: 1 }), "mtgNorm: unknown option 'q'; did you mean 'p'? (it takes p, dim, eps)");
  throwsWith(() => norm(7, 3, 1, { zzzz: 1 }), "mtgNorm: unknown option 'zzzz'; it takes eps");
  throwsWith(() => norm({ p: 1 }), "mtgNorm: x is a required parameter, given positionally (the options object stands in its place); write mtgNorm(x, { p: 1 })");
  // Past the declared parameters and the bag, an object is left to the function.
  const extra = { any: 1 };
  assert.deepEqual(norm(7, 3, 1, { eps: 1 }, extra), [7, 3, 1, { eps: 1 }]);
  let seen: unknown[] = [];
  const leaky = guardFunction("mtgLeaky", function mtgLeaky(...a: unknown[]) { seen = a; return a.length; }, false);
  assert.equal(leaky(7, { slope: 0.2 }), 2, "no bag declared: no bag object is passed");
  assert.deepEqual(seen, [7, 0.2]);
  assert.deepEqual(leaky(7), 1);
  assert.equal(leaky(7, 0.2, {}), 3, "an object after every optional parameter is the function's own");
  // A method: the receiver counts as position 0.
  declareOptionalArgs({ mtgNormM: { first: 1, names: ["p", "dim"], bag: ["eps"] } });
  const m = guardMethod("mtgNormM", (self: never, p = 2, dim = 0, opts: object = {}) => [self, p, dim, opts]);
  const t = tensor([1]);
  assert.deepEqual(m.call(t, { dim: 1, eps: 2 }), [t, 2, 1, { eps: 2 }]);
  // Declared both ways: the optional-arguments declaration wins.
  declareOptions({ mtgBoth: ["zz"] });
  declareOptionalArgs({ mtgBoth: { first: 1, names: ["a"] } });
  const both = guardFunction("mtgBoth", (x: unknown, a = 0) => [x, a], false);
  throwsWith(() => both(1, { zzzz: 1 } as never), "mtgBoth: unknown option 'zzzz'; it takes a");
  assert.deepEqual(both(1, { a: 5 } as never), [1, 5]);
});

test("guardAll wraps functions only, names them with the prefix, and marks which take a tensor first", () => {
  class K {}
  const ns = { mtgA: function mtgA(x: unknown) { return x; }, var_: function mtgVar(x: unknown) { return x; }, K, v: 3 };
  const out = guardAll(ns, "mtgNs2", ["mtgA"]);
  assert.equal(out.K, K);
  assert.equal(out.v, 3);
  assert.notEqual(out.mtgA, ns.mtgA);
  assert.equal(out.mtgA.name, "mtgA");
  assert.equal(out.mtgA("s"), "s");
  throwsWith(() => out.var_("s"), 'mtgNs2.var: input must be a Tensor, got string "s"');
  const all = guardAll({ f: (x: unknown) => x }, "mtgNs3", "all");
  assert.equal(all.f("s"), "s");
  const bare = guardAll({ mtgBare: (x: unknown) => x }, "");
  throwsWith(() => bare.mtgBare("s"), 'mtgBare: input must be a Tensor, got string "s"');
  // The class check reads the source: a function whose body holds a class is still a function.
  const withClass = guardAll({ mtgF: function mtgF(x: unknown) { class Inner {} return [x, new Inner()].length; } }, "", "all");
  assert.notEqual(withClass.mtgF, undefined);
  assert.equal(withClass.mtgF(1), 2);
});
