/** Op-table entries for the pointwise math of src/ops/math.ts (fixtures: scripts/fixtures/ops_math.py). */
import { type OpEntry, E } from "./optable-entry.js";
import type { Tensor } from "../src/index.js";
import {
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, erfc, erfinv, lgamma, digamma, sinc, deg2rad, rad2deg,
  trunc, frac, round, fmod, floorDivide, div, add, sub, lerp, logaddexp, hypot, xlogy, copysign, heaviside, nanToNum,
  isinf, isposinf, isneginf, signbit, clamp, clampMin, clampMax, isclose, log, floor, abs, mul,
} from "../src/index.js";

const noGradOp = { differentiable: false };
/** x / |floor(2x)|: ±inf wherever floor(2x) is 0, so the inf tests see both signs (as ops_math.py). */
const withInfs = (x: Tensor) => div(x, abs(floor(mul(x, 2))));

export const MATH_OPS: readonly OpEntry[] = [
  E("tan", tan), E("asin", (x) => asin(mul(x, 0.9))), E("acos", (x) => acos(mul(x, 0.9))), E("atan", atan),
  E("sinh", sinh), E("cosh", cosh), E("asinh", asinh), E("acosh", (x) => acosh(add(x, 1))), E("atanh", (x) => atanh(mul(x, 0.9))),
  E("log2", log2), E("log10", log10), E("exp2", exp2), E("erfc", erfc), E("erfinv", (x) => erfinv(mul(x, 0.9))),
  E("lgamma", lgamma), E("lgamma:neg", (x) => lgamma(sub(x.neg(), 0.25))), E("digamma", digamma, { secondOrder: false }),
  E("sinc", sinc), E("deg2rad", (x) => deg2rad(mul(x, 90))), E("rad2deg", rad2deg),
  // Rounding has zero gradient almost everywhere; the finite differences straddle no step at these inputs.
  E("trunc", (x) => trunc(mul(x, 3))), E("frac", (x) => frac(mul(x, 3))), E("round:decimals", (x) => round(mul(x, 3), { decimals: 1 })),
  E("fmod", (a, b) => fmod(mul(a, 3), b)), E("fmod:scalar", (a) => fmod(mul(a, 3), -1.5)),
  E("floorDivide", (a, b) => floorDivide(mul(a, 3), b), noGradOp),
  E("div:trunc", (a, b) => div(mul(a, 3), b, { roundingMode: "trunc" })), E("div:floor", (a, b) => div(mul(a, 3), b, { roundingMode: "floor" })),
  E("add:alpha", (a, b) => add(a, b, { alpha: 2.5 })), E("sub:alpha", (a, b) => sub(a, b, { alpha: -0.5 })),
  E("lerp", (a, b) => lerp(a, b, 0.3)), E("lerp:tensor", (a, b, w) => lerp(a, b, w)),
  E("logaddexp", (a, b) => logaddexp(mul(a, 5), mul(b, 5))), E("hypot", hypot), E("xlogy", xlogy),
  E("copysign", copysign, { kinks: true }), E("heaviside", heaviside, noGradOp),
  E("nanToNum", (x) => nanToNum(log(x), { nan: 0.5 }), { kinks: true }),
  E("nanToNum:inf", (x) => nanToNum(withInfs(x), { posinf: 9, neginf: -9 }), noGradOp),
  E("isinf", (x) => isinf(withInfs(x)), noGradOp), E("isposinf", (x) => isposinf(withInfs(x)), noGradOp),
  E("isneginf", (x) => isneginf(withInfs(x)), noGradOp), E("signbit", signbit, noGradOp),
  E("clamp:tensors", (x, lo, hi) => clamp(x, lo, hi)), E("clampMin:tensor", (x, lo) => clampMin(x, lo)),
  E("clampMax:tensor", (x, hi) => clampMax(x, hi)),
  E("isclose", (x) => isclose(x, div(round(mul(x, 2)), 2), { rtol: 0, atol: 0.2 }), noGradOp),
];
