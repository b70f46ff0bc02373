// Session 12 (helper fixes): indexAdd with a source of lower rank or size-1 slices, as PyTorch 1.13
// (index_func_meta_impl and index_add_cpu_out in ATen): index.numel() must equal source.size(dim) (1
// for a 0-d source); for an input of 2+ dims each slice source.select(dim, i) broadcasts to the input's
// slice; a 0-/1-D input takes a 0-/1-D source; the dtypes must match. PyTorch's backward
// (grad.index_select(dim, index).expand_as(source)) fails for a broadcast source, and so does ours.
// Expected values are PyTorch's, from the torch call in the comment beside each.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as dt from "../src/index.js";
import { indexAdd } from "../src/ops/indexing.js";
import { getBackend, setBackend } from "../src/backend/index.js";
import { throwsWith } from "./throws-with.js";

const long = (v: unknown): dt.Tensor => dt.tensor(v as number[], { dtype: "int64" });

function onBothBackends(f: () => void): void {
  for (const b of ["js", "wasm"]) {
    const before = getBackend();
    setBackend(b);
    try {
      f();
    } finally {
      setBackend(before);
    }
  }
}

test("indexAdd broadcasts each source slice to the input's slice, on both backends", () => {
  onBothBackends(() => {
    // torch.index_add(torch.ones(3,4), 0, torch.tensor([1]), torch.tensor([5.]))
    assert.deepEqual(indexAdd(dt.ones([3, 4]), 0, long([1]), dt.tensor([5])).tolist(), [[1, 1, 1, 1], [6, 6, 6, 6], [1, 1, 1, 1]]);
    // torch.index_add(torch.ones(3,4), 0, torch.tensor([1]), torch.ones(1,1))
    assert.deepEqual(indexAdd(dt.ones([3, 4]), 0, long([1]), dt.ones([1, 1])).tolist(), [[1, 1, 1, 1], [2, 2, 2, 2], [1, 1, 1, 1]]);
    // torch.index_add(torch.zeros(3,4,5), 1, torch.tensor([1,3]), torch.arange(10.).reshape(5,2)):
    // source[:, i] (shape [5]) is broadcast over the input's slice [3, 5].
    const row1 = [0, 2, 4, 6, 8], row3 = [1, 3, 5, 7, 9], z = [0, 0, 0, 0, 0];
    assert.deepEqual(indexAdd(dt.zeros([3, 4, 5]), 1, long([1, 3]), dt.arange(10).float().reshape([5, 2])).tolist(), [
      [z, row1, z, row3], [z, row1, z, row3], [z, row1, z, row3],
    ]);
    // A non-contiguous source: torch.index_add(torch.zeros(2,3,4), 2, torch.tensor([0,3,0]),
    //   torch.arange(6.).reshape(3,1,2).permute(2,1,0))
    const s = dt.arange(6).float().reshape([3, 1, 2]).permute([2, 1, 0]);
    assert.equal(s.isContiguous(), false);
    assert.deepEqual(indexAdd(dt.zeros([2, 3, 4]), 2, long([0, 3, 0]), s).tolist(), [
      [[4, 0, 0, 2], [4, 0, 0, 2], [4, 0, 0, 2]],
      [[6, 0, 0, 3], [6, 0, 0, 3], [6, 0, 0, 3]],
    ]);
    // torch.ones(3,4).index_add_(0, torch.tensor([2,0,2]), torch.tensor([[1.],[2.],[3.]]), alpha=2)
    assert.deepEqual(dt.ones([3, 4]).indexAdd_(0, long([2, 0, 2]), dt.tensor([[1], [2], [3]]), { alpha: 2 }).tolist(), [
      [5, 5, 5, 5], [1, 1, 1, 1], [9, 9, 9, 9],
    ]);
  });
});

test("indexAdd: a 1-D input takes a 0-d source (forward and gradient), as PyTorch", () => {
  // x = torch.zeros(3, requires_grad=True); s = torch.tensor(5., requires_grad=True)
  // y = torch.index_add(x, -1, torch.tensor(2), s); y.backward(torch.tensor([1., 2., 3.]))
  const x = dt.zeros([3], { requiresGrad: true });
  const s = dt.tensor(5, { requiresGrad: true });
  const y = indexAdd(x, -1, dt.tensor(2, { dtype: "int64" }), s);
  y.backward(dt.tensor([1, 2, 3]));
  assert.deepEqual(y.tolist(), [0, 0, 5]);
  assert.deepEqual(x.grad!.tolist(), [1, 2, 3]);
  assert.deepEqual(s.grad!.shape, []);
  assert.equal(s.grad!.item(), 3);
});

test("indexAdd with a broadcast source: the input's gradient flows, the source's is refused as PyTorch's", () => {
  // x = torch.zeros(3,4, requires_grad=True); torch.index_add(x, 0, torch.tensor([1]), torch.tensor([5.])).backward(g)
  const x = dt.zeros([3, 4], { requiresGrad: true });
  const g = dt.arange(12).float().reshape([3, 4]);
  indexAdd(x, 0, long([1]), dt.tensor([5])).backward(g);
  assert.deepEqual(x.grad!.tolist(), g.tolist());
  // With the source requiring grad, torch's backward fails in expand_as ("expand(torch.FloatTensor{[1, 4]},
  // size=[1]): the number of sizes provided (1) must be greater or equal ...").
  const src = dt.tensor([5], { requiresGrad: true });
  const y = indexAdd(dt.zeros([3, 4]), 0, long([1]), src);
  throwsWith(
    () => y.backward(g),
    "backward: indexAdd: the source of shape [1] was broadcast to [1,4], and PyTorch cannot differentiate that either; expand the source to [1,4] before indexAdd (src.expand(...)) to get its gradient",
  );
  // Expanded first, the gradient is the sum over the broadcast: g[1] summed = 4+5+6+7.
  const src2 = dt.tensor([5], { requiresGrad: true });
  indexAdd(dt.zeros([3, 4]), 0, long([1]), src2.expand([1, 4])).backward(g);
  assert.deepEqual(src2.grad!.tolist(), [22]);
});

test("indexAdd refuses what PyTorch refuses, naming itself", () => {
  const x = dt.zeros([3, 4]);
  // torch: "index_add_(): Number of indices (1) should be equal to source.size(dim): (4), for dim: 0"
  throwsWith(() => indexAdd(x, 0, long([1]), dt.ones([4])), "indexAdd: the index has 1 element but the source [4] has size 4 along dim 0; they must be equal");
  // torch: "index_add_(): Indexing dim 1 is out of bounds of the source tensor with dim 1"
  throwsWith(() => indexAdd(x, 1, long([1]), dt.ones([1])), "indexAdd: dim 1 is out of range for the source of shape [1] (1 dims); source needs a dim 1 of size 1");
  // torch: "select() cannot be applied to a 0-dim tensor."
  throwsWith(() => indexAdd(x, 0, long([1]), dt.tensor(5)), "indexAdd: a 0-d source cannot be added into the 2-D input [3,4]; give it shape [1,4]");
  // torch: "output with shape [4] doesn't match the broadcast shape [1, 4]"
  throwsWith(
    () => indexAdd(x, 0, long([1]), dt.ones([1, 1, 4])),
    "indexAdd: the source [1,1,4] does not fit the input [3,4]: its slices along dim 0 ([1,4]) must broadcast to the input's ([4]); give the source shape [1,4]",
  );
  // torch: "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1"
  throwsWith(
    () => indexAdd(dt.zeros([3, 4, 5]), 1, long([1]), dt.ones([4, 1])),
    "indexAdd: the source [4,1] does not fit the input [3,4,5]: its slices along dim 1 ([4]) must broadcast to the input's ([3,5]); give the source shape [3,1,5]",
  );
  // torch: "source.dim() (2) must one or zero for given self.dim() (1)"
  throwsWith(() => indexAdd(dt.zeros([3]), 0, long([1]), dt.ones([1, 1])), "indexAdd: a 1-D input takes a 0-d or 1-D source, got [1,1]");
  throwsWith(() => indexAdd(dt.zeros([]), 0, long([0]), dt.ones([1, 1])), "indexAdd: a 0-d input takes a 0-d or 1-D source, got [1,1]");
  // torch: "index_add_(): self (Float) and source (Double) must have the same scalar type"
  throwsWith(
    () => indexAdd(dt.zeros([3]), 0, long([1]), dt.ones([1], { dtype: "float64" })),
    'indexAdd: src is float64 but the input is float32; they must match (convert with src.to("float32"))',
  );
  // With no index PyTorch adds nothing and checks no slice shapes: torch.index_add(torch.zeros(3,4), 0,
  // torch.tensor([], dtype=torch.long), torch.ones(0,5)) is zeros(3,4).
  assert.deepEqual(indexAdd(x, 0, long([]), dt.ones([0, 5])).tolist(), x.tolist());
});

// torch.manual_seed(0); x = torch.randn(3, 19); src = torch.randn(4, 19)
const IA_X = [
  -1.1258398294448853, -1.152360200881958, -0.2505785822868347, -0.4338788092136383, 0.8487103581428528,
  0.6920091509819031, -0.31601276993751526, -2.1152193546295166, 0.32227492332458496, -1.2633347511291504,
  0.34998318552970886, 0.30813392996788025, 0.11984150856733322, 1.237657904624939, 1.1167771816253662,
  -0.2472781538963318, -1.3526537418365479, -1.6959311962127686, 0.5666506290435791, 0.7935083508491516,
  0.5988394618034363, -1.5550950765609741, -0.3413603901863098, 1.85300612449646, 0.750189483165741,
  -0.5854975581169128, -0.1733967512845993, 0.18347793817520142, 1.3893661499023438, 1.586334228515625,
  0.946298360824585, -0.843676745891571, -0.6135830879211426, 0.03159274160861969, -0.4926769733428955,
  0.2484147548675537, 0.4396958351135254, 0.11241118609905243, 0.6407923698425293, 0.441156268119812,
  -0.10230965167284012, -0.4503297507762909, -0.5730770826339722, -0.5553584098815918, 0.5943230390548706,
  1.5419425964355469, 0.5073344111442566, -0.5910331606864929, -0.5692480802536011, 0.1885535717010498,
  -0.06907268613576889, -0.4949253499507904, -1.4959149360656738, -0.19383712112903595, 0.44551217555999756,
  1.3252748250961304, -1.6293259859085083,
];
const IA_SRC = [
  2.0819554328918457, 1.7067116498947144, 2.3803675174713135, -1.1256016492843628, -0.31699809432029724,
  -1.09246826171875, -0.08519429713487625, -0.09334823489189148, -0.7607071995735168, -1.5990819931030273,
  0.018486667424440384, -0.7504268288612366, 0.18540798127651215, 0.621138334274292, 0.6381815671920776,
  -0.24600094556808472, -0.5344406962394714, 1.1686878204345703, 0.39450275897979736, 1.9414620399475098,
  0.791498064994812, -0.02025182731449604, -0.43716955184936523, 1.6458669900894165, -0.41267913579940796,
  0.966303288936615, 1.6247831583023071, -0.3656187951564789, -1.3024404048919678, 0.09940346330404282,
  0.44182202219963074, 0.24692639708518982, 1.1133184432983398, 0.2822672426700592, 0.4342256486415863,
  -0.8024929165840149, -1.295186161994934, -0.7501814961433411, -1.3119657039642334, -0.21883368492126465,
  -0.3334478735923767, -0.42882999777793884, 0.23291829228401184, 0.7968871593475342, -0.18484163284301758,
  -0.3701472580432892, -1.210281491279602, -0.6226984858512878, 1.0366867780685425, -0.6036701202392578,
  -1.2787652015686035, 0.0929502323269844, -0.6660997271537781, 0.6080471873283386, -0.7300198674201965,
  -0.8833757638931274, 0.659631073474884, 0.4765571057796478, -1.0163074731826782, 0.18036697804927826,
  0.38659775257110596, -0.20106391608715057, -0.11792698502540588, -0.8293668627738953, -1.4072566032409668,
  1.6268466711044312, 0.1722732037305832, -1.6115024089813232, 0.3147209584712982, 0.15739288926124573,
  0.3853627145290375, 0.5736545920372009, 0.9979313015937805, 0.5436094403266907, 0.0788043886423111,
  0.8628600835800171,
];
// torch.index_add(x, 0, torch.tensor([2, 0, 2, 2]), src, alpha=1.3): one fused multiply-add per entry, in order
const IA_OUT = [
  1.39806067943573, -0.12341275066137314, -0.27690595388412476, -1.0021991729736328, 2.988337278366089,
  0.1555262953042984, 0.9401814341545105, -0.0030013262294232845, -0.15302948653697968, -2.9565072059631348,
  0.47920769453048706, 0.882502555847168, 0.4408458173274994, 2.684971809387207, 1.483724594116211,
  0.3172151744365692, -2.3958945274353027, -3.3796732425689697, -0.4085852801799774, 0.7935083508491516,
  0.5988394618034363, -1.5550950765609741, -0.3413603901863098, 1.85300612449646, 0.750189483165741,
  -0.5854975581169128, -0.1733967512845993, 0.18347793817520142, 1.3893661499023438, 1.586334228515625,
  0.946298360824585, -0.843676745891571, -0.6135830879211426, 0.03159274160861969, -0.4926769733428955,
  0.2484147548675537, 0.4396958351135254, 0.11241118609905243, 2.261303186416626, 1.0541980266571045,
  2.7931628227233887, -1.9685137271881104, -0.9437639117240906, -1.092918872833252, -0.8349005579948425,
  -0.8900349736213684, 0.059949882328510284, -3.255392551422119, -1.292475700378418, -1.162635087966919,
  -1.285826325416565, 0.9343612790107727, -0.7864575982093811, 1.5741336345672607, -0.4915942847728729,
  1.798626184463501, 0.8627660870552063,
];

test("indexAdd with alpha rounds as PyTorch's fused multiply-add, once per index entry (functional, method, in place)", () => {
  const idx = long([2, 0, 2, 2]);
  const x = dt.tensor(IA_X).reshape([3, 19]), src = dt.tensor(IA_SRC).reshape([4, 19]);
  const exact = (t: dt.Tensor): void => {
    const got = [...t.data()], want = [...Float32Array.from(IA_OUT)];
    assert.deepEqual(got.flatMap((g, i) => (g === want[i] ? [] : [i])), []);
  };
  onBothBackends(() => {
    exact(indexAdd(x, 0, idx, src, { alpha: 1.3 }));
    exact(dt.indexAdd(x, 0, idx, src, { alpha: 1.3 }));
    exact(x.indexAdd(0, idx, src, { alpha: 1.3 }));
    exact(x.clone().indexAdd_(0, idx, src, { alpha: 1.3 }));
  });
  // The gradient is PyTorch's: src gets alpha * grad.index_select(0, idx); x gets grad.
  // x = torch.zeros(3, 2, requires_grad=True); s = torch.ones(2, 2, requires_grad=True)
  // torch.index_add(x, 0, torch.tensor([1, 1]), s, alpha=2.).backward(torch.tensor([[1., 2.], [3., 4.], [5., 6.]]))
  const xs = dt.zeros([3, 2], { requiresGrad: true }), s2 = dt.ones([2, 2], { requiresGrad: true });
  const y = dt.indexAdd(xs, 0, long([1, 1]), s2, { alpha: 2 });
  assert.deepEqual(y.tolist(), [[0, 0], [4, 4], [0, 0]]);
  y.backward(dt.tensor([[1, 2], [3, 4], [5, 6]]));
  assert.deepEqual(xs.grad!.tolist(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(s2.grad!.tolist(), [[6, 8], [6, 8]]);
  assert.equal(y.dtype, "float32");
});

test("scatter takes { reduce } like scatter_ and torch.scatter (the functional form had none)", () => {
  const x = dt.ones([3]), idx = long([0, 0, 2]), src = dt.tensor([2, 3, 4]);
  // torch.scatter(torch.ones(3), 0, torch.tensor([0, 0, 2]), torch.tensor([2., 3., 4.]), reduce='add') = [6, 1, 5]
  assert.deepEqual(dt.scatter(x, 0, idx, src, { reduce: "add" }).tolist(), [6, 1, 5]);
  assert.deepEqual(x.scatter(0, idx, src, { reduce: "add" }).tolist(), [6, 1, 5]);
  // torch.scatter(torch.ones(3), 0, torch.tensor([0, 0, 2]), 5., reduce='add') = [11, 1, 6]
  assert.deepEqual(dt.scatter(x, 0, idx, 5, { reduce: "add" }).tolist(), [11, 1, 6]);
  assert.deepEqual(x.tolist(), [1, 1, 1]);
  assert.deepEqual(x.clone().scatter_(0, idx, src, { reduce: "add" }).tolist(), [6, 1, 5]);
  // torch: "reduce argument must be either add or multiply."
  throwsWith(() => dt.scatter(x, 0, idx, src, { reduce: "sum" as never }), 'scatter: reduce must be "add" or "multiply" (PyTorch\'s choices), got "sum"');
  throwsWith(() => dt.scatter(x, 0, idx, src, { reduce: "multiply" }), 'scatter: reduce "multiply" is not supported; use reduce "add" (or scatterAdd), or compute the product out of place');
  throwsWith(() => dt.scatter(x, 0, idx, src, { reduced: "add" } as never), /^scatter: unknown option 'reduced'/);
});
