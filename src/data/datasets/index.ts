/** Built-in datasets. */
export * from "./mnist.js";
export * from "./synthetic.js";
export * from "./idx.js";
export * from "./image-folder.js";
