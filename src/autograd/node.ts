/**
 * A graph node: one op application that autograd can differentiate. It knows where gradients go
 * (`edges`: the producing node of each input, or the input itself when it is a leaf) and keeps the
 * tensors its backward rule reads, checked against in-place modification when they are read.
 */
import type { Tensor } from "../tensor/tensor.js";
import { fmt } from "../tensor/shape.js";
import type { DType } from "../tensor/dtype.js";
import { halfInUse, isHalf } from "../tensor/half.js";

/**
 * The saved inputs a backward rule reads, each checked (version) and widened only when the rule
 * reads it, as PyTorch unpacks a saved variable: an input modified in place is an error only for a
 * rule that uses it. A holey array of the inputs' length whose indices resolve through a shared
 * prototype of getters, instead of one defineProperty per input (a dictionary-mode array: ~2.5 us
 * a node against ~0.4, measured in a scratch loop); for, of, map, destructuring and slice read the
 * getters as they read an array's elements. The prototype grows to the most inputs any node has had
 * (a cat of many tensors), once: own getters per call would each be an accessor pair in old space,
 * which kept the backward's graph alive through scavenges (see SavedView below).
 */
const readInput = Symbol("readInput");
type LazyArray = Tensor[] & { [readInput]: (i: number) => Tensor };
const LAZY_PROTO: object = Object.create(Array.prototype);
let lazyGetters = 0;

function lazyInputs(n: number, read: (i: number) => Tensor): Tensor[] {
  for (; lazyGetters < n; lazyGetters++) {
    const i = lazyGetters;
    // Past this array's length an index reads as a plain array's would (undefined).
    Object.defineProperty(LAZY_PROTO, i, { get(this: LazyArray) { return i < this.length ? this[readInput](i) : undefined; } });
  }
  const inputs = new Array<Tensor>(n) as LazyArray;
  inputs[readInput] = read;
  Object.setPrototypeOf(inputs, LAZY_PROTO);
  return inputs;
}

export type Edge = Node | Tensor | null;

/** What a backward rule may read: the forward inputs and output (version-checked) and the attributes. */
export interface Saved<A> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
  /**
   * Whether input i receives a gradient (PyTorch's ctx.needs_input_grad). A rule should read only
   * what those gradients need, so that in-place changes to the other inputs do not fail the version check.
   */
  readonly needsInputGrad: readonly boolean[];
  /** Shapes and dtypes of the inputs, readable without a version check (for rules that need only those). */
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];
}

/**
 * What Node.apply hands a rule. A class, so that the output getter lives on one shared prototype.
 * As an object literal with a getter, every call made a dictionary-mode object with its own
 * accessor pair, which V8 allocates in old space: each dead pair still pointed at its young getter
 * closure, and through its context at the node's saved tensors, the gradient and everything the
 * rule made, and a scavenge treats old-to-young pointers as roots. So ~25% of a training step's
 * allocations were copied and promoted at every scavenge and freed only by the next full
 * collection (a plain loop making such literals shows the same; docs/backend-wasm.md, session 13).
 */
class SavedView<A> implements Saved<A> {
  constructor(
    readonly inputs: readonly Tensor[],
    private readonly readOutput: () => Tensor,
    readonly attrs: A,
    readonly needsInputGrad: readonly boolean[],
    readonly inputShapes: readonly (readonly number[])[],
    readonly inputDtypes: readonly DType[],
  ) {}

  get output(): Tensor {
    return this.readOutput();
  }
}

export type BackwardFn<A> = (grad: Tensor, saved: Saved<A>) => readonly (Tensor | null | undefined)[];

/**
 * The first-order gradient of a single-input op whose input gradient is mostly zeros (slicing),
 * added into `into` — a contiguous tensor of the input's shape that the engine owns and lets the op
 * update in place — or into fresh zeros when `into` is null. Returns the tensor holding the sum.
 * T slices of one tensor then cost O(size) in backward instead of T full-size zero tensors.
 */
export type AccumulateFn<A> = (grad: Tensor, attrs: A, into: Tensor | null) => Tensor;

/**
 * A tensor hook (`t.registerHook(fn)`): sees the gradient of the tensor during backward and may
 * return a replacement of the same shape (returning nothing keeps it).
 */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

/** What registering a hook returns: `handle.remove()` unregisters it. */
export interface RemovableHandle {
  remove(): void;
}

let nextHookId = 0;

/** Adds `hook` to `hooks` under a fresh key; the handle removes it again (idempotently). */
export function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  const id = nextHookId++;
  hooks.set(id, hook);
  return { remove: () => void hooks.delete(id) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a graph mixes nodes of every attribute type
export class Node<A = any> {
  readonly edges: readonly Edge[];
  /**
   * Set by retainGrad(): the tensor whose .grad should receive this node's output gradient. It moves
   * with the tensor when an in-place op gives the tensor a new node (see Tensor.gradFn).
   */
  retained: Tensor | null = null;
  /**
   * Hooks registered on the output tensor while this node produced it (`t.registerHook`), in order.
   * A hook registered before an in-place op stays here and sees the gradient of the old value (PyTorch 2).
   */
  hooks: Map<number, GradHook> | null = null; // made on the first hook: most nodes never get one
  /**
   * For the output nodes of a multi-output custom Function: the node that computes the input
   * gradients from all outputs' gradients, and which output this is (see autograd/function.ts).
   */
  readonly slotOf: { readonly owner: Node; readonly index: number } | null = null;
  /** How many outputs' gradients `applyMany` takes; 1 for every node except a multi-output Function's. */
  readonly outputCount: number = 1;
  /**
   * Whether the backward is user code (a custom Function) that may keep the gradients it returns;
   * the engine then never hands those to a leaf's `.grad` without a copy.
   */
  readonly userBackward: boolean = false;
  private saved: { inputs: readonly Tensor[]; output: Tensor | null; versions: number[] } | null;

  constructor(
    readonly name: string,
    inputs: readonly Tensor[],
    output: Tensor | null,
    readonly attrs: A,
    private readonly rule: BackwardFn<A>,
    private readonly accumulate?: AccumulateFn<A>,
    private readonly releaseSaved?: (attrs: A) => void,
  ) {
    if (accumulate && inputs.length !== 1) throw new Error(`internal error: ${name} has an accumulating backward but ${inputs.length} inputs`);
    this.edges = inputs.map((t) => (!t.requiresGrad ? null : t.gradFn ?? t));
    this.saved = { inputs, output, versions: [...inputs.map((t) => t.version), output?.version ?? 0] };
  }

  /** Whether this node can add its input's gradient in place (see AccumulateFn). */
  get accumulates(): boolean {
    return this.accumulate !== undefined;
  }

  /** `into` (or zeros) plus the gradient of the single input, given the gradient of the output. */
  accumulateInto(grad: Tensor, into: Tensor | null): Tensor {
    this.live();
    return this.accumulate!(grad, this.attrs, into);
  }

  protected live(): NonNullable<Node["saved"]> {
    if (!this.saved) {
      throw new Error(
        `backward: ${this.name}'s saved tensors were freed by an earlier backward; trying to backward through the graph ` +
          "a second time. Pass {retainGraph: true} to the first backward() if you need to do this.",
      );
    }
    return this.saved;
  }

  /** Gradients for each input, given the gradient of the output. */
  apply(grad: Tensor): readonly (Tensor | null | undefined)[] {
    const saved = this.live();
    const check = (t: Tensor, expected: number): Tensor => {
      if (t.version !== expected) {
        throw new Error(
          `${this.name} backward: a tensor of shape ${fmt(t.shape)} that this op saved was modified in place afterwards ` +
            `(version ${t.version}, expected ${expected}). Use the out-of-place op (e.g. add instead of add_) or clone() it first.`,
        );
      }
      return t;
    };
    const name = this.name;
    // float16/bfloat16: the rule runs in float32 and each input gradient is rounded once, as PyTorch's
    // CPU backward kernels (tanh_backward, softmax_backward_data, ...) load 16-bit values as float,
    // compute in float and round the result; a rule written in tensor ops would otherwise round after
    // every op (1 - y*y for tanh loses most of bfloat16's 8 bits near |y| = 1).
    const wide = halfInUse() && (isHalf(grad.dtype) || saved.inputs.some((t) => isHalf(t.dtype)) || (saved.output !== null && isHalf(saved.output.dtype)));
    const widen = wide ? (t: Tensor): Tensor => (isHalf(t.dtype) ? t.to("float32") : t) : (t: Tensor): Tensor => t;
    const inputs = lazyInputs(saved.inputs.length, (i) => widen(check(saved.inputs[i], saved.versions[i])));
    const view = new SavedView<A>(
      inputs,
      () => {
        if (!saved.output) throw new Error(`internal error: ${name} saved no output`);
        return widen(check(saved.output, saved.versions[saved.inputs.length]));
      },
      this.attrs,
      this.edges.map((e) => e !== null),
      saved.inputs.map((t) => t.shape),
      saved.inputs.map((t) => (wide && isHalf(t.dtype) ? "float32" : t.dtype)),
    );
    let grads = this.rule(widen(grad), view);
    if (wide) grads = grads.map((g, i) => (g && isHalf(saved.inputs[i].dtype) && g.dtype !== saved.inputs[i].dtype ? g.to(saved.inputs[i].dtype) : g));
    saved.inputs.forEach((t, i) => {
      const g = grads[i];
      if (g && (g.shape.length !== t.shape.length || g.shape.some((d, k) => d !== t.shape[k]))) {
        throw new Error(`internal error in ${this.name} backward: gradient of shape ${fmt(g.shape)} for an input of shape ${fmt(t.shape)}`);
      }
    });
    return grads;
  }

  /** Gradients for each input from the gradients of several outputs (null: that output got none). Multi-output nodes only. */
  applyMany(grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[] {
    if (grads.length !== 1) throw new Error(`internal error: ${this.name} has one output but got ${grads.length} gradients`);
    return grads[0] ? this.apply(grads[0]) : [];
  }

  /**
   * Drops the saved tensors (after a backward without retainGraph), so activations can be collected.
   * `noGraph`: that backward recorded no graph (no createGraph), so the op's private buffers may be
   * recycled (OpDef.releaseSaved); once only, as a node is freed once.
   */
  release(noGraph = false): void {
    const first = this.saved !== null;
    this.saved = null;
    if (first && noGraph && this.releaseSaved) this.releaseSaved(this.attrs);
  }
}
