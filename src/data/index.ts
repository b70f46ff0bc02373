/**
 * deeptype's data pipeline: datasets, samplers, DataLoader, randomSplit, transforms and built-in
 * datasets. `import { data } from "deeptype"; new data.DataLoader(dataset, { batchSize: 32 })`.
 *
 * The functions are exported through the public entry layer (guardAll, src/tensor/check.ts), as the
 * ops are: a wrong argument from a JavaScript caller is an Error naming `data.<function>`, what it got
 * and its parameters, never a TypeError from inside. Classes check their own arguments.
 */
import { guardAll } from "../tensor/check.js";
import * as datasetModule from "./dataset.js";
import * as collateModule from "./collate.js";
import * as splitModule from "./split.js";
import * as transformsModule from "./transforms/index.js";
import * as datasetsModule from "./datasets/index.js";
import * as decodeModule from "./image/decode.js";
import * as transformsFunctional from "./transforms/functional.js";

export { type Dataset, type ItemOf, type RawItemOf, type MapResult, BaseDataset, MapDataset, TensorDataset, type TensorRow, Subset, ConcatDataset } from "./dataset.js";
export const { checkIndex, mapDataset } = guardAll(datasetModule, "data", "all");
export { type Sampler, type RandomSamplerOptions, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler.js";
export type * from "./collate.js";
export const { defaultCollate } = guardAll(collateModule, "data", "all");
export type { RandomSplitOptions } from "./split.js";
export const { randomSplit } = guardAll(splitModule, "data", "all");
export * from "./dataloader.js";
// The classes and types of transforms and datasets come through `export *`; their functions are
// the guarded ones below (a local export takes precedence over a star export of the same name).
export * from "./transforms/index.js";
export const { runTransform, imageOf, mapImage, mapSpatial, computeMeanStd, isRawImage } = guardAll(transformsModule, "data", "all");
/** The transforms' tensor-level functions (`data.functional.hflip(img)`), each taking an image tensor first. */
export const functional = guardAll(transformsFunctional, "data.functional");
export * from "./datasets/index.js";
export const { loadMnist, loadMnistSync, loadIdxFile, loadIdxImages, readIdx } = guardAll(datasetsModule, "data", "all");
export type { ColorMode, DecodeOptions } from "./image/decode.js";
export const { decodeImage, imageFormat, loadDecoders, encodePng, encodeJpeg } = guardAll(decodeModule, "data", "all");
export * from "./image/pool.js";
