// Session 10: tests for the survivors of the src/tensor run over guard.ts, half.ts, host-heap.ts,
// recycle.ts, required-args.ts, shape.ts and tensor.ts (docs/mutation/session-10-muta.md). Each
// checks a rule of the entry layer or of the tensor files that no other test in the mutation
// mapping of src/tensor reached.
import { test } from "node:test";
import assert from "node:assert/strict";
import { declareOptionalArgs, declareOptions, guardAll, guardFunction, guardMethod } from "../src/tensor/check.js";
import { float32ToHalf } from "../src/tensor/half.js";
import { parameterList, parameterNames, positionalKeyError, requiredInOptionsError } from "../src/tensor/required-args.js";
import { tensor } from "../src/index.js";
import { thrown } from "./throws-with.js";

test("guard: a method's signature leaves out its receiver even when the receiver is its only parameter", () => {
  // `(self) => ...` shows as x.mtrOne(): the receiver is dropped with no comma after it.
  const one = guardMethod("mtrOne", (self: never) => (self as unknown as { q: { r: number } }).q.r);
  assert.match(thrown(() => one.call(tensor([1]))).message, /^x\.mtrOne: cannot use the arguments \(no arguments\); it takes x\.mtrOne\(\) \(Cannot read properties of undefined/);
});

test("guard: a function whose source shows no parameter list (a class) is written name(...)", () => {
  // Calling a class without `new` is JavaScript's own TypeError, so the entry layer explains it. The
  // class comes from new Function: the compiler (esbuild's keepNames) would add a call to its body.
  const MtrK = new Function("return class MtrK {}")() as (...a: unknown[]) => unknown;
  assert.equal(Function.prototype.toString.call(MtrK), "class MtrK {}");
  const k = guardFunction("mtrK", MtrK, false);
  assert.equal(thrown(() => k(1)).message, "mtrK: cannot use the arguments (number 1); it takes mtrK(...) (Class constructor MtrK cannot be invoked without 'new')");
});

test("guard: JavaScript's own RangeError whose message holds 'word: ' later on is still explained", () => {
  // Only a RangeError whose message *starts* with a name and ': ' is one of ours.
  const f = guardFunction("mtrLen", (n: number) => new Float32Array(n), false);
  assert.equal(thrown(() => f(-1)).message, "mtrLen: cannot use the arguments (number -1); it takes mtrLen(n) (Invalid typed array length: -1)");
});

test("guard: an inner name is one that equals the called name, or it without the in-place '_'", () => {
  // mtrAb is not mtrAbc: only a trailing "_" is taken off the called name when comparing.
  const m = guardMethod("mtrAbc", () => { throw new Error("mtrAb: bad"); });
  assert.equal(thrown(() => m.call(tensor([1]))).message, "mtrAbc: mtrAb: bad");
  const f = guardFunction("mtrDef", () => { throw new Error("mtrDe: bad"); }, false);
  assert.equal(thrown(() => f()).message, "mtrDef: mtrDe: bad");
});

test("guard: a registered name inside a message, not at its start, is left in place", () => {
  guardFunction("mtrInnerX", () => 0, false); // registers the name mtrInnerX
  const f = guardFunction("mtrOuter", () => { throw new Error("a bad value for mtrInnerX: 3"); }, false);
  assert.equal(thrown(() => f()).message, "mtrOuter: a bad value for mtrInnerX: 3");
  // At the start it is taken off (the called function is named instead).
  const g = guardFunction("mtrOuter2", () => { throw new Error("mtrInnerX: 3 is bad"); }, false);
  assert.equal(thrown(() => g()).message, "mtrOuter2: 3 is bad");
});

test("guard: a trailing null or undefined is an argument, not an options object", () => {
  declareOptions({ mtrNul: ["alpha"] });
  const f = guardFunction("mtrNul", (x: unknown, o: unknown = "default") => [x, o], false) as (...a: unknown[]) => unknown[];
  assert.deepEqual(f(1, null), [1, null]);
  assert.deepEqual(f(1, undefined), [1, "default"]);
  declareOptionalArgs({ mtrNulOpt: { first: 1, names: ["p"] } });
  const g = guardFunction("mtrNulOpt", (x: unknown, p: unknown = 2) => [x, p], false) as (...a: unknown[]) => unknown[];
  assert.deepEqual(g(1, null), [1, null]);
});

test("guard: an options object made with Object.create(null) is checked like a literal one", () => {
  declareOptions({ mtrBare: ["alpha"] });
  const f = guardFunction("mtrBare", (x: unknown, o: object = {}) => [x, o], false) as (...a: unknown[]) => unknown[];
  const bad = Object.assign(Object.create(null) as object, { alphq: 1 });
  assert.equal(thrown(() => f(1, bad)).message, "mtrBare: unknown option 'alphq'; did you mean 'alpha'? (it takes alpha)");
  const good = Object.assign(Object.create(null) as object, { alpha: 1 });
  assert.equal(f(1, good)[1], good);
});

test("guard: an async function with declared options keeps its own rejection when a declared key is also a parameter", () => {
  // keepdim is both sum's third parameter and one of its declared option keys: an options object
  // holding it is the options object, so the rejection is the function's own, not "positional".
  declareOptions({ mtrAsum: ["keepdim"] });
  const f = guardFunction("mtrAsum", async function mtrAsum(x: unknown, dim = 0, keepdim: unknown = false) {
    throw new Error(`mtrAsum: boom ${String(x)} ${dim} ${typeof keepdim}`);
  }, false) as (...a: unknown[]) => Promise<unknown>;
  return assert.rejects(f(1, 0, { keepdim: true }), (e: Error) => e.message === "mtrAsum: boom 1 0 object");
});

test("guardAll: a function whose source merely mentions a class is still guarded", () => {
  const ns = guardAll({ mtrClassy: (x: unknown) => (x as { a: { b: string } }).a.b + "class Foo" }, "mtrNs", "all");
  assert.match(thrown(() => ns.mtrClassy(1)).message, /^mtrNs\.mtrClassy: cannot use the arguments \(number 1\); it takes /);
});

test("float32ToHalf writes src.length patterns and leaves the rest of a longer dst alone", () => {
  // 1, -2 and 65504 (float16's largest) as float16 and bfloat16 bits (torch.tensor(...).view(torch.int16)).
  const src = new Float32Array([1, -2, 65504]);
  const f16 = float32ToHalf(src, "float16", new Uint16Array([7, 7, 7, 7, 7]));
  assert.deepEqual([...f16], [0x3c00, 0xc000, 0x7bff, 7, 7]);
  const bf16 = float32ToHalf(src, "bfloat16", new Uint16Array([7, 7, 7, 7]));
  assert.deepEqual([...bf16], [0x3f80, 0xc000, 0x4780, 7]);
});

test("parameterList: bare arrows whose body calls something, a name ending in 'async', spaces at the list's ends, a class", () => {
  // Function.prototype.toString as the engine gives it (new Function: no compiler in between).
  const make = (src: string): Function => new Function(`return ${src}`)() as Function;
  assert.equal(parameterList(make("x => Math.max(1, x)")), "x"); // the body's parenthesis is not the list
  assert.equal(parameterList(make("xasync => 0")), "xasync"); // only a leading `async ` is the keyword
  assert.equal(parameterList(make("async  z => z")), "z");
  assert.equal(parameterList(make("function ( a, b ) {}")), "a, b");
  assert.equal(parameterList(make("class K { static n = [1] }")), undefined); // no parameter list shown
});

test("parameterNames: a trailing comma in the list adds no name", () => {
  assert.deepEqual(parameterNames(new Function("return function (a, b,) {}")() as Function), ["a", "b"]);
});

test("required-args: an array mixing numbers and other values is written by its parameter's name", () => {
  function pk(x: unknown, a: unknown) {}
  assert.equal(positionalKeyError("pk", pk, [1, { a: [1, "2"] }], 0, [])!.message, "pk: a is a positional parameter, not an option; write pk(1, a)");
  // A key whose value is undefined is not written into the call's options object.
  assert.equal(positionalKeyError("pk", pk, [1, { a: 3, zz: undefined }], 0, ["zz"])!.message, "pk: a is a positional parameter, not an option; write pk(1, 3)");
});

test("requiredInOptionsError: keys whose value is undefined are left out, as if not written", () => {
  function pad(x: unknown, pads: unknown, mode = "constant") {}
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pads: [1, 1], mode: undefined }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (not in the options object); write x.pad([1, 1])");
  // An undefined key beside the PyTorch name does not stop the alias being guessed.
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pad: [1, 1], value: undefined }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (not in the options object, where it came as 'pad'); write x.pad([1, 1])");
});

test("requiredInOptionsError: the alias's other keys stay in the object; a method's earlier arguments are written after its receiver, with their values (session 12)", () => {
  function pad(x: unknown, pads: unknown, mode = "constant") {}
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pad: [1, 1], mode: "reflect" }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (not in the options object, where it came as 'pad'); write x.pad([1, 1], { mode: \"reflect\" })");
  function f(self: unknown, a: unknown, b: unknown, c = 0) {}
  assert.equal(requiredInOptionsError("x.f", f, [1, { c: 2 }], 1, 3, ["c"]).message,
    "x.f: b is a required parameter, given positionally (the options object stands in its place); write x.f(1, b, { c: 2 })");
});
