// PyTorch takes every parameter by keyword (`x.repeat_interleave(repeats=2)`, `x.softmax(dim=1)`).
// deeptype's convention (API.md rule 3) takes required parameters positionally and only optional ones
// in the trailing options object; a PyTorch user's keyword form of a required parameter is an Error
// naming the function and the parameter, with the positional call written out from the user's own
// values, never a TypeError from inside the op. Checked over every function and Tensor method that
// declares optional arguments (declareOptionalArgs), so a new declaration is covered without a new test.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { Tensor, randn, tensor } from "../src/index.js";
import { declaredOptionalArgNames, declaredOptionalArgs, guardFunction } from "../src/tensor/check.js";

const throwsMessage = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof Error && !(e instanceof TypeError) && re.test(e.message), `expected ${re}`);
};

/** A function called the way a JavaScript caller may call it (the types reject these calls too). */
const loose = (f: Function): ((...a: unknown[]) => unknown) => f as (...a: unknown[]) => unknown;

/** The public function of a declared name: an op, an nn.functional function or a linalg one. */
function functionOf(name: string): ((...a: unknown[]) => unknown) | undefined {
  const spaces = name.startsWith("linalg.") ? [dt.linalg] : [dt, dt.nn.functional];
  const short = name.replace(/^linalg\./, "");
  for (const ns of spaces) {
    const f = (ns as unknown as Record<string, unknown>)[short === "var" ? "variance" : short];
    if (typeof f === "function" && !/^class\b/.test(Function.prototype.toString.call(f))) return f as (...a: unknown[]) => unknown;
  }
  return undefined;
}

test("a required parameter given in the options object is a named Error writing the positional call, for every declared function", () => {
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  const x = randn([2, 3]);
  let checked = 0;
  for (const name of declaredOptionalArgNames()) {
    const { first } = declaredOptionalArgs(name)!;
    const forms: [string, () => unknown][] = [];
    const fn = functionOf(name);
    // Function form: the options object right after the first argument (a tensor, a list for cat)
    // when the function has required parameters besides it; eye's first one is its size.
    const firstIsTensor = !["cat", "stack", "eye"].includes(name);
    if (fn && (first > 1 || !firstIsTensor)) forms.push([name, () => (firstIsTensor ? fn(x, { zz: undefined }) : fn({ zz: undefined }))]);
    // Method form: the options object first, where the first parameter after the tensor goes.
    const method = proto[name];
    if (!name.startsWith("linalg.") && typeof method === "function" && first > 1) forms.push([`x.${name}`, () => (method as (...a: unknown[]) => unknown).call(x, {})]);
    for (const [display, call] of forms) {
      const esc = display.replace(/\./g, "\\.");
      throwsMessage(call, new RegExp(`^${esc}: [\\w, ]+ (is a required parameter|are required parameters), given positionally \\(the options object stands in (its|their) place\\); write ${esc}\\(`));
      // The parameter names come from the function's source: none is left as "argument N".
      assert.throws(call, (e: unknown) => e instanceof Error && !/argument \d/.test(e.message), `${display} names its parameters`);
      checked++;
    }
  }
  // 26 declarations have required parameters after the tensor, most as both function and method.
  assert.ok(checked >= 35, `${checked} calls checked`);
});

test("the error carries the user's values into the positional call it writes", () => {
  const x = tensor([[1, 2], [3, 4]]);
  const F = dt.nn.functional;
  throwsMessage(() => x.repeatInterleave({ repeats: 2 } as never), /^x\.repeatInterleave: repeats is a required parameter, given positionally \(not in the options object\); write x\.repeatInterleave\(2\)$/);
  throwsMessage(() => x.repeatInterleave({ repeats: 2, dim: 0 } as never), /; write x\.repeatInterleave\(2, \{ dim: 0 \}\)$/);
  throwsMessage(() => dt.repeatInterleave(x, { repeats: 2 } as never), /^repeatInterleave: repeats .*; write repeatInterleave\(x, 2\)$/);
  throwsMessage(() => x.roll({ shifts: 1, dims: 0 } as never), /^x\.roll: shifts is a required parameter.*; write x\.roll\(1, \{ dims: 0 \}\)$/);
  throwsMessage(() => x.topk({ k: 1, largest: false } as never), /^x\.topk: k is a required parameter.*; write x\.topk\(1, \{ largest: false \}\)$/);
  throwsMessage(() => F.linear(x.float(), { weight: x.float() } as never), /^linear: weight is a required parameter.*; write linear\(x, weight\)$/);
  throwsMessage(() => loose(F.batchNorm)(x.float(), { runningMean: null }), /^batchNorm: runningMean and runningVar are required parameters, given positionally \(the options object stands in their place\)/);
  throwsMessage(() => dt.eye({ n: 2 } as never), /^eye: n is a required parameter.*; write eye\(2\)$/);
  // PyTorch's name for a parameter deeptype spells otherwise is recognised as that parameter.
  throwsMessage(() => x.pad({ pad: [1, 1] } as never), /^x\.pad: pads is a required parameter, given positionally \(not in the options object, where it came as 'pad'\); write x\.pad\(\[1, 1\]\)$/);
  // Functions that declare only option keys, and functions that take no options object at all.
  throwsMessage(() => x.float().softmax({ dim: 1 } as never), /^x\.softmax: dim is a positional parameter, not an option; write x\.softmax\(1\)$/);
  throwsMessage(() => x.cumsum({ dim: 1, dtype: "float64" } as never), /^x\.cumsum: dim is a positional parameter, not an option; write x\.cumsum\(1, \{ dtype: "float64" \}\)$/);
  throwsMessage(() => loose(x.transpose).call(x, { dim0: 0, dim1: 1 }), /^x\.transpose: dim0 and dim1 are positional parameters, not options; write x\.transpose\(0, 1\)$/);
  throwsMessage(() => loose(dt.narrow)(x, { dim: 0, start: 0, length: 1 }), /^narrow: dim, start and length are positional parameters, not options; write narrow\(x, 0, 0, 1\)$/);
  // An unknown key stays an unknown key; the valid forms are untouched.
  throwsMessage(() => x.float().softmax(1, { dim: 1 } as never), /^x\.softmax: unknown option 'dim'/);
  assert.deepEqual(x.repeatInterleave(2, { dim: 0 }).tolist(), [[1, 2], [1, 2], [3, 4], [3, 4]]);
  assert.deepEqual(x.transpose(0, 1).tolist(), [[1, 3], [2, 4]]);
});

test("an async function's rejection names a positional parameter given as a key, as a synchronous throw does", async () => {
  const sync = guardFunction("demoPair", function demoPair(a: number, b: number): number {
    if (typeof b !== "number") throw new TypeError("b.toFixed is not a function");
    return a + b;
  }, false);
  const async_ = guardFunction("demoPairAsync", async function demoPairAsync(a: number, b: number): Promise<number> {
    if (typeof b !== "number") throw new TypeError("b.toFixed is not a function");
    return a + b;
  }, false);
  let syncMessage = "";
  try { (sync as (...a: unknown[]) => number)(1, { b: 2 }); } catch (e) { syncMessage = (e as Error).message; }
  assert.equal(syncMessage, "demoPair: b is a positional parameter, not an option; write demoPair(1, 2)");
  await assert.rejects((async_ as (...a: unknown[]) => Promise<number>)(1, { b: 2 }), (e: Error) => e.message === syncMessage.replace(/demoPair\b/g, "demoPairAsync"));
  // The arguments before the object keep the caller's values; a tensor (no literal) keeps its name.
  const x = tensor([[1, 2], [3, 4]]);
  throwsMessage(() => x.transpose(-1, { dim1: 0 } as never), /^x\.transpose: dim1 is a positional parameter, not an option; write x\.transpose\(-1, 0\)$/);
});
