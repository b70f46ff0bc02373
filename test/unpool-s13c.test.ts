// Session 13 (helper depthc): F.maxUnpool1d / F.maxUnpool2d and nn.MaxUnpool1d / nn.MaxUnpool2d against
// torch 1.13's max_unpool1d/2d of max_pool's values and indices (test/fixtures/unpool_s13c.json,
// scripts/fixtures/unpool_s13c.py): outputs and the pooled values' gradients, float32 and float64, js
// and wasm at 1 and 2 threads; deeptype's own pooling indices agree with torch's; printout and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nn, tensor, maxPool2dWithIndices, arange } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { fromFixture, closeTo, onBackends, type FixtureTensor, outputWeights } from "./fixture-s13a.js";

const F = nn.functional;
type Size = number | number[];
interface Case { x: FixtureTensor; values: FixtureTensor; indices: FixtureTensor; kernel: Size; stride: Size | null; padding: Size; outputSize: number[] | null; output: FixtureTensor; grad: FixtureTensor }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/unpool_s13c.json", import.meta.url), "utf8")) as Record<string, Case>;

test("maxUnpool1d/2d and their layers: values and gradients as torch 1.13 (js, wasm 1 and 2 threads)", () => {
  assert.equal(Object.keys(FIX).length, 16);
  onBackends((label) => {
    for (const [name, c] of Object.entries(FIX)) {
      const what = `${label} ${name}`;
      const two = name.startsWith("2d");
      const v = fromFixture(c.values).requiresGrad_(), idx = fromFixture(c.indices);
      // the layer on odd cases, the function with an options object on even ones
      const layered = name.includes("rect") || name.includes("unbatched") || name.includes("one");
      const out = layered
        ? (two ? new nn.MaxUnpool2d(c.kernel, c.stride, c.padding) : new nn.MaxUnpool1d(c.kernel, { stride: c.stride, padding: c.padding })).call(v, idx, c.outputSize)
        : (two ? F.maxUnpool2d : F.maxUnpool1d)(v, idx, c.kernel, { stride: c.stride, padding: c.padding, outputSize: c.outputSize });
      closeTo(out, c.output, what, 0, 0);
      const W = outputWeights(out);
      out.mul(W).sum().backward();
      closeTo(v.grad!, c.grad, `${what} grad`, 0, 0);
      if (two && c.x.shape.length === 4) {
        // deeptype's pooling finds torch's positions, so the round trip needs no fixture indices
        const mine = maxPool2dWithIndices(fromFixture(c.x), c.kernel as never, { stride: c.stride ?? undefined, padding: c.padding } as never);
        closeTo(mine.indices, c.indices, `${what} indices`);
      }
    }
  });
});

test("maxUnpool: printout, round trip, errors", () => {
  assert.equal(String(new nn.MaxUnpool2d(2)), "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
  assert.equal(String(new nn.MaxUnpool2d([3, 2], 1, 1)), "MaxUnpool2d(kernel_size=(3, 2), stride=(1, 1), padding=(1, 1))");
  assert.equal(String(new nn.MaxUnpool1d(2)), "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))");
  const x = arange(16, { dtype: "float64" }).reshape([1, 1, 4, 4]);
  const { values, indices } = maxPool2dWithIndices(x, 2);
  // torch: max_unpool2d(max_pool2d(arange(16)) ...) keeps 5, 7, 13, 15 in place
  assert.deepEqual(Array.from(F.maxUnpool2d(values, indices, 2).data()), [0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 13, 0, 15]);
  assert.deepEqual(F.maxUnpool2d(values, indices, 2, 2, 0, [1, 1, 4, 4]).shape, [1, 1, 4, 4]);
  throwsWith(() => F.maxUnpool2d(values, indices.mul(9), 2), "maxUnpool2d: index 45 is out of range for an output of 4x4 (indices from maxPool2dWithIndices of the same kernel, stride and padding)");
  throwsWith(() => F.maxUnpool2d(values, indices, 2, { outputSize: [6, 6] }), "maxUnpool2d: invalid outputSize [6,6] (dim 0 must be between 2 and 6, exclusive)");
  throwsWith(() => F.maxUnpool2d(values, indices, 2, { outputSize: [4] }), "maxUnpool2d: outputSize must hold 2 or 4 integers, got an array of length 1");
  throwsWith(() => F.maxUnpool2d(values, indices.float(), 2), "maxUnpool2d: indices must be an int64 tensor (from maxPool2dWithIndices), got float32");
  throwsWith(() => F.maxUnpool2d(values, indices.reshape([1, 4]), 2), "maxUnpool2d: indices [1,4] must have the shape of input [1,1,2,2]");
  throwsWith(() => F.maxUnpool2d(values.reshape([4]), indices.reshape([4]), 2), "maxUnpool2d: expected input [N, C, H, W] or [C, H, W], got [4]");
  throwsWith(() => F.maxUnpool1d(values.reshape([1, 4]), indices.reshape([1, 4]), 0), "maxUnpool1d: kernelSize must be an integer >= 1 or 1 of them, got number 0");
  throwsWith(() => new nn.MaxUnpool2d(2, { strid: 2 } as never), /^MaxUnpool2d: unknown option 'strid'/);
});

test("nn.functional.maxPool2dWithIndices and nativeChannelShuffle: PyTorch's F names", () => {
  const x = arange(16, { dtype: "float64" }).reshape([1, 1, 4, 4]);
  const { values, indices } = F.maxPool2dWithIndices(x, 2);
  assert.deepEqual(values.tolist(), [[[[5, 7], [13, 15]]]]);
  assert.deepEqual(Array.from(indices.data()), [5, 7, 13, 15]);
  assert.deepEqual(F.nativeChannelShuffle(x.reshape([1, 4, 2, 2]), 2).tolist(), F.channelShuffle(x.reshape([1, 4, 2, 2]), 2).tolist());
  throwsWith(() => F.maxPool2dWithIndices(x, 2, { strid: 1 } as never), /^maxPool2dWithIndices: unknown option 'strid'/);
});
