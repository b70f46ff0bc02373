// The restricted unpickler opcode by opcode, on hand-assembled pickles: each opcode's value, and each
// refusal of a malformed or hostile pickle with its exact message (the file is untrusted input).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PyDict, PyGlobal, unpickle } from "../src/io/pickle.js";

/** Assembles a pickle: numbers are bytes, strings are latin1 text (opcode letters, arguments). */
function pk(...parts: (number | string | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else if (typeof p === "string") for (const ch of p) out.push(ch.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: number): number[] => [...u32(n), 0, 0, 0, 0];
const run = (bytes: Uint8Array, globals: Record<string, (a: unknown[]) => unknown> = {}, persistentLoad?: (pid: unknown) => unknown): unknown =>
  unpickle(bytes, { globals, persistentLoad, source: "t.pkl" });
/** Asserts the exact message (after the `unpickle: t.pkl: ` prefix). */
const refuses = (bytes: Uint8Array, message: string, globals: Record<string, (a: unknown[]) => unknown> = {}, persistentLoad?: (pid: unknown) => unknown): void => {
  assert.throws(() => run(bytes, globals, persistentLoad), (e: Error) => {
    assert.equal(e.message, `unpickle: t.pkl: ${message}`);
    return true;
  });
};

const STOP = ".";
const NONE = "N";
const MARK = "(";

test("unpickle: numbers (BININT*, LONG1/4 at the safe-integer edges, INT, LONG, FLOAT, BINFLOAT) and booleans", () => {
  assert.equal(run(pk("J", [0xfe, 0xff, 0xff, 0xff], STOP)), -2);
  assert.equal(run(pk("K", 255, STOP)), 255);
  assert.equal(run(pk("M", [0xff, 0xff], STOP)), 65535);
  assert.equal(run(pk("M", [0x01, 0x02], STOP)), 0x0201, "little-endian");
  // LONG1: n little-endian two's-complement bytes.
  assert.equal(run(pk(0x8a, 0, STOP)), 0);
  assert.equal(run(pk(0x8a, 1, 0xff, STOP)), -1);
  assert.equal(run(pk(0x8a, 2, [0x80, 0x00], STOP)), 128, "sign bit clear in the top byte");
  assert.equal(run(pk(0x8a, 2, [0x00, 0x80], STOP)), -32768);
  const le = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(8 * n, v) >> BigInt(8 * i)) & 0xffn));
  assert.equal(run(pk(0x8a, 8, le(2n ** 53n - 1n, 8), STOP)), Number.MAX_SAFE_INTEGER);
  assert.equal(run(pk(0x8a, 8, le(-(2n ** 53n - 1n), 8), STOP)), Number.MIN_SAFE_INTEGER);
  assert.equal(run(pk(0x8a, 8, le(2n ** 53n, 8), STOP)), 2n ** 53n);
  assert.equal(run(pk(0x8a, 8, le(-(2n ** 53n), 8), STOP)), -(2n ** 53n));
  assert.equal(run(pk(0x8b, u32(3), le(-5n, 3), STOP)), -5);
  assert.equal(run(pk(0x8b, u32(9), le(2n ** 70n, 9), STOP)), 2n ** 70n);
  // Protocol 0 text numbers.
  assert.equal(run(pk("I00\n", STOP)), false);
  assert.equal(run(pk("I01\n", STOP)), true);
  assert.equal(run(pk("I42\n", STOP)), 42);
  assert.equal(run(pk("I-7\n", STOP)), -7);
  assert.equal(run(pk("L123L\n", STOP)), 123);
  assert.equal(run(pk("L-5\n", STOP)), -5);
  assert.equal(run(pk("L9007199254740991\n", STOP)), Number.MAX_SAFE_INTEGER);
  assert.equal(run(pk("L-9007199254740991\n", STOP)), Number.MIN_SAFE_INTEGER);
  assert.equal(run(pk("L9007199254740992L\n", STOP)), 2n ** 53n);
  assert.equal(run(pk("L-9007199254740992\n", STOP)), -(2n ** 53n));
  assert.equal(run(pk("F2.5\n", STOP)), 2.5);
  assert.equal(run(pk("G", [0x40, 0x04, 0, 0, 0, 0, 0, 0], STOP)), 2.5, "BINFLOAT is big-endian");
  assert.equal(run(pk(0x88, STOP)), true);
  assert.equal(run(pk(0x89, STOP)), false);
  assert.equal(run(pk(NONE, STOP)), null);
  for (const bad of ["abc", "1.5", "x12", "12x", ""]) refuses(pk(`I${bad}\n`, STOP), `INT argument ${JSON.stringify(bad)} is not an integer`);
  for (const bad of ["12a", "a12", "1.5", "L"]) refuses(pk(`L${bad}\n`, STOP), `LONG argument ${JSON.stringify(bad.replace(/L$/, ""))} is not an integer`);
});

test("unpickle: strings and bytes of every opcode", () => {
  assert.equal(run(pk("Va\\u00e9\\U0001f600b\n", STOP)), "a\u00e9\u{1f600}b");
  assert.equal(run(pk("V\\u00E9\n", STOP)), "\u00e9", "upper-case hex digits");
  const utf = [...new TextEncoder().encode("h\u00e9")];
  assert.equal(run(pk("X", u32(utf.length), utf, STOP)), "h\u00e9");
  assert.equal(run(pk(0x8c, utf.length, utf, STOP)), "h\u00e9");
  assert.equal(run(pk(0x8d, u64(utf.length), utf, STOP)), "h\u00e9");
  assert.equal(run(pk("T", u32(2), [0x68, 0xe9], STOP)), "h\u00e9", "BINSTRING is latin1");
  assert.equal(run(pk("U", 2, [0x68, 0xe9], STOP)), "h\u00e9");
  const raw = [0, 0xff, 7];
  for (const op of [pk("B", u32(3), raw, STOP), pk("C", 3, raw, STOP), pk(0x8e, u64(3), raw, STOP)]) {
    const v = run(op) as Uint8Array;
    assert.ok(v instanceof Uint8Array);
    assert.deepEqual([...v], raw);
    v[0] = 9;
    assert.equal(op[op.length - 4], 0, "a copy: writing it leaves the pickle alone");
  }
  // Followed by more than STOP, so a range counted from the wrong end cannot land on the same bytes.
  assert.deepEqual((run(pk("C", 3, raw, 0x85, STOP)) as Uint8Array[]).map((v) => [...v]), [raw]);
  assert.deepEqual(run(pk("C", 0, STOP)), new Uint8Array(0));
  refuses(pk(0x8c, 2, [0xc3, 0x28], STOP), "string at byte 2 is not valid UTF-8");
});

test("unpickle: containers, marks, memo and stack opcodes", () => {
  assert.deepEqual(run(pk(")", STOP)), []);
  assert.deepEqual(run(pk("]", STOP)), []);
  const d = run(pk("}", STOP));
  assert.ok(d instanceof PyDict);
  assert.equal((d as PyDict).size, 0);
  assert.deepEqual(run(pk(0x8f, STOP)), new Set());
  assert.deepEqual(run(pk("K", 1, 0x85, STOP)), [1]);
  assert.deepEqual(run(pk("K", 1, "K", 2, 0x86, STOP)), [1, 2]);
  assert.deepEqual(run(pk("K", 1, "K", 2, "K", 3, 0x87, STOP)), [1, 2, 3]);
  assert.deepEqual(run(pk("K", 9, MARK, "K", 1, "K", 2, "t", 0x86, STOP)), [9, [1, 2]], "TUPLE takes only what is above the mark");
  assert.deepEqual(run(pk(MARK, "K", 1, "K", 2, "l", STOP)), [1, 2]);
  // Values above an open mark may be popped (TUPLE2, APPEND, SETITEM inside a MARK ... TUPLE).
  assert.deepEqual(run(pk(MARK, "K", 1, "K", 2, 0x86, "]", "K", 3, "a", "0", "K", 4, "t", STOP)), [[1, 2], 4]);
  assert.deepEqual(run(pk(MARK, "K", 1, "K", 1, "K", 2, 0x91, STOP)), new Set([1, 2]));
  const dict = run(pk(MARK, "K", 1, "K", 2, "K", 3, "K", 4, "d", STOP)) as PyDict;
  assert.deepEqual([...dict], [[1, 2], [3, 4]]);
  assert.deepEqual(run(pk("]", "K", 5, "a", MARK, "K", 6, "K", 7, "e", STOP)), [5, 6, 7]);
  assert.deepEqual(run(pk(0x8f, MARK, "K", 5, "K", 6, "K", 5, 0x90, STOP)), new Set([5, 6]));
  const set = run(pk("}", "K", 1, "K", 2, "s", MARK, "K", 3, "K", 4, "K", 5, "K", 6, "u", STOP)) as PyDict;
  assert.deepEqual([...set], [[1, 2], [3, 4], [5, 6]]);
  // POP, POP_MARK, DUP.
  assert.equal(run(pk(0x88, 0x89, "0", STOP)), true);
  assert.equal(run(pk(0x88, MARK, "K", 1, "K", 2, "1", STOP)), true);
  assert.deepEqual(run(pk("K", 4, "2", 0x86, STOP)), [4, 4]);
  // Memo: text PUT/GET, BINPUT/BINGET, LONG_BINPUT/LONG_BINGET, MEMOIZE (next free index).
  assert.deepEqual(run(pk("K", 7, "p3\n", "0", "g3\n", STOP)), 7);
  assert.deepEqual(run(pk("K", 7, "q", 200, "0", "h", 200, STOP)), 7);
  assert.deepEqual(run(pk("K", 7, "r", u32(70000), "0", "j", u32(70000), STOP)), 7);
  assert.deepEqual(run(pk("K", 7, 0x94, "K", 8, 0x94, 0x86, "h", 1, "h", 0, 0x86, 0x86, STOP)), [[7, 8], [8, 7]]);
  // A memoized list is the same object when read back (shared references survive).
  const shared = run(pk("]", "q", 0, "h", 0, 0x86, STOP)) as unknown[][];
  assert.equal(shared[0], shared[1]);
  // PROTO 2 to 5 and FRAME (a length that fits the pickle) are accepted.
  assert.equal(run(pk(0x80, 5, 0x95, u64(3), "K", 1, STOP)), 1);
  const frame = pk(0x80, 2, 0x95, u64(14), "K", 1, STOP);
  assert.equal(frame.length, 14);
  assert.equal(run(frame), 1, "a frame length equal to the pickle's size");
});

test("unpickle: malformed pickles are refused with the byte and the problem", () => {
  refuses(pk(), "ended at byte 0 without a STOP opcode (truncated?)");
  refuses(pk("K", 1), "ended at byte 2 without a STOP opcode (truncated?)");
  refuses(pk(0x80, 6, NONE, STOP), "pickle protocol 6 is newer than the 5 this reader knows");
  refuses(pk(0x95, u64(14), NONE, STOP), "length 14 at byte 1 is beyond the pickle's 11 bytes");
  refuses(pk(STOP), "STOP with 0 values on the stack (expected 1)");
  refuses(pk(NONE, NONE, STOP), "STOP with 2 values on the stack (expected 1)");
  refuses(pk(NONE, MARK, STOP), "STOP with 1 values on the stack (expected 1)");
  refuses(pk("0", STOP), "stack underflow at byte 0");
  refuses(pk(NONE, MARK, "0", STOP), "stack underflow at byte 2");
  refuses(pk(NONE, MARK, 0x85, STOP), "stack underflow at byte 2");
  refuses(pk("2", STOP), "stack underflow at byte 0");
  refuses(pk("1", STOP), "opcode at byte 0 needs a MARK, none is open");
  refuses(pk(NONE, "t", STOP), "opcode at byte 1 needs a MARK, none is open");
  refuses(pk("J", 1, 2), "truncated at byte 1: needs 4 more bytes, the pickle has 2");
  refuses(pk("X", u32(5), "ab", STOP), "truncated at byte 5: needs 5 more bytes, the pickle has 3");
  refuses(pk("I12"), "truncated at byte 1: expected a newline-terminated argument");
  refuses(pk(MARK, "K", 1, "d", STOP), "DICT at byte 3 has an odd number of items");
  refuses(pk("}", MARK, "K", 1, "u", STOP), "SETITEMS at byte 4 has an odd number of items");
  refuses(pk(NONE, "K", 1, "a", STOP), "APPEND on None, expected a list");
  refuses(pk("}", MARK, "e", STOP), "APPENDS on a dict, expected a list");
  refuses(pk("]", MARK, 0x90, STOP), "ADDITEMS on a list/tuple, expected a set");
  refuses(pk("K", 3, "K", 1, "K", 2, "s", STOP), "SETITEM at byte 6 on number, expected a dict");
  refuses(pk("]", MARK, "K", 1, "K", 2, "u", STOP), "SETITEMS at byte 6 on a list/tuple, expected a dict");
  refuses(pk("h", 4, STOP), "memo entry 4 read at byte 1 was never stored");
  refuses(pk("g4\n", STOP), "memo entry 4 read at byte 2 was never stored");
  refuses(pk("q", 0, STOP), "stack underflow at byte 1");
  refuses(pk(0x01, STOP), "unsupported opcode 0x01 at byte 0");
  refuses(pk(NONE, 0xff, STOP), "unsupported opcode 0xff at byte 1");
  refuses(pk("K", 1, "K", 2, 0x93, STOP), "STACK_GLOBAL at byte 4 needs two strings");
  refuses(pk(NONE, ")", "R", STOP), "REDUCE at byte 2 calls None, which is not an allowed global");
  refuses(pk("}", ")", 0x81, STOP), "NEWOBJ at byte 2 calls a dict, which is not an allowed global");
  refuses(pk("cm\nf\n", NONE, "R", STOP), "REDUCE at byte 6: arguments must be a tuple, got None", { "m.f": () => 1 });
  refuses(pk("]", "}", "b", STOP), "BUILD at byte 2 sets state on a list/tuple; only dicts may take state");
  refuses(pk("}", "]", "b", STOP), "BUILD at byte 2 sets state on a dict; only dicts may take state");
  refuses(pk("cm\nf\n", "}", "b", STOP), "BUILD at byte 6 sets state on global m.f; only dicts may take state", { "m.f": () => 1 });
  refuses(pk("K", 1, "Q", STOP), "persistent id at byte 2 but no persistentLoad was given");
  refuses(pk("P7\n", STOP), "persistent id at byte 2 but no persistentLoad was given");
  assert.throws(() => unpickle(pk(STOP), { globals: {} }), (e: Error) => e.message === "unpickle: <bytes>: STOP with 0 values on the stack (expected 1)");
});

test("unpickle: globals resolve only through the allow-list; REDUCE, NEWOBJ and persistent ids call ours", () => {
  const calls: unknown[][] = [];
  const globals = { "m.f": (a: unknown[]) => (calls.push(a), `f(${a.join(",")})`), "m.g": () => "g" };
  assert.equal(run(pk("cm\nf\n", "K", 1, "K", 2, 0x86, "R", STOP), globals), "f(1,2)");
  assert.deepEqual(calls, [[1, 2]]);
  assert.equal(run(pk(0x8c, 1, "m", 0x8c, 1, "g", 0x93, ")", 0x81, STOP), globals), "g");
  const g = run(pk("cm\nf\n", STOP), globals);
  assert.ok(g instanceof PyGlobal);
  assert.equal((g as PyGlobal).name, "m.f");
  assert.equal((g as PyGlobal).fn, globals["m.f"]);
  const refusal = "(the file may try to run code; load only files you trust with PyTorch itself)";
  refuses(pk("cos\nsystem\n", STOP), `refusing to load global os.system: only m.f, m.g are allowed ${refusal}`, globals);
  refuses(pk(0x8c, 2, "os", 0x8c, 6, "system", 0x93, STOP), `refusing to load global os.system: only  are allowed ${refusal}`);
  // Inherited names are not on the list.
  refuses(pk("cObject\nprototype\n", STOP), `refusing to load global Object.prototype: only  are allowed ${refusal}`);
  refuses(pk("c__proto__\nconstructor\n", STOP), `refusing to load global __proto__.constructor: only m.f are allowed ${refusal}`, { "m.f": () => 1 });
  // BUILD on a dict keeps the string keys of the state as attributes.
  const built = run(pk("}", "}", 0x8c, 1, "k", "K", 3, "s", "K", 1, "K", 4, "s", "b", STOP)) as PyDict;
  assert.deepEqual(built.attrs, { k: 3 });
  assert.equal(built.size, 0);
  const pids: unknown[] = [];
  const load = (pid: unknown) => (pids.push(pid), "loaded");
  assert.deepEqual(run(pk("K", 1, "K", 2, 0x86, "Q", "P7\n", 0x86, STOP), {}, load), ["loaded", "loaded"]);
  assert.deepEqual(pids, [[1, 2], "7"]);
});

test("PyDict: checks its entries before Map does, and reads a one-shot iterator once", () => {
  assert.deepEqual([...new PyDict([["a", 1], [2, "b"]])], [["a", 1], [2, "b"]]);
  assert.equal(new PyDict(null).size, 0);
  assert.equal(new PyDict().size, 0);
  const source = new Map([["x", 1], ["y", 2]]);
  assert.deepEqual([...new PyDict(source.entries())], [["x", 1], ["y", 2]]);
  assert.throws(() => new PyDict(5 as never), (e: Error) => e.message === "PyDict: entries must be an iterable of [key, value] pairs, got number 5");
  assert.throws(() => new PyDict("ab" as never), (e: Error) => e.message === 'PyDict: entries must be an iterable of [key, value] pairs, got string "ab"');
  assert.throws(() => new PyDict([["a", 1], 3] as never), (e: Error) => e.message === "PyDict: entries[1] must be a [key, value] pair, got number 3");
  assert.deepEqual(new PyDict().attrs, {});
});
