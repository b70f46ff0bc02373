/**
 * deeptype: deep learning for TypeScript.
 *
 * ```ts
 * import { tensor, randn, nn, optim, data } from "deeptype";
 * ```
 */
export * from "./core.js";
export * as data from "./data/index.js";
