/**
 * Writes test/options-forms-all.test.ts: every options-object form (API.md rule 3) of every function
 * and Tensor method that declares optional arguments (`declareOptionalArgs`), as real calls that
 * `npx tsc --noEmit` type-checks and `npm test` runs. For each declaration it takes the first k optional
 * parameters positionally (k = 0, 1, ...) and the rest in one object: `{}`, each remaining key alone,
 * and all of them with the function's own options (`bag`). It runs each call here, first:
 *
 * - a call the runtime accepts is written as a plain line, which must compile (so the types accept
 *   what the runtime does: `x.median({})` was a type error) and whose result the test compares with
 *   the positional call it stands for;
 * - a call the runtime rejects is written under `// @ts-expect-error`, which fails the build if the
 *   types accept it, and the test checks it still throws.
 *
 *     node --import tsx scripts/gen-options-forms-test.ts
 *
 * A declaration added later fails test/options-forms-all.test.ts's coverage check until its inputs
 * are written in CASES below and this script is rerun.
 */
import { writeFileSync } from "node:fs";
import * as dt from "../src/index.js";
import { declaredOptionalArgNames, declaredOptionalArgs } from "../src/tensor/check.js";
import { inputs } from "../test/options-forms-inputs.js";

interface Case {
  /** The input (the receiver of the method form, the first argument of the function form). */
  input?: string;
  /** The required arguments after the input. */
  req?: string[];
  /** Values of optional parameters and options, where the defaults in VALUES do not fit. */
  vals?: Record<string, string>;
  /** Keys never given together in one object (var's correction and unbiased say the same thing). */
  apart?: string[];
  /** Run without a method form (the function's input is not a tensor) or without a function form. */
  noMethod?: boolean;
  noFunction?: boolean;
}

/** A value for each optional parameter or option name, unless a case says otherwise. */
const VALUES: Record<string, string> = {
  dim: "1", keepdim: "true", dtype: '"float64"', correction: "0", unbiased: "false", p: "1", descending: "true", stable: "true",
  largest: "false", sorted: "true", negativeSlope: "0.2", alpha: "2", approximate: '"tanh"', min: "-1", max: "1", numClasses: "5",
  diagonal: "1", startDim: "0", endDim: "1", mode: '"reflect"', value: "7", offset: "1", dim1: "0", dim2: "2", k: "1", dims: "0",
  m: "3", requiresGrad: "false", bins: "4", minlength: "6", weights: "dt.tensor([0.5, 1, 2, 3])", ord: "1", beta: "2", threshold: "1",
  minVal: "-0.5", maxVal: "0.5", lambd: "0.3", lower: "0.1", upper: "0.3", training: "true", generator: "new dt.Generator(1)",
  eps: "0.1", momentum: "0.2", paddingIdx: "1", stride: "2", padding: "1", dilation: "1", groups: "1", outputPadding: "0",
  gradient: "dt.tensor(2)", retainGraph: "true", createGraph: "false", inputs: "[I.leaf]",
};

const CASES: Record<string, Case> = {
  eye: { input: "3", noMethod: true },
  logspace: { input: "0", req: ["2", "3"], vals: { base: "2" }, noMethod: true },
  leakyRelu: {}, leakyRelu_: {}, elu: {}, gelu: {}, clamp: {}, clamp_: {}, clip: {}, clip_: {},
  oneHot: { input: "I.ids" },
  tril: {}, triu: {},
  sum: {}, mean: {}, prod: {}, var: { apart: ["correction", "unbiased"] }, std: { apart: ["correction", "unbiased"] }, amax: {}, amin: {}, argmax: {}, argmin: {}, max: {}, min: {},
  norm: {},
  flatten: { input: "I.x3" },
  pad: { req: ["[1, 1]"], vals: { mode: '"constant"' } },
  squeeze: { input: "I.s" },
  split: { req: ["2"] }, chunk: { req: ["2"] },
  cat: { input: "[I.x, I.x]", noMethod: true }, stack: { input: "[I.x, I.x]", noMethod: true },
  unbind: {},
  linear: { req: ["I.wl"], vals: { bias: "I.b3" } },
  takeAlongDim: { req: ["I.idx"] },
  sort: {}, argsort: {},
  topk: { req: ["2"] }, kthvalue: { req: ["2"] }, median: {}, mode: {},
  any: {}, all: {}, nansum: {}, nanmean: {}, countNonzero: {},
  histc: { vals: { min: "-4", max: "4" } },
  bincount: { input: "I.ids" },
  "linalg.vectorNorm": {}, "linalg.matrixNorm": { vals: { dim: "[0, 1]" } }, "linalg.norm": {},
  diagonal: { input: "I.x3" }, diag: { input: "dt.tensor([1, 2])" },
  tensordot: { req: ["I.x"], vals: { dims: "[[1], [1]]" } },
  cross: { input: "I.c", req: ["I.c.flip([1])"] }, "linalg.cross": { input: "I.c", req: ["I.c.flip([1])"] },
  diagEmbed: { vals: { dim1: "0", dim2: "2" } },
  cdist: { req: ["I.x.flip([0])"] },
  roll: { req: ["1"] }, rot90: { vals: { dims: "[0, 1]" } },
  repeatInterleave: { req: ["2"] }, tensorSplit: { req: ["2"] },
  conv2d: { input: "I.img", req: ["I.w4"], vals: { bias: "I.b2" } },
  conv1d: { input: "I.seq", req: ["I.w3"], vals: { bias: "I.b2" } },
  convTranspose2d: { input: "I.img", req: ["I.w4"], vals: { bias: "I.b2" } },
  convTranspose1d: { input: "I.seq", req: ["I.w3"], vals: { bias: "I.b2" } },
  backward: { input: "I.leaf.mul(I.leaf).sum()", noFunction: true },
  softplus: {}, hardtanh: {}, celu: {}, glu: {}, softshrink: {}, hardshrink: {},
  rrelu: {},
  normalize: {},
  cosineSimilarity: { req: ["I.x.flip([1])"] },
  localResponseNorm: { input: "I.img", req: ["2"], vals: { alpha: "0.1", beta: "0.5", k: "2" } },
  bilinear: { req: ["I.x.flip([1])", "I.wbl"], vals: { bias: "I.b3" } },
  embeddingBag: { input: "dt.tensor([[0, 2], [1, 4]]).long()", req: ["I.table"], vals: { offsets: "null", mode: '"max"', perSampleWeights: "null", includeLastOffset: "false", paddingIdx: "1" } },
  dropout: { vals: { p: "0.5" } }, dropout2d: { input: "I.img", vals: { p: "0.5" } },
  bernoulli: { input: "dt.full([2, 3], 0.5)", vals: { p: "0.5" } },
  batchNorm: { req: ["I.rm", "I.rv"], vals: { weight: "I.g4", bias: "I.b4" } },
  layerNorm: { req: ["[4]"], vals: { weight: "I.g4", bias: "I.b4" } },
  groupNorm: { input: "I.img", req: ["1"], vals: { weight: "I.b2.add(1)", bias: "I.b2" } },
  embedding: { input: "I.ids", req: ["I.table"], vals: { maxNorm: "100", normType: "1", scaleGradByFreq: "true" } },
  diff: { vals: { n: "2", dim: "1", prepend: "dt.tensor([[1], [2]])", append: "dt.tensor([[3, 4], [5, 6]])" } },
  nanToNum: { input: "dt.tensor([NaN, Infinity, -Infinity, 1])", vals: { nan: "0.5", posinf: "9", neginf: "-9" } },
  "linalg.qr": { vals: { mode: '"complete"' } }, qr: { vals: { some: "false" } },
  cholesky: { input: "dt.tensor([[4, 2], [2, 5]])", vals: { upper: "true" } },
  "linalg.eigh": { input: "dt.tensor([[2, 1], [1, 3]])", vals: { UPLO: '"U"' } }, "linalg.eigvalsh": { input: "dt.tensor([[2, 1], [1, 3]])", vals: { UPLO: '"U"' } },
  svd: { vals: { some: "false" } }, pinverse: { vals: { rcond: "0.5" } },
  choleskySolve: { input: "dt.tensor([[1], [2]])", req: ["dt.tensor([[2, 0], [1, 3]])"], vals: { upper: "true" } },
  choleskyInverse: { input: "dt.tensor([[2, 0], [1, 3]])", vals: { upper: "true" } },
  triangularSolve: { input: "dt.tensor([[1], [2]])", req: ["dt.tensor([[2, 1], [1, 3]])"], vals: { upper: "false", transpose: "true", unitriangular: "true" } },
  lu: { input: "dt.tensor([[1, 2], [3, 4]])", vals: { pivot: "true", getInfos: "true" } },
  luSolve: { input: "dt.tensor([[1], [2]])", req: ["dt.tensor([[3, 4], [0.5, 1]])", "dt.tensor([2, 2], { dtype: \"int32\" })"], vals: {}, noMethod: true },
  ormqr: { input: "dt.geqrf(dt.tensor([[3, 1], [4, 2], [1, 1]])).a", req: ["dt.geqrf(dt.tensor([[3, 1], [4, 2], [1, 1]])).tau", "dt.tensor([[1, 2], [3, 4], [5, 6]])"], vals: { left: "true", transpose: "true" } },
  "linalg.lstsq": { req: ["I.x.flip([1])"], vals: { rcond: "0.1", driver: '"gelsd"' } },
  quantile: { req: ["0.25"], vals: { interpolation: '"lower"' } }, nanquantile: { req: ["0.75"], vals: { interpolation: '"midpoint"' } },
  nanmedian: {},
  "linalg.cond": { input: "dt.tensor([[2, 1], [1, 3]])", vals: { p: '"fro"' } }, "linalg.tensorinv": { input: "dt.eye(4).reshape([4, 1, 4])", vals: { ind: "1" } },
  "linalg.tensorsolve": { input: "dt.eye(6).reshape([2, 3, 6])", req: ["dt.ones([2, 3])"], vals: { dims: "[2]" } },
  lpPool1d: { input: "I.seq", req: ["2", "2"], vals: { stride: "1", ceilMode: "true" } },
  lpPool2d: { input: "I.img", req: ["2", "2"], vals: { stride: "1", ceilMode: "true" } },
  affineGrid: { input: "dt.tensor([[[1, 0.2, 0.1], [-0.3, 1, 0]]])", req: ["[1, 2, 3, 3]"], vals: { alignCorners: "true" }, noMethod: true },
  gridSample: {
    input: "I.img", req: ["dt.linspace(-1.3, 1.2, 12).reshape([1, 3, 2, 2])"], vals: { mode: '"nearest"', paddingMode: '"reflection"', alignCorners: "true" }, noMethod: true,
  },
  dropout1d: { input: "I.seq", vals: { p: "0.5" }, noMethod: true },
  dropout3d: { input: "I.img", vals: { p: "0.5" }, noMethod: true },
  pdist: { input: "I.c", vals: { p: "1" }, noMethod: true },
  alphaDropout: { input: "I.seq", vals: { p: "0.5" }, noMethod: true },
  featureAlphaDropout: { input: "I.img", vals: { p: "0.5" }, noMethod: true },
  gumbelSoftmax: { input: "I.seq", vals: { tau: "0.5", hard: "true", eps: "1e-10", dim: "1" }, noMethod: true },
  maxUnpool1d: {
    input: "dt.nn.functional.maxPool1dWithIndices(I.seq, 2).values", req: ["dt.nn.functional.maxPool1dWithIndices(I.seq, 2).indices", "2"],
    vals: { stride: "2", padding: "0", outputSize: "[4]" }, noMethod: true,
  },
  maxUnpool2d: {
    input: "dt.maxPool2dWithIndices(I.img, 2).values", req: ["dt.maxPool2dWithIndices(I.img, 2).indices", "2"],
    vals: { stride: "2", padding: "0", outputSize: "[1, 2, 4, 4]" }, noMethod: true,
  },
};

/**
 * Calls the runtime rejects for their values, not their form: the types cannot see values, so these
 * are checked to throw (through an untyped call) rather than to fail compilation.
 */
const VALUE_LEVEL: [RegExp, string][] = [
  // PyTorch's clamp(x) raises "At least one of 'min' or 'max' must not be None"; both keys are optional in the type.
  [/^(x\.)?(clamp|clip)_?: give at least one of min and max/, "clamp needs min or max"],
];

type Form = { code: string; ref: string };

const proto = dt.Tensor.prototype as unknown as Record<string, unknown>;
const ns: [string, Record<string, unknown>][] = [["dt", dt as unknown as Record<string, unknown>], ["F", dt.nn.functional as unknown as Record<string, unknown>]];

/** The namespaces (as written in the test) where a declared name is a public function. */
function homes(name: string): string[] {
  if (name.startsWith("linalg.")) return ["dt.linalg"];
  const key = name === "var" ? "variance" : name;
  const seen = new Set<unknown>();
  const out: string[] = [];
  for (const [label, space] of ns) {
    const f = space[key];
    if (typeof f !== "function" || /^class\b/.test(Function.prototype.toString.call(f)) || seen.has(f)) continue;
    seen.add(f);
    out.push(label);
  }
  return out;
}

function forms(name: string): Form[] {
  const spec = declaredOptionalArgs(name)!;
  const c = CASES[name];
  if (!c) throw new Error(`gen-options-forms-test: no CASES entry for ${name}; add its inputs`);
  const input = c.input ?? "I.x";
  const req = c.req ?? [];
  const val = (k: string): string => {
    const v = c.vals?.[k] ?? VALUES[k];
    if (v === undefined) throw new Error(`gen-options-forms-test: no value for ${name}'s '${k}'; add it to VALUES or the case's vals`);
    return v;
  };
  const bag = spec.bag ?? [];
  // One call shape per (positional prefix, object keys).
  const shapes: [number, string[]][] = [];
  for (let at = 0; at <= spec.names.length; at++) {
    const rest = spec.names.slice(at);
    if (at < spec.names.length) {
      shapes.push([at, []]);
      for (const k of rest) shapes.push([at, [k]]);
    }
    for (const k of bag) shapes.push([at, [k]]);
    const all = [...rest, ...bag].filter((k) => !c.apart?.slice(1).includes(k));
    if (all.length > 1) shapes.push([at, all]);
  }
  const calls: Form[] = [];
  const fname = name === "var" ? "variance" : name.replace(/^linalg\./, "");
  const targets: [string, string][] = [];
  if (!c.noMethod && !name.startsWith("linalg.") && typeof proto[name] === "function") targets.push([`${input}.${name}(`, `U(${input}).${name}(`]);
  if (!c.noFunction) for (const h of homes(name)) targets.push([`${h}.${fname}(${input}, `, `U(${h}).${fname}(${input}, `]);
  if (targets.length === 0) throw new Error(`gen-options-forms-test: ${name} is neither a Tensor method nor a public function`);
  for (const [at, keys] of shapes) {
    const head = [...req, ...spec.names.slice(0, at).map(val)];
    const obj = `{ ${keys.map((k) => `${k}: ${val(k)}`).join(", ")} }`.replace("{  }", "{}");
    // The positional call it stands for: the named parameters in place (undefined where left out), then the bag.
    const pos = spec.names.map((k, i) => (i < at || keys.includes(k) ? val(k) : "undefined"));
    while (pos.length && pos[pos.length - 1] === "undefined") pos.pop();
    const bagKeys = keys.filter((k) => bag.includes(k));
    const refArgs = [...req, ...pos, ...(bagKeys.length ? [`{ ${bagKeys.map((k) => `${k}: ${val(k)}`).join(", ")} }`] : [])];
    for (const [open, refOpen] of targets) {
      const sep = (s: string, args: string[]): string => (s.endsWith(", ") && args.length === 0 ? s.slice(0, -2) : s) + args.join(", ") + ")";
      calls.push({ code: sep(open, [...head, obj]), ref: sep(refOpen, refArgs) });
    }
  }
  return calls;
}

/** Runs a call's code on fresh inputs, with the global generator seeded, as the test does. */
function run(code: string): { ok: true } | { ok: false; message: string } {
  const U = (v: unknown) => v;
  const f = new Function("dt", "F", "I", "U", `return (${code});`) as (...a: unknown[]) => unknown;
  dt.manualSeed(0);
  try {
    f(dt, dt.nn.functional, inputs(), U);
    return { ok: true };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

const accepted: string[] = [];
const rejected: string[] = [];
const problems: string[] = [];
const names = declaredOptionalArgNames().sort();
for (const name of names) {
  for (const f of forms(name)) {
    const r = run(f.code);
    const ref = run(f.ref);
    if (r.ok && !ref.ok) problems.push(`${f.code} runs but its positional form ${f.ref} throws: ${ref.message}`);
    else if (r.ok) accepted.push(`  same((I) => ${f.code}, (I) => ${f.ref});`);
    else if (ref.ok) problems.push(`${f.code} throws (${r.message}) but its positional form ${f.ref} runs`);
    else if (VALUE_LEVEL.some(([re]) => re.test(r.message))) rejected.push(`  rejects((I) => U(${f.code.replace(/^([^(]*?)\.(\w+)\(/, (_, obj: string, m: string) => `${obj}).${m}(`)});`);
    else rejected.push(`  rejects((I) =>\n    // @ts-expect-error the runtime rejects it too: ${r.message.split("\n")[0].slice(0, 110)}\n    ${f.code});`);
  }
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}

const out = `// Generated by scripts/gen-options-forms-test.ts (node --import tsx scripts/gen-options-forms-test.ts); do not edit.
// Every options-object form (API.md rule 3) of every declareOptionalArgs function and method, in the
// types and at run time: each plain line must compile (npx tsc --noEmit) and give the result of the
// positional call beside it; each line under @ts-expect-error must not compile, and throws at run time.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { declaredOptionalArgNames } from "../src/tensor/check.js";
import { inputs, type Inputs } from "./options-forms-inputs.js";

const F = dt.nn.functional;
/** The positional reference call, untyped: it is the runtime's own form, not under test here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const U = (v: unknown): any => v;
/** A result as plain data: tensors as shape, dtype and values; tuples and named tuples as arrays. */
function plain(v: unknown): unknown {
  if (v instanceof dt.Tensor) return { shape: v.shape, dtype: v.dtype, values: v.tolist() };
  if (v !== null && typeof v === "object" && Symbol.iterator in v) return [...(v as Iterable<unknown>)].map(plain);
  return v;
}
let calls = 0;
function same(form: (I: Inputs) => unknown, positional: (I: Inputs) => unknown): void {
  dt.manualSeed(0);
  const a = plain(form(inputs()));
  dt.manualSeed(0);
  assert.deepEqual(a, plain(positional(inputs())), String(form));
  calls++;
}
function rejects(form: (I: Inputs) => unknown): void {
  assert.throws(() => form(inputs()), (e: unknown) => e instanceof Error && !(e instanceof TypeError), String(form));
  calls++;
}

const COVERED = ${JSON.stringify(names)};

test("every declared function's options-object forms type-check and give the positional results; the forms the runtime rejects do not type-check", () => {
${accepted.join("\n")}
${rejected.join("\n")}
  assert.equal(calls, ${accepted.length + rejected.length});
});

test("the generated forms cover every declareOptionalArgs declaration (rerun the generator after adding one)", () => {
  assert.deepEqual([...declaredOptionalArgNames()].sort(), COVERED);
});
`;
writeFileSync(new URL("../test/options-forms-all.test.ts", import.meta.url), out);
console.log(`${names.length} declarations: ${accepted.length} accepted forms, ${rejected.length} rejected forms`);
