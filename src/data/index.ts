/**
 * deeptype's data pipeline: datasets, samplers, DataLoader, randomSplit, transforms and built-in
 * datasets. `import { data } from "deeptype"; new data.DataLoader({ dataset, batchSize: 32 })`.
 */
export * from "./dataset.js";
export * from "./sampler.js";
export * from "./collate.js";
export * from "./split.js";
export * from "./dataloader.js";
export * from "./transforms/index.js";
export * from "./datasets/index.js";
export * from "./image/decode.js";
export * from "./image/pool.js";
