/**
 * deeptype: deep learning for TypeScript.
 *
 * ```ts
 * import { tensor, randn, nn, optim, data } from "deeptype";
 * ```
 */
export * from "./core.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as data from "./data/index.js";
export * as io from "./io/index.js";
export * as utils from "./utils/index.js";
export * as models from "./models/index.js";
export * as distributions from "./distributions/index.js";
