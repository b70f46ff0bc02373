/**
 * The value checks of the runtime argument layer (re-exported by check.ts, where every layer imports
 * them): `describe` for messages, `argError` and the checks of numbers, strings, dtypes, tensors and
 * lists. JavaScript callers have no compiler, so every entry point checks what it was given and
 * throws one kind of message: `<function>: <argument> must be <what it takes>, got <what it got>`.
 *
 * It sits at the bottom layer (it imports nothing) so tensor, nn, optim, data and io can all
 * use it; it recognises tensors by shape, not by class, for the same reason.
 */

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
