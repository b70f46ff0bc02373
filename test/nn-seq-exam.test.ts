// The exam's facts about sequence models (Problems 1.2 and 1.3), as tests that can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, randn, rand, zeros, manualSeed, noGrad, indexSelect, tensor, type Tensor } from "../src/index.js";
import { assertClose } from "./nn-seq-util.js";

const count = (m: nn.Module<never[], unknown>): number => m.parameters().reduce((s, p) => s + p.numel(), 0);

test("an RNN reuses one set of weights at every step: same parameters for any sequence length", () => {
  manualSeed(0);
  const I = 3, H = 5;
  const lstm = new nn.LSTM(I, H);
  // 4 gates, each with W_ih [H,I], W_hh [H,H], b_ih [H], b_hh [H]: no factor of T anywhere.
  assert.equal(count(lstm), 4 * (H * I + H * H + 2 * H));
  const before = count(lstm);
  for (const T of [1, 2, 7, 30]) {
    const [y, [h]] = lstm.forward(randn([T, 2, I]));
    assert.deepEqual(y.shape, [T, 2, H]);
    assert.deepEqual(h.shape, [1, 2, H]);
  }
  assert.equal(count(lstm), before, "processing longer sequences created no new weights");
  assert.equal(count(new nn.RNN(I, H)), H * I + H * H + 2 * H);
  assert.equal(count(new nn.GRU(I, H)), 3 * (H * I + H * H + 2 * H));

  // Unrolling by hand with ONE cell that holds the layer's weights gives the layer's output at every step.
  const cell = new nn.LSTMCell(I, H);
  const sd = lstm.stateDict();
  cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
  const x = randn([6, 2, I]);
  const [y] = lstm.forward(x);
  let state: [Tensor, Tensor] = [zeros([2, H]), zeros([2, H])];
  for (let t = 0; t < 6; t++) {
    state = cell.forward(x.select(0, t), state);
    assertClose(state[0], y.select(0, t), 1e-6, `step ${t}`);
  }
});

test("the hidden state carries information across time: the last output depends on the first input", () => {
  manualSeed(1);
  for (const m of [new nn.RNN(2, 4), new nn.LSTM(2, 4), new nn.GRU(2, 4)]) {
    const x = randn([8, 1, 2], { requiresGrad: true });
    const out = (m.forward(x) as [Tensor, unknown])[0];
    out.select(0, 7).sum().backward();
    const g = x.grad!;
    const first = g.select(0, 0).abs().sum().item();
    assert.ok(first > 1e-6, `${m.constructor.name}: d out[T-1] / d x[0] = ${first} must be nonzero`);
    // ...and an output never depends on the future (causality of a unidirectional RNN).
    x.grad = null;
    (m.forward(x) as [Tensor, unknown])[0].select(0, 0).sum().backward();
    assert.equal(x.grad!.narrow(0, 1, 7).abs().sum().item(), 0, `${m.constructor.name}: out[0] must not depend on x[1..]`);
  }
  // A bidirectional layer's reverse half at t = 0 does see the last input.
  const bi = new nn.GRU(2, 3, { bidirectional: true });
  const x = randn([5, 1, 2], { requiresGrad: true });
  bi.forward(x)[0].select(0, 0).narrow(-1, 3, 3).sum().backward();
  assert.ok(x.grad!.select(0, 4).abs().sum().item() > 1e-6);
});

test("variable lengths: padding changes nothing; outputs past a sequence's end are zero", () => {
  manualSeed(2);
  const m = new nn.LSTM(2, 3, { bidirectional: true, batchFirst: true });
  const long = randn([1, 5, 2]);
  const short = long.narrow(1, 0, 3);
  const padded = long.clone();
  const [yS, [hS, cS]] = m.forward(short);
  const [yP, [hP, cP]] = m.forward(padded, null, { lengths: tensor([3], { dtype: "int32" }) });
  assertClose(yP.narrow(1, 0, 3), yS, 1e-6, "outputs of the valid steps");
  assert.equal(yP.narrow(1, 3, 2).abs().sum().item(), 0);
  assertClose(hP, hS, 1e-6, "h_n");
  assertClose(cP, cS, 1e-6, "c_n");
});

function permuteTokens(x: Tensor, perm: number[]): Tensor {
  return indexSelect(x, 0, tensor(perm, { dtype: "int32" }));
}

test("attention is permutation-equivariant: a Transformer encoder needs positional encoding to see order", () => {
  manualSeed(3);
  const d = 8, T = 5;
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(d, 2, { dimFeedforward: 16, dtype: "float64" }), 2).eval();
  const pos = new nn.PositionalEncoding(d, { maxLen: 16, dtype: "float64", batchFirst: false }).eval();
  const x = randn([T, 2, d], { dtype: "float64" });
  const perm = [3, 0, 4, 1, 2];
  noGrad(() => {
    // Without positions: permuting the tokens permutes the outputs the same way.
    assertClose(enc.forward(permuteTokens(x, perm)), permuteTokens(enc.forward(x), perm), 1e-12, "equivariance");
    // With positions: token order now matters.
    const a = enc.forward(pos.forward(permuteTokens(x, perm)));
    const b = permuteTokens(enc.forward(pos.forward(x)), perm);
    const diff = a.sub(b).abs().amax().item();
    assert.ok(diff > 1e-2, `with positional encoding the outputs must differ, max difference ${diff}`);
  });
});

test("PositionalEncoding is the sinusoid of 'Attention Is All You Need', stored as PyTorch's tutorial stores it", () => {
  const pe = new nn.PositionalEncoding(6, { maxLen: 10, dropout: 0, batchFirst: false });
  assert.deepEqual(pe.pe.shape, [10, 1, 6]);
  const v = pe.pe.data();
  for (const pos of [0, 1, 7]) {
    for (let i = 0; i < 3; i++) {
      const angle = pos / Math.pow(10000, (2 * i) / 6);
      assert.ok(Math.abs(v[pos * 6 + 2 * i] - Math.sin(angle)) < 1e-6);
      assert.ok(Math.abs(v[pos * 6 + 2 * i + 1] - Math.cos(angle)) < 1e-6);
    }
  }
  assert.deepEqual(Object.keys(pe.stateDict()), ["pe"]);
  assert.deepEqual(Object.keys(new nn.PositionalEncoding(6, { maxLen: 10, persistent: false, batchFirst: false }).stateDict()), []);
  const x = zeros([4, 2, 6]);
  assertClose(pe.forward(x).select(1, 1), pe.pe.narrow(0, 0, 4).squeeze(1), 0, "x + pe");
  const bf = new nn.PositionalEncoding(6, { maxLen: 10, dropout: 0, batchFirst: true });
  assertClose(bf.forward(zeros([2, 4, 6])).select(0, 1), pe.pe.narrow(0, 0, 4).squeeze(1), 0, "batchFirst");
  assert.throws(() => pe.forward(zeros([11, 1, 6])), /sequence length 11 exceeds maxLen 10/);
});

test("a tiny LSTM learns to sum a sequence (hand-written Adam loop)", () => {
  manualSeed(4);
  const T = 5, N = 32, H = 12;
  const lstm = new nn.LSTM(1, H);
  const head = new nn.Linear(H, 1);
  const params = [...lstm.parameters(), ...head.parameters()];
  const m = params.map((p) => zeros(p.shape)), v = params.map((p) => zeros(p.shape));
  const [lr, b1, b2, eps] = [0.02, 0.9, 0.999, 1e-8];
  const batch = (): [Tensor, Tensor] => {
    const x = rand([T, N, 1]).mul(2).sub(1);
    return [x, x.sum(0)]; // target [N, 1]
  };
  const lossOf = (x: Tensor, y: Tensor): Tensor => {
    const [, [h]] = lstm.forward(x);
    return head.forward(h.select(0, 0)).sub(y).square().mean();
  };
  const [x0, y0] = batch();
  const initial = noGrad(() => lossOf(x0, y0).item());
  for (let step = 1; step <= 200; step++) {
    const [x, y] = batch();
    for (const p of params) p.grad = null;
    lossOf(x, y).backward();
    noGrad(() => {
      params.forEach((p, i) => {
        const g = p.grad!;
        m[i].mul_(b1).add_(g.mul(1 - b1));
        v[i].mul_(b2).add_(g.square().mul(1 - b2));
        const mh = m[i].div(1 - b1 ** step), vh = v[i].div(1 - b2 ** step);
        p.sub_(mh.div(vh.sqrt().add(eps)).mul(lr));
      });
    });
  }
  const [xt, yt] = batch();
  const final = noGrad(() => lossOf(xt, yt).item());
  assert.ok(final < 0.01 && final < initial / 100, `loss ${initial.toFixed(3)} -> ${final.toFixed(4)}`);
});
