/**
 * Containers: `Sequential`, `ModuleList`, `ModuleDict`. Their items are children named like PyTorch's.
 *
 * One interface for every container of its kind (with ParameterList / ParameterDict in
 * ./layers/parameter-containers.ts), PyTorch's names in camelCase:
 * - list-like (Sequential, ModuleList, ParameterList): `at(i)` / `set(i, v)` (PyTorch's `l[i]`,
 *   `l[i] = v`, negative from the end), `length` (`len(l)`), `append`, `extend`, `insert`, `pop(i = -1)`,
 *   `slice(start, end)` (`l[a:b]`), iterable over the items;
 * - dict-like (ModuleDict, ParameterDict): `get`, `set`, `has` (`k in d`), `delete` (`del d[k]`), `pop`,
 *   `keys()`, `values()`, `items()`, `length` (`len(d)`), `clear()`, `update(other)`, iterable over the keys.
 */
import { argError, checkIterable, describe } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Module, type AnyModule } from "./module.js";
import { runFused } from "./fusion.js";
import { deprecated } from "../tensor/deprecation.js";

function checkModule(m: unknown, where: string): AnyModule {
  if (!(m instanceof Module)) throw new Error(`${where}: expected a Module, got ${m === null ? "null" : typeof m === "object" ? (m as object).constructor?.name : typeof m}`);
  return m;
}

/**
 * A negative index counts from the end; `past` also accepts n itself (insert's "append" position).
 * `of` words the container in the error ("a container of 3 modules", "a list of 3 parameters").
 */
export function normIndex(i: number, n: number, where: string, past = false, of = (k: number) => `a container of ${k} modules`): number {
  const j = typeof i === "number" && i < 0 ? i + n : i;
  if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j > n || (j === n && !past)) {
    const range = past ? `${-n} to ${n}` : n === 0 ? "none: it is empty" : `${-n} to ${n - 1}`;
    throw new RangeError(`${where}: index ${typeof i === "number" ? i : describe(i)} is out of range for ${of(n)} (valid: ${range})`);
  }
  return j;
}

/**
 * Runs its modules in order, each on the previous one's output. Children are named "0", "1", ...,
 * so state dict keys read `0.weight`, `features.3.bias` as in PyTorch. Each item runs through
 * `call`, so its hooks fire; a hook-free Conv2d → ReLU (→ MaxPool2d) runs as one fused op with the
 * same result (./fusion.ts).
 *
 * ```ts
 * const net = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * ```
 *
 * Shape: whatever the first module takes to whatever the last one returns.
 */
/**
 * Two neighbours in a Sequential that both declare a sequence layout (`batchFirst`) pass the same
 * tensor along, so different layouts mean one of them reads the batch axis as time (e.g. a
 * PositionalEncoding adding positions along the batch of a batch-first Transformer layer).
 */
function checkLayouts(items: readonly AnyModule[], where: string): void {
  const layout = (m: AnyModule): boolean | undefined => {
    const b = (m as unknown as { batchFirst?: unknown }).batchFirst;
    return typeof b === "boolean" ? b : undefined;
  };
  for (let i = 1; i < items.length; i++) {
    const a = layout(items[i - 1]), b = layout(items[i]);
    if (a !== undefined && b !== undefined && a !== b) {
      const name = (m: AnyModule): string => m.constructor.name;
      throw new Error(
        `${where}: ${name(items[i - 1])} (item ${i - 1}, batchFirst ${a}) feeds ${name(items[i])} (item ${i}, batchFirst ${b}); ` +
          `they read the sequence from different axes. Construct both with the same batchFirst`,
      );
    }
  }
}

export class Sequential extends Module<[Tensor], Tensor> {
  private declare store: AnyModule[];

  constructor(...modules: AnyModule[]) {
    super();
    Object.defineProperty(this, "store", { value: modules.map((m, i) => checkModule(m, `Sequential: argument ${i}`)), enumerable: false });
    checkLayouts(this.store, "Sequential");
  }

  protected override ownEntries(): [string, unknown][] {
    return this.store.map((m, i) => [String(i), m]);
  }

  /** `net.at(0)`, `net.at(-1)`: the module at an index. */
  at(i: number): AnyModule {
    return this.store[normIndex(i, this.store.length, "Sequential.at")];
  }

  /** `net.length`: number of modules. */
  get length(): number {
    return this.store.length;
  }

  /** `net.set(1, new nn.GELU())`: replaces the module at an index (PyTorch's `net[1] = m`); returns this. */
  set(i: number, m: AnyModule): this {
    const j = normIndex(i, this.store.length, "Sequential.set");
    const next = this.store.slice();
    next[j] = checkModule(m, "Sequential.set");
    checkLayouts(next, "Sequential.set");
    this.store[j] = m;
    return this;
  }

  /** `net.append(new nn.ReLU())`: adds a module at the end; returns this. */
  append(m: AnyModule): this {
    checkLayouts([...this.store, checkModule(m, "Sequential.append")], "Sequential.append");
    this.store.push(m);
    return this;
  }

  /** `net.extend([a, b])`: appends several modules; returns this. */
  extend(ms: Iterable<AnyModule>): this {
    checkIterable("Sequential.extend", "modules", ms, "an array of modules");
    const add = [...ms].map((m, i) => checkModule(m, `Sequential.extend: item ${i}`));
    checkLayouts([...this.store, ...add], "Sequential.extend");
    this.store.push(...add);
    return this;
  }

  /** `net.insert(0, m)`: inserts a module before an index (negative counts from the end, the length appends); returns this. */
  insert(index: number, m: AnyModule): this {
    const at = normIndex(index, this.store.length, "Sequential.insert", true);
    const next = this.store.slice();
    next.splice(at, 0, checkModule(m, "Sequential.insert"));
    checkLayouts(next, "Sequential.insert");
    this.store.splice(at, 0, m);
    return this;
  }

  /** `net.pop(1)`: removes and returns the module at an index (the last one by default); the rest renumber, as PyTorch's. */
  pop(i = -1): AnyModule {
    const j = normIndex(i, this.store.length, "Sequential.pop");
    const next = this.store.slice();
    next.splice(j, 1);
    checkLayouts(next, "Sequential.pop");
    return this.store.splice(j, 1)[0];
  }

  /** `net.slice(0, 4)`: a new Sequential of modules start..end-1 (the same module objects, as PyTorch's slicing). */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...this.store.slice(start, end));
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.store[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    const items = this.store;
    for (let i = 0; i < items.length; ) {
      // Conv2d → ReLU (→ MaxPool2d) without hooks runs as one fused op (./fusion.ts).
      const fused = runFused(items, i, y);
      if (fused) {
        [y, i] = [fused[0], i + fused[1]];
        continue;
      }
      y = items[i++].call(y) as Tensor;
    }
    return y;
  }
}

/**
 * A list of modules registered as children "0", "1", ... (for models that loop over layers).
 *
 * ```ts
 * const blocks = new nn.ModuleList([new nn.Linear(8, 8), new nn.Linear(8, 8)]);
 * ```
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  private declare store: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    checkIterable("ModuleList", "modules", modules, "an array of modules");
    Object.defineProperty(this, "store", { value: [...modules].map((m, i) => checkModule(m, `ModuleList: item ${i}`) as M), enumerable: false });
  }

  protected override ownEntries(): [string, unknown][] {
    return this.store.map((m, i) => [String(i), m]);
  }

  /** `blocks.at(-1)`: the module at an index. */
  at(i: number): M {
    return this.store[normIndex(i, this.store.length, "ModuleList.at")];
  }

  /** `blocks.set(0, m)`: replaces the module at an index (PyTorch's `blocks[0] = m`); returns this. */
  set(i: number, m: M): this {
    const j = normIndex(i, this.store.length, "ModuleList.set");
    this.store[j] = checkModule(m, "ModuleList.set") as M;
    return this;
  }

  /** `blocks.length`: number of modules. */
  get length(): number {
    return this.store.length;
  }

  /** `blocks.append(new nn.Linear(8, 8))`: adds a module at the end; returns this. */
  append(m: M): this {
    this.store.push(checkModule(m, "ModuleList.append") as M);
    return this;
  }

  /** `blocks.extend([a, b])`: appends several modules; returns this. */
  extend(ms: Iterable<M>): this {
    checkIterable("ModuleList.extend", "modules", ms, "an array of modules");
    const add = [...ms].map((m, i) => checkModule(m, `ModuleList.extend: item ${i}`) as M);
    this.store.push(...add);
    return this;
  }

  /** `blocks.pop(1)`: removes and returns the module at an index (the last one by default); the rest renumber. */
  pop(i = -1): M {
    return this.store.splice(normIndex(i, this.store.length, "ModuleList.pop"), 1)[0];
  }

  /** `blocks.slice(1, 3)`: a new ModuleList of the same module objects (PyTorch's `blocks[1:3]`). */
  slice(start?: number, end?: number): ModuleList<M> {
    return new ModuleList(this.store.slice(start, end));
  }

  /**
   * `blocks.insert(0, m)`: inserts a module before an index (negative counts from the end, the length
   * appends); returns this. Outside that range it throws: PyTorch 1.13 fails there with a KeyError or
   * leaves a gap in the child names, and splicing would silently put the module somewhere else.
   */
  insert(index: number, m: M): this {
    const at = normIndex(index, this.store.length, "ModuleList.insert", true);
    this.store.splice(at, 0, checkModule(m, "ModuleList.insert") as M);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.store[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ModuleList.forward: a ModuleList has no forward; iterate over it and call its modules in your own forward");
  }
}

/**
 * Modules registered under string keys, in insertion order (PyTorch 1.13's ModuleDict keeps the order
 * of a plain object too, unlike its ParameterDict).
 *
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), box: new nn.Linear(8, 4) });
 * for (const [k, m] of heads.items()) console.log(k, m.toString());
 * ```
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  private declare store: Map<string, M>;

  constructor(modules: ModuleDict<M> | Map<string, M> | Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    Object.defineProperty(this, "store", { value: new Map<string, M>(), enumerable: false });
    this.updateFrom(modules, "ModuleDict");
  }

  protected override ownEntries(): [string, unknown][] {
    return [...this.store];
  }

  private updateFrom(src: unknown, where: string): void {
    if (src === null || typeof src !== "object" || src instanceof Module && !(src instanceof ModuleDict)) {
      throw argError(where, "modules", "an object of modules by name or an iterable of [name, module] pairs", src);
    }
    const entries: unknown[] = src instanceof ModuleDict ? src.items() : Symbol.iterator in src ? [...(src as Iterable<unknown>)] : Object.entries(src);
    entries.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw argError(where, `entry ${i}`, "a [name, module] pair (or pass an object of modules by name)", e);
    });
    for (const [k, m] of entries as [string, M][]) this.setOne(k, m, where === "ModuleDict" ? "ModuleDict.set" : where);
  }

  private setOne(key: string, m: M, where: string): void {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new Error(`${where}: key must be a non-empty string without ".", got ${JSON.stringify(key)}`);
    this.store.set(key, checkModule(m, `${where}("${key}")`) as M);
  }

  private missing(key: string, where: string): Error {
    return new Error(`${where}: no module "${key}" (keys: ${[...this.store.keys()].join(", ") || "none"})`);
  }

  /** `heads.get("cls")`: the module under a key (PyTorch's `heads["cls"]`; throws listing the keys when absent). */
  get(key: string): M {
    const m = this.store.get(key);
    if (!m) throw this.missing(key, "ModuleDict.get");
    return m;
  }

  /** `heads.set("seg", new nn.Conv2d(8, 2, 1))`: adds or replaces a module; returns this. */
  set(key: string, m: M): this {
    this.setOne(key, m, "ModuleDict.set");
    return this;
  }

  /** `heads.has("cls")` (PyTorch's `"cls" in heads`). */
  has(key: string): boolean {
    return this.store.has(key);
  }

  /** `heads.delete("cls")`: removes a module; true if it was there (PyTorch's `del heads["cls"]`). */
  delete(key: string): boolean {
    return this.store.delete(key);
  }

  /** `heads.pop("cls")`: removes a key and returns its module (throws when absent, as PyTorch's KeyError). */
  pop(key: string): M {
    const m = this.store.get(key);
    if (!m) throw this.missing(key, "ModuleDict.pop");
    this.store.delete(key);
    return m;
  }

  /** `heads.update(other)`: adds or replaces every entry of other (an object, a Map, pairs or a ModuleDict, in their order); returns this. */
  update(modules: ModuleDict<M> | Map<string, M> | Record<string, M> | Iterable<[string, M]>): this {
    this.updateFrom(modules, "ModuleDict.update");
    return this;
  }

  /** `heads.clear()`: removes every module. */
  clear(): void {
    this.store.clear();
  }

  /** `heads.keys()`: keys in insertion order. */
  keys(): string[] {
    return [...this.store.keys()];
  }

  /** `heads.values()`: modules in insertion order. */
  values(): M[] {
    return [...this.store.values()];
  }

  /** `heads.items()`: [key, module] pairs in insertion order (PyTorch's `items()`). */
  items(): [string, M][] {
    return [...this.store];
  }

  /** `heads.length`: number of modules (PyTorch's `len(heads)`). */
  get length(): number {
    return this.store.size;
  }

  /** Deprecated 0.1 name of `items()` (dict-like containers share PyTorch's names). */
  entries(): [string, M][] {
    deprecated("ModuleDict", "ModuleDict.entries()", "ModuleDict.items()");
    return this.items();
  }

  /** Deprecated 0.1 name of `length`. */
  get size(): number {
    deprecated("ModuleDict", "ModuleDict.size", "ModuleDict.length");
    return this.length;
  }

  /** `for (const k of heads)`: iterates over the keys, as PyTorch's. */
  [Symbol.iterator](): Iterator<string> {
    return this.store.keys();
  }

  forward(): never {
    throw new Error("ModuleDict.forward: a ModuleDict has no forward; pick its modules by key in your own forward");
  }
}
