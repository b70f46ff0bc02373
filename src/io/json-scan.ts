/**
 * A pre-pass over untrusted JSON text, run before `JSON.parse`, for the two things `JSON.parse`
 * does not report: nesting deeper than a bound (deep input overflows the parser's stack with a bare
 * "Maximum call stack size exceeded" that names no file) and duplicate keys in one object (which
 * `JSON.parse` resolves silently, last one wins — so two readers can see two different files).
 *
 * It is iterative (no recursion, so no stack to overflow) and only looks at structure: syntax
 * errors are left to `JSON.parse`, which reports them better.
 */

/** What the scan found wrong (a phrase to follow "the JSON"), or null when the structure is within bounds and keys are unique. */
export function scanJson(text: string, maxDepth: number): string | null {
  // One frame per open container: its keys (objects only) and whether the next string is a key.
  const stack: { keys: Set<string> | null; expectKey: boolean; path: string }[] = [];
  let lastKey = "";
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = stack[stack.length - 1];
      const path = top ? (top.keys ? `${top.path}${top.path ? "." : ""}${lastKey}` : `${top.path}[]`) : "";
      if (stack.length >= maxDepth) return `nests deeper than ${maxDepth} levels (at "${path || "<root>"}")`;
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, path });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      if (j >= n) return null; // unterminated string: JSON.parse reports it
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        let key = text.slice(i + 1, j);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            return null; // a bad escape: JSON.parse reports it
          }
        }
        if (top.keys.has(key)) return `has a duplicate key ${JSON.stringify(key)}${top.path ? ` in "${top.path}"` : ""} (readers would disagree on which one counts)`;
        top.keys.add(key);
        top.expectKey = false;
        lastKey = key;
      }
      i = j;
    }
  }
  return null;
}

/**
 * `JSON.parse` after `scanJson`, with object keys that cannot touch a prototype: every object is
 * rebuilt with a null prototype, so a key named `__proto__` is an ordinary key. `fail` gets the
 * problem as text and must throw (the caller adds the file name).
 *
 * @example const header = parseJsonStrict(text, 16, (m) => { throw new Error(`x.json: ${m}`); });
 */
export function parseJsonStrict(text: string, maxDepth: number, fail: (msg: string) => never): unknown {
  const problem = scanJson(text, maxDepth);
  if (problem) fail(problem);
  let value: unknown;
  try {
    // The reviver runs bottom-up; it copies each plain object into a null-prototype one.
    value = JSON.parse(text, (_k, v: unknown) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(v)) out[k] = (v as Record<string, unknown>)[k];
      return out;
    });
  } catch (e) {
    fail(`is not valid JSON (${(e as Error).message})`);
  }
  return value;
}
