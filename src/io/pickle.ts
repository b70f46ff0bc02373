/**
 * A restricted reader of Python's pickle format, for PyTorch's `.pt`/`.pth` files.
 *
 * A pickle is a small program: its GLOBAL opcode names any Python callable and REDUCE calls it, which
 * is how a malicious checkpoint runs code under `torch.load`. This reader executes nothing from the
 * file. It interprets the data opcodes (numbers, strings, bytes, lists, tuples, dicts, memo, marks)
 * itself, and a GLOBAL resolves only through the caller's allow-list to a JavaScript function of
 * ours; any other global is an error naming it. Hand-written (there is no maintained JavaScript
 * pickle reader that is restricted by design, and the subset needed is a few dozen opcodes).
 *
 * Python values become: None → null, bool → boolean, int → number (bigint beyond 2^53), float →
 * number, str → string, bytes → Uint8Array, list and tuple → arrays, dict → `PyDict` (a Map that
 * keeps insertion order and any key type), set → Set.
 *
 * Pure (no Node imports), so it runs in browsers.
 */
import { argError } from "../tensor/check.js";

/** A Python dict: ordered, any hashable key. `attrs` holds what BUILD set on it (OrderedDict's `_metadata`). */
export class PyDict extends Map<unknown, unknown> {
  attrs: Record<string, unknown> = {};

  constructor(entries?: Iterable<readonly [unknown, unknown]> | null) {
    // Map's own TypeError ("Iterator value x is not an entry object") names no function: check first.
    // Read once into a list: checking by iterating would use up a one-shot iterator (map.entries()).
    let list: (readonly [unknown, unknown])[] | undefined;
    if (entries != null) {
      if (typeof (entries as Iterable<unknown>)[Symbol.iterator] !== "function" || typeof entries === "string") throw argError("PyDict", "entries", "an iterable of [key, value] pairs", entries);
      list = [...entries];
      list.forEach((e, i) => {
        if (!Array.isArray(e)) throw argError("PyDict", `entries[${i}]`, "a [key, value] pair", e);
      });
    }
    super(list);
  }
}

/** A callable the pickle may name: receives REDUCE's (or NEWOBJ's) argument tuple. */
export type PickleCallable = (args: unknown[]) => unknown;

export interface UnpickleOptions {
  /** The allow-list: `"module.name"` → our function standing for that Python callable. */
  globals: Record<string, PickleCallable>;
  /** PyTorch's storages are persistent ids; this turns one into a value. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Names the file in errors. */
  source?: string;
}

const enum Op {
  MARK = 0x28, STOP = 0x2e, POP = 0x30, POP_MARK = 0x31, DUP = 0x32, FLOAT = 0x46, INT = 0x49, BININT = 0x4a,
  BININT1 = 0x4b, LONG = 0x4c, BININT2 = 0x4d, NONE = 0x4e, PERSID = 0x50, BINPERSID = 0x51, REDUCE = 0x52,
  STRING = 0x53, BINSTRING = 0x54, SHORT_BINSTRING = 0x55, UNICODE = 0x56, BINUNICODE = 0x58, APPEND = 0x61,
  BUILD = 0x62, GLOBAL = 0x63, DICT = 0x64, EMPTY_DICT = 0x7d, APPENDS = 0x65, GET = 0x67, BINGET = 0x68,
  LONG_BINGET = 0x6a, LIST = 0x6c, EMPTY_LIST = 0x5d, PUT = 0x70, BINPUT = 0x71, LONG_BINPUT = 0x72,
  SETITEM = 0x73, TUPLE = 0x74, EMPTY_TUPLE = 0x29, SETITEMS = 0x75, BINFLOAT = 0x47, PROTO = 0x80,
  NEWOBJ = 0x81, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a,
  LONG4 = 0x8b, BINBYTES = 0x42, SHORT_BINBYTES = 0x43, SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d,
  BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91, STACK_GLOBAL = 0x93, MEMOIZE = 0x94,
  FRAME = 0x95,
}

const MARK = Symbol("mark");

/** An allow-listed global as it sits in the built value (e.g. `torch.FloatStorage` inside a storage id). */
export class PyGlobal {
  constructor(
    readonly name: string,
    readonly fn: PickleCallable,
  ) {}
}

/**
 * Runs the pickle `bytes` without executing anything from it and returns the value it builds.
 *
 * @example const value = unpickle(bytes, { globals: { "collections.OrderedDict": () => new PyDict() } });
 */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): unknown {
  const where = `unpickle: ${opts.source ?? "<bytes>"}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;

  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  const need = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > bytes.length) fail(`truncated at byte ${pos}: needs ${n} more bytes, the pickle has ${bytes.length - pos}`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(bytes.length)) fail(`length ${v} at byte ${pos - 8} is beyond the pickle's ${bytes.length} bytes`);
    return Number(v);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`truncated at byte ${pos}: expected a newline-terminated argument`);
    const s = new TextDecoder("latin1").decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const utf8 = (n: number): string => {
    const at = need(n);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(at, at + n));
    } catch {
      return fail(`string at byte ${at} is not valid UTF-8`);
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1])) fail(`stack underflow at byte ${pos - 1}`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail(`stack underflow at byte ${pos - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail(`opcode at byte ${pos - 1} needs a MARK, none is open`);
    return stack.splice(m as number);
  };
  const signed = (at: number, n: number): number | bigint => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
    if (n > 0 && bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const resolve = (module: string, name: string): PyGlobal => {
    const key = `${module}.${name}`;
    const fn = Object.hasOwn(opts.globals, key) ? opts.globals[key] : undefined;
    if (!fn) {
      fail(`refusing to load global ${key}: only ${Object.keys(opts.globals).join(", ")} are allowed (the file may try to run code; load only files you trust with PyTorch itself)`);
    }
    return new PyGlobal(key, fn as PickleCallable);
  };
  const call = (f: unknown, args: unknown, op: string): unknown => {
    if (!(f instanceof PyGlobal)) fail(`${op} at byte ${pos - 1} calls ${describe(f)}, which is not an allowed global`);
    if (!Array.isArray(args)) fail(`${op} at byte ${pos - 1}: arguments must be a tuple, got ${describe(args)}`);
    return (f as PyGlobal).fn(args as unknown[]);
  };
  const setItem = (d: unknown, k: unknown, v: unknown, op: string): void => {
    if (!(d instanceof PyDict)) fail(`${op} at byte ${pos - 1} on ${describe(d)}, expected a dict`);
    (d as PyDict).set(k, v);
  };
  const put = (i: number) => memo.set(i, top());
  const get = (i: number) => {
    if (!memo.has(i)) fail(`memo entry ${i} read at byte ${pos - 1} was never stored`);
    stack.push(memo.get(i));
  };

  for (;;) {
    if (pos >= bytes.length) fail(`ended at byte ${pos} without a STOP opcode (truncated?)`);
    const op = bytes[pos++];
    switch (op) {
      case Op.PROTO: {
        const v = u8();
        if (v > 5) fail(`pickle protocol ${v} is newer than the 5 this reader knows`);
        break;
      }
      case Op.FRAME: u64(); break;
      case Op.STOP: {
        if (stack.length !== 1 || marks.length) fail(`STOP with ${stack.length} values on the stack (expected 1)`);
        return stack[0];
      }
      case Op.MARK: marks.push(stack.length); break;
      case Op.POP: pop(); break;
      case Op.POP_MARK: popMark(); break;
      case Op.DUP: stack.push(top()); break;
      case Op.NONE: stack.push(null); break;
      case Op.NEWTRUE: stack.push(true); break;
      case Op.NEWFALSE: stack.push(false); break;
      case Op.BININT: stack.push(view.getInt32(need(4), true)); break;
      case Op.BININT1: stack.push(u8()); break;
      case Op.BININT2: stack.push(u16()); break;
      case Op.LONG1: { const n = u8(); stack.push(signed(need(n), n)); break; }
      case Op.LONG4: { const n = u32(); stack.push(signed(need(n), n)); break; }
      case Op.INT: {
        const s = line();
        if (s === "00" || s === "01") stack.push(s === "01");
        else if (/^-?\d+$/.test(s)) stack.push(Number(s));
        else fail(`INT argument ${JSON.stringify(s)} is not an integer`);
        break;
      }
      case Op.LONG: {
        const s = line().replace(/L$/, "");
        if (!/^-?\d+$/.test(s)) fail(`LONG argument ${JSON.stringify(s)} is not an integer`);
        const v = BigInt(s);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case Op.FLOAT: stack.push(Number(line())); break;
      // Protocol 0 text strings: raw-unicode-escape, i.e. latin1 with \uXXXX / \UXXXXXXXX escapes.
      case Op.UNICODE: stack.push(line().replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a, b) => String.fromCodePoint(parseInt(a ?? b, 16)))); break;
      case Op.BINFLOAT: stack.push(view.getFloat64(need(8), false)); break;
      case Op.BINUNICODE: stack.push(utf8(u32())); break;
      case Op.SHORT_BINUNICODE: stack.push(utf8(u8())); break;
      case Op.BINUNICODE8: stack.push(utf8(u64())); break;
      case Op.BINSTRING: { const n = u32(); const at = need(n); stack.push(new TextDecoder("latin1").decode(bytes.subarray(at, at + n))); break; }
      case Op.SHORT_BINSTRING: { const n = u8(); const at = need(n); stack.push(new TextDecoder("latin1").decode(bytes.subarray(at, at + n))); break; }
      case Op.BINBYTES: { const n = u32(); const at = need(n); stack.push(Uint8Array.from(bytes.subarray(at, at + n))); break; }
      case Op.SHORT_BINBYTES: { const n = u8(); const at = need(n); stack.push(Uint8Array.from(bytes.subarray(at, at + n))); break; }
      case Op.BINBYTES8: { const n = u64(); const at = need(n); stack.push(Uint8Array.from(bytes.subarray(at, at + n))); break; }
      case Op.EMPTY_DICT: stack.push(new PyDict()); break;
      case Op.EMPTY_LIST: stack.push([]); break;
      case Op.EMPTY_TUPLE: stack.push([]); break;
      case Op.EMPTY_SET: stack.push(new Set()); break;
      case Op.TUPLE: stack.push(popMark()); break;
      case Op.TUPLE1: stack.push([pop()]); break;
      case Op.TUPLE2: { const b = pop(); const a = pop(); stack.push([a, b]); break; }
      case Op.TUPLE3: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; }
      case Op.LIST: stack.push(popMark()); break;
      case Op.FROZENSET: stack.push(new Set(popMark())); break;
      case Op.DICT: {
        const items = popMark();
        if (items.length % 2) fail(`DICT at byte ${pos - 1} has an odd number of items`);
        const d = new PyDict();
        for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case Op.APPEND: { const v = pop(); const l = top(); if (!Array.isArray(l)) fail(`APPEND on ${describe(l)}, expected a list`); (l as unknown[]).push(v); break; }
      case Op.APPENDS: { const items = popMark(); const l = top(); if (!Array.isArray(l)) fail(`APPENDS on ${describe(l)}, expected a list`); (l as unknown[]).push(...items); break; }
      case Op.ADDITEMS: { const items = popMark(); const s = top(); if (!(s instanceof Set)) fail(`ADDITEMS on ${describe(s)}, expected a set`); for (const v of items) (s as Set<unknown>).add(v); break; }
      case Op.SETITEM: { const v = pop(); const k = pop(); setItem(top(), k, v, "SETITEM"); break; }
      case Op.SETITEMS: {
        const items = popMark();
        if (items.length % 2) fail(`SETITEMS at byte ${pos - 1} has an odd number of items`);
        const d = top();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1], "SETITEMS");
        break;
      }
      case Op.PUT: put(Number(line())); break;
      case Op.BINPUT: put(u8()); break;
      case Op.LONG_BINPUT: put(u32()); break;
      case Op.MEMOIZE: put(memo.size); break;
      case Op.GET: get(Number(line())); break;
      case Op.BINGET: get(u8()); break;
      case Op.LONG_BINGET: get(u32()); break;
      case Op.GLOBAL: { const module = line(); const name = line(); stack.push(resolve(module, name)); break; }
      case Op.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail(`STACK_GLOBAL at byte ${pos - 1} needs two strings`);
        stack.push(resolve(module as string, name as string));
        break;
      }
      case Op.REDUCE: { const args = pop(); const f = pop(); stack.push(call(f, args, "REDUCE")); break; }
      case Op.NEWOBJ: { const args = pop(); const cls = pop(); stack.push(call(cls, args, "NEWOBJ")); break; }
      case Op.BUILD: {
        const state = pop();
        const obj = top();
        // Only dicts take state (OrderedDict's `_metadata` attribute); anything else would mean running setstate.
        if (obj instanceof PyDict && state instanceof PyDict) {
          for (const [k, v] of state) if (typeof k === "string") obj.attrs[k] = v;
        } else fail(`BUILD at byte ${pos - 1} sets state on ${describe(obj)}; only dicts may take state`);
        break;
      }
      case Op.BINPERSID: case Op.PERSID: {
        const pid = op === Op.PERSID ? line() : pop();
        if (!opts.persistentLoad) fail(`persistent id at byte ${pos - 1} but no persistentLoad was given`);
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      default:
        fail(`unsupported opcode 0x${op.toString(16).padStart(2, "0")} at byte ${pos - 1}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return "None";
  if (v instanceof PyGlobal) return `global ${v.name}`;
  if (v instanceof PyDict) return "a dict";
  if (Array.isArray(v)) return "a list/tuple";
  return typeof v;
}
