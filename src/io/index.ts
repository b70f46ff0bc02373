/**
 * Reading and writing weights and checkpoints. The safetensors codec works anywhere; the file
 * helpers (atomic saves, checkpoints) use node:fs and are exported from "deeptype/node".
 *
 * The functions are exported through the public entry layer with a spec of their parameters
 * (guardSpecs, src/tensor/arg-spec.ts): a wrong argument is an Error naming `io.<function>`, the
 * parameter, what it takes and what it got.
 */
import { A, argKind, guardSpecs, optional, or } from "../tensor/arg-spec.js";
import * as safetensorsModule from "./safetensors.js";
import * as dtypesModule from "./dtypes.js";
import * as keysModule from "./keys.js";
import * as pytorchModule from "./pytorch.js";
import * as pickleModule from "./pickle.js";
import * as onnxExportModule from "./onnx/export.js";
import * as onnxSchemaModule from "./onnx/schema.js";
import * as describeModule from "./torch/describe.js";

export type { TensorRecord, ParsedSafetensors, SafetensorsDType, SerializeOptions, SafetensorsReadOptions } from "./safetensors.js";
/** `{ name: { dtype, shape, data } }`, what serializeSafetensors writes (each record is checked inside). */
const records = argKind<object>("an object of tensor records by name ({ dtype, shape, data } each)", (v) => A.object.test(v));
const metadata = optional(argKind<object>("an object of strings ({ epoch: \"3\" })", (v) => A.object.test(v)));
export const { serializeSafetensors, parseSafetensors } = guardSpecs(safetensorsModule, "io", {
  serializeSafetensors: [["tensors", records], ["metadata", metadata], ["opts", A.options]],
  parseSafetensors: [["bytes", A.bytes], ["source", optional(A.string)], ["opts", A.options]],
});
export type { FileDType } from "./dtypes.js";
export const { floatToHalfBits, floatToBFloat16Bits } = guardSpecs(dtypesModule, "io", {
  floatToHalfBits: [["v", A.number]],
  floatToBFloat16Bits: [["v", A.number]],
});
export type { KeyRenamer } from "./keys.js";
export const { renameKeys } = guardSpecs(keysModule, "io", {
  renameKeys: [["stateDict", A.stateDict], ["renamer", or(A.object, A.function, "a { prefix: replacement } object or a function (key) => newKey | null")]],
});
export type { PytorchReadOptions } from "./pytorch.js";
export const { parsePytorch } = guardSpecs(pytorchModule, "io", {
  parsePytorch: [["bytes", A.bytes], ["source", optional(A.string)], ["opts", A.options]],
});
export { PyDict, type UnpickleOptions } from "./pickle.js";
export const { unpickle } = guardSpecs(pickleModule, "io", {
  unpickle: [["bytes", A.bytes], ["opts", argKind<object>("options { globals: { \"module.name\": fn } }", (v) => A.object.test(v))]],
});
export type { OnnxExportOptions, TraceableModule } from "./onnx/export.js";
export const { toOnnxBytes, buildOnnxModel } = guardSpecs(onnxExportModule, "io", {
  toOnnxBytes: [["model", A.module], ["exampleInputs", A.tensors], ["opts", A.options]],
  buildOnnxModel: [["model", A.module], ["exampleInputs", A.tensors], ["opts", A.options]],
});
export const { decodeOnnxModel } = guardSpecs(onnxSchemaModule, "io", { decodeOnnxModel: [["bytes", A.bytes]] });
export type { DescribableModule } from "./torch/describe.js";
export const { pytorchModuleSource } = guardSpecs(describeModule, "io", {
  pytorchModuleSource: [["module", A.module], ["where", optional(A.string)], ["indent", optional(A.string)]],
});
export type { PytorchExportOptions } from "./torch/export.js";
