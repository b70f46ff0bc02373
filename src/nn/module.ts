/**
 * `Module`, `Parameter` and the containers: the bookkeeping every layer shares (finding parameters,
 * buffers and sub-modules, train/eval, hooks, state dicts, printing).
 *
 * Registration is structural, as a PyTorch user expects: assigning a `Parameter` or a `Module` to an
 * own field of a module registers it under the field's name, in declaration order. Buffers (running
 * statistics and other state that is saved but not trained) are plain tensors, so they are
 * registered explicitly with `registerBuffer(name, tensor)`.
 */
import { checkTensor, describe, TensorArgError } from "../tensor/check.js";
import { Tensor, noGrad, isFloating, isGradEnabled, type DType } from "../core.js";
import { BackwardHookCall, type FullBackwardHook } from "./backward-hook.js";
import { clearGrad } from "../tensor/leaf-grad.js";

export type { FullBackwardHook } from "./backward-hook.js";

/** `[64,784]`: the shape format every error message uses. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * A tensor that is a module's trainable state: a leaf with `requiresGrad` on by default. It shares
 * storage with the tensor it wraps, and `instanceof Parameter` is how modules find their weights.
 *
 * ```ts
 * this.weight = new Parameter(zeros([out, inp]));
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    checkTensor("Parameter", "data", data);
    super(data.storage, data.shape, data.strides, data.offset, data.dtype, data.base);
    if (requiresGrad) this.requiresGrad = true;
  }
}

/** What `registerForwardPreHook`/`registerForwardHook` return: `handle.remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** Runs before `forward`; may return replacement arguments (an array, or a single value for a one-argument forward, as PyTorch wraps it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ForwardPreHook = (module: Module<any, any>, args: unknown[]) => unknown;
/** Runs after `forward`; may return a replacement output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ForwardHook = (module: Module<any, any>, args: unknown[], output: unknown) => unknown;

/** A state dict: dotted PyTorch-style keys (`features.0.weight`, `bn.running_mean`) to tensors. */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` found (in non-strict mode missing and unexpected keys are reported, not thrown). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

// Fields of Module itself that the structural walk must never treat as registered state.
const INTERNAL = new Set(["training", "_buffers", "_preHooks", "_hooks", "_backwardHooks", "_nonPersistent"]);

/** Any module, whatever its forward signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/**
 * Base class of every layer and model. Subclasses assign parameters and sub-modules to fields and
 * implement `forward`.
 *
 * Calling: `model.forward(x)` runs the computation only; `model.call(x)` runs the forward pre-hooks,
 * `forward` and the forward hooks (PyTorch's `model(x)`). Use `call` when hooks matter; both give the
 * same result otherwise.
 *
 * ```ts
 * class Net extends nn.Module {
 *   fc = new nn.Linear(4, 2);
 *   forward(x: Tensor) { return this.fc.forward(x).relu(); }
 * }
 * ```
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (dropout active, batch norm uses batch statistics); see `train()`/`eval()`. */
  training = true;
  // `declare`: no field initialiser is emitted, so the non-enumerable definitions below stand.
  private declare _buffers: Map<string, Tensor | null>;
  private declare _nonPersistent: Set<string>;
  private declare _preHooks: Map<number, ForwardPreHook>;
  private declare _hooks: Map<number, ForwardHook>;
  private declare _backwardHooks: Map<number, FullBackwardHook<AnyModule>>;

  constructor() {
    // Non-enumerable, so that the structural walk over own fields never sees them.
    const internal = [["_buffers", new Map()], ["_nonPersistent", new Set()], ["_preHooks", new Map()], ["_hooks", new Map()], ["_backwardHooks", new Map()]] as const;
    for (const [k, v] of internal) {
      Object.defineProperty(this, k, { value: v, enumerable: false, writable: false });
    }
  }

  /** The computation, e.g. `forward(x: Tensor) { return this.fc.call(x).relu(); }`. Prefer `call` from outside so that hooks run. */
  abstract forward(...args: In): Out;

  /** `model.call(x)`: forward pre-hooks, `forward`, forward hooks, and the full backward hooks' setup (PyTorch's `model(x)`). */
  call(...args: In): Out {
    if (args[0] instanceof Tensor) return Module.run(this, args);
    // JS callers have no compiler: catch the common slips here with a message, not a TypeError deep inside.
    checkCallArgs(this, args as unknown[]);
    try {
      return Module.run(this, args);
    } catch (e) {
      // `new nn.ReLU().call(3)`: the op inside rejects the number under its own name (`relu: input must
      // be a Tensor`, a TensorArgError), or JavaScript trips over it (Linear reads its shape); the user
      // called the module, so name it. A module may take other inputs: only those two failures are renamed.
      if ((e instanceof TensorArgError && e.arg === "input") || e instanceof TypeError) {
        throw new TensorArgError(`${this.constructor.name}.call: input must be a Tensor, got ${describe(args[0])} (wrap plain numbers with tensor(...))`, "input", { cause: e });
      }
      throw e;
    }
  }

  /** `call`'s work: hooks and forward. Static, so it is no member of the instance type (subclasses' `In` vary). */
  private static run<In extends unknown[], Out>(m: Module<In, Out>, args: In): Out {
    if (!m.hasHooks()) return m.forward(...args);
    let a: unknown[] = args;
    for (const h of [...m._preHooks.values()]) {
      const r = h(m, a);
      if (r !== undefined) a = Array.isArray(r) ? r : [r];
    }
    // As PyTorch: the backward hooks wrap the arguments after the pre-hooks and the output after the forward hooks.
    const bw = m._backwardHooks.size > 0 && isGradEnabled() ? new BackwardHookCall<AnyModule>(m, [...m._backwardHooks.values()], `${m.constructor.name}.call`) : null;
    if (bw) a = bw.setupInput(a);
    let out: unknown = m.forward(...(a as In));
    for (const h of [...m._hooks.values()]) {
      const r = h(m, a, out);
      if (r !== undefined) out = r;
    }
    if (bw) out = bw.setupOutput(out);
    return out as Out;
  }

  /** Whether any forward (pre-)hook or full backward hook is registered (nn.Sequential fuses only hook-free layers). */
  hasForwardHooks(): boolean {
    return this.hasHooks();
  }

  private hasHooks(): boolean {
    return this._preHooks.size > 0 || this._hooks.size > 0 || this._backwardHooks.size > 0;
  }

  /** `m.registerForwardPreHook((m, args) => { ... })`: runs before each `call`; returning an array replaces the arguments. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this._preHooks, hook, "registerForwardPreHook");
  }

  /** `m.registerForwardHook((m, args, out) => { ... })`: runs after each `call`; returning a value replaces the output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this._hooks, hook, "registerForwardHook");
  }

  /**
   * `m.registerFullBackwardHook((m, gradInput, gradOutput) => { ... })`: runs in each backward pass
   * through a `call` of this module, once the gradients of its inputs are known; `gradInput` has one
   * entry per forward argument (null for non-tensors and inputs without gradient), `gradOutput` one per
   * output tensor. Returning an array replaces `gradInput` for what lies before the module. As in
   * PyTorch, the module's inputs and outputs seen by the surrounding graph are identity views of the
   * tensors, so hook and in-place ops on them behave as in PyTorch.
   *
   * @example layer.registerFullBackwardHook((m, gIn, gOut) => console.log(gOut[0]?.norm().item()));
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    return addHook(this._backwardHooks as Map<number, FullBackwardHook<this>>, hook, "registerFullBackwardHook");
  }

  // ------------------------------------------------------------ registration

  /**
   * `this.registerParameter("in_proj_weight", p)`: registers a parameter under an explicit name (an
   * own field of that name, so it is also reachable as `this[name]`). `null` registers an absent one.
   */
  registerParameter(name: string, param: Parameter | null): void {
    checkName(this, name, "registerParameter");
    if (param !== null && !(param instanceof Parameter)) {
      throw new Error(`${this.constructor.name}.registerParameter: "${name}" must be a Parameter (wrap it: new Parameter(t)) or null`);
    }
    Object.defineProperty(this, name, { value: param, enumerable: true, writable: true, configurable: true });
  }

  /**
   * `this.registerBuffer("running_mean", zeros([c]))`: state saved in the state dict but not trained.
   * `persistent: false` keeps it out of the state dict. Read it back with `getBuffer(name)`.
   */
  registerBuffer(name: string, tensor: Tensor | null, opts: { persistent?: boolean } = {}): void {
    checkName(this, name, "registerBuffer");
    if (tensor !== null && !(tensor instanceof Tensor)) throw new Error(`${this.constructor.name}.registerBuffer: "${name}" must be a Tensor or null`);
    this._buffers.set(name, tensor);
    if (opts.persistent === false) this._nonPersistent.add(name);
    else this._nonPersistent.delete(name);
  }

  /** `bn.getBuffer("running_mean")` */
  getBuffer(name: string): Tensor | null {
    if (!this._buffers.has(name)) throw new Error(`${this.constructor.name}.getBuffer: no buffer named "${name}" (has: ${[...this._buffers.keys()].join(", ") || "none"})`);
    return this._buffers.get(name)!;
  }

  /** `this.setBuffer("running_mean", zeros([c]))`: replaces a registered buffer's tensor. */
  setBuffer(name: string, tensor: Tensor | null): void {
    if (!this._buffers.has(name)) throw new Error(`${this.constructor.name}.setBuffer: no buffer named "${name}"; register it first with registerBuffer`);
    this._buffers.set(name, tensor);
  }

  /** `this.registerModule("block", m)`: registers a sub-module under an explicit name (same as assigning a field). */
  registerModule(name: string, module: AnyModule | null): void {
    checkName(this, name, "registerModule");
    Object.defineProperty(this, name, { value: module, enumerable: true, writable: true, configurable: true });
  }

  /** Own [name, value] entries in registration order; containers override this to list their items. */
  protected ownEntries(): [string, unknown][] {
    return Object.keys(this)
      .filter((k) => !INTERNAL.has(k))
      .map((k) => [k, (this as Record<string, unknown>)[k]]);
  }

  private ownParameters(): [string, Parameter][] {
    return this.ownEntries().filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  // ------------------------------------------------------------ traversal

  /** `model.namedChildren()`: direct sub-modules with their names. */
  namedChildren(): [string, AnyModule][] {
    return this.ownEntries().filter((e): e is [string, AnyModule] => e[1] instanceof Module);
  }

  /** `for (const c of model.children())`: direct sub-modules. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** `model.namedModules()`: this module ("") and every descendant with dotted names; each module once. */
  namedModules(prefix = ""): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (m: AnyModule, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [k, c] of m.namedChildren()) visit(c, name ? `${name}.${k}` : k);
    };
    visit(this, prefix);
    return out;
  }

  /** `model.modules()`: this module and every descendant. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `model.namedParameters()`: [dotted name, parameter] for every parameter, each once (shared ones too). */
  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    const seen = new Set<Tensor>();
    const out: [string, Parameter][] = [];
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mp, m] of mods) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([mp ? `${mp}.${k}` : k, p]);
      }
    }
    return out;
  }

  /** `optim.SGD(model.parameters(), ...)`: every parameter, each once. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }

  /** `model.namedBuffers()`: [dotted name, tensor] for every buffer (running_mean, running_var, num_batches_tracked, ...). */
  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mp, m] of mods) {
      for (const [k, b] of m._buffers) {
        if (b === null || seen.has(b)) continue;
        seen.add(b);
        out.push([mp ? `${mp}.${k}` : k, b]);
      }
    }
    return out;
  }

  /** `model.buffers()`: every buffer tensor. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  /** `model.apply(m => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); })`: fn on every descendant, then this module. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  // ------------------------------------------------------------ modes and gradients

  /** `model.train()`: training mode for this module and all descendants (`train(false)` = `eval()`). */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new Error(`${this.constructor.name}.train: mode must be a boolean, got ${typeof mode}`);
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  /** `model.eval()`: evaluation mode (dropout off, batch norm uses running statistics). */
  eval(): this {
    return this.train(false);
  }

  /**
   * `model.zeroGrad()`: sets every parameter's `.grad` to null (PyTorch's set_to_none, the default
   * since 2.0), or with `false` zeroes it in place; as `Optimizer.zeroGrad`.
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) clearGrad(p, setToNone);
  }

  /** `backbone.requiresGrad_(false)`: freezes (or unfreezes) every parameter. */
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  /**
   * `model.to("float64")`: converts every floating parameter (and its gradient) and buffer in
   * place, as PyTorch: the Parameter objects stay the same, so an optimizer created before keeps
   * updating the model.
   */
  to(dtype: DType): this {
    // A parameter shared between modules is seen more than once: convert it once.
    const done = new Set<Parameter>();
    for (const m of this.modules()) {
      for (const [, v] of m.ownEntries()) {
        if (!(v instanceof Parameter) || done.has(v) || v.dtype === dtype || !isFloating(v.dtype)) continue;
        done.add(v);
        noGrad(() => {
          v.replaceData_(v.to(dtype).contiguous());
          if (v.grad) v.grad = v.grad.to(dtype);
        });
      }
      for (const [k, b] of m._buffers) if (b && isFloating(b.dtype) && b.dtype !== dtype) m._buffers.set(k, b.to(dtype));
    }
    return this;
  }

  /** `model.double()`: `to("float64")`, e.g. for gradcheck. */
  double(): this {
    return this.to("float64");
  }

  /** `model.float()`: `to("float32")`. */
  float(): this {
    return this.to("float32");
  }

  /** `model.half()`: `to("float16")`; parameters keep their objects. @example model.half(); */
  half(): this {
    return this.to("float16");
  }

  /** `model.bfloat16()`: `to("bfloat16")`. @example model.bfloat16(); */
  bfloat16(): this {
    return this.to("bfloat16");
  }

  // ------------------------------------------------------------ state dict

  /**
   * `model.stateDict()`: every parameter and persistent buffer under PyTorch's dotted keys, in
   * PyTorch's order (per module: parameters, then buffers, then children). The tensors are detached
   * and share storage with the module.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (m: AnyModule, prefix: string): void => {
      for (const [k, p] of m.ownParameters()) out[prefix + k] = p.detach();
      for (const [k, b] of m._buffers) if (b !== null && !m._nonPersistent.has(k)) out[prefix + k] = b.detach();
      for (const [k, c] of m.namedChildren()) visit(c, `${prefix}${k}.`);
    };
    visit(this, "");
    return out;
  }

  /**
   * `model.loadStateDict(sd)`: copies tensors into the parameters and buffers with the same keys.
   * `strict` (default true) throws on missing or unexpected keys; a shape mismatch always throws,
   * naming the key and both shapes. Values are converted to each target's dtype.
   */
  loadStateDict(stateDict: StateDict, opts: { strict?: boolean } = {}): LoadResult {
    const name = this.constructor.name;
    if (stateDict === null || typeof stateDict !== "object" || Array.isArray(stateDict) || stateDict instanceof Tensor) {
      throw new Error(`${name}.loadStateDict: expected a state dict (an object of tensors by name, as stateDict() or loadWeights() return), got ${describe(stateDict)}`);
    }
    if (opts === null || typeof opts !== "object") throw new Error(`${name}.loadStateDict: options must be an object like { strict: false }, got ${describe(opts)}`);
    if (opts.strict !== undefined && typeof opts.strict !== "boolean") throw new Error(`${name}.loadStateDict: strict must be a boolean, got ${describe(opts.strict)}`);
    const strict = opts.strict ?? true;
    const targets = new Map<string, Tensor>();
    const visit = (m: AnyModule, prefix: string): void => {
      for (const [k, p] of m.ownParameters()) targets.set(prefix + k, p);
      for (const [k, b] of m._buffers) if (b !== null && !m._nonPersistent.has(k)) targets.set(prefix + k, b);
      for (const [k, c] of m.namedChildren()) visit(c, `${prefix}${k}.`);
    };
    visit(this, "");
    const given = Object.keys(stateDict);
    const missingKeys = [...targets.keys()].filter((k) => !(k in stateDict));
    const unexpectedKeys = given.filter((k) => !targets.has(k));
    const mismatched: string[] = [];
    for (const k of given) {
      const t = targets.get(k);
      const v = stateDict[k];
      if (!t) continue;
      if (!(v instanceof Tensor)) {
        mismatched.push(`"${k}": expected a Tensor, got ${v === null ? "null" : typeof v}`);
        continue;
      }
      if (!sameShape(v.shape, t.shape)) {
        mismatched.push(`"${k}": the checkpoint has shape ${fmtShape(v.shape)}, the model has ${fmtShape(t.shape)}`);
      }
    }
    const problems: string[] = [];
    if (mismatched.length) problems.push(`size mismatch for ${mismatched.join("; ")}`);
    if (strict && missingKeys.length) problems.push(`missing keys: ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
    if (strict && unexpectedKeys.length) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    if (problems.length) {
      const fix = mismatched.length
        ? "check that the model is built with the same sizes as the checkpoint"
        : "pass {strict: false} to load the matching keys only";
      throw new Error(`${name}.loadStateDict: ${problems.join("; ")} (${fix})`);
    }
    noGrad(() => {
      for (const k of given) {
        const t = targets.get(k);
        if (t) t.copy_(stateDict[k]);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ------------------------------------------------------------ printing

  /** The part inside the parentheses of this module's printout, e.g. `in_features=784, out_features=10, bias=True`. */
  extraRepr(): string {
    return "";
  }

  /** PyTorch-style module tree: `Sequential(\n  (0): Linear(in_features=784, out_features=10, bias=True)\n)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    // A child's own lines are indented by 2 here and its first line by the join below, as PyTorch does.
    const childLines = [...this.namedChildren()].map(([k, c]) => `(${k}): ${c.toString().split("\n").join("\n  ")}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
    else if (lines.length) s += `\n  ${lines.join("\n  ")}\n`;
    return `${s})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

let nextHookId = 0;

function addHook<H>(map: Map<number, H>, hook: H, op: string): RemovableHandle {
  if (typeof hook !== "function") throw new Error(`${op}: the hook must be a function, got ${describe(hook)}`);
  const id = nextHookId++;
  map.set(id, hook);
  return { remove: () => void map.delete(id) };
}

function checkName(m: AnyModule, name: string, op: string): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new Error(`${m.constructor.name}.${op}: name must be a non-empty string without ".", got ${JSON.stringify(name)}`);
  }
  if (INTERNAL.has(name)) throw new Error(`${m.constructor.name}.${op}: "${name}" is reserved by Module`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** PyTorch's `True`/`False` in printouts. */
export function pyBool(b: boolean): string {
  return b ? "True" : "False";
}

/** PyTorch prints tuples as `(3, 3)` and `(5,)`; a single int as itself. */
export function pyTuple(v: number | readonly number[]): string {
  if (typeof v === "number") return String(v);
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}

/** Python's repr of a float, as PyTorch prints hyper-parameters: `1.0`, `0.1`, `1e-05`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e16) return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(v);
}

/** Plain numbers or arrays where a module wants tensors, or no input at all: a clear error. */
function checkCallArgs(m: object, args: unknown[]): void {
  const name = `${m.constructor.name}.call`;
  const forward = (m as { forward: (...a: unknown[]) => unknown }).forward;
  if (forward.length >= 1 && (args.length === 0 || args[0] === undefined || args[0] === null)) {
    throw new Error(`${name}: expected a Tensor input, got ${describe(args[0])}; call the module on a tensor, e.g. model.call(x) with x = tensor([[...]])`);
  }
  args.forEach((a, i) => {
    const numeric = Array.isArray(a) && (typeof a[0] === "number" || (Array.isArray(a[0]) && typeof a[0][0] === "number"));
    if (numeric) throw new Error(`${name}: argument ${i + 1} must be a Tensor, got ${describe(a)}; wrap plain numbers with tensor([...])`);
  });
}
