// distributions.transforms: every transform, as torch.distributions.transforms.
export * from "./transforms.js";
export * from "./transforms-cat.js";
