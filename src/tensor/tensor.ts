/**
 * The Tensor class: a strided window (shape, strides, offset) over a storage, plus autograd state.
 *
 * Only what every op needs lives here. The op methods (`add`, `matmul`, `sum`, ...) are defined
 * next to their op in src/ops and installed on this class from there, so that each op is written
 * in one place; importing "deeptype" (or src/core.ts) installs them all.
 */
import { checkTensor, describe } from "./check.js";
import { type Node, type GradHook, type RemovableHandle, addHook } from "../autograd/node.js";
import { isInferenceMode } from "../autograd/grad-mode.js";
import type { View } from "../backend/backend.js";
import { type DType, type StorageArray, type TypedArray, ArrayFor, allocate, isFloating } from "./dtype.js";
import { contiguousStrides, fmt, isContiguous, normalizeDim, numel } from "./shape.js";
import { formatTensor } from "./format.js";
import { decodeHalf, halfToFloat32, isHalf, markHalfInUse } from "./half.js";

/** The memory a tensor and all its views share; `version` counts in-place writes (autograd checks it). */
export interface Storage {
  readonly data: StorageArray;
  version: number;
  /**
   * Set on memory the library allocated itself (`Tensor.empty`), from a counter that only grows: the
   * backward engine reads it to tell a gradient made during this backward, which it may hand to
   * `.grad` as it is, from memory someone else may hold (a user's array, a saved tensor).
   */
  readonly serial?: number;
  /**
   * Whether the memory was allocated inside inferenceMode (see the Tensor constructor): set when the
   * storage is made, or by its first tensor. A field, not a WeakMap entry: a WeakMap write per new
   * tensor doubled the cost of a small op (the GC's ephemeron work).
   */
  inference?: boolean;
}

let lastSerial = 0;

/** The serial of the most recently allocated storage; every later `Tensor.empty` gets a larger one. @internal */
export function storageSerial(): number {
  return lastSerial;
}

/** A value that can stand where a tensor is expected; numbers and booleans act as 0-d tensors. */
export type TensorLike = Tensor | number | boolean;

/**
 * Nested JavaScript arrays, as `tensor()` takes them and `tolist()` returns them. A bigint appears
 * only for int64 values beyond ±(2^53 − 1), which no number holds exactly.
 */
export type NestedArray = number | boolean | bigint | NestedArray[];

/** Largest integer magnitude a number holds exactly (2^53 − 1): int64 values beyond it read as bigints. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An int64 element as a number when that is exact, else the bigint itself. */
function exactValue(v: bigint): number | bigint {
  return v >= -SAFE && v <= SAFE ? Number(v) : v;
}

/**
 * `.grad` tensors whose memory nobody but the backward engine and the optimizers has seen: the
 * engine adds a gradient it made itself, and nothing else holds, when it makes it a leaf's `.grad`;
 * any read of `.grad` removes it. `Optimizer.zeroGrad()` gives a member's memory back to the
 * recycling pool as it drops it (PyTorch frees it there, set_to_none, by reference count), so the
 * next backward's weight gradient reuses memory already in cache instead of a fresh array.
 */
const unseenGrads = new WeakSet<Tensor>();
let gradSlot: (t: Tensor) => Tensor | null;

/** @internal t's `.grad` for the engine and the optimizers: reading it this way does not count as seeing it. */
export function peekGrad(t: Tensor): Tensor | null {
  return gradSlot(t);
}

/** @internal Marks g, which the engine just made a leaf's `.grad` and which nothing else holds, as unseen. */
export function markUnseenGrad(g: Tensor): void {
  unseenGrads.add(g);
}

/** @internal Whether g is an unseen `.grad` (see unseenGrads); forgets it either way. */
export function takeUnseenGrad(g: Tensor): boolean {
  return unseenGrads.delete(g);
}

export class Tensor {
  readonly storage: Storage;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  // A private field, so that only the accessor below reaches it (not spread or Object.keys).
  #grad: Tensor | null = null;
  static {
    gradSlot = (t) => t.#grad;
  }
  /** Accumulated gradient (leaves, and non-leaves after `retainGrad()`). */
  get grad(): Tensor | null {
    const g = this.#grad;
    // Whoever reads it may keep it: its memory is no longer the engine's to reuse.
    if (g !== null) unseenGrads.delete(g);
    return g;
  }
  set grad(g: Tensor | null) {
    this.#grad = g;
  }
  /** The tensor whose storage this one is a view of, or null. */
  readonly base: Tensor | null;
  private requiresGradFlag = false;
  private node: Node | null = null;
  private retains = false;
  private readonly inference: boolean;
  /**
   * Hooks of a leaf (`registerHook` on a tensor without gradFn), run on the gradient summed over one
   * backward before it is added into `.grad`. A non-leaf's hooks live on its node.
   * @internal
   */
  leafHooks: Map<number, GradHook> | null = null;

  constructor(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType, base: Tensor | null = null) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = dtype;
    this.base = base;
    if (isHalf(dtype)) markHalfInUse();
    // PyTorch: a tensor whose memory was allocated inside inferenceMode is an inference tensor, and so is
    // every tensor sharing that memory (views, detach); a view of a normal tensor stays normal, even when
    // taken inside inferenceMode. The first tensor made on a storage decides for it.
    if (typeof storage !== "object" || storage === null) {
      throw new Error(`new Tensor: expects a storage object { data, version } as its first argument, got ${storage === null ? "null" : typeof storage}; make tensors with tensor(), zeros() or Tensor.fromArray()`);
    }
    let inf = storage.inference;
    if (inf === undefined) inf = storage.inference = isInferenceMode() && base === null;
    this.inference = inf;
  }

  /** The graph node that produced this tensor; null for leaves. */
  get gradFn(): Node | null {
    return this.node;
  }

  set gradFn(n: Node | null) {
    const old = this.node;
    this.node = n;
    // retainGrad follows the tensor, not the value: after an in-place op the retained gradient is
    // that of the latest version (PyTorch's retains_grad).
    if (this.retains && old !== n) {
      if (old?.retained === this) old.retained = null;
      if (n) n.retained = this;
    }
  }

  /**
   * `h.retainGrad()`: keep `.grad` for this non-leaf tensor in later backward passes (a leaf keeps
   * its gradient anyway). It follows in-place ops: `.grad` is the gradient of the latest value.
   *
   * @example const h = x.mul(2); h.retainGrad(); h.sum().backward(); h.grad; // ones
   */
  retainGrad(): void {
    if (!this.requiresGrad) {
      throw new Error("retainGrad: this tensor does not require grad, so it has no gradient to keep; make an input requiresGrad first");
    }
    if (this.node === null) return;
    this.retains = true;
    this.node.retained = this;
  }

  /** Whether `.grad` is kept for this non-leaf tensor (PyTorch's `retains_grad`). */
  get retainsGrad(): boolean {
    return this.retains;
  }

  /**
   * `t.registerHook(g => g.mul(2))`: calls `hook` with the gradient of this tensor in every backward
   * pass; a tensor it returns replaces the gradient (for this tensor's `.grad` or for what flows
   * further back). Works on leaves and non-leaves. Hooks run in registration order; on a non-leaf,
   * a hook registered before an in-place op sees the gradient of the value before it (PyTorch 2).
   * `grad()` returns the gradient of its inputs before their hooks run, as torch.autograd.grad.
   *
   * @example const h = x.registerHook((g) => g.clamp(-1, 1)); ...; h.remove();
   */
  registerHook(hook: (grad: Tensor) => Tensor | void | undefined): RemovableHandle {
    if (typeof hook !== "function") throw new Error(`registerHook: the hook must be a function (grad) => Tensor | undefined, got ${describe(hook)}`);
    if (!this.requiresGrad) {
      throw new Error("registerHook: cannot register a hook on a tensor that does not require grad; set requiresGrad on it (or on an input it comes from) first");
    }
    if (this.node) return addHook((this.node.hooks ??= new Map()), hook);
    this.leafHooks ??= new Map();
    return addHook(this.leafHooks, hook);
  }

  /** Whether this tensor was made inside `inferenceMode` (PyTorch's `is_inference()`); such tensors cannot enter autograd. */
  isInference(): boolean {
    return this.inference;
  }

  /**
   * Makes this leaf hold `src`'s storage, shape and dtype while keeping the object, as PyTorch's
   * `param.data = param.data.to(dtype)` in `module.to`: an optimizer holding the parameter keeps
   * updating it. For leaves outside any graph (nn's Module.to); not a user-facing op.
   * @internal
   */
  replaceData_(src: Tensor): this {
    checkTensor("replaceData_", "src", src);
    if (this.gradFn !== null || this.base !== null) throw new Error("replaceData_: only a leaf that is not a view can take new data");
    const self = this as { -readonly [K in "storage" | "shape" | "strides" | "offset" | "dtype"]: Tensor[K] };
    self.storage = src.storage;
    self.shape = src.shape;
    self.strides = src.strides;
    self.offset = src.offset;
    self.dtype = src.dtype;
    return this;
  }

  /** A fresh, zero-filled, contiguous tensor. */
  static empty(shape: readonly number[], dtype: DType = "float32"): Tensor {
    return Tensor.fresh(shape, dtype, true);
  }

  /**
   * A fresh contiguous tensor whose values are unspecified (zeros or leftovers: allocateUninit), for
   * an op whose kernel writes every element before the tensor is seen. @internal
   */
  static uninit(shape: readonly number[], dtype: DType = "float32"): Tensor {
    return Tensor.fresh(shape, dtype, false);
  }

  private static fresh(shape: readonly number[], dtype: DType, zeroed: boolean): Tensor {
    const n = numel(shape);
    const data = allocate(dtype, n, zeroed);
    if (data.length < n) return Tensor.fromArray(data, shape, dtype); // a fractional size: fromArray's error
    return new Tensor({ data, version: 0, serial: ++lastSerial, inference: isInferenceMode() }, [...shape], contiguousStrides(shape), 0, dtype);
  }

  /** Wraps a typed array (no copy) as a contiguous tensor of `shape`. */
  static fromArray(data: StorageArray, shape: readonly number[], dtype: DType): Tensor {
    if (!ArrayBuffer.isView(data)) throw new Error(`Tensor.fromArray: data must be a typed array (Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array, Uint8Array; Uint16Array of bit patterns for float16/bfloat16), got ${describe(data)}`);
    if (isHalf(dtype) && !(data instanceof Uint16Array)) {
      throw new Error(`Tensor.fromArray: a ${dtype} tensor is stored as 16-bit patterns and needs a Uint16Array, got ${describe(data)}; for values use tensor(values, { dtype: "${dtype}" })`);
    }
    // The kernels read each dtype's own array type (an int64 tensor's elements are bigints).
    if (ArrayFor[dtype] !== undefined && !(data instanceof ArrayFor[dtype])) {
      throw new Error(`Tensor.fromArray: dtype ${dtype} is stored in a ${ArrayFor[dtype].name}, got a ${data.constructor.name}; convert with tensor(data, { dtype: "${dtype}" })`);
    }
    if (data.length < numel(shape)) {
      throw new Error(`Tensor.fromArray: shape ${fmt(shape)} needs ${numel(shape)} elements but the array holds ${data.length}; pass a matching shape or a longer array`);
    }
    // Kernels read a bool byte as 0 or 1 (logicalNot is 1 − x): another byte would give wrong results later.
    if (dtype === "bool") {
      const bad = (data as Uint8Array).findIndex((v) => v > 1);
      if (bad >= 0) throw new Error(`Tensor.fromArray: a bool tensor's bytes must be 0 or 1, got ${data[bad]} at index ${bad}; for truthiness use tensor(Array.from(data, Boolean)) or a uint8 tensor's .ne(0)`);
    }
    // serial 0: not memory the library allocated (the caller may keep the array); the same object shape as empty's.
    return new Tensor({ data, version: 0, serial: 0, inference: isInferenceMode() }, [...shape], contiguousStrides(shape), 0, dtype);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements, as PyTorch's `x.numel()`. */
  numel(): number {
    return numel(this.shape);
  }

  /** Bytes per element, as PyTorch's `x.element_size()`: 4 for float32 and int32, 8 for float64 and int64, 1 for bool. */
  elementSize(): number {
    return allocate(this.dtype, 0).BYTES_PER_ELEMENT;
  }

  /** `x.size()` is the shape; `x.size(-1)` one dimension of it. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeDim(dim, this.ndim, "size")];
  }

  dim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  set requiresGrad(on: boolean) {
    if (on && !isFloating(this.dtype)) {
      throw new Error(`requiresGrad: only floating point tensors can require gradients, this one is ${this.dtype} (cast it first, e.g. x.float())`);
    }
    if (on && this.inference && !isInferenceMode()) {
      throw new Error("requiresGrad: setting requiresGrad on an inference tensor (made inside inferenceMode) outside inferenceMode is not allowed; use x.clone() outside inferenceMode to get a normal tensor");
    }
    if (!on && this.gradFn) {
      throw new Error("requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach() to get a tensor outside the graph");
    }
    this.requiresGradFlag = on;
  }

  /** `w.requiresGrad_()`: marks a leaf as a parameter to differentiate; returns this. */
  requiresGrad_(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /** Number of in-place writes to this tensor's storage so far. */
  get version(): number {
    return this.storage.version;
  }

  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /** The kernel-facing description of this tensor (no copy). */
  view_(): View {
    return { data: this.storage.data, dtype: this.dtype, shape: this.shape, strides: this.strides, offset: this.offset };
  }

  /**
   * The value of a one-element tensor as a JavaScript number. An int64 value beyond ±(2^53 − 1) has no
   * exact number: that throws, naming `itemBigInt()`.
   */
  item(): number {
    if (this.numel() !== 1) throw new Error(`item: only one-element tensors can be converted to a number, this one has shape ${fmt(this.shape)}`);
    const v = this.storage.data[this.offset];
    if (typeof v !== "bigint") return isHalf(this.dtype) ? decodeHalf(v, this.dtype) : v;
    const n = exactValue(v);
    if (typeof n === "bigint") throw new RangeError(`item: the int64 value ${v} is beyond ±(2^53 - 1), which a number cannot hold exactly; use itemBigInt() for the exact value`);
    return n;
  }

  /** `x.itemBigInt()`: the exact value of a one-element integer tensor as a bigint (for int64 beyond 2^53). @example tensor([5], { dtype: "int64" }).itemBigInt() // 5n */
  itemBigInt(): bigint {
    if (this.numel() !== 1) throw new Error(`itemBigInt: only one-element tensors can be converted to a bigint, this one has shape ${fmt(this.shape)}`);
    const v = this.storage.data[this.offset];
    if (typeof v === "bigint") return v;
    if (!Number.isInteger(v)) throw new RangeError(`itemBigInt: the ${this.dtype} value ${v} is not an integer; use item() for floating values`);
    return BigInt(v);
  }

  /**
   * A contiguous copy of the elements, as a typed array of this dtype; float16 and bfloat16 (which
   * JavaScript has no array for) give their values as a Float32Array, exactly (`bits()` gives the
   * patterns); int64 comes back as a Float64Array (exact, since it throws if a value is beyond
   * ±(2^53 − 1); `dataBigInt()` is exact for all).
   */
  data(): TypedArray {
    if (isHalf(this.dtype)) return halfToFloat32(this.bits(), this.dtype);
    if (this.dtype === "int64") {
      const big = this.dataBigInt();
      const out = new Float64Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = exactValue(big[i]);
        if (typeof v === "bigint") throw new RangeError(`data: the int64 value ${v} (element ${i}) is beyond ±(2^53 - 1), which a number cannot hold exactly; use dataBigInt() for exact values`);
        out[i] = v;
      }
      return out;
    }
    return this.copyOut() as TypedArray;
  }

  /**
   * The elements as numbers for library code that only compares them (index bounds, zero tests,
   * counts): like `data()`, but int64 values beyond 2^53 round to the nearest double instead of
   * throwing. Rounding keeps a value's sign, whether it is zero and whether it lies beyond any array
   * bound, so those tests stay exact; arithmetic on int64 values goes through the kernels instead.
   * @internal
   */
  numbers(): TypedArray {
    if (this.dtype !== "int64") return this.data();
    return Float64Array.from(this.copyOut() as BigInt64Array, Number);
  }

  /** `x.dataBigInt()`: the elements of an integer or bool tensor as an exact BigInt64Array copy. @example tensor([1, 2], { dtype: "int64" }).dataBigInt() // BigInt64Array [1n, 2n] */
  dataBigInt(): BigInt64Array {
    if (this.dtype === "int64") return this.copyOut() as BigInt64Array;
    if (isFloating(this.dtype)) throw new Error(`dataBigInt: ${this.dtype} values are not integers; cast first (x.long().dataBigInt()) or use data()`);
    return BigInt64Array.from(this.copyOut() as TypedArray, (v) => BigInt(v));
  }

  /**
   * The 16-bit patterns of a float16/bfloat16 tensor, contiguous (what safetensors F16/BF16 store).
   * @example tensor([1], { dtype: "float16" }).bits() // Uint16Array [0x3c00]
   */
  bits(): Uint16Array {
    if (!isHalf(this.dtype)) throw new Error(`bits: only float16 and bfloat16 tensors are stored as 16-bit patterns, this one is ${this.dtype}; use data()`);
    return this.copyOut() as Uint16Array;
  }

  /** A contiguous copy of the storage's elements, in the storage's own array type. */
  private copyOut(): StorageArray {
    const n = this.numel();
    const out = allocate(this.dtype, n);
    if (this.isContiguous()) {
      (out as Float64Array).set(this.storage.data.subarray(this.offset, this.offset + n) as Float64Array);
      return out;
    }
    const idx = new Array<number>(this.ndim).fill(0);
    for (let i = 0; i < n; i++) {
      let at = this.offset;
      for (let d = 0; d < idx.length; d++) at += idx[d] * this.strides[d];
      (out as Float64Array)[i] = this.storage.data[at] as number; // same array type on both sides
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < this.shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  /**
   * Nested arrays of numbers (booleans for bool tensors), like PyTorch's `tolist()`. int64 values are
   * numbers where a number is exact (|v| ≤ 2^53 − 1) and bigints beyond, so nothing is rounded.
   */
  tolist(): NestedArray {
    const flat = isHalf(this.dtype) ? this.data() : this.copyOut();
    const asValue = (v: number | bigint): number | boolean | bigint => (typeof v === "bigint" ? exactValue(v) : this.dtype === "bool" ? v !== 0 : v);
    if (this.ndim === 0) return asValue(flat[0]);
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(d === this.ndim - 1 ? asValue(flat[pos++]) : build(d + 1));
      return out;
    };
    return build(0);
  }

  /** PyTorch-style printout: values (abbreviated when large), then dtype and grad details. */
  toString(): string {
    const extras: string[] = [];
    if (this.numel() > 1000 || (this.numel() === 0 && this.ndim !== 1)) extras.push(`shape=${fmt(this.shape)}`);
    // Default dtypes are not marked, as in PyTorch: float32 for numbers, int64 for integers, bool for
    // booleans (except in an empty tensor, where no value shows the type).
    if (this.dtype !== "float32" && ((this.dtype !== "bool" && this.dtype !== "int64") || this.numel() === 0)) extras.push(`dtype=${this.dtype}`);
    if (this.gradFn) extras.push(`gradFn=<${this.gradFn.name}Backward>`);
    else if (this.requiresGrad) extras.push("requiresGrad=true");
    return formatTensor(isHalf(this.dtype) ? this.data() : this.copyOut(), this.shape, this.dtype, extras);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
