/**
 * Class-style custom autograd functions, as PyTorch's `torch.autograd.Function`: a user writes the
 * forward computation and its backward rule as static methods; `MyFn.apply(...)` runs the forward
 * without recording and puts one graph node for the whole function in the graph.
 */
import { Tensor } from "../tensor/tensor.js";
import { fmt, sameShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { isGradEnabled, noGrad } from "./grad-mode.js";
import { Node } from "./node.js";
import { sumTo, to } from "../ops/shape.js";
import { zeros } from "../tensor/creation.js";

/**
 * What `forward` and `backward` of a custom Function share (PyTorch's `ctx`): tensors saved with
 * `saveForBackward` (read back, checked against in-place changes, as `savedTensors`), which inputs
 * need a gradient, and any other fields a forward sets (`ctx.scale = 2`).
 *
 * @example static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.square(); }
 */
export class FunctionCtx {
  [field: string]: unknown;
  /** One flag per forward argument: whether backward must return a gradient for it (false for non-tensors). */
  readonly needsInputGrad: readonly boolean[];
  #name: string;
  #saved: (Tensor | null)[] | null = [];
  #versions: number[] = [];
  #nonDifferentiable = new Set<Tensor>();
  #dirty = new Set<Tensor>();
  #materialize = true;

  /** @internal made by Function.apply */
  constructor(name: string, needsInputGrad: readonly boolean[]) {
    this.#name = name;
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors (inputs, outputs or intermediates; null allowed) for backward. Call it once, in forward. */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new Error(`${this.#name}.forward: saveForBackward takes tensors (or null), argument ${i} is ${typeof t}; store other values as ctx fields (ctx.k = ${String(t)})`);
      }
    });
    this.#saved = tensors.map((t) => t ?? null);
  }

  /** @internal The saved tensors as given, unchecked (Function.apply refuses inference tensors among them). */
  savedForCheck(): readonly (Tensor | null)[] {
    return this.#saved ?? [];
  }

  /** The tensors given to `saveForBackward`, in order. Throws if one was modified in place since, or the graph was freed. */
  get savedTensors(): (Tensor | null)[] {
    if (this.#saved === null) {
      throw new Error(
        `${this.#name}.backward: the saved tensors were freed by an earlier backward; trying to backward through the graph a second time. ` +
          "Pass {retainGraph: true} to the first backward() if you need to do this.",
      );
    }
    return this.#saved.map((t, i) => {
      if (t && this.#versions.length > i && t.version !== this.#versions[i]) {
        throw new Error(
          `${this.#name}.backward: saved tensor ${i} (shape ${fmt(t.shape)}) was modified in place after saveForBackward ` +
            `(version ${t.version}, expected ${this.#versions[i]}); clone() it before modifying, or save a copy`,
        );
      }
      return t;
    });
  }

  /** Marks outputs that have no gradient (e.g. indices): they do not require grad, and backward gets zeros for them. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const t of outputs) this.#nonDifferentiable.add(t);
  }

  /**
   * Declares inputs that forward modified in place (PyTorch's mark_dirty); forward must return them.
   * The returned tensor is then the input object itself, now produced by this Function.
   */
  markDirty(...inputs: Tensor[]): void {
    for (const t of inputs) this.#dirty.add(t);
  }

  /** @internal */
  isDirty(t: Tensor): boolean {
    return this.#dirty.has(t);
  }

  /** With false, backward gets null (not zeros) for outputs that received no gradient (PyTorch's set_materialize_grads). */
  setMaterializeGrads(value: boolean): void {
    this.#materialize = value;
  }

  /** @internal */
  isNonDifferentiable(t: Tensor): boolean {
    return this.#nonDifferentiable.has(t);
  }

  /** @internal */
  get materializeGrads(): boolean {
    return this.#materialize;
  }

  /** @internal records the versions the saved tensors must still have in backward (at the end of apply). */
  seal(): void {
    this.#versions = (this.#saved ?? []).map((t) => t?.version ?? 0);
  }

  /** @internal */
  free(): void {
    this.#saved = null; // savedTensors then throws the freed-graph error
  }
}

/** The static side every custom Function has. */
export interface FunctionClass {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each Function declares its own argument types
  forward(ctx: FunctionCtx, ...args: any[]): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  backward(ctx: FunctionCtx, ...grads: any[]): unknown;
}

/** The arguments of `F.apply`: those of `F.forward` after ctx. */
export type FunctionArgs<F extends FunctionClass> = F["forward"] extends (ctx: FunctionCtx, ...args: infer A) => unknown ? A : never;

/**
 * Base class of custom autograd functions (PyTorch's `torch.autograd.Function`). Subclass it with a
 * static `forward(ctx, ...inputs)` returning a tensor or an array of tensors, and a static
 * `backward(ctx, ...outputGrads)` returning one gradient per forward input (null for inputs that get
 * none); call it with `MyFn.apply(...)`. forward runs without recording; backward runs with
 * recording on only under `createGraph`, so a backward written in Tensor ops gives higher-order gradients.
 *
 * ```ts
 * class Exp extends autograd.Function {
 *   static forward(ctx: autograd.FunctionCtx, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *   static backward(ctx: autograd.FunctionCtx, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y!); }
 * }
 * const y = Exp.apply(x);
 * ```
 */
export class AutogradFunction {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  static forward(ctx: FunctionCtx, ...args: any[]): unknown {
    throw new Error(`${this.name || "Function"}.forward: a custom autograd Function must define static forward(ctx, ...inputs)`);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  static backward(ctx: FunctionCtx, ...grads: any[]): unknown {
    throw new Error(`${this.name || "Function"}.backward: a custom autograd Function must define static backward(ctx, ...gradOutputs) to be differentiated`);
  }

  /** Runs the function and records it for autograd: `const y = MyFn.apply(x, w)`. */
  static apply<F extends FunctionClass>(this: F, ...args: FunctionArgs<F>): ReturnType<F["forward"]> {
    return applyFunction(this, args) as ReturnType<F["forward"]>;
  }
}

function applyFunction(F: FunctionClass, args: readonly unknown[]): unknown {
  const name = F.name || "Function";
  const tensorArgs = args.filter((a): a is Tensor => a instanceof Tensor);
  const recording = isGradEnabled() && tensorArgs.some((t) => t.requiresGrad);
  const ctx = new FunctionCtx(name, args.map((a) => recording && a instanceof Tensor && a.requiresGrad));
  // The Promise check runs inside noGrad, before noGrad's own (which would not name the Function).
  const result = noGrad(() => {
    const r = F.forward(ctx, ...args);
    if (r instanceof Promise) throw new Error(`${name}.forward: must be synchronous; it returned a Promise`);
    return r;
  });
  const single = !Array.isArray(result);
  const outs: unknown[] = single ? [result] : [...(result as unknown[])];
  if (!outs.some((o) => o instanceof Tensor)) throw new Error(`${name}.forward: must return a Tensor or an array of tensors, got ${describeValue(result)}`);
  if (!recording) return result;
  // As PyTorch: an inference tensor may be an input, but cannot be saved for backward.
  ctx.savedForCheck().forEach((t, i) => {
    if (t?.isInference()) {
      throw new Error(`${name}.forward: saved tensor ${i} (shape ${fmt(t.shape)}) is an inference tensor (made inside inferenceMode) and cannot be saved for backward; clone() it outside inferenceMode`);
    }
  });
  tensorArgs.forEach((t, i) => {
    if (!ctx.isDirty(t)) return;
    if (!outs.includes(t)) throw new Error(`${name}.forward: input ${i} was passed to ctx.markDirty but not returned; a Function must return the tensors it modifies in place`);
    if (t.isLeaf && t.requiresGrad) {
      throw new Error(`${name}.apply: input ${i} is a leaf that requires grad and ctx.markDirty says forward modified it in place; that is not allowed (clone() it first)`);
    }
    if (t.base !== null) throw new Error(`${name}.apply: input ${i} is a view; ctx.markDirty supports only tensors that are not views (clone() it first)`);
  });
  // A forward that returns an input unchanged still makes a new tensor here: the input keeps its own
  // graph. A dirty input is the exception: it is returned itself and takes this Function's node.
  const outputs = outs.map((o) =>
    o instanceof Tensor && !ctx.isDirty(o) && (tensorArgs.includes(o) || o.gradFn !== null) ? alias(o) : o,
  );
  const node = new FunctionNode(F, ctx, args, tensorArgs, outputs);
  outputs.forEach((o, i) => {
    if (!(o instanceof Tensor) || !isFloating(o.dtype) || ctx.isNonDifferentiable(outs[i] as Tensor)) return;
    o.gradFn = node.outputCount === 1 ? node : new OutputNode(node, i, tensorArgs);
    o.requiresGrad = true;
  });
  ctx.seal();
  return single ? outputs[0] : outputs;
}

/** A new tensor object over the same memory. */
function alias(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape, t.strides, t.offset, t.dtype, t.base);
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length} non-tensors`;
  return typeof v;
}

const noRule = (): never => {
  throw new Error("internal error: a custom Function node computes its gradients in applyMany");
};

/** The graph node of one custom Function call: takes the gradients of all its outputs at once. */
class FunctionNode extends Node<undefined> {
  override readonly outputCount: number;
  override readonly userBackward = true;
  private readonly metas: ({ shape: readonly number[]; dtype: Tensor["dtype"] } | null)[];

  constructor(
    private readonly F: FunctionClass,
    private readonly ctx: FunctionCtx,
    private readonly args: readonly unknown[],
    tensorArgs: readonly Tensor[],
    outputs: readonly unknown[],
  ) {
    super(F.name || "Function", tensorArgs, null, undefined, noRule);
    this.outputCount = outputs.length;
    this.metas = outputs.map((o) => (o instanceof Tensor ? { shape: o.shape, dtype: o.dtype } : null));
  }

  override apply(grad: Tensor): readonly (Tensor | null | undefined)[] {
    return this.applyMany([grad]);
  }

  override applyMany(grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[] {
    this.live();
    const name = this.name;
    const inGrads = grads.map((g, i) => {
      const meta = this.metas[i];
      if (g || !meta || !this.ctx.materializeGrads) return g ?? null;
      return zeros(meta.shape, { dtype: meta.dtype });
    });
    const r = this.F.backward(this.ctx, ...inGrads);
    const list: unknown[] = Array.isArray(r) ? [...r] : [r];
    if (list.length < this.args.length) {
      throw new Error(
        `${name}.backward: returned ${list.length} gradient(s) but forward took ${this.args.length} argument(s); ` +
          "return one per forward argument, in order (null for arguments that get none)",
      );
    }
    for (let i = this.args.length; i < list.length; i++) {
      if (list[i] !== null && list[i] !== undefined) {
        throw new Error(`${name}.backward: returned ${list.length} gradients but forward took ${this.args.length} arguments; the extra ones must be null`);
      }
    }
    const out: (Tensor | null)[] = [];
    this.args.forEach((a, i) => {
      const g = list[i];
      if (!(a instanceof Tensor)) {
        if (g !== null && g !== undefined) {
          throw new Error(`${name}.backward: returned a gradient at position ${i}, but forward argument ${i} is not a tensor (${typeof a}); return null there`);
        }
        return;
      }
      if (g === null || g === undefined || !a.requiresGrad) {
        out.push(null);
        return;
      }
      if (!(g instanceof Tensor)) throw new Error(`${name}.backward: gradient ${i} must be a Tensor or null, got ${typeof g}`);
      out.push(fitGradient(name, i, g, a));
    });
    return out;
  }

  override release(noGraph = false): void {
    super.release(noGraph);
    this.ctx.free();
  }
}

/** Matches PyTorch's check of a custom backward's result: a broadcast gradient is summed down, a wrong shape is an error. */
function fitGradient(name: string, i: number, g: Tensor, input: Tensor): Tensor {
  let r = g;
  if (!sameShape(g.shape, input.shape)) {
    const lead = g.ndim - input.ndim;
    const expandable = lead >= 0 && input.shape.every((d, k) => d === g.shape[k + lead] || d === 1);
    if (!expandable) {
      throw new Error(`${name}.backward: returned a gradient of shape ${fmt(g.shape)} at position ${i} for an input of shape ${fmt(input.shape)}; return the input's shape`);
    }
    r = sumTo(g, input.shape);
  }
  return r.dtype === input.dtype ? r : to(r, input.dtype);
}

/** The grad_fn of output `index` of a multi-output Function: hands its gradient to the owner node. */
class OutputNode extends Node<undefined> {
  override readonly slotOf: { readonly owner: Node; readonly index: number };

  constructor(owner: FunctionNode, index: number, tensorArgs: readonly Tensor[]) {
    super(owner.name, tensorArgs, null, undefined, noRule);
    (this as { edges: readonly (Node | Tensor | null)[] }).edges = [owner];
    this.slotOf = { owner, index };
  }
}
