/**
 * Small API mends from the issue-10 audit: a module called on a number names the module, dropout's p
 * must be a number, and the text plots check their options' values (not only their keys).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, utils, tensor } from "../src/index.js";

const throwsExactly = (f: () => unknown, message: string): void =>
  assert.throws(f, (e: unknown) => e instanceof Error && !(e instanceof TypeError) && e.message === message, message);

test("a module called on a number or string names the module, not the op inside", () => {
  throwsExactly(() => new nn.ReLU().call(3 as never), "ReLU.call: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  // Linear reads its input's shape: that TypeError is the module's input error too.
  throwsExactly(() => new nn.Linear(2, 2).call(3 as never), "Linear.call: input must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  throwsExactly(() => new nn.Softmax(1).call("a" as never), 'Softmax.call: input must be a Tensor, got string "a" (wrap plain numbers with tensor(...))');
  throwsExactly(() => new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()).call(1 as never), "Sequential.call: input must be a Tensor, got number 1 (wrap plain numbers with tensor(...))");
  // A module's own errors on a real tensor are untouched.
  assert.throws(() => new nn.Linear(2, 2).call(tensor([[1, 2, 3]])), /Linear\(2, 2\): input \[1,3\] has 3 features/);
  // A module that takes something else than a tensor is not second-guessed.
  class Scale extends nn.Module<[number], number> {
    override forward(n: number): number {
      if (n < 0) throw new Error("Scale: n must be >= 0");
      return 2 * n;
    }
  }
  assert.equal(new Scale().call(3), 6);
  throwsExactly(() => new Scale().call(-1), "Scale: n must be >= 0");
  // The renaming reads the error's kind, not its text: a module's own message that reads like an
  // op's input error stands, and so does an op's rejection of another argument (a loss's target).
  class Picky extends nn.Module<[number], number> {
    override forward(): number {
      throw new Error("Picky: input must be a Tensor, got a promise; await it first");
    }
  }
  throwsExactly(() => new Picky().call(1), "Picky: input must be a Tensor, got a promise; await it first");
  class Loss extends nn.Module<[number], unknown> {
    override forward(n: number): unknown {
      return nn.functional.mseLoss(tensor([1, 2]), n as never);
    }
  }
  throwsExactly(() => new Loss().call(3), "mseLoss: target must be a Tensor, got number 3 (wrap plain numbers with tensor(...))");
  // The renamed error keeps the op's as its cause.
  assert.throws(() => new nn.ReLU().call(3 as never), (e: unknown) => e instanceof Error && (e.cause as Error).message.startsWith("relu: input must be a Tensor"));
});

test("dropout's p must be a number in [0, 1]", () => {
  const x = tensor([1, 2, 3]);
  throwsExactly(() => nn.functional.dropout(x, "0.5" as never), 'dropout: p must be a dropout probability in [0, 1], got string "0.5"');
  throwsExactly(() => nn.functional.dropout2d(tensor([[[1]]]), 1.5), "dropout2d: p must be a dropout probability in [0, 1], got number 1.5");
  assert.deepEqual(nn.functional.dropout(x, 0.5, false).tolist(), [1, 2, 3]);
});

test("the text plots check their options' values", () => {
  const rows: [string, number][] = [["a", 1], ["b", 2]];
  throwsExactly(() => utils.barChart(rows, { width: "x" as never }), 'utils.barChart: width must be a positive integer, got string "x"');
  throwsExactly(() => utils.barChart(rows, { logScale: 1 as never }), "utils.barChart: logScale must be true or false, got number 1");
  throwsExactly(() => utils.barChart(rows, { widht: 3 } as never), "utils.barChart: unknown option 'widht'; did you mean 'width'? (it takes width, logScale, title, ascii)");
  throwsExactly(() => utils.barHistogram([1, 2, 3], { bins: 0 }), "utils.barHistogram: bins must be a positive integer, got number 0");
  throwsExactly(() => utils.sparkline([1, 2], { ascii: "yes" as never }), 'utils.sparkline: ascii must be true or false, got string "yes"');
  throwsExactly(() => utils.linePlot([1, 2], { height: 2.5 }), "utils.linePlot: height must be a positive integer, got number 2.5");
  throwsExactly(() => utils.linePlot([1, 2], { title: 3 as never }), "utils.linePlot: title must be a string, got number 3");
  throwsExactly(() => utils.imageToText([0, 1, 0, 1], 2, 2, { range: [0] as never }), "utils.imageToText: range must be [low, high], two finite numbers, got an array of length 1");
  throwsExactly(() => utils.imageToText([0, 1, 0, 1], 2, 2, { palette: "" }), 'utils.imageToText: palette must be a non-empty string of characters, darkest first, got string ""');
  throwsExactly(() => utils.sideBySide(["a"], { gap: -1 }), "utils.sideBySide: gap must be an integer >= 0, got number -1");
  throwsExactly(() => utils.sideBySide(["a"], { captions: [1] as never }), "utils.sideBySide: captions must be an array of strings, got an array of length 1");
  // Valid options (and undefined ones) still draw.
  assert.equal(utils.barChart(rows, { width: 4, title: undefined, ascii: true }), "a │## 1\nb │#### 2");
  assert.equal(utils.sideBySide(["a", "b"], { gap: 0, captions: ["x", "y"] }), "xy\nab");
});
