/**
 * Declarative argument specs for the public entry layer (`guardAll(ns, prefix, "all", specs)`): each
 * function of data, io, utils, models and deeptype/node lists its parameters as `[name, kind]`, and a
 * wrong call is refused before the function runs with one message,
 * `data.readIdx: input must be the file's bytes (a Uint8Array or ArrayBuffer), got number 3`.
 *
 * Why a spec instead of hand-written ifs in each function: one place per function, one wording per
 * kind, and the compiler checks each spec against the function's TypeScript signature (`ArgSpecs`):
 * a kind that accepts less than the declared parameter type (a spec saying `A.string` for a
 * parameter typed `string | Uint8Array`, or a required kind for an optional parameter) fails to
 * compile, so a spec cannot reject a call the types allow. The survey in test/api-args.test.ts
 * checks the other direction: every function has a spec, and the spec's names are the parameters'.
 *
 * It sits next to guard.ts at the bottom layer and knows the higher layers only by shape (a module
 * has `namedModules`, a dataset `length` and `getItem`), never by import.
 */
import { describe, guardFunction, isTensor } from "./check.js";
import { Generator } from "./generator.js";
import type { Tensor } from "./tensor.js";

/**
 * What one parameter takes: a runtime test and the words for the message. `T` is the TypeScript type
 * the test accepts at least; it only exists for the compiler (see `ArgSpecs`).
 *
 * @example const path: ArgKind<string> = argKind("a file path string", (v) => typeof v === "string");
 */
export interface ArgKind<T> {
  readonly takes: string;
  readonly test: (v: unknown) => boolean;
  /** A fix for a common slip, appended to the message (`wrap plain numbers with tensor(...)`). */
  readonly hint?: (v: unknown) => string;
  /** Compile-time only: contravariant in T, so an ArgKind<A> fits a parameter of type P only when P ⊆ A. */
  readonly accepts?: (v: T) => void;
}

/** One parameter of a spec: its name as declared, and its kind. */
export type NamedArg = readonly [name: string, kind: ArgKind<never>];

/**
 * A spec per function of a module namespace: a tuple of `[name, kind]` for its leading parameters
 * (parameters after the last one listed are the function's own business).
 */
export type ArgSpecs<NS> = {
  [K in keyof NS]?: NS[K] extends (...args: infer P) => unknown ? ArgList<P> : never;
};
type ArgList<P extends readonly unknown[]> = { [I in keyof P]?: readonly [name: string, kind: ArgKind<P[I]>] };

/**
 * A kind from a description and a test.
 *
 * @example const positive = argKind<number>("a positive number", (v) => typeof v === "number" && v > 0);
 */
export function argKind<T>(takes: string, test: (v: unknown) => boolean, hint?: (v: unknown) => string): ArgKind<T> {
  return hint ? { takes, test, hint } : { takes, test };
}

const isPlainObject = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) && !isTensor(v);
const wrapHint = (v: unknown): string => (Array.isArray(v) || typeof v === "number" ? "; wrap plain numbers with tensor([...])" : "");
const isNumberList = (v: unknown): boolean =>
  (Array.isArray(v) && v.every((x) => typeof x === "number")) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));

/** `undefined` or what `k` takes (an optional parameter). @example optional(A.string) */
export function optional<T>(k: ArgKind<T>): ArgKind<T | undefined> {
  return { takes: `${k.takes} or undefined`, test: (v) => v === undefined || k.test(v), hint: k.hint };
}

/** What either kind takes. @example or(A.string, A.bytes) */
export function or<T, U>(a: ArgKind<T>, b: ArgKind<U>, takes = `${a.takes} or ${b.takes}`): ArgKind<T | U> {
  return { takes, test: (v) => a.test(v) || b.test(v) };
}

/** One of fixed strings. @example oneOf("mlp", "cnn") */
export function oneOf<S extends string>(...options: S[]): ArgKind<S> {
  return argKind(options.map((o) => JSON.stringify(o)).join(" or "), (v) => options.includes(v as S));
}

/**
 * The kinds the public functions use, each with the words its message prints.
 *
 * @example guardAll(idx, "data", "all", { readIdx: [["input", A.bytesOrBuffer]] })
 */
export const A = {
  /** Anything (a predicate such as `isRawImage(v)`, a payload passed through). */
  any: argKind<unknown>("anything", () => true),
  string: argKind<string>("a string", (v) => typeof v === "string"),
  path: argKind<string>("a file path string", (v) => typeof v === "string" && v.length > 0),
  number: argKind<number>("a number", (v) => typeof v === "number"),
  int: argKind<number>("an integer", (v) => typeof v === "number" && Number.isInteger(v)),
  function: argKind<(...a: never[]) => unknown>("a function", (v) => typeof v === "function"),
  bytes: argKind<Uint8Array>("the file's bytes (a Uint8Array or Buffer)", (v) => v instanceof Uint8Array),
  bytesOrBuffer: argKind<Uint8Array | ArrayBuffer>("the file's bytes (a Uint8Array or ArrayBuffer)", (v) => v instanceof Uint8Array || v instanceof ArrayBuffer),
  tensor: argKind<Tensor>("a Tensor", isTensor, wrapHint),
  tensors: argKind<Tensor | readonly Tensor[]>("a Tensor or an array of Tensors", (v) => isTensor(v) || (Array.isArray(v) && v.every(isTensor)), wrapHint),
  /** Anything with PyTorch's module API (namedModules, namedParameters): an nn.Module. */
  module: argKind<object>("an nn.Module", (v) => v !== null && typeof v === "object" && typeof (v as { namedModules?: unknown }).namedModules === "function"),
  dataset: argKind<object>(
    "a Dataset (a numeric `length` and a `getItem(i)` method)",
    (v) => v !== null && typeof v === "object" && typeof (v as { length?: unknown }).length === "number" && typeof (v as { getItem?: unknown }).getItem === "function",
  ),
  array: argKind<readonly unknown[]>("an array", Array.isArray),
  strings: argKind<readonly string[]>("an array of strings", (v) => Array.isArray(v) && v.every((x) => typeof x === "string")),
  numbers: argKind<readonly number[]>("an array of numbers", (v) => Array.isArray(v) && v.every((x) => typeof x === "number")),
  numberLike: argKind<ArrayLike<number>>("an array of numbers (or a typed array)", isNumberList),
  ints: argKind<readonly number[]>("an array of integers", (v) => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x))),
  /** A plain object (a record, a state dict, a config), not an array, typed array or Tensor. */
  object: argKind<object>("an object", isPlainObject),
  /** A state dict: an object whose values are tensors (each checked by the function). */
  stateDict: argKind<object>("a state dict (an object of tensors by name, as model.stateDict() returns)", isPlainObject),
  /** An options object, or nothing. */
  options: argKind<object | undefined>("an options object { ... } or undefined", (v) => v === undefined || isPlainObject(v)),
  generator: argKind<Generator | undefined>("a Generator (new Generator().manualSeed(0)) or undefined", (v) => v === undefined || v instanceof Generator),
  /** An image as `decodeImage` returns it: `{ width, height, channels, data }`. */
  rawImage: argKind<object>(
    "an image { width, height, channels, data } (as decodeImage returns)",
    (v) => isPlainObject(v) && typeof (v as { width?: unknown }).width === "number" && typeof (v as { height?: unknown }).height === "number" && ArrayBuffer.isView((v as { data?: unknown }).data),
  ),
} as const;

/**
 * Checks `args` against a spec; the first mismatch is an Error naming the function, the parameter,
 * what it takes and what it got (what `guardFunction` runs before the function when given a spec).
 *
 * @example checkArgs("data.readIdx", [["input", A.bytesOrBuffer]], [3]) // throws "data.readIdx: input must be ..."
 */
export function checkArgs(fn: string, spec: readonly (NamedArg | undefined)[], args: readonly unknown[]): void {
  for (let i = 0; i < spec.length; i++) {
    const s = spec[i];
    if (s === undefined || s[1].test(args[i])) continue;
    const [name, kind] = s;
    throw new Error(`${fn}: ${name} must be ${kind.takes}, got ${describe(args[i])}${kind.hint ? kind.hint(args[i]) : ""}`);
  }
}

/** `data.randomSplit(dataset, lengths, opts?)`: the parameter list a spec declares, for messages. */
export function specSignature(fn: string, spec: readonly (NamedArg | undefined)[]): string {
  return `${fn}(${spec.map((s, i) => (s ? (s[1].test(undefined) ? `${s[0]}?` : s[0]) : `arg${i + 1}`)).join(", ")})`;
}

/**
 * Where a guarded function keeps its spec and the function it wraps (for the survey that compares
 * the spec's names with the declared parameters).
 */
export const ARG_SPEC = Symbol("deeptype.argSpec");

const isAsync = (f: Function): boolean => Object.prototype.toString.call(f) === "[object AsyncFunction]";

/**
 * `guardAll` for a namespace of functions that do not take a tensor first (data, io, utils, models,
 * deeptype/node), with a spec per function: the arguments are checked against it before the function
 * runs (an async function rejects instead of throwing), and what JavaScript still throws inside
 * becomes `guardFunction`'s Error with the spec's parameter list. Classes and values pass unchanged.
 *
 * @example export const { readIdx } = guardSpecs(idxModule, "data", { readIdx: [["input", A.bytesOrBuffer]] });
 */
export function guardSpecs<T extends object>(ns: T, prefix: string, specs: ArgSpecs<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) {
    if (typeof v !== "function" || /^class\b/.test(Function.prototype.toString.call(v))) {
      out[k] = v;
      continue;
    }
    const name = prefix ? `${prefix}.${k}` : k;
    const f = v as (...a: unknown[]) => unknown;
    const spec = (specs as Record<string, readonly (NamedArg | undefined)[] | undefined>)[k];
    if (spec === undefined) {
      out[k] = guardFunction(name, f, false);
      continue;
    }
    const async = isAsync(f);
    const checked = function (this: unknown, ...args: unknown[]): unknown {
      if (!async) checkArgs(name, spec, args);
      else {
        try {
          checkArgs(name, spec, args);
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return f.apply(this, args);
    };
    Object.defineProperty(checked, "name", { value: f.name });
    const guarded = guardFunction(name, checked, false, specSignature(name, spec));
    Object.defineProperty(guarded, ARG_SPEC, { value: { spec, fn: f } });
    out[k] = guarded;
  }
  return out as T;
}
