// What session 11's run 3 left in src/nn/functional.ts and is not equivalent
// (docs/mutation/session-11-nn.md lists both): shape checks whose other clause alone passed
// (a [2,1] statistic for 2 channels, a normalizedShape longer than the input or differing in one dim
// only, a non-integer group count that divides C), and the 2-D inputs of groupNorm and a layerNorm over
// every dim. Values are PyTorch 1.13's (float64):
//   F.group_norm(torch.tensor([[1.,2.,4.,8.],[0.,-1.,3.,3.]]), 2)
//   F.layer_norm(torch.tensor([[[1.,2.,4.],[0.,-1.,3.]],[[2.,0.,5.],[1.,1.,1.]]]), (2,2,3))
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, tensor, Tensor } from "../src/index.js";
import { throwsWith } from "./throws-with.js";
import { close, f64 } from "./float64-close.js";

const F = nn.functional;
const b = f64([[[1, 2, 4], [0, -1, 3]], [[2, 0, 5], [1, 1, 1]]]);

test("groupNorm of a 2-D [N, C] input and layerNorm over every dim, against PyTorch", () => {
  close(F.groupNorm(f64([[1, 2, 4, 8], [0, -1, 3, 3]]), 2), [-0.9999800005999799, 0.9999800005999799, -0.9999987500023437, 0.9999987500023437, 0.9999800005999799, -0.9999800005999799, 0.0, 0.0], 1e-12);
  close(F.layerNorm(b, [2, 2, 3]), [-0.3522075818005943, 0.25157684414328163, 1.4591456960310336, -0.9559920077444702, -1.5597764336883462, 0.8553612700871576, 0.25157684414328163, -0.9559920077444702, 2.0629301219749094, -0.3522075818005943, -0.3522075818005943, -0.3522075818005943], 1e-12);
});

test("functional shape checks where one clause alone passes: each message exact", () => {
  const cases: [() => unknown, string][] = [
    [() => F.batchNorm(b, f64([[1], [2]]), f64([1, 2])), "batchNorm: runningMean has shape [2,1], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.batchNorm(b, null, null, f64([[1, 2]]).reshape([2, 1])), "batchNorm: weight has shape [2,1], but the input [2,2,3] has 2 channels; expected [2]"],
    [() => F.layerNorm(f64([1, 2]), [2, 3]), "layerNorm: input [2] must end with normalizedShape [2,3]"],
    [() => F.layerNorm(b, [5, 3]), "layerNorm: input [2,2,3] must end with normalizedShape [5,3]"],
    [() => F.groupNorm(f64([[[1, 2], [3, 4], [5, 6]]]), 1.5), "groupNorm: numGroups (1.5) must divide the number of channels (3) of input [1,3,2]"],
    [() => F.groupNorm(f64([[[1, 2], [3, 4]]]), -1), "groupNorm: numGroups (-1) must divide the number of channels (2) of input [1,2,2]"],
  ];
  for (const [fn, msg] of cases) throwsWith(fn, msg);
  throwsWith(() => F.embedding(tensor([2], { dtype: "int64" }), f64([[1, 2], [3, 4]])), "embedding: index 2 is out of range for an embedding of 2 rows (valid ids are 0..1)", RangeError);
});
