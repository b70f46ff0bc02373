// src/tensor/required-args.ts checked directly on this file's own functions: parameter lists and
// names read from source, and the two messages with the call written out (values as literals, the
// alias of a PyTorch keyword, several missing parameters, unnamed positions). test/required-params
// checks the same through every declared op. Written for `npm run mutate -- src/tensor`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parameterList, parameterNames, positionalKeyError, requiredInOptionsError } from "../src/tensor/required-args.js";

/* eslint-disable @typescript-eslint/no-unused-vars */
test("parameterList and parameterNames read the source's parameters; a rest parameter ends the names", () => {
  assert.equal(parameterList(function f() {}), "");
  assert.deepEqual(parameterNames(function f() {}), []);
  assert.deepEqual(parameterNames(function f(x: number, dim = 0, { keepdim }: { keepdim?: boolean } = {}) {}), ["x", "dim", "options"]);
  assert.deepEqual(parameterNames(function f(a: number, ...rest: number[]) {}), ["a"]);
  assert.deepEqual(parameterNames((a = Math.max(1, 2), b = [3, 4]) => 0), ["a", "b"]);
  assert.deepEqual(parameterNames(async (a: number, b: number) => 0), ["a", "b"]);
  // Brackets, commas and quotes inside string defaults belong to the strings, not the list.
  assert.deepEqual(parameterNames(function f(a = ")", b = "(,", c = 'it\'s )', d = `x)`, e = 1) {}), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(parameterNames((mode = "(", k = 2) => 0), ["mode", "k"]);
  assert.deepEqual(parameterNames(function f(a = { p: 1, q: 2 }, $b = "s", _c = 0) {}), ["a", "$b", "_c"]);
  assert.match(parameterList(function f(a: number, b = 2) {})!, /^a, ?b ?= ?2$/);
  // A bare one-parameter arrow (no parenthesis before its arrow), as Function.prototype.toString gives it.
  const bare = new Function("return x => x + 1")() as Function;
  assert.equal(parameterList(bare), "x");
  assert.deepEqual(parameterNames(bare), ["x"]);
  const bareAsync = new Function("return async y => y")() as Function;
  assert.equal(parameterList(bareAsync), "y");
  // Whitespace inside the list is collapsed.
  const spaced = new Function("return function g(a,\n    b) {}")() as Function;
  assert.equal(parameterList(spaced), "a, b");
});

test("positionalKeyError: names the positional keys and writes the call with the caller's values", () => {
  function pk(x: unknown, a: unknown, b: unknown, c: unknown) {}
  assert.equal(positionalKeyError("pk", pk, [1, { b: "s", c: [1, 2] }], 0, [])!.message, 'pk: b and c are positional parameters, not options; write pk(1, a, "s", [1, 2])');
  assert.equal(positionalKeyError("pk", pk, [1, { a: null, zz: true }], 0, ["zz"])!.message, "pk: a is a positional parameter, not an option; write pk(1, null, { zz: true })");
  assert.equal(positionalKeyError("pk", pk, [1, { a: false, zz: {} }], 0, ["zz"])!.message, "pk: a is a positional parameter, not an option; write pk(1, false, { zz })");
  // Arrays of up to 8 numbers are written out; longer ones, and other values, by the parameter's name.
  assert.equal(positionalKeyError("pk", pk, [1, { a: [1, 2, 3, 4, 5, 6, 7, 8] }], 0, [])!.message, "pk: a is a positional parameter, not an option; write pk(1, [1, 2, 3, 4, 5, 6, 7, 8])");
  assert.equal(positionalKeyError("pk", pk, [1, { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }], 0, [])!.message, "pk: a is a positional parameter, not an option; write pk(1, a)");
  assert.equal(positionalKeyError("pk", pk, [1, { a: ["1"] }], 0, [])!.message, "pk: a is a positional parameter, not an option; write pk(1, a)");
  assert.equal(positionalKeyError("pk", pk, [{}, { a: 2 }], 0, [])!.message, "pk: a is a positional parameter, not an option; write pk(x, 2)");
  // Three names: "a, b and c".
  assert.equal(positionalKeyError("pk", pk, [1, { a: 1, b: 2, c: 3 }], 0, [])!.message, "pk: a, b and c are positional parameters, not options; write pk(1, 1, 2, 3)");
  // Keys with undefined values, declared keys, unknown keys and keys before the object's place are not misplaced.
  assert.equal(positionalKeyError("pk", pk, [1, { a: undefined }], 0, []), undefined);
  assert.equal(positionalKeyError("pk", pk, [1, { a: 1 }], 0, ["a"]), undefined);
  assert.equal(positionalKeyError("pk", pk, [1, { zz: 1 }], 0, []), undefined);
  assert.equal(positionalKeyError("pk", pk, [1, 2, { x: 5, a: 1 }], 0, []), undefined);
  assert.equal(positionalKeyError("pk", pk, [1, 2, { b: 5 }], 0, [])!.message, "pk: b is a positional parameter, not an option; write pk(1, 2, 5)");
  // A method: its receiver is parameter 0 and is not written.
  const m = (self: unknown, a: unknown, b: unknown) => 0;
  assert.equal(positionalKeyError("x.m", m, [{ b: 2 }], 1, [])!.message, "x.m: b is a positional parameter, not an option; write x.m(a, 2)");
});

test("requiredInOptionsError: one or several missing, an alias under PyTorch's name, unnamed positions", () => {
  function pad(x: unknown, pads: unknown, mode = "constant") {}
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pad: [1, 1] }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (not in the options object, where it came as 'pad'); write x.pad([1, 1])");
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pads: [1, 1], mode: "reflect" }], 1, 2, ["mode"]).message,
    'x.pad: pads is a required parameter, given positionally (not in the options object); write x.pad([1, 1], { mode: "reflect" })');
  // The parameter given under its own name: a foreign key beside it is no alias.
  assert.equal(requiredInOptionsError("x.pad", pad, [{ pads: [1, 1], pad: 2 }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (not in the options object); write x.pad([1, 1], { pad: 2 })");
  // Two foreign keys: no alias is guessed.
  assert.equal(requiredInOptionsError("x.pad", pad, [{ p: 1, q: 2 }], 1, 2, ["mode"]).message,
    "x.pad: pads is a required parameter, given positionally (the options object stands in its place); write x.pad(pads, { p: 1, q: 2 })");
  function roll(x: unknown, shifts: unknown, dims: unknown) {}
  assert.equal(requiredInOptionsError("x.roll", roll, [{ shifts: 1 }], 1, 3, []).message,
    "x.roll: shifts and dims are required parameters, given positionally (the options object stands in their place); write x.roll(1, dims)");
  assert.equal(requiredInOptionsError("x.roll", roll, [{ shifts: 1, dims: 0 }], 1, 3, []).message,
    "x.roll: shifts and dims are required parameters, given positionally (not in the options object); write x.roll(1, 0)");
  assert.equal(requiredInOptionsError("roll", roll, [7, { dims: 0 }], 0, 2, ["dims"]).message,
    "roll: shifts is a required parameter, given positionally (the options object stands in its place); write roll(7, shifts, { dims: 0 })");
  // A function whose source shows no names counts positions.
  const anon = (...a: unknown[]) => 0;
  assert.equal(requiredInOptionsError("f", anon, [{ q: 1 }], 0, 2, []).message,
    "f: argument 1 and argument 2 are required parameters, given positionally (the options object stands in their place); write f(argument 1, argument 2, { q: 1 })");
  assert.equal(requiredInOptionsError("x.f", anon, [{ q: 1 }], 1, 2, []).message,
    "x.f: argument 1 is a required parameter, given positionally (not in the options object, where it came as 'q'); write x.f(1)");
});
