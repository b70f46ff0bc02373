/**
 * The Node.js-only part of deeptype (`import { saveWeights } from "deeptype/node"`): files,
 * atomic saves and checkpoints, and the MNIST training job behind `npm start`.
 */
export { atomicWriteFile, saveSafetensors, loadSafetensors } from "./io/files.js";
export { saveWeights, loadWeights, saveCheckpoint, loadCheckpoint, toRecord, fromRecord, loadPytorch, type SaveWeightsOptions } from "./io/checkpoint.js";
export { exportOnnx } from "./io/onnx/file.js";
export { exportPytorch } from "./io/torch/export.js";
export { loadShardedSafetensors, saveShardedSafetensors, type ShardOptions } from "./io/sharded.js";
export { trainMnist, evaluateRun, defaultConfig, type TrainConfig, type TrainOptions, type TrainResult, type EpochMetrics } from "./train/mnist.js";
