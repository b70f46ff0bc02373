/**
 * OpInfo name -> deeptype call for issue 10's indexing, sorting and selection, linear algebra and
 * shape ops (the DEPTH list of scripts/fixtures/opinfo.py, fixtures in depth.json.gz). The same
 * contract as test/opinfo-map.ts (the harness looks an op up in both tables): each entry is the call a
 * PyTorch user would write, keyword arguments become camelCase options, and an argument without a
 * translation throws `Unsupported` (counted as not covered, never as agreeing).
 */
import {
  Tensor, type DType, addbmm, addmm, addmv, addr, aminmax, all, any, argsort, atleast1d, atleast2d, atleast3d, baddbmm,
  bincount, broadcastTo, bucketize, cdist, columnStack, countNonzero, cross, cummax, cummin, cumprod, diag, diagEmbed,
  diagonal, dstack, einsum, fliplr, flipud, histc, hstack, indexFill, indexPut, kron, kthvalue, linalg, logcumsumexp,
  maskedScatter, maskedSelect, median, mode, movedim, msort, mv, nanmean, nansum, narrowCopy, nonzero, repeatInterleave,
  roll, rot90, searchsorted, sort, take, takeAlongDim, tensorSplit, tensordot, tile, topk, trace, unique, vstack,
} from "../src/index.js";
import { Unsupported, type Out } from "./opinfo-map.js";

type Args = unknown[];
type Kw = Record<string, unknown>;
type Mapped = (input: unknown, args: Args, kw: Kw) => Out;

const T = (v: unknown): Tensor => v as Tensor;
const Ts = (v: unknown): Tensor[] => v as Tensor[];

/** Rejects keyword arguments deeptype does not translate (unless they hold PyTorch's default). */
function only(kw: Kw, allowed: string[], defaults: Kw = {}): void {
  for (const [k, v] of Object.entries(kw)) {
    if (allowed.includes(k)) continue;
    if (k in defaults && defaults[k] === v) continue;
    throw new Unsupported(`keyword ${k}=${JSON.stringify(v)?.slice(0, 60)}`);
  }
}

/** Positional-or-keyword parameters in PyTorch's order (positional first, then the keyword, then the default). */
function params(args: Args, kw: Kw, names: string[], defaults: Kw = {}): Kw {
  only(kw, names);
  if (args.length > names.length) throw new Unsupported("extra positional arguments");
  return Object.fromEntries(names.map((n, i) => [n, args[i] ?? kw[n] ?? defaults[n]]));
}

/** PyTorch 1.13's dim argument of reductions: None or [] reduce every dim. */
function dims(d: unknown): number | number[] | undefined {
  if (d === undefined || d === null) return undefined;
  if (Array.isArray(d)) return d.length ? (d as number[]) : undefined;
  return d as number;
}

/** PyTorch's norm orders, as recorded: numbers, "inf"/"-inf" (decoded to ±Infinity), "fro", "nuc". */
const ord = (v: unknown): number | "fro" | "nuc" | undefined => (v === null ? undefined : (v as number | "fro" | "nuc"));

const scale = (kw: Kw): { alpha?: number; beta?: number } => ({ alpha: kw.alpha as number | undefined, beta: kw.beta as number | undefined });

const addLike = (f: (i: Tensor, a: Tensor, b: Tensor, o: { alpha?: number; beta?: number }) => Tensor): Mapped => (x, a, kw) => {
  only(kw, ["alpha", "beta"]);
  return f(T(x), T(a[0]), T(a[1]), scale(kw));
};

const dimKeepdim = (f: (x: Tensor, dim?: number | number[], keepdim?: boolean) => Tensor): Mapped => (x, a, kw) => {
  const p = params(a, kw, ["dim", "keepdim"], { keepdim: false });
  return f(T(x), dims(p.dim), p.keepdim as boolean);
};

const scanDim = (f: (x: Tensor, dim: number) => Out): Mapped => (x, a, kw) => {
  const p = params(a, kw, ["dim"]);
  return f(T(x), p.dim as number);
};

const stackList = (f: (xs: Tensor[]) => Tensor): Mapped => (xs, a, kw) => {
  only(kw, []);
  if (a.length) throw new Unsupported("extra positional arguments");
  return f(Ts(xs));
};

/** atleast_Nd takes one tensor or several (PyTorch returns a tuple for several). */
const atleast = (f: (x: Tensor) => Tensor): Mapped => (x, a) => {
  if (a.length) return [T(x), ...Ts(a)].map((t) => f(t));
  return Array.isArray(x) ? Ts(x).map((t) => f(t)) : f(T(x));
};

export const DEPTH_MAP: Record<string, Mapped> = {
  // ---------------------------------------------------------------- indexing (src/ops/advanced-index.ts)
  index_put: (x, a, kw) => { const p = params(a, kw, ["indices", "values", "accumulate"], { accumulate: false }); return indexPut(T(x), p.indices as Tensor[], T(p.values), p.accumulate as boolean); },
  masked_scatter: (x, a, kw) => { only(kw, []); return maskedScatter(T(x), T(a[0]), T(a[1])); },
  index_fill: (x, a, kw) => { only(kw, []); return indexFill(T(x), a[0] as number, T(a[1]), a[2] as number | Tensor); },
  masked_select: (x, a, kw) => { only(kw, []); return maskedSelect(T(x), T(a[0])); },
  nonzero: (x, a, kw) => {
    const p = params(a, kw, ["as_tuple"], { as_tuple: false });
    return p.as_tuple ? nonzero(T(x), { asTuple: true }) : nonzero(T(x));
  },
  take: (x, a, kw) => { only(kw, []); return take(T(x), T(a[0])); },
  take_along_dim: (x, a, kw) => { const p = params(a, kw, ["indices", "dim"]); return takeAlongDim(T(x), T(p.indices), (p.dim ?? undefined) as number | undefined); },

  // ---------------------------------------------------------------- sorting and selection (src/ops/sort.ts)
  sort: (x, a, kw) => {
    const { stable, ...rest } = kw;
    const p = params(a, rest, ["dim", "descending"], { dim: -1, descending: false });
    return sort(T(x), { dim: p.dim as number, descending: p.descending as boolean, stable: (stable ?? false) as boolean });
  },
  argsort: (x, a, kw) => {
    const { stable, ...rest } = kw;
    const p = params(a, rest, ["dim", "descending"], { dim: -1, descending: false });
    return argsort(T(x), { dim: p.dim as number, descending: p.descending as boolean, stable: (stable ?? false) as boolean });
  },
  msort: (x, a, kw) => { only(kw, []); return msort(T(x)); },
  topk: (x, a, kw) => {
    const p = params(a, kw, ["k", "dim", "largest", "sorted"], { dim: -1, largest: true, sorted: true });
    return topk(T(x), p.k as number, p.dim as number, p.largest as boolean, p.sorted as boolean);
  },
  kthvalue: (x, a, kw) => {
    const p = params(a, kw, ["k", "dim", "keepdim"], { dim: -1, keepdim: false });
    return kthvalue(T(x), p.k as number, p.dim as number, p.keepdim as boolean);
  },
  median: (x, a, kw) => {
    const p = params(a, kw, ["dim", "keepdim"], { keepdim: false });
    return p.dim === undefined || p.dim === null ? median(T(x)) : median(T(x), p.dim as number, p.keepdim as boolean);
  },
  mode: (x, a, kw) => { const p = params(a, kw, ["dim", "keepdim"], { dim: -1, keepdim: false }); return mode(T(x), p.dim as number, p.keepdim as boolean); },
  unique: (x, a, kw) => {
    const p = params(a, kw, ["sorted", "return_inverse", "return_counts", "dim"], { sorted: true, return_inverse: false, return_counts: false });
    const r = unique(T(x), { sorted: p.sorted as boolean, returnInverse: p.return_inverse as boolean, returnCounts: p.return_counts as boolean, dim: (p.dim ?? undefined) as number | undefined });
    return r;
  },
  searchsorted: (seq, a, kw) => {
    only(kw, ["out_int32", "right", "side", "sorter"]);
    const r = searchsorted(T(seq), a[0] as Tensor | number, {
      right: (kw.right ?? undefined) as boolean | undefined, side: (kw.side ?? undefined) as "left" | "right" | undefined,
      sorter: (kw.sorter ?? undefined) as Tensor | undefined, outInt32: (kw.out_int32 ?? undefined) as boolean | undefined,
    });
    return r;
  },
  bucketize: (x, a, kw) => { only(kw, ["out_int32", "right"]); return bucketize(x as Tensor | number, T(a[0]), { right: (kw.right ?? false) as boolean, outInt32: (kw.out_int32 ?? undefined) as boolean | undefined }); },
  any: dimKeepdim(any), all: dimKeepdim(all), nansum: dimKeepdim(nansum), nanmean: dimKeepdim(nanmean),
  cumprod: (x, a, kw) => {
    const p = params(a, kw, ["dim", "dtype"]);
    const d = p.dtype as { dtype: DType } | undefined;
    return cumprod(T(x), p.dim as number, d ? { dtype: d.dtype } : {});
  },
  cummax: scanDim(cummax), cummin: scanDim(cummin), logcumsumexp: scanDim(logcumsumexp),
  aminmax: (x, a, kw) => {
    only(kw, ["dim", "keepdim"]);
    const r = aminmax(T(x), { dim: (kw.dim ?? undefined) as number | undefined, keepdim: (kw.keepdim ?? false) as boolean });
    return [r.min, r.max];
  },
  count_nonzero: (x, a, kw) => { const p = params(a, kw, ["dim"]); return countNonzero(T(x), dims(p.dim)); },
  bincount: (x, a, kw) => { const p = params(a, kw, ["weights", "minlength"], { weights: null, minlength: 0 }); return bincount(T(x), p.weights as Tensor | null, p.minlength as number); },
  histc: (x, a, kw) => { const p = params(a, kw, ["bins", "min", "max"], { bins: 100, min: 0, max: 0 }); return histc(T(x), p.bins as number, p.min as number, p.max as number); },

  // ---------------------------------------------------------------- linear algebra (src/ops/linalg*.ts, einsum.ts)
  einsum: (xs, a, kw) => { only(kw, []); return einsum(a[0] as string, ...Ts(xs)); },
  addmm: addLike(addmm), "addmm.decomposed": addLike(addmm), addbmm: addLike(addbmm), baddbmm: addLike(baddbmm),
  addmv: addLike(addmv), addr: addLike(addr),
  mv: (x, a, kw) => { only(kw, []); return mv(T(x), T(a[0])); },
  diag: (x, a, kw) => { const p = params(a, kw, ["diagonal"], { diagonal: 0 }); return diag(T(x), p.diagonal as number); },
  diagonal: (x, a, kw) => {
    const p = params(a, kw, ["offset", "dim1", "dim2"], { offset: 0, dim1: 0, dim2: 1 });
    return diagonal(T(x), p.offset as number, p.dim1 as number, p.dim2 as number);
  },
  diag_embed: (x, a, kw) => {
    const p = params(a, kw, ["offset", "dim1", "dim2"], { offset: 0, dim1: -2, dim2: -1 });
    return diagEmbed(T(x), p.offset as number, p.dim1 as number, p.dim2 as number);
  },
  trace: (x, a, kw) => { only(kw, []); return trace(T(x)); },
  tensordot: (x, a, kw) => {
    const p = params(a, kw, ["other", "dims"], { dims: 2 });
    return tensordot(T(x), T(p.other), p.dims as number | [number[], number[]]);
  },
  kron: (x, a, kw) => { only(kw, []); return kron(T(x), T(a[0])); },
  cross: (x, a, kw) => { const p = params(a, kw, ["other", "dim"]); return cross(T(x), T(p.other), (p.dim ?? undefined) as number | undefined); },
  "linalg.cross": (x, a, kw) => { const p = params(a, kw, ["other", "dim"], { dim: -1 }); return linalg.cross(T(x), T(p.other), p.dim as number); },
  cdist: (x, a, kw) => {
    // compute_mode only chooses PyTorch's algorithm for p = 2 (a matrix product or direct differences).
    const p = params(a, kw, ["x2", "p", "compute_mode"], { p: 2 });
    return cdist(T(x), T(p.x2), p.p as number);
  },
  "linalg.norm": (x, a, kw) => {
    const p = params(a, kw, ["ord", "dim", "keepdim"], { keepdim: false });
    return linalg.norm(T(x), ord(p.ord), dims(p.dim), p.keepdim as boolean);
  },
  "linalg.norm.subgradients_at_zero": (x, a, kw) => {
    const p = params(a, kw, ["ord", "dim", "keepdim"], { keepdim: false });
    return linalg.norm(T(x), ord(p.ord), dims(p.dim), p.keepdim as boolean);
  },
  "linalg.vector_norm": (x, a, kw) => {
    const p = params(a, kw, ["ord", "dim", "keepdim"], { ord: 2, keepdim: false });
    return linalg.vectorNorm(T(x), p.ord as number, dims(p.dim), p.keepdim as boolean);
  },
  "linalg.matrix_norm": (x, a, kw) => {
    const p = params(a, kw, ["ord", "dim", "keepdim"], { ord: "fro", dim: [-2, -1], keepdim: false });
    return linalg.matrixNorm(T(x), ord(p.ord) ?? "fro", p.dim as [number, number], p.keepdim as boolean);
  },
  "linalg.svdvals": (x, a, kw) => { only(kw, [], { driver: null }); if (a.length) throw new Unsupported("extra positional arguments"); return linalg.svdvals(T(x)); },
  T: (x, a, kw) => { only(kw, []); return T(x).T; },
  mT: (x, a, kw) => { only(kw, []); return T(x).mT; },

  // ---------------------------------------------------------------- shape (src/ops/shape-more.ts)
  movedim: (x, a, kw) => { only(kw, []); return movedim(T(x), a[0] as number[], a[1] as number[]); },
  roll: (x, a, kw) => { const p = params(a, kw, ["shifts", "dims"]); return roll(T(x), p.shifts as number[], (p.dims ?? undefined) as number[] | undefined); },
  rot90: (x, a, kw) => { const p = params(a, kw, ["k", "dims"], { k: 1, dims: [0, 1] }); return rot90(T(x), p.k as number, p.dims as [number, number]); },
  tile: (x, a, kw) => { only(kw, []); return tile(T(x), a[0] as number[]); },
  repeat_interleave: (x, a, kw) => {
    const p = params(a, kw, ["repeats", "dim"], {});
    only(kw, ["repeats", "dim"], { output_size: null });
    return repeatInterleave(T(x), p.repeats as number | Tensor, (p.dim ?? undefined) as number | undefined);
  },
  hstack: stackList(hstack), vstack: stackList(vstack), dstack: stackList(dstack), column_stack: stackList(columnStack),
  tensor_split: (x, a, kw) => {
    const p = params(a, kw, ["indices_or_sections", "dim"], { dim: 0 });
    return tensorSplit(T(x), p.indices_or_sections as number | number[] | Tensor, p.dim as number);
  },
  unfold: (x, a, kw) => { only(kw, []); return T(x).unfold(a[0] as number, a[1] as number, a[2] as number); },
  flipud: (x, a, kw) => { only(kw, []); return flipud(T(x)); },
  fliplr: (x, a, kw) => { only(kw, []); return fliplr(T(x)); },
  atleast_1d: atleast(atleast1d), atleast_2d: atleast(atleast2d), atleast_3d: atleast(atleast3d),
  broadcast_to: (x, a, kw) => { only(kw, []); return broadcastTo(T(x), a[0] as number[]); },
  expand_as: (x, a, kw) => { only(kw, []); return T(x).expandAs(T(a[0])); },
  view_as: (x, a, kw) => { only(kw, []); return T(x).viewAs(T(a[0])); },
  reshape_as: (x, a, kw) => { only(kw, []); return T(x).reshapeAs(T(a[0])); },
  narrow_copy: (x, a, kw) => { only(kw, []); return narrowCopy(T(x), a[0] as number, a[1] as number, a[2] as number); },
};
