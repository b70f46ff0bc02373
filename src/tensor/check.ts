/**
 * Runtime argument checks for the public surface. JavaScript callers have no compiler, so every
 * entry point checks what it was given and throws one kind of message:
 * `<function>: <argument> must be <what it takes>, got <what it got>`.
 *
 * It lives at the bottom layer (no imports) so tensor, nn, optim, data and io can all use it; it
 * recognises tensors by shape, not by class, for the same reason.
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

/** A plain options object (or undefined, which becomes {}). @example const o = checkOptions("DataLoader", opts) */
export function checkOptions<T extends object>(fn: string, v: T | undefined, example = "{ ... }"): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw argError(fn, "options", `an object like ${example}`, v);
  return v;
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

/** What a Tensor looks like, checked without importing the class (this file sits below it). */
function isTensor(v: unknown): boolean {
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
 * The error for a value that should have been a Tensor (what `checkTensor` throws).
 *
 * @example throw tensorArgError("relu", "input", "x");
 */
export function tensorArgError(fn: string, arg: string, v: unknown): Error {
  const hint = Array.isArray(v) || typeof v === "number" ? " (wrap plain numbers with tensor(...))" : "";
  return new Error(`${fn}: ${arg} must be a Tensor, got ${describe(v)}${hint}`);
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
export const DTYPES = ["float32", "float64", "int32", "int16", "int8", "uint8", "bool"] as const;

/**
 * A tensor dtype (or undefined). "float16"/"bfloat16" get their own hint: they are file formats here.
 *
 * @example checkDType("zeros", opts.dtype);
 */
export function checkDType(fn: string, dtype: unknown): void {
  if (dtype === undefined || (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype))) return;
  const half = dtype === "float16" || dtype === "bfloat16" || dtype === "half";
  throw new Error(
    `${fn}: dtype must be one of ${DTYPES.map((d) => `"${d}"`).join(", ")}, got ${describe(dtype)}` +
      (half ? "; 16-bit floats exist only in files (loadWeights reads F16/BF16 safetensors as float32)" : "") +
      (dtype === "int64" || dtype === "long" ? "; int64 has no storage yet, use \"int32\"" : ""),
  );
}
