// Shared by the optim tests: the fixture problem (a tiny fixed linear regression in float64) and
// comparisons. Not a test file itself (npm test runs test/*.test.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tensor, optim, type Tensor, type NestedArray } from "../src/index.js";

export interface TrajectoryPoint {
  loss: number;
  W: number[][];
  b: number[];
}

export interface OptimizerCase {
  name: string;
  optimizer: "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad" | "Adadelta" | "Adamax" | "NAdam" | "RAdam";
  options: Record<string, unknown>;
  groups?: Array<{ params: ("W" | "b")[] } & Record<string, unknown>>;
  trajectory: TrajectoryPoint[];
  /** PyTorch's state_dict() after `savedAfter` steps, tensors as {dtype, shape, data}. */
  savedAfter: number;
  stateDict: { state: Record<string, Record<string, unknown>>; param_groups: Array<Record<string, unknown>> };
}

export interface SchedulerCase {
  name: string;
  optimizer: "SGD" | "SGD-two-groups" | "SGD-two-groups-momentum" | "Adam";
  optimizerOptions: Record<string, unknown>;
  scheduler: string;
  options: Record<string, unknown>;
  metrics?: number[];
  /** Explicit epochs for step(epoch) (null: a plain step()). */
  epochs?: (number | null)[];
  lrs: number[][];
  momentums: (number | null)[][];
}

/** One LBFGS run: per outer `step(closure)`, the loss it returned, the parameters and its counters. */
export interface LbfgsCase {
  name: string;
  problem: "regression" | "rosenbrock";
  /** Rosenbrock's starting point when not the default [-1.5, 2]. */
  start?: number[];
  options: Record<string, unknown>;
  trajectory: { loss: number; params: number[][]; funcEvals: number; nIter: number; closureCalls: number }[];
  /** PyTorch's state_dict() after the first step. */
  stateDict: { state: Record<string, Record<string, unknown>>; param_groups: Array<Record<string, unknown>> };
}

export const fixtures = JSON.parse(readFileSync(new URL("./fixtures/optim.json", import.meta.url), "utf8")) as {
  problem: { X: number[][]; Y: number[][]; W0: number[][]; B0: number[]; steps: number };
  optimizers: OptimizerCase[];
  schedulers: SchedulerCase[];
  lbfgs: LbfgsCase[];
};

const P = fixtures.problem;
const data = {
  float64: { X: tensor(P.X, { dtype: "float64" }), Y: tensor(P.Y, { dtype: "float64" }) },
  float32: { X: tensor(P.X, { dtype: "float32" }), Y: tensor(P.Y, { dtype: "float32" }) },
};

/** Fresh parameters of the fixture problem (float64 unless asked). */
export function problemParams(dtype: "float32" | "float64" = "float64"): { W: Tensor; b: Tensor } {
  return { W: tensor(P.W0, { dtype, requiresGrad: true }), b: tensor(P.B0, { dtype, requiresGrad: true }) };
}

/** The fixture loss: mean squared error of X·Wᵀ + b against Y (in W's dtype). */
export function problemLoss(W: Tensor, b: Tensor): Tensor {
  const { X, Y } = data[W.dtype as "float32" | "float64"];
  return X.matmul(W.t()).add(b).sub(Y).pow(2).mean();
}

type AnyOptim = optim.Optimizer<optim.BaseOptions>;

export function makeOptimizer(name: string, params: optim.Params<any>, options: Record<string, unknown>): AnyOptim {
  switch (name) {
    case "SGD": return new optim.SGD(params, options as Partial<optim.SGDOptions>) as unknown as AnyOptim;
    case "Adam": return new optim.Adam(params, options) as unknown as AnyOptim;
    case "AdamW": return new optim.AdamW(params, options) as unknown as AnyOptim;
    case "RMSprop": return new optim.RMSprop(params, options) as unknown as AnyOptim;
    case "Adagrad": return new optim.Adagrad(params, options) as unknown as AnyOptim;
    case "Adadelta": return new optim.Adadelta(params, options) as unknown as AnyOptim;
    case "Adamax": return new optim.Adamax(params, options) as unknown as AnyOptim;
    case "NAdam": return new optim.NAdam(params, options) as unknown as AnyOptim;
    case "RAdam": return new optim.RAdam(params, options) as unknown as AnyOptim;
    default: throw new Error(`unknown optimizer ${name}`);
  }
}

export function flat(v: NestedArray): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [Number(v)];
}

/** Elementwise |got - want| <= rtol·|want| + atol. */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= rtol * Math.abs(want[i]) + atol;
    assert.ok(ok, `${what}[${i}]: got ${got[i]}, want ${want[i]} (diff ${Math.abs(got[i] - want[i])})`);
  }
}
