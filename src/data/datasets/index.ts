/** Built-in datasets. */
export * from "./mnist.js";
