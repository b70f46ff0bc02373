/**
 * The Node.js-only part of deeptype (`import { saveWeights } from "deeptype/node"`): files,
 * atomic saves and checkpoints, and the MNIST training job behind `npm start`.
 *
 * The file functions are exported through the public entry layer (guardAll, src/tensor/check.ts): a
 * wrong argument is an Error naming the function, what it got and its parameters, never a TypeError
 * from inside. The training job checks its config against a schema itself.
 */
import { guardAll } from "./tensor/check.js";
import * as filesModule from "./io/files.js";
import * as checkpointModule from "./io/checkpoint.js";
import * as onnxFileModule from "./io/onnx/file.js";
import * as torchExportModule from "./io/torch/export.js";
import * as shardedModule from "./io/sharded.js";

export const { atomicWriteFile, saveSafetensors, loadSafetensors } = guardAll(filesModule, "", "all");
export type { SaveWeightsOptions } from "./io/checkpoint.js";
export const { saveWeights, loadWeights, saveCheckpoint, loadCheckpoint, toRecord, fromRecord, loadPytorch } = guardAll(checkpointModule, "", "all");
export const { exportOnnx } = guardAll(onnxFileModule, "", "all");
export const { exportPytorch } = guardAll(torchExportModule, "", "all");
export type { ShardOptions } from "./io/sharded.js";
export const { loadShardedSafetensors, saveShardedSafetensors } = guardAll(shardedModule, "", "all");
export { trainMnist, evaluateRun, defaultConfig, type TrainConfig, type TrainOptions, type TrainResult, type EpochMetrics } from "./train/mnist.js";
