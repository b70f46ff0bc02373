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
import { LINALG_MAP } from "./opinfo-map-linalg.js";

/** Every translated OpInfo name (test/opinfo-map.ts, test/opinfo-map-depth.ts and test/opinfo-map-linalg.ts). */
export const MAP = { ...BASE_MAP, ...DEPTH_MAP, ...LINALG_MAP };

interface JTensor { shape: number[]; dtype: "float32" | "float64" | "float16" | "bfloat16" | "int32" | "int64" | "bool"; data: (number | boolean | string)[] }
type JOut = JTensor | JOut[] | { scalar: number | boolean | string };

export interface SampleCase {
  input: unknown; args: unknown[]; kwargs: Record<string, unknown>;
  tensors: JTensor[]; output: JOut; grads?: (number[] | null)[]; nograd?: string;
}
export interface ErrorCase { input: unknown; args: unknown[]; kwargs: Record<string, unknown>; tensors: JTensor[]; error: string }
/** A tolerance as torch.testing.assert_close takes it. */
export interface Tol { rtol: number; atol: number }
export interface OpFixture {
  cases: Record<string, SampleCase[]>; errors: ErrorCase[]; omitted: Record<string, number>;
  /** The float16/bfloat16 tolerance PyTorch's test suite uses for this op (scripts/fixtures/opinfo_half.py). */
  tol?: Record<string, Tol>;
  /** The error inputs again with their floating tensors in float16/bfloat16, by dtype (opinfo_half.py). */
  halfErrors?: Record<string, ErrorCase[]>;
}
interface HalfFixture { cases: SampleCase[]; omitted: Record<string, number>; tol: Tol; errors?: ErrorCase[] }

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
  // The float16/bfloat16 samples (opinfo_half.py) join each op's float64/float32 ones.
  const halfDir = new URL("./fixtures/opinfo-half/", import.meta.url);
  for (const f of readdirSync(halfDir).filter((n) => n.endsWith(".json.gz")).sort()) {
    const { dtype, ops } = JSON.parse(gunzipSync(readFileSync(new URL(f, halfDir))).toString("utf8")) as { dtype: string; ops: Record<string, HalfFixture> };
    for (const [name, h] of Object.entries(ops)) {
      const entry = all[name];
      if (!entry) throw new Error(`opinfo-half/${f}: ${name} has no float64/float32 fixture`);
      entry.cases[dtype] = h.cases;
      (entry.tol ??= {})[dtype] = h.tol;
      if (h.errors?.length) (entry.halfErrors ??= {})[dtype] = h.errors;
      for (const [reason, n] of Object.entries(h.omitted)) entry.omitted[`${dtype}: ${reason}`] = n;
    }
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

export type Verdict = { ok: true } | { ok: false; kind: "unsupported" | "mismatch" | "throws" | "returns" | "crash" | "unnamed"; detail: string };

const TOL: Record<string, Tol> = {
  float64: { rtol: 1e-7, atol: 1e-7 },
  float32: { rtol: 1e-5, atol: 1e-5 },
  // torch.testing.assert_close's defaults; an op's own override comes with its fixture.
  float16: { rtol: 1e-3, atol: 1e-5 },
  bfloat16: { rtol: 1.6e-2, atol: 1e-5 },
};

const isHalfName = (d: string): boolean => d === "float16" || d === "bfloat16";

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function compareTensor(got: unknown, want: JTensor, float: string, path: string, opTol?: Tol): string | null {
  if (!(got instanceof Tensor)) return `${path}: expected a tensor, got ${typeof got}`;
  if (got.shape.join() !== want.shape.join()) return `${path}: shape [${got.shape}] vs PyTorch [${want.shape}]`;
  const wd = dtypeOf(want.dtype);
  if (got.dtype !== wd) return `${path}: dtype ${got.dtype} vs PyTorch ${want.dtype}`;
  const tol = (wd === float && opTol) || TOL[wd] || { rtol: 0, atol: 0 };
  const g = got.dtype === "int64" ? Array.from(got.dataBigInt(), Number) : Array.from(got.contiguous().data(), Number);
  for (let i = 0; i < g.length; i++) {
    const w = num(want.data[i]);
    if (!close(g[i], w, tol.rtol, tol.atol)) return `${path}: element ${i} is ${g[i]}, PyTorch ${w} (${float})`;
  }
  return null;
}

function compareOut(got: Out, want: JOut, float: string, path = "output", opTol?: Tol): string | null {
  if (Array.isArray(want)) {
    const list = got instanceof Tensor || typeof got !== "object" ? null
      : Array.isArray(got) ? got : [(got as { values: Tensor }).values, (got as { indices: Tensor }).indices];
    if (!list || list.length !== want.length) return `${path}: expected ${want.length} results`;
    for (let i = 0; i < want.length; i++) {
      const m = compareOut(list[i] as Out, want[i], float, `${path}[${i}]`, opTol);
      if (m) return m;
    }
    return null;
  }
  if ("scalar" in want) {
    const w = num(want.scalar);
    const g = got instanceof Tensor ? (size(got) === 1 ? got.item() : NaN) : Number(got);
    return close(g, w, 1e-7, 1e-7) ? null : `${path}: ${g}, PyTorch ${w}`;
  }
  return compareTensor(got, want, float, path, opTol);
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
export function runSample(op: string, float: string, c: SampleCase, opTol?: Tol): Verdict {
  const ts = c.tensors.map(makeTensor);
  // float64 gradients, and float16/bfloat16 ones where PyTorch's CPU backward supports the dtype.
  const withGrad = (float === "float64" || isHalfName(float)) && c.grads !== undefined;
  const gradTol = isHalfName(float) ? (opTol ?? TOL[float]) : { rtol: 1e-6, atol: 1e-7 };
  if (withGrad) c.grads!.forEach((g, k) => g && ts[k].requiresGrad_());
  let out: Out;
  try {
    out = call(op, c, ts);
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, kind: "unsupported", detail: e.message };
    return { ok: false, kind: isCrash(e) ? "crash" : "throws", detail: String((e as Error).message ?? e).split("\n")[0] };
  }
  const m = compareOut(out, c.output, float, "output", opTol);
  if (m) return { ok: false, kind: "mismatch", detail: isHalfName(float) ? m + nearer(op, float, c, -1, flatOut(out), flatWant(c.output), opTol ?? TOL[float]) : m };
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
      if (close(got[i], num(want[i]), gradTol.rtol, gradTol.atol)) continue;
      const which = isHalfName(float) ? nearer(op, float, c, k, got, want.map(num), gradTol) : "";
      return { ok: false, kind: "mismatch", detail: `gradient of tensor ${k}: element ${i} is ${got[i]}, PyTorch ${want[i]}${which}` };
    }
  }
  return { ok: true };
}

function flatOut(o: Out): number[] {
  if (o instanceof Tensor) return o.dtype === "int64" ? Array.from(o.dataBigInt(), Number) : Array.from(o.contiguous().data(), Number);
  if (Array.isArray(o)) return o.flatMap((x) => flatOut(x as Out));
  if (o !== null && typeof o === "object") return [...flatOut(o.values), ...flatOut(o.indices)];
  return [Number(o)];
}

function flatWant(j: JOut): number[] {
  if (Array.isArray(j)) return j.flatMap(flatWant);
  if ("scalar" in j) return [num(j.scalar)];
  return j.data.map(num);
}

/**
 * Which of deeptype and PyTorch is nearer the exact result where their float16/bfloat16 values differ
 * beyond the tolerance: the same call on the same values in float64 (deeptype's float64 agrees with
 * PyTorch's, above) is the reference. " (deeptype nearer the float64 result)" when deeptype's error,
 * summed over the elements that differ, is no larger than PyTorch's (PyTorch 1.13 rounds an intermediate, or
 * accumulates, in 16 bits where deeptype keeps float32); otherwise " (PyTorch nearer ...)", which is
 * a deeptype rounding to fix. `k` is -1 for the output, else the input whose gradient is compared.
 */
function nearer(op: string, float: string, c: SampleCase, k: number, got: number[], want: number[], tol: Tol): string {
  const ts = c.tensors.map((t) => (t.dtype === float ? makeTensor(t).to("float64") : makeTensor(t)));
  let ref: number[];
  try {
    if (k >= 0) ts[k].requiresGrad_();
    const out = call(op, c, ts);
    if (k < 0) ref = flatOut(out);
    else {
      const outs = floatingOutputs(out);
      const w = (o: Tensor): Tensor => tensor(W(size(o)), { dtype: float as DType }).to("float64").reshape(o.shape);
      outs.map((o) => o.mul(w(o)).sum()).reduce((a, b) => a.add(b)).backward();
      ref = ts[k].grad ? flatOut(ts[k].grad!) : got.map(() => 0);
    }
  } catch (e) {
    return ` (no float64 reference: ${(e as Error).message.split("\n")[0]})`;
  }
  if (ref.length !== got.length) return " (no float64 reference: its size differs)";
  // Summed over the elements that differ beyond the tolerance (one element can go either way by luck).
  let eg = 0, ep = 0;
  for (let i = 0; i < got.length; i++) {
    if (close(got[i], want[i], tol.rtol, tol.atol)) continue;
    const err = (v: number): number => (Object.is(v, ref[i]) ? 0 : Number.isNaN(v - ref[i]) ? Infinity : Math.abs(v - ref[i]));
    eg += err(got[i]);
    ep += err(want[i]);
  }
  if (!(eg <= ep)) return ` (PyTorch nearer the float64 result: summed error ${eg.toPrecision(3)} vs ${ep.toPrecision(3)})`;
  return " (deeptype nearer the float64 result)";
}

/**
 * The names an error of OpInfo op `op` may start with: deeptype's camelCase name of it
 * (`nn.functional.max_pool2d` -> maxPool2d, `diag_embed` -> diagEmbed, `__rpow__` -> pow, the variant
 * after a dot dropped), with `linalg.` or without, and the few deeptype spells differently.
 */
export function opNames(op: string): string[] {
  const base = op.replace(/^nn\.functional\./, "").replace(/^linalg\./, "").split(".")[0].replace(/^__r?(\w+?)__$/, "$1");
  const camel = base.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  const ALIASES: Record<string, string[]> = { sum_to_size: ["sumTo"], t: ["t", "transpose"], T: ["T", "permute"], mT: ["mT", "transpose"] };
  return [...(ALIASES[op] ?? [camel]), ...(op.startsWith("linalg.") ? [`linalg.${camel}`] : [])];
}

/**
 * Runs one error input: deeptype must throw a deliberate Error (not return, not crash) whose message
 * starts with the op's name ("cat: tensor 1 has shape ..."), so a user sees which call was wrong.
 */
export function runError(op: string, c: ErrorCase): Verdict {
  const ts = c.tensors.map(makeTensor);
  try {
    noGrad(() => call(op, c, ts));
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, kind: "unsupported", detail: e.message };
    if (isCrash(e)) return { ok: false, kind: "crash", detail: String((e as Error).message) };
    const msg = (e as Error).message;
    const names = opNames(op);
    if (names.some((n) => msg.startsWith(n))) return { ok: true };
    return { ok: false, kind: "unnamed", detail: `the error does not start with ${names.join(" or ")}: ${msg.split("\n")[0]}` };
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
    cases.forEach((c, k) => out.push({ id: `${op}/${float}/${k}`, op, verdict: runSample(op, float, c, f.tol?.[float]) }));
  }
  f.errors.forEach((c, k) => out.push({ id: `${op}/error/${k}`, op, verdict: runError(op, c) }));
  for (const [float, errors] of Object.entries(f.halfErrors ?? {})) {
    errors.forEach((c, k) => out.push({ id: `${op}/error/${float}/${k}`, op, verdict: runError(op, c) }));
  }
  return out;
}
