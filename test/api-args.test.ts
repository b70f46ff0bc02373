// The argument-spec survey (issue 11, "errors for every slip"): every public function of data,
// data.functional, io, utils, models and deeptype/node has a spec of its parameters
// (src/tensor/arg-spec.ts), the spec's names are the parameters as declared, and a wrong-typed
// argument in any specced position is an Error naming the function AND that parameter, what it takes
// and what it got — never the generic "cannot use the arguments" fallback, never a TypeError.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import * as node from "../src/node.js";
import { Generator, nn, data, ones, zeros } from "../src/index.js";
import { describe } from "../src/tensor/check.js";
import { A, ARG_SPEC, guardSpecs, type ArgKind, type NamedArg } from "../src/tensor/arg-spec.js";
import { declaredParams } from "./declared-params.js";

const NAMESPACES: [string, object][] = [
  ["data.", data], ["data.functional.", data.functional], ["io.", dt.io], ["utils.", dt.utils], ["models.", dt.models], ["", node],
];
/** Where each namespace is exported in src/, for the parameter names its functions declare there. */
const SOURCES: [string, string[]][] = [
  ["data.", ["src/index.ts", "data"]], ["data.functional.", ["src/index.ts", "data", "functional"]], ["io.", ["src/index.ts", "io"]],
  ["utils.", ["src/index.ts", "utils"]], ["models.", ["src/index.ts", "models"]], ["", ["src/node.ts"]],
];
/** deeptype/node's training job: it takes a config checked against a schema (test/train.test.ts), and runs for minutes. */
const OWN_CHECKS = new Set(["trainMnist", "evaluateRun"]);
const BAD: unknown[] = [undefined, null, 3, "x", true, [1, 2], { a: 1 }, new Float32Array(2), () => 1, ones([2])];

type Guarded = ((...a: unknown[]) => unknown) & { [ARG_SPEC]?: { spec: readonly (NamedArg | undefined)[]; fn: Function } };
const isClass = (f: Function): boolean => /^class\b/.test(Function.prototype.toString.call(f));

function entries(): [string, Guarded][] {
  const out: [string, Guarded][] = [];
  for (const [prefix, ns] of NAMESPACES) {
    for (const [k, v] of Object.entries(ns)) if (typeof v === "function" && !isClass(v) && !OWN_CHECKS.has(k)) out.push([prefix + k, v as Guarded]);
  }
  return out;
}

test("every public function of data, io, utils, models and deeptype/node has an argument spec naming its parameters as declared", () => {
  // The names as the TypeScript source declares them (test/declared-params.ts), not as the running
  // function's text shows them: a bundle renames parameters (path -> path6).
  const DECLARED = declaredParams(SOURCES);
  const runtime = entries().map(([name]) => name);
  const declaredFns = [...DECLARED.keys()].filter((k) => !OWN_CHECKS.has(k));
  assert.deepEqual([...runtime].sort(), declaredFns.sort(), "the functions exported at runtime are the ones the source declares");
  const missing: string[] = [];
  const misnamed: string[] = [];
  let params = 0;
  for (const [name, f] of entries()) {
    const meta = f[ARG_SPEC];
    if (!meta) {
      missing.push(name);
      continue;
    }
    const declared = DECLARED.get(name)!;
    meta.spec.forEach((s, i) => {
      if (s && s[0] !== declared[i]) misnamed.push(`${name}: spec parameter ${i + 1} is '${s[0]}', the function declares '${declared[i]}'`);
    });
    // A spec covers every declared parameter, so no slip reaches the function unchecked.
    if (meta.spec.length !== declared.length) misnamed.push(`${name}: the spec lists ${meta.spec.length} parameters, the function declares ${declared.length} (${declared.join(", ")})`);
    params += meta.spec.length;
  }
  assert.deepEqual(missing, [], `functions without a spec (add one where guardSpecs is called): ${missing.join(", ")}`);
  assert.deepEqual(misnamed, []);
  console.log(`${entries().length} functions, ${params} parameters specced`);
  assert.ok(entries().length >= 60 && params >= 120, `${entries().length} functions, ${params} parameters`);
});

/** A valid value for each shared kind, to reach the later parameters of a function. */
const VALID = new Map<ArgKind<never>, () => unknown>([
  [A.any, () => 1], [A.string, () => "a"], [A.path, () => "never-written.bin"], [A.number, () => 1], [A.int, () => 2],
  [A.function, () => (x: unknown) => x], [A.bytes, () => new Uint8Array(4)], [A.bytesOrBuffer, () => new Uint8Array(4)],
  [A.tensor, () => ones([2, 2])], [A.tensors, () => ones([2, 2])], [A.module, () => new nn.Linear(2, 2)],
  [A.dataset, () => new data.TensorDataset(zeros([4, 2]))], [A.array, () => [1]], [A.strings, () => ["a"]], [A.numbers, () => [1, 2]],
  [A.numberLike, () => [1, 2]], [A.ints, () => [1, 2]], [A.object, () => ({})], [A.stateDict, () => ({})], [A.options, () => undefined],
  [A.generator, () => new Generator()],
] as [ArgKind<never>, () => unknown][]);

test("survey: a wrong-typed argument in any specced position names the function and the parameter (no generic fallback)", async () => {
  const problems: string[] = [];
  let calls = 0;
  let firstArgCalls = 0;
  for (const [name, f] of entries()) {
    const spec = f[ARG_SPEC]!.spec;
    const prefix: unknown[] = [];
    for (let i = 0; i < spec.length; i++) {
      const s = spec[i];
      if (!s) break;
      const [param, kind] = s;
      for (const bad of BAD) {
        if (kind.test(bad)) continue; // a value this parameter takes
        calls++;
        if (i === 0) firstArgCalls++;
        const call = `${name}(${[...prefix.map(describe), describe(bad)].join(", ")})`;
        let message: string | undefined;
        try {
          let r = f(...prefix, bad);
          if (r instanceof Promise) r = await r;
          problems.push(`${call}: accepted`);
          continue;
        } catch (e) {
          if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) {
            problems.push(`${call}: ${String(e)}`);
            continue;
          }
          message = e.message;
        }
        const want = `${name}: ${param} must be ${kind.takes}, got ${describe(bad)}`;
        if (!message.startsWith(want)) problems.push(`${call}: "${message}" does not start with "${want}"`);
        if (message.includes("cannot use the arguments")) problems.push(`${call}: reached the generic fallback`);
      }
      const valid = VALID.get(kind as ArgKind<never>);
      if (!valid) break; // a kind of its own: the parameters after it are surveyed by their own tests
      prefix.push(valid());
    }
  }
  assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.slice(0, 30).join("\n")}`);
  console.log(`${firstArgCalls} first-argument calls, ${calls} in all`);
  assert.ok(firstArgCalls > 400 && calls > 900, `${firstArgCalls} first-argument and ${calls} calls in all`);
});

test("spec messages: a few as a user sees them, and what still works", async () => {
  const msg = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  assert.equal(msg(() => data.readIdx(3 as never)), "data.readIdx: input must be the file's bytes (a Uint8Array or ArrayBuffer), got number 3");
  assert.equal(msg(() => data.randomSplit(new data.TensorDataset(zeros([4, 2])), "half" as never)), 'data.randomSplit: lengths must be an array of sizes or fractions like [0.8, 0.2], got string "half"');
  assert.equal(msg(() => data.functional.hflip([1, 2] as never)), "data.functional.hflip: t must be a Tensor, got an array of length 2; wrap plain numbers with tensor([...])");
  assert.equal(msg(() => dt.models.buildModel("resnet" as never)), 'models.buildModel: name must be "mlp" or "cnn", got string "resnet"');
  assert.equal(msg(() => dt.utils.sparkline("1,2" as never)), 'utils.sparkline: values must be an array of numbers, got string "1,2"');
  assert.equal(msg(() => dt.io.renameKeys({}, 3 as never)), "io.renameKeys: renamer must be a { prefix: replacement } object or a function (key) => newKey | null, got number 3");
  // Async functions reject (they never throw synchronously).
  const p = node.loadWeights(3 as never);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, /^Error: loadWeights: file must be a file path string, got number 3$/);
  // What JavaScript still throws inside is the last-resort message, with the spec's parameter list
  // (not the wrapper's or the transpiled source's).
  const ns = guardSpecs({ f: (a: string, opts?: object): unknown => (opts as { x: { y: 1 } }).x.y + a.length }, "t", { f: [["a", A.string], ["opts", A.options]] });
  assert.match(msg(() => ns.f("a")), /^t\.f: cannot use the arguments \(string "a"\); it takes t\.f\(a, opts\?\) \(Cannot read properties of undefined/);
  // Valid calls pass through unchanged.
  assert.equal(dt.utils.fmtNum(0.5), "0.5");
  assert.deepEqual(data.functional.hflip(ones([1, 1, 2])).shape, [1, 1, 2]);
  assert.equal(data.randomSplit(new data.TensorDataset(zeros([4, 2])), [0.5, 0.5]).length, 2);
});

test("survey: the classes of data, io and utils name the constructor and the parameter for a wrong-typed first argument", () => {
  const HEAVY = new Set(["MnistDataset"]); // its valid call loads MNIST
  const problems: string[] = [];
  let calls = 0;
  for (const [prefix, ns] of NAMESPACES) {
    for (const [k, C] of Object.entries(ns)) {
      if (typeof C !== "function" || !isClass(C) || HEAVY.has(k)) continue;
      for (const bad of [undefined, 3, "x", [1, 2], null]) {
        calls++;
        const call = `new ${prefix}${k}(${describe(bad)})`;
        try {
          new (C as new (...a: unknown[]) => unknown)(bad);
        } catch (e) {
          const m = (e as Error).message;
          if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) problems.push(`${call}: ${String(e)}`);
          // The parameter by name (`Subset: indices must be ...`, `Compose: transforms[0] must be ...`),
          // or a file that is not there (a string is a valid path).
          else if (!new RegExp(`^${C.name}: [\\w.]+(\\[\\d+\\])? must be .*, got `).test(m) && !/ENOENT/.test(m)) problems.push(`${call}: ${m}`);
        }
      }
    }
  }
  assert.deepEqual(problems, [], `${problems.length} constructors do not name the parameter:\n${problems.join("\n")}`);
  assert.ok(calls >= 150, `${calls} calls`);
});
