/**
 * The Optimizer base class: parameter groups with per-group options, per-parameter state, zeroGrad,
 * step, and PyTorch-layout state dicts (plus helpers that turn them into JSON for checkpoints).
 *
 * Subclasses implement `updateGroup` (one step over one group, already inside `noGrad`) and
 * `checkGroup` (option validation, run on the defaults and on every group added).
 */
import { argError, checkKeys, checkOptions, describe, unknownKeyError } from "../tensor/check.js";
import { ArrayFor, castScalar, fillStorage, setElement } from "../tensor/dtype.js";
import { Tensor, noGrad, enableGrad, isFloating, type DType, type TypedArray } from "../core.js";
import { clearGrad } from "../tensor/leaf-grad.js";

/** Options every optimizer has, e.g. `{ lr: 0.01 }`. */
export interface BaseOptions {
  lr: number;
}

/**
 * Parameters that share options; omitted options take the optimizer's defaults.
 *
 * ```ts
 * new SGD([{ params: body.parameters() }, { params: head.parameters(), lr: 0.01 }], { lr: 0.001 });
 * ```
 */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = { params: Iterable<Tensor> } & Partial<O>;

/**
 * What an optimizer takes: the parameters themselves, or a list of parameter groups.
 *
 * ```ts
 * const params: Params = model.parameters();
 * ```
 */
export type Params<O extends BaseOptions = BaseOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * A parameter group as the optimizer holds it: every option filled in (defaults merged) and the
 * parameters as an array. Schedulers change options such as `lr` here between steps.
 *
 * ```ts
 * for (const g of opt.paramGroups) g.lr *= 0.5;
 * ```
 */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & { params: Tensor[] } & Record<string, unknown>;

/** One value of a parameter's state: a buffer tensor, a step count, null (no buffer yet), or a list (LBFGS's history). */
export type StateValue = Tensor | number | boolean | null | StateValue[];
/**
 * What an optimizer keeps per parameter (momentum buffers, moment estimates, step counts).
 *
 * ```ts
 * const m = opt.state.get(w)?.expAvg;   // Adam's first moment of w
 * ```
 */
export type ParamState = Record<string, StateValue>;

/**
 * PyTorch's optimizer state-dict layout: parameters are numbered in group order, `state` is keyed by
 * that number and each group lists its numbers. Keys are PyTorch's snake_case names (`exp_avg`,
 * `weight_decay`) so state can move between the two libraries.
 *
 * ```ts
 * const sd: OptimizerStateDict = opt.stateDict(); sd.param_groups[0].lr;
 * ```
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, StateValue>>;
  param_groups: Array<Record<string, unknown> & { params: number[] }>;
}

/** `weightDecay` -> `weight_decay`; a leading capital stays (LBFGS's `HDiag` -> `H_diag`). */
export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c, at: number) => (at === 0 ? c : "_" + c.toLowerCase()));
}

/** `weight_decay` -> `weightDecay`. */
export function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function cloneValue(v: unknown): unknown {
  if (v instanceof Tensor) return noGrad(() => v.detach().clone());
  if (Array.isArray(v)) return v.map(cloneValue);
  return v;
}

/**
 * Base class of all optimizers.
 *
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 }); opt.zeroGrad(); loss.backward(); opt.step();
 * ```
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The options groups fall back to when they do not set their own: `opt.defaults.lr`. */
  readonly defaults: O;
  /** The option keys the subclass takes (undefined for a JavaScript subclass that did not list them). */
  private readonly optionKeys: readonly string[] | undefined;
  /** The parameter groups, in order; schedulers write `lr` (and momentum/betas) here: `opt.paramGroups[0].lr = 0.01`. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (created on a parameter's first update): `opt.state.get(w)`. */
  readonly state = new Map<Tensor, ParamState>();
  /** The optimizer's name, for error messages (class names do not survive minifiers). */
  protected readonly kind: string;

  /**
   * `keys`: every option the subclass takes (`optionKeys<SGDOptions>()(...)`); a key of `defaults`
   * (the built-in defaults merged with the caller's options) or of a param group outside it is a
   * misspelling, an error naming it and the closest valid key. A JavaScript subclass that passes no
   * keys gets only the snake_case check.
   */
  protected constructor(kind: string, params: Params<O>, defaults: O, keys?: readonly string[]) {
    // A subclass written in JavaScript calls super(name, params, defaults): check the shape of that call.
    if (typeof kind !== "string") throw argError("Optimizer", "the subclass name (first argument of super)", 'a string like "MyOptimizer"', kind);
    checkOptions(`Optimizer ${JSON.stringify(kind)}`, defaults as object | undefined, "{ lr: 0.01 }");
    if (defaults === undefined) throw argError(`Optimizer ${JSON.stringify(kind)}`, "defaults (third argument of super)", "an object of default hyperparameters like { lr: 0.01 }", defaults);
    this.kind = kind;
    checkSpelling(kind, defaults as object, defaults as object);
    if (keys !== undefined) checkKeys(kind, defaults as object, keys);
    this.optionKeys = keys;
    this.defaults = { ...defaults };
    if (params instanceof Tensor) {
      throw new Error(`${kind}: params must be an iterable of tensors or of param groups, got a single Tensor; wrap it: new ${kind}([w], ...)`);
    }
    if (params == null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new Error(`${kind}: params must be an iterable of tensors (e.g. model.parameters()) or of param groups {params, lr, ...}, got ${String(params)}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new Error(`${kind}: got an empty parameter list; pass the tensors to optimize (e.g. model.parameters())`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Validates one group's options (merged with defaults); throws naming the option and the fix. */
  protected abstract checkGroup(group: ParamGroup<O>): void;

  /** One update of every parameter of `group` that has a gradient; called inside `noGrad`. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /**
   * Adds a group of parameters with its own options, e.g. to unfreeze layers during fine-tuning.
   *
   * ```ts
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const k = this.kind;
    if (group === null || typeof group !== "object" || !("params" in group)) {
      throw new Error(`${k}.addParamGroup: a param group is an object {params: [...tensors], ...options}, got ${String(group)}`);
    }
    if (this.optionKeys !== undefined) {
      for (const key in group) if (key !== "params" && !this.optionKeys.includes(key)) throw unknownKeyError(k, key, this.optionKeys);
    }
    const raw = group.params as unknown;
    if (raw instanceof Tensor) throw new Error(`${k}: a param group's params must be an iterable of tensors, got a single Tensor; write {params: [w]}`);
    if (raw == null || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new Error(`${k}: a param group's params must be an iterable of tensors, got ${String(raw)}`);
    }
    const params = [...(raw as Iterable<unknown>)];
    const groupIndex = this.paramGroups.length;
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`${k}: param group ${groupIndex}, entry ${i} is not a Tensor (${typeof p}); optimizers take tensors`);
      if (!p.isLeaf) {
        throw new Error(`${k}: param group ${groupIndex}, entry ${i} is not a leaf tensor (it was computed from others); optimize the leaves, or detach() it and set requiresGrad`);
      }
      if (!isFloating(p.dtype)) throw new Error(`${k}: param group ${groupIndex}, entry ${i} is ${p.dtype}; only floating tensors can be optimized`);
    });
    if (new Set(params).size !== params.length) throw new Error(`${k}: param group ${groupIndex} lists the same tensor more than once`);
    for (const [gi, g] of this.paramGroups.entries()) {
      if (g.params.some((p) => params.includes(p))) {
        throw new Error(`${k}: some parameters of the new group ${groupIndex} already belong to param group ${gi}; a tensor may be in only one group`);
      }
    }
    checkSpelling(k, group, this.defaults as object);
    const merged = { ...this.defaults } as Record<string, unknown>;
    for (const [key, value] of Object.entries(group)) if (key !== "params" && value !== undefined) merged[key] = value;
    merged.params = params;
    const full = merged as ParamGroup<O>;
    if (typeof full.lr !== "number") {
      throw new Error(`${k}: param group ${groupIndex} has no lr and there is no default; pass new ${k}(params, {lr: 0.01}) or give the group an lr`);
    }
    this.checkGroup(full);
    this.paramGroups.push(full);
  }

  /**
   * Clears the gradients of all parameters. By default they become null (PyTorch's set_to_none),
   * which saves memory and lets `step` skip parameters that got no gradient.
   *
   * ```ts
   * opt.zeroGrad();
   * ```
   */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) for (const p of g.params) clearGrad(p, setToNone);
  }

  /**
   * Updates every parameter that has a gradient. `closure`, when given, re-evaluates the model and
   * returns the loss (run with gradients on); `step` returns what it returns.
   *
   * ```ts
   * loss.backward(); opt.step();
   * ```
   */
  step(): undefined;
  step<L>(closure: () => L): L;
  step<L>(closure?: () => L): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const g of this.paramGroups) this.updateGroup(g);
    });
    return loss;
  }

  /** The state of `p`, created empty on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * A snapshot of the optimizer in PyTorch's layout (tensors cloned, keys snake_case), for
   * checkpoints; `serializeOptimizerState` makes it JSON.
   *
   * ```ts
   * const saved = opt.stateDict(); later: opt.loadStateDict(saved);
   * ```
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const param_groups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(g)) if (key !== "params") out[toSnake(key)] = cloneValue(value);
      const ids = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...out, params: ids };
    });
    const state: Record<number, Record<string, StateValue>> = {};
    for (const [p, s] of this.state) {
      const id = index.get(p);
      if (id === undefined) continue;
      const entry: Record<string, StateValue> = {};
      for (const [key, value] of Object.entries(s)) entry[toSnake(key)] = cloneValue(value) as StateValue;
      state[id] = entry;
    }
    return { state, param_groups };
  }

  /**
   * Restores state saved by `stateDict` (or by PyTorch, with the same parameter order). The
   * optimizer must have been built with the same groups of the same sizes; tensors are copied and
   * converted to each parameter's dtype.
   *
   * ```ts
   * opt.loadStateDict(deserializeOptimizerState(JSON.parse(text)));
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const k = `${this.kind}.loadStateDict`;
    if (!stateDict || !Array.isArray(stateDict.param_groups) || typeof stateDict.state !== "object" || stateDict.state === null) {
      throw new Error(`${k}: expected {state: {...}, param_groups: [...]} as returned by stateDict()`);
    }
    const saved = stateDict.param_groups;
    if (saved.length !== this.paramGroups.length) {
      throw new Error(`${k}: the saved state has ${saved.length} param group(s) but this optimizer has ${this.paramGroups.length}; build the optimizer with the same groups as the one saved`);
    }
    const byId = new Map<number, Tensor>();
    saved.forEach((sg, gi) => {
      const mine = this.paramGroups[gi].params;
      if (!Array.isArray(sg.params) || sg.params.length !== mine.length) {
        throw new Error(`${k}: param group ${gi} has ${mine.length} parameter(s) but the saved group ${gi} has ${Array.isArray(sg.params) ? sg.params.length : "no params list"}; build the optimizer with the same parameters in the same order`);
      }
      sg.params.forEach((id, i) => byId.set(Number(id), mine[i]));
    });
    const newState = new Map<Tensor, ParamState>();
    for (const [idKey, entry] of Object.entries(stateDict.state)) {
      const p = byId.get(Number(idKey));
      if (!p) throw new Error(`${k}: the saved state has an entry for parameter ${idKey}, which no saved param group lists`);
      const s: ParamState = {};
      for (const [key, value] of Object.entries(entry)) {
        s[toCamel(key)] = this.restoreStateValue(key, value, p, idKey);
      }
      newState.set(p, s);
    }
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
    saved.forEach((sg, gi) => {
      const g = this.paramGroups[gi] as Record<string, unknown>;
      for (const [key, value] of Object.entries(sg)) if (key !== "params") g[toCamel(key)] = cloneValue(value);
    });
  }

  /** State keys that hold one number (PyTorch keeps them as 0-d tensors): loaded as numbers. */
  protected scalarStateKeys(): ReadonlySet<string> {
    return STEP_ONLY;
  }

  /**
   * One saved state value, made ready for parameter `p`: scalar keys become numbers, buffers are
   * copied to `p`'s dtype and shape (and must fit it). LBFGS, whose state is not per element of a
   * parameter, overrides this.
   */
  protected restoreStateValue(key: string, value: StateValue, p: Tensor, idKey: string): StateValue {
    const k = `${this.kind}.loadStateDict`;
    if (!(value instanceof Tensor)) return cloneValue(value) as StateValue;
    if (this.scalarStateKeys().has(toCamel(key))) {
      if (value.numel() !== 1) throw new Error(`${k}: saved state '${key}' of parameter ${idKey} should hold one number but has shape [${value.shape.join(",")}]`);
      return value.item();
    }
    if (value.numel() !== p.numel() || (value.ndim !== 0 && value.shape.join() !== p.shape.join())) {
      throw new Error(`${k}: saved state '${key}' of parameter ${idKey} has shape [${value.shape.join(",")}] but the parameter has shape [${p.shape.join(",")}]; the parameters differ from the ones saved`);
    }
    return noGrad(() => value.detach().to(p.dtype).reshape(p.shape).contiguous().clone());
  }
}

const STEP_ONLY: ReadonlySet<string> = new Set(["step"]);

/**
 * Throws on PyTorch's snake_case spelling of a known option (`weight_decay` for `weightDecay`): in
 * plain JavaScript it would otherwise be kept as an unknown key and silently do nothing.
 */
function checkSpelling(kind: string, options: object, known: object): void {
  for (const key of Object.keys(options)) {
    const camel = toCamel(key);
    if (camel !== key && camel in known) throw new Error(`${kind}: unknown option '${key}'; deeptype spells it '${camel}'`);
  }
}

/**
 * A tensor in JSON: dtype, shape and the elements in row-major order (non-finite numbers as strings).
 *
 * ```ts
 * const t: SerializedTensor = { dtype: "float32", shape: [2], data: [1, "Infinity"] };
 * ```
 */
export interface SerializedTensor {
  dtype: DType;
  shape: number[];
  data: (number | string)[];
}

function encodeNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

function encode(v: unknown): unknown {
  if (v instanceof Tensor) return { dtype: v.dtype, shape: [...v.shape], data: Array.from(v.data() as ArrayLike<number>, encodeNumber) } satisfies SerializedTensor;
  if (typeof v === "number") return encodeNumber(v);
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, encode(x)]));
  return v;
}

const NON_FINITE: Record<string, number> = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN };

function decodeNumber(v: unknown): unknown {
  return typeof v === "string" && v in NON_FINITE ? NON_FINITE[v] : v;
}

function isSerializedTensor(v: Record<string, unknown>): boolean {
  return typeof v.dtype === "string" && Array.isArray(v.shape) && Array.isArray(v.data) && Object.keys(v).length === 3;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (isSerializedTensor(o)) {
      const t = o as unknown as SerializedTensor;
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.data.length !== n) throw new Error(`deserializeOptimizerState: a tensor of shape [${t.shape.join(",")}] needs ${n} values but has ${t.data.length}`);
      const dtype = t.dtype;
      if (!Object.hasOwn(ArrayFor, dtype)) throw new Error(`deserializeOptimizerState: unknown dtype '${dtype}'`);
      const T = ArrayFor[dtype];
      const arr = new T(n);
      t.data.forEach((x, i) => setElement(arr, i, Number(decodeNumber(x))));
      return Tensor.fromArray(arr, t.shape, dtype);
    }
    return Object.fromEntries(Object.entries(o).map(([key, x]) => [key, decode(x)]));
  }
  return decodeNumber(v);
}

/**
 * Turns a state dict (an optimizer's or a scheduler's) into plain JSON: every tensor becomes
 * `{dtype, shape, data: number[]}` and non-finite numbers become the strings "Infinity", "NaN".
 *
 * ```ts
 * fs.writeFileSync("opt.json", JSON.stringify(serializeOptimizerState(opt.stateDict())));
 * ```
 */
export function serializeOptimizerState<T>(stateDict: T): unknown {
  return encode(stateDict);
}

/**
 * The inverse of `serializeOptimizerState`: tensors back from `{dtype, shape, data}`.
 *
 * ```ts
 * opt.loadStateDict(deserializeOptimizerState(JSON.parse(fs.readFileSync("opt.json", "utf8"))));
 * ```
 */
export function deserializeOptimizerState<T = OptimizerStateDict>(json: unknown): T {
  return decode(json) as T;
}

// ---------------------------------------------------------------- helpers shared by the optimizers

/** Throws `${kind}: ${message}` unless ok (option validation, so the error names the optimizer). */
export function checkOption(kind: string, ok: boolean, message: string): void {
  if (!ok) throw new Error(`${kind}: ${message}`);
}

/** The checks every optimizer shares: a numeric lr >= 0, and each named option >= 0. */
export function checkLrAndNonNegative<O extends { lr: number }>(kind: string, o: O, names: readonly (keyof O & string)[]): void {
  checkOption(kind, typeof o.lr === "number" && o.lr >= 0, `invalid lr ${typeof o.lr === "number" ? o.lr : describe(o.lr)}: the learning rate must be a number >= 0`);
  for (const name of names) checkOption(kind, typeof o[name] === "number" && (o[name] as number) >= 0, `invalid ${name} ${typeof o[name] === "number" ? o[name] : describe(o[name])}: it must be a number >= 0`);
}

/** The contiguous elements of `t` as a typed-array window (no copy), for the fused kernels. */
export function flatData(t: Tensor): TypedArray {
  return t.storage.data.subarray(t.offset, t.offset + t.numel()) as TypedArray;
}

/**
 * Whether the fused kernels can update `p` with gradient `g` in place: both contiguous and of the
 * same float dtype and shape, so element i of one is element i of the other.
 */
export function fusable(p: Tensor, g: Tensor): boolean {
  // float16/bfloat16 parameters step through tensor ops: the fused kernels take raw arrays, not 16-bit patterns.
  return (p.dtype === "float32" || p.dtype === "float64") && g.dtype === p.dtype && p.isContiguous() && g.isContiguous() && p.shape.join() === g.shape.join();
}

/** A fresh contiguous tensor like `p` filled with `value` (state buffers). */
export function bufferLike(p: Tensor, value = 0): Tensor {
  const t = Tensor.empty(p.shape, p.dtype);
  if (value !== 0) fillStorage(t.storage.data, castScalar(value, p.dtype));
  return t;
}

/** The check of `betas` that Adam's family shares: a pair, each in [0, 1). */
export function checkBetas(kind: string, betas: unknown): void {
  checkOption(kind, Array.isArray(betas) && betas.length === 2 && betas.every((b) => typeof b === "number"), `betas must be a pair of numbers [beta1, beta2], got ${describe(betas)}`);
  const [b1, b2] = betas as [number, number];
  checkOption(kind, b1 >= 0 && b1 < 1, `invalid beta1 ${b1}: betas must lie in [0, 1), e.g. [0.9, 0.999]`);
  checkOption(kind, b2 >= 0 && b2 < 1, `invalid beta2 ${b2}: betas must lie in [0, 1), e.g. [0.9, 0.999]`);
}
