/**
 * The backward engine: walks the graph from the outputs in topological order (iteratively, so a
 * 10,000-op chain needs no deep recursion), summing gradients per node before calling its rule.
 */
import { declareOptionalArgs, declareOptions, optionKeys } from "../tensor/check.js";
import { Node, type Edge, type GradHook } from "./node.js";
import { Tensor, type Storage, markUnseenGrad, peekGrad, storageSerial } from "../tensor/tensor.js";
import { fmt, isContiguous, sameShape } from "../tensor/shape.js";
import { isGradEnabled, setGradEnabled } from "./grad-mode.js";
import { add } from "../ops/elementwise.js";
import { clone } from "../ops/shape.js";
import { onesLike } from "../tensor/creation.js";
import { backend, installMethods } from "../ops/op.js";
import { RECYCLE_MIN_BYTES, recycleArray } from "../tensor/recycle.js";

export interface BackwardOptions {
  /** Keep saved tensors so that backward can run through this graph again (defaults to createGraph, as in PyTorch). */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

/** Options of `backward`: those of the engine, plus PyTorch's `inputs`. */
export interface BackwardCallOptions extends BackwardOptions {
  /** Accumulate into the `.grad` of these tensors only (leaves or non-leaves), as PyTorch's `inputs=`. */
  inputs?: Tensor | readonly Tensor[];
}

/**
 * `loss.backward()`: accumulates d(tensor)/d(leaf) into every leaf's `.grad`. Also PyTorch's
 * `torch.autograd.backward(tensors, gradTensors)`: several roots, each with its gradient (or none
 * for a one-element root), summed in one pass.
 *
 * @example autograd.backward([lossA, lossB]);
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradients?: Tensor | readonly (Tensor | null | undefined)[] | null,
  opts: BackwardCallOptions = {},
): void {
  const roots = tensors instanceof Tensor ? [tensors] : [...tensors];
  const grads = gradients instanceof Tensor ? [gradients] : gradients ? [...gradients] : [];
  if (roots.length === 0) throw new Error("backward: no tensors given; pass the tensor(s) to differentiate, e.g. backward(loss)");
  if (grads.length > roots.length) throw new Error(`backward: ${grads.length} gradients for ${roots.length} tensor(s); give at most one per tensor`);
  roots.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`backward: tensor ${i} is not a Tensor`);
    if (!t.requiresGrad) {
      throw new Error(
        `backward: ${roots.length > 1 ? `tensor ${i}` : "this tensor"} does not require grad and has no gradFn; did you forget requiresGrad on the inputs, or compute it inside noGrad?`,
      );
    }
  });
  const g = roots.map((t, i) => rootGradient(t, grads[i] ?? undefined, "backward"));
  if (opts.inputs === undefined) {
    run(roots, g, opts, null);
    return;
  }
  const ins = opts.inputs instanceof Tensor ? [opts.inputs] : [...opts.inputs];
  if (ins.length === 0) throw new Error("backward: {inputs} is empty; leave it out to accumulate into every leaf");
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`backward: inputs[${i}] (shape ${fmt(t.shape)}) does not require grad`);
  });
  const captured = run(roots, g, opts, new Set(ins.map((t) => t.gradFn ?? t)));
  for (const t of ins) {
    const total = captured.get(t.gradFn ?? t);
    if (!total) continue;
    const hooked = t.isLeaf && t.leafHooks ? runHooks(t.leafHooks, total, "leaf") : total;
    t.grad = accumulateLeaf(t, hooked, !!opts.createGraph, t.isLeaf);
  }
}

/**
 * `grad([y], [x])`: gradients of outputs with respect to inputs, returned rather than accumulated
 * into `.grad`. With `createGraph` the results are differentiable again (higher-order gradients).
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: BackwardOptions & { gradOutputs?: readonly (Tensor | undefined)[]; allowUnused?: boolean } = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} (shape ${fmt(t.shape)}) does not require grad`);
  });
  outs.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: output ${i} (shape ${fmt(t.shape)}) does not require grad and has no gradFn`);
  });
  const targets = new Set<Node | Tensor>(ins.map((t) => t.gradFn ?? t));
  const captured = run(outs, outs.map((t, i) => rootGradient(t, opts.gradOutputs?.[i], "grad")), opts, targets);
  return ins.map((t, i) => {
    const g = captured.get(t.gradFn ?? t) ?? null;
    if (!g && !opts.allowUnused) {
      throw new Error(`grad: input ${i} (shape ${fmt(t.shape)}) was not used to compute the outputs; pass {allowUnused: true} to get null for it`);
    }
    return g;
  });
}

function rootGradient(t: Tensor, g: Tensor | undefined, op: string): Tensor {
  if (g === undefined) {
    if (t.numel() !== 1) {
      throw new Error(
        `${op}: a gradient can be created implicitly only for a one-element output, this one has shape ${fmt(t.shape)}; ` +
          `pass a gradient of that shape (e.g. y.backward(onesLike(y))) or reduce it first (y.sum().backward())`,
      );
    }
    return onesLike(t);
  }
  if (!sameShape(g.shape, t.shape)) {
    throw new Error(`${op}: the gradient has shape ${fmt(g.shape)} but the output has shape ${fmt(t.shape)}; they must match`);
  }
  return g;
}

function run(roots: Tensor[], rootGrads: Tensor[], opts: BackwardOptions, targets: Set<Node | Tensor> | null): Map<Node | Tensor, Tensor> {
  const captured = new Map<Node | Tensor, Tensor>();
  const deps = countDependencies(roots);
  const createGraph = !!opts.createGraph;
  // The gradient summed so far for each node's output and each leaf, and the sums this backward
  // allocated itself (never handed to a rule), which it may therefore update in place.
  const pending = new Map<Node | Tensor, Tensor>();
  const owned = new Set<Tensor>();
  // How many times each storage was handed along an edge (or to or from a hook, or out of a custom
  // Function): a leaf may take a gradient as its .grad without a copy only if its memory was made
  // during this backward and nothing else was ever given it (PyTorch's AccumulateGrad steals a
  // gradient nobody else references).
  const firstSerial = storageSerial();
  const handed = new Map<Storage, number>();
  // The same count per array buffer, for recycling (below), over every tensor handed: two storages
  // (one of them wrapping a subarray, say) may share one buffer.
  // Only buffers that could be recycled are counted: none under createGraph, none below the pool's
  // minimum size.
  const handedBuf = new Map<ArrayBufferLike, number>();
  const recyclable = (b: ArrayBufferLike): boolean => !createGraph && b.byteLength >= RECYCLE_MIN_BYTES;
  const hand = (t: Tensor, times = 1): void => {
    if (t.storage.serial !== undefined && t.storage.serial > firstSerial) handed.set(t.storage, (handed.get(t.storage) ?? 0) + times);
    const b = t.storage.data.buffer;
    if (recyclable(b)) handedBuf.set(b, (handedBuf.get(b) ?? 0) + times);
  };
  const leaves: Tensor[] = [];
  const ready: Node[] = [];
  const wanted = (e: Edge): e is Node | Tensor => e !== null && (e instanceof Node || !targets || targets.has(e));
  const first = (key: Node | Tensor): void => {
    if (!(key instanceof Node)) leaves.push(key);
  };
  /**
   * The engine is done with gradient t, which it was handed (once) or summed itself: one holder
   * fewer for its buffer, and when none is left the buffer goes back to the pool (recycle.ts). Only
   * memory made during this backward, and never under createGraph (the graph may keep anything).
   */
  const drop = (t: Tensor, wasHanded: boolean): void => {
    const b = t.storage.data.buffer;
    if (!recyclable(b) || t.storage.serial === undefined || t.storage.serial <= firstSerial) return;
    const left = (handedBuf.get(b) ?? 0) - (wasHanded ? 1 : 0);
    if (left > 0) handedBuf.set(b, left);
    else {
      handedBuf.delete(b);
      recycleArray(t.storage.data);
    }
  };
  const accumulate = (key: Node | Tensor, g: Tensor): void => {
    hand(g);
    const cur = pending.get(key);
    if (!cur) {
      first(key);
      pending.set(key, g);
    } else if (!createGraph && owned.has(cur) && cur.dtype === g.dtype) {
      backend().binary("add", cur.view_(), g.view_(), cur.view_());
      drop(g, true);
    } else {
      const s = add(cur, g);
      if (!createGraph) owned.add(s);
      pending.set(key, s);
      drop(cur, !owned.has(cur));
      drop(g, true);
    }
  };
  const accumulateThrough = (key: Node | Tensor, node: Node, g: Tensor): void => {
    const cur = pending.get(key);
    if (!cur) first(key);
    let into: Tensor | null = null;
    if (cur) into = owned.has(cur) ? cur : clone(cur);
    const sum = node.accumulateInto(g, into);
    owned.add(sum);
    pending.set(key, sum);
  };
  const arrived = (edge: Node): void => {
    const left = deps.get(edge)! - 1;
    deps.set(edge, left);
    if (left === 0) ready.push(edge);
  };
  const prevMode = isGradEnabled();
  setGradEnabled(createGraph);
  try {
    const deliver = (edge: Edge, g: Tensor | null | undefined): void => {
      if (g && wanted(edge)) accumulate(edge, g);
      if (edge instanceof Node) arrived(edge);
    };
    // Roots are fed as if one extra consumer produced their gradients.
    roots.forEach((t) => {
      if (t.gradFn) deps.set(t.gradFn, (deps.get(t.gradFn) ?? 0) + 1);
    });
    roots.forEach((t, i) => deliver(t.gradFn ?? t, rootGrads[i]));
    // Gradients of the outputs of multi-output nodes (custom Functions), gathered per output.
    const slots = new Map<Node, (Tensor | null)[]>();
    while (ready.length > 0) {
      const node = ready.pop()!;
      const keep = opts.retainGraph ?? opts.createGraph;
      if (node.outputCount > 1) {
        const gs = slots.get(node) ?? [];
        slots.delete(node);
        const all = Array.from({ length: node.outputCount }, (_, i) => gs[i] ?? null);
        const grads = all.some((x) => x) ? node.applyMany(all) : [];
        if (node.userBackward) for (const x of grads) if (x) hand(x, 2);
        node.edges.forEach((e, i) => deliver(e, grads[i]));
        if (!keep) node.release(!createGraph);
        continue;
      }
      let g = pending.get(node);
      pending.delete(node);
      const summed = g !== undefined && owned.has(g);
      if (g) owned.delete(g); // handed to rules from here on: never updated in place again
      // grad() captures the gradient before the tensor's hooks run, as torch.autograd.grad does.
      if (g && targets?.has(node)) captured.set(node, g);
      if (g && node.hooks) {
        // A hook may keep the gradient it sees or the one it returns.
        hand(g, 2);
        g = runHooks(node.hooks, g, node.name);
        hand(g, 2);
      }
      // grad() returns gradients and touches no .grad, retained ones included (as torch.autograd.grad).
      // The retained gradient is the one after the hooks, as in PyTorch 2.
      if (g && node.retained && !targets) node.retained.grad = accumulateLeaf(node.retained, g, createGraph);
      if (node.slotOf) {
        const { owner, index } = node.slotOf;
        if (g) {
          const gs = slots.get(owner) ?? [];
          gs[index] = g;
          slots.set(owner, gs);
        }
        arrived(owner);
      } else if (g && node.accumulates && !createGraph) {
        const e = node.edges[0];
        if (wanted(e)) accumulateThrough(e, node, g);
        if (e instanceof Node) arrived(e);
      } else {
        const grads = g ? node.apply(g) : [];
        // A custom Function's backward may keep what it returns (on its ctx, say): never steal it.
        if (node.userBackward) for (const x of grads) if (x) hand(x, 2);
        node.edges.forEach((e, i) => deliver(e, grads[i]));
        // A library rule keeps nothing it is given (its results that share g's buffer were just
        // counted as handed on), so g is dead here unless user code saw it: a hook, retainGrad,
        // grad()'s capture, or a custom Function (whose results were counted twice above).
        if (g && !node.userBackward && !node.hooks?.size && !node.retained && !targets?.has(node)) drop(g, !summed);
      }
      if (!keep) node.release(!createGraph);
    }
    for (const leaf of leaves) {
      const total = pending.get(leaf)!;
      if (targets) {
        captured.set(leaf, total);
        continue;
      }
      // A hook may keep the gradient it sees: then .grad must be a copy, never the tensor itself.
      const hooked = leaf.leafHooks ? runHooks(leaf.leafHooks, total, "leaf") : total;
      const unhooked = !leaf.leafHooks?.size;
      // The engine's reads of .grad go through peekGrad, which leaves an unseen .grad unseen.
      const before = peekGrad(leaf);
      const mayTake = !before && unhooked;
      // Made during this backward and held by nothing but the engine: an owned sum, or a gradient
      // handed to this leaf alone that covers its memory.
      const isOwned = owned.has(total);
      const privateGrad = unhooked && !createGraph && (isOwned || (handed.get(total.storage) === 1 && isWhole(total)));
      if (mayTake && isOwned) {
        leaf.grad = total; // already a fresh, private, contiguous sum
        markUnseenGrad(total);
      } else if (mayTake && privateGrad) {
        // A new Tensor over the same memory (not a view of another tensor), instead of a copy.
        const g = (leaf.grad = new Tensor(total.storage, total.shape, total.strides, 0, total.dtype));
        // Its memory is its alone when no other gradient handed along shares the buffer.
        if ((handedBuf.get(total.storage.data.buffer) ?? 0) <= 1) markUnseenGrad(g);
      } else {
        leaf.grad = accumulateLeaf(leaf, hooked, createGraph, true);
        // Added into the existing .grad in place: a private gradient is dead now, and its memory
        // (the MLP's 800 KB weight gradient, with zeroGrad(false)) goes back to the pool for the
        // next backward's.
        if (before && peekGrad(leaf) === before && privateGrad && before.storage.data.buffer !== total.storage.data.buffer) drop(total, !isOwned);
      }
    }
  } finally {
    setGradEnabled(prevMode);
  }
  return captured;
}

/** Whether t is contiguous and covers all of its storage (so owning t is owning its memory). */
function isWhole(t: Tensor): boolean {
  return t.offset === 0 && !t.requiresGrad && t.numel() === t.storage.data.length && isContiguous(t.shape, t.strides);
}

/** Runs tensor hooks in registration order; each sees the previous one's result and may replace it. */
function runHooks(hooks: ReadonlyMap<number, GradHook>, g: Tensor, where: string): Tensor {
  for (const h of [...hooks.values()]) {
    const r = h(g);
    if (r === undefined || r === null) continue;
    if (!(r instanceof Tensor)) throw new Error(`registerHook: a hook (on ${where}) must return a Tensor or nothing, got ${typeof r}`);
    if (!sameShape(r.shape, g.shape)) {
      throw new Error(`registerHook: a hook (on ${where}) returned a gradient of shape ${fmt(r.shape)} for a gradient of shape ${fmt(g.shape)}; return a tensor of the same shape`);
    }
    g = r;
  }
  return g;
}

/** How many edges point at each node reachable from the roots (iterative depth-first walk). */
function countDependencies(roots: Tensor[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (r.gradFn && !deps.has(r.gradFn)) {
      deps.set(r.gradFn, 0);
      stack.push(r.gradFn);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of n.edges) {
      if (!(e instanceof Node)) continue;
      const seen = deps.has(e);
      deps.set(e, (deps.get(e) ?? 0) + 1);
      if (!seen) stack.push(e);
    }
  }
  return deps;
}

/**
 * The .grad after adding g: a new contiguous tensor when there was none (never a view shared with
 * another gradient). An existing one is added to in place when `inPlace` (a leaf) and no graph is
 * recorded, as PyTorch's AccumulateGrad does (`variable_grad += new_grad` outside grad mode): a
 * tensor that held the old .grad sees the sum, and no array is allocated. Otherwise (createGraph,
 * a retained non-leaf gradient as PyTorch's retain_grad, a .grad that requires grad, is an
 * inference tensor or has another dtype) .grad becomes the out-of-place sum.
 */
function accumulateLeaf(leaf: Tensor, g: Tensor, createGraph: boolean, inPlace = false): Tensor {
  const cur = peekGrad(leaf);
  if (!cur) return createGraph ? clone(g) : clone(g).detach();
  if (!inPlace || createGraph || cur.requiresGrad || cur.isInference() || cur.dtype !== g.dtype || !sameShape(cur.shape, g.shape)) return add(cur, g);
  if ((cur.dtype === "float32" || cur.dtype === "float64") && isContiguous(cur.shape, cur.strides)) {
    // Element by element in place (each output element reads only its own inputs), without the
    // temporary that add_ computes into (16-bit dtypes round through it, strided .grads copy back).
    backend().binary("add", cur.view_(), g.view_(), cur.view_());
    cur.storage.version++;
  } else cur.add_(g);
  return cur;
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `loss.backward()`: accumulates gradients into the leaves' `.grad` (or only into `opts.inputs`). */
    backward(gradient?: Tensor | null, opts?: BackwardCallOptions): void;
    /** PyTorch's keyword form, `loss.backward(retain_graph=True)`: `loss.backward({ retainGraph: true })`. */
    backward(opts: BackwardCallOptions & { gradient?: Tensor | null }): void;
  }
}

// The entry layer (tensor/guard.ts) rejects any other key of these functions' options objects.
const BACKWARD_KEYS = optionKeys<BackwardCallOptions>()({ retainGraph: true, createGraph: true, inputs: true });
declareOptions({ grad: ["retainGraph", "createGraph", "gradOutputs", "allowUnused"] });
/**
 * The gradient is optional, so PyTorch's keyword habit `loss.backward(retain_graph=True)` comes as
 * one options object, `loss.backward({ retainGraph: true })` (API.md rule 3); `{ gradient }` may ride
 * along. Without this the object was read as the gradient ("gradients is not iterable").
 */
export const BACKWARD_OPTIONAL_ARGS = declareOptionalArgs({ backward: { first: 1, names: ["gradient"], bag: BACKWARD_KEYS } });

installMethods({
  backward: (t: Tensor, gradient?: Tensor | null, opts?: BackwardCallOptions) => backward(t, gradient, opts),
});
