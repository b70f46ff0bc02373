/** Transforms: augmentation (geometric, photometric) and preprocessing (ToTensor, Normalize). */
export * from "./transform.js";
export * from "./sample.js";
export * from "./tensor.js";
export * from "./geometric.js";
export * from "./photometric.js";
export * as functional from "./functional.js";
