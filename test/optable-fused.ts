/**
 * Op-table family: fused ops (src/ops/fused.ts), with PyTorch's values for the unfused composition
 * each must equal (scripts/fixtures/ops_fused.py -> test/fixtures/ops-fused.json).
 */
import { E, type OpEntry } from "./optable-entry.js";
import { conv2dRelu } from "../src/index.js";

export const FUSED_OPS: readonly OpEntry[] = [
  E("conv2dRelu", (x, w, b) => conv2dRelu(x, w, b, { padding: 1 })),
  E("conv2dRelu:pool", (x, w, b) => conv2dRelu(x, w, b, { padding: 1 }, { kernelSize: 2 })),
  E("conv2dRelu:poolWide", (x, w, b) => conv2dRelu(x, w, b, { padding: 1 }, { kernelSize: 2 })),
  E("conv2dRelu:poolOverlap", (x, w) => conv2dRelu(x, w, null, {}, { kernelSize: 3, stride: 2, padding: 1 })),
  E("conv2dRelu:stride", (x, w, b) => conv2dRelu(x, w, b, { stride: 2, padding: 1 })),
  E("conv2dRelu:groupsDilation", (x, w, b) => conv2dRelu(x, w, b, { groups: 2, dilation: 2, padding: 1 }, { kernelSize: 2, ceilMode: true })),
  E("conv2dRelu:winogradPool", (x, w, b) => conv2dRelu(x, w, b, { padding: 1 }, { kernelSize: 2 })),
  E("conv2dRelu:unbatched", (x, w) => conv2dRelu(x, w, null, { padding: 1 }, { kernelSize: 2 })),
];
