/**
 * The float64 kernels of eigh and the SVD, as LAPACK computes them (session 14; they replace cyclic and
 * one-sided Jacobi, about 10x slower at n = 256 and 100x slower than LAPACK: docs/linalg-and-shape.md):
 * - symmetric eigen: Householder tridiagonalization accumulating Q, then QL with implicit Wilkinson
 *   shifts on the tridiagonal matrix, each rotation applied to Q (EISPACK's tred2 + tql2, as
 *   LAPACK's sytrd + orgtr + steqr);
 * - SVD: Householder bidiagonalization accumulating U and V, then Golub-Kahan implicit-shift QR on the
 *   bidiagonal matrix (LINPACK's dsvdc, as LAPACK's gebrd + orgbr + bdsqr).
 * Both work on column-major copies, so the inner loops (a Householder column, a rotation of two
 * columns of Q, U or V) run over contiguous memory. Both scale the matrix by a power of two (exact)
 * so its largest entry is near 1 before starting, as LAPACK's drivers do: the convergence tests
 * compare with eps·|entries| and an absolute `tiny`, which would underflow (or stop early) at
 * 1e-300 and overflow at 1e300.
 */

/**
 * The power of two nearest 1/max|a| (1 for a zero matrix), an exact scale, as two factors: for a
 * subnormal max it is up to 2^1074, itself out of range, so values are multiplied (and divided) by
 * each factor in turn.
 */
function scaleOf(a: Float64Array): [number, number] {
  let mx = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > mx) mx = v; }
  if (mx === 0 || !Number.isFinite(mx)) return [1, 1];
  const e = Math.floor(Math.log2(mx)), half = Math.trunc(-e / 2);
  return [2 ** half, 2 ** (-e - half)];
}

/**
 * Eigenvalues (ascending) and eigenvectors (column j of the row-major n×n `v` for value j) of the
 * symmetric row-major n×n `a` (both triangles filled). NaN or infinite entries give all-NaN results,
 * as PyTorch's syevd.
 */
export function symmetricEigen(a: Float64Array, n: number, vectors = true): { w: Float64Array; v: Float64Array } {
  const w = new Float64Array(n), vOut = new Float64Array(n * n);
  if (n === 0) return { w, v: vOut };
  if (a.some((x) => !Number.isFinite(x))) return { w: w.fill(NaN), v: vOut.fill(NaN) };
  const [s1, s2] = scaleOf(a);
  // z[c * n + r] is EISPACK's V[r][c]: column-major, and a is symmetric, so a scaled copy is its own transpose.
  const z = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) z[i] = a[i] * s1 * s2;
  const d = new Float64Array(n), e = new Float64Array(n);
  tred2(z, d, e, n, vectors);
  tql2(z, d, e, n, vectors);
  if (vectors) reorthogonalize(z, n, n);
  // tql2 leaves the values unsorted; order them ascending, moving the vectors (columns of V = rows of z).
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  order.forEach((src, j) => {
    w[j] = d[src] / s1 / s2;
    if (vectors) for (let i = 0; i < n; i++) vOut[i * n + j] = z[src * n + i];
  });
  return { w, v: vOut };
}

/**
 * Householder reduction of the symmetric z (column-major V) to tridiagonal d (diagonal), e (e[i]:
 * subdiagonal i-1), z becoming Q; without `vectors` Q is not formed (the values are the same bits).
 */
function tred2(z: Float64Array, d: Float64Array, e: Float64Array, n: number, vectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = z[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = z[j * n + i - 1];
        z[j * n + i] = 0;
        z[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = A·u over the leading i×i block (its lower triangle: column j, rows j..i-1).
      for (let j = 0; j < i; j++) {
        f = d[j];
        const cj = j * n;
        z[i * n + j] = f;
        g = e[j] + z[cj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += z[cj + k] * d[k];
          e[k] += z[cj + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const cj = j * n;
        for (let k = j; k <= i - 1; k++) z[cj + k] -= f * e[k] + g * d[k];
        d[j] = z[cj + i - 1];
        z[cj + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!vectors) {
    // The diagonal of the reduced matrix, which the accumulation below would move to d.
    for (let j = 0; j < n; j++) d[j] = z[j * n + j];
    e[0] = 0;
    return;
  }
  // Accumulate the transformations into Q.
  for (let i = 0; i < n - 1; i++) {
    z[i * n + n - 1] = z[i * n + i];
    z[i * n + i] = 1;
    const h = d[i + 1];
    const ci1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = z[ci1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += z[ci1 + k] * z[cj + k];
        for (let k = 0; k <= i; k++) z[cj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) z[ci1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = z[j * n + n - 1];
    z[j * n + n - 1] = 0;
  }
  z[n * n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the columns of Q (rows of the column-major z). */
function tql2(z: Float64Array, d: Float64Array, e: Float64Array, n: number, vectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= eps * tst1)) m++;
    if (m > l) {
      // 30 iterations per value is LAPACK's steqr limit too; it is never reached on finite input.
      for (let iter = 0; iter < 30 * n; iter++) {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ci = i * n, ci1 = ci + n;
          if (vectors) for (let k = 0; k < n; k++) {
            const zk1 = z[ci1 + k], zk = z[ci + k];
            z[ci1 + k] = s * zk + c * zk1;
            z[ci + k] = c * zk - s * zk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** A thin SVD: u m×k, s (k, descending), v n×k, all row-major (column j is vector j), k = min(m, n). */
export interface Svd { u: Float64Array; s: Float64Array; v: Float64Array }

/**
 * The SVD of the row-major m×n `a` with m >= n: U m×n, S descending, V n×n. Throws PyTorch's error on
 * NaN or infinite entries (LAPACK's gesdd does not converge there, and PyTorch says so).
 */
export function golubKahanSvd(a: Float64Array, m: number, n: number, vectors = true): Svd {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new Error("linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values.");
  }
  const [s1, s2] = scaleOf(a);
  // Column-major copies: A[i][j] = A_[j * m + i], U[i][j] = U_[j * m + i], V[i][j] = V_[j * n + i].
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A[j * m + i] = a[i * n + j] * s1 * s2;
  const nu = n; // m >= n
  const s = new Float64Array(Math.min(m + 1, n)), e = new Float64Array(n), work = new Float64Array(m);
  const U = new Float64Array(vectors ? m * nu : 0), V = new Float64Array(vectors ? n * n : 0);
  const nct = Math.min(m - 1, n), nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      // The Householder vector of column k below the diagonal, s[k] the new diagonal entry.
      let nrm = 0;
      for (let i = k; i < m; i++) nrm = Math.hypot(nrm, A[ck + i]);
      if (nrm !== 0) {
        if (A[ck + k] < 0) nrm = -nrm;
        for (let i = k; i < m; i++) A[ck + i] /= nrm;
        A[ck + k] += 1;
      }
      s[k] = -nrm;
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += A[ck + i] * A[cj + i];
        t = -t / A[ck + k];
        for (let i = k; i < m; i++) A[cj + i] += t * A[ck + i];
      }
      e[j] = A[cj + k]; // row k, for the row transformation
    }
    if (k < nct && vectors) for (let i = k; i < m; i++) U[ck + i] = A[ck + i];
    if (k < nrt) {
      let nrm = 0;
      for (let i = k + 1; i < n; i++) nrm = Math.hypot(nrm, e[i]);
      if (nrm !== 0) {
        if (e[k + 1] < 0) nrm = -nrm;
        for (let i = k + 1; i < n; i++) e[i] /= nrm;
        e[k + 1] += 1;
      }
      e[k] = -nrm;
      if (k + 1 < m && e[k] !== 0) {
        for (let i = k + 1; i < m; i++) work[i] = 0;
        for (let j = k + 1; j < n; j++) {
          const cj = j * m, ej = e[j];
          for (let i = k + 1; i < m; i++) work[i] += ej * A[cj + i];
        }
        for (let j = k + 1; j < n; j++) {
          const cj = j * m, t = -e[j] / e[k + 1];
          for (let i = k + 1; i < m; i++) A[cj + i] += t * work[i];
        }
      }
      if (vectors) for (let i = k + 1; i < n; i++) V[k * n + i] = e[i];
    }
  }
  // The bidiagonal matrix of order p: diagonal s, superdiagonal e.
  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = A[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = A[(p - 1) * m + nrt];
  e[p - 1] = 0;
  if (!vectors) {
    // The values only (svdvals, matrixRank): no U and V to build or rotate, about 4x less work.
    bidiagonalQr(s, e, undefined, undefined, m, n, p);
    return { u: new Float64Array(0), s: s.map((x) => x / s1 / s2), v: new Float64Array(0) };
  }
  // U from its Householder vectors, last first.
  for (let j = nct; j < nu; j++) U[j * m + j] = 1;
  for (let k = nct - 1; k >= 0; k--) {
    const ck = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += U[ck + i] * U[cj + i];
        t = -t / U[ck + k];
        for (let i = k; i < m; i++) U[cj + i] += t * U[ck + i];
      }
      for (let i = k; i < m; i++) U[ck + i] = -U[ck + i];
      U[ck + k] += 1;
      for (let i = 0; i < k; i++) U[ck + i] = 0;
    } else {
      for (let i = 0; i < m; i++) U[ck + i] = 0;
      U[ck + k] = 1;
    }
  }
  // V likewise.
  for (let k = n - 1; k >= 0; k--) {
    const ck = k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * n;
        let t = 0;
        for (let i = k + 1; i < n; i++) t += V[ck + i] * V[cj + i];
        t = -t / V[ck + k + 1];
        for (let i = k + 1; i < n; i++) V[cj + i] += t * V[ck + i];
      }
    }
    for (let i = 0; i < n; i++) V[ck + i] = 0;
    V[ck + k] = 1;
  }
  bidiagonalQr(s, e, U, V, m, n, p);
  // The QR sweeps' rotations leave ||UᵀU - I|| growing with n (6e-14 at n = 256; LAPACK's
  // divide-and-conquer gesdd, PyTorch's, keeps 2e-15): one Newton-Schulz step, X <- X·(3I - XᵀX)/2,
  // squares that error, to the rounding of the step itself. eigh's Q gets the same (2e-14 -> 1e-15).
  reorthogonalize(U, m, n);
  reorthogonalize(V, n, n);
  const out: Svd = { u: new Float64Array(m * n), s: new Float64Array(n), v: new Float64Array(n * n) };
  for (let j = 0; j < n; j++) {
    out.s[j] = s[j] / s1 / s2;
    for (let i = 0; i < m; i++) out.u[i * n + j] = U[j * m + i];
    for (let i = 0; i < n; i++) out.v[i * n + j] = V[j * n + i];
  }
  return out;
}

/** One Newton-Schulz step on the column-major rows×cols x with nearly orthonormal columns: x <- x - x·(xᵀx - I)/2. */
function reorthogonalize(x: Float64Array, rows: number, cols: number): void {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      let d = 0;
      const ci = i * rows, cj = j * rows;
      for (let k = 0; k < rows; k++) d += x[ci + k] * x[cj + k];
      g[i * cols + j] = g[j * cols + i] = (d - (i === j ? 1 : 0)) / 2;
    }
  }
  const y = Float64Array.from(x);
  for (let j = 0; j < cols; j++) {
    const cj = j * rows;
    for (let i = 0; i < cols; i++) {
      const f = g[i * cols + j];
      if (f === 0) continue;
      const ci = i * rows;
      for (let k = 0; k < rows; k++) x[cj + k] -= f * y[ci + k];
    }
  }
}

/** Columns j and l of the column-major rows-row matrix x (if any) turned: (x_j, x_l) <- (c·x_j + s·x_l, -s·x_j + c·x_l). */
function rot(x: Float64Array | undefined, rows: number, j: number, l: number, c: number, s: number): void {
  if (!x) return;
  const cj = j * rows, cl = l * rows;
  for (let i = 0; i < rows; i++) {
    const xj = x[cj + i], xl = x[cl + i];
    x[cj + i] = c * xj + s * xl;
    x[cl + i] = -s * xj + c * xl;
  }
}

/** Golub-Kahan implicit-shift QR on the bidiagonal (s, e) of order p, rotating U's and V's columns; s ends non-negative, descending. */
function bidiagonalQr(s: Float64Array, e: Float64Array, U: Float64Array | undefined, V: Float64Array | undefined, m: number, n: number, p: number): void {
  const pp = p - 1;
  const eps = 2 ** -52, tiny = 2 ** -966;
  let iter = 0;
  while (p > 0) {
    // kase 1: s[p-1] and e[k-1] negligible, k < p (deflate); 2: s[k] negligible (split); 3: a QR step on
    // k..p-1; 4: e[p-2] negligible (s[p-1] converged).
    let k: number, kase: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j], f), cs = s[j] / t, sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        rot(V, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j], f), cs = s[j] / t, sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        rot(U, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      if (++iter > 75 * n) throw new Error("linalg.svd: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values");
      // The shift: the eigenvalue of the trailing 2×2 of BᵀB nearer its last diagonal entry.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale, spm1 = s[p - 2] / scale, epm1 = e[p - 2] / scale, sk = s[k] / scale, ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      // Chase the bulge down the bidiagonal.
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g), cs = f / t, sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        rot(V, n, j, j + 1, cs, sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (j < m - 1) rot(U, m, j, j + 1, cs, sn);
      }
      e[p - 2] = f;
    } else {
      // Converged: make s[k] non-negative, then move it down to its place in descending order.
      // (A zero value keeps its vectors, so the zero matrix gives U = V = I, LAPACK's and PyTorch's.)
      if (s[k] < 0) {
        s[k] = -s[k];
        if (V) for (let i = 0; i <= pp; i++) V[k * n + i] = -V[k * n + i];
      } else if (s[k] === 0) s[k] = 0; // not -0
      while (k < pp && s[k] < s[k + 1]) {
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        if (k < n - 1) swapColumns(V, n, k, k + 1);
        if (k < m - 1) swapColumns(U, m, k, k + 1);
        k++;
      }
      iter = 0;
      p--;
    }
  }
}

function swapColumns(x: Float64Array | undefined, rows: number, j: number, l: number): void {
  if (!x) return;
  for (let i = 0; i < rows; i++) {
    const t = x[j * rows + i];
    x[j * rows + i] = x[l * rows + i];
    x[l * rows + i] = t;
  }
}
