/**
 * The fused ops equal their unfused compositions: linear vs matmul(x, wᵀ) + b, ReLU's one-kernel
 * backward vs where(y > 0, g, 0), cross-entropy on logits vs logSoftmax → pick → neg. On the js
 * backend (float64 and float32), and the wasm backend on 1 and 2 threads; odd sizes; contiguous,
 * transposed, sliced and broadcast inputs. PyTorch values and float64 gradchecks of the same ops are
 * in the op table (test/optable-fused-dense.ts).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  type DType, type Tensor, Generator, getBackend, grad, linear, linearRelu, nn, randint, randn, relu, setBackend, setNumThreads, softmaxCrossEntropy,
  tensor, where, getNumThreads,
} from "../src/index.js";
import { poolStats } from "../src/backend/wasm/index.js";
import { PAR_FLOPS } from "../src/backend/wasm/thresholds.js";

type Layout = "contiguous" | "transposed" | "sliced" | "broadcast";
const LAYOUTS: readonly Layout[] = ["contiguous", "transposed", "sliced", "broadcast"];

/** A [rows, cols] tensor with the given layout, as a view of a leaf that requires grad (the leaf is returned too). */
function input(g: Generator, rows: number, cols: number, layout: Layout, dtype: DType): { leaf: Tensor; x: Tensor } {
  const opts = { generator: g, dtype };
  let leaf: Tensor;
  let x: (l: Tensor) => Tensor;
  if (layout === "contiguous") [leaf, x] = [randn([rows, cols], opts), (l) => l];
  else if (layout === "transposed") [leaf, x] = [randn([cols, rows], opts), (l) => l.t()];
  else if (layout === "sliced") [leaf, x] = [randn([rows, 2 * cols + 1], opts), (l) => l.slice(1, 1, 2 * cols + 1, 2)];
  else [leaf, x] = [randn([1, cols], opts), (l) => l.expand([rows, cols])];
  leaf.requiresGrad_();
  return { leaf, x: x(leaf) };
}

function close(a: Tensor, b: Tensor, what: string, rtol: number, atol: number): void {
  assert.deepEqual([...a.shape], [...b.shape], `${what}: shape`);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) assert.fail(`${what}: element ${i} is ${x[i]}, expected ${y[i]}`);
  }
}

function bitwise(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${what}: shape`);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], y[i])) assert.fail(`${what}: element ${i} is ${x[i]}, unfused gives ${y[i]}`);
  }
}

/** Gradients of sum(out ⊙ weights) with respect to `wrt`, for fixed pseudo-random weights. */
function grads(out: Tensor, wrt: Tensor[]): Tensor[] {
  const w = randn(out.shape, { generator: new Generator(99), dtype: out.dtype });
  return grad([out.mul(w).sum()], wrt, { retainGraph: true }) as Tensor[];
}

const CONFIGS: ReadonlyArray<{ backend: "js" | "wasm"; threads: number; dtype: DType }> = [
  { backend: "js", threads: 1, dtype: "float64" },
  { backend: "js", threads: 1, dtype: "float32" },
  { backend: "wasm", threads: 1, dtype: "float32" },
  { backend: "wasm", threads: 2, dtype: "float32" },
];
// [M, K, N]: odd sizes, a 1000+ inner dimension, and a big one: on wasm the GEMM's large-matrix path,
// past PAR_FLOPS multiply-adds so that 2 threads split it (256·1000·65 stayed on one); on js, whose matmul is one loop nest for every size, only sizes past the recycling
// pool's 64 KiB minimum add a path (every operand and gradient pooled, 129·129·131), at an eighth of
// the cost (the js configs took most of this file's time).
const SIZES = [[1, 1, 1], [3, 7, 17], [65, 17, 3], [7, 1031, 5], [1031, 3, 7]];
const WASM_BIG = [256, 1031, 257];
assert.ok(WASM_BIG[0] * WASM_BIG[1] * WASM_BIG[2] >= PAR_FLOPS, "ops-fused-dense: the wasm size meant for 2 threads is under the threading threshold");
const LINEAR_SIZES = { js: [...SIZES, [129, 129, 131]], wasm: [...SIZES, WASM_BIG] };

const before = getBackend();
const threadsBefore = getNumThreads();
after(() => {
  setBackend(before);
  setNumThreads(threadsBefore);
});

for (const c of CONFIGS) {
  const label = `${c.backend}, ${c.threads} thread${c.threads > 1 ? "s" : ""}, ${c.dtype}`;
  const use = () => {
    setBackend(c.backend);
    setNumThreads(c.threads);
  };
  const tol = c.dtype === "float64" ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 2e-5, atol: 2e-5 };

  describe(`fused ops (${label})`, () => {
    it("linear equals matmul(x, wᵀ) + b bitwise, and its gradients equal the composition's", () => {
      use();
      const g = new Generator(1);
      for (const [M, K, N] of LINEAR_SIZES[c.backend]) {
        for (const xl of LAYOUTS) {
          for (const wl of ["contiguous", "transposed", "sliced"] as const) {
            const { leaf: xLeaf, x } = input(g, M, K, xl, c.dtype);
            const { leaf: wLeaf, x: w } = input(g, N, K, wl, c.dtype);
            const b = randn([N], { generator: g, dtype: c.dtype }).requiresGrad_();
            const what = `[${M},${K},${N}] x ${xl}, w ${wl}`;
            const jobs = poolStats().jobs;
            const fused = linear(x, w, b), unfused = x.matmul(w.t()).add(b);
            // The large size is offered to the helper threads on 2 threads (the path this config is for).
            if (c.threads > 1 && M === WASM_BIG[0] && K === WASM_BIG[1]) assert.ok(poolStats().jobs > jobs, `${what}: linear ran on one thread`);
            bitwise(fused, unfused, `${what}: forward`);
            const gf = grads(fused, [xLeaf, wLeaf, b]), gu = grads(unfused, [xLeaf, wLeaf, b]);
            // The sums run over the same terms in another order (gᵀ·x vs (xᵀ·g)ᵀ), hence a tolerance scaled by M.
            const s = Math.sqrt(M) * 4;
            gf.forEach((t, i) => close(t, gu[i], `${what}: gradient ${["x", "w", "b"][i]}`, tol.rtol * s, tol.atol * s));
          }
        }
      }
    });

    it("linearRelu equals relu(linear(x, w, b)) bitwise, forward and every gradient, with and without bias", () => {
      use();
      const g = new Generator(5);
      for (const [M, K, N] of LINEAR_SIZES[c.backend]) {
        for (const xl of LAYOUTS) {
          for (const wl of ["contiguous", "transposed", "sliced"] as const) {
            const { leaf: xLeaf, x } = input(g, M, K, xl, c.dtype);
            const { leaf: wLeaf, x: w } = input(g, N, K, wl, c.dtype);
            const b = xl === "sliced" ? null : randn([N], { generator: g, dtype: c.dtype }).requiresGrad_();
            const what = `[${M},${K},${N}] x ${xl}, w ${wl}${b ? "" : ", no bias"}`;
            const fused = linearRelu(x, w, b), unfused = relu(linear(x, w, b));
            bitwise(fused, unfused, `${what}: forward`);
            assert.ok(fused.data().some((v) => v === 0) || M * N < 4, `${what}: some outputs are masked`);
            const wrt = b ? [xLeaf, wLeaf, b] : [xLeaf, wLeaf];
            // A dense upstream gradient, and a broadcast one (what sum() hands back).
            const gf = grads(fused, wrt), gu = grads(unfused, wrt);
            gf.forEach((t, i) => bitwise(t, gu[i], `${what}: gradient ${["x", "w", "b"][i]}`));
            const sf = grad([fused.sum()], wrt, { retainGraph: true }) as Tensor[], su = grad([unfused.sum()], wrt, { retainGraph: true }) as Tensor[];
            sf.forEach((t, i) => bitwise(t, su[i], `${what}: gradient of the sum, ${["x", "w", "b"][i]}`));
          }
        }
      }
    });

    it("nn.Sequential runs Linear → ReLU as linearRelu, with the layer-by-layer values and gradients", () => {
      use();
      const gen = new Generator(6);
      const net = new nn.Sequential(
        new nn.Linear(13, 9, { generator: gen, dtype: c.dtype }), new nn.ReLU(),
        new nn.Linear(9, 5, { generator: gen, dtype: c.dtype }), new nn.ReLU(), new nn.Linear(5, 3, { generator: gen, dtype: c.dtype }),
      );
      const x = randn([4, 13], { generator: gen, dtype: c.dtype });
      const fused = net.call(x);
      const names: string[] = [];
      for (let f = fused.gradFn; f; f = (f.edges.find((e) => e && !(e as Tensor).shape) as typeof f) ?? null) names.push(f.name);
      assert.deepEqual(names, ["linear", "linearRelu", "linearRelu"]);
      let ref = x;
      for (const m of net) ref = (m as nn.Module<[Tensor], Tensor>).forward(ref);
      bitwise(fused, ref, "Sequential forward");
      const ps = net.parameters();
      const gf = grad([fused.sum()], ps) as Tensor[], gr = grad([ref.sum()], ps) as Tensor[];
      gf.forEach((t, i) => bitwise(t, gr[i], `Sequential gradient ${i}`));
    });

    it("linear's weight gradient is a fresh contiguous tensor in w's layout", () => {
      use();
      const g = new Generator(2);
      const x = randn([5, 3], { generator: g, dtype: c.dtype }), w = randn([4, 3], { generator: g, dtype: c.dtype }).requiresGrad_();
      const [gw] = grads(linear(x, w), [w]);
      assert.deepEqual([...gw.shape], [4, 3]);
      assert.equal(gw.isContiguous(), true);
    });

    it("ReLU's one-kernel backward equals where(y > 0, g, 0), +0 where masked even for an infinite or NaN gradient", () => {
      use();
      const g = new Generator(3);
      for (const n of [1, 3, 7, 17, 65, 1031, 70000]) {
        for (const layout of LAYOUTS) {
          const { leaf, x } = input(g, n > 1000 ? 7 : 1, n > 1000 ? Math.ceil(n / 7) : n, layout, c.dtype);
          const y = relu(x);
          const gy = randn(y.shape, { generator: g, dtype: c.dtype });
          const [gx] = grad([y], [leaf], { gradOutputs: [gy], retainGraph: true }) as Tensor[];
          const ref = grad([x.mul(1)], [leaf], { gradOutputs: [where(x.detach().gt(0), gy, 0)] })[0]!;
          bitwise(gx, ref, `relu backward, ${n} ${layout}`);
        }
      }
      const x = tensor([-1, 0, 2, -3, 5, -0], { dtype: c.dtype }).requiresGrad_();
      const gy = tensor([Infinity, NaN, 1, -Infinity, NaN, -2], { dtype: c.dtype });
      const [gx] = grad([relu(x)], [x], { gradOutputs: [gy] }) as Tensor[];
      bitwise(gx, tensor([0, 0, 1, 0, NaN, 0], { dtype: c.dtype }), "masked gradients are +0");
    });

    it("cross-entropy on logits equals logSoftmax → pick → neg, forward and gradient, with ignored rows", () => {
      use();
      const g = new Generator(4);
      for (const [N, C] of [[1, 1], [3, 7], [65, 17], [7, 1031], [1031, 3]]) {
        for (const layout of LAYOUTS) {
          const { leaf, x } = input(g, N, C, layout, c.dtype);
          const t = randint(0, C, [N], { generator: g, dtype: "int32" });
          const ignore = C > 1 ? 1 : -100;
          const fused = softmaxCrossEntropy(x, t, ignore);
          const keep = t.ne(ignore);
          const picked = x.logSoftmax(1).gather(1, where(keep, t, 0).unsqueeze(1)).squeeze(1).neg();
          const unfused = picked.mul(keep.to(c.dtype));
          const what = `[${N},${C}] ${layout}`;
          close(fused, unfused, `${what}: forward`, tol.rtol * 4, tol.atol * 4);
          const [gf] = grads(fused, [leaf]), [gu] = grads(unfused, [leaf]);
          close(gf, gu, `${what}: gradient`, tol.rtol * 4, tol.atol * 4);
          // Through nn.functional.crossEntropy's mean over the kept rows.
          const mean = nn.functional.crossEntropy(x, t, { ignoreIndex: ignore });
          const kept = keep.sum().item();
          close(mean, unfused.sum().div(kept), `${what}: mean`, tol.rtol * 4, tol.atol * 4);
        }
      }
    });
  });
}

describe("fused ops: bad input names the op", () => {
  it("softmaxCrossEntropy rejects a bad target shape, dtype or class index", () => {
    const x = randn([3, 4]);
    assert.throws(() => softmaxCrossEntropy(x, tensor([0, 1], { dtype: "int32" })), /softmaxCrossEntropy: target must be int64 \(or int32\) class indices of shape \[3\], got int32 \[2\]/);
    assert.throws(() => softmaxCrossEntropy(x, tensor([0, 1, 2])), /softmaxCrossEntropy: target must be int64 \(or int32\) class indices of shape \[3\], got float32/);
    assert.throws(() => softmaxCrossEntropy(x, tensor([0, 4, 1], { dtype: "int32" })), /softmaxCrossEntropy: target class index 4 is out of range for 4 classes/);
    assert.throws(() => softmaxCrossEntropy(randn([3]), tensor([0, 1, 2], { dtype: "int32" })), /softmaxCrossEntropy: logits must be a floating-point \[N,C\] tensor/);
  });

  it("linear rejects a weight that is not 2-D and an input of the wrong width", () => {
    assert.throws(() => linear(randn([2, 3]), randn([3])), /linear: weight must be \[outFeatures, inFeatures\], got \[3\]/);
    assert.throws(() => linear(randn([2, 5]), randn([4, 3])), /linear: input \[2,5\] has 5 features in its last dim, but the weight \[4,3\] expects 3/);
  });
});
