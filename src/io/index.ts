/**
 * Reading and writing weights and checkpoints. The safetensors codec works anywhere; the file
 * helpers (atomic saves, checkpoints) use node:fs and are exported from "deeptype/node".
 *
 * The functions are exported through the public entry layer (guardAll, src/tensor/check.ts): a
 * wrong argument is an Error naming `io.<function>`, what it got and its parameters.
 */
import { guardAll } from "../tensor/check.js";
import * as safetensorsModule from "./safetensors.js";
import * as dtypesModule from "./dtypes.js";
import * as keysModule from "./keys.js";
import * as pytorchModule from "./pytorch.js";
import * as pickleModule from "./pickle.js";
import * as onnxExportModule from "./onnx/export.js";
import * as onnxSchemaModule from "./onnx/schema.js";
import * as describeModule from "./torch/describe.js";

export type { TensorRecord, ParsedSafetensors, SafetensorsDType, SerializeOptions, SafetensorsReadOptions } from "./safetensors.js";
export const { serializeSafetensors, parseSafetensors } = guardAll(safetensorsModule, "io", "all");
export type { FileDType } from "./dtypes.js";
export const { floatToHalfBits, floatToBFloat16Bits } = guardAll(dtypesModule, "io", "all");
export type { KeyRenamer } from "./keys.js";
export const { renameKeys } = guardAll(keysModule, "io", "all");
export type { PytorchReadOptions } from "./pytorch.js";
export const { parsePytorch } = guardAll(pytorchModule, "io", "all");
export { PyDict, type UnpickleOptions } from "./pickle.js";
export const { unpickle } = guardAll(pickleModule, "io", "all");
export type { OnnxExportOptions, TraceableModule } from "./onnx/export.js";
export const { toOnnxBytes, buildOnnxModel } = guardAll(onnxExportModule, "io", "all");
export const { decodeOnnxModel } = guardAll(onnxSchemaModule, "io", "all");
export type { DescribableModule } from "./torch/describe.js";
export const { pytorchModuleSource } = guardAll(describeModule, "io", "all");
export type { PytorchExportOptions } from "./torch/export.js";
