// Options objects of ops, Tensor methods and creation functions (API.md rule 9): a key the op does
// not take is an Error naming the op, the key, the keys it takes and the closest one, never a silent
// default (`x.sum(1, { keepDim: true })` used to drop the dim; `x.var(1, { unbaised: false })` used
// Bessel's correction). One mechanism: each op file declares its keys (`declareOptions`), the entry
// layer (guardMethod/guardFunction in src/tensor/check.ts) checks a trailing plain object against them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { Tensor, randn, tensor, linalg } from "../src/index.js";
import * as dt from "../src/index.js";
import { declaredOptionalArgs, declaredOptions } from "../src/tensor/check.js";

const rejects = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof Error && !(e instanceof TypeError) && re.test(e.message), `expected ${re}`);
};

test("a misspelt option of an op or method names it, the key, the keys it takes and the closest one", () => {
  const x = randn([3, 4]);
  rejects(() => x.sum(1, { keepDim: true } as never), /^x\.sum: unknown option 'keepDim'; did you mean 'keepdim'\? \(it takes keepdim, dtype\)$/);
  rejects(() => dt.sum(x, 1, { keepDim: true } as never), /^sum: unknown option 'keepDim'; did you mean 'keepdim'\?/);
  rejects(() => x.var(1, { unbaised: false } as never), /^x\.var: unknown option 'unbaised'; did you mean 'unbiased'\? \(it takes correction, keepdim, unbiased\)$/);
  rejects(() => x.max(1, { keep_dim: true } as never), /^x\.max: unknown option 'keep_dim'; did you mean 'keepdim'\?/);
  rejects(() => x.sort({ dim: 1, descnding: true } as never), /^x\.sort: unknown option 'descnding'; did you mean 'descending'\?/);
  rejects(() => x.topk(2, { largest: false, dimension: 0 } as never), /^x\.topk: unknown option 'dimension'; did you mean 'dim'\?/);
  rejects(() => x.add(x, { alhpa: 2 } as never), /^x\.add: unknown option 'alhpa'; did you mean 'alpha'\?/);
  rejects(() => x.div(x, { rounding_mode: "floor" } as never), /^x\.div: unknown option 'rounding_mode'; deeptype spells it 'roundingMode'$/);
  rejects(() => dt.zeros([2], { dtyp: "float64" } as never), /^zeros: unknown option 'dtyp'; did you mean 'dtype'\? \(it takes dtype, requiresGrad\)$/);
  rejects(() => dt.randn([2], { requires_grad: true } as never), /^randn: unknown option 'requires_grad'; deeptype spells it 'requiresGrad'$/);
  rejects(() => linalg.vectorNorm(x, 2, 1, { keepDim: true } as never), /^linalg\.vectorNorm: unknown option 'keepDim'; did you mean 'keepdim'\?/);
  rejects(() => x.sum().backward(null, { retain_graph: true } as never), /^x\.backward: unknown option 'retain_graph'; deeptype spells it 'retainGraph'$/);
  rejects(() => x.mean(0, { zzzzzz: 1 } as never), /^x\.mean: unknown option 'zzzzzz'; it takes keepdim, dtype$/);
  // The valid forms are untouched, and a key left undefined is no option at all.
  assert.deepEqual(x.sum(1, { keepdim: true }).shape, [3, 1]);
  assert.deepEqual(x.sum(1, true).shape, [3, 1]);
  assert.deepEqual(x.var(1, { keepdim: true, typo: undefined } as never).shape, [3, 1]);
  assert.deepEqual(dt.zeros([2], { dtype: "float64" }).dtype, "float64");
  // Plain objects only: a Tensor or array last argument is an operand, not options.
  assert.deepEqual(x.add(x).shape, [3, 4]);
  assert.deepEqual(dt.tensor([[1, 2]]).shape, [1, 2]);
});

test("var/std take PyTorch 1.13's unbiased, as an option or positionally, and refuse it with correction", () => {
  const x = tensor([[1, 2, 3, 4], [2, 4, 6, 9]], { dtype: "float64" });
  // torch.tensor([[1,2,3,4],[2,4,6,9]], dtype=torch.float64).var(1, unbiased=False) -> [1.25, 6.6875]
  assert.deepEqual(x.var(1, { unbiased: false }).tolist(), [1.25, 6.6875]);
  assert.deepEqual(x.var(1, false).tolist(), [1.25, 6.6875]);
  assert.deepEqual(x.var(1, { correction: 0 }).tolist(), [1.25, 6.6875]);
  // unbiased=True (the default): the sums of squares over n - 1.
  assert.deepEqual(x.var(1).tolist(), [5 / 3, 26.75 / 3]);
  assert.deepEqual(x.var(1, true, true).shape, [2, 1]);
  assert.deepEqual(x.std(1, false).tolist(), [Math.sqrt(1.25), Math.sqrt(6.6875)]);
  rejects(() => x.var(1, { unbiased: false, correction: 0 }), /^var: give correction or unbiased, not both/);
  rejects(() => x.std(1, { correction: -1 }), /^std: correction must be a number >= 0, got number -1/);
});

/** Public op names whose declared parameter types include an options object, read from the sources. */
function optionTakingOps(): Map<string, string> {
  const files = [
    ...readdirSync("src/ops").map((f) => `src/ops/${f}`),
    "src/tensor/creation.ts", "src/autograd/engine.ts", "src/autograd/gradcheck.ts",
  ];
  const found = new Map<string, string>();
  for (const file of files) {
    const src = readFileSync(file, "utf8");
    // One signature per line: Tensor method declarations and exported functions (their overloads too).
    for (const m of src.matchAll(/^\s*(?:export function )?(\w+)\((.*)\)(?::[^;{]*)?[;{]\s*$/gm)) {
      const [, name, params] = m;
      if (/\{ *\w+\??:|Options\b|KeepDim\b/.test(params)) found.set(file.endsWith("linalg-norm.ts") ? `linalg.${name}` : name === "var_" ? "var" : name, file);
    }
  }
  return found;
}

test("every public op, method and creation function that takes an options object declares its keys", () => {
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  const fns = dt as unknown as Record<string, unknown>;
  const la = linalg as unknown as Record<string, unknown>;
  const isPublic = (name: string): boolean =>
    name.startsWith("linalg.") ? typeof la[name.slice(7)] === "function" : typeof proto[name] === "function" || typeof fns[name] === "function";
  const ops = [...optionTakingOps()].filter(([name]) => isPublic(name));
  assert.ok(ops.length >= 60, `the source scan found ${ops.length} option-taking ops; it should see at least 60`);
  // conv2dRelu takes two options objects (the conv's, then the pool's), so it checks both itself.
  const x4 = randn([1, 1, 4, 4]), w = randn([1, 1, 3, 3]);
  rejects(() => dt.conv2dRelu(x4, w, null, { pad: 1 } as never), /^conv2dRelu: unknown option 'pad'; did you mean 'padding'\?/);
  rejects(() => dt.conv2dRelu(x4, w, null, { padding: 1 }, { kernelSize: 2, strides: 2 } as never), /^conv2dRelu: unknown option 'strides'; did you mean 'stride'\? \(it takes stride, padding, dilation, ceilMode, kernelSize\)$/);
  // The keys an options object in the first optional place may carry: declareOptionalArgs' names and
  // bag when declared (that declaration wins), else declareOptions' keys.
  const keysOf = (name: string): readonly string[] | undefined => {
    const spec = declaredOptionalArgs(name);
    return spec ? [...spec.names, ...(spec.bag ?? [])] : declaredOptions(name);
  };
  const missing = ops.filter(([name]) => name !== "conv2dRelu" && keysOf(name) === undefined).map(([n, f]) => `${n} (${f})`);
  assert.deepEqual(missing, [], "declare their option keys next to the op with declareOptions or declareOptionalArgs (src/tensor/check.ts)");
  // And each declared one rejects a bogus key by name, as a method and as a function, before it runs.
  const x = randn([2, 3]);
  for (const [name] of ops) {
    // pad's options come after its required pads: (x, { bogusKey }) is not a call of it.
    if (name === "conv2dRelu" || (declaredOptionalArgs(name)?.first ?? 1) > 1) continue;
    const short = name.replace(/^linalg\./, "");
    const keys = keysOf(name)!.join(", ");
    const re = (prefix: string) => new RegExp(`^${prefix.replace(".", "\\.")}: unknown option 'bogusKey'; it takes ${keys.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    const fn = name.startsWith("linalg.") ? la[short] : fns[name === "var" ? "variance" : name];
    if (typeof fn === "function") rejects(() => (fn as (...a: unknown[]) => unknown)(x, { bogusKey: 1 }), re(name));
    if (!name.startsWith("linalg.") && typeof proto[name] === "function") rejects(() => (proto[name] as (...a: unknown[]) => unknown).call(x, { bogusKey: 1 }), re(`x.${name}`));
  }
});

test("optional positional parameters also come as one trailing options object, with the positional form's results", () => {
  const F = dt.nn.functional;
  const x = tensor([[-2, 0.5, 3], [1, -1, 4]]);
  const same = (a: Tensor, b: Tensor, what: string) => assert.deepEqual(a.tolist(), b.tolist(), what);
  same(F.leakyRelu(x, { negativeSlope: 0.2 } as never), F.leakyRelu(x, 0.2), "leakyRelu");
  same(x.leakyRelu({ negativeSlope: 0.2 } as never), x.leakyRelu(0.2), "x.leakyRelu");
  same(F.elu(x, { alpha: 2 } as never), F.elu(x, 2), "elu");
  same(F.gelu(x, { approximate: "tanh" } as never), F.gelu(x, "tanh"), "gelu");
  same(F.normalize(x, { dim: 0 } as never), F.normalize(x, 2, 0), "normalize, p left to its default");
  same(F.normalize(x, 1, { eps: 0.5 } as never), F.normalize(x, 1, 1, 0.5), "normalize, p positional");
  same(F.softplus(x, { beta: 2 } as never), F.softplus(x, 2), "softplus");
  same(F.hardtanh(x, { maxVal: 2 } as never), F.hardtanh(x, -1, 2), "hardtanh");
  same(F.pad(x, [1, 1], { value: 7 } as never), F.pad(x, [1, 1], "constant", 7), "pad");
  same(F.cosineSimilarity(x, x.flip([1]), { dim: 0 } as never), F.cosineSimilarity(x, x.flip([1]), 0), "cosineSimilarity");
  same(F.layerNorm(x, [3], { eps: 0.1 } as never), F.layerNorm(x, [3], null, null, 0.1), "layerNorm");
  same(F.oneHot(tensor([0n, 2n]), { numClasses: 4 } as never), F.oneHot(tensor([0n, 2n]), 4), "oneHot");
  same(x.clamp({ min: 0 } as never), x.clamp(0), "x.clamp");
  same(x.flatten({ startDim: 0 } as never), x.flatten(0), "x.flatten");
  same(F.dropout(x, { training: false } as never), x, "dropout off");
  // Leaving p out keeps its default; the generator stays in the options object the function takes.
  const g1 = new dt.Generator(3), g2 = new dt.Generator(3);
  same(F.dropout(x, { p: 0.5, generator: g1 } as never), F.dropout(x, 0.5, true, { generator: g2 }), "dropout with a generator");
  // A key twice, a key it does not take: named errors, never a silent default.
  rejects(() => (F.leakyRelu as (...a: unknown[]) => Tensor)(x, 0.2, { negativeSlope: 0.1 }), /^leakyRelu: 'negativeSlope' is given twice, positionally and in the options object; give it once$/);
  rejects(() => F.normalize(x, { dimm: 0 } as never), /^normalize: unknown option 'dimm'; did you mean 'dim'\? \(it takes p, dim, eps\)$/);
  rejects(() => F.dropout(x, { p: 0.5, generatr: 1 } as never), /^dropout: unknown option 'generatr'; did you mean 'generator'\?/);
  // A slope that is not a number made every negative element NaN.
  rejects(() => F.leakyRelu(x, "0.2" as never), /^leakyRelu: negativeSlope must be a number, got string "0\.2"/);
});
