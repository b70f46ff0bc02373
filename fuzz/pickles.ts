/**
 * Hand-made hostile pickles for the .pt target: what an attacker puts in a checkpoint's data.pkl to
 * run code, exhaust the stack or memory, or loop (cycles, exponential sharing), and lengths that
 * point far past the file. Each must end in an Error from the restricted reader, never a crash or hang.
 */
const enc = (s: string): number[] => [...new TextEncoder().encode(s)];
const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const u64 = (n: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));
const str = (s: string): number[] => [0x8c, enc(s).length, ...enc(s)]; // SHORT_BINUNICODE
const P = (...ops: (number | number[])[]): Uint8Array => Uint8Array.from([0x80, 2, ...ops.flat(), 0x2e]); // PROTO 2 ... STOP

function repeat(n: number, ops: number[]): number[] {
  const out = new Array<number>(n * ops.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < ops.length; k++) out[i * ops.length + k] = ops[k];
  return out;
}

/** [name, builder]: builders are called per input, so nothing large is kept between inputs. */
export const PICKLE_ATTACKS: [string, () => Uint8Array][] = [
  ["pickle calls posix.system", () => P(0x63, enc("posix\nsystem\n"), str("echo pwned"), 0x85, 0x52)],
  ["pickle calls builtins.eval via STACK_GLOBAL", () => P(str("builtins"), str("eval"), 0x93, str("1+1"), 0x85, 0x52)],
  ["pickle INST opcode", () => P(0x28, 0x69, enc("os\nsystem\n"), str("id"))],
  ["pickle unknown opcode", () => P(0xff)],
  ["pickle nested 20,000 lists deep", () => P(repeat(20_000, [0x5d]), repeat(19_999, [0x61]))],
  ["pickle nested 20,000 tuples deep", () => P(repeat(20_000, [0x28]), repeat(20_000, [0x74]))],
  ["pickle list containing itself", () => P(0x5d, 0x71, 0, 0x68, 0, 0x61)],
  ["pickle dict containing itself", () => P(0x7d, 0x71, 0, str("self"), 0x68, 0, 0x73)],
  // 2^48 leaves through shared references: a reader that copies each reference never finishes.
  ["pickle exponential sharing", () => P(0x4b, 1, 0x71, 0, 0x30, ...Array.from({ length: 48 }, (_, k) => [0x68, k, 0x68, k, 0x86, 0x71, k + 1, 0x30]).flat(), 0x68, 48)],
  ["pickle BINUNICODE8 of 2^62 bytes", () => P(0x8d, u64(1n << 62n), enc("abc"))],
  ["pickle BINBYTES8 of 2^40 bytes", () => P(0x8e, u64(1n << 40n), enc("abc"))],
  ["pickle LONG4 of 2^31-1 bytes", () => P(0x8b, u32(0x7fffffff), 1, 2)],
  ["pickle FRAME of 2^62 bytes", () => P(0x95, u64(1n << 62n), 0x4e)],
  ["pickle GET of an unset memo slot", () => P(0x6a, u32(123456))],
  ["pickle stack underflow", () => P(0x61, 0x61)],
  ["pickle MARK never closed", () => P(repeat(50_000, [0x28]))],
  // Views of the 18-element storage 0 that PyTorch's own loader would hand out and that exhaust memory at
  // the first copy (stride 0 claiming 2^62 elements), or that reach outside the storage through a huge
  // stride whose product leaves the safe-integer range, a negative stride, or an offset past the end.
  ["pickle huge stride-0 view", () => view([0x7fffffff, 0x7fffffff], [0, 0], 0)],
  ["pickle view of stride 2^52", () => view([3], [2 ** 52], 0)],
  ["pickle view with a negative stride", () => view([2], [-1], 5)],
  ["pickle empty view past the storage", () => view([0], [1], 19)],
];

/** A `_rebuild_tensor_v2(storage 0 (FloatStorage, 18 elements), offset, size, stride)` pickle. */
export function view(size: number[], stride: number[], offset: number): Uint8Array {
  const int = (n: number): number[] => (Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? [0x4a, ...u32(n)] : [0x8a, 8, ...u64(BigInt(n))]); // BININT or LONG1
  return P(
    0x63, enc("torch._utils\n_rebuild_tensor_v2\n"),
    0x28, 0x28, str("storage"), 0x63, enc("torch\nFloatStorage\n"), str("0"), str("cpu"), 0x4b, 18, 0x74, 0x51,
    int(offset), 0x28, ...size.map(int), 0x74, 0x28, ...stride.map(int), 0x74, 0x89, 0x7d, 0x74, 0x52,
  );
}
