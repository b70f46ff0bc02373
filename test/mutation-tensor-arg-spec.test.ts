// src/tensor/arg-spec.ts checked directly: the argument kinds of the public entry layer (what each
// accepts and refuses, the words and hints of the message), checkArgs, specSignature and
// guardSpecs (sync throw, async rejection, classes and spec-less functions passed through).
// test/api-args.test.ts surveys the same code through data/io/utils, but it compares function
// names, which the mutation bundle renames, so the mutation run (scripts/mutate.mjs) cannot use it;
// these tests found the survivors of `npm run mutate -- src/tensor` in arg-spec.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { A, ARG_SPEC, argKind, checkArgs, guardSpecs, oneOf, optional, or, specSignature } from "../src/tensor/arg-spec.js";
import { Generator } from "../src/tensor/generator.js";
import { tensor } from "../src/index.js";

/** Every listed value must be accepted (true) or refused (false) by `k`. */
function expectKind(name: string, k: { test: (v: unknown) => boolean }, yes: unknown[], no: unknown[]): void {
  for (const v of yes) assert.equal(k.test(v), true, `${name} should accept ${String(v)}`);
  for (const v of no) assert.equal(k.test(v), false, `${name} should refuse ${Array.isArray(v) ? "an array" : String(v)}`);
}

test("each argument kind accepts what its words say and refuses the rest", () => {
  const t = tensor([1, 2]);
  expectKind("any", A.any, [undefined, null, 0, "x"], []);
  expectKind("string", A.string, ["", "a"], [1, undefined, null]);
  expectKind("path", A.path, ["a.bin"], ["", 3, undefined]);
  expectKind("number", A.number, [0, -1.5, NaN], ["1", undefined]);
  expectKind("int", A.int, [0, -3], [1.5, "1", NaN]);
  expectKind("function", A.function, [() => 1], [{}, "f"]);
  expectKind("bytes", A.bytes, [new Uint8Array(2)], [new ArrayBuffer(2), [1, 2], new Int8Array(2)]);
  expectKind("bytesOrBuffer", A.bytesOrBuffer, [new Uint8Array(2), new ArrayBuffer(2)], [[1], new Int8Array(2), "x"]);
  expectKind("tensor", A.tensor, [t], [[1, 2], 3, {}]);
  expectKind("tensors", A.tensors, [t, [t, t], []], [[t, 1], 1, [[1]]]);
  expectKind("module", A.module, [{ namedModules: () => [] }], [null, { namedModules: 1 }, () => 1, {}]);
  expectKind("dataset", A.dataset, [{ length: 2, getItem: () => 1 }], [null, { length: "2", getItem: () => 1 }, { length: 2, getItem: 1 }, { getItem: () => 1 }]);
  expectKind("array", A.array, [[], [1]], [{ length: 0 }, "ab"]);
  expectKind("strings", A.strings, [[], ["a", "b"]], [["a", 1], "ab", { 0: "a" }]);
  expectKind("numbers", A.numbers, [[], [1, 2]], [[1, "2"], new Float32Array(2), 1]);
  expectKind("numberLike", A.numberLike, [[1, 2], new Float32Array(2), new Uint8Array(1)], [[1, "2"], new DataView(new ArrayBuffer(2)), new BigInt64Array(1), new BigUint64Array(1), "12", { length: 1, 0: 1 }]);
  expectKind("ints", A.ints, [[], [1, -2]], [[1.5], ["1"], new Int32Array(2)]);
  expectKind("object", A.object, [{}, { a: 1 }, new Map()], [null, [], new Float32Array(1), t, "x", 1, undefined]);
  expectKind("stateDict", A.stateDict, [{ w: t }], [null, [t], t]);
  expectKind("options", A.options, [undefined, {}], [null, [], t, 1]);
  expectKind("generator", A.generator, [undefined, new Generator()], [null, {}, 0]);
  expectKind("rawImage", A.rawImage, [{ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }], [
    { width: "1", height: 1, data: new Uint8Array(3) },
    { width: 1, height: "1", data: new Uint8Array(3) },
    { width: 1, height: 1, data: [1, 2, 3] },
    [1],
    null,
  ]);
});

test("optional, or and oneOf combine kinds and their words", () => {
  const o = optional(A.string);
  assert.equal(o.takes, "a string or undefined");
  expectKind("optional(string)", o, [undefined, "a"], [null, 1]);
  assert.equal(optional(A.tensor).hint, A.tensor.hint);
  const either = or(A.string, A.bytes);
  assert.equal(either.takes, "a string or the file's bytes (a Uint8Array or Buffer)");
  expectKind("or(string, bytes)", either, ["a", new Uint8Array(1)], [1, undefined]);
  assert.equal(or(A.string, A.int, "text or count").takes, "text or count");
  const mode = oneOf("mlp", "cnn");
  assert.equal(mode.takes, '"mlp" or "cnn"');
  expectKind("oneOf", mode, ["mlp", "cnn"], ["rnn", undefined]);
  const k = argKind<number>("a positive number", (v) => typeof v === "number" && v > 0);
  assert.deepEqual(Object.keys(k), ["takes", "test"]);
  assert.deepEqual(Object.keys(argKind("x", () => true, () => "!")), ["takes", "test", "hint"]);
});

test("checkArgs names the function, the parameter, what it takes and what it got, with the hint", () => {
  const spec = [["input", A.bytesOrBuffer], undefined, ["x", A.tensor]] as const;
  checkArgs("data.readIdx", spec, [new Uint8Array(1), "anything", tensor([1])]);
  assert.throws(() => checkArgs("data.readIdx", spec, [3]), {
    message: "data.readIdx: input must be the file's bytes (a Uint8Array or ArrayBuffer), got number 3",
  });
  // The second entry has no spec: anything passes there, and the third is checked after it.
  assert.throws(() => checkArgs("f", spec, [new Uint8Array(1), 1, [1, 2]]), {
    message: "f: x must be a Tensor, got an array of length 2; wrap plain numbers with tensor([...])",
  });
  assert.throws(() => checkArgs("f", spec, [new Uint8Array(1), 1, 5]), { message: "f: x must be a Tensor, got number 5; wrap plain numbers with tensor([...])" });
  assert.throws(() => checkArgs("f", spec, [new Uint8Array(1), 1, "s"]), { message: 'f: x must be a Tensor, got string "s"' });
});

test("specSignature marks optional parameters and numbers the unnamed ones", () => {
  assert.equal(specSignature("data.randomSplit", [["dataset", A.dataset], undefined, ["opts", A.options]]), "data.randomSplit(dataset, arg2, opts?)");
  assert.equal(specSignature("f", []), "f()");
});

test("guardSpecs checks arguments before the call, rejects for async functions, and passes classes through", async () => {
  class Thing {
    constructor(readonly n: number) {}
  }
  const seen: unknown[][] = [];
  const ns = {
    add(a: number, b: number): number {
      seen.push([a, b]);
      return a + b;
    },
    async load(path: string): Promise<string> {
      return `loaded ${path}`;
    },
    free(x: unknown): unknown {
      return x;
    },
    Thing,
    version: "1.0",
  };
  const g = guardSpecs(ns, "lib", { add: [["a", A.number], ["b", A.number]], load: [["path", A.path]] });
  assert.equal(g.Thing, Thing);
  assert.equal(g.version, "1.0");
  assert.equal(g.add(2, 3), 5);
  assert.equal(g.add.name, "add");
  assert.throws(() => g.add(2, "3" as unknown as number), { message: 'lib.add: b must be a number, got string "3"' });
  assert.deepEqual(seen, [[2, 3]], "a refused call must not reach the function");
  assert.equal(await g.load("a.bin"), "loaded a.bin");
  // An async function's bad argument is a rejection, not a synchronous throw.
  let p: Promise<string> | undefined;
  assert.doesNotThrow(() => {
    p = g.load("");
  });
  await assert.rejects(p!, { message: 'lib.load: path must be a file path string, got string ""' });
  assert.equal(g.free(7), 7);
  // Not guarded as a tensor-first function: a string first argument is the function's business.
  assert.equal(g.free("s"), "s");
  // A function is a class only when its source starts with `class`, not when its body holds one.
  const maker = { make: () => class Made {} };
  assert.notEqual(guardSpecs(maker, "lib", {}).make, maker.make);
  assert.notEqual(g.free, ns.free, "a function without a spec is still wrapped by guardFunction");
  const meta = (g.add as unknown as Record<symbol, { spec: unknown; fn: unknown }>)[ARG_SPEC];
  assert.equal(meta.fn, ns.add);
  assert.deepEqual(meta.spec, [["a", A.number], ["b", A.number]]);
  assert.equal((g.free as unknown as Record<symbol, unknown>)[ARG_SPEC], undefined);
  // Without a prefix the message names the bare function.
  assert.throws(() => guardSpecs(ns, "", { add: [["a", A.number]] }).add(null as unknown as number, 1), { message: "add: a must be a number, got null" });
  // What JavaScript throws inside a spec'd function gets guardFunction's message with the spec's signature.
  const inner = guardSpecs({ boom: (s: string) => (s as unknown as { x: { y: number } }).x.y }, "lib", { boom: [["s", A.string]] });
  assert.throws(() => inner.boom("ok"), (e: Error) => e.message.startsWith("lib.boom") && e.message.includes("lib.boom(s)"));
});
