/**
 * `ParameterList` and `ParameterDict`, as PyTorch 1.13's: parameters held in a list or under string
 * keys, registered as "0", "1", ... or as their keys, so they appear in `parameters()`,
 * `namedParameters()` (`params.0`, `heads.cls`) and the state dict, and an optimizer updates them.
 * A plain tensor put in either is wrapped in a `Parameter` (sharing its storage), as PyTorch does.
 *
 * ```ts
 * const scales = new nn.ParameterList([ones([3]), zeros([3])]);
 * const table = new nn.ParameterDict({ left: randn([5, 10]), right: randn([5, 10]) });
 * ```
 */
import { Tensor, isFloating, type DType } from "../../core.js";
import { argError, checkIterable, describe } from "../../tensor/check.js";
import { Module, Parameter } from "../module.js";
import { normIndex } from "../containers.js";

/** `t` as a Parameter: itself if it is one, else a new Parameter over its storage (PyTorch's wrapping). */
function toParameter(t: unknown, where: string): Parameter {
  if (t instanceof Parameter) return t;
  if (!(t instanceof Tensor)) throw argError(where, "the value", "a Tensor or Parameter", t);
  // PyTorch: "Only Tensors of floating point and complex dtype can require gradients".
  if (!isFloating(t.dtype)) throw new Error(`${where}: only floating-point tensors can be parameters (they require gradients), got dtype ${t.dtype}; convert it with .float()`);
  return new Parameter(t);
}

/** PyTorch's `[torch.float32 of size 3x4]` (ParameterList prints the dtype; ParameterDict the legacy type name). */
function paramLine(key: string, p: Parameter, legacy: boolean): string {
  const what = legacy ? `torch.${LEGACY[p.dtype] ?? p.dtype}` : `torch.${p.dtype}`;
  return `  (${key}): Parameter containing: [${what} of size ${p.shape.join("x")}]`;
}
const LEGACY: Partial<Record<DType, string>> = { float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor", bfloat16: "BFloat16Tensor" };

/**
 * Parameters in a list, registered as "0", "1", ... (state dict keys `params.0`, `params.1`).
 *
 * ```ts
 * const ps = new nn.ParameterList([randn([3, 4])]);
 * ps.append(zeros([2]));
 * for (const p of ps) console.log(p.shape);
 * ```
 */
export class ParameterList extends Module<never[], never> {
  private declare store: Parameter[];

  constructor(values: Iterable<Tensor> = []) {
    super();
    checkIterable("ParameterList", "values", values, "an array of tensors or parameters");
    Object.defineProperty(this, "store", { value: [], enumerable: false });
    this.extend(values);
  }

  protected override ownEntries(): [string, unknown][] {
    return this.store.map((p, i) => [String(i), p]);
  }

  private index(i: number, where: string, past = false): number {
    return normIndex(i, this.store.length, where, past, (n) => `a list of ${n} parameters`);
  }

  /** `ps.at(-1)`: the parameter at an index (PyTorch's `ps[-1]`). */
  at(i: number): Parameter {
    return this.store[this.index(i, "ParameterList.at")];
  }

  /** `ps.set(0, t)`: replaces the parameter at an index (a tensor is wrapped in a Parameter); returns this. */
  set(i: number, value: Tensor): this {
    const j = this.index(i, "ParameterList.set");
    this.store[j] = toParameter(value, "ParameterList.set");
    return this;
  }

  /** `ps.length`: number of parameters. */
  get length(): number {
    return this.store.length;
  }

  /** `ps.append(zeros([3]))`: adds a parameter at the end; returns this. */
  append(value: Tensor): this {
    this.store.push(toParameter(value, "ParameterList.append"));
    return this;
  }

  /** `ps.extend([a, b])`: appends several; returns this. */
  extend(values: Iterable<Tensor>): this {
    checkIterable("ParameterList.extend", "values", values, "an array of tensors or parameters");
    // All or nothing, as the other containers: a bad item leaves the list as it was.
    const add = [...values].map((v) => toParameter(v, "ParameterList.extend"));
    this.store.push(...add);
    return this;
  }

  /**
   * `ps.insert(0, t)`: inserts a parameter before an index (negative counts from the end, the length
   * appends); returns this. PyTorch's ParameterList lacks it; the list-like containers share one interface.
   */
  insert(index: number, value: Tensor): this {
    const at = this.index(index, "ParameterList.insert", true);
    this.store.splice(at, 0, toParameter(value, "ParameterList.insert"));
    return this;
  }

  /** `ps.pop(0)`: removes and returns the parameter at an index (the last one by default); the rest renumber. */
  pop(i = -1): Parameter {
    return this.store.splice(this.index(i, "ParameterList.pop"), 1)[0];
  }

  /** `ps.slice(1, 3)`: a new ParameterList of the same Parameter objects (PyTorch's `ps[1:3]`). */
  slice(start?: number, end?: number): ParameterList {
    return new ParameterList(this.store.slice(start, end));
  }

  [Symbol.iterator](): Iterator<Parameter> {
    return this.store[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ParameterList.forward: a ParameterList has no forward (PyTorch: it should not be called); use its parameters in your own forward");
  }

  override extraRepr(): string {
    return this.store.map((p, i) => paramLine(String(i), p, false)).join("\n");
  }
}

/**
 * Parameters under string keys, in insertion order (state dict keys `table.left`). As PyTorch 1.13,
 * a plain object given to the constructor or `update` is added in sorted key order (PyTorch sorts a
 * plain dict); a Map, an array of [key, tensor] pairs or another ParameterDict keeps its order.
 *
 * ```ts
 * const pd = new nn.ParameterDict([["w", randn([4, 4])], ["b", zeros([4])]]);
 * pd.set("scale", ones([1]));
 * for (const [k, p] of pd.items()) console.log(k, p.shape);
 * ```
 */
export class ParameterDict extends Module<never[], never> {
  private declare store: Map<string, Parameter>;

  constructor(parameters: ParameterDict | Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]> = {}) {
    super();
    Object.defineProperty(this, "store", { value: new Map<string, Parameter>(), enumerable: false });
    this.updateFrom(parameters, "ParameterDict");
  }

  protected override ownEntries(): [string, unknown][] {
    return [...this.store];
  }

  private updateFrom(src: unknown, where: string): void {
    const takes = "an object of tensors by key, a Map, a ParameterDict or an iterable of [key, tensor] pairs";
    if (src === null || typeof src !== "object" || src instanceof Tensor) throw argError(where, "parameters", takes, src);
    let entries: unknown[];
    if (src instanceof ParameterDict) entries = src.items();
    else if (Symbol.iterator in src) entries = [...(src as Iterable<unknown>)];
    // PyTorch 1.13's update adds a plain (non-ordered) dict in sorted key order.
    else entries = Object.entries(src).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    entries.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw argError(where, `entry ${i}`, "a [key, tensor] pair", e);
    });
    for (const [k, v] of entries as [string, Tensor][]) this.setOne(k, v, where);
  }

  private setOne(key: string, value: Tensor, where: string): void {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new Error(`${where}: key must be a non-empty string without ".", got ${describe(key)}`);
    this.store.set(key, toParameter(value, `${where}("${key}")`));
  }

  /**
   * `pd.get("w")`: the parameter under a key (PyTorch's `pd["w"]`; throws listing the keys when
   * absent); `pd.get("w", fallback)` returns `fallback` instead, as PyTorch's `pd.get`.
   */
  get(key: string): Parameter;
  get<D>(key: string, fallback: D): Parameter | D;
  get<D>(key: string, ...fallback: [D?]): Parameter | D | undefined {
    const p = this.store.get(key);
    if (p) return p;
    if (fallback.length) return fallback[0];
    throw new Error(`ParameterDict.get: no parameter "${key}" (keys: ${[...this.store.keys()].join(", ") || "none"})`);
  }

  /** `pd.set("w", randn([4, 4]))`: adds or replaces (a tensor is wrapped in a Parameter); returns this. */
  set(key: string, value: Tensor): this {
    this.setOne(key, value, "ParameterDict.set");
    return this;
  }

  /** `pd.has("w")` (PyTorch's `"w" in pd`). */
  has(key: string): boolean {
    return this.store.has(key);
  }

  /** `pd.delete("w")`: removes a key; true if it was there (PyTorch's `del pd["w"]`). */
  delete(key: string): boolean {
    return this.store.delete(key);
  }

  /** `pd.pop("w")`: removes a key and returns its parameter (throws when absent, as PyTorch's KeyError). */
  pop(key: string): Parameter {
    const p = this.store.get(key);
    if (!p) throw new Error(`ParameterDict.pop: no parameter "${key}" (keys: ${[...this.store.keys()].join(", ") || "none"})`);
    this.store.delete(key);
    return p;
  }

  /** `pd.popitem()`: removes and returns the last inserted [key, parameter]. */
  popitem(): [string, Parameter] {
    const last = [...this.store].at(-1);
    if (!last) throw new Error("ParameterDict.popitem: the dictionary is empty");
    this.store.delete(last[0]);
    return last;
  }

  /** `pd.setdefault("w", zeros([3]))`: the parameter under key, inserting `value` first when absent. */
  setdefault(key: string, value: Tensor): Parameter {
    if (!this.store.has(key)) this.setOne(key, value, "ParameterDict.setdefault");
    return this.store.get(key)!;
  }

  /** `pd.update(other)`: adds or replaces every entry of other (a plain object in sorted key order, as PyTorch). */
  update(parameters: ParameterDict | Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]>): this {
    this.updateFrom(parameters, "ParameterDict.update");
    return this;
  }

  /** `pd.clear()`: removes every entry. */
  clear(): void {
    this.store.clear();
  }

  /** `pd.copy()`: a new ParameterDict holding the same Parameter objects, in the same order. */
  copy(): ParameterDict {
    return new ParameterDict(this);
  }

  /** `pd.keys()`: keys in insertion order. */
  keys(): string[] {
    return [...this.store.keys()];
  }

  /** `pd.values()`: parameters in insertion order. */
  values(): Parameter[] {
    return [...this.store.values()];
  }

  /** `pd.items()`: [key, parameter] pairs in insertion order. */
  items(): [string, Parameter][] {
    return [...this.store];
  }

  /** `pd.length`: number of entries (PyTorch's `len(pd)`). */
  get length(): number {
    return this.store.size;
  }

  /** `for (const k of pd)`: iterates over the keys, as PyTorch's. */
  [Symbol.iterator](): Iterator<string> {
    return this.store.keys();
  }

  forward(): never {
    throw new Error("ParameterDict.forward: a ParameterDict has no forward (PyTorch: it should not be called); pick its parameters by key in your own forward");
  }

  override extraRepr(): string {
    return [...this.store].map(([k, p]) => paramLine(k, p, true)).join("\n");
  }
}
