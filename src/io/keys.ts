/**
 * Renaming state-dict keys for partial and cross-library loads: checkpoints saved from a
 * `DataParallel`/DDP wrapper carry a `module.` prefix, a backbone saved alone lacks the prefix it has
 * inside a bigger model, and Hugging Face checkpoints nest models under their own names.
 * Pure and generic over the values, so it serves state dicts of tensors and of file records alike.
 */

/** How `renameKeys` maps keys: prefix rewrites (`{ "module.": "" }`) or a function returning the new key, or null to drop it. */
export type KeyRenamer = Record<string, string> | ((key: string) => string | null);

/**
 * A new state dict with keys renamed. With an object, each key starting with one of its prefixes
 * (the longest that matches) has that prefix replaced; other keys are kept as they are. With a
 * function, its result is the new key, and `null` drops the entry. Two entries ending up under one
 * key is an error naming both, so nothing is lost silently.
 *
 * @example model.loadStateDict(io.renameKeys(sd, { "module.": "" }), { strict: false });
 */
export function renameKeys<T>(stateDict: Record<string, T>, renamer: KeyRenamer): Record<string, T> {
  if (stateDict === null || typeof stateDict !== "object") {
    throw new Error(`renameKeys: expected a state dict object, got ${stateDict === null ? "null" : typeof stateDict}`);
  }
  let rename: (key: string) => string | null;
  if (typeof renamer === "function") rename = renamer;
  else if (renamer !== null && typeof renamer === "object") {
    const prefixes = Object.keys(renamer).sort((a, b) => b.length - a.length);
    for (const p of prefixes) {
      if (typeof renamer[p] !== "string") throw new Error(`renameKeys: the replacement for prefix "${p}" must be a string, got ${typeof renamer[p]}`);
    }
    rename = (k) => {
      const p = prefixes.find((q) => k.startsWith(q));
      return p === undefined ? k : renamer[p] + k.slice(p.length);
    };
  } else {
    throw new Error(`renameKeys: expected a {prefix: replacement} object or a function, got ${renamer === null ? "null" : typeof renamer}`);
  }
  const out: Record<string, T> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(stateDict)) {
    const nk = rename(k);
    if (nk === null) continue;
    if (typeof nk !== "string" || nk === "") throw new Error(`renameKeys: the renamer turned "${k}" into ${JSON.stringify(nk)}; return a non-empty string, or null to drop the key`);
    if (Object.hasOwn(out, nk)) throw new Error(`renameKeys: "${from[nk]}" and "${k}" would both be renamed to "${nk}"; make the rules distinguish them or drop one (return null)`);
    out[nk] = v;
    from[nk] = k;
  }
  return out;
}
