/**
 * The public entry layer (re-exported by check.ts): `guardAll`, `guardFunction` and `guardMethod`
 * wrap every exported op, function and Tensor method, so a wrong argument is an Error naming the
 * function called rather than a TypeError from inside, and a trailing options object is checked
 * against the keys each op declares (`declareOptions`, `declareOptionalArgs`) before the op runs.
 */
import { describe, isTensor, tensorArgError } from "./check-args.js";
import { checkKeys, unknownKeyError } from "./check-keys.js";
import type { WithOptionsForms } from "./options-form.js";
import { parameterList, positionalKeyError, requiredInOptionsError } from "./required-args.js";

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
  // A namespace re-guarding an already guarded export (nn.functional's conv2d) would show the inner
  // wrapper's `...args` in its messages: they read the parameter names of the function underneath.
  const named = underlying.get(fn) ?? fn;
  const guarded = function (this: unknown, ...args: unknown[]): unknown {
    if (tensorFirst && !isTensor(args[0]) && !isScalar(args[0])) throw tensorArgError(name, "input", args[0]);
    if (optional === undefined) {
      optional = OPTIONAL_ARGS.get(name) ?? null;
      keys = trailingKeys(name, optional);
    }
    if (optional) args = spreadOptionalArgs(display, named, optional, args, receiver);
    else checkTrailingOptions(display, named, keys, args, 1 - receiver);
    let out: unknown;
    try {
      out = method ? call(this, ...args) : call.apply(this, args);
    } catch (e) {
      throw failedCall(display, named, args, e, !optional && keys === null, method, takes);
    }
    // An async function's rejection gets the same translation as a synchronous throw (methods are synchronous).
    if (!method && out instanceof Promise) return out.catch((e: unknown) => Promise.reject(failedCall(display, named, args, e, !optional && keys === null, false, takes)));
    return out;
  };
  underlying.set(guarded, named);
  return guarded;
}

/** Each guard wrapper's innermost function (the one whose source shows the parameter names). */
const underlying = new WeakMap<Function, Function>();

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
