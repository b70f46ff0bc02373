/**
 * deeptype: deep learning for TypeScript.
 *
 * ```ts
 * import { tensor, randn, nn, optim, data } from "deeptype";
 * ```
 */
export * from "./core.js";
export * as nn from "./nn/index.js";
