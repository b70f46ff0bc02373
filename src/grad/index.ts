/**
 * Gradient and parameter utilities shared by `nn.utils` (PyTorch's torch.nn.utils path) and `optim`
 * (which re-exports the clipping functions): a layer above core and below both, since nn and optim do
 * not import each other.
 */
export { clipGradNorm_, clipGradValue_ } from "./clip.js";
export { parametersToVector, vectorToParameters } from "./vector.js";
