/** Op-table entries for nn.functional's activations and layer functions (fixtures: scripts/fixtures/ops_nnfunc.py). */
import { type OpEntry, E } from "./optable-entry.js";
import { type Tensor, nn, tensor } from "../src/index.js";

const F = nn.functional;
const kinks = { kinks: true };

export const NNFUNC_OPS: readonly OpEntry[] = [
  // ---------------------------------------------------------------- activations
  E("softplus", (x) => F.softplus(x)), E("softplus:beta", (x) => F.softplus(x.mul(8), 2, 5)),
  E("softplus:negBeta", (x) => F.softplus(x, -1.5, 3)),
  E("relu6", (x) => F.relu6(x.mul(4))), E("hardswish", (x) => F.hardswish(x.mul(3))), E("hardsigmoid", (x) => F.hardsigmoid(x.mul(3))),
  E("hardtanh", (x) => F.hardtanh(x)), E("hardtanh:range", (x) => F.hardtanh(x, -0.5, 1.5)),
  E("selu", (x) => F.selu(x)), E("celu", (x) => F.celu(x)), E("celu:alpha", (x) => F.celu(x, 0.4)), E("mish", (x) => F.mish(x.mul(3))),
  E("glu", (x) => F.glu(x)), E("glu:dim0", (x) => F.glu(x, 0)),
  E("prelu", (x, w) => F.prelu(x, w)), E("prelu:channels", (x, w) => F.prelu(x, w)),
  E("rrelu:eval", (x) => F.rrelu(x, 0.1, 0.3, false)),
  E("softmin", (x) => F.softmin(x, 1)), E("softmin:dim0", (x) => F.softmin(x, 0)),
  E("softsign", (x) => F.softsign(x)), E("tanhshrink", (x) => F.tanhshrink(x)), E("threshold", (x) => F.threshold(x, 0.1, 20)),
  E("logsigmoid", (x) => F.logsigmoid(x.mul(4))),
  E("softshrink", (x) => F.softshrink(x)), E("softshrink:lambd", (x) => F.softshrink(x, 1.2)),
  E("hardshrink", (x) => F.hardshrink(x)), E("hardshrink:lambd", (x) => F.hardshrink(x, 0.3)),
  // Integer-valued inputs on the corners: PyTorch's one-sided derivative conventions.
  E("relu6:kinks", (x) => F.relu6(x), kinks), E("hardtanh:kinks", (x) => F.hardtanh(x), kinks),
  E("hardsigmoid:kinks", (x) => F.hardsigmoid(x), kinks), E("hardswish:kinks", (x) => F.hardswish(x), kinks),
  E("softshrink:kinks", (x) => F.softshrink(x, 1), kinks), E("hardshrink:kinks", (x) => F.hardshrink(x, 1), kinks),
  E("threshold:kinks", (x) => F.threshold(x, 1, -2), kinks), E("logsigmoid:kinks", (x) => F.logsigmoid(x), kinks),
  E("softsign:kinks", (x) => F.softsign(x), kinks),
  E("prelu:kinks", (x: Tensor) => F.prelu(x, tensor([0.3], { dtype: x.dtype })), kinks),
  E("rrelu:eval:kinks", (x) => F.rrelu(x), kinks),
];
