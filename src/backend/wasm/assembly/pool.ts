// Pooling over [planes, H, W]: threads split the N·C planes, and the forwards also bands of output
// rows (a few large planes). The common 2×2, stride-2, unpadded window has SIMD paths (4 outputs per
// step from two 8-float row loads, de-interleaved into the four window positions); other windows
// with stride 1 or 2 along W compute 4 interior outputs per step (maxRow4, avgRow4), and the scalar
// loops (maxOne, avgOne) take the borders and every other window, all with the reference's rules.

/** Lanes of `a` where the mask `m` (all ones or all zeros per lane) is set, else of `b`: one blend in the relaxed build. */
@inline function pick(a: v128, b: v128, m: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_laneselect<i32>(a, b, m);
  return v128.bitselect(a, b, m);
}

/**
 * Whether a later value `v` takes over from `best` (per lane): v > best or v is NaN, unless best is
 * already NaN. !(v <= best) is "v > best or either is NaN", so masking out a NaN best gives the rule
 * in three instructions. Ties keep the earlier value, and -0 then +0 keeps -0, as the reference does.
 */
@inline function takes(v: v128, best: v128): v128 {
  return v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
}

/**
 * Four 2×2 windows at once: r0a|r0b are 8 floats of the top row, r1a|r1b of the bottom row, i0 the
 * flat input index of each window's top-left element, W the row length. Stores the maxima at `po`
 * and their indices at `pi` (pi 0: no indices, nothing will read them). Scan order (top-left,
 * top-right, bottom-left, bottom-right) and the rules are the reference's: a later value wins only
 * if greater, a NaN wins and ends the scan. The winner's offset in its window (0, 1, W or W+1) is
 * tracked and added to i0 once at the end.
 */
@inline export function maxWindows4(r0a: v128, r0b: v128, r1a: v128, r1b: v128, i0: v128, W: i32, po: usize, pi: usize): void {
  const a = v128.shuffle<f32>(r0a, r0b, 0, 2, 4, 6), b = v128.shuffle<f32>(r0a, r0b, 1, 3, 5, 7);
  const c = v128.shuffle<f32>(r1a, r1b, 0, 2, 4, 6), d = v128.shuffle<f32>(r1a, r1b, 1, 3, 5, 7);
  let take = takes(b, a);
  let best = pick(b, a, take), off = v128.and(take, i32x4.splat(1));
  take = takes(c, best);
  best = pick(c, best, take); off = pick(i32x4.splat(W), off, take);
  take = takes(d, best);
  best = pick(d, best, take); off = pick(i32x4.splat(W + 1), off, take);
  v128.store(po, best);
  if (pi != 0) v128.store(pi, i32x4.add(i0, off));
}

/** One 2×2 window, scalar and branch-free (the comparisons are data-dependent): maxWindows4's rules, pi 0 as there. */
@inline export function maxWindow1(t0: usize, t1: usize, i0: i32, W: i32, po: usize, pi: usize): void {
  let best = load<f32>(t0), arg = i0;
  const a = load<f32>(t0, 4), b = load<f32>(t1), c = load<f32>(t1, 4);
  let take = (a > best || a != a) && best == best;
  best = select<f32>(a, best, take); arg = select<i32>(i0 + 1, arg, take);
  take = (b > best || b != b) && best == best;
  best = select<f32>(b, best, take); arg = select<i32>(i0 + W, arg, take);
  take = (c > best || c != c) && best == best;
  best = select<f32>(c, best, take); arg = select<i32>(i0 + W + 1, arg, take);
  store<f32>(po, best);
  if (pi != 0) store<i32>(pi, arg);
}

/**
 * The common 2×2, stride 2, unpadded window: no bounds checks, four windows per SIMD step. idx 0
 * (inference: no backward reads the positions) skips the index block's stores, half the
 * bytes this pass writes; the maxima are the same bits either way.
 */
function maxPool2x2(pl: i32, H: i32, W: i32, oH: i32, oW: i32, oh0: i32, oh1: i32, x: usize, out: usize, idx: usize): void {
  const xp = x + <usize>(pl * H * W) * 4;
  const op = <usize>(pl * oH * oW) * 4;
  const lane = i32x4(0, 2, 4, 6);
  for (let oh = oh0; oh < oh1; oh++) {
    const r0 = 2 * oh * W;
    const t0 = xp + <usize>r0 * 4, t1 = t0 + <usize>W * 4;
    const o = op + <usize>(oh * oW) * 4;
    let ow = 0;
    for (; ow < oW; ow += 4) {
      // A partial last group is redone as the row's last 4 windows (overlapping stores, same values).
      if (ow + 4 > oW) {
        if (oW < 4) break;
        ow = oW - 4;
      }
      const s = <usize>(2 * ow) * 4, at = o + <usize>ow * 4;
      maxWindows4(v128.load(t0 + s), v128.load(t0 + s, 16), v128.load(t1 + s), v128.load(t1 + s, 16),
        i32x4.add(i32x4.splat(r0 + 2 * ow), lane), W, out + at, idx == 0 ? 0 : idx + at);
    }
    for (; ow < oW; ow++) {
      const s = <usize>(2 * ow) * 4, at = o + <usize>ow * 4;
      maxWindow1(t0 + s, t1 + s, r0 + 2 * ow, W, out + at, idx == 0 ? 0 : idx + at);
    }
  }
}

/** One output of a general max window (any stride, padding, dilation), clipped to the input: the reference's scan. */
function maxOne(xp: usize, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, o: usize, oi: usize): void {
  let best: f32 = -Infinity, arg = -1;
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const w = ow * sW - pW + kw * dW;
      if (w < 0 || w >= W) continue;
      const v = load<f32>(xp + <usize>(h * W + w) * 4);
      // NaN wins and stops the scan, as in the reference (and PyTorch).
      if (v > best || v != v || arg < 0) {
        best = v; arg = h * W + w;
        if (v != v) { kh = kH; break; }
      }
    }
  }
  store<f32>(o, best);
  store<i32>(oi, arg);
}

// General windows with stride 1 or 2 along W have a SIMD path for the outputs whose window columns
// all lie inside the input (every column but a padded or ceil-mode border): 4 consecutive outputs
// are 4 lanes, so a window column is one 4-float load (stride 1) or the even lanes of 8 (stride 2).

/** The first output column whose window starts inside the input. */
@inline function interiorLo(sW: i32, pW: i32): i32 {
  return (pW + sW - 1) / sW;
}

/** One past the last output column whose window ends inside the input (at most oW). */
@inline function interiorHi(W: i32, oW: i32, kW: i32, sW: i32, pW: i32, dW: i32): i32 {
  const last = W - 1 + pW - (kW - 1) * dW;
  return last < 0 ? 0 : min(oW, last / sW + 1);
}

/** Elements p, p+sW, p+2sW, p+3sW for sW of 1 or 2 (with 2 it reads 8 floats; the caller's buffers leave room). */
@inline function columns4(p: usize, sW: i32): v128 {
  if (sW == 1) return v128.load(p);
  return v128.shuffle<f32>(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
}

/** Outputs ow..ow+3 of row oh, all interior: maxOne's scan and rules, one lane per output. */
function maxRow4(xp: usize, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, o: usize, oi: usize): void {
  const lanes = sW == 1 ? i32x4(0, 1, 2, 3) : i32x4(0, 2, 4, 6);
  let best = f32x4.splat(-Infinity), arg = i32x4.splat(-1), first = true;
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const at = h * W + ow * sW - pW + kw * dW;
      const v = columns4(xp + <usize>at * 4, sW), ix = i32x4.add(i32x4.splat(at), lanes);
      if (first) {
        best = v; arg = ix; first = false;
      } else {
        const take = takes(v, best);
        best = pick(v, best, take); arg = pick(ix, arg, take);
      }
    }
  }
  v128.store(o, best);
  v128.store(oi, arg);
}

/** Output row `b` of `bands` bands of oH rows: the first row of band b (b = bands gives oH). */
@inline function bandRow(b: i32, bands: i32, oH: i32): i32 {
  return <i32>((<i64>b * <i64>oH) / <i64>bands);
}

/**
 * Max pooling of share tid of nt over planes × `bands` bands of output rows (unit u is plane
 * u / bands, band u % bands; a forward output depends only on its own window, so any cut gives the
 * same bits, and bands let a few large planes use threads). idx 0 (no index block: nothing will read
 * them) is taken only by the 2×2 windows (maxPool2x2); other windows need an index block.
 */
export function maxPoolTask(
  tid: i32, nt: i32, planes: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, x: usize, out: usize, idx: usize, bands: i32,
): void {
  // Only when every window lies inside the input: ceil_mode adds a last, partial window.
  const fast = is2x2(kH, kW, sH, sW, pH, pW, dH, dW, H, W, oH, oW);
  const lo = sW <= 2 ? interiorLo(sW, pW) : oW, hi = interiorHi(W, oW, kW, sW, pW, dW);
  for (let u = tid; u < planes * bands; u += nt) {
    const pl = u / bands, oh0 = bandRow(u % bands, bands, oH), oh1 = bandRow(u % bands + 1, bands, oH);
    if (fast) {
      maxPool2x2(pl, H, W, oH, oW, oh0, oh1, x, out, idx);
      continue;
    }
    const xp = x + <usize>(pl * H * W) * 4;
    const op = <usize>(pl * oH * oW) * 4;
    for (let oh = oh0; oh < oh1; oh++) {
      for (let ow = 0; ow < oW; ) {
        const o = op + <usize>(oh * oW + ow) * 4;
        if (ow >= lo && ow + 4 <= hi) {
          maxRow4(xp, H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, out + o, idx + o);
          ow += 4;
        } else {
          maxOne(xp, H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, out + o, idx + o);
          ow++;
        }
      }
    }
  }
}

/**
 * The scatter of maxPoolBackwardTask for one plane when every index lies in its own window's 2×2
 * block (window (oh, ow) owns rows 2oh, 2oh+1 and columns 2ow, 2ow+1): then no two windows share an
 * element, so each block is written whole, gy where the index points and 0 elsewhere: no zero-fill
 * pass, no read-modify-write, 4 windows per step. Returns false as soon as an index lies elsewhere
 * (other pool shapes, maxUnpool2d's arbitrary indices), leaving a partly written plane for the
 * caller's scatter to redo. gy + 0 as in the scatter's 0 + g (it turns -0 into 0).
 */
function maxUnpool2x2(H: i32, W: i32, oH: i32, oW: i32, g: usize, ix: usize, dst: usize): bool {
  // Rows and columns past 2·oH, 2·oW belong to no window.
  if (2 * oH != H || 2 * oW != W) memory.fill(dst, 0, <usize>(H * W) * 4);
  const z = f32x4.splat(0), lane = i32x4(0, 2, 4, 6);
  const e1 = i32x4.splat(1), eW = i32x4.splat(W), eW1 = i32x4.splat(W + 1);
  for (let oh = 0; oh < oH; oh++) {
    const t0 = dst + <usize>(2 * oh * W) * 4, t1 = t0 + <usize>W * 4;
    let ow = 0;
    for (; ow < oW; ow += 4) {
      // A partial last group is redone as the row's last 4 windows (the same blocks, written again).
      if (ow + 4 > oW) {
        if (oW < 4) break;
        ow = oW - 4;
      }
      const at = <usize>(oh * oW + ow) * 4;
      const v = f32x4.add(v128.load(g + at), z);
      const d = i32x4.sub(v128.load(ix + at), i32x4.add(i32x4.splat(2 * oh * W + 2 * ow), lane));
      const mtl = i32x4.eq(d, z), mtr = i32x4.eq(d, e1), mbl = i32x4.eq(d, eW), mbr = i32x4.eq(d, eW1);
      if (!i32x4.all_true(v128.or(v128.or(mtl, mtr), v128.or(mbl, mbr)))) return false;
      const tl = v128.and(v, mtl), tr = v128.and(v, mtr), bl = v128.and(v, mbl), br = v128.and(v, mbr);
      const s = <usize>(2 * ow) * 4;
      v128.store(t0 + s, v128.shuffle<f32>(tl, tr, 0, 4, 1, 5)); v128.store(t0 + s, v128.shuffle<f32>(tl, tr, 2, 6, 3, 7), 16);
      v128.store(t1 + s, v128.shuffle<f32>(bl, br, 0, 4, 1, 5)); v128.store(t1 + s, v128.shuffle<f32>(bl, br, 2, 6, 3, 7), 16);
    }
    for (; ow < oW; ow++) {
      const at = <usize>(oh * oW + ow) * 4;
      const v: f32 = load<f32>(g + at) + 0;
      const d = load<i32>(ix + at) - (2 * oh * W + 2 * ow);
      if (d != 0 && d != 1 && d != W && d != W + 1) return false;
      const s = <usize>(2 * ow) * 4;
      store<f32>(t0 + s, d == 0 ? v : 0); store<f32>(t0 + s, d == 1 ? v : 0, 4);
      store<f32>(t1 + s, d == W ? v : 0); store<f32>(t1 + s, d == W + 1 ? v : 0, 4);
    }
  }
  return true;
}

/**
 * gx = the scatter-add of gy at the flat indices idx, per plane. H, W, oH, oW: the planes' shapes;
 * when oH, oW = H/2, W/2 (rounded down) the 2×2 path (maxUnpool2x2) is tried first.
 */
export function maxPoolBackwardTask(tid: i32, nt: i32, planes: i32, H: i32, W: i32, oH: i32, oW: i32, gy: usize, idx: usize, gx: usize): void {
  const HW = H * W, oHW = oH * oW;
  const blocks = oH == H >> 1 && oW == W >> 1;
  for (let pl = tid; pl < planes; pl += nt) {
    const dst = gx + <usize>(pl * HW) * 4;
    if (blocks && maxUnpool2x2(H, W, oH, oW, gy + <usize>(pl * oHW) * 4, idx + <usize>(pl * oHW) * 4, dst)) continue;
    memory.fill(dst, 0, <usize>HW * 4);
    const base = <usize>(pl * oHW) * 4;
    for (let i = 0; i < oHW; i++) {
      const at = dst + <usize>load<i32>(idx + base + <usize>i * 4) * 4;
      store<f32>(at, load<f32>(at) + load<f32>(gy + base + <usize>i * 4));
    }
  }
}

// PyTorch's divisor: the window clipped to the padded input, or to the real input.
@inline function divisor(h0: i32, w0: i32, kH: i32, kW: i32, H: i32, W: i32, pH: i32, pW: i32, includePad: bool): f64 {
  const h1 = min(h0 + kH, H + pH), w1 = min(w0 + kW, W + pW);
  if (includePad) return <f64>((h1 - h0) * (w1 - w0));
  return <f64>((min(h1, H) - max(h0, 0)) * (min(w1, W) - max(w0, 0)));
}

@inline function is2x2(kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, H: i32, W: i32, oH: i32, oW: i32): bool {
  return kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && dH == 1 && dW == 1 && 2 * oH <= H && 2 * oW <= W;
}

// 2×2 averages as the reference computes them: ((a + b) + c) + d in f64, divided by 4, rounded once.
function avgPool2x2(pl: i32, H: i32, W: i32, oH: i32, oW: i32, oh0: i32, oh1: i32, x: usize, out: usize): void {
  const xp = x + <usize>(pl * H * W) * 4;
  const op = out + <usize>(pl * oH * oW) * 4;
  const q = f64x2.splat(4);
  for (let oh = oh0; oh < oh1; oh++) {
    const t0 = xp + <usize>(2 * oh * W) * 4, t1 = t0 + <usize>W * 4;
    const o = op + <usize>(oh * oW) * 4;
    let ow = 0;
    for (; ow + 4 <= oW; ow += 4) {
      const s = <usize>(2 * ow) * 4;
      const r0a = v128.load(t0 + s), r0b = v128.load(t0 + s, 16), r1a = v128.load(t1 + s), r1b = v128.load(t1 + s, 16);
      // Window j's four values, de-interleaved: a = top-left, b = top-right, c, d = bottom.
      const a = v128.shuffle<f32>(r0a, r0b, 0, 2, 4, 6), b = v128.shuffle<f32>(r0a, r0b, 1, 3, 5, 7);
      const c = v128.shuffle<f32>(r1a, r1b, 0, 2, 4, 6), d = v128.shuffle<f32>(r1a, r1b, 1, 3, 5, 7);
      const lo = f64x2.div(f64x2.add(f64x2.add(f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)),
        f64x2.promote_low_f32x4(c)), f64x2.promote_low_f32x4(d)), q);
      const a2 = v128.shuffle<f32>(a, a, 2, 3, 0, 1), b2 = v128.shuffle<f32>(b, b, 2, 3, 0, 1);
      const c2 = v128.shuffle<f32>(c, c, 2, 3, 0, 1), d2 = v128.shuffle<f32>(d, d, 2, 3, 0, 1);
      const hi = f64x2.div(f64x2.add(f64x2.add(f64x2.add(f64x2.promote_low_f32x4(a2), f64x2.promote_low_f32x4(b2)),
        f64x2.promote_low_f32x4(c2)), f64x2.promote_low_f32x4(d2)), q);
      v128.store(o + <usize>ow * 4, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; ow < oW; ow++) {
      const s = <usize>(2 * ow) * 4;
      const v = (((<f64>load<f32>(t0 + s) + <f64>load<f32>(t0 + s, 4)) + <f64>load<f32>(t1 + s)) + <f64>load<f32>(t1 + s, 4)) / 4;
      store<f32>(o + <usize>ow * 4, <f32>v);
    }
  }
}

// Its adjoint: each input of a window gets gy/4 (exact in f32 as in f64: a power of two).
function avgPool2x2Backward(pl: i32, H: i32, W: i32, oH: i32, oW: i32, gy: usize, gx: usize): void {
  const gp = gx + <usize>(pl * H * W) * 4;
  // Rows and columns past 2·oH, 2·oW belong to no window.
  if (2 * oH != H || 2 * oW != W) memory.fill(gp, 0, <usize>(H * W) * 4);
  const src = gy + <usize>(pl * oH * oW) * 4;
  const q = f32x4.splat(0.25);
  for (let oh = 0; oh < oH; oh++) {
    const t0 = gp + <usize>(2 * oh * W) * 4, t1 = t0 + <usize>W * 4;
    const g = src + <usize>(oh * oW) * 4;
    let ow = 0;
    for (; ow + 4 <= oW; ow += 4) {
      const v = f32x4.mul(v128.load(g + <usize>ow * 4), q);
      const lo = v128.shuffle<f32>(v, v, 0, 0, 1, 1), hi = v128.shuffle<f32>(v, v, 2, 2, 3, 3);
      const s = <usize>(2 * ow) * 4;
      v128.store(t0 + s, lo); v128.store(t0 + s, hi, 16);
      v128.store(t1 + s, lo); v128.store(t1 + s, hi, 16);
    }
    for (; ow < oW; ow++) {
      const v = load<f32>(g + <usize>ow * 4) * 0.25;
      const s = <usize>(2 * ow) * 4;
      store<f32>(t0 + s, v); store<f32>(t0 + s, v, 4);
      store<f32>(t1 + s, v); store<f32>(t1 + s, v, 4);
    }
  }
}

/** One output of a general average window: the sum of its in-input elements in f64, over PyTorch's divisor, rounded once. */
function avgOne(xp: usize, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool, o: usize): void {
  let s: f64 = 0;
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const w = ow * sW - pW + kw * dW;
      if (w >= 0 && w < W) s += <f64>load<f32>(xp + <usize>(h * W + w) * 4);
    }
  }
  const d = divisor(oh * sH - pH, ow * sW - pW, kH, kW, H, W, pH, pW, includePad);
  store<f32>(o, <f32>(s / d));
}

/**
 * Outputs ow..ow+3 of row oh, all interior: avgOne's sums (same order, f64, two lanes per f64x2)
 * and divisor, which interior columns share (their windows' columns are all inside the input).
 */
function avgRow4(xp: usize, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool, o: usize): void {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const v = columns4(xp + <usize>(h * W + ow * sW - pW + kw * dW) * 4, sW);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
    }
  }
  const d = f64x2.splat(divisor(oh * sH - pH, ow * sW - pW, kH, kW, H, W, pH, pW, includePad));
  v128.store(o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(lo, d)), f32x4.demote_f64x2_zero(f64x2.div(hi, d)), 0, 1, 4, 5));
}

/** Average pooling of share tid of nt over planes × `bands` bands of output rows, as maxPoolTask. */
export function avgPoolTask(
  tid: i32, nt: i32, planes: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool, x: usize, out: usize, bands: i32,
): void {
  const fast = is2x2(kH, kW, sH, sW, pH, pW, dH, dW, H, W, oH, oW);
  // The shared divisor needs undilated columns (average pooling has no dilation anyway).
  const lo = sW <= 2 && dW == 1 ? interiorLo(sW, pW) : oW, hi = interiorHi(W, oW, kW, sW, pW, dW);
  for (let u = tid; u < planes * bands; u += nt) {
    const pl = u / bands, oh0 = bandRow(u % bands, bands, oH), oh1 = bandRow(u % bands + 1, bands, oH);
    if (fast) {
      avgPool2x2(pl, H, W, oH, oW, oh0, oh1, x, out);
      continue;
    }
    const xp = x + <usize>(pl * H * W) * 4;
    const op = out + <usize>(pl * oH * oW) * 4;
    for (let oh = oh0; oh < oh1; oh++) {
      for (let ow = 0; ow < oW; ) {
        const o = op + <usize>(oh * oW + ow) * 4;
        if (ow >= lo && ow + 4 <= hi) {
          avgRow4(xp, H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, includePad, o);
          ow += 4;
        } else {
          avgOne(xp, H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, includePad, o);
          ow++;
        }
      }
    }
  }
}

/** avgOne's adjoint for one output: gy / divisor (rounded once, as the reference) added to each in-input element of its window. */
function avgBackOne(xp: usize, g: f32, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool): void {
  const d = divisor(oh * sH - pH, ow * sW - pW, kH, kW, H, W, pH, pW, includePad);
  const v = <f32>(<f64>g / d);
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const w = ow * sW - pW + kw * dW;
      if (w >= 0 && w < W) {
        const p = xp + <usize>(h * W + w) * 4;
        store<f32>(p, load<f32>(p) + v);
      }
    }
  }
}

/**
 * avgBackOne for the interior outputs ow..ow+3 of row oh (shared divisor): each window column is one
 * 4-float read-modify-write (stride 1) or the even lanes of 8 (stride 2; the odd lanes get + 0, and
 * the caller keeps the 8th float inside the row, so no other thread's plane is touched). Overlapping
 * windows add in another order than the scalar loop: equal to float32 rounding, not bitwise.
 */
function avgBackRow4(xp: usize, g: usize, H: i32, W: i32, oh: i32, ow: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool): void {
  const d = f64x2.splat(divisor(oh * sH - pH, ow * sW - pW, kH, kW, H, W, pH, pW, includePad));
  const gv = v128.load(g);
  const lo = f64x2.div(f64x2.promote_low_f32x4(gv), d), hi = f64x2.div(f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1)), d);
  const v = v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
  const z = f32x4.splat(0);
  const va = v128.shuffle<f32>(v, z, 0, 4, 1, 4), vb = v128.shuffle<f32>(v, z, 2, 4, 3, 4);
  for (let kh = 0; kh < kH; kh++) {
    const h = oh * sH - pH + kh * dH;
    if (h < 0 || h >= H) continue;
    for (let kw = 0; kw < kW; kw++) {
      const p = xp + <usize>(h * W + ow * sW - pW + kw * dW) * 4;
      if (sW == 1) {
        v128.store(p, f32x4.add(v128.load(p), v));
      } else {
        v128.store(p, f32x4.add(v128.load(p), va));
        v128.store(p, f32x4.add(v128.load(p, 16), vb), 16);
      }
    }
  }
}

export function avgPoolBackwardTask(
  tid: i32, nt: i32, planes: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, includePad: bool, gy: usize, gx: usize,
): void {
  const fast = is2x2(kH, kW, sH, sW, pH, pW, dH, dW, H, W, oH, oW);
  // As avgPoolTask's interior, and with stride 2 one more column inside the row (the 8th float).
  const lo = sW <= 2 && dW == 1 ? interiorLo(sW, pW) : oW, hi = interiorHi(sW == 2 ? W - 1 : W, oW, kW, sW, pW, dW);
  for (let pl = tid; pl < planes; pl += nt) {
    if (fast) {
      avgPool2x2Backward(pl, H, W, oH, oW, gy, gx);
      continue;
    }
    const xp = gx + <usize>(pl * H * W) * 4;
    memory.fill(xp, 0, <usize>(H * W) * 4);
    const gp = gy + <usize>(pl * oH * oW) * 4;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ) {
        const g = gp + <usize>(oh * oW + ow) * 4;
        if (ow >= lo && ow + 4 <= hi) {
          avgBackRow4(xp, g, H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, includePad);
          ow += 4;
        } else {
          avgBackOne(xp, load<f32>(g), H, W, oh, ow, kH, kW, sH, sW, pH, pW, dH, dW, includePad);
          ow++;
        }
      }
    }
  }
}
