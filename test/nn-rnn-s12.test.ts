// Session 12 (helper fixes): recurrent layers over 0 input features and cells with 0 hidden units, as
// PyTorch 1.13 builds them (nn.GRU(0, 4), nn.LSTMCell(0, 4), nn.GRUCell(3, 0); nn.LSTM(3, 0) raises
// "proj_size has to be smaller than hidden_size"), and chunk/split of an empty dim, which a 0-unit cell's
// gates need (torch.zeros(2, 0).chunk(3, -1) is three [2, 0] parts). Expected values are PyTorch's, from
// the torch code in the comment beside each (torch.manual_seed(0) weights copied in as literals).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { throwsWith } from "./throws-with.js";

const { nn } = dt;
function close(actual: number[], expected: number[], tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol, `element ${i}: ${a} vs ${expected[i]}`));
}

test("nn.GRU(0, 2): built, run and differentiated as PyTorch's", () => {
  // torch.manual_seed(0); m = torch.nn.GRU(0, 2); o, h = m(torch.zeros(2, 1, 0)); o.sum().backward()
  const m = new nn.GRU(0, 2);
  assert.deepEqual(m.weight_ih_l0.shape, [6, 0]);
  m.loadStateDict({
    weight_ih_l0: dt.zeros([6, 0]),
    weight_hh_l0: dt.tensor([[-0.005293981172144413, 0.37932288646698], [-0.5819807648658752, -0.5203874707221985], [-0.27234524488449097, 0.1896158903837204],
      [-0.014010033570230007, 0.5606575012207031], [-0.06275151669979095, 0.1871093362569809], [-0.2136969119310379, -0.13899271190166473]]),
    bias_ih_l0: dt.tensor([-0.6755334138870239, -0.4683041572570801, -0.2914857566356659, 0.026193760335445404, 0.2795442044734955, 0.42428016662597656]),
    bias_hh_l0: dt.tensor([-0.47937673330307007, -0.3079187273979187, 0.2568332850933075, 0.5871729254722595, -0.14552269876003265, 0.5291363000869751]),
  });
  const [o, h] = m.call(dt.zeros([2, 1, 0]));
  assert.deepEqual(o.shape, [2, 1, 2]);
  close([...o.data()], [0.12203282117843628, 0.18640777468681335, 0.18431410193443298, 0.29144757986068726]);
  close([...h.data()], [0.18431410193443298, 0.29144757986068726]);
  o.sum().backward();
  assert.deepEqual(m.weight_ih_l0.grad!.shape, [6, 0]);
  close([...m.bias_ih_l0.grad!.data()], [-0.029294664040207863, 0.0702623501420021, -0.11849910020828247, -0.2668468952178955, 1.180229902267456, 0.6537174582481384]);
  close([...m.weight_hh_l0.grad!.data()], [-0.00130205147434026, -0.0019889117684215307, 0.0028651938773691654, 0.004376645665615797, -0.0037383537273854017,
    -0.0057104164734482765, -0.008610857650637627, -0.01315327174961567, 0.014725759625434875, 0.022493915632367134, 0.00834052823483944, 0.012740337289869785]);
});

test("nn.LSTMCell(0, 2) steps on its state alone, as PyTorch's", () => {
  // torch.manual_seed(0); torch.nn.GRU(0, 2); m = torch.nn.LSTMCell(0, 2)
  // m(torch.zeros(1, 0), (torch.tensor([[0.5, -1.]]), torch.tensor([[0.25, 2.]])))
  const m = new nn.LSTMCell(0, 2);
  m.loadStateDict({
    weight_ih: dt.zeros([8, 0]),
    weight_hh: dt.tensor([[-0.11397384107112885, 0.07482186704874039], [0.6402683854103088, -0.6559619903564453], [-0.4451505243778229, -0.17901486158370972],
      [-0.2756301760673523, 0.6109408140182495], [-0.45833221077919006, -0.32550448179244995], [-0.49401339888572693, -0.6622486114501953],
      [-0.41276684403419495, 0.6078276038169861], [0.31552404165267944, 0.34271523356437683]]),
    bias_ih: dt.tensor([0.0371878482401371, -0.3625219762325287, 0.11963163316249847, -0.6602218747138977, -0.5109314918518066, -0.36453473567962646, 0.44614049792289734, 0.4145916998386383]),
    bias_hh: dt.tensor([-0.3135983347892761, -0.02551409974694252, 0.45223769545555115, 0.7029582262039185, 0.28063806891441345, 0.09552507102489471, 0.4741054177284241, -0.41634613275527954]),
  });
  const [h, c] = m.call(dt.zeros([1, 0]), [dt.tensor([[0.5, -1]]), dt.tensor([[0.25, 2]])]);
  close([...h.data()], [0.05460794270038605, 0.2891760468482971]);
  close([...c.data()], [0.10409633815288544, 0.7543091177940369]);
});

test("cells with 0 hidden units give empty states; stacks refuse 0 hidden units as PyTorch", () => {
  // torch.nn.GRUCell(3, 0): weight_ih [0, 3], weight_hh [0, 0]; m(torch.ones(2, 3)) has shape [2, 0].
  const g = new nn.GRUCell(3, 0);
  assert.deepEqual(g.weight_ih.shape, [0, 3]);
  assert.deepEqual(g.weight_hh.shape, [0, 0]);
  assert.deepEqual(g.call(dt.ones([2, 3])).shape, [2, 0]);
  // torch.nn.LSTMCell(0, 0)(torch.zeros(5, 0)): two [5, 0] states; torch.nn.RNNCell(0, 0) the same.
  const [h, c] = new nn.LSTMCell(0, 0).call(dt.zeros([5, 0]));
  assert.deepEqual([h.shape, c.shape], [[5, 0], [5, 0]]);
  assert.deepEqual(new nn.RNNCell(0, 0).call(dt.zeros([5, 0])).shape, [5, 0]);
  // torch.nn.LSTM(3, 0) raises ValueError "proj_size has to be smaller than hidden_size".
  throwsWith(() => new nn.LSTM(3, 0), "LSTM: hiddenSize must be an integer >= 1, got 0");
  throwsWith(() => new nn.GRU(-1, 2), "GRU: inputSize must be an integer >= 0, got -1");
  throwsWith(() => new nn.GRUCell(2, -1), "GRUCell: hiddenSize must be an integer >= 0, got -1");
});

test("chunk and split of an empty dim give PyTorch's parts", () => {
  const shapes = (ts: dt.Tensor[]): number[][] => ts.map((t) => [...t.shape]);
  assert.deepEqual(shapes(dt.zeros([2, 0]).chunk(3, -1)), [[2, 0], [2, 0], [2, 0]]); // torch.zeros(2,0).chunk(3,-1)
  assert.deepEqual(shapes(dt.zeros([0, 3]).chunk(2, 0)), [[0, 3], [0, 3]]); // torch.zeros(0,3).chunk(2,0)
  assert.deepEqual(shapes(dt.zeros([0, 2]).split(2)), [[0, 2]]); // torch.zeros(0,2).split(2)
  assert.deepEqual(shapes(dt.zeros([0, 2]).split(0)), [[0, 2]]); // torch.zeros(0,2).split(0)
  // torch.zeros(3).split(0): "split_size can only be 0 if dimension size is 0, but got dimension size of 3"
  throwsWith(() => dt.zeros([3]).split(0), "split: size must be a positive integer (0 only for an empty dim), got 0 for dim 0 of size 3");
  assert.deepEqual(shapes(dt.zeros([5]).chunk(3)), [[2], [2], [1]]); // torch.zeros(5).chunk(3)
});

test("LayerNorm, GroupNorm and InstanceNorm over 0 features, as PyTorch builds and runs them", () => {
  // torch.nn.LayerNorm(0)(torch.zeros(3, 0)).shape == (3, 0); weight and bias have shape [0].
  const ln = new nn.LayerNorm(0);
  assert.deepEqual(ln.weight!.shape, [0]);
  assert.deepEqual(ln.call(dt.zeros([3, 0])).shape, [3, 0]);
  // torch.nn.LayerNorm([2, 0])(torch.zeros(3, 2, 0)).shape == (3, 2, 0)
  assert.deepEqual(new nn.LayerNorm([2, 0]).call(dt.zeros([3, 2, 0])).shape, [3, 2, 0]);
  // torch.nn.GroupNorm(1, 0)(torch.zeros(2, 0, 3)).shape == (2, 0, 3)
  assert.deepEqual(new nn.GroupNorm(1, 0).call(dt.zeros([2, 0, 3])).shape, [2, 0, 3]);
  // torch.nn.InstanceNorm1d(0)(torch.zeros(2, 0, 3)).shape == (2, 0, 3); with track_running_stats=True
  // torch's forward raises "select(): index 0 out of range for tensor of size [0]".
  assert.deepEqual(new nn.InstanceNorm1d(0).call(dt.zeros([2, 0, 3])).shape, [2, 0, 3]);
  throwsWith(() => new nn.InstanceNorm1d(0, { trackRunningStats: true }),
    "InstanceNorm1d: numFeatures must be >= 1 with trackRunningStats (PyTorch's forward fails on 0 features there), got 0");
  throwsWith(() => new nn.GroupNorm(0, 0), "GroupNorm: numGroups must be an integer >= 1, got 0");
  throwsWith(() => new nn.LayerNorm(-1), "LayerNorm: normalizedShape must be an integer >= 0, got -1");
});
