import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { nn, models, randn, randint, manualSeed, Tensor } from "../src/index.js";
import { pytorchModuleSource } from "../src/io/torch/describe.js";
import { exportPytorch } from "../src/io/torch/export.js";
import { loadWeights } from "../src/io/checkpoint.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test("exportPytorch: model.py builds the same layers with PyTorch's constructor arguments", () => {
  assert.equal(
    pytorchModuleSource(models.mnistCnn()),
    [
      "nn.Sequential(",
      "        nn.Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)),",
      "        nn.ReLU(),",
      "        nn.MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False),",
      "        nn.Conv2d(16, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)),",
      "        nn.ReLU(),",
      "        nn.MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False),",
      "        nn.Flatten(start_dim=1, end_dim=-1),",
      "        nn.Linear(in_features=1568, out_features=128, bias=True),",
      "        nn.ReLU(),",
      "        nn.Linear(in_features=128, out_features=10, bias=True),",
      "    )",
    ].join("\n"),
  );
  // Bare strings in PyTorch's printout are quoted; nested Sequentials nest.
  const src = pytorchModuleSource(new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: "same", bias: false }), new nn.Sequential(new nn.GELU("tanh"), new nn.Upsample({ scaleFactor: 2 }))));
  assert.match(src, /nn\.Conv2d\(2, 3, kernel_size=\(3, 3\), stride=\(1, 1\), padding='same', bias=False\)/);
  assert.match(src, /nn\.Sequential\(\n {12}nn\.GELU\(approximate='tanh'\),\n {12}nn\.Upsample\(scale_factor=2\.0, mode='nearest'\),\n {8}\)/);
});

test("exportPytorch: the nn.functional layers are written as PyTorch's constructor calls (loaded and compared in scripts/check-pytorch-export.py)", () => {
  const src = pytorchModuleSource(new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { padding: 1, paddingMode: "reflect" }), new nn.InstanceNorm2d(4, { affine: true }), new nn.Softplus(2, 10),
    new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }), new nn.PixelUnshuffle(2), new nn.AdaptiveMaxPool2d(3), new nn.Flatten(),
  ));
  assert.match(src, /nn\.Conv2d\(3, 4, kernel_size=\(3, 3\), stride=\(1, 1\), padding=\(1, 1\), padding_mode='reflect'\)/);
  assert.match(src, /nn\.InstanceNorm2d\(4, eps=1e-05, momentum=0\.1, affine=True, track_running_stats=False\)/);
  assert.match(src, /nn\.Softplus\(beta=2, threshold=10\)/);
  assert.match(src, /nn\.Upsample\(scale_factor=2\.0, mode='bilinear'\)/);
  assert.match(src, /nn\.PixelUnshuffle\(downscale_factor=2\)/);
  assert.match(src, /nn\.AdaptiveMaxPool2d\(output_size=/);
  assert.match(pytorchModuleSource(new nn.EmbeddingBag(10, 4, { mode: "max" })), /^nn\.EmbeddingBag\(10, 4, mode='max'\)$/);
});

test("exportPytorch: the session-13 layers are written as PyTorch's constructor calls (their printouts; torch 1.13 evaluates them back to the same modules)", () => {
  const src = pytorchModuleSource(new nn.Sequential(
    new nn.ChannelShuffle(2), new nn.Softmax2d(), new nn.Dropout1d(0.2), new nn.Dropout3d(0.3), new nn.AlphaDropout(0.1),
    new nn.FeatureAlphaDropout(0.1), new nn.LPPool2d(2, 2), new nn.LPPool1d(3, 2, 1),
  ));
  for (const call of [
    "nn.ChannelShuffle(groups=2)", "nn.Softmax2d()", "nn.Dropout1d(p=0.2, inplace=False)", "nn.Dropout3d(p=0.3, inplace=False)",
    "nn.AlphaDropout(p=0.1, inplace=False)", "nn.FeatureAlphaDropout(p=0.1, inplace=False)",
    "nn.LPPool2d(norm_type=2, kernel_size=2, stride=None, ceil_mode=False)", "nn.LPPool1d(norm_type=3, kernel_size=2, stride=1, ceil_mode=False)",
  ]) assert.ok(src.includes(`${call},`), `${call} in\n${src}`);
  // UpsamplingNearest2d prints Upsample's mode=..., which its own constructor does not take: still refused.
  assert.throws(() => pytorchModuleSource(new nn.UpsamplingNearest2d({ scaleFactor: 2 })), /cannot write in Python/);
});

test("exportPytorch: a custom forward, a bare ModuleList or a JavaScript activation is a clear error saying what to do", () => {
  class Net extends nn.Module {
    fc = new nn.Linear(2, 2);
    forward(x: Tensor): Tensor {
      return this.fc.call(x).relu();
    }
  }
  assert.throws(() => pytorchModuleSource(new Net()), /exportPytorch: the model is a Net, whose forward deeptype cannot write in Python \(custom forward code\)\. Build the model from nn\.Sequential and the library's layers and containers, or write the PyTorch class yourself: model\.safetensors holds the weights under deeptype's keys/);
  assert.throws(() => pytorchModuleSource(new nn.Sequential(new nn.Linear(2, 2), new Net())), /exportPytorch: "1" is a Net, whose forward deeptype cannot write in Python/);
  assert.throws(() => pytorchModuleSource(new nn.Sequential(new nn.ModuleList([new nn.Linear(2, 2)]))), /exportPytorch: "0" is a ModuleList, which has no forward of its own/);
  const layer = new nn.TransformerEncoderLayer(8, 2, { activation: (x: Tensor) => x.tanh() });
  assert.throws(() => pytorchModuleSource(new nn.TransformerEncoder(layer, 2)), /exportPytorch: "layers\.0" is a TransformerEncoderLayer, whose activation is a JavaScript function PyTorch cannot run; use "relu", "gelu" or an activation module/);
});

test("exportPytorch: recurrent layers, MultiheadAttention and the Transformer family become PyTorch's constructors", () => {
  // A recurrent layer returns its tuple from a Sequential, in deeptype as in PyTorch.
  assert.equal(
    pytorchModuleSource(new nn.Sequential(new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true, batchFirst: true }))),
    "nn.Sequential(\n        nn.LSTM(4, 6, num_layers=2, batch_first=True, bidirectional=True),\n    )",
  );
  assert.equal(pytorchModuleSource(new nn.RNN(3, 5, { nonlinearity: "relu", dropout: 0.25, numLayers: 2 })), "nn.RNN(3, 5, num_layers=2, nonlinearity='relu', dropout=0.25)");
  assert.equal(pytorchModuleSource(new nn.GRUCell(3, 5, { bias: false })), "nn.GRUCell(3, 5, bias=False)");
  assert.equal(
    pytorchModuleSource(new nn.MultiheadAttention(8, 2, { batchFirst: true, kdim: 4, vdim: 6, dropout: 0.1 })),
    "nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.1, bias=True, kdim=4, vdim=6, batch_first=True)",
  );
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, dropout: 0, activation: new nn.GELU("tanh"), normFirst: true, layerNormEps: 1e-6 }), 3);
  assert.equal(
    pytorchModuleSource(enc),
    [
      "nn.TransformerEncoder(",
      "        nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, activation=nn.GELU(approximate='tanh'), layer_norm_eps=0.000001, batch_first=False, norm_first=True),",
      "        num_layers=3, norm=None, enable_nested_tensor=False,",
      "    )",
    ].join("\n"),
  );
  const t = pytorchModuleSource(new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 16, batchFirst: true }));
  assert.match(t, /^nn\.Transformer\(\n {8}d_model=8, nhead=2, batch_first=True,\n {8}custom_encoder=nn\.TransformerEncoder\(/);
  assert.match(t, /custom_decoder=nn\.TransformerDecoder\(\n {12}nn\.TransformerDecoderLayer\(d_model=8, nhead=2, dim_feedforward=16, dropout=0\.1, activation='relu', layer_norm_eps=0\.00001, batch_first=True, norm_first=False\),\n {12}num_layers=2, norm=nn\.LayerNorm\(\(8,\), eps=1e-05, elementwise_affine=True\),\n/);
});

test("exportPytorch: PositionalEncoding (no PyTorch twin) is defined in model.py, with the table as its buffer", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-torch-"));
  dirs.push(dir);
  const model = new nn.Sequential(new nn.Embedding(20, 8), new nn.PositionalEncoding(8, { batchFirst: true, maxLen: 32, dropout: 0.2 }), new nn.Linear(8, 3));
  await exportPytorch(model, dir);
  const py = fs.readFileSync(path.join(dir, "model.py"), "utf8");
  assert.match(py, /\nclass PositionalEncoding\(nn\.Module\):\n/);
  assert.match(py, /PositionalEncoding\(d_model=8, max_len=32, dropout=0\.2, batch_first=True\),/);
  assert.deepEqual(Object.keys(await loadWeights(path.join(dir, "model.safetensors"))), ["0.weight", "1.pe", "2.weight", "2.bias"]);
  // A model without it does not carry the class.
  await exportPytorch(new nn.Linear(2, 2), dir);
  assert.ok(!fs.readFileSync(path.join(dir, "model.py"), "utf8").includes("class PositionalEncoding"));
});

test("exportPytorch writes model.py, the weights, train_ddp.py and the data, readable back by loadWeights", async () => {
  manualSeed(0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deeptype-torch-"));
  dirs.push(dir);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3));
  const inputs = randn([10, 4]);
  const targets = randint(0, 3, [10], { dtype: "int32" });
  const files = await exportPytorch(model, dir, { data: { inputs, targets } });
  assert.deepEqual(files.map((f) => path.basename(f)), ["model.py", "model.safetensors", "train_ddp.py", "data.safetensors"]);
  const py = fs.readFileSync(path.join(dir, "model.py"), "utf8");
  assert.match(py, /def build_model\(\):\n    return nn\.Sequential\(\n        nn\.Linear\(in_features=4, out_features=8, bias=True\),\n        nn\.BatchNorm1d\(8, eps=1e-05, momentum=0\.1, affine=True, track_running_stats=True\),/);
  const ddp = fs.readFileSync(path.join(dir, "train_ddp.py"), "utf8");
  for (const s of ["DistributedDataParallel", "DistributedSampler", '"nccl" if use_cuda else "gloo"', "mp.spawn(", '"RANK" in os.environ', "save_safetensors(args.out, model.state_dict()"]) assert.ok(ddp.includes(s), s);
  const w = await loadWeights(path.join(dir, "model.safetensors"));
  assert.deepEqual(Object.keys(w), Object.keys(model.stateDict()));
  const d = await loadWeights(path.join(dir, "data.safetensors"));
  assert.deepEqual(d.inputs.tolist(), inputs.tolist());
  assert.deepEqual(d.targets.tolist(), targets.tolist());
  await assert.rejects(exportPytorch(model, dir, { data: { inputs, targets: targets.get("0:5") } }), /data\.inputs has 10 samples but data\.targets has 5/);
});
