// Session 12 (helper ops): logspace(start, end, steps, base = 10, { dtype }) as torch.logspace, computed
// as PyTorch 1.13's CPU kernel does so float32 is bit-identical (checked here on bits; on ~240k random
// elements while writing it, float32 and bfloat16 all equal, float64 within 1 ulp: Math.pow vs glibc pow).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const bits = (t: dt.Tensor): string[] => [...new Uint32Array(new Float32Array(t.tolist() as number[]).buffer)].map((b) => `0x${b.toString(16)}`);

test("logspace: float32 bits as torch.logspace", () => {
  // torch.logspace(-3.3, 4.7, 7).view(torch.int32)
  assert.deepEqual(bits(dt.logspace(-3.3, 4.7, 7)), ["0x3a03621c", "0x3c30e90f", "0x3e6e36b3", "0x40a0613d", "0x42d7f477", "0x451164dd", "0x4743c6b4"]);
  // torch.logspace(0, 1, 5, base=math.e)
  assert.deepEqual(bits(dt.logspace(0, 1, 5, Math.E)), ["0x3f800000", "0x3fa45af2", "0x3fd3094c", "0x40077cee", "0x402df854"]);
  // torch.logspace(1.1, -2.2, 9, base=0.5) (options form)
  assert.deepEqual(bits(dt.logspace(1.1, -2.2, 9, { base: 0.5 })),
    ["0x3eeedb40", "0x3f1ef532", "0x3f539240", "0x3f8cccb7", "0x3fbb6729", "0x3ff96e78", "0x4025fed7", "0x405cf037", "0x4093088d"]);
  // torch.logspace(0.1, 0.7, 300)[::37]
  const idx = dt.arange(0, 300, 37);
  assert.deepEqual(bits(dt.logspace(0.1, 0.7, 300).indexSelect(0, idx)),
    ["0x3fa12478", "0x3fbf2fc5", "0x3fe2d513", "0x40068fdf", "0x401fa67f", "0x403d6a95", "0x4060bb64", "0x408550e8", "0x409e2c0f"]);
});

test("logspace: dtypes, steps 0 and 1, infinities as torch.logspace", () => {
  // torch.logspace(0, 3, 4) = [1, 10, 100, 1000] float32
  const a = dt.logspace(0, 3, 4);
  assert.equal(a.dtype, "float32");
  assert.deepEqual(a.tolist(), [1, 10, 100, 1000]);
  // torch.logspace(0.3, 2.9, 6, dtype=torch.float64), within 1 ulp (V8's Math.pow is not glibc's pow:
  // the last element is 794.3282347242814 here, ...813 in torch)
  const want = [1.9952623149688795, 6.606934480075961, 21.87761623949553, 72.44359600749898, 239.88329190194898, 794.3282347242813];
  (dt.logspace(0.3, 2.9, 6, { dtype: "float64" }).tolist() as number[]).forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 2.3e-16 * want[k], `${k}: ${v}`));
  // torch.logspace(-1, 1, 5, base=2, dtype=torch.bfloat16) = [0.5, 0.70703125, 1, 1.4140625, 2]
  assert.deepEqual(dt.logspace(-1, 1, 5, 2, { dtype: "bfloat16" }).float().tolist(), [0.5, 0.70703125, 1, 1.4140625, 2]);
  // float16: PyTorch 1.13's CPU has no kernel ("logspace_cpu" not implemented for 'Half'); computed as
  // its bfloat16 path: torch.logspace(-1, 1, 5, base=2, dtype=torch.float32).half() = [0.5, 0.70703125, 1, 1.4140625, 2]
  const h = dt.logspace(-1, 1, 5, 2, { dtype: "float16" });
  assert.equal(h.dtype, "float16");
  assert.deepEqual(h.float().tolist(), [0.5, 0.70703125, 1, 1.4140625, 2]);
  // Integer dtypes: start and end as integers, each power truncated.
  // torch.logspace(-2, 2, 5, base=2, dtype=torch.int64) = [0, 0, 1, 2, 4]; (0.5, 2.5, 3) int64 = [1, 10, 100]
  const i = dt.logspace(-2, 2, 5, 2, { dtype: "int64" });
  assert.equal(i.dtype, "int64");
  assert.deepEqual(i.tolist(), [0, 0, 1, 2, 4]);
  assert.deepEqual(dt.logspace(0.5, 2.5, 3, { dtype: "int64" }).tolist(), [1, 10, 100]);
  // torch.logspace(0, 3, 4, dtype=torch.uint8) = [1, 10, 100, 232]
  assert.deepEqual(dt.logspace(0, 3, 4, { dtype: "uint8" }).tolist(), [1, 10, 100, 232]);
  // steps 0: empty; steps 1: base ** start in double: torch.logspace(2, 3, 1) = [100]; (2.5, 3, 1) int64 = [316]
  assert.deepEqual(dt.logspace(0, 1, 0).shape, [0]);
  assert.deepEqual(dt.logspace(2, 3, 1).tolist(), [100]);
  assert.deepEqual(dt.logspace(2.5, 3, 1, { dtype: "int64" }).tolist(), [316]);
  // torch.logspace(0, 400, 3) = [1, inf, inf]; torch.logspace(0, 1, 5, base=-2) = [1, nan, nan, nan, -2]
  assert.deepEqual(dt.logspace(0, 400, 3).tolist(), [1, Infinity, Infinity]);
  assert.deepEqual(dt.logspace(0, 1, 5, -2).tolist(), [1, NaN, NaN, NaN, -2]);
  assert.equal(dt.logspace(0, 1, 3, { requiresGrad: true }).requiresGrad, true);
});

test("logspace: bad input gets an error naming logspace", () => {
  // torch: "number of steps must be non-negative"; "argument 'steps' must be int, not float"
  throwsWith(() => dt.logspace(0, 1, -1), "logspace: steps must be an integer >= 0, got number -1");
  throwsWith(() => dt.logspace(0, 1, 2.5), "logspace: steps must be an integer >= 0, got number 2.5");
  // torch: "logspace_cpu" not implemented for 'Bool'
  throwsWith(() => dt.logspace(0, 1, 3, { dtype: "bool" }), /^logspace: dtype bool is not supported/);
  // torch.logspace(3, 3, 1, dtype=torch.uint8): "value cannot be converted to type uint8_t without overflow"
  throwsWith(() => dt.logspace(3, 3, 1, { dtype: "uint8" }), /^logspace: value 1000 cannot be converted to uint8 without overflow/);
  throwsWith(() => dt.logspace(0, 1, 3, { bse: 2 } as never), "logspace: unknown option 'bse'; did you mean 'base'? (it takes base, dtype, requiresGrad)");
  throwsWith(() => dt.logspace(0, 1, 3, "2" as never), 'logspace: base must be a number, got string "2"');
  throwsWith(() => dt.logspace("0" as never, 1, 3), 'logspace: start must be a number, got string "0"');
  throwsWith(() => dt.logspace(0, 1, { steps: 3 } as never), "logspace: steps is a required parameter, given positionally (not in the options object); write logspace(0, 1, 3)");
});
