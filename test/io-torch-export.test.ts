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

test("exportPytorch: a custom forward or a multi-output layer is a clear error saying what to do", () => {
  class Net extends nn.Module {
    fc = new nn.Linear(2, 2);
    forward(x: Tensor): Tensor {
      return this.fc.call(x).relu();
    }
  }
  assert.throws(() => pytorchModuleSource(new Net()), /exportPytorch: the model is a Net, whose forward deeptype cannot write in Python .*Build the model from nn\.Sequential .*or write the PyTorch class yourself: model\.safetensors holds the weights under deeptype's keys/);
  assert.throws(() => pytorchModuleSource(new nn.Sequential(new nn.Linear(2, 2), new nn.LSTM(2, 3))), /exportPytorch: "1" is a LSTM, whose forward deeptype cannot write in Python/);
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
