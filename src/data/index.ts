/**
 * deeptype's data pipeline: datasets, samplers, DataLoader, randomSplit, transforms and built-in
 * datasets. `import { data } from "deeptype"; new data.DataLoader(dataset, { batchSize: 32 })`.
 */
export { type Dataset, type ItemOf, type RawItemOf, type MapResult, checkIndex, BaseDataset, MapDataset, mapDataset, TensorDataset, type TensorRow, Subset, ConcatDataset } from "./dataset.js";
export { type Sampler, type RandomSamplerOptions, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler.js";
export * from "./collate.js";
export { type RandomSplitOptions, randomSplit } from "./split.js";
export * from "./dataloader.js";
export * from "./transforms/index.js";
export * from "./datasets/index.js";
export { type ColorMode, type DecodeOptions, decodeImage, imageFormat, loadDecoders, encodePng, encodeJpeg } from "./image/decode.js";
export * from "./image/pool.js";
