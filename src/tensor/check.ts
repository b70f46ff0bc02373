/**
 * Runtime argument checks for the public surface. JavaScript callers have no compiler, so every
 * entry point checks what it was given and throws one kind of message:
 * `<function>: <argument> must be <what it takes>, got <what it got>`.
 *
 * It lives at the bottom layer (no imports but types) so tensor, nn, optim, data and io can all use
 * it; it recognises tensors by shape, not by class, for the same reason.
 */
import type { WithOptionsForms } from "./options-form.js";
import { parameterList, positionalKeyError, requiredInOptionsError } from "./required-args.js";

/**
 * A short description of any value for error messages: `null`, `undefined`, `an array of length 3`,
 * `a Tensor of shape [2,3] (float32)`, `a Float32Array of length 4`, `string "abc"`, `number NaN`.
 *
 * @example describe([1, 2]) === "an array of length 2"
 */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return `${typeof v} ${String(v)}`;
  if (typeof v === "function") return `a function${v.name ? ` (${v.name})` : ""}`;
  if (typeof v === "symbol") return "a symbol";
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as { length?: number }).length ?? v.byteLength}`;
  const name = (v as object).constructor?.name;
  const t = v as { shape?: unknown; dtype?: unknown };
  if (name === "Tensor" && Array.isArray(t.shape)) return `a Tensor of shape [${t.shape.join(",")}] (${String(t.dtype)})`;
  if (name && name !== "Object") return `a ${name}`;
  return "an object";
}

/**
 * The error every check throws: names the function, the argument, what it takes and what it got.
 *
 * @example throw argError("Linear", "inFeatures", "a positive integer", -1);
 */
export function argError(fn: string, arg: string, takes: string, got: unknown): Error {
  return new Error(`${fn}: ${arg} must be ${takes}, got ${describe(got)}`);
}

/** A positive integer (or >= `min`). @example checkInt("Linear", "inFeatures", 784) */
export function checkInt(fn: string, arg: string, v: unknown, min = 1): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw argError(fn, arg, min === 1 ? "a positive integer" : `an integer >= ${min}`, v);
  return v;
}

/** A finite number, optionally within [min, max]. @example checkNumber("SGD", "lr", 0.1, { min: 0 }) */
export function checkNumber(fn: string, arg: string, v: unknown, range: { min?: number; max?: number } = {}): number {
  const { min, max } = range;
  if (typeof v !== "number" || !Number.isFinite(v) || (min !== undefined && v < min) || (max !== undefined && v > max)) {
    const bounds = min !== undefined && max !== undefined ? ` in [${min}, ${max}]` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : "";
    throw argError(fn, arg, `a finite number${bounds}`, v);
  }
  return v;
}

/** One of a fixed set of strings. @example checkOneOf("zeros", "dtype", "float32", ["float32", "int32"]) */
export function checkOneOf<T extends string>(fn: string, arg: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== "string" || !options.includes(v as T)) throw argError(fn, arg, `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`, v);
  return v as T;
}

/**
 * A plain options object (or undefined, which becomes {}); with `keys`, a key not among them is an
 * error naming it and the closest valid key (`checkKeys`).
 *
 * @example const o = checkOptions("DataLoader", opts, "{ batchSize: 64 }", DATALOADER_KEYS)
 */
export function checkOptions<T extends object>(fn: string, v: T | undefined, example = "{ ... }", keys?: readonly string[]): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== "object" || Array.isArray(v) || isTensor(v)) throw argError(fn, "options", `an object like ${example}`, v);
  if (keys !== undefined) checkKeys(fn, v, keys);
  return v;
}

/**
 * API.md rule 9 for options objects: a misspelt key (`{ nHeads: 4 }`, `{ batch_first: true }`) is an
 * error, not a silent default. Cheap on the success path: a `for...in` over the caller's keys and a
 * scan of a short constant list, nothing allocated.
 *
 * @example checkKeys("Transformer", opts, ["dModel", "nhead"]) // { nHeads: 4 } -> ... did you mean 'nhead'?
 */
export function checkKeys(fn: string, opts: unknown, keys: readonly string[]): void {
  // Not an object (undefined, a legacy positional form like a reduction string): other checks judge it.
  if (opts === null || typeof opts !== "object") return;
  for (const k in opts) {
    const v = (opts as Record<string, unknown>)[k];
    if (!keys.includes(k) && v !== undefined) {
      // An array where the options go (`new nn.MSELoss(["sum"])`): say so, not "unknown option '0'".
      if (Array.isArray(opts)) throw argError(fn, "options", `an object with keys among ${keys.join(", ") || "(none)"}`, opts);
      throw unknownKeyError(fn, k, keys);
    }
    // A bad dtype is named by the function called (`Linear: dtype ...`), not by the zeros() inside it.
    if (k === "dtype") checkDType(fn, v);
  }
}

/**
 * The keys of an options type as a runtime list for `checkKeys`, written once as an object literal
 * that the compiler checks both ways: a key the type lacks, or one of its keys left out, fails to
 * compile, so the list cannot drift from the type.
 *
 * @example const KEYS = optionKeys<{ lr?: number; momentum?: number }>()({ lr: true, momentum: true });
 */
export function optionKeys<T>(): (all: { [K in Exclude<keyof T, symbol | number>]-?: true }) => readonly string[] {
  return (all) => Object.freeze(Object.keys(all));
}

/** The error for an unknown option key, with the closest valid key as a suggestion. */
export function unknownKeyError(fn: string, key: string, keys: readonly string[]): Error {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const takes = keys.length ? keys.join(", ") : "no options";
  if (camel !== key && keys.includes(camel)) return new Error(`${fn}: unknown option '${key}'; deeptype spells it '${camel}'`);
  const near = closestKey(key, keys);
  if (near !== undefined) return new Error(`${fn}: unknown option '${key}'; did you mean '${near}'? (it takes ${takes})`);
  return new Error(`${fn}: unknown option '${key}'; it takes ${takes}`);
}

/**
 * The valid key nearest to a misspelt one: snake_case and case differences count for nothing
 * (`batch_first` -> batchFirst), then the smallest edit distance, if it is small for the key's length
 * (a key that is a prefix of a valid one counts as one edit).
 */
function closestKey(key: string, keys: readonly string[]): string | undefined {
  const norm = (k: string): string => k.replace(/_/g, "").toLowerCase();
  const want = norm(key);
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(want.length / 3)) + 1;
  for (const k of keys) {
    const n = norm(k);
    // A truncated key (padd, lr_sched) is as near as one typo.
    const d = n === want ? 0 : want.length >= 3 && (n.startsWith(want) || want.startsWith(n)) ? 1 : editDistance(want, n);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * A schema for plain data read from files (checkpoints, configs), checked by `checkSchema`:
 * "int" | "number" (finite) | "string" | "boolean" | "any", `{ int: { min } }`, `{ oneOf: [...] }`,
 * `{ arrayOf: schema, length? }`, `{ object: { field: schema }, optional?: [fields] }`,
 * `{ recordOf: schema }`, `{ nullable: schema }`.
 */
export type Schema =
  | "int" | "number" | "string" | "boolean" | "any"
  | { int: { min?: number; max?: number } }
  | { oneOf: readonly (string | number)[] }
  | { arrayOf: Schema; length?: number }
  | { object: Record<string, Schema>; optional?: readonly string[] }
  | { recordOf: Schema }
  | { nullable: Schema };

/**
 * Checks `value` against `schema`; on the first mismatch calls `fail(field, problem)` with the dotted
 * path of the field (`history.2.testLoss`), which must throw.
 *
 * @example checkSchema(cfg, { object: { epochs: { int: { min: 1 } } } }, "", (f, p) => { throw new Error(`${f}: ${p}`); });
 */
export function checkSchema(value: unknown, schema: Schema, path: string, fail: (field: string, problem: string) => never): void {
  const at = path || "<root>";
  if (schema === "any") return;
  if (schema === "int" || (typeof schema === "object" && "int" in schema)) {
    const { min, max } = schema === "int" ? { min: undefined, max: undefined } : schema.int;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
      fail(at, `expected an integer${min !== undefined ? ` >= ${min}` : ""}${max !== undefined ? ` <= ${max}` : ""}, got ${describe(value)}`);
    }
    return;
  }
  if (schema === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) fail(at, `expected a finite number, got ${describe(value)}`);
    return;
  }
  if (schema === "string" || schema === "boolean") {
    if (typeof value !== schema) fail(at, `expected a ${schema}, got ${describe(value)}`);
    return;
  }
  if ("oneOf" in schema) {
    if (!schema.oneOf.includes(value as string | number)) fail(at, `expected one of ${schema.oneOf.map((o) => JSON.stringify(o)).join(", ")}, got ${describe(value)}`);
    return;
  }
  if ("nullable" in schema) {
    if (value !== null) checkSchema(value, schema.nullable, path, fail);
    return;
  }
  if ("arrayOf" in schema) {
    if (!Array.isArray(value)) fail(at, `expected an array, got ${describe(value)}`);
    if (schema.length !== undefined && value.length !== schema.length) fail(at, `expected ${schema.length} entries, got ${value.length}`);
    value.forEach((v, i) => checkSchema(v, schema.arrayOf, path ? `${path}.${i}` : String(i), fail));
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(at, `expected an object, got ${describe(value)}`);
  const obj = value as Record<string, unknown>;
  if ("recordOf" in schema) {
    for (const k of Object.keys(obj)) checkSchema(obj[k], schema.recordOf, path ? `${path}.${k}` : k, fail);
    return;
  }
  const optional = new Set(schema.optional ?? []);
  for (const [k, s] of Object.entries(schema.object)) {
    const sub = path ? `${path}.${k}` : k;
    if (!Object.hasOwn(obj, k) || obj[k] === undefined) {
      if (optional.has(k)) continue;
      fail(sub, "is missing");
    }
    checkSchema(obj[k], s, sub, fail);
  }
}

/** What a Tensor looks like, checked without importing the class (this file sits below it). @example isTensor(zeros([2])) === true */
export function isTensor(v: unknown): boolean {
  const t = v as { shape?: unknown; dtype?: unknown; data?: unknown } | null;
  return t !== null && typeof t === "object" && Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.data === "function";
}

/**
 * A Tensor argument; a plain array or number gets a hint to wrap it with `tensor(...)`.
 *
 * @example checkTensor("mseLoss", "target", target);
 */
export function checkTensor(fn: string, arg: string, v: unknown): void {
  if (!isTensor(v)) throw tensorArgError(fn, arg, v);
}

/**
 * The Error `tensorArgError` makes: `arg` says which argument was not a Tensor, so a caller can
 * rethrow it under its own name (Module.call for a module's input) without reading the message.
 *
 * @example if (e instanceof TensorArgError && e.arg === "input") throw tensorArgError("ReLU.call", "input", x);
 */
export class TensorArgError extends Error {
  constructor(message: string, readonly arg: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The error for a value that should have been a Tensor (what `checkTensor` throws); `cause` is the
 * error it replaces, when it renames one.
 *
 * @example throw tensorArgError("relu", "input", "x");
 */
export function tensorArgError(fn: string, arg: string, v: unknown, cause?: unknown): TensorArgError {
  const hint = Array.isArray(v) || typeof v === "number" ? " (wrap plain numbers with tensor(...))" : "";
  return new TensorArgError(`${fn}: ${arg} must be a Tensor, got ${describe(v)}${hint}`, arg, cause === undefined ? undefined : { cause });
}

/**
 * A dim argument: an integer (the range is checked against the tensor by the caller).
 *
 * @example checkIntArg("roll", "shifts", 1);
 */
export function checkIntArg(fn: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw argError(fn, arg, "an integer", v);
  return v;
}

/** The dtypes a tensor can have. */
export const DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"] as const;

/**
 * A tensor dtype (or undefined). PyTorch's other spellings ("half", "long") get their own hint.
 *
 * @example checkDType("zeros", opts.dtype);
 */
export function checkDType(fn: string, dtype: unknown): void {
  if (dtype === undefined || (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype))) return;
  const half = dtype === "half";
  throw new Error(
    `${fn}: dtype must be one of ${DTYPES.map((d) => `"${d}"`).join(", ")}, got ${describe(dtype)}` +
      (half ? "; PyTorch's torch.half is \"float16\"" : "") +
      (dtype === "long" ? "; PyTorch's long is \"int64\"" : ""),
  );
}

/**
 * `sum(x, dim, keepdim = false)`: a function's parameter list as written, for "what it takes";
 * `dropFirst` leaves out the tensor a method is called on (`x.sum(dim, keepdim = false)`).
 */
function signature(name: string, fn: Function, dropFirst = false): string {
  let params = parameterList(fn);
  if (params === undefined) return `${name}(...)`;
  if (dropFirst) params = params.replace(/^[^,]*,?\s*/, "");
  return `${name}(${params})`;
}

/** An error thrown from inside a function by JavaScript itself rather than by one of our checks. */
function isRaw(e: unknown): boolean {
  if (!(e instanceof Error)) return true;
  if (e instanceof TypeError || e instanceof SyntaxError || e instanceof ReferenceError) return true;
  // Our own RangeErrors (a dim out of range) start with the op's name; JavaScript's do not.
  return e instanceof RangeError && !/^[\w.]+: /.test(e.message);
}

/**
 * Whether an error message already names the function the user called: its leading `fn:` is that
 * function (`sum:`, `x.sum:`, `linalg.vectorNorm:`, `Linear.call:` for a method `call`).
 */
function namesFunction(message: string, short: string, args: readonly unknown[]): boolean {
  const colon = message.indexOf(": ");
  if (colon < 0) return false;
  const head = message.slice(0, colon);
  // A helper told which name to use (imageOf(sample, "MyTransform")) names what the caller asked.
  // x.requiresGrad_() reports as requiresGrad, the in-place method's own name without the "_".
  const base = short.endsWith("_") ? short.slice(0, -1) : short;
  return head === short || head === base || head.endsWith(`.${short}`) || args.includes(head);
}

/**
 * The names an error message may start with that are functions or classes of ours (every guarded
 * function and method registers its name), as opposed to a file name, a format or an error code
 * (`model.safetensors: ...`, `ENOENT: ...`), which must stay.
 */
const functionNames = new Set<string>(["allocate", "Tensor.fromArray"]);
// A class's name (`Mix.call: a full backward hook returned ...`, `Normalize: ...`) says which module
// or transform failed, so it stays: only names registered here are taken off.
const isFunctionName = (head: string): boolean => functionNames.has(head);

const GRAPH_RUNNERS = new Set(["backward", "grad", "gradcheck", "gradgradcheck", "jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]);

/** `clamp: min must be ...` -> `min must be ...`: a message with its leading function name(s) taken off. */
function withoutInnerNames(message: string): string {
  for (;;) {
    const m = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*): /.exec(message);
    if (!m || !isFunctionName(m[1])) return message;
    message = message.slice(m[0].length);
  }
}

function explain(name: string, fn: Function, args: readonly unknown[], e: unknown, method = false, takes?: string): unknown {
  if (!isRaw(e)) {
    const short = name.slice(name.lastIndexOf(".") + 1);
    // The shared operand check of binary ops does not know which op it serves: name it.
    if (e instanceof Error && e.message.startsWith("a binary op: ")) e.message = `${short}: ${e.message.slice(13)}`;
    // An op built from other ops (clampMin from clamp, std from var, hstack from cat) can fail inside
    // one of them: the message then names the inner op, which the user never called. Name the called
    // function once, in place of the inner one(s), and keep the inner reason.
    // Autograd's drivers run the graph's ops: there the inner name says which op failed
    // (`backward: digamma: ...`), so it stays.
    else if (e instanceof Error && !namesFunction(e.message, short, args)) e.message = `${method ? short : name}: ${GRAPH_RUNNERS.has(short) ? e.message : withoutInnerNames(e.message)}`;
    return e;
  }
  const got = args.length ? args.map(describe).join(", ") : "no arguments";
  return new Error(`${name}: cannot use the arguments (${got}); it takes ${takes ?? signature(name, fn, method)} (${e instanceof Error ? e.message : String(e)})`, { cause: e });
}

/**
 * The option keys of every op, method and function whose last argument may be an options object,
 * by the name it is guarded under (`sum` for `x.sum` and `sum`, `linalg.vectorNorm`,
 * `nn.functional.dropout`). Each op file declares its own next to the op (`declareOptions`), and the
 * entry layer (`guardMethod`, `guardFunction`) checks a trailing plain object against them before
 * the op runs, so `x.sum(1, { keepDim: true })` is an error naming the key instead of a silent default.
 */
const OPTION_KEYS = new Map<string, readonly string[]>();

/**
 * Declares the keys the trailing options object of each named op takes (API.md rule 9); the entry
 * layer rejects any other key, with a "did you mean". Call it before the op is installed or exported.
 *
 * @example declareOptions({ sum: ["keepdim", "dtype"], var: ["correction", "keepdim", "unbiased"] });
 */
export function declareOptions(keys: Readonly<Record<string, readonly string[]>>): void {
  for (const [name, list] of Object.entries(keys)) OPTION_KEYS.set(name, Object.freeze([...list]));
}

/** The declared option keys of `name` (undefined: it takes no options object). @example declaredOptions("sum") // ["keepdim", "dtype"] */
export function declaredOptions(name: string): readonly string[] | undefined {
  return OPTION_KEYS.get(name);
}

/**
 * Optional parameters that PyTorch code passes positionally and that API.md rule 3 also takes as one
 * trailing options object (`F.normalize(x, { dim: 0 })` = `F.normalize(x, 2, 0)`): `first` is the
 * index of the first of them among the function's arguments (its tensor is 0; a Tensor method
 * counts its receiver), `names` are their names in order, and `bag` the keys of a real options
 * object the function takes after them (`F.dropout(x, p, training, { generator })`).
 */
export interface OptionalArgs {
  first: number;
  names: readonly string[];
  bag?: readonly string[];
}

const OPTIONAL_ARGS = new Map<string, OptionalArgs>();

/**
 * Declares a function's optional positional parameters (`OptionalArgs`): the entry layer then turns a
 * trailing options object into those arguments, rejecting a key it does not take or one already
 * given positionally. For a name declared both ways this one wins. It returns `specs`, typed as
 * written, for the types of the options-object forms (`WithOptionsForms`, src/tensor/options-form.ts):
 * export `typeof` it and hand that type to the `guardAll` that exports the functions.
 *
 * @example const OPTIONAL_ARGS = declareOptionalArgs({ normalize: { first: 1, names: ["p", "dim", "eps"] } });
 */
export function declareOptionalArgs<const S extends Readonly<Record<string, OptionalArgs>>>(specs: S): S {
  for (const [name, spec] of Object.entries(specs)) OPTIONAL_ARGS.set(name, Object.freeze({ ...spec }));
  return specs;
}

/** Every name with declared optional positional parameters, for tests that go over all of them. @example declaredOptionalArgNames().includes("sum") */
export function declaredOptionalArgNames(): string[] {
  return [...OPTIONAL_ARGS.keys()];
}

/** The declared optional positional parameters of `name`, if any. @example declaredOptionalArgs("leakyRelu") // { first: 1, names: ["negativeSlope"] } */
export function declaredOptionalArgs(name: string): OptionalArgs | undefined {
  return OPTIONAL_ARGS.get(name);
}

/**
 * `args` with a trailing options object spread into the optional parameters it names (undefined
 * where it leaves one out, so the function's default applies) and the rest kept as its `bag`.
 * `receiver` is 1 for a Tensor method (whose args leave out the tensor). Untouched when the last
 * argument is not a plain object or sits before the optional parameters.
 */
function spreadOptionalArgs(display: string, fn: Function, spec: OptionalArgs, args: unknown[], receiver: number): unknown[] {
  const j = args.length - 1;
  const at = j + receiver - spec.first; // which optional parameter the object stands in for
  if (j < 0 || at > spec.names.length || !isPlainObject(args[j])) return args;
  // PyTorch's keyword form of a required parameter (`x.repeat_interleave(repeats=2)`): API.md rule 3
  // takes required parameters positionally, so say which and write the call out, rather than let the
  // object reach the op as that parameter.
  if (at < 0) throw requiredInOptionsError(display, fn, args, receiver, spec.first, [...spec.names, ...(spec.bag ?? [])]);
  const opts = args[j] as Record<string, unknown>;
  const rest = spec.names.slice(at);
  const bag = spec.bag ?? [];
  for (const k in opts) {
    if (opts[k] === undefined || rest.includes(k) || bag.includes(k)) continue;
    if (spec.names.includes(k)) throw new Error(`${display}: '${k}' is given twice, positionally and in the options object; give it once`);
    throw unknownKeyError(display, k, [...rest, ...bag]);
  }
  if (at === spec.names.length) return args; // the function's own options object, keys checked
  const out = args.slice(0, j);
  for (const k of rest) out.push(opts[k]);
  if (spec.bag) {
    const b: Record<string, unknown> = {};
    for (const k of bag) if (opts[k] !== undefined) b[k] = opts[k];
    out.push(b);
  }
  return out;
}

/**
 * For a failed call of a function that takes no options object: when its last argument is a plain
 * object whose keys name its positional parameters (`x.transpose({ dim0: 0, dim1: 1 })`, PyTorch's
 * keyword form), the error that says so; else undefined, and the function's own error stands.
 */
function misplacedKeys(display: string, fn: Function, args: readonly unknown[], receiver: number): Error | undefined {
  return args.length > 1 - receiver && isPlainObject(args[args.length - 1]) ? positionalKeyError(display, fn, args, receiver, []) : undefined;
}

/** A plain `{ ... }` object: what an options argument is (not a Tensor, array, typed array or class instance). */
function isPlainObject(v: unknown): v is object {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The entry layer's options check: `keys` are the op's declared keys (null: none declared), looked
 * up once per wrapper; only a trailing plain object after the first `first` arguments is an options
 * object (a function's first argument is its data, `tensor({ a: 1 })`, which its own check judges).
 */
function checkTrailingOptions(display: string, fn: Function, keys: readonly string[] | null, args: readonly unknown[], first: number): void {
  if (keys === null || args.length <= first) return;
  const last = args[args.length - 1];
  if (!isPlainObject(last)) return;
  try {
    checkKeys(display, last, keys);
  } catch (e) {
    // A key naming one of the function's positional parameters (`x.softmax({ dim: 1 })`): say so.
    throw positionalKeyError(display, fn, args, 1 - first, keys) ?? e;
  }
}

/**
 * The declareOptions keys the entry layer checks a trailing options object of `name` against,
 * given its declareOptionalArgs spec (`optional`): none when it has one, since that spec wins and
 * lists the keys of the function's own options object itself (`bag`); null when it takes none.
 */
function trailingKeys(name: string, optional: OptionalArgs | null): readonly string[] | null {
  return optional ? null : OPTION_KEYS.get(name) ?? null;
}

/**
 * The error for a failed guarded call: when the function takes no options object (`noOptions`) and
 * its last argument names its positional parameters, the error that says so; else `explain`'s
 * translation of what was thrown. One rule for methods, functions and async functions alike.
 */
function failedCall(display: string, fn: Function, args: readonly unknown[], e: unknown, noOptions: boolean, method: boolean, takes?: string): unknown {
  return (noOptions && misplacedKeys(display, fn, args, method ? 1 : 0)) || explain(display, fn, args, e, method, takes);
}

/**
 * A Tensor method that calls `fn(this, ...args)`, with `guardFunction`'s translation of what
 * JavaScript throws on a wrong argument into an Error naming `x.<name>`, what it got and its parameters.
 *
 * @example Object.defineProperty(Tensor.prototype, "sum", { value: guardMethod("sum", sum) });
 */
export function guardMethod(name: string, fn: (self: never, ...args: never[]) => unknown): (this: unknown, ...args: unknown[]) => unknown {
  functionNames.add(name);
  return guard(name, `x.${name}`, fn, true, false);
}

const isScalar = (v: unknown): boolean => typeof v === "number" || typeof v === "boolean";

/**
 * The public entry layer for free functions (ops, nn.functional, linalg): with `tensorFirst`, an
 * input that is not a Tensor (or a number, which the op may promote) is a named error before
 * anything runs; and whatever JavaScript itself throws inside on a wrong argument (a TypeError
 * from reading a property of a string, an invalid array length) becomes an Error naming the
 * function, what it got and its parameters. Our own errors pass through unchanged.
 *
 * `takes` is the parameter list for that message when `fn`'s own source does not show it (a wrapper).
 *
 * @example export const relu = guardFunction("relu", reluImpl, true);
 */
export function guardFunction<F extends (...args: never[]) => unknown>(name: string, fn: F, tensorFirst: boolean, takes?: string): F {
  functionNames.add(name).add(name.slice(name.lastIndexOf(".") + 1));
  const guarded = guard(name, name, fn, false, tensorFirst, takes);
  Object.defineProperty(guarded, "name", { value: fn.name });
  return guarded as unknown as F;
}

/**
 * The wrapper guardMethod and guardFunction share: `method` says whether `this` is the function's
 * first argument (a Tensor method: `fn(this, ...args)`, shown as `display`, e.g. `x.sum`) or is
 * passed through (`fn.apply(this, args)`). The options declarations of `name` are looked up on the
 * first call: an op file may declare them after installing the method. Plain parameters, not an
 * options object, and the branches on constants: this runs on every op call (`a.add(b)`).
 */
function guard(name: string, display: string, fn: Function, method: boolean, tensorFirst: boolean, takes?: string): (this: unknown, ...args: unknown[]) => unknown {
  const call = fn as (...a: unknown[]) => unknown;
  const receiver = method ? 1 : 0;
  let optional: OptionalArgs | null | undefined;
  let keys: readonly string[] | null = null;
  return function (this: unknown, ...args: unknown[]): unknown {
    if (tensorFirst && !isTensor(args[0]) && !isScalar(args[0])) throw tensorArgError(name, "input", args[0]);
    if (optional === undefined) {
      optional = OPTIONAL_ARGS.get(name) ?? null;
      keys = trailingKeys(name, optional);
    }
    if (optional) args = spreadOptionalArgs(display, fn, optional, args, receiver);
    else checkTrailingOptions(display, fn, keys, args, 1 - receiver);
    let out: unknown;
    try {
      out = method ? call(this, ...args) : call.apply(this, args);
    } catch (e) {
      throw failedCall(display, fn, args, e, !optional && keys === null, method, takes);
    }
    // An async function's rejection gets the same translation as a synchronous throw (methods are synchronous).
    if (!method && out instanceof Promise) return out.catch((e: unknown) => Promise.reject(failedCall(display, fn, args, e, !optional && keys === null, false, takes)));
    return out;
  };
}

const isClass = (f: Function): boolean => /^class\b/.test(Function.prototype.toString.call(f));

/**
 * `guardFunction` over every function of a module namespace (classes and other values pass as they
 * are); `notTensorFirst` names the functions whose first argument is not a tensor (`cat` takes a list),
 * or is "all" for a namespace of functions that take datasets, files or modules (data, io, utils).
 * `S`, the type of the namespace's `declareOptionalArgs` declarations, adds their options-object
 * forms to the functions' types (the entry layer is what makes them work).
 *
 * @example export const functional = guardAll<typeof fns, FunctionalOptionalArgs>(fns, "");
 */
export function guardAll<T extends object, S = never>(ns: T, prefix: string, notTensorFirst: readonly string[] | "all" = []): [S] extends [never] ? T : WithOptionsForms<T, S> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) {
    // var_ is `var` (a reserved word in JavaScript) under another name.
    const name = k === "var_" ? "var" : k;
    out[k] = typeof v === "function" && !isClass(v) ? guardFunction(prefix ? `${prefix}.${name}` : name, v as (...a: never[]) => unknown, notTensorFirst !== "all" && !notTensorFirst.includes(k)) : v;
  }
  return out as [S] extends [never] ? T : WithOptionsForms<T, S>;
}

/**
 * An iterable that is not a string (a list of modules, tensors or indices).
 *
 * @example checkIterable("ModuleList", "modules", modules, "an array of modules");
 */
export function checkIterable(fn: string, arg: string, v: unknown, takes: string): void {
  if (v == null || typeof v === "string" || typeof (v as Iterable<unknown>)[Symbol.iterator] !== "function") throw argError(fn, arg, takes, v);
}

/**
 * An integer or an array of integers, returned as an array (shapes, sizes).
 *
 * @example const sizes = checkIntList("Unflatten", "sizes", [2, 3]);
 */
export function checkIntList(fn: string, arg: string, v: unknown, allowSingle = false): number[] {
  if (allowSingle && typeof v === "number" && Number.isInteger(v)) return [v];
  if (!Array.isArray(v) || !v.every((d) => typeof d === "number" && Number.isInteger(d))) {
    throw argError(fn, arg, allowSingle ? "an integer or an array of integers" : "an array of integers", v);
  }
  return [...v];
}
