/**
 * `autograd.functional`: Jacobians, Hessians and their products for a function of tensors, as
 * PyTorch 1.13's `torch.autograd.functional` (same argument rules, result nesting, zeros for unused
 * inputs, `strict` and `createGraph`). Everything is built on reverse mode (`grad`): jvp and hvp use
 * the double-backward trick, as PyTorch does, so they need backward rules written in Tensor ops
 * (all of deeptype's are).
 *
 * Result nesting follows PyTorch: a single input tensor gives a tensor, an array of inputs an array
 * (one per input); for jacobian and hessian an array of outputs adds an outer level.
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt, sameShape } from "../tensor/shape.js";
import { zeros, zerosLike } from "../tensor/creation.js";
import { castScalar, setElement } from "../tensor/dtype.js";
import { grad as autogradGrad } from "./engine.js";
import { isGradEnabled, withGradEnabled } from "./grad-mode.js";
import { detach, reshape, select, view } from "../ops/shape.js";
import { stack } from "../ops/join.js";

/** Inputs or outputs: one tensor, or an array of them. */
export type Tensors = Tensor | readonly Tensor[];

/** How inputs are declared on the functions below: `[]` in the constraint makes TypeScript infer `[x, y]` as a tuple. */
type InputsArg = Tensor | [] | readonly Tensor[];

/** The arguments `func` is called with: the single input, or the array's elements spread. */
export type FuncArgs<I extends Tensors> = I extends Tensor ? [Tensor] : { -readonly [K in keyof I]: Tensor };

/** One result per input: a tensor for a single input, an array for an array of inputs. */
export type PerInput<I extends Tensors> = I extends Tensor ? Tensor : Tensor[];

/** jacobian's result: per output (when func returns an array), then per input. */
export type JacobianOf<O extends Tensors, I extends Tensors> = O extends Tensor ? PerInput<I> : PerInput<I>[];

/** hessian's result: per input, then per input. */
export type HessianOf<I extends Tensors> = I extends Tensor ? Tensor : Tensor[][];

export interface FunctionalOptions {
  /** Make the results differentiable again (higher-order derivatives); otherwise they are detached. */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input, instead of returning zeros for it. */
  strict?: boolean;
}

export interface JacobianOptions extends FunctionalOptions {
  /**
   * PyTorch computes the rows in one vectorized pass when true; deeptype computes them one by one
   * either way, with the same results. Needed (as in PyTorch) for strategy "forward-mode".
   */
  vectorize?: boolean;
  /** "reverse-mode" (default: one backward per output element) or "forward-mode" (one jvp per input element). */
  strategy?: "reverse-mode" | "forward-mode";
}

export interface HessianOptions extends FunctionalOptions {
  vectorize?: boolean;
  outerJacobianStrategy?: "reverse-mode" | "forward-mode";
}

// ---------------------------------------------------------------- helpers (PyTorch's private ones)

function asTuple(op: string, what: string, v: unknown): [boolean, Tensor[]] {
  if (v instanceof Tensor) return [false, [v]];
  if (Array.isArray(v) && v.every((t) => t instanceof Tensor)) return [true, [...v]];
  const got = Array.isArray(v) ? "an array holding non-tensors" : v === null ? "null" : typeof v;
  throw new Error(`${op}: ${what} must be a Tensor or an array of tensors, got ${got}`);
}

/** Inputs the function is differentiated at: fresh leaves, or (createGraph) views that keep the caller's graph. */
function preprocess(ts: readonly Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return ts.map((t) => (createGraph && t.requiresGrad ? view(t, t.shape) : needGraph ? detach(t).requiresGrad_(true) : detach(t)));
}

function postprocess(ts: readonly (Tensor | null)[], createGraph: boolean): Tensor[] {
  return ts.map((t) => (createGraph ? t! : detach(t!)));
}

function checkRequiresGrad(op: string, ts: readonly (Tensor | null)[], what: string, strict: boolean): void {
  if (!strict) return;
  ts.forEach((t, i) => {
    if (t === null) throw new Error(`${op}: the ${what} ${i} is independent of the inputs (strict mode); pass {strict: false} to get zeros instead`);
    if (!t.requiresGrad) {
      throw new Error(`${op}: ${what} ${i} of the user-provided function does not require gradients (strict mode); it is independent of the inputs, pass {strict: false} to allow this`);
    }
  });
}

function validateV(op: string, v: readonly Tensor[], other: readonly Tensor[], what: string): void {
  if (v.length !== other.length) throw new Error(`${op}: v has ${v.length} tensor(s) but the ${what} ${other.length}; give one v per ${what.replace(/s$/, "")}`);
  v.forEach((t, i) => {
    if (!sameShape(t.shape, other[i].shape)) {
      throw new Error(`${op}: entry ${i} of v has shape ${fmt(t.shape)} but ${what} ${i} has shape ${fmt(other[i].shape)}; they must match`);
    }
  });
}

/** torch.autograd.grad over the outputs that require grad; null for every input when none does. */
function gradOf(outputs: readonly (Tensor | null)[], inputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[] | null, createGraph: boolean): (Tensor | null)[] {
  const outs: Tensor[] = [];
  const gos: (Tensor | undefined)[] = [];
  outputs.forEach((o, i) => {
    if (o !== null && o.requiresGrad) {
      outs.push(o);
      gos.push(gradOutputs?.[i] ?? undefined);
    }
  });
  if (outs.length === 0) return inputs.map(() => null);
  return autogradGrad(outs, inputs, { gradOutputs: gos, allowUnused: true, createGraph, retainGraph: true });
}

function fillInZeros(op: string, grads: readonly (Tensor | null)[], refs: readonly Tensor[], strict: boolean, stage: string): Tensor[] {
  return grads.map((g, i) => {
    if (g !== null) return g;
    if (strict) throw new Error(`${op}: ${stage} ${i} is independent of the inputs (strict mode); pass {strict: false} to get zeros`);
    return zerosLike(refs[i]);
  });
}

function untuple<T>(xs: T[], isTuple: boolean): T | T[] {
  return isTuple ? xs : xs[0];
}

function callFunc(op: string, func: (...args: Tensor[]) => unknown, inputs: Tensor[]): [boolean, Tensor[]] {
  if (typeof func !== "function") throw new Error(`${op}: func must be a function of the input tensors, got ${typeof func}`);
  return asTuple(op, "the outputs of the user-provided function", func(...inputs));
}

function checkOpts(op: string, opts: unknown): void {
  if (opts !== undefined && (typeof opts !== "object" || opts === null || opts instanceof Tensor || Array.isArray(opts))) {
    throw new Error(`${op}: the options must be an object like {createGraph: true}, got ${opts instanceof Tensor ? "a Tensor" : typeof opts}`);
  }
}

// ---------------------------------------------------------------- vjp / jvp

/**
 * Vector-Jacobian product: `[func(inputs), vᵀ·J]`. `v` matches the outputs; it may be left out only
 * when func returns a single one-element tensor.
 *
 * @example const [y, g] = autograd.functional.vjp((x) => x.pow(3), x, ones([3]));
 */
export function vjp<I extends InputsArg, O extends Tensors>(
  func: (...args: FuncArgs<I>) => O,
  inputs: I,
  v?: Tensors | null,
  opts: FunctionalOptions = {},
): [O extends Tensor ? Tensor : Tensor[], PerInput<I>] {
  const op = "autograd.functional.vjp";
  checkOpts(op, opts);
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  const outerGrad = isGradEnabled();
  const [isInTuple, ins0] = asTuple(op, "inputs", inputs);
  return withGradEnabled(true, () => {
    const ins = preprocess(ins0, createGraph, true);
    const [isOutTuple, outs] = callFunc(op, func as (...a: Tensor[]) => unknown, ins);
    checkRequiresGrad(op, outs, "output", strict);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = preprocess(asTuple(op, "v", v)[1], createGraph, false);
      validateV(op, vs, outs, "outputs");
    } else if (outs.length !== 1 || outs[0].numel() !== 1) {
      throw new Error(`${op}: v can be left out only if the function returns a single tensor with a single element; it returned ${outs.length} tensor(s), the first of shape ${fmt(outs[0].shape)}`);
    }
    const res = withGradEnabled(createGraph || outerGrad, () => fillInZeros(op, gradOf(outs, ins, vs, createGraph), ins, strict, "the gradient of input"));
    return [untuple(postprocess(outs, createGraph), isOutTuple), untuple(postprocess(res, createGraph), isInTuple)] as never;
  });
}

/**
 * Jacobian-vector product: `[func(inputs), J·v]`. `v` matches the inputs; it may be left out only
 * for a single one-element input. Computed by the double-backward trick, as PyTorch 1.13 does.
 *
 * @example const [y, t] = autograd.functional.jvp((x) => x.sin(), x, ones([3]));
 */
export function jvp<I extends InputsArg, O extends Tensors>(
  func: (...args: FuncArgs<I>) => O,
  inputs: I,
  v?: Tensors | null,
  opts: FunctionalOptions = {},
): [O extends Tensor ? Tensor : Tensor[], O extends Tensor ? Tensor : Tensor[]] {
  const op = "autograd.functional.jvp";
  checkOpts(op, opts);
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  const [isInTuple, ins0] = asTuple(op, "inputs", inputs);
  return withGradEnabled(true, () => {
    const ins = preprocess(ins0, createGraph, true);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = preprocess(asTuple(op, "v", v)[1], createGraph, false);
      validateV(op, vs, ins, isInTuple ? "inputs" : "input");
    } else if (ins.length !== 1 || ins[0].numel() !== 1) {
      throw new Error(`${op}: v can be left out only if the input is a single tensor with a single element; got ${ins.length} input(s), the first of shape ${fmt(ins[0].shape)}`);
    }
    const [isOutTuple, outs] = callFunc(op, func as (...a: Tensor[]) => unknown, ins);
    checkRequiresGrad(op, outs, "output", strict);
    // The backward is linear in its incoming gradient, so the value of these does not matter, only
    // that the gradients of the inputs depend on them: differentiating again in them gives J·v.
    const gradOutputs = outs.map((o) => zerosLike(o).requiresGrad_(true));
    const gradInputs = gradOf(outs, ins, gradOutputs, true);
    checkRequiresGrad(op, gradInputs, "gradient of input", strict);
    const res = withGradEnabled(createGraph || isGradEnabled(), () =>
      fillInZeros(op, gradOf(gradInputs, gradOutputs, vs, createGraph), outs, strict, "the output"),
    );
    return [untuple(postprocess(outs, createGraph), isOutTuple), untuple(postprocess(res, createGraph), isOutTuple)] as never;
  });
}

// ---------------------------------------------------------------- jacobian / hessian

/**
 * The Jacobian of func at inputs: for output i and input j a tensor of shape
 * `[...output_i.shape, ...input_j.shape]` (nested as PyTorch: a tensor for one input and one output).
 *
 * @example autograd.functional.jacobian((x) => x.exp(), tensor([1, 2])); // diag(e, e²)
 */
export function jacobian<I extends InputsArg, O extends Tensors>(func: (...args: FuncArgs<I>) => O, inputs: I, opts: JacobianOptions = {}): JacobianOf<O, I> {
  const op = "autograd.functional.jacobian";
  checkOpts(op, opts);
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  const strategy = checkStrategy(op, "strategy", opts.strategy, opts.vectorize);
  if (strict && opts.vectorize) throw new Error(`${op}: {strict: true} and {vectorize: true} are not supported together; set strict to false or vectorize to false`);
  const [isInTuple, ins0] = asTuple(op, "inputs", inputs);
  const rows = withGradEnabled(true, () => {
    const ins = preprocess(ins0, createGraph, true);
    const [isOutTuple, outs] = callFunc(op, func as (...a: Tensor[]) => unknown, ins);
    checkRequiresGrad(op, outs, "output", strict);
    const jac = strategy === "forward-mode" ? forwardJacobian(func as (...a: Tensor[]) => unknown, ins, outs, createGraph) : reverseJacobian(op, ins, outs, createGraph, strict);
    return { isOutTuple, jac: jac.map((row) => postprocess(row, createGraph)) };
  });
  const perOut = rows.jac.map((row) => untuple(row, isInTuple));
  return untuple(perOut, rows.isOutTuple) as JacobianOf<O, I>;
}

/** The Jacobian strategy `option` of `op` (default reverse mode), checked: forward mode needs vectorize, as in PyTorch. */
function checkStrategy(op: string, option: string, given: unknown, vectorize: boolean | undefined): "reverse-mode" | "forward-mode" {
  const strategy = given ?? "reverse-mode";
  if (strategy !== "reverse-mode" && strategy !== "forward-mode") {
    throw new Error(`${op}: ${option} must be "reverse-mode" or "forward-mode", got ${JSON.stringify(strategy)}`);
  }
  if (strategy === "forward-mode" && !vectorize) throw new Error(`${op}: ${option} "forward-mode" requires {vectorize: true}, as in PyTorch`);
  return strategy;
}

function reverseJacobian(op: string, ins: Tensor[], outs: Tensor[], createGraph: boolean, strict: boolean): Tensor[][] {
  return outs.map((out, i) => {
    const cols: Tensor[][] = ins.map(() => []);
    const flat = reshape(out, [-1]);
    for (let k = 0; k < out.numel(); k++) {
      const vj = gradOf([select(flat, 0, k)], ins, null, createGraph);
      vj.forEach((g, j) => {
        if (g !== null) {
          if (strict && createGraph && !g.requiresGrad) {
            throw new Error(`${op}: the jacobian of output ${i} is independent of input ${j} (strict mode with createGraph); pass {strict: false}`);
          }
          cols[j].push(g);
        } else {
          if (strict) throw new Error(`${op}: output ${i} of the user-provided function is independent of input ${j} (strict mode); pass {strict: false} to get zeros`);
          cols[j].push(zerosLike(ins[j]));
        }
      });
    }
    return cols.map((c, j) => (c.length === 0 ? zeros([...out.shape, ...ins[j].shape], { dtype: ins[j].dtype }) : reshape(stack(c, 0), [...out.shape, ...ins[j].shape])));
  });
}

/** Column by column: J·e_k for every element k of every input (PyTorch does this with forward AD). */
function forwardJacobian(func: (...a: Tensor[]) => unknown, ins: Tensor[], outs: Tensor[], createGraph: boolean): Tensor[][] {
  const perIn = ins.map((inp, j) => {
    const cols: Tensor[][] = outs.map(() => []);
    for (let k = 0; k < inp.numel(); k++) {
      const v = ins.map((t, jj) => {
        const z = zeros([t.numel()], { dtype: t.dtype });
        if (jj === j) setElement(z.storage.data, k, castScalar(1, t.dtype));
        return reshape(z, t.shape);
      });
      const asArray = (...a: Tensor[]): Tensor[] => asTuple("autograd.functional.jacobian", "the outputs of the user-provided function", func(...a))[1];
      const [, t] = jvp(asArray, ins as readonly Tensor[], v, { createGraph });
      t.forEach((c, i) => cols[i].push(c));
    }
    return outs.map((out, i) =>
      cols[i].length === 0 ? zeros([...out.shape, ...inp.shape], { dtype: out.dtype }) : reshape(stack(cols[i], -1), [...out.shape, ...inp.shape]),
    );
  });
  return outs.map((_, i) => ins.map((__, j) => perIn[j][i]));
}

/**
 * The Hessian of a function returning one element: for inputs i, j a tensor of shape
 * `[...input_i.shape, ...input_j.shape]` (a tensor for a single input).
 *
 * @example autograd.functional.hessian((x) => x.pow(3).sum(), tensor([1, 2])); // diag(6, 12)
 */
export function hessian<I extends InputsArg>(func: (...args: FuncArgs<I>) => Tensor, inputs: I, opts: HessianOptions = {}): HessianOf<I> {
  const op = "autograd.functional.hessian";
  checkOpts(op, opts);
  const strict = !!opts.strict;
  // Checked here too, so the error names hessian and its option rather than the inner jacobian call.
  const strategy = checkStrategy(op, "outerJacobianStrategy", opts.outerJacobianStrategy, opts.vectorize);
  const [isInTuple, ins] = asTuple(op, "inputs", inputs);
  const single = (...inp: Tensor[]): Tensor => {
    const [isOutTuple, outs] = callFunc(op, func as (...a: Tensor[]) => unknown, inp);
    checkRequiresGrad(op, outs, "output", strict);
    if (isOutTuple) throw new Error(`${op}: the function should return a single Tensor, it returned an array of ${outs.length}`);
    if (outs[0].numel() !== 1) throw new Error(`${op}: the function should return a single-element Tensor, got shape ${fmt(outs[0].shape)}`);
    return reshape(outs[0], []);
  };
  const jacFunc = (...inp: Tensor[]): Tensor[] => {
    if (strategy === "forward-mode") for (const t of inp) if (!t.requiresGrad) t.requiresGrad_(true);
    const jac = jacobian(single, inp, { createGraph: true }) as Tensor[];
    checkRequiresGrad(op, jac, "jacobian", strict);
    return jac;
  };
  const res = jacobian(jacFunc, ins, { createGraph: opts.createGraph, strict, vectorize: opts.vectorize, strategy }) as unknown as Tensor[][];
  return (isInTuple ? res : res[0][0]) as HessianOf<I>;
}

/** Checks and runs the shared first part of vhp/hvp: outputs, and the gradient of the single output with a graph. */
function secondOrderSetup(op: string, func: (...a: Tensor[]) => unknown, inputs: Tensors, v: Tensors | null | undefined, createGraph: boolean, strict: boolean) {
  const [isInTuple, ins0] = asTuple(op, "inputs", inputs);
  const ins = preprocess(ins0, createGraph, true);
  let vs: Tensor[] | null = null;
  if (v !== undefined && v !== null) {
    vs = preprocess(asTuple(op, "v", v)[1], createGraph, false);
    validateV(op, vs, ins, isInTuple ? "inputs" : "input");
  } else if (ins.length !== 1 || ins[0].numel() !== 1) {
    throw new Error(`${op}: v can be left out only if the input is a single tensor with a single element; got ${ins.length} input(s), the first of shape ${fmt(ins[0].shape)}`);
  }
  const [isOutTuple, outs] = callFunc(op, func, ins);
  checkRequiresGrad(op, outs, "output", strict);
  if (isOutTuple) throw new Error(`${op}: the function should return a single Tensor, it returned an array of ${outs.length}`);
  if (outs[0].numel() !== 1) throw new Error(`${op}: the function should return a single-element Tensor, got shape ${fmt(outs[0].shape)}`);
  const jac = gradOf(outs, ins, null, true);
  checkRequiresGrad(op, jac, "jacobian", strict);
  return { isInTuple, ins, vs, outs, jac };
}

/**
 * Vector-Hessian product: `[func(inputs), vᵀ·H]` for a function returning one element.
 *
 * @example const [f, vh] = autograd.functional.vhp((x) => x.pow(3).sum(), x, ones([2]));
 */
export function vhp<I extends InputsArg>(func: (...args: FuncArgs<I>) => Tensor, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, PerInput<I>] {
  const op = "autograd.functional.vhp";
  checkOpts(op, opts);
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  const outerGrad = isGradEnabled();
  return withGradEnabled(true, () => {
    const s = secondOrderSetup(op, func as (...a: Tensor[]) => unknown, inputs, v, createGraph, strict);
    const res = withGradEnabled(createGraph || outerGrad, () => fillInZeros(op, gradOf(s.jac, s.ins, s.vs, createGraph), s.ins, strict, "the second derivative in input"));
    return [postprocess(s.outs, createGraph)[0], untuple(postprocess(res, createGraph), s.isInTuple)] as never;
  });
}

/**
 * Hessian-vector product: `[func(inputs), H·v]` for a function returning one element (by the
 * double-backward trick, as PyTorch 1.13).
 *
 * @example const [f, hv] = autograd.functional.hvp((x) => x.pow(3).sum(), x, ones([2]));
 */
export function hvp<I extends InputsArg>(func: (...args: FuncArgs<I>) => Tensor, inputs: I, v?: Tensors | null, opts: FunctionalOptions = {}): [Tensor, PerInput<I>] {
  const op = "autograd.functional.hvp";
  checkOpts(op, opts);
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  const outerGrad = isGradEnabled();
  return withGradEnabled(true, () => {
    const s = secondOrderSetup(op, func as (...a: Tensor[]) => unknown, inputs, v, createGraph, strict);
    const gradJac = s.ins.map((t) => zerosLike(t).requiresGrad_(true));
    const doubleBack = gradOf(s.jac, s.ins, gradJac, true);
    checkRequiresGrad(op, s.jac, "hessian", strict);
    const res = withGradEnabled(createGraph || outerGrad, () => fillInZeros(op, gradOf(doubleBack, gradJac, s.vs, createGraph), s.ins, strict, "the second derivative in input"));
    return [postprocess(s.outs, createGraph)[0], untuple(postprocess(res, createGraph), s.isInTuple)] as never;
  });
}
