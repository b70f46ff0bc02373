/**
 * The one chokepoint every differentiable op runs through: run the forward (which validates,
 * allocates and calls the backend), then record a graph node when an input requires grad and grad
 * mode is on. Backends never see gradients; backward rules are written in Tensor ops.
 */
import { argError, describe, guardMethod, tensorArgError } from "../tensor/check.js";
import { Node, type AccumulateFn, type BackwardFn } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { type DType, castScalar, setElement, dtypeKind, isFloating, promoteTypes, promoteWithScalar } from "../tensor/dtype.js";
import { backend } from "../backend/index.js";

export { backend };

export interface OpDef<A> {
  /** The op's public name; errors and gradFn names use it. */
  readonly name: string;
  /** Validates, computes the output shape, allocates and calls the kernel. Must return a new Tensor object. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** Gradients for each input in terms of Tensor ops (null for inputs that get none). */
  backward?: BackwardFn<A>;
  /** Optional first-order fast path of `backward` for sparse input gradients; must agree with it. */
  backwardInto?: AccumulateFn<A>;
  /**
   * The inputs whose values `backward` reads (PyTorch's "saved for backward"); absent: all of them.
   * Only these are refused when they are inference tensors, as PyTorch does (`w.add(i)` records a
   * graph with an inference tensor `i`; `w.mul(i)` cannot, since mul's rule saves `i`). Tensors among
   * the attrs (an index) count as saved. The function form says which, given which inputs need a
   * gradient, for a rule that reads a tensor only for one input's gradient (as PyTorch saves a tensor
   * only for a gradient it will compute: `w.indexAdd(0, i, src)` keeps `i` only if src needs one).
   */
  readonly saves?: readonly number[] | ((needsGrad: readonly boolean[]) => { inputs: readonly number[]; attrs: boolean });
  /**
   * Called once when a backward that recorded no graph (no createGraph) frees this op's node (no
   * retainGraph): the op may give memory it made in forward for its backward alone, and never let
   * anything else see, to the recycling pool (src/tensor/recycle.ts). Not called otherwise: a
   * retained graph reads it again, and a created graph may hold it.
   */
  readonly releaseSaved?: (attrs: A) => void;
}

export function defineOp<A = undefined>(def: OpDef<A>): OpDef<A> {
  return def;
}

/**
 * Set by ops/shape.ts: brings a view's graph up to date when its base was modified in place after
 * the view was taken (so reading the view differentiates its current values).
 */
let refreshView: (t: Tensor, op: string) => void = () => {};

export function setViewRefresher(fn: (t: Tensor, op: string) => void): void {
  refreshView = fn;
}

/**
 * Sees every op a computation runs, with its inputs, attributes and output: how exporters (ONNX)
 * record a forward pass. Only top-level ops are reported: an op whose forward calls other ops
 * internally is one op to the tracer, as it is to autograd.
 */
export type OpTracer = (name: string, inputs: readonly Tensor[], attrs: unknown, output: Tensor) => void;

let tracer: OpTracer | null = null;
let depth = 0;

/**
 * Installs `fn` as the op tracer for the duration of `body` (not re-entrant: one trace at a time).
 *
 * @example withOpTracer((name, inputs, attrs, out) => log.push(name), () => model.call(x));
 */
export function withOpTracer<T>(fn: OpTracer, body: () => T): T {
  if (tracer) throw new Error("withOpTracer: a trace is already running; traces cannot nest");
  tracer = fn;
  try {
    return body();
  } finally {
    tracer = null;
  }
}

/** Runs `def` on inputs and records it for autograd when needed. */
export function apply<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  // The one place every op's tensor inputs pass: JS callers can hand any op anything.
  for (let i = 0; i < inputs.length; i++) if (!(inputs[i] instanceof Tensor)) throw tensorArgError(def.name, inputs.length === 1 ? "input" : `input ${i + 1}`, inputs[i]);
  if (isGradEnabled()) for (const t of inputs) if (t.base !== null) refreshView(t, def.name);
  let out: Tensor;
  if (tracer === null) out = def.forward(inputs, attrs);
  else {
    depth++;
    try {
      out = def.forward(inputs, attrs);
    } finally {
      depth--;
    }
    if (depth === 0) tracer(def.name, inputs, attrs, out);
  }
  // Integer and bool results carry no gradient (x.int() of a tensor that requires grad is a constant).
  if (def.backward && isGradEnabled() && isFloating(out.dtype) && inputs.some((t) => t.requiresGrad)) {
    checkNotInference(def.name, inputs, def.saves, attrs);
    out.gradFn = new Node(def.name, inputs, out, attrs, def.backward, def.backwardInto, def.releaseSaved);
    out.requiresGrad = true;
  }
  return out;
}

/**
 * An inference tensor cannot be saved for backward (PyTorch raises "Inference tensors cannot be saved
 * for backward"): an op recorded for autograd refuses one among the inputs its backward reads.
 */
function checkNotInference(op: string, inputs: readonly Tensor[], saves: OpDef<unknown>["saves"], attrs: unknown): void {
  // Only worked out when an inference tensor is found (the common path allocates nothing more).
  const saved = (): { inputs: readonly number[] | undefined; attrs: boolean } =>
    typeof saves === "function" ? saves(inputs.map((t) => t.requiresGrad)) : { inputs: saves, attrs: true };
  // Tensors among the attributes (gather's and indexSelect's index) are kept for backward too.
  if (attrs !== null && typeof attrs === "object") {
    for (const [k, v] of Object.entries(attrs)) {
      if (v instanceof Tensor && v.isInference() && saved().attrs) {
        throw new Error(
          `${op}: its ${k} (shape [${v.shape.join(",")}]) is an inference tensor (made inside inferenceMode) and would be saved for backward, ` +
            "which PyTorch does not allow either; make a normal tensor with x.clone() outside inferenceMode",
        );
      }
    }
  }
  if (!inputs.some((t) => t.isInference())) return;
  const kept = saved().inputs;
  const i = inputs.findIndex((t, k) => t.isInference() && (kept === undefined || kept.includes(k)));
  if (i < 0) return;
  throw new Error(
    `${op}: input ${i} (shape [${inputs[i].shape.join(",")}]) is an inference tensor (made inside inferenceMode) and would be saved ` +
      "for backward, which PyTorch does not allow either; make a normal tensor with x.clone() outside inferenceMode, or compute it under noGrad instead",
  );
}

/**
 * For an op built from primitives that would not save `t` where PyTorch's fused op saves it (a loss's
 * target, an index): refuses an inference tensor `t` when the call records a graph, as PyTorch does,
 * instead of silently accepting it. `recording`: grad mode is on and an operand requires grad.
 * @example refuseInferenceSaved("mseLoss", "target", target, isGradEnabled() && input.requiresGrad)
 */
export function refuseInferenceSaved(op: string, what: string, t: Tensor, recording: boolean): void {
  if (!recording || !t.isInference()) return;
  throw new Error(
    `${op}: its ${what} (shape [${t.shape.join(",")}]) is an inference tensor (made inside inferenceMode) and would be saved for backward, ` +
      "which PyTorch does not allow either; make a normal tensor with x.clone() outside inferenceMode",
  );
}

/** A 0-d tensor holding `v`. */
export function scalar(v: number | boolean, dtype: DType): Tensor {
  // A TypeError on purpose: the public entry layer (tensor/guard.ts guardFunction/guardMethod) turns it into
  // an Error naming the op the caller called, what it got and what it takes (clamp(x, "1") was NaN).
  if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`expected a Tensor, a number or a boolean, got ${describe(v)}`);
  const t = Tensor.empty([], dtype);
  setElement(t.storage.data, 0, castScalar(v, dtype));
  return t;
}

/** The dtype `a op b` computes in, with PyTorch's rules for scalar operands. */
export function resultType(a: TensorLike, b: TensorLike, op = "a binary op"): DType {
  checkOperand(op, "input", a);
  checkOperand(op, "other", b);
  if (a instanceof Tensor && b instanceof Tensor) {
    // A 0-d tensor does not widen a dimensioned one of the same category (PyTorch's rule).
    if (a.ndim === 0 && b.ndim > 0 && sameCategory(a.dtype, b.dtype)) return b.dtype;
    if (b.ndim === 0 && a.ndim > 0 && sameCategory(a.dtype, b.dtype)) return a.dtype;
    return promoteTypes(a.dtype, b.dtype);
  }
  if (a instanceof Tensor) return promoteWithScalar(a.dtype, b as number | boolean);
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a as number | boolean);
  return promoteWithScalar(promoteWithScalar("bool", a as number | boolean), b as number | boolean);
}

/**
 * A Tensor, number or boolean operand. JS callers can pass anything: a string or an object would
 * otherwise compute NaN silently.
 *
 * @example checkOperand("lerp", "weight", w);
 */
export function checkOperand(op: string, name: string, v: unknown): void {
  if (v instanceof Tensor || typeof v === "number" || typeof v === "boolean") return;
  throw argError(op, name, `a Tensor, a number or a boolean${Array.isArray(v) ? " (wrap arrays with tensor(...))" : ""}`, v);
}

function sameCategory(a: DType, b: DType): boolean {
  return dtypeKind(a) === dtypeKind(b);
}

/** A tensor for `v` (a scalar becomes 0-d of `dtype`). */
export function asTensor(v: TensorLike, dtype: DType): Tensor {
  return v instanceof Tensor ? v : scalar(v, dtype);
}

/**
 * Adds methods to Tensor.prototype that call `fn(this, ...args)`. Each op file declares the
 * matching method signatures with `declare module` next to the op, so an op lives in one file.
 */
export function installMethods(methods: Record<string, (self: Tensor, ...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      // The public entry layer for methods: a wrong argument is an Error naming x.<name> (tensor/guard.ts).
      value: guardMethod(name, fn),
      writable: true,
      configurable: true,
    });
  }
}
