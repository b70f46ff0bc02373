/**
 * Plain data read from files (checkpoints, configs, reports) checked against a declarative schema,
 * field by field, with the dotted path of the first bad field. Re-exported by check.ts.
 */
import { describe } from "./check-args.js";

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
