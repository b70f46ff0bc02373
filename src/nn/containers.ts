/** Containers: `Sequential`, `ModuleList`, `ModuleDict`. Their items are children named like PyTorch's. */
import { argError, checkIterable } from "../tensor/check.js";
import type { Tensor } from "../core.js";
import { Module, type AnyModule } from "./module.js";
import { runFused } from "./fusion.js";

function checkModule(m: unknown, where: string): AnyModule {
  if (!(m instanceof Module)) throw new Error(`${where}: expected a Module, got ${m === null ? "null" : typeof m === "object" ? (m as object).constructor?.name : typeof m}`);
  return m;
}

/** A negative index counts from the end; `past` also accepts n itself (insert's "append" position). */
function normIndex(i: number, n: number, where: string, past = false): number {
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(j) || j < 0 || j > n || (j === n && !past)) {
    const range = past ? `${-n} to ${n}` : n === 0 ? "none: it is empty" : `${-n} to ${n - 1}`;
    throw new RangeError(`${where}: index ${i} is out of range for a container of ${n} modules (valid: ${range})`);
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
  private declare items: AnyModule[];

  constructor(...modules: AnyModule[]) {
    super();
    Object.defineProperty(this, "items", { value: modules.map((m, i) => checkModule(m, `Sequential: argument ${i}`)), enumerable: false });
    checkLayouts(this.items, "Sequential");
  }

  protected override ownEntries(): [string, unknown][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** `net.at(0)`, `net.at(-1)`: the module at an index. */
  at(i: number): AnyModule {
    return this.items[normIndex(i, this.items.length, "Sequential.at")];
  }

  /** `net.length`: number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** `net.append(new nn.ReLU())`: adds a module at the end; returns this. */
  append(m: AnyModule): this {
    checkLayouts([...this.items, checkModule(m, "Sequential.append")], "Sequential.append");
    this.items.push(m);
    return this;
  }

  /** `net.slice(0, 4)`: a new Sequential of modules start..end-1 (the same module objects, as PyTorch's slicing). */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...this.items.slice(start, end));
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    const items = this.items;
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
  private declare items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    checkIterable("ModuleList", "modules", modules, "an array of modules");
    Object.defineProperty(this, "items", { value: [...modules].map((m, i) => checkModule(m, `ModuleList: item ${i}`) as M), enumerable: false });
  }

  protected override ownEntries(): [string, unknown][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** `blocks.at(-1)`: the module at an index. */
  at(i: number): M {
    return this.items[normIndex(i, this.items.length, "ModuleList.at")];
  }

  /** `blocks.length`: number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** `blocks.append(new nn.Linear(8, 8))`: adds a module at the end; returns this. */
  append(m: M): this {
    this.items.push(checkModule(m, "ModuleList.append") as M);
    return this;
  }

  /** `blocks.extend([a, b])`: appends several modules; returns this. */
  extend(ms: Iterable<M>): this {
    for (const m of ms) this.append(m);
    return this;
  }

  /**
   * `blocks.insert(0, m)`: inserts a module before an index (negative counts from the end, the length
   * appends); returns this. Outside that range it throws: PyTorch 1.13 fails there with a KeyError or
   * leaves a gap in the child names, and splicing would silently put the module somewhere else.
   */
  insert(index: number, m: M): this {
    const at = normIndex(index, this.items.length, "ModuleList.insert", true);
    this.items.splice(at, 0, checkModule(m, "ModuleList.insert") as M);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ModuleList.forward: a ModuleList has no forward; iterate over it and call its modules in your own forward");
  }
}

/**
 * Modules registered under string keys, in insertion order.
 *
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), box: new nn.Linear(8, 4) });
 * ```
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  private declare items: Map<string, M>;

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    Object.defineProperty(this, "items", { value: new Map<string, M>(), enumerable: false });
    if (modules === null || typeof modules !== "object") throw argError("ModuleDict", "modules", "an object of modules by name or an iterable of [name, module] pairs", modules);
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules);
    entries.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw argError("ModuleDict", `entry ${i}`, "a [name, module] pair (or pass an object of modules by name)", e);
    });
    for (const [k, m] of entries) this.set(k, m);
  }

  protected override ownEntries(): [string, unknown][] {
    return [...this.items];
  }

  /** `heads.get("cls")`: the module under a key (throws listing the keys when absent). */
  get(key: string): M {
    const m = this.items.get(key);
    if (!m) throw new Error(`ModuleDict.get: no module "${key}" (keys: ${[...this.items.keys()].join(", ") || "none"})`);
    return m;
  }

  /** `heads.set("seg", new nn.Conv2d(8, 2, 1))`: adds or replaces a module; returns this. */
  set(key: string, m: M): this {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new Error(`ModuleDict.set: key must be a non-empty string without ".", got ${JSON.stringify(key)}`);
    this.items.set(key, checkModule(m, `ModuleDict.set("${key}")`) as M);
    return this;
  }

  /** `heads.has("cls")` */
  has(key: string): boolean {
    return this.items.has(key);
  }

  /** `heads.delete("cls")`: removes a module; true if it was there. */
  delete(key: string): boolean {
    return this.items.delete(key);
  }

  /** `heads.keys()`: keys in insertion order. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** `heads.values()`: modules in insertion order. */
  values(): M[] {
    return [...this.items.values()];
  }

  /** `heads.entries()`: [key, module] pairs in insertion order. */
  entries(): [string, M][] {
    return [...this.items];
  }

  /** `heads.size`: number of modules. */
  get size(): number {
    return this.items.size;
  }

  forward(): never {
    throw new Error("ModuleDict.forward: a ModuleDict has no forward; pick its modules by key in your own forward");
  }
}
