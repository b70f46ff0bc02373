/**
 * Weight initialisation, as PyTorch's `torch.nn.init`: every function fills a tensor in place
 * (under `noGrad`, so parameters can be initialised directly), returns it, and takes an optional
 * `generator` for reproducible streams.
 *
 * ```ts
 * nn.init.kaimingNormal_(conv.weight, { mode: "fanOut", nonlinearity: "relu" });
 * ```
 */
import { Tensor, noGrad, randn, tensor, type Generator } from "../core.js";
import { fmtShape } from "./module.js";
import { argError, checkNumber } from "../tensor/check.js";

/** Non-linearities `calculateGain` knows (PyTorch's names; camelCase spellings are accepted too). */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d" | "convTranspose1d" | "convTranspose2d" | "convTranspose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "leakyRelu" | "selu";

/**
 * `calculateGain("relu")` = √2: the factor that keeps activations' variance stable through a
 * non-linearity (tanh 5/3, leaky_relu √(2/(1+slope²)) with slope default 0.01, selu 3/4, else 1).
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d": case "sigmoid":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d":
    case "convTranspose1d": case "convTranspose2d": case "convTranspose3d":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": case "leakyRelu": {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new Error(`calculateGain: negative slope ${param} is not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity "${nonlinearity as string}" (use linear, conv2d, sigmoid, tanh, relu, leaky_relu or selu)`);
  }
}

/**
 * `calculateFanInAndFanOut(w)`: [fanIn, fanOut] = [size(1)·receptive field, size(0)·receptive field]
 * (for Linear [out,in]: [in, out]; for Conv2d [out,in,kH,kW]: [in·kH·kW, out·kH·kW]).
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out cannot be computed for a tensor of shape ${fmtShape(t.shape)}, which has fewer than 2 dims`);
  const rf = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * rf, t.shape[0] * rf];
}

/** Options shared by the random initialisers. */
export interface InitOptions {
  generator?: Generator;
}

/** Options of the Kaiming (He) initialisers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the following leaky ReLU (default 0). */
  a?: number;
  /** Preserve the variance of activations ("fanIn", default) or of gradients ("fanOut"). */
  mode?: "fanIn" | "fanOut";
  /** Default "leaky_relu", as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function fill(t: Tensor, op: string, f: () => void): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor`);
  noGrad(f);
  return t;
}

/** `uniform_(w, -0.1, 0.1)`: U(low, high). */
export function uniform_(t: Tensor, low = 0, high = 1, opts: InitOptions = {}): Tensor {
  checkNumber("init.uniform_", "low", low);
  checkNumber("init.uniform_", "high", high);
  if (!(low <= high)) throw new Error(`uniform_: low (${low}) must not exceed high (${high})`);
  return fill(t, "uniform_", () => t.uniform_(low, high, { generator: opts.generator }));
}

/** `normal_(w, 0, 0.02)`: N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  checkNumber("init.normal_", "mean", mean);
  if (!(std >= 0)) throw new Error(`normal_: std must be >= 0, got ${std}`);
  return fill(t, "normal_", () => t.normal_(mean, std, { generator: opts.generator }));
}

/** `constant_(b, 0.1)`: every element = value. */
export function constant_(t: Tensor, value: number): Tensor {
  if (typeof value !== "number" && typeof value !== "boolean") throw argError("init.constant_", "value", "a number", value);
  return fill(t, "constant_", () => t.fill_(value));
}

/** `zeros_(b)` */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** `ones_(w)` */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

function kaimingStd(t: Tensor, opts: KaimingOptions, op: string): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const mode = opts.mode ?? "fanIn";
  if (mode !== "fanIn" && mode !== "fanOut") throw new Error(`${op}: mode must be "fanIn" or "fanOut", got "${mode as string}"`);
  const fan = mode === "fanIn" ? fanIn : fanOut;
  return calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0) / Math.sqrt(fan);
}

/** `kaimingUniform_(w, {a: Math.sqrt(5)})`: U(−b, b) with b = gain·√(3/fan) (He et al. 2015). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.numel() === 0) return t; // as PyTorch's: nothing to draw (nn.Linear(0, n) is built this way)
  const bound = Math.sqrt(3) * kaimingStd(t, opts, "kaimingUniform_");
  return uniform_(t, -bound, bound, opts);
}

/** `kaimingNormal_(w, {mode: "fanOut", nonlinearity: "relu"})`: N(0, (gain/√fan)²). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.numel() === 0) return t;
  return normal_(t, 0, kaimingStd(t, opts, "kaimingNormal_"), opts);
}

/** `xavierUniform_(w)`: U(−b, b) with b = gain·√(6/(fanIn+fanOut)) (Glorot & Bengio 2010). */
export function xavierUniform_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, opts);
}

/** `xavierNormal_(w)`: N(0, gain²·2/(fanIn+fanOut)). */
export function xavierNormal_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), opts);
}

/**
 * `orthogonal_(w)`: a (semi-)orthogonal matrix times `gain`, from the QR decomposition of a
 * Gaussian matrix with R's diagonal made positive (Saxe et al. 2013). Dims after the first are
 * flattened, as PyTorch does.
 */
export function orthogonal_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  if (t.ndim < 2) throw new Error(`orthogonal_: only tensors with 2 or more dims are supported, got ${fmtShape(t.shape)}`);
  if (t.numel() === 0) return t; // as PyTorch's ([0, 3] divided by its 0 rows before)
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  const a = randn([rows, cols], { dtype: "float64", generator: opts.generator }).numbers() as Float64Array;
  // Work on the tall orientation (m >= n) so the columns can be orthonormal.
  const transposed = rows < cols;
  const m = transposed ? cols : rows, n = transposed ? rows : cols;
  const col = (j: number): Float64Array => {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = transposed ? a[j * cols + i] : a[i * cols + j];
    return v;
  };
  // Modified Gram-Schmidt: its R has a positive diagonal, which is exactly Q·sign(diag(R)) of any QR.
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = col(j);
    for (const qk of q) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += qk[i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= dot * qk[i];
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += v[i] * v[i];
    nrm = Math.sqrt(nrm);
    if (nrm === 0) throw new Error("orthogonal_: the random matrix is rank deficient; try another generator seed");
    for (let i = 0; i < m; i++) v[i] /= nrm;
    q.push(v);
  }
  const gain = opts.gain ?? 1;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (transposed ? q[r][c] : q[c][r]);
  return fill(t, "orthogonal_", () => t.copy_(tensor(out).reshape(t.shape)));
}
