// Session 12 (helper fixes): the message for required parameters put in the options object writes the
// positional call with the user's own values for the arguments given before the object (API.md rule 9:
// a message says what was given), and by name only where no literal shows the value (a tensor).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { requiredInOptionsError } from "../src/tensor/required-args.js";
import { throwsWith } from "./throws-with.js";

test("requiredInOptionsError writes earlier arguments with their values", () => {
  function f(self: unknown, a: unknown, b: unknown, c = 0) {}
  void f;
  assert.equal(requiredInOptionsError("x.f", f, [1, { c: 2 }], 1, 3, ["c"]).message,
    "x.f: b is a required parameter, given positionally (the options object stands in its place); write x.f(1, b, { c: 2 })");
  assert.equal(requiredInOptionsError("x.f", f, [[2, 3], { b: "s" }], 1, 3, ["c"]).message,
    'x.f: b is a required parameter, given positionally (not in the options object); write x.f([2, 3], "s")');
  function g(input: unknown, weight: unknown, scale: unknown, bias = null) {}
  void g;
  // A tensor has no literal: it keeps its parameter's name.
  assert.equal(requiredInOptionsError("g", g, [dt.ones([2]), 0.5, { bias: 2 }], 0, 3, ["bias"]).message,
    "g: scale is a required parameter, given positionally (the options object stands in its place); write g(input, 0.5, scale, { bias: 2 })");
});

// nn.functional re-guards the guarded conv2d: its messages read the parameter names of the function
// underneath, not the inner wrapper's `...args` (which gave "write conv2d(argument 1, argument 2)").
test("the public entry layer's message: F.conv2d(x, { weight }) names the tensors", () => {
  const x = dt.ones([1, 1, 3, 3]);
  throwsWith(() => dt.nn.functional.conv2d(x, { weight: dt.ones([1, 1, 1, 1]) } as never),
    "conv2d: weight is a required parameter, given positionally (not in the options object); write conv2d(input, weight)");
});
