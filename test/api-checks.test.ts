// Runtime argument checks on the public entry points (JavaScript callers have no compiler): each slip
// is an Error naming the function, what it got and what it takes, never a TypeError from inside.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as dt from "../src/index.js";
import * as node from "../src/node.js";
import { Generator, Tensor, nn, optim, data, ones, randn, tensor, zeros, full, arange } from "../src/index.js";
import { checkSchema, describe, type Schema } from "../src/tensor/check.js";

const slip = (f: () => unknown, re: RegExp): void => {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof Error && !(e instanceof TypeError) && !(e instanceof RangeError), `a plain Error, got ${String(e)}`);
    assert.match((e as Error).message, re);
    return true;
  });
};

test("modules: call with an array, undefined or null, and loadStateDict with a non-dict", () => {
  const lin = new nn.Linear(2, 3);
  slip(() => lin.call([1, 2] as unknown as Tensor), /^Linear\.call: argument 1 must be a Tensor, got an array of length 2; wrap plain numbers with tensor\(\[\.\.\.\]\)/);
  slip(() => lin.call([[1, 2]] as unknown as Tensor), /argument 1 must be a Tensor, got an array of length 1/);
  slip(() => lin.call(undefined as unknown as Tensor), /^Linear\.call: expected a Tensor input, got undefined/);
  slip(() => new nn.Sequential(lin, new nn.ReLU()).call(null as unknown as Tensor), /^Sequential\.call: expected a Tensor input, got null/);
  slip(() => lin.loadStateDict(null as unknown as Record<string, Tensor>), /^Linear\.loadStateDict: expected a state dict \(an object of tensors by name.*\), got null/);
  slip(() => lin.loadStateDict(ones([2])as unknown as Record<string, Tensor>), /got a Tensor of shape \[2\] \(float32\)/);
  slip(() => lin.loadStateDict(lin.stateDict(), { strict: "no" as unknown as boolean }), /strict must be a boolean, got string "no"/);
  // What still works: tensors, LSTM's (x, [h, c]), modules whose forward takes nothing.
  assert.deepEqual(lin.call(ones([4, 2])).shape, [4, 3]);
  const lstm = new nn.LSTM(2, 3);
  const [, [h]] = lstm.call(ones([5, 1, 2]), [zeros([1, 1, 3]), zeros([1, 1, 3])]);
  assert.deepEqual(h.shape, [1, 1, 3]);
  class Constant extends nn.Module<[], Tensor> {
    forward(): Tensor {
      return ones([1]);
    }
  }
  assert.equal(new Constant().call().item(), 1);
});

test("tensor creation: dtype, shape, data and fill value are checked by name", () => {
  slip(() => zeros([2], { dtype: "half" as "float32" }), /^zeros: dtype must be one of "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool", got string "half"; PyTorch's torch.half is "float16"/);
  slip(() => tensor([1, 2], { dtype: "long" as "int32" }), /^tensor: dtype must be one of .*got string "long"; PyTorch's long is "int64"$/);
  slip(() => ones([2], { requiresGrad: "yes" as unknown as boolean }), /^ones: requiresGrad must be a boolean, got string "yes"/);
  slip(() => randn("a" as unknown as number[]), /^randn: shape must be an array of non-negative integers \(or one integer\), got string "a"/);
  slip(() => zeros([2, -1]), /^zeros: invalid shape \[2,-1\]: sizes must be non-negative integers/);
  slip(() => tensor(undefined as unknown as number[]), /^tensor: data must be a number, a boolean, a \(nested\) array of them or a typed array, got undefined/);
  slip(() => tensor({ a: 1 } as unknown as number[]), /got an object/);
  slip(() => full([2], "7" as unknown as number), /^full: the fill value must be a number or boolean, got string "7"/);
  slip(() => arange("5" as unknown as number), /^arange: start must be a number, got string "5"/);
  slip(() => randn([2], { generator: 3 as never }), /^randn: generator must be a Generator/);
  slip(() => Tensor.fromArray(null as unknown as Float32Array, [2], "float32"), /^Tensor\.fromArray: data must be a typed array/);
  assert.deepEqual(tensor([[1, 2]], { dtype: "int32" }).shape, [1, 2]);
});

test("optimizers, DataLoader, losses and layers name the bad argument", () => {
  const params = new nn.Linear(2, 2).parameters();
  slip(() => new optim.SGD(params, { lr: "0.1" as unknown as number }), /^SGD: invalid lr string "0\.1": the learning rate must be a number >= 0/);
  slip(() => new optim.Adam(null as never), /^Adam: params must be an iterable of tensors/);
  slip(() => new data.DataLoader(null as never), /^DataLoader: dataset must be a Dataset .*, got null; write new DataLoader\(dataset, \{ batchSize: 64 \}\)/);
  slip(() => new data.DataLoader(new data.TensorDataset(zeros([4, 2])), [2] as never), /^DataLoader: the second argument takes options like \{ batchSize: 64, shuffle: true \} \(or a batch size\), got an array of length 1/);
  slip(() => new data.DataLoader([1, 2] as never), /^DataLoader: dataset must be a Dataset \(a numeric `length` and a `getItem\(i\)` method\), got an array of length 2/);
  slip(() => nn.functional.mseLoss(ones([2]), [1, 2] as unknown as Tensor), /^mseLoss: target must be a Tensor, got an array of length 2 \(wrap plain numbers with tensor\(\.\.\.\)\)/);
  slip(() => nn.functional.crossEntropy(ones([2, 3]), undefined as unknown as Tensor), /^crossEntropy: target must be a Tensor, got undefined/);
  slip(() => new nn.Conv2d(1, 2, undefined as unknown as number), /^Conv2d: kernelSize must be an integer or 2 integers >= 1, got undefined/);
});

test("checkSchema names the dotted field and what it expected; describe says what a value is", () => {
  const schema: Schema = { object: { epochs: { int: { min: 1 } }, lr: "number", history: { arrayOf: { object: { loss: "number" } } }, tag: { nullable: "string" } }, optional: ["tag"] };
  const run = (v: unknown): string => {
    try {
      checkSchema(v, schema, "", (f, p) => {
        throw new Error(`${f}: ${p}`);
      });
      return "ok";
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.equal(run({ epochs: 2, lr: 0.1, history: [{ loss: 1 }] }), "ok");
  assert.equal(run({ epochs: 0, lr: 0.1, history: [] }), "epochs: expected an integer >= 1, got number 0");
  assert.equal(run({ epochs: 2, lr: NaN, history: [] }), "lr: expected a finite number, got number NaN");
  assert.equal(run({ epochs: 2, lr: 1, history: [{ loss: "x" }] }), 'history.0.loss: expected a finite number, got string "x"');
  assert.equal(run({ epochs: 2, history: [] }), "lr: is missing");
  assert.equal(run({ epochs: 2, lr: 1, history: [], tag: 3 }), "tag: expected a string, got number 3");
  assert.equal(run([1]), "<root>: expected an object, got an array of length 1");
  assert.equal(describe(randn([2, 3])), "a Tensor of shape [2,3] (float32)");
  assert.equal(describe(new Float32Array(4)), "a Float32Array of length 4");
  assert.equal(describe(new Map()), "a Map");
});

test("elementwise operands and reshape's shape are checked (a string or an object computed NaN silently)", () => {
  const x = tensor([1, 2]);
  slip(() => x.add("a" as never), /^add: other must be a Tensor, a number or a boolean, got string "a"/);
  slip(() => x.mul(null as never), /^mul: other must be a Tensor, a number or a boolean, got null/);
  slip(() => x.sub([1, 2] as never), /^sub: other must be a Tensor, a number or a boolean \(wrap arrays with tensor\(\.\.\.\)\), got an array of length 2/);
  slip(() => x.lt({} as never), /^lt: other must be a Tensor, a number or a boolean, got an object/);
  slip(() => x.reshape("a" as never), /^reshape: shape must be an array of integers like \[2, -1\], got string "a"/);
  assert.deepEqual(x.add(true).tolist(), [2, 3], "booleans stay valid scalars, as in PyTorch");
});

test("data, io, utils, models and deeptype/node name the function on a wrong call", async () => {
  const ds = new data.TensorDataset(zeros([4, 2]));
  // The entry layer's argument specs (guardSpecs): the function, the parameter, what it takes, what it got.
  slip(() => data.randomSplit(undefined as never, [2, 2]), /^data\.randomSplit: dataset must be a Dataset \(a numeric `length` and a `getItem\(i\)` method\), got undefined$/);
  slip(() => data.defaultCollate("x" as never), /^data\.defaultCollate: samples must be an array of samples .*, got string "x"$/);
  slip(() => dt.utils.summary(undefined as never, [1, 2]), /^utils\.summary: model must be an nn\.Module, got undefined$/);
  slip(() => dt.utils.summary(new nn.Linear(2, 2), "1,2" as never), /^utils\.summary: inputShape must be an input shape like \[1, 1, 28, 28\] \(an array of integers\), got string "1,2"$/);
  slip(() => dt.io.unpickle(undefined as never, undefined as never), /^io\.unpickle: bytes must be the file's bytes \(a Uint8Array or Buffer\), got undefined$/);
  slip(() => data.encodePng({} as never), /^data\.encodePng: img must be an image \{ width, height, channels, data \} \(as decodeImage returns\), got an object$/);
  slip(() => dt.io.toOnnxBytes("x" as never, ones([1])), /^io\.toOnnxBytes: model must be an nn\.Module, got string "x"$/);
  // An error of ours from a function used inside is led by the one called, named once.
  slip(() => dt.utils.checkedCrossEntropy(ones([2, 3]), tensor([0, 1, 2], { dtype: "int64" })), /^utils\.checkedCrossEntropy: target shape \[3\] does not fit input \[2,3\]/);
  // A helper told which name to use keeps it: a custom transform's error names the transform.
  slip(() => data.imageOf(3 as never, "MyTransform"), /^MyTransform: expected an image tensor or a sample \{ image: Tensor, \.\.\. \}, got number 3$/);
  slip(() => data.imageOf(ones([2, 2]), undefined as never), /^data\.imageOf: op must be the transform's name for messages \(a string\), got undefined/);
  slip(() => data.mapImage(ones([2, 2]), "T", "x" as never), /^data\.mapImage: fn must be a function \(image\) => Tensor, got string "x"/);
  slip(() => data.checkIndex(0, undefined as never, "MyData"), /^data\.checkIndex: length must be the dataset's length \(a number\), got undefined/);
  // Constructors check their own arguments.
  slip(() => new data.Subset("x" as never, [0]), /^Subset: dataset must be a Dataset \(a numeric `length` and a `getItem\(i\)` method\), got string "x"/);
  slip(() => new data.Subset(ds, undefined as never), /^Subset: indices must be an array of indices, got undefined/);
  slip(() => new data.ConcatDataset([ds, {} as never]), /^ConcatDataset: datasets\[1\] must be a Dataset/);
  slip(() => new data.ConcatDataset(ds as never), /^ConcatDataset: datasets must be an array of datasets, got a TensorDataset/);
  slip(() => new data.SequentialSampler(undefined as never), /^SequentialSampler: dataSource must be a dataset \(anything with a numeric length\) or a length, got undefined/);
  slip(() => new data.WeightedRandomSampler(undefined as never, 3), /^WeightedRandomSampler: weights must be an array of numbers, got undefined/);
  slip(() => new data.Normalize({ a: 1 } as never, [1]), /^Normalize: mean must be a number or an array of numbers \(one per channel\)/);
  slip(() => new data.Normalize([0.5], "x" as never), /^Normalize: std must be a number or an array of numbers .*got string "x"/);
  slip(() => new data.CenterCrop({} as never), /^CenterCrop: size must be a positive integer or \[height, width\], got an object/);
  slip(() => new data.Resize([2, 0]), /^Resize: size must be a positive integer or \[height, width\], got an array of length 2/);
  slip(() => new data.RandomRotation(undefined as never), /^RandomRotation: degrees must be a number d \(the range \[-d, d\]\) or \[min, max\], got undefined/);
  slip(() => new dt.io.PyDict("ab" as never), /^PyDict: entries must be an iterable of \[key, value\] pairs, got string "ab"/);
  slip(() => new dt.io.PyDict([1, 2] as never), /^PyDict: entries\[0\] must be a \[key, value\] pair, got number 1/);
  // The check reads the entries once: a one-shot iterator still fills the dict.
  assert.equal(new dt.io.PyDict(new Map([["a", 1], ["b", 2]]).entries()).size, 2);
  slip(() => dt.models.mnistCnn("x" as never), /^models\.mnistCnn: generator must be a Generator .*got string "x"/);
  slip(() => dt.models.buildModel("resnet" as never), /^models\.buildModel: name must be "mlp" or "cnn", got string "resnet"/);
  // Async functions reject with the same kind of Error.
  await assert.rejects(node.saveWeights("w.safetensors", 3 as never), /^Error: saveWeights: stateDict must be a state dict \(an object of tensors by name, as model\.stateDict\(\) returns\), got number 3/);
  await assert.rejects(node.saveWeights("w.safetensors", { w: [1] } as never), /^Error: saveWeights: stateDict\["w"\] must be a Tensor, got an array of length 1/);
  await assert.rejects(node.loadCheckpoint(3 as never), /^Error: loadCheckpoint: file must be a file path string, got number 3$/);
  // What still works.
  assert.equal(data.randomSplit(ds, [2, 2]).length, 2);
  assert.equal(new dt.io.PyDict([["a", 1]]).get("a"), 1);
  assert.deepEqual(new data.CenterCrop([1, 2]).size, [1, 2]);
});

test("an op built from other ops names the op called, not the one inside", () => {
  const x = tensor([[1, 2], [3, 4]]);
  slip(() => x.tril("x" as never), /^tril: diagonal must be an integer, got string "x"/);
  slip(() => dt.triu(x, 0.5), /^triu: diagonal must be an integer, got number 0\.5/);
  slip(() => x.swapaxes("x" as never, 0), /^swapaxes: axis0 must be an integer, got string "x"/);
  slip(() => x.roll("x" as never), /^roll: shifts must be an integer or an array of integers, got string "x"/);
  slip(() => x.tile("x" as never), /^tile: dims must be an integer or an array of integers, got string "x"/);
  slip(() => dt.tensorSplit(x, "x" as never), /^tensorSplit: indicesOrSections must be an array of integers, got string "x"/);
  slip(() => dt.eye("x" as never), /^eye: n must be an integer >= 0, got string "x"/);
  // The rest through the entry layer: the called op, named once in place of the op inside, then
  // what the op inside found.
  slip(() => dt.clampMin(x, "x" as never), /^clampMin: min must be a number, a Tensor or null, got string "x"/);
  slip(() => x.std("x" as never), /^std: dim must be an integer or an array of integers, got string "x"/);
  slip(() => nn.functional.softmin(x, "x" as never), /^softmin: dim must be an integer, got string "x"/);
  slip(() => dt.hstack([1, 2] as never), /^hstack: element 0 of the list is number, not a Tensor/);
  // Where the op inside would name its own parameter (sub's "input", pow's "other"), the op called
  // checks the argument under its own name.
  slip(() => x.lerp("x" as never, 0.5), /^lerp: end must be a Tensor, a number or a boolean, got string "x"$/);
  slip(() => x.lerp(x, "x" as never), /^lerp: weight must be a Tensor, a number or a boolean, got string "x"$/);
  slip(() => x.float().addcmul_(x, "x" as never), /^addcmul_: tensor2 must be a Tensor, a number or a boolean, got string "x"$/);
  slip(() => x.float().uniform_(0, "x" as never), /^uniform_: to must be a finite number, got string "x"$/);
  slip(() => x.float().normal_(0, -1), /^normal_: std must be a finite number >= 0, got number -1$/);
  slip(() => x.viewAs([1] as never), /^viewAs: other must be a Tensor, got an array of length 1/);
  slip(() => x.clampMin(undefined as never), /^clampMin: min must be a number or a Tensor, got undefined$/);
  slip(() => dt.linalg.vectorNorm(x.float(), "fro" as never), /^linalg\.vectorNorm: ord must be a number .*"fro" and "nuc" are linalg\.matrixNorm's\), got string "fro"$/);
  slip(() => nn.positionalTable(8, "x" as never), /^positionalTable: dModel must be a positive integer, got string "x"$/);
  slip(() => dt.linalg.vectorNorm(x, "x" as never), /^linalg\.vectorNorm: /);
  slip(() => nn.init.constant_(x, "x" as never), /^init\.constant_: value must be a number, got string "x"/);
  slip(() => nn.init.normal_(x, "x" as never), /^init\.normal_: mean must be a finite number, got string "x"/);
  slip(() => x.lerp("x" as never, 0.5), /^lerp: /);
  slip(() => x.to("x" as never), /^to: /);
  assert.deepEqual(x.tril(-1).tolist(), [[0, 0], [3, 0]]);
  assert.deepEqual(x.roll(1).tolist(), [[4, 1], [2, 3]]);
  assert.deepEqual(x.tile([2]).shape, [2, 4]);
});

// ---------------------------------------------------------------- the survey of every entry point
//
// Every exported function and class of deeptype (and deeptype/node), and every Tensor method, called
// with a wrong argument (undefined, a string, an array, a plain object) first and, for functions, as
// the second argument after a valid tensor. Each call must end in an Error of ours (not a TypeError,
// RangeError or other error JavaScript throws from inside) that names the function, or be accepted
// without computing NaN where the valid call computes none. New exports are surveyed automatically.

const BAD: [string, unknown][] = [["undefined", undefined], ["a string", "x"], ["an array", [1, 2]], ["an object", { a: 1 }]];
/**
 * Constructors whose defaults build a full-size model or load MNIST (seconds each): not called with
 * undefined (a valid call) or an object of unknown options.
 */
const HEAVY_DEFAULTS = new Set(["nn.Transformer", "models.examCnn", "data.MnistDataset"]);
/** Exports that change global state or run jobs: not called with junk. */
const NOT_CALLED = new Set(["setBackend", "registerBackend", "withOpTracer", "manualSeed", "setNumThreads", "initWasmBackend", "setGradEnabled", "trainMnist", "evaluateRun", "loadDecoders", "defineOp", "apply", "noGrad", "enableGrad"]);
/**
 * Entries the survey may find without failing, each with its written reason. Empty: every function
 * and constructor of deeptype, deeptype/node and the Tensor methods names itself on a wrong call. The
 * test fails when this list is not exactly what the survey finds, so a new gap fails the test.
 */
const KNOWN_UNCHECKED = new Set<string>([]);

const isRawError = (e: unknown): boolean =>
  !(e instanceof Error) || e instanceof TypeError || e instanceof SyntaxError || e instanceof ReferenceError || (e instanceof RangeError && !/^[\w.]+: /.test(e.message));
function hasNaN(v: unknown): boolean {
  if (v instanceof Tensor) return (v.dtype === "float32" || v.dtype === "float64") && v.numel() < 1e5 && Array.from(v.contiguous().data() as Float32Array).some(Number.isNaN);
  if (Array.isArray(v)) return v.some(hasNaN);
  return typeof v === "number" && Number.isNaN(v);
}
const sample = (): Tensor => randn([2, 3], { generator: new Generator().manualSeed(0) }).mul(0.3).add(0.5);

async function outcome(f: () => unknown): Promise<{ raw?: string; nan?: boolean; message?: string }> {
  try {
    let r = f();
    if (r instanceof Promise) r = await r;
    return { nan: hasNaN(r) };
  } catch (e) {
    if (isRawError(e)) return { raw: `${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}` };
    return { message: (e as Error).message };
  }
}

test("survey: every public entry point gives a named Error (never a TypeError from inside, never a silent NaN) for wrong argument types", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-api-survey-"));
  const cwd = process.cwd();
  process.chdir(dir); // a function that takes a path must not write into the repository
  const problems: string[] = [];
  const rawEntries = new Set<string>();
  let calls = 0;
  const check = async (entry: string, call: string, f: () => unknown, baselineNaN: boolean, name: string): Promise<void> => {
    if (HEAVY_DEFAULTS.has(entry) && /\((undefined|an object)\)$/.test(call)) return;
    calls++;
    const r = await outcome(f);
    // fooWithIndices is foo returning its indices too: naming foo names it.
    const unnamed = r.message !== undefined && !r.message.toLowerCase().includes(name.toLowerCase().replace(/_$/, "").replace(/withindices$/, ""));
    // A stacked prefix: the name of another function of ours after the called one's (`uniform_: rand: ...`).
    const inner = r.message === undefined ? undefined : /^[\w.]+: ([\w.]+): /.exec(r.message)?.[1];
    if (inner !== undefined && publicNames.has(inner.slice(inner.lastIndexOf(".") + 1))) problems.push(`${call}: stacked prefix: ${r.message}`);
    if (r.raw || unnamed) {
      rawEntries.add(entry);
      if (!KNOWN_UNCHECKED.has(entry)) problems.push(r.raw ? `${call}: raw ${r.raw}` : `${call}: the error does not name ${name}: ${r.message}`);
    } else if (r.nan && !baselineNaN) problems.push(`${call}: computed NaN`);
  };
  const isClass = (f: Function): boolean => /^class\b/.test(Function.prototype.toString.call(f));
  const publicNames = new Set<string>(Object.getOwnPropertyNames(Tensor.prototype));
  for (const ns of [dt, dt.linalg, nn.functional, nn.init, nn, optim, data, data.functional, dt.io, dt.utils, dt.models, node]) {
    for (const [k, v] of Object.entries(ns)) if (typeof v === "function") publicNames.add(k).add(v.name);
  }
  const survey = async (prefix: string, ns: object): Promise<void> => {
    for (const [name, f] of Object.entries(ns)) {
      if (typeof f !== "function" || NOT_CALLED.has(name)) continue;
      const entry = prefix + name;
      const own = f.name === "var_" ? "var" : f.name || name; // an alias (variance, moveaxis) names the function it is
      if (isClass(f)) {
        // The base classes take the subclass's name first (super("StepLR", ...)): a string names the subclass.
        const base = f === optim.Optimizer || f === optim.LRScheduler;
        for (const [what, v] of BAD) await check(entry, `new ${entry}(${what})`, () => new (f as new (...a: unknown[]) => unknown)(v), false, base && typeof v === "string" ? v : own);
        continue;
      }
      const fn = f as (...a: unknown[]) => unknown;
      for (const [what, v] of BAD) await check(entry, `${entry}(${what})`, () => fn(v), false, own);
      const base = await outcome(() => fn(sample()));
      for (const [what, v] of BAD.slice(1)) await check(entry, `${entry}(x, ${what})`, () => fn(sample(), v), !!base.nan, own);
    }
  };
  try {
    await survey("", dt);
    await survey("linalg.", dt.linalg);
    await survey("nn.functional.", nn.functional);
    await survey("nn.init.", nn.init);
    await survey("nn.", nn);
    await survey("optim.", optim);
    await survey("data.", data);
    await survey("data.functional.", data.functional);
    await survey("io.", dt.io);
    await survey("utils.", dt.utils);
    await survey("models.", dt.models);
    await survey("node.", node);
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name)!;
      if (name === "constructor" || typeof d.value !== "function") continue;
      const call = (v?: unknown, n = 1) => () => (sample() as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...(n ? [v] : []));
      const base = await outcome(call(undefined, 0));
      for (const [what, v] of BAD) await check(`Tensor.${name}`, `x.${name}(${what})`, call(v), !!base.nan, name);
    }
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length) console.log(problems.join("\n"));
  assert.ok(calls > 3000, `the survey made ${calls} calls`);
  assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.slice(0, 40).join("\n")}`);
  assert.deepEqual([...KNOWN_UNCHECKED].filter((e) => !rawEntries.has(e)), [], "entries now checked: remove them from KNOWN_UNCHECKED");
});

test("a layer given a bad dtype names itself, not the zeros() that allocates its weights", () => {
  const layers: [string, () => unknown][] = [
    ["Linear", () => new nn.Linear(2, 2, { dtype: "half" as never })],
    ["Conv2d", () => new nn.Conv2d(1, 1, 3, { dtype: "half" as never })],
    ["LSTM", () => new nn.LSTM(2, 3, { dtype: "half" as never })],
    ["Embedding", () => new nn.Embedding(3, 2, { dtype: "half" as never })],
    ["BatchNorm2d", () => new nn.BatchNorm2d(2, { dtype: "half" as never })],
    ["LayerNorm", () => new nn.LayerNorm([2], { dtype: "half" as never })],
    ["MultiheadAttention", () => new nn.MultiheadAttention(4, 2, { dtype: "half" as never })],
  ];
  for (const [name, make] of layers) slip(make, new RegExp(`^${name}: dtype must be one of "float32", .*got string "half"; PyTorch's torch\\.half is "float16"$`));
  assert.equal(new nn.Linear(2, 2, { dtype: "float16" }).weight.dtype, "float16");
});
