// Runtime argument checks on the public entry points (JavaScript callers have no compiler): each slip
// is an Error naming the function, what it got and what it takes, never a TypeError from inside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, nn, optim, data, ones, randn, tensor, zeros, full, arange } from "../src/index.js";
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
  slip(() => zeros([2], { dtype: "float16" as "float32" }), /^zeros: dtype must be one of "float32", "float64", "int32", "int16", "int8", "uint8", "bool", got string "float16"; 16-bit floats exist only in files/);
  slip(() => tensor([1, 2], { dtype: "int64" as "int32" }), /^tensor: dtype must be one of .*got string "int64"; int64 has no storage yet, use "int32"$/);
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
  slip(() => new data.DataLoader(null as never), /^DataLoader: the first argument must be a Dataset .*, got null; write new DataLoader\(dataset, \{ batchSize: 64 \}\)/);
  slip(() => new data.DataLoader(new data.TensorDataset(zeros([4, 2])), [2] as never), /^DataLoader: the second argument takes options like \{ batchSize: 64, shuffle: true \} \(or a batch size\), got an array of length 1/);
  slip(() => new data.DataLoader([1, 2] as never), /^DataLoader: the first argument must be a Dataset \(a numeric `length` and a `getItem\(i\)` method\), got an array of length 2/);
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
