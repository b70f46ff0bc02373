/**
 * Options objects (API.md rule 9): `checkOptions` and `checkKeys` reject a key the function does not
 * take, with the closest valid key as a suggestion; `optionKeys` writes a key list the compiler
 * checks against the options type. Re-exported by check.ts.
 */
import { argError, checkDType, isTensor } from "./check-args.js";

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

/** PyTorch's snake_case keyword in deeptype's spelling: `fill_value` -> `fillValue`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The error for an unknown option key, with the closest valid key as a suggestion. */
export function unknownKeyError(fn: string, key: string, keys: readonly string[]): Error {
  const camel = camelCase(key);
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
