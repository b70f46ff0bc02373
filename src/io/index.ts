/**
 * Reading and writing weights and checkpoints. The safetensors codec works anywhere; the file
 * helpers (atomic saves, checkpoints) use node:fs and are exported from "deeptype/node".
 */
export { serializeSafetensors, parseSafetensors, type TensorRecord, type ParsedSafetensors, type SafetensorsDType, type SerializeOptions, type SafetensorsReadOptions } from "./safetensors.js";
export { floatToHalfBits, floatToBFloat16Bits, type FileDType } from "./dtypes.js";
export { renameKeys, type KeyRenamer } from "./keys.js";
export { parsePytorch } from "./pytorch.js";
export { unpickle, PyDict, type UnpickleOptions } from "./pickle.js";
export { toOnnxBytes, buildOnnxModel, type OnnxExportOptions, type TraceableModule } from "./onnx/export.js";
export { decodeOnnxModel } from "./onnx/schema.js";
export { pytorchModuleSource, type DescribableModule } from "./torch/describe.js";
export type { PytorchExportOptions } from "./torch/export.js";
