// Elementwise kernels over up to 4-D strided inputs (JS coalesces dims first) writing a contiguous
// output. A thread takes a flat range of the output; each inner-row segment picks a SIMD path when
// its inner strides are 1 (or 0 for broadcast), so every element sees the same arithmetic whatever
// the split, which keeps results bitwise identical across thread counts.

// Op codes shared with ../ops.ts.
const U_COPY = 0, U_NEG = 1, U_ABS = 2, U_SQRT = 3, U_RELU = 4, U_SQUARE = 5, U_RECIP = 6, U_FLOOR = 7,
  U_CEIL = 8, U_ROUND = 9, U_RSQRT = 10, U_EXP = 11, U_LOG = 12, U_LOG1P = 13, U_EXPM1 = 14, U_SIN = 15,
  U_COS = 16, U_TANH = 17, U_SIGMOID = 18, U_SIGN = 19, U_LEAKY = 20, U_ELU = 21, U_CLAMP = 22, U_POW = 23;
const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAX = 4, B_MIN = 5, B_POW = 6, B_RELU_BWD = 7;

// Transcendentals go through f64 like the js reference, then round once: results match it to 1 ulp.
@inline function scalarUnary(op: i32, x: f32, p: f64, q: f64): f32 {
  const d = <f64>x;
  switch (op) {
    case U_COPY: return x;
    case U_NEG: return -x;
    case U_ABS: return abs<f32>(x);
    case U_SQRT: return sqrt<f32>(x);
    case U_RELU: return x < 0 ? 0 : x; // relu(-0) is -0 and NaN passes through, as PyTorch
    case U_SQUARE: return x * x;
    case U_RECIP: return <f32>(1.0 / d);
    case U_FLOOR: return floor<f32>(x);
    case U_CEIL: return ceil<f32>(x);
    case U_ROUND: return nearest<f32>(x);
    case U_RSQRT: return <f32>(1.0 / Math.sqrt(d));
    case U_EXP: return <f32>Math.exp(d);
    case U_LOG: return <f32>Math.log(d);
    case U_LOG1P: return <f32>Math.log1p(d);
    case U_EXPM1: return <f32>Math.expm1(d);
    case U_SIN: return <f32>Math.sin(d);
    case U_COS: return <f32>Math.cos(d);
    case U_TANH: return <f32>Math.tanh(d);
    case U_SIGMOID: {
      if (d >= 0) return <f32>(1.0 / (1.0 + Math.exp(-d)));
      const e = Math.exp(d);
      return <f32>(e / (1.0 + e));
    }
    case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0; // sign(-0) = +0 and sign(NaN) = 0, as PyTorch
    case U_LEAKY: return x > 0 ? x : <f32>(d * p);
    case U_ELU: return x > 0 ? x : <f32>(p * (Math.exp(d) - 1)); // (eˣ − 1)·α as PyTorch (+0 at -0), not expm1
    case U_CLAMP: { // std::min(std::max(x, lo), hi), as PyTorch: -0 at lo = 0 stays -0, NaN passes through
      const m = d < p ? p : d;
      return <f32>(q < m ? q : m);
    }
    case U_POW: return <f32>Math.pow(d, p);
  }
  return x;
}

// Ops whose f32 SIMD result equals the reference's double-then-round result bit for bit.
@inline function simdUnary(op: i32): bool {
  return op <= U_ROUND;
}

@inline function vecUnary(op: i32, v: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(v);
    case U_ABS: return f32x4.abs(v);
    case U_SQRT: return f32x4.sqrt(v);
    // pmax(x, 0) is x < 0 ? 0 : x: NaN and -0 pass through, as PyTorch's relu.
    case U_RELU: return f32x4.pmax(v, f32x4.splat(0));
    case U_SQUARE: return f32x4.mul(v, v);
    case U_RECIP: return f32x4.div(f32x4.splat(1), v);
    case U_FLOOR: return f32x4.floor(v);
    case U_CEIL: return f32x4.ceil(v);
    case U_ROUND: return f32x4.nearest(v);
  }
  return v;
}

function unarySeg(op: i32, x: usize, sx: i32, o: usize, n: i32, p: f64, q: f64): void {
  let i = 0;
  if (sx == 1 && simdUnary(op)) {
    if (op == U_COPY) {
      memory.copy(o, x, <usize>n * 4);
      return;
    }
    for (; i + 4 <= n; i += 4) v128.store(o + <usize>i * 4, vecUnary(op, v128.load(x + <usize>i * 4)));
  }
  for (; i < n; i++) store<f32>(o + <usize>i * 4, scalarUnary(op, load<f32>(x + <usize>(i * sx) * 4), p, q));
}

@inline function scalarBinary(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_MAX: return a != a || b != b ? NaN : max<f32>(a, b);
    case B_MIN: return a != a || b != b ? NaN : min<f32>(a, b);
    case B_POW: return <f32>Math.pow(<f64>a, <f64>b);
    case B_RELU_BWD: return a <= 0 ? 0 : b;
  }
  return 0;
}

@inline function vecBinary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b);
    case B_MIN: return f32x4.min(a, b);
    case B_RELU_BWD: return v128.andnot(b, f32x4.le(a, f32x4.splat(0)));
  }
  return a;
}

function binarySeg(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  let i = 0;
  if (op != B_POW) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i * 4;
        v128.store(o + off, vecBinary(op, v128.load(a + off), v128.load(b + off)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i * 4;
        v128.store(o + off, vecBinary(op, v128.load(a + off), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i * 4;
        v128.store(o + off, vecBinary(op, va, v128.load(b + off)));
      }
    }
  }
  for (; i < n; i++) {
    store<f32>(o + <usize>i * 4, scalarBinary(op, load<f32>(a + <usize>(i * sa) * 4), load<f32>(b + <usize>(i * sb) * 4)));
  }
}

/** The flat output range [lo, hi) of thread tid, cut at multiples of 16 elements. */
@inline function rangeLo(tid: i32, nt: i32, total: i32): i32 {
  const per = ((total + nt - 1) / nt + 15) & ~15;
  return min(total, tid * per);
}
@inline function rangeHi(tid: i32, nt: i32, total: i32): i32 {
  const per = ((total + nt - 1) / nt + 15) & ~15;
  return min(total, (tid + 1) * per);
}

// The kinds of elementwise task, each with its own run function (*Seg); a constant in every task,
// so once walk and run are inlined the switch folds away and each run is one direct call.
const E_UNARY = 0, E_BINARY = 1, E_COMPARE = 2, E_CAST = 3, E_WHERE = 4;

/**
 * One innermost run of `n` output elements at `o`, reading operands at x, y, z whose elements lie
 * sx, sy, sz apart (in elements), with the kind's own run function; a kind ignores the operands
 * (and p, q) it does not have.
 */
@inline function run(
  kind: i32, op: i32, p: f64, q: f64, o: usize, n: i32, x: usize, sx: i32, y: usize, sy: i32, z: usize, sz: i32,
): void {
  switch (kind) {
    case E_UNARY: unarySeg(op, x, sx, o, n, p, q); break;
    case E_BINARY: binarySeg(op, x, sx, y, sy, o, n); break;
    case E_COMPARE: compareSeg(op, x, sx, y, sy, o, n); break;
    case E_CAST: castSeg(op, x, sx, o, n); break;
    case E_WHERE: whereSeg(x, sx, y, sy, z, sz, o, n); break;
  }
}

/**
 * The walk every elementwise task shares: thread tid's flat range of the n0×n1×n2×n3 output, found
 * in 4-D once, then handed to run() one innermost run at a time with each operand's address there.
 * The output and each operand give a base address and an element size in bytes; operands give
 * strides s0..s3 in elements (operands a kind lacks stay 0).
 */
@inline function walk(
  kind: i32, tid: i32, nt: i32, op: i32, p: f64, q: f64, n0: i32, n1: i32, n2: i32, n3: i32, out: usize, outSize: usize,
  x: usize, xSize: usize, x0: i32, x1: i32, x2: i32, x3: i32,
  y: usize = 0, ySize: usize = 0, y0: i32 = 0, y1: i32 = 0, y2: i32 = 0, y3: i32 = 0,
  z: usize = 0, zSize: usize = 0, z0: i32 = 0, z1: i32 = 0, z2: i32 = 0, z3: i32 = 0,
): void {
  const total = n0 * n1 * n2 * n3;
  let pos = rangeLo(tid, nt, total);
  const hi = rangeHi(tid, nt, total);
  if (pos >= hi) return;
  let i3 = pos % n3, r = pos / n3;
  let i2 = r % n2; r /= n2;
  let i1 = r % n1, i0 = r / n1;
  while (pos < hi) {
    const len = min(n3 - i3, hi - pos);
    run(kind, op, p, q, out + <usize>pos * outSize, len,
      x + <usize>(i0 * x0 + i1 * x1 + i2 * x2 + i3 * x3) * xSize, x3,
      y + <usize>(i0 * y0 + i1 * y1 + i2 * y2 + i3 * y3) * ySize, y3,
      z + <usize>(i0 * z0 + i1 * z1 + i2 * z2 + i3 * z3) * zSize, z3);
    pos += len;
    i3 = 0;
    if (++i2 == n2) { i2 = 0; if (++i1 == n1) { i1 = 0; i0++; } }
  }
}

export function unaryTask(
  tid: i32, nt: i32, op: i32, n0: i32, n1: i32, n2: i32, n3: i32,
  x: usize, s0: i32, s1: i32, s2: i32, s3: i32, out: usize, p: f64, q: f64,
): void {
  walk(E_UNARY, tid, nt, op, p, q, n0, n1, n2, n3, out, 4, x, 4, s0, s1, s2, s3);
}

export function binaryTask(
  tid: i32, nt: i32, op: i32, n0: i32, n1: i32, n2: i32, n3: i32,
  a: usize, a0: i32, a1: i32, a2: i32, a3: i32, b: usize, b0: i32, b1: i32, b2: i32, b3: i32, out: usize,
): void {
  walk(E_BINARY, tid, nt, op, 0, 0, n0, n1, n2, n3, out, 4, a, 4, a0, a1, a2, a3, b, 4, b0, b1, b2, b3);
}

// Reductions. Kept dims (k0,k1) and reduced dims (r0,r1) arrive coalesced by JS. Sums accumulate in
// f64 as the reference does, so a cancelling sum still agrees with it to float32 rounding.
const R_SUM = 0, R_PROD = 1, R_MAX = 2, R_MIN = 3;

function reduceOne(op: i32, x: usize, r0: i32, r1: i32, rs0: i32, rs1: i32): f32 {
  if (op == R_SUM) {
    let acc: f64 = 0;
    for (let i = 0; i < r0; i++) {
      const row = x + <usize>(i * rs0) * 4;
      let j = 0;
      if (rs1 == 1) {
        let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
        for (; j + 4 <= r1; j += 4) {
          const v = v128.load(row + <usize>j * 4);
          v0 = f64x2.add(v0, f64x2.promote_low_f32x4(v));
          v1 = f64x2.add(v1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
        }
        const s = f64x2.add(v0, v1);
        acc += f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      }
      for (; j < r1; j++) acc += <f64>load<f32>(row + <usize>(j * rs1) * 4);
    }
    return <f32>acc;
  }
  if (op == R_PROD) {
    let acc: f64 = 1;
    for (let i = 0; i < r0; i++) for (let j = 0; j < r1; j++) acc *= <f64>load<f32>(x + <usize>(i * rs0 + j * rs1) * 4);
    return <f32>acc;
  }
  const isMax = op == R_MAX;
  let acc: f32 = isMax ? -Infinity : Infinity;
  for (let i = 0; i < r0; i++) {
    const row = x + <usize>(i * rs0) * 4;
    let j = 0;
    if (rs1 == 1 && r1 >= 4) {
      let v = v128.load(row);
      for (j = 4; j + 4 <= r1; j += 4) {
        const w = v128.load(row + <usize>j * 4);
        v = isMax ? f32x4.max(v, w) : f32x4.min(v, w);
      }
      // wasm min/max propagate NaN, as the reference's reduction does.
      const a = f32x4.extract_lane(v, 0), b = f32x4.extract_lane(v, 1);
      const c = f32x4.extract_lane(v, 2), d = f32x4.extract_lane(v, 3);
      const m = isMax ? max(max(a, b), max(c, d)) : min(min(a, b), min(c, d));
      acc = isMax ? max(acc, m) : min(acc, m);
    }
    for (; j < r1; j++) {
      const v = load<f32>(row + <usize>(j * rs1) * 4);
      acc = isMax ? max(acc, v) : min(acc, v);
    }
  }
  return acc;
}

export function reduceTask(
  tid: i32, nt: i32, op: i32, k0: i32, k1: i32, ks0: i32, ks1: i32,
  r0: i32, r1: i32, rs0: i32, rs1: i32, x: usize, out: usize,
): void {
  const total = k0 * k1;
  const per = (total + nt - 1) / nt;
  let o = min(total, tid * per);
  const hi = min(total, o + per);
  // Column sums (reducing over a strided axis while the kept axis is contiguous) go 4 outputs at a
  // time so each load is a full vector.
  const columns = op == R_SUM && ks1 == 1 && r0 == 1 && rs1 != 1;
  while (o < hi) {
    const i0 = o / k1, i1 = o % k1;
    const base = x + <usize>(i0 * ks0 + i1 * ks1) * 4;
    if (columns && i1 + 4 <= k1 && o + 4 <= hi) {
      let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
      for (let j = 0; j < r1; j++) {
        const v = v128.load(base + <usize>(j * rs1) * 4);
        v0 = f64x2.add(v0, f64x2.promote_low_f32x4(v));
        v1 = f64x2.add(v1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      v128.store(out + <usize>o * 4, f32x4.demote_f64x2_zero(v0));
      v128.store64_lane(out + <usize>(o + 2) * 4, f32x4.demote_f64x2_zero(v1), 0);
      o += 4;
    } else {
      store<f32>(out + <usize>o * 4, reduceOne(op, base, r0, r1, rs0, rs1));
      o++;
    }
  }
}

/** Softmax or log-softmax along lines of `len` elements `inner` apart in a contiguous x. */
export function softmaxTask(tid: i32, nt: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize, log: bool): void {
  const lines = outer * inner;
  const per = (lines + nt - 1) / nt;
  const lo = min(lines, tid * per), hi = min(lines, lo + per);
  for (let l = lo; l < hi; l++) {
    const o = l / inner, i = l % inner;
    const base = <usize>(o * len * inner + i) * 4;
    const st = <usize>inner * 4;
    let m: f64 = -Infinity;
    for (let j = 0; j < len; j++) {
      const v = <f64>load<f32>(x + base + <usize>j * st);
      if (v > m) m = v;
    }
    if (m == -Infinity) m = 0;
    let s: f64 = 0;
    for (let j = 0; j < len; j++) s += Math.exp(<f64>load<f32>(x + base + <usize>j * st) - m);
    const lse = Math.log(s);
    for (let j = 0; j < len; j++) {
      const v = <f64>load<f32>(x + base + <usize>j * st);
      store<f32>(out + base + <usize>j * st, <f32>(log ? v - m - lse : Math.exp(v - m) / s));
    }
  }
}

/**
 * In-place SGD, in f64 like the reference (rounding at the same stores), so results match it. Two
 * lanes of f64 at a time: the scalar loop cost more than the copies into and out of the arena (an
 * MLP step's 235k parameters).
 */
export function sgdTask(
  tid: i32, nt: i32, n: i32, param: usize, grad: usize, buf: usize,
  lr: f64, momentum: f64, dampening: f64, nesterov: bool, wd: f64, first: bool,
): void {
  const lo = rangeLo(tid, nt, n), hi = rangeHi(tid, nt, n);
  const vLr = f64x2.splat(lr), vWd = f64x2.splat(wd), vMom = f64x2.splat(momentum), vKeep = f64x2.splat(1 - dampening);
  // As PyTorch, no decay term when wd is 0: 0 · inf would turn an inf parameter into NaN.
  const decay = wd != 0;
  let i = lo;
  if (!buf && !decay) {
    // Plain SGD (the common case), four pairs a trip. Each pair is widened straight from memory
    // (v128.load64_zero into promote_low: V8 folds them into one cvtps2pd with a memory operand)
    // and stored with a 64-bit lane store: no shuffles. Widening a whole f32x4 needed a shuffle per
    // high half and another to join the results, and those shuffle-port instructions, not the
    // arithmetic, bounded the loop (session 13: 1.6x faster on the MLP's parameters).
    for (; i + 8 <= hi; i += 8) {
      // Constant offsets (immOffset), which V8 folds into the addresses; pointer arithmetic would
      // cost an instruction per pair.
      const pp = param + <usize>i * 4, gp = grad + <usize>i * 4;
      const p0 = f64x2.promote_low_f32x4(v128.load64_zero(pp)), g0 = f64x2.promote_low_f32x4(v128.load64_zero(gp));
      const p1 = f64x2.promote_low_f32x4(v128.load64_zero(pp, 8)), g1 = f64x2.promote_low_f32x4(v128.load64_zero(gp, 8));
      const p2 = f64x2.promote_low_f32x4(v128.load64_zero(pp, 16)), g2 = f64x2.promote_low_f32x4(v128.load64_zero(gp, 16));
      const p3 = f64x2.promote_low_f32x4(v128.load64_zero(pp, 24)), g3 = f64x2.promote_low_f32x4(v128.load64_zero(gp, 24));
      v128.store64_lane(pp, f32x4.demote_f64x2_zero(f64x2.sub(p0, f64x2.mul(vLr, g0))), 0);
      v128.store64_lane(pp, f32x4.demote_f64x2_zero(f64x2.sub(p1, f64x2.mul(vLr, g1))), 0, 8);
      v128.store64_lane(pp, f32x4.demote_f64x2_zero(f64x2.sub(p2, f64x2.mul(vLr, g2))), 0, 16);
      v128.store64_lane(pp, f32x4.demote_f64x2_zero(f64x2.sub(p3, f64x2.mul(vLr, g3))), 0, 24);
    }
  }
  for (; i + 2 <= hi; i += 2) {
    const off = <usize>i * 4;
    const pv = f64x2.promote_low_f32x4(v128.load64_zero(param + off));
    let d = f64x2.promote_low_f32x4(v128.load64_zero(grad + off));
    if (decay) d = f64x2.add(d, f64x2.mul(vWd, pv));
    if (buf) {
      const nb32 = f32x4.demote_f64x2_zero(first ? d : f64x2.add(f64x2.mul(vMom, f64x2.promote_low_f32x4(v128.load64_zero(buf + off))), f64x2.mul(vKeep, d)));
      v128.store64_lane(buf + off, nb32, 0);
      const nb = f64x2.promote_low_f32x4(nb32);
      d = nesterov ? f64x2.add(d, f64x2.mul(vMom, nb)) : nb;
    }
    v128.store64_lane(param + off, f32x4.demote_f64x2_zero(f64x2.sub(pv, f64x2.mul(vLr, d))), 0);
  }
  for (; i < hi; i++) {
    const off = <usize>i * 4;
    const pv = <f64>load<f32>(param + off);
    let d = <f64>load<f32>(grad + off);
    if (decay) d += wd * pv;
    if (buf) {
      const bv = <f64>load<f32>(buf + off);
      const nb = <f64><f32>(first ? d : momentum * bv + (1 - dampening) * d);
      store<f32>(buf + off, <f32>nb);
      d = nesterov ? d + momentum * nb : nb;
    }
    store<f32>(param + off, <f32>(pv - lr * d));
  }
}

/** In-place Adam/AdamW (AMSGrad when maxV != 0), mirroring the reference's order of roundings. */
export function adamTask(
  tid: i32, nt: i32, n: i32, param: usize, grad: usize, m: usize, v: usize, maxV: usize,
  lr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, decoupled: bool, step: f64,
): void {
  const lo = rangeLo(tid, nt, n), hi = rangeHi(tid, nt, n);
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / bc1;
  let i = lo;
  // Two lanes of f64 at a time, rounding to f32 exactly where the scalar loop below stores, so
  // both give the same bits (and the reference's, up to its own f64 order of operations).
  const vDecay = f64x2.splat(1 - lr * wd), vWd = f64x2.splat(wd);
  const vB1 = f64x2.splat(beta1), vC1 = f64x2.splat(1 - beta1), vB2 = f64x2.splat(beta2), vC2 = f64x2.splat(1 - beta2);
  const vStep = f64x2.splat(stepSize), vBc2 = f64x2.splat(bc2Sqrt), vEps = f64x2.splat(eps);
  for (; i + 2 <= hi; i += 2) {
    const off = <usize>i * 4;
    let pv = f64x2.promote_low_f32x4(v128.load64_zero(param + off));
    let g = f64x2.promote_low_f32x4(v128.load64_zero(grad + off));
    if (decoupled) pv = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(pv, vDecay)));
    else if (wd != 0) g = f64x2.add(g, f64x2.mul(vWd, pv)); // none when 0, as PyTorch (0 · inf is NaN)
    const m32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vB1, f64x2.promote_low_f32x4(v128.load64_zero(m + off))), f64x2.mul(vC1, g)));
    const v32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vB2, f64x2.promote_low_f32x4(v128.load64_zero(v + off))), f64x2.mul(f64x2.mul(vC2, g), g)));
    v128.store64_lane(m + off, m32, 0);
    v128.store64_lane(v + off, v32, 0);
    let vv = f64x2.promote_low_f32x4(v32);
    if (maxV) {
      vv = f64x2.max(f64x2.promote_low_f32x4(v128.load64_zero(maxV + off)), vv);
      v128.store64_lane(maxV + off, f32x4.demote_f64x2_zero(vv), 0);
    }
    const upd = f64x2.div(f64x2.mul(vStep, f64x2.promote_low_f32x4(m32)), f64x2.add(f64x2.div(f64x2.sqrt(vv), vBc2), vEps));
    v128.store64_lane(param + off, f32x4.demote_f64x2_zero(f64x2.sub(pv, upd)), 0);
  }
  for (; i < hi; i++) {
    const off = <usize>i * 4;
    let pv = <f64>load<f32>(param + off);
    let g = <f64>load<f32>(grad + off);
    if (decoupled) pv = <f64><f32>(pv * (1 - lr * wd));
    else if (wd != 0) g += wd * pv;
    const mv = <f64><f32>(beta1 * <f64>load<f32>(m + off) + (1 - beta1) * g);
    const vv0 = <f64><f32>(beta2 * <f64>load<f32>(v + off) + (1 - beta2) * g * g);
    store<f32>(m + off, <f32>mv);
    store<f32>(v + off, <f32>vv0);
    let vv = vv0;
    if (maxV) {
      vv = Math.max(<f64>load<f32>(maxV + off), vv);
      store<f32>(maxV + off, <f32>vv);
    }
    store<f32>(param + off, <f32>(pv - (stepSize * mv) / (Math.sqrt(vv) / bc2Sqrt + eps)));
  }
}

// Comparisons: float32 operands, bool (one byte, 0/1) result. Relu's backward mask is one of
// these on every activation, so it pays to keep it out of the js reference.
const C_EQ = 0, C_NE = 1, C_LT = 2, C_LE = 3, C_GT = 4, C_GE = 5;

@inline function scalarCompare(op: i32, a: f32, b: f32): u8 {
  switch (op) {
    case C_EQ: return <u8>(a == b);
    case C_NE: return <u8>(a != b);
    case C_LT: return <u8>(a < b);
    case C_LE: return <u8>(a <= b);
    case C_GT: return <u8>(a > b);
    case C_GE: return <u8>(a >= b);
  }
  return 0;
}

@inline function vecCompare(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case C_EQ: return f32x4.eq(a, b);
    case C_NE: return f32x4.ne(a, b);
    case C_LT: return f32x4.lt(a, b);
    case C_LE: return f32x4.le(a, b);
    case C_GT: return f32x4.gt(a, b);
    case C_GE: return f32x4.ge(a, b);
  }
  return a;
}

/** Four 0/-1 lane masks -> four bytes 0/1 at o. */
@inline function storeMask(o: usize, m: v128): void {
  const w = i16x8.narrow_i32x4_s(m, m);
  const bytes = v128.and(i8x16.narrow_i16x8_s(w, w), i8x16.splat(1));
  v128.store32_lane(o, bytes, 0);
}

function compareSeg(op: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) storeMask(o + <usize>i, vecCompare(op, v128.load(a + <usize>i * 4), v128.load(b + <usize>i * 4)));
  } else if (sa == 1 && sb == 0) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) storeMask(o + <usize>i, vecCompare(op, v128.load(a + <usize>i * 4), vb));
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) storeMask(o + <usize>i, vecCompare(op, va, v128.load(b + <usize>i * 4)));
  }
  for (; i < n; i++) {
    store<u8>(o + <usize>i, scalarCompare(op, load<f32>(a + <usize>(i * sa) * 4), load<f32>(b + <usize>(i * sb) * 4)));
  }
}

export function compareTask(
  tid: i32, nt: i32, op: i32, n0: i32, n1: i32, n2: i32, n3: i32,
  a: usize, a0: i32, a1: i32, a2: i32, a3: i32, b: usize, b0: i32, b1: i32, b2: i32, b3: i32, out: usize,
): void {
  walk(E_COMPARE, tid, nt, op, 0, 0, n0, n1, n2, n3, out, 1, a, 4, a0, a1, a2, a3, b, 4, b0, b1, b2, b3);
}

// dtype conversions into or out of float32 (the casts autograd puts around masks).
const K_U8_F32 = 0, K_I32_F32 = 1, K_F32_U8 = 2;

function castSeg(kind: i32, x: usize, sx: i32, o: usize, n: i32): void {
  if (kind == K_U8_F32) {
    for (let i = 0; i < n; i++) store<f32>(o + <usize>i * 4, <f32>load<u8>(x + <usize>(i * sx)));
  } else if (kind == K_I32_F32) {
    for (let i = 0; i < n; i++) store<f32>(o + <usize>i * 4, <f32>load<i32>(x + <usize>(i * sx) * 4));
  } else {
    // NaN != 0, so NaN becomes true, as in the reference.
    for (let i = 0; i < n; i++) store<u8>(o + <usize>i, <u8>(load<f32>(x + <usize>(i * sx) * 4) != 0));
  }
}

export function castTask(
  tid: i32, nt: i32, kind: i32, n0: i32, n1: i32, n2: i32, n3: i32,
  x: usize, s0: i32, s1: i32, s2: i32, s3: i32, out: usize,
): void {
  const inSize: usize = kind == K_U8_F32 ? 1 : 4;
  const outSize: usize = kind == K_F32_U8 ? 1 : 4;
  walk(E_CAST, tid, nt, kind, 0, 0, n0, n1, n2, n3, out, outSize, x, inSize, s0, s1, s2, s3);
}

/** out = cond ? a : b over one run, with a one-byte bool cond at c and float32 a, b. */
function whereSeg(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, o: usize, n: i32): void {
  let i = 0;
  // Masks are data-dependent (relu's backward), so branches would mispredict half the time:
  // select lanes with bitselect, and with a branch-free select in the scalar tail.
  if (sc == 1 && sa <= 1 && sb <= 1 && sa >= 0 && sb >= 0) {
    const zero = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const bytes = v128.load32_zero(c + <usize>i);
      const mask = i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)), zero);
      const va = sa ? v128.load(a + <usize>i * 4) : v128.load32_splat(a);
      const vb = sb ? v128.load(b + <usize>i * 4) : v128.load32_splat(b);
      v128.store(o + <usize>i * 4, v128.bitselect(va, vb, mask));
    }
  }
  for (; i < n; i++) {
    const v = select<f32>(load<f32>(a + <usize>(i * sa) * 4), load<f32>(b + <usize>(i * sb) * 4), load<u8>(c + <usize>(i * sc)) != 0);
    store<f32>(o + <usize>i * 4, v);
  }
}

/** out = cond ? a : b with a one-byte bool cond and float32 a, b. */
export function whereTask(
  tid: i32, nt: i32, n0: i32, n1: i32, n2: i32, n3: i32,
  c: usize, c0: i32, c1: i32, c2: i32, c3: i32, a: usize, a0: i32, a1: i32, a2: i32, a3: i32,
  b: usize, b0: i32, b1: i32, b2: i32, b3: i32, out: usize,
): void {
  walk(E_WHERE, tid, nt, 0, 0, 0, n0, n1, n2, n3, out, 4, c, 1, c0, c1, c2, c3, a, 4, a0, a1, a2, a3, b, 4, b0, b1, b2, b3);
}
