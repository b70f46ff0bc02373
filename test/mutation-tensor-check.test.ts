// src/tensor/check.ts's helpers checked directly, message by message: the entry layer's tests
// (api-checks, unknown-options) reach them through the whole public surface, one big test per
// surface, which the mutation run of src/tensor cannot afford per mutant (scripts/mutate.mjs).
// Written for the survivors of `npm run mutate -- src/tensor` (docs/mutation/history.md, session 9).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  argError, checkDType, checkInt, checkIntArg, checkIntList, checkIterable, checkKeys, checkNumber, checkOneOf,
  checkOptions, checkSchema, checkTensor, describe, isTensor, optionKeys, tensorArgError, TensorArgError, unknownKeyError,
  type Schema,
} from "../src/tensor/check.js";
import { tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";

test("describe names each kind of value as the messages show it", () => {
  assert.equal(describe(null), "null");
  assert.equal(describe(undefined), "undefined");
  assert.equal(describe([1, 2, 3]), "an array of length 3");
  assert.equal(describe("abc"), 'string "abc"');
  // Long strings are cut at 40 characters with an ellipsis; exactly 40 stay whole.
  assert.equal(describe("x".repeat(40)), `string "${"x".repeat(40)}"`);
  assert.equal(describe("y".repeat(41)), `string "${"y".repeat(40)}…"`);
  assert.equal(describe(NaN), "number NaN");
  assert.equal(describe(true), "boolean true");
  assert.equal(describe(3n), "bigint 3");
  assert.equal(describe(function named() {}), "a function (named)");
  assert.equal(describe(Object.defineProperty(() => 1, "name", { value: "" })), "a function");
  assert.equal(describe(Symbol("s")), "a symbol");
  assert.equal(describe(new Float32Array(4)), "a Float32Array of length 4");
  assert.equal(describe(new DataView(new ArrayBuffer(6))), "a DataView of length 6");
  assert.equal(describe(tensor([[1, 2, 3], [4, 5, 6]])), "a Tensor of shape [2,3] (float32)");
  assert.equal(describe(new Map()), "a Map");
  assert.equal(describe({ a: 1 }), "an object");
  assert.equal(describe(Object.create(null)), "an object");
  // A class called Tensor whose shape is not an array is described by its class name only.
  class Tensor { shape = "x"; }
  assert.equal(describe(new Tensor()), "a Tensor");
});

test("argError, checkInt, checkIntArg, checkNumber and checkOneOf: the value's range and the words", () => {
  assert.equal(argError("Linear", "inFeatures", "a positive integer", -1).message, "Linear: inFeatures must be a positive integer, got number -1");
  assert.equal(checkInt("f", "n", 1), 1);
  throwsWith(() => checkInt("f", "n", 0), "f: n must be a positive integer, got number 0");
  throwsWith(() => checkInt("f", "n", 1.5), "f: n must be a positive integer, got number 1.5");
  throwsWith(() => checkInt("f", "n", "2"), 'f: n must be a positive integer, got string "2"');
  assert.equal(checkInt("f", "n", 0, 0), 0);
  throwsWith(() => checkInt("f", "n", -1, 0), "f: n must be an integer >= 0, got number -1");
  assert.equal(checkIntArg("roll", "shifts", -2), -2);
  throwsWith(() => checkIntArg("roll", "shifts", 0.5), "roll: shifts must be an integer, got number 0.5");
  throwsWith(() => checkIntArg("roll", "shifts", "1"), 'roll: shifts must be an integer, got string "1"');

  assert.equal(checkNumber("f", "x", -5), -5);
  throwsWith(() => checkNumber("f", "x", Infinity), "f: x must be a finite number, got number Infinity");
  throwsWith(() => checkNumber("f", "x", "1"), 'f: x must be a finite number, got string "1"');
  assert.equal(checkNumber("f", "x", 0, { min: 0 }), 0);
  assert.equal(checkNumber("f", "x", 1, { max: 1 }), 1);
  assert.equal(checkNumber("f", "x", 1, { min: 0, max: 1 }), 1);
  throwsWith(() => checkNumber("f", "x", -0.1, { min: 0 }), "f: x must be a finite number >= 0, got number -0.1");
  throwsWith(() => checkNumber("f", "x", 1.1, { max: 1 }), "f: x must be a finite number <= 1, got number 1.1");
  throwsWith(() => checkNumber("f", "x", 2, { min: 0, max: 1 }), "f: x must be a finite number in [0, 1], got number 2");
  throwsWith(() => checkNumber("f", "x", -1, { min: 0, max: 1 }), "f: x must be a finite number in [0, 1], got number -1");

  assert.equal(checkOneOf("f", "mode", "b", ["a", "b"]), "b");
  throwsWith(() => checkOneOf("f", "mode", "c", ["a", "b"]), 'f: mode must be one of "a", "b", got string "c"');
  throwsWith(() => checkOneOf("f", "mode", 1, ["a", "b"]), 'f: mode must be one of "a", "b", got number 1');
});

test("checkOptions takes undefined or a plain object, and checks its keys when given", () => {
  assert.deepEqual(checkOptions("f", undefined), {});
  const o = { a: 1 };
  assert.equal(checkOptions("f", o), o);
  assert.equal(checkOptions("f", o, "{ a: 1 }", ["a"]), o);
  throwsWith(() => checkOptions("f", null as never, "{ a: 1 }"), "f: options must be an object like { a: 1 }, got null");
  throwsWith(() => checkOptions("f", 3 as never), "f: options must be an object like { ... }, got number 3");
  throwsWith(() => checkOptions("f", [] as never), "f: options must be an object like { ... }, got an array of length 0");
  throwsWith(() => checkOptions("f", tensor([1]) as never), "f: options must be an object like { ... }, got a Tensor of shape [1] (float32)");
  throwsWith(() => checkOptions("f", { zzzz: 1 } as never, "{ a: 1 }", ["a"]), "f: unknown option 'zzzz'; it takes a");
});

test("checkKeys: unknown keys, undefined values, arrays, and dtype checked under the caller's name", () => {
  checkKeys("f", undefined, ["a"]);
  checkKeys("f", null, ["a"]);
  checkKeys("f", "sum", ["a"]);
  checkKeys("f", { a: 1, b: undefined }, ["a"]); // an undefined value is as good as leaving the key out
  throwsWith(() => checkKeys("f", { a: 1, zzz: 2 }, ["a"]), "f: unknown option 'zzz'; it takes a");
  throwsWith(() => checkKeys("MSELoss", ["sum"], ["reduction"]), "MSELoss: options must be an object with keys among reduction, got an array of length 1");
  throwsWith(() => checkKeys("f", ["x"], []), "f: options must be an object with keys among (none), got an array of length 1");
  checkKeys("f", { dtype: "float64" }, ["dtype"]);
  throwsWith(() => checkKeys("Linear", { dtype: "double" }, ["dtype"]), /^Linear: dtype must be one of "float32", .*, got string "double"$/);
});

test("unknownKeyError: snake_case spelling, the nearest key, or the list", () => {
  assert.equal(unknownKeyError("T", "batch_first", ["batchFirst", "nhead"]).message, "T: unknown option 'batch_first'; deeptype spells it 'batchFirst'");
  // snake_case whose camel form is not a key falls to the nearest-key search.
  assert.equal(unknownKeyError("T", "n_head", ["nhead", "dModel"]).message, "T: unknown option 'n_head'; did you mean 'nhead'? (it takes nhead, dModel)");
  assert.equal(unknownKeyError("T", "nHeads", ["nhead", "dModel"]).message, "T: unknown option 'nHeads'; did you mean 'nhead'? (it takes nhead, dModel)");
  assert.equal(unknownKeyError("T", "xyz", ["nhead"]).message, "T: unknown option 'xyz'; it takes nhead");
  assert.equal(unknownKeyError("T", "xyz", []).message, "T: unknown option 'xyz'; it takes no options");
  // A truncated key (a prefix, 3+ characters) counts as one edit; shorter ones do not.
  assert.match(unknownKeyError("C", "padd", ["padding", "stride"]).message, /did you mean 'padding'\?/);
  assert.match(unknownKeyError("C", "paddingMode", ["padding"]).message, /did you mean 'padding'\?/);
  assert.match(unknownKeyError("C", "pad", ["padding"]).message, /did you mean 'padding'\?/); // 3 characters: a prefix
  assert.equal(unknownKeyError("C", "pa", ["padding"]).message, "C: unknown option 'pa'; it takes padding");
  // The threshold: max(2, floor(len/3)) edits are accepted, one more is not.
  assert.match(unknownKeyError("C", "abcxy", ["abcde"]).message, /did you mean 'abcde'/); // 2 edits
  assert.equal(unknownKeyError("C", "abxyz", ["abcde"]).message, "C: unknown option 'abxyz'; it takes abcde"); // 3 edits
  assert.match(unknownKeyError("C", "abcdefghxyz", ["abcdefghijk"]).message, /did you mean 'abcdefghijk'/); // 3 edits, length 11
  assert.equal(unknownKeyError("C", "abcdefgwxyz", ["abcdefghijk"]).message, "C: unknown option 'abcdefgwxyz'; it takes abcdefghijk"); // 4 edits
  // The nearest of several wins, and the first of equals; case and underscores count for nothing.
  assert.match(unknownKeyError("C", "lrr", ["momentum", "lr", "lx"]).message, /did you mean 'lr'\?/);
  assert.match(unknownKeyError("C", "abcdx", ["abcxy", "abcdy"]).message, /did you mean 'abcdy'\?/);
  assert.match(unknownKeyError("C", "abcdx", ["abcdy", "abcdz"]).message, /did you mean 'abcdy'\?/);
  assert.match(unknownKeyError("C", "Batch_Size", ["shuffle", "batchSize"]).message, /did you mean 'batchSize'\?/);
  // Insertions, deletions and substitutions each cost one edit.
  assert.match(unknownKeyError("C", "momentm", ["momentum"]).message, /did you mean 'momentum'/);
  assert.match(unknownKeyError("C", "momenntum", ["momentum"]).message, /did you mean 'momentum'/);
  assert.match(unknownKeyError("C", "momemtum", ["momentum"]).message, /did you mean 'momentum'/);
  assert.equal(unknownKeyError("C", "mxmxntum", ["momentum", "x"]).message, "C: unknown option 'mxmxntum'; did you mean 'momentum'? (it takes momentum, x)");
  assert.equal(unknownKeyError("C", "tum", ["momentum"]).message, "C: unknown option 'tum'; it takes momentum");
});

test("optionKeys gives the literal's keys as a frozen list", () => {
  const keys = optionKeys<{ a?: number; b?: string }>()({ a: true, b: true });
  assert.deepEqual([...keys], ["a", "b"]);
  assert.equal(Object.isFrozen(keys), true);
});

/** The message checkSchema reports for `value`, or undefined when it passes. */
function schemaError(value: unknown, schema: Schema, path = ""): string | undefined {
  try {
    checkSchema(value, schema, path, (f, p) => { throw new Error(`${f}: ${p}`); });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

test("checkSchema: each schema kind, its bounds and the dotted path of the first mismatch", () => {
  assert.equal(schemaError(undefined, "any"), undefined);
  assert.equal(schemaError(3, "int"), undefined);
  assert.equal(schemaError(2 ** 53, "int"), "<root>: expected an integer, got number 9007199254740992");
  assert.equal(schemaError(1.5, "int", "a.b"), "a.b: expected an integer, got number 1.5");
  assert.equal(schemaError(1, { int: { min: 1, max: 3 } }), undefined);
  assert.equal(schemaError(3, { int: { min: 1, max: 3 } }), undefined);
  assert.equal(schemaError(0, { int: { min: 1 } }), "<root>: expected an integer >= 1, got number 0");
  assert.equal(schemaError(4, { int: { max: 3 } }), "<root>: expected an integer <= 3, got number 4");
  assert.equal(schemaError(0, { int: { min: 1, max: 3 } }), "<root>: expected an integer >= 1 <= 3, got number 0");
  assert.equal(schemaError(1.5, "number"), undefined);
  assert.equal(schemaError(NaN, "number"), "<root>: expected a finite number, got number NaN");
  assert.equal(schemaError("1", "number"), '<root>: expected a finite number, got string "1"');
  assert.equal(schemaError("s", "string"), undefined);
  assert.equal(schemaError(1, "string"), "<root>: expected a string, got number 1");
  assert.equal(schemaError(false, "boolean"), undefined);
  assert.equal(schemaError(0, "boolean"), "<root>: expected a boolean, got number 0");
  assert.equal(schemaError("b", { oneOf: ["a", "b", 3] }), undefined);
  assert.equal(schemaError(3, { oneOf: ["a", "b", 3] }), undefined);
  assert.equal(schemaError("c", { oneOf: ["a", 3] }), '<root>: expected one of "a", 3, got string "c"');
  assert.equal(schemaError(null, { nullable: "int" }), undefined);
  assert.equal(schemaError(1.5, { nullable: "int" }, "x"), "x: expected an integer, got number 1.5");
  assert.equal(schemaError([1, 2], { arrayOf: "int" }), undefined);
  assert.equal(schemaError({ length: 1, 0: 1 }, { arrayOf: "int" }), "<root>: expected an array, got an object");
  assert.equal(schemaError([1, 2], { arrayOf: "int", length: 3 }), "<root>: expected 3 entries, got 2");
  assert.equal(schemaError([1, 2, 3], { arrayOf: "int", length: 3 }), undefined);
  assert.equal(schemaError([1, "x"], { arrayOf: "int" }), '1: expected an integer, got string "x"');
  assert.equal(schemaError([1, "x"], { arrayOf: "int" }, "h"), 'h.1: expected an integer, got string "x"');
  assert.equal(schemaError({ a: 1, b: 2 }, { recordOf: "int" }), undefined);
  assert.equal(schemaError({ a: 1, b: "2" }, { recordOf: "int" }), 'b: expected an integer, got string "2"');
  assert.equal(schemaError({ a: "2" }, { recordOf: "int" }, "m"), 'm.a: expected an integer, got string "2"');
  assert.equal(schemaError([], { recordOf: "int" }), "<root>: expected an object, got an array of length 0");
  assert.equal(schemaError(null, { recordOf: "int" }), "<root>: expected an object, got null");
  assert.equal(schemaError("s", { object: {} }), '<root>: expected an object, got string "s"');
  const cfg: Schema = { object: { epochs: { int: { min: 1 } }, name: "string" }, optional: ["name"] };
  assert.equal(schemaError({ epochs: 2 }, cfg), undefined);
  assert.equal(schemaError({ epochs: 2, name: undefined }, cfg), undefined);
  assert.equal(schemaError({ epochs: 2, name: 3 }, cfg), "name: expected a string, got number 3");
  assert.equal(schemaError({ name: "n" }, cfg), "epochs: is missing");
  assert.equal(schemaError({ epochs: undefined }, cfg), "epochs: is missing");
  assert.equal(schemaError({ epochs: 0 }, cfg, "run"), "run.epochs: expected an integer >= 1, got number 0");
  // Inherited fields do not count as present.
  assert.equal(schemaError(Object.create({ epochs: 2 }), cfg), "epochs: is missing");
  // The first mismatch in field order is the one reported.
  assert.equal(schemaError({ a: "x", b: "y" }, { object: { a: "int", b: "int" } }), 'a: expected an integer, got string "x"');
  assert.equal(schemaError({ h: [{ loss: 1 }, { loss: "x" }] }, { object: { h: { arrayOf: { object: { loss: "number" } } } } }), 'h.1.loss: expected a finite number, got string "x"');
});

test("isTensor, checkTensor and tensorArgError: the shape test, the hint, arg and cause", () => {
  assert.equal(isTensor(tensor([1])), true);
  assert.equal(isTensor(null), false);
  assert.equal(isTensor(undefined), false);
  assert.equal(isTensor({ shape: [1], dtype: "float32", data: () => 1 }), true);
  assert.equal(isTensor({ shape: 1, dtype: "float32", data: () => 1 }), false);
  assert.equal(isTensor({ shape: [1], dtype: 1, data: () => 1 }), false);
  assert.equal(isTensor({ shape: [1], dtype: "float32", data: [1] }), false);
  assert.equal(isTensor(Object.assign(() => 1, { shape: [1], dtype: "float32", data: () => 1 })), false);
  checkTensor("relu", "input", tensor([1]));
  throwsWith(() => checkTensor("relu", "input", [1, 2]), "relu: input must be a Tensor, got an array of length 2 (wrap plain numbers with tensor(...))");
  throwsWith(() => checkTensor("relu", "input", 3), "relu: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  throwsWith(() => checkTensor("relu", "input", "x"), 'relu: input must be a Tensor, got string "x"');
  const e = tensorArgError("relu", "weight", null);
  assert.ok(e instanceof TensorArgError);
  assert.equal(e.arg, "weight");
  assert.equal(e.cause, undefined);
  assert.equal("cause" in e, false);
  const inner = new Error("inner");
  assert.equal(tensorArgError("relu", "weight", null, inner).cause, inner);
});

test("checkDType: every dtype, and PyTorch's other spellings with their hint", () => {
  for (const d of ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]) checkDType("zeros", d);
  checkDType("zeros", undefined);
  const all = '"float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"';
  throwsWith(() => checkDType("zeros", "half"), `zeros: dtype must be one of ${all}, got string "half"; PyTorch's torch.half is "float16"`);
  throwsWith(() => checkDType("zeros", "long"), `zeros: dtype must be one of ${all}, got string "long"; PyTorch's long is "int64"`);
  throwsWith(() => checkDType("zeros", "double"), `zeros: dtype must be one of ${all}, got string "double"`);
  throwsWith(() => checkDType("zeros", 1), `zeros: dtype must be one of ${all}, got number 1`);
  throwsWith(() => checkDType("zeros", null), `zeros: dtype must be one of ${all}, got null`);
});

test("checkIterable and checkIntList", () => {
  checkIterable("M", "modules", [], "an array");
  checkIterable("M", "modules", new Set(), "an array");
  throwsWith(() => checkIterable("M", "modules", "ab", "an array of modules"), 'M: modules must be an array of modules, got string "ab"');
  throwsWith(() => checkIterable("M", "modules", null, "an array of modules"), "M: modules must be an array of modules, got null");
  throwsWith(() => checkIterable("M", "modules", undefined, "an array of modules"), "M: modules must be an array of modules, got undefined");
  throwsWith(() => checkIterable("M", "modules", {}, "an array of modules"), "M: modules must be an array of modules, got an object");
  const src = [2, 3];
  const out = checkIntList("U", "sizes", src);
  assert.deepEqual(out, [2, 3]);
  assert.notEqual(out, src); // a copy: the caller's array may change later
  assert.deepEqual(checkIntList("U", "sizes", 4, true), [4]);
  throwsWith(() => checkIntList("U", "sizes", 4), "U: sizes must be an array of integers, got number 4");
  throwsWith(() => checkIntList("U", "sizes", 4.5, true), "U: sizes must be an integer or an array of integers, got number 4.5");
  throwsWith(() => checkIntList("U", "sizes", [1, 2.5]), "U: sizes must be an array of integers, got an array of length 2");
  throwsWith(() => checkIntList("U", "sizes", [1, "2"]), "U: sizes must be an array of integers, got an array of length 2");
});
