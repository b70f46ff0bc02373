/**
 * What the entry layer (tensor/guard.ts) says when a call puts a positional parameter in its options object.
 *
 * PyTorch accepts any parameter by keyword (`x.repeat_interleave(repeats=2)`, `x.softmax(dim=1)`);
 * deeptype's convention (API.md rule 3) takes required parameters positionally and only optional
 * ones in the trailing options object, so a PyTorch user's keyword form lands the object where a
 * required parameter goes. JavaScript would then fail somewhere inside with a TypeError; instead the
 * entry layer names the parameter and writes the positional call out, with the user's own values:
 * `x.repeatInterleave({ repeats: 2 })` -> `x.repeatInterleave: repeats is a required parameter ...;
 * write x.repeatInterleave(2)`.
 *
 * The parameter names come from the function's own source (its parameter list as written), so they
 * cannot drift from the code; where the source shows none (a wrapper taking `...args`), the message
 * counts positions instead. Nothing here runs on the success path.
 */
import { camelCase } from "./check-keys.js";

/**
 * A function's parameter list as written, `(x, dim, keepdim = false)` -> "x, dim, keepdim = false";
 * undefined when the source does not show one.
 */
export function parameterList(fn: Function): string | undefined {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf("(");
  // An arrow function with one bare parameter (`x => ...`) has no parenthesis before its arrow.
  const arrow = src.indexOf("=>");
  if (arrow >= 0 && (open < 0 || arrow < open)) return src.slice(0, arrow).replace(/^async\s+/, "").trim();
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    i = pastString(src, i);
    if ("([{".includes(src[i])) depth++;
    else if (")]}".includes(src[i]) && --depth === 0) return src.slice(open + 1, i).replace(/\s+/g, " ").trim();
  }
  return undefined;
}

/**
 * When `src[i]` opens a string literal (' " or `), the index of its closing quote, else i: brackets
 * and commas inside a default value's string (`mode = "("`) are not the parameter list's.
 */
function pastString(src: string, i: number): number {
  const q = src[i];
  if (q !== "'" && q !== '"' && q !== "`") return i;
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === "\\") j++;
    else if (src[j] === q) return j;
  }
  return src.length;
}

/**
 * The names of a function's parameters in order (`(x, dim = 0, { keepdim } = {})` -> ["x", "dim", "options"]);
 * a rest parameter ends the list, since the positions after it are unnamed.
 *
 * @example parameterNames((x: number, dim = 0) => x + dim) // ["x", "dim"]
 */
export function parameterNames(fn: Function): string[] {
  const list = parameterList(fn);
  if (!list) return [];
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= list.length; i++) {
    i = pastString(list, i);
    const c = list[i];
    if (c === undefined || (c === "," && depth === 0)) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    } else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
  }
  const names: string[] = [];
  for (const p of parts) {
    if (p === "" || p.startsWith("...")) break;
    const m = /^[A-Za-z_$][\w$]*/.exec(p);
    names.push(m ? m[0] : "options"); // a destructured `{ a, b } = {}` is an options object
  }
  return names;
}

/** A value as the user would write it in a call, or undefined when it has no short literal form. */
function literal(v: unknown): string | undefined {
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v) && v.length <= 8 && v.every((e) => typeof e === "number")) return `[${v.join(", ")}]`;
  return undefined;
}

/**
 * The call written positionally: `names[i]` is the name of the parameter at argument position i
 * (after the receiver of a method); `values` the user's values by name where they gave them.
 */
function writeCall(display: string, positional: readonly string[], values: Record<string, unknown>, rest: readonly string[]): string {
  const shown = positional.map((n) => (Object.hasOwn(values, n) && values[n] !== undefined ? literal(values[n]) ?? n : n));
  if (rest.length) shown.push(`{ ${rest.map((k) => (literal(values[k]) !== undefined ? `${k}: ${literal(values[k])}` : k)).join(", ")} }`);
  return `${display}(${shown.join(", ")})`;
}

const list = (names: readonly string[]): string => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);

/**
 * The error for an options object given where required parameters go (`x.repeatInterleave({ repeats: 2 })`):
 * `args` are the call's arguments (a method's without its receiver), `receiver` 1 for a method,
 * `first` the position of the first optional parameter (guard.ts' `OptionalArgs.first`).
 *
 * @example throw requiredInOptionsError("x.roll", roll, [{ shifts: 1 }], 1, 2, ["dims"]);
 */
export function requiredInOptionsError(display: string, fn: Function, args: readonly unknown[], receiver: number, first: number, takes: readonly string[]): Error {
  const names = parameterNames(fn);
  const at = args.length - 1 + receiver; // the position the options object sits in
  const nameAt = (i: number): string => names[i] ?? `argument ${i + 1 - receiver}`;
  const missing = Array.from({ length: first - at }, (_, i) => nameAt(at + i));
  let opts = args[args.length - 1] as Record<string, unknown>;
  const keys = Object.keys(opts).filter((k) => opts[k] !== undefined);
  // One required parameter missing and one key the function does not take: that key is the parameter
  // under PyTorch's name (`x.pad({ pad: [1, 1] })` for deeptype's `pads`).
  const foreign = keys.filter((k) => !missing.includes(k) && !takes.includes(k));
  let alias = "";
  if (missing.length === 1 && opts[missing[0]] === undefined && foreign.length === 1) {
    alias = ` as '${foreign[0]}'`;
    opts = { ...opts, [missing[0]]: opts[foreign[0]] };
  }
  const inObject = missing.filter((n) => opts[n] !== undefined);
  const rest = keys.filter((k) => !missing.includes(k) && !(alias && k === foreign[0]));
  // The arguments given before the object, as the user wrote them where a literal shows them (API.md:
  // errors say what was given), by name otherwise (a tensor): `x.f(1, { c: 2 })` -> `write x.f(1, b, { c: 2 })`.
  const before = args.slice(0, -1).map((v, i) => literal(v) ?? nameAt(i + receiver));
  const what = missing.length === 1 ? `${missing[0]} is a required parameter` : `${list(missing)} are required parameters`;
  const where = inObject.length === missing.length ? `not in the options object${alias ? `, where it came${alias}` : ""}` : `the options object stands in ${missing.length === 1 ? "its" : "their"} place`;
  return new Error(`${display}: ${what}, given positionally (${where}); write ${writeCall(display, [...before, ...missing], opts, rest)}`);
}

/**
 * For a function without declared optional parameters: the error when a key of its trailing options
 * object is the name of one of its positional parameters at or after the object's place
 * (`x.softmax({ dim: 1 })`), else undefined (the key is simply unknown).
 *
 * @example positionalKeyError("x.softmax", softmax, [{ dim: 1 }], 1) // x.softmax: dim is a positional parameter ...
 */
export function positionalKeyError(display: string, fn: Function, args: readonly unknown[], receiver: number, keys: readonly string[]): Error | undefined {
  const names = parameterNames(fn);
  const at = args.length - 1 + receiver;
  // Keys in deeptype's spelling: PyTorch's keyword `fill_value` names the parameter `fillValue`.
  const given = args[args.length - 1] as Record<string, unknown>;
  const opts: Record<string, unknown> = {};
  const spelt = new Map<string, string>();
  for (const k of Object.keys(given)) {
    const c = keys.includes(k) ? k : camelCase(k);
    opts[c] = given[k];
    spelt.set(c, k);
  }
  const misplaced = Object.keys(opts).filter((k) => opts[k] !== undefined && !keys.includes(k) && names.indexOf(k) >= at);
  if (misplaced.length === 0) return undefined;
  const last = Math.max(...misplaced.map((k) => names.indexOf(k)));
  const positional = names.slice(receiver, last + 1);
  const rest = Object.keys(opts).filter((k) => opts[k] !== undefined && !positional.includes(k));
  const named = misplaced.map((k) => (spelt.get(k) === k ? k : `${spelt.get(k)} (${k})`));
  const what = named.length === 1 ? `${named[0]} is a positional parameter, not an option` : `${list(named)} are positional parameters, not options`;
  // The arguments before the object are written with the caller's values (`demoPair(1, { b: 2 })` ->
  // `demoPair(1, 2)`), where they have a short literal form.
  const values: Record<string, unknown> = { ...opts };
  args.slice(0, -1).forEach((v, i) => (values[positional[i]] = v));
  return new Error(`${display}: ${what}; write ${writeCall(display, positional, values, rest)}`);
}
