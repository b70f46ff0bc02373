/** Finite-difference gradient checking, as PyTorch's torch.autograd.gradcheck. */
import { declareOptions, optionKeys } from "../tensor/check.js";
import { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import { grad } from "./engine.js";
import { cat } from "../ops/join.js";

export interface GradcheckOptions {
  /** Finite-difference step (PyTorch's default 1e-6). */
  eps?: number;
  atol?: number;
  rtol?: number;
}

/**
 * `gradcheck((a, b) => a.mul(b).sum(), [a, b])`: compares the analytical gradient of fn with central
 * differences, for every input that requires grad. Inputs should be float64. Throws an Error that
 * names the input and element on mismatch; returns true otherwise.
 *
 * Non-scalar outputs are reduced with fixed random weights, so every output element is checked.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): true {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const diffable = inputs.filter((t) => t.requiresGrad);
  if (diffable.length === 0) throw new Error("gradcheck: no input requires grad");
  for (const t of diffable) {
    if (t.dtype !== "float64") throw new Error(`gradcheck: inputs should be float64 for accurate differences, got ${t.dtype} (shape ${fmt(t.shape)})`);
  }
  // fn runs with grad mode as the caller has it (not inside noGrad), so that fn may itself call
  // grad(..., {createGraph: true}): gradcheck of a gradient is the second-order check.
  const probe = fn(...inputs);
  const weights = Tensor.empty(probe.shape, "float64");
  const w = weights.storage.data as Float64Array;
  for (let i = 0; i < w.length; i++) w[i] = 0.5 + ((i * 7919) % 13) / 13; // fixed, non-uniform, no zeros
  const scalarOf = (): number => {
    const out = fn(...inputs);
    if (out.dtype !== "float64") throw new Error(`gradcheck: fn returned ${out.dtype}; it must return float64 when given float64 inputs`);
    const o = out.data();
    let s = 0;
    for (let i = 0; i < o.length; i++) s += o[i] * w[i];
    return s;
  };
  const out = fn(...inputs);
  const analytical = grad([out], diffable, { gradOutputs: [weights.reshape(out.shape)], allowUnused: true });
  diffable.forEach((t, k) => {
    const an = analytical[k]?.data() ?? new Float64Array(t.numel());
    // Perturb the storage element behind each logical element (works for views too).
    const idx = elementOffsets(t);
    const data = t.storage.data as Float64Array; // gradcheck runs on float64 inputs
    for (let i = 0; i < idx.length; i++) {
      const orig = data[idx[i]];
      data[idx[i]] = orig + eps;
      const fp = scalarOf();
      data[idx[i]] = orig - eps;
      const fm = scalarOf();
      data[idx[i]] = orig;
      const num = (fp - fm) / (2 * eps);
      if (!(Math.abs(num - an[i]) <= atol + rtol * Math.abs(num))) {
        throw new Error(
          `gradcheck: input ${inputs.indexOf(t)} (shape ${fmt(t.shape)}), element ${i}: analytical gradient ${an[i]} ` +
            `differs from numerical ${num} (atol ${atol}, rtol ${rtol})`,
        );
      }
    }
  });
  return true;
}

function elementOffsets(t: Tensor): number[] {
  const out: number[] = [];
  const idx = new Array<number>(t.ndim).fill(0);
  for (let i = 0; i < t.numel(); i++) {
    out.push(idx.reduce((a, v, d) => a + v * t.strides[d], t.offset));
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export interface GradgradcheckOptions extends GradcheckOptions {
  /** The gradient of fn's output to differentiate through (default: fixed non-uniform float64 values). */
  gradOutputs?: Tensor;
}

/**
 * `gradgradcheck(fn, inputs)`: the second-order check of PyTorch's torch.autograd.gradgradcheck.
 * Checks, by central differences, the gradient of `grad(fn(inputs), inputs, gradOutputs)` with
 * respect to both the inputs and `gradOutputs`, so a backward rule that is itself differentiated
 * (double backward, higher-order terms) is verified.
 *
 * @example gradgradcheck((x) => x.tanh(), [randn([3], { dtype: "float64", requiresGrad: true })]);
 */
export function gradgradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradgradcheckOptions = {}): true {
  const diffable = inputs.filter((t) => t.requiresGrad);
  if (diffable.length === 0) throw new Error("gradgradcheck: no input requires grad");
  const probe = fn(...inputs);
  let go = opts.gradOutputs;
  if (go === undefined) {
    go = Tensor.empty(probe.shape, "float64");
    const d = go.storage.data;
    for (let i = 0; i < d.length; i++) d[i] = ((i * 4099) % 11) / 11 - 0.45; // fixed, signed, no zeros
    go.requiresGrad = true;
  } else if (go.shape.length !== probe.shape.length || go.shape.some((s, i) => s !== probe.shape[i])) {
    throw new Error(`gradgradcheck: gradOutputs has shape ${fmt(go.shape)} but fn returns shape ${fmt(probe.shape)}`);
  }
  const n = inputs.length;
  const firstOrder = (...args: Tensor[]): Tensor => {
    const ins = args.slice(0, n);
    const g = args[n];
    const gs = grad([fn(...ins)], ins.filter((t) => t.requiresGrad), { gradOutputs: [g], createGraph: true, allowUnused: true });
    const parts = gs.filter((t): t is Tensor => t !== null).map((t) => t.reshape([-1]));
    if (parts.length === 0) throw new Error("gradgradcheck: fn's output does not depend on any input that requires grad");
    return parts.length === 1 ? parts[0] : cat(parts, 0);
  };
  return gradcheck(firstOrder, [...inputs, go], opts);
}

// The entry layer (tensor/guard.ts) rejects any other key of these functions' options objects.
declareOptions({
  gradcheck: optionKeys<GradcheckOptions>()({ eps: true, atol: true, rtol: true }),
  gradgradcheck: optionKeys<GradgradcheckOptions>()({ eps: true, atol: true, rtol: true, gradOutputs: true }),
});
