// Every layer against PyTorch: same weights (loaded with loadStateDict), same input, same output,
// the same gradients of sum(out * r), the same state dict keys and printout; plus a float64
// finite-difference gradcheck of each layer on the fixture's tiny input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nn, gradcheck, type Tensor } from "../src/index.js";
import { fixtures, fromFix, stateFromFix, assertClose, type FixTensor } from "./nn-helpers.js";

const builders: Record<string, () => nn.AnyModule> = {
  "Linear(5,3)": () => new nn.Linear(5, 3),
  "Linear(5,3,bias=False)": () => new nn.Linear(5, 3, { bias: false }),
  "Conv2d(3,4,3,stride=2,padding=1)": () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  "Conv2d(2,4,3,padding=same,dilation=2)": () => new nn.Conv2d(2, 4, 3, { padding: "same", dilation: 2 }),
  "Conv2d(4,6,(3,2),groups=2,bias=False)": () => new nn.Conv2d(4, 6, [3, 2], { groups: 2, bias: false }),
  "Conv2d(2,3,2,padding=same)": () => new nn.Conv2d(2, 3, 2, { padding: "same" }),
  "Conv1d(3,5,3,stride=2,padding=1)": () => new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 }),
  "ConvTranspose2d(4,3,3,stride=2,padding=1,output_padding=1)": () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  "ConvTranspose2d(4,6,2,stride=2,groups=2)": () => new nn.ConvTranspose2d(4, 6, 2, { stride: 2, groups: 2 }),
  "MaxPool2d(3,stride=2,padding=1)": () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }),
  "MaxPool2d(2,ceil_mode=True)": () => new nn.MaxPool2d(2, { ceilMode: true }),
  "AvgPool2d(3,stride=2,padding=1)": () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }),
  "AvgPool2d(3,stride=2,padding=1,count_include_pad=False)": () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
  "AdaptiveAvgPool2d((3,2))": () => new nn.AdaptiveAvgPool2d([3, 2]),
  "Upsample(scale_factor=2,nearest)": () => new nn.Upsample({ scaleFactor: 2, mode: "nearest" }),
  "Upsample(size=(5,7),nearest)": () => new nn.Upsample({ size: [5, 7], mode: "nearest" }),
  "Upsample(scale_factor=2,bilinear)": () => new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }),
  "Upsample(size=(5,7),bilinear)": () => new nn.Upsample({ size: [5, 7], mode: "bilinear" }),
  "Upsample(size=(5,7),bilinear,align_corners=True)": () => new nn.Upsample({ size: [5, 7], mode: "bilinear", alignCorners: true }),
  "Upsample(size=(2,3),bilinear)": () => new nn.Upsample({ size: [2, 3], mode: "bilinear" }),
  "BatchNorm1d(4)": () => new nn.BatchNorm1d(4),
  "BatchNorm1d(3) on [N,C,L]": () => new nn.BatchNorm1d(3),
  "BatchNorm2d(4)": () => new nn.BatchNorm2d(4),
  "BatchNorm2d(2,momentum=None)": () => new nn.BatchNorm2d(2, { momentum: null }),
  "BatchNorm2d(3,affine=False,momentum=0.3)": () => new nn.BatchNorm2d(3, { affine: false, momentum: 0.3 }),
  "LayerNorm((4,5))": () => new nn.LayerNorm([4, 5]),
  "LayerNorm(6,elementwise_affine=False)": () => new nn.LayerNorm(6, { elementwiseAffine: false }),
  "GroupNorm(2,6)": () => new nn.GroupNorm(2, 6),
  "GroupNorm(3,3,eps=1e-3)": () => new nn.GroupNorm(3, 3, { eps: 1e-3 }),
  "ReLU()": () => new nn.ReLU(),
  "LeakyReLU(0.1)": () => new nn.LeakyReLU(0.1),
  "ELU(0.7)": () => new nn.ELU(0.7),
  "Sigmoid()": () => new nn.Sigmoid(),
  "Tanh()": () => new nn.Tanh(),
  "GELU()": () => new nn.GELU(),
  "GELU(tanh)": () => new nn.GELU("tanh"),
  "SiLU()": () => new nn.SiLU(),
  "Softmax(1)": () => new nn.Softmax(1),
  "LogSoftmax(1)": () => new nn.LogSoftmax(1),
  "Flatten()": () => new nn.Flatten(),
  "Unflatten(1,(2,5))": () => new nn.Unflatten(1, [2, 5]),
  "Embedding(6,3,padding_idx=2)": () => new nn.Embedding(6, 3, { paddingIdx: 2 }),
  "Identity()": () => new nn.Identity(),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cases: any[] = fixtures().layers;

test("every fixture case has a builder (and every builder a case)", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), Object.keys(builders).sort());
});

for (const c of cases) {
  test(`${c.name}: forward, gradients, state dict keys and printout match PyTorch`, () => {
    for (const dtype of ["float32", "float64"] as const) {
      const m = builders[c.name]();
      if (dtype === "float64") m.double();
      m.loadStateDict(stateFromFix(c.state, dtype));
      assert.deepEqual(Object.keys(m.stateDict()), c.keys, "state dict keys");
      assert.equal(m.toString(), c.repr, "printout");
      const x = fromFix(c.input, dtype);
      if (x.dtype !== "int32") x.requiresGrad = true;
      const y = m.call(x);
      const [rtol, atol] = dtype === "float32" ? [1e-4, 1e-5] : [1e-9, 1e-10];
      assertClose(y, c.output, `${dtype} output`, rtol, atol);
      y.mul(fromFix(c.r, dtype)).sum().backward();
      if (c.inputGrad) assertClose(x.grad!, c.inputGrad, `${dtype} input grad`, rtol, atol);
      const params = Object.fromEntries(m.namedParameters());
      assert.deepEqual(Object.keys(c.paramGrads).sort(), Object.keys(params).filter((k) => params[k].grad).sort(), "parameters with gradients");
      for (const [k, g] of Object.entries(c.paramGrads as Record<string, FixTensor>)) assertClose(params[k].grad!, g, `${dtype} grad of ${k}`, rtol, atol);
      const sd = m.stateDict();
      for (const [k, v] of Object.entries(c.stateAfter as Record<string, FixTensor>)) assertClose(sd[k], v, `${dtype} ${k} after forward`, rtol, atol);
      if (c.x2) {
        // BatchNorm: a second training step, then eval mode on a new input uses the running statistics.
        assertClose(m.call(fromFix(c.x2, dtype)), c.y2, `${dtype} second training step`, rtol, atol);
        m.eval();
        assertClose(m.call(fromFix(c.x3, dtype)), c.y3, `${dtype} eval output`, rtol, atol);
        for (const [k, v] of Object.entries(c.stateFinal as Record<string, FixTensor>)) assertClose(m.stateDict()[k], v, `${dtype} ${k} at the end`, rtol, atol);
      }
    }
  });
}

for (const c of cases) {
  test(`${c.name}: float64 gradcheck of forward`, () => {
    const m = builders[c.name]().double();
    m.loadStateDict(stateFromFix(c.state, "float64"));
    // Embedding's padding row feeds the output but by design gets no gradient, so the finite
    // differences would disagree there: check it on ids that avoid the padding index.
    const x = c.name.startsWith("Embedding") ? fromFix({ shape: [2, 3], dtype: "int32", data: [0, 1, 5, 3, 4, 1] }) : fromFix(c.input, "float64");
    const inputs: Tensor[] = [...m.parameters()];
    if (x.dtype === "float64") {
      x.requiresGrad = true;
      inputs.unshift(x);
    }
    if (inputs.length === 0) return assert.fail("nothing to check");
    assert.equal(gradcheck(() => m.forward(x), inputs), true);
  });
}
