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

// PyTorch's keyword names for the second operand (torch.mm(a, mat2=b), torch.outer(a, vec2=b),
// torch.matmul(a, other=b), torch.index_add(x, 0, i, source=s), torch.searchsorted(s, input=v)): given
// in the options object, the message names the parameter and writes the positional call, as for every
// other function (it was "unknown option", or for mm a TypeError from inside).
test("a PyTorch keyword for a positional operand gets the positional-parameter message", () => {
  const x = dt.arange(6).reshape([2, 3]).float(), i = dt.tensor([0], { dtype: "int64" });
  throwsWith(() => dt.mm(x, { mat2: x.t() } as never), "mm: mat2 is a positional parameter, not an option; write mm(input, mat2)");
  throwsWith(() => x.mm({ mat2: x.t() } as never), "x.mm: mat2 is a positional parameter, not an option; write x.mm(mat2)");
  throwsWith(() => dt.bmm(x.unsqueeze(0), { mat2: x.t().unsqueeze(0) } as never), "bmm: mat2 is a positional parameter, not an option; write bmm(input, mat2)");
  throwsWith(() => dt.outer(x.get(0), { vec2: x.get(0) } as never), "outer: vec2 is a positional parameter, not an option; write outer(input, vec2)");
  throwsWith(() => dt.matmul(x, { other: x.t() } as never), "matmul: other is a positional parameter, not an option; write matmul(input, other)");
  throwsWith(() => dt.dot(x.get(0), { other: x.get(0) } as never), "dot: other is a positional parameter, not an option; write dot(input, other)");
  throwsWith(() => x.indexAdd(0, i, { source: x.get("0:1") } as never), "x.indexAdd: source is a positional parameter, not an option; write x.indexAdd(0, index, source)");
  throwsWith(() => dt.searchsorted(dt.tensor([1, 2]), { input: dt.tensor([1]) } as never), "searchsorted: input is a positional parameter, not an option; write searchsorted(sortedSequence, input)");
  // The positional forms are unchanged.
  assert.deepEqual(dt.mm(x, x.t()).tolist(), [[5, 14], [14, 50]]);
  assert.deepEqual(dt.outer(dt.tensor([1, 2]), dt.tensor([3, 4])).tolist(), [[3, 4], [6, 8]]);
  assert.deepEqual(dt.searchsorted(dt.tensor([1, 2]), dt.tensor([2])).tolist(), [1]);
});
