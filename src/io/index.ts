/**
 * Reading and writing weights and checkpoints. The safetensors codec works anywhere; the file
 * helpers (atomic saves, checkpoints) use node:fs and are exported from "deeptype/node".
 */
export { serializeSafetensors, parseSafetensors, type TensorRecord, type ParsedSafetensors, type SafetensorsDType, type SafetensorsReadOptions } from "./safetensors.js";
