/**
 * einsum with PyTorch's subscript grammar: letters (a-z, A-Z), "..." for broadcast dims, an
 * explicit "->output" or the implicit output (letters used once, in alphabetical order, after the
 * "..." dims), repeated letters within an operand (diagonals), and spaces.
 *
 * It is a composite: diagonals are views, letters no one needs are summed out first, then operands
 * are contracted left to right, each pair as one batched matmul (batch, free and contracted letters
 * permuted into [B, M, K] x [B, K, N]); autograd comes from those ops.
 */
import type { Tensor } from "../tensor/tensor.js";
import { fmt, numel } from "../tensor/shape.js";
import { diagonal } from "./linalg.js";
import { expand, permute, reshape } from "./shape.js";
import { sum } from "./reduce.js";
import { matmul } from "./matmul.js";

/** One operand: its tensor and one label per dim (letters as char codes, "..." dims as -1, -2, ... from the right). */
interface Term {
  t: Tensor;
  labels: number[];
}

function parseSide(spec: string, op: string): { letters: number[]; ellipsis: number } {
  const s = spec.replace(/\s+/g, "");
  const ell = s.indexOf("...");
  if (ell >= 0 && s.indexOf("...", ell + 1) >= 0) throw new Error(`${op}: "${spec}" has more than one "..."`);
  const letters: number[] = [];
  const body = ell >= 0 ? s.slice(0, ell) + "\u0000" + s.slice(ell + 3) : s;
  for (const ch of body) {
    if (ch === "\u0000") letters.push(0);
    else if (/[a-zA-Z]/.test(ch)) letters.push(ch.charCodeAt(0));
    else throw new Error(`${op}: invalid subscript "${ch}" in "${spec}"; use letters a-z, A-Z and "..."`);
  }
  return { letters, ellipsis: ell >= 0 ? letters.indexOf(0) : -1 };
}

/** Replaces the ellipsis marker by `n` labels -n..-1 (right-aligned, so they broadcast across operands). */
function expandEllipsis(letters: number[], n: number): number[] {
  const at = letters.indexOf(0);
  if (at < 0) return letters;
  return [...letters.slice(0, at), ...Array.from({ length: n }, (_, i) => i - n), ...letters.slice(at + 1)];
}

const labelName = (l: number): string => (l < 0 ? "..." : String.fromCharCode(l));

/** Takes diagonals for letters repeated within one operand ("ii->i"), so each label appears once. */
function dedupe(term: Term): Term {
  let { t, labels } = term;
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) return { t, labels };
    const first = labels.indexOf(labels[i]);
    if (t.shape[first] !== t.shape[i]) {
      throw new Error(`einsum: subscript ${labelName(labels[i])} is repeated in an operand for dims of different sizes ${t.shape[first]} and ${t.shape[i]}`);
    }
    t = diagonal(t, 0, first, i);
    labels = [...labels.filter((_, k) => k !== first && k !== i), labels[i]];
  }
}

function sumOut(term: Term, keep: (l: number) => boolean): Term {
  const dims = term.labels.map((l, d) => (keep(l) ? -1 : d)).filter((d) => d >= 0);
  if (dims.length === 0) return term;
  return { t: sum(term.t, dims), labels: term.labels.filter((l) => keep(l)) };
}

/** Contracts two terms over the labels they share that nothing later needs. */
function contract(a: Term, b: Term, needed: Set<number>, sizes: Map<number, number>): Term {
  const inB = new Set(b.labels);
  const batch = a.labels.filter((l) => inB.has(l) && needed.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !needed.has(l));
  const aOnly = a.labels.filter((l) => !inB.has(l));
  const bOnly = b.labels.filter((l) => !a.labels.includes(l));
  const size = (ls: number[]): number[] => ls.map((l) => sizes.get(l)!);
  const arrange = (t: Term, order: number[]): Tensor => {
    const p = permute(t.t, order.map((l) => t.labels.indexOf(l)));
    return expand(p, size(order)); // size-1 "..." dims broadcast against the other operand
  };
  const am = reshape(arrange(a, [...batch, ...aOnly, ...summed]), [numel(size(batch)), numel(size(aOnly)), numel(size(summed))]);
  const bm = reshape(arrange(b, [...batch, ...summed, ...bOnly]), [numel(size(batch)), numel(size(summed)), numel(size(bOnly))]);
  return { t: reshape(matmul(am, bm), size([...batch, ...aOnly, ...bOnly])), labels: [...batch, ...aOnly, ...bOnly] };
}

/**
 * `einsum("bij,bjk->bik", a, b)` (or `einsum(eq, [a, b])`): sums of products over the subscripts.
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as readonly Tensor[];
  if (typeof equation !== "string") throw new Error(`einsum: the first argument must be the equation string, got ${typeof equation}`);
  const [lhs, rhs, extra] = equation.split("->");
  if (extra !== undefined) throw new Error(`einsum: "${equation}" has more than one "->"`);
  const inputs = lhs.split(",");
  if (inputs.length !== ops.length) {
    throw new Error(`einsum: "${equation}" has ${inputs.length} operand subscripts but ${ops.length} tensors were given`);
  }
  const sizes = new Map<number, number>();
  let maxEll = 0;
  const terms: Term[] = inputs.map((spec, k) => {
    const { letters, ellipsis } = parseSide(spec, "einsum");
    const t = ops[k];
    const named = letters.length - (ellipsis >= 0 ? 1 : 0);
    if (ellipsis < 0 ? named !== t.ndim : named > t.ndim) {
      throw new Error(`einsum: operand ${k} has shape ${fmt(t.shape)} (${t.ndim} dims) but its subscripts "${spec.trim()}" name ${named}${ellipsis >= 0 ? " plus ..." : ""}`);
    }
    const nEll = ellipsis >= 0 ? t.ndim - named : 0;
    maxEll = Math.max(maxEll, nEll);
    const labels = expandEllipsis(letters, nEll);
    labels.forEach((l, d) => {
      if (labels.indexOf(l) !== d) return; // a repeat within this operand: dedupe checks it (a diagonal)
      const prev = sizes.get(l);
      const n = t.shape[d];
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) {
        throw new Error(`einsum: subscript ${labelName(l)} has size ${n} in operand ${k} but ${prev} elsewhere (sizes must match, or be 1 for "..." dims)`);
      }
      if (prev === undefined || prev === 1) sizes.set(l, n);
    });
    return dedupe({ t, labels });
  });
  let output: number[];
  if (rhs === undefined) {
    const counts = new Map<number, number>();
    for (const spec of inputs) for (const l of parseSide(spec, "einsum").letters) if (l > 0) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort((x, y) => x - y);
    output = [...Array.from({ length: maxEll }, (_, i) => i - maxEll), ...once];
  } else {
    output = expandEllipsis(parseSide(rhs, "einsum").letters, maxEll);
    output.forEach((l, k) => {
      if (output.indexOf(l) !== k) throw new Error(`einsum: output subscript ${labelName(l)} appears more than once in "${rhs.trim()}"`);
      if (!sizes.has(l)) throw new Error(`einsum: output subscript ${labelName(l)} does not appear in any operand of "${equation}"`);
    });
  }
  const outSet = new Set(output);
  // Letters neither the output nor any other operand uses are summed out before any product.
  let rest = terms.map((term, k) => sumOut(term, (l) => outSet.has(l) || terms.some((o, j) => j !== k && o.labels.includes(l))));
  let cur = rest[0];
  for (let k = 1; k < rest.length; k++) {
    const needed = new Set<number>([...output, ...rest.slice(k + 1).flatMap((t) => t.labels)]);
    cur = contract(cur, rest[k], needed, sizes);
  }
  rest = [];
  cur = sumOut(cur, (l) => outSet.has(l));
  const perm = permute(cur.t, output.map((l) => cur.labels.indexOf(l)));
  return expand(perm, output.map((l) => sizes.get(l)!));
}
