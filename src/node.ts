/**
 * The Node.js-only part of deeptype (`import { saveWeights } from "deeptype/node"`): files,
 * atomic saves and checkpoints, and the MNIST training job behind `npm start`.
 *
 * The file functions are exported through the public entry layer with a spec of their parameters
 * (guardSpecs, src/tensor/arg-spec.ts): a wrong argument is an Error naming the function, the
 * parameter, what it takes and what it got, never a TypeError from inside. The training job checks
 * its config against a schema itself.
 */
import { A, argKind, guardSpecs, optional, or } from "./tensor/arg-spec.js";
import * as filesModule from "./io/files.js";
import * as checkpointModule from "./io/checkpoint.js";
import * as onnxFileModule from "./io/onnx/file.js";
import * as torchExportModule from "./io/torch/export.js";
import * as shardedModule from "./io/sharded.js";

const records = argKind<object>("an object of tensor records by name ({ dtype, shape, data } each)", (v) => A.object.test(v));
const metadata = optional(argKind<object>("an object of strings ({ epoch: \"3\" })", (v) => A.object.test(v)));
export const { atomicWriteFile, saveSafetensors, loadSafetensors } = guardSpecs(filesModule, "", {
  atomicWriteFile: [["file", A.path], ["data", or(A.bytes, A.string, "a Uint8Array or a string")]],
  saveSafetensors: [["file", A.path], ["tensors", records], ["metadata", metadata], ["opts", A.options]],
  loadSafetensors: [["file", A.path], ["opts", A.options]],
});
export type { SaveWeightsOptions } from "./io/checkpoint.js";
export const { saveWeights, loadWeights, saveCheckpoint, loadCheckpoint, toRecord, fromRecord, loadPytorch } = guardSpecs(checkpointModule, "", {
  saveWeights: [["file", A.path], ["stateDict", A.stateDict], ["metadata", metadata], ["opts", A.options]],
  loadWeights: [["file", A.path]],
  saveCheckpoint: [["file", A.path], ["state", argKind<object>("an object like { epoch, model: model.stateDict() }", (v) => A.object.test(v))]],
  loadCheckpoint: [["file", A.path], ["opts", A.options]],
  toRecord: [["t", A.tensor]],
  fromRecord: [["r", argKind<object>("a tensor record { dtype, shape, data }", (v) => A.object.test(v))]],
  loadPytorch: [["file", A.path], ["opts", A.options]],
});
export const { exportOnnx } = guardSpecs(onnxFileModule, "", {
  exportOnnx: [["model", A.module], ["exampleInputs", A.tensors], ["file", A.path], ["opts", A.options]],
});
export const { exportPytorch } = guardSpecs(torchExportModule, "", {
  exportPytorch: [["model", A.module], ["dir", A.path], ["opts", A.options]],
  pytorchModuleSource: [["module", A.module], ["where", optional(A.string)], ["indent", optional(A.string)]],
});
export type { ShardOptions } from "./io/sharded.js";
export const { loadShardedSafetensors, saveShardedSafetensors } = guardSpecs(shardedModule, "", {
  loadShardedSafetensors: [["indexFile", A.path]],
  saveShardedSafetensors: [["file", A.path], ["tensors", records], ["metadata", metadata], ["opts", A.options]],
});
export { trainMnist, evaluateRun, defaultConfig, type TrainConfig, type TrainOptions, type TrainResult, type EpochMetrics } from "./train/mnist.js";
