/**
 * deeptype's data pipeline: datasets, samplers, DataLoader, randomSplit, transforms and built-in
 * datasets. `import { data } from "deeptype"; new data.DataLoader(dataset, { batchSize: 32 })`.
 *
 * The functions are exported through the public entry layer with a spec of their parameters
 * (guardSpecs, src/tensor/arg-spec.ts): a wrong argument from a JavaScript caller is an Error naming
 * `data.<function>`, the parameter, what it takes and what it got, never a TypeError from inside.
 * Classes check their own arguments.
 */
import { A, argKind, guardSpecs, oneOf, optional } from "../tensor/arg-spec.js";
import * as datasetModule from "./dataset.js";
import * as collateModule from "./collate.js";
import * as splitModule from "./split.js";
import * as transformsModule from "./transforms/index.js";
import * as datasetsModule from "./datasets/index.js";
import * as decodeModule from "./image/decode.js";
import * as transformsFunctional from "./transforms/functional.js";

export { type Dataset, type ItemOf, type RawItemOf, type MapResult, BaseDataset, MapDataset, TensorDataset, type TensorRow, Subset, ConcatDataset } from "./dataset.js";
export const { checkIndex, mapDataset } = guardSpecs(datasetModule, "data", {
  checkIndex: [["index", A.int], ["length", argKind("the dataset's length (a number)", (v) => typeof v === "number")], ["name", A.string]],
  mapDataset: [["dataset", A.dataset], ["fn", argKind("a function (item, index) => newItem", (v) => typeof v === "function")]],
});
export { type Sampler, type RandomSamplerOptions, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler } from "./sampler.js";
export type * from "./collate.js";
export const { defaultCollate } = guardSpecs(collateModule, "data", {
  defaultCollate: [["samples", argKind("an array of samples (tensors, numbers, arrays or objects of them)", Array.isArray)], ["indices", optional(A.ints)]],
});
export type { RandomSplitOptions } from "./split.js";
export const { randomSplit } = guardSpecs(splitModule, "data", {
  randomSplit: [["dataset", A.dataset], ["lengths", argKind("an array of sizes or fractions like [0.8, 0.2]", (v) => A.numbers.test(v))], ["opts", A.options]],
});
export * from "./dataloader.js";
// The classes and types of transforms and datasets come through `export *`; their functions are
// the guarded ones below (a local export takes precedence over a star export of the same name).
export * from "./transforms/index.js";
const transformLike = argKind<object>("a transform (an object with apply(x), or a function x => y)", (v) => typeof v === "function" || (v !== null && typeof v === "object" && typeof (v as { apply?: unknown }).apply === "function"));
// imageOf's sample is judged by imageOf itself: its error names the calling transform (op).
export const { runTransform, imageOf, mapImage, mapSpatial, computeMeanStd, isRawImage } = guardSpecs(transformsModule, "data", {
  runTransform: [["t", transformLike], ["input", A.any]],
  imageOf: [["sample", A.any], ["op", argKind("the transform's name for messages (a string)", (v) => typeof v === "string")]],
  mapImage: [["sample", A.any], ["op", A.string], ["fn", argKind("a function (image) => Tensor", (v) => typeof v === "function")]],
  mapSpatial: [["sample", A.any], ["op", A.string], ["fn", argKind("a function (t, kind, field) => Tensor", (v) => typeof v === "function")]],
  computeMeanStd: [["dataset", A.dataset], ["opts", A.options]],
  isRawImage: [["v", A.any]],
});
/** The transforms' tensor-level functions (`data.functional.hflip(img)`), each taking an image tensor first. */
const mode = oneOf<transformsFunctional.Interpolation>("nearest", "bilinear");
const affine = argKind<readonly [number, number, number, number, number, number]>("an array of 6 numbers (a 2x3 affine matrix)", (v) => A.numbers.test(v) && (v as number[]).length === 6);
export const functional = guardSpecs(transformsFunctional, "data.functional", {
  hflip: [["t", A.tensor]],
  vflip: [["t", A.tensor]],
  crop: [["t", A.tensor], ["top", A.int], ["left", A.int], ["height", A.int], ["width", A.int], ["fill", optional(A.number)]],
  warp: [["t", A.tensor], ["outH", A.int], ["outW", A.int], ["m", affine], ["mode", mode], ["fill", optional(A.number)]],
  resizedCrop: [["t", A.tensor], ["top", A.int], ["left", A.int], ["height", A.int], ["width", A.int], ["outH", A.int], ["outW", A.int], ["mode", mode]],
  resize: [["t", A.tensor], ["outH", A.int], ["outW", A.int], ["mode", mode]],
  rotate: [["t", A.tensor], ["degrees", A.number], ["mode", mode], ["fill", optional(A.number)]],
  grayscale: [["t", A.tensor]],
});
export * from "./datasets/index.js";
export const { loadMnist, loadMnistSync, loadIdxFile, loadIdxImages, readIdx } = guardSpecs(datasetsModule, "data", {
  loadMnist: [],
  loadMnistSync: [],
  loadIdxFile: [["path", A.path], ["opts", A.options]],
  loadIdxImages: [["imagesPath", A.path], ["labelsPath", A.path], ["opts", A.options]],
  readIdx: [["input", A.bytesOrBuffer], ["source", optional(A.string)], ["opts", A.options]],
});
export type { ColorMode, DecodeOptions } from "./image/decode.js";
export const { decodeImage, imageFormat, loadDecoders, encodePng, encodeJpeg } = guardSpecs(decodeModule, "data", {
  decodeImage: [["bytes", A.bytes], ["opts", A.options]],
  imageFormat: [["bytes", A.bytes]],
  loadDecoders: [],
  encodePng: [["img", A.rawImage]],
  encodeJpeg: [["img", A.rawImage], ["quality", optional(A.number)]],
});
export * from "./image/pool.js";
