/**
 * Replays PyTorch's OpInfo samples (test/fixtures/opinfo/*.json.gz, written by
 * scripts/fixtures/opinfo.py) through deeptype: decodes each recorded call, runs it through the
 * mapping in test/opinfo-map.ts, and compares the output, the float64 gradients and, for error
 * inputs, that deeptype throws. Used by test/opinfo.test.ts and scripts/opinfo-report.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type DType, Tensor, tensor, noGrad, setBackend } from "../src/index.js";
import { MAP as BASE_MAP, Unsupported, type Out } from "./opinfo-map.js";
import { DEPTH_MAP } from "./opinfo-map-depth.js";

/** Every translated OpInfo name (test/opinfo-map.ts and test/opinfo-map-depth.ts). */
export const MAP = { ...BASE_MAP, ...DEPTH_MAP };

interface JTensor { shape: number[]; dtype: "float32" | "float64" | "int32" | "int64" | "bool"; data: (number | boolean | string)[] }
type JOut = JTensor | JOut[] | { scalar: number | boolean | string };

export interface SampleCase {
  input: unknown; args: unknown[]; kwargs: Record<string, unknown>;
  tensors: JTensor[]; output: JOut; grads?: (number[] | null)[]; nograd?: string;
}
export interface ErrorCase { input: unknown; args: unknown[]; kwargs: Record<string, unknown>; tensors: JTensor[]; error: string }
export interface OpFixture { cases: Record<string, SampleCase[]>; errors: ErrorCase[]; omitted: Record<string, number> }

let cache: Record<string, OpFixture> | null = null;

/** Every recorded op, by OpInfo name. */
export function loadOpInfo(): Record<string, OpFixture> {
  if (cache) return cache;
  const dir = new URL("./fixtures/opinfo/", import.meta.url);
  const all: Record<string, OpFixture> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json.gz")).sort()) {
    const { ops } = JSON.parse(gunzipSync(readFileSync(new URL(f, dir))).toString("utf8")) as { ops: Record<string, OpFixture> };
    Object.assign(all, ops);
  }
  return (cache = all);
}

function num(v: number | boolean | string): number {
  if (typeof v === "string") return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);
  return Number(v);
}

/** deeptype's dtype for a recorded one (the same names, int64 included). */
function dtypeOf(d: JTensor["dtype"]): DType {
  return d;
}

function makeTensor(t: JTensor): Tensor {
  const dtype = dtypeOf(t.dtype);
  const data = t.data.map(num);
  const flat = tensor(dtype === "bool" ? data.map(Boolean) : data, { dtype });
  return flat.reshape(t.shape);
}

function decode(v: unknown, ts: Tensor[]): unknown {
  if (Array.isArray(v)) return v.map((x) => decode(x, ts));
  if (v === "nan" || v === "inf" || v === "-inf") return num(v);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("t" in o) return ts[o.t as number];
    if ("dtype" in o) return { dtype: dtypeOf(o.dtype as JTensor["dtype"]) };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, ts)]));
  }
  return v;
}

export type Verdict = { ok: true } | { ok: false; kind: "unsupported" | "mismatch" | "throws" | "returns" | "crash"; detail: string };

const TOL: Record<string, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-7, atol: 1e-7 },
  float32: { rtol: 1e-5, atol: 1e-5 },
};

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function compareTensor(got: unknown, want: JTensor, float: string, path: string): string | null {
  if (!(got instanceof Tensor)) return `${path}: expected a tensor, got ${typeof got}`;
  if (got.shape.join() !== want.shape.join()) return `${path}: shape [${got.shape}] vs PyTorch [${want.shape}]`;
  const wd = dtypeOf(want.dtype);
  if (got.dtype !== wd) return `${path}: dtype ${got.dtype} vs PyTorch ${want.dtype}`;
  const tol = TOL[wd] ?? { rtol: 0, atol: 0 };
  const g = got.dtype === "int64" ? Array.from(got.dataBigInt(), Number) : Array.from(got.contiguous().data(), Number);
  for (let i = 0; i < g.length; i++) {
    const w = num(want.data[i]);
    if (!close(g[i], w, tol.rtol, tol.atol)) return `${path}: element ${i} is ${g[i]}, PyTorch ${w} (${float})`;
  }
  return null;
}

function compareOut(got: Out, want: JOut, float: string, path = "output"): string | null {
  if (Array.isArray(want)) {
    const list = got instanceof Tensor || typeof got !== "object" ? null
      : Array.isArray(got) ? got : [(got as { values: Tensor }).values, (got as { indices: Tensor }).indices];
    if (!list || list.length !== want.length) return `${path}: expected ${want.length} results`;
    for (let i = 0; i < want.length; i++) {
      const m = compareOut(list[i] as Out, want[i], float, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if ("scalar" in want) {
    const w = num(want.scalar);
    const g = got instanceof Tensor ? (size(got) === 1 ? got.item() : NaN) : Number(got);
    return close(g, w, 1e-7, 1e-7) ? null : `${path}: ${g}, PyTorch ${w}`;
  }
  return compareTensor(got, want, float, path);
}

const size = (t: Tensor): number => t.shape.reduce((a, b) => a * b, 1);
const W = (n: number): number[] => Array.from({ length: n }, (_, i) => 0.5 + ((i * 7919) % 13) / 13);

function floatingOutputs(o: Out): Tensor[] {
  if (o instanceof Tensor) return o.requiresGrad ? [o] : [];
  if (Array.isArray(o)) return o.flatMap((x) => floatingOutputs(x as Out));
  if (o && typeof o === "object" && "values" in o) return floatingOutputs((o as { values: Tensor }).values);
  return [];
}

function isCrash(e: unknown): boolean {
  if (!(e instanceof Error)) return true;
  return /Cannot read|is not a function|is not iterable|Invalid (typed )?array length|Maximum call stack|undefined/.test(e.message);
}

function call(op: string, c: { input: unknown; args: unknown[]; kwargs: Record<string, unknown> }, ts: Tensor[]): Out {
  const m = MAP[op];
  return m(decode(c.input, ts), decode(c.args, ts) as unknown[], decode(c.kwargs, ts) as Record<string, unknown>);
}

/** Runs one recorded sample; float64 samples with gradients are also differentiated. */
export function runSample(op: string, float: string, c: SampleCase): Verdict {
  const ts = c.tensors.map(makeTensor);
  const withGrad = float === "float64" && c.grads !== undefined;
  if (withGrad) c.grads!.forEach((g, k) => g && ts[k].requiresGrad_());
  let out: Out;
  try {
    out = call(op, c, ts);
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, kind: "unsupported", detail: e.message };
    return { ok: false, kind: isCrash(e) ? "crash" : "throws", detail: String((e as Error).message ?? e).split("\n")[0] };
  }
  const m = compareOut(out, c.output, float);
  if (m) return { ok: false, kind: "mismatch", detail: m };
  if (!withGrad) return { ok: true };
  const outs = floatingOutputs(out);
  if (!outs.length) return { ok: false, kind: "mismatch", detail: "gradient: the output does not require grad" };
  try {
    const loss = outs.map((o) => o.mul(tensor(W(size(o)), { dtype: o.dtype }).reshape(o.shape)).sum()).reduce((a, b) => a.add(b));
    loss.backward();
  } catch (e) {
    return { ok: false, kind: isCrash(e) ? "crash" : "throws", detail: `backward: ${String((e as Error).message).split("\n")[0]}` };
  }
  for (let k = 0; k < ts.length; k++) {
    const want = c.grads![k];
    if (!want) continue;
    const got = ts[k].grad ? Array.from(ts[k].grad!.contiguous().data(), Number) : want.map(() => 0);
    for (let i = 0; i < want.length; i++) {
      if (!close(got[i], num(want[i]), 1e-6, 1e-7)) return { ok: false, kind: "mismatch", detail: `gradient of tensor ${k}: element ${i} is ${got[i]}, PyTorch ${want[i]}` };
    }
  }
  return { ok: true };
}

/** Runs one error input: deeptype must throw a deliberate Error (not return, not crash). */
export function runError(op: string, c: ErrorCase): Verdict {
  const ts = c.tensors.map(makeTensor);
  try {
    noGrad(() => call(op, c, ts));
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, kind: "unsupported", detail: e.message };
    return isCrash(e) ? { ok: false, kind: "crash", detail: String((e as Error).message) } : { ok: true };
  }
  return { ok: false, kind: "returns", detail: `returned where PyTorch raises ${c.error}` };
}

export interface CaseResult { id: string; op: string; verdict: Verdict }

/** Every sample and error input of `op` on backend `name`; ids are op/dtype/k and op/error/k. */
export function runOp(op: string, backendName: "js" | "wasm"): CaseResult[] {
  setBackend(backendName);
  const f = loadOpInfo()[op];
  const out: CaseResult[] = [];
  for (const [float, cases] of Object.entries(f.cases)) {
    cases.forEach((c, k) => out.push({ id: `${op}/${float}/${k}`, op, verdict: runSample(op, float, c) }));
  }
  f.errors.forEach((c, k) => out.push({ id: `${op}/error/${k}`, op, verdict: runError(op, c) }));
  return out;
}
