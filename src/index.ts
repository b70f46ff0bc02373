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
