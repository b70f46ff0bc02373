// PyTorch 1.13's type promotion over deeptype's 10 dtypes, checked on op results rather than on a
// promotion function: add, mul, div, where, eq, lt and cat for every ordered pair of dtypes (two 1-D
// tensors, a 1-D tensor with a 0-d one on either side, two 0-d tensors) and every dtype with Python's
// int, float and bool scalars on either side (scripts/fixtures/promotion.py). The result's dtype, shape
// and values must be PyTorch's, on both backends, and resultType must give the dtype PyTorch's
// torch.result_type gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type DType, Tensor, tensor, add, mul, div, eq, lt, where, cat } from "../src/index.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { resultType } from "../src/ops/op.js";

interface Out { dtype?: DType; shape?: number[]; data?: (number | boolean | string)[]; error?: string }
interface Row { op: string; kind: "tt" | "t0" | "0t" | "00" | "ts" | "st"; a: DType; b?: DType; scalar?: number | boolean; resultType?: DType; out: Out }

const FIX = JSON.parse(gunzipSync(readFileSync(new URL("./fixtures/promotion.json.gz", import.meta.url))).toString("utf8")) as { rows: Row[] };
const A: Record<string, (number | boolean)[]> = { bool: [true, false, true] };
const B: Record<string, (number | boolean)[]> = { bool: [true, true, false] };
const vec = (d: DType, which: "a" | "b"): Tensor => tensor((which === "a" ? A : B)[d] ?? (which === "a" ? [1, 2, 3] : [3, 2, 1]), { dtype: d });
const num = (v: number | boolean | string): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v));

type Operand = Tensor | number | boolean;
const OPS: Record<string, (l: Operand, r: Operand) => Tensor> = {
  add: (l, r) => add(l, r),
  mul: (l, r) => mul(l, r),
  div: (l, r) => div(l, r),
  eq: (l, r) => eq(l, r),
  lt: (l, r) => lt(l, r),
  where: (l, r) => {
    const zeroDim = l instanceof Tensor && l.ndim === 0 && r instanceof Tensor && r.ndim === 0;
    return where(zeroDim ? tensor(true) : tensor([true, false, true]), l, r);
  },
  cat: (l, r) => cat([l as Tensor, r as Tensor]),
};

function operands(r: Row): [Operand, Operand] {
  const x = vec(r.a, "a");
  if (r.kind === "ts") return [x, r.scalar!];
  if (r.kind === "st") return [r.scalar!, x];
  const y = vec(r.b!, "b");
  const x0 = x.get(0).clone(), y0 = y.get(0).clone();
  const pairs: Record<string, [Operand, Operand]> = { tt: [x, y], t0: [x, y0], "0t": [x0, y], "00": [x0, y0] };
  return pairs[r.kind];
}

function check(r: Row): string | null {
  const [l, rr] = operands(r);
  if (r.resultType && resultType(l, rr) !== r.resultType) return `resultType ${resultType(l, rr)}, PyTorch ${r.resultType}`;
  let y: Tensor;
  try {
    y = OPS[r.op](l, rr);
  } catch (e) {
    return r.out.error ? null : `throws ${(e as Error).message.split("\n")[0]}`;
  }
  if (r.out.error) return `returns where PyTorch raises ${r.out.error}`;
  if (y.dtype !== r.out.dtype) return `dtype ${y.dtype}, PyTorch ${r.out.dtype}`;
  if (y.shape.join() !== r.out.shape!.join()) return `shape [${y.shape}], PyTorch [${r.out.shape}]`;
  const got = y.dtype === "int64" ? Array.from(y.dataBigInt(), Number) : Array.from(y.data(), Number);
  const want = r.out.data!.map(num);
  return got.every((v, i) => Object.is(v, want[i]) || v === want[i]) ? null : `values [${got}], PyTorch [${want}]`;
}

test("the promotion fixture covers every dtype pair and scalar kind for each op", () => {
  const dtypes = new Set(FIX.rows.map((r) => r.a));
  assert.equal(dtypes.size, 10);
  // 100 pairs x (4 layouts x 6 ops + cat) + 10 dtypes x 6 scalars x 2 sides x 6 ops.
  assert.equal(FIX.rows.length, 100 * 25 + 10 * 6 * 2 * 6);
});

for (const backend of ["js", "wasm"]) {
  test(`add, mul, div, where, eq, lt and cat promote as PyTorch 1.13 for every dtype pair and scalar (${backend})`, () => {
    const before = getBackend();
    setBackend(backend);
    const failures: string[] = [];
    try {
      for (const r of FIX.rows) {
        const bad = check(r);
        if (bad) failures.push(`${r.op} ${r.kind} ${r.a} ${r.b ?? JSON.stringify(r.scalar)}: ${bad}`);
      }
    } finally {
      setBackend(before);
    }
    assert.deepEqual(failures, []);
  });
}
