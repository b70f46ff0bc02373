/**
 * What a training job's checkpoint must hold before `--resume` uses any of it. The container was
 * already checked by `loadCheckpoint`; this checks the content: every field's type and range, the
 * fields' agreement with each other (history length = epoch, scheduler position = epoch, the
 * weights' names and shapes = the model's), and finite numbers in every weight and optimizer
 * tensor. A failure is an Error naming the file and the field.
 */
import { Tensor, isFloating } from "../core.js";
import { type Schema, checkSchema, describe } from "../tensor/check.js";
import type { EpochMetrics, TrainConfig } from "./mnist.js";

const CONFIG: Schema = {
  object: {
    model: { oneOf: ["cnn", "mlp"] },
    epochs: { int: { min: 1 } },
    batchSize: { int: { min: 1 } },
    lr: "number",
    optimizer: { oneOf: ["sgd", "adam", "adamw"] },
    seed: "int",
    trainSize: { int: { min: 1 } },
  },
  optional: ["trainSize"],
};

const METRICS: Schema = {
  object: { epoch: { int: { min: 1 } }, trainLoss: "number", trainAccuracy: "number", testLoss: "number", testAccuracy: "number", lr: "number", seconds: "number" },
};

const CHECKPOINT: Schema = {
  object: {
    epoch: { int: { min: 1 } },
    config: CONFIG,
    model: { recordOf: "any" },
    optimizer: { object: { state: { recordOf: { recordOf: "any" } }, param_groups: { arrayOf: { object: { lr: "number", params: { arrayOf: { int: { min: 0 } } } } } } } },
    scheduler: { object: { T_max: { int: { min: 1 } }, eta_min: "number", base_lrs: { arrayOf: "number" }, last_epoch: { int: { min: 0 } } } },
    loaderGenerator: { object: { s: { arrayOf: { int: { min: 0, max: 0xffffffff } }, length: 4 }, spareNormal: { nullable: "number" } } },
    history: { arrayOf: METRICS },
    histograms: { arrayOf: { object: { layer: "string", epochs: { arrayOf: { object: { epoch: { int: { min: 0 } } } } } } } },
  },
};

/** The checked content of a run's checkpoint. */
export interface RunCheckpoint {
  epoch: number;
  config: TrainConfig;
  model: Record<string, Tensor>;
  optimizer: Record<string, unknown>;
  scheduler: Record<string, unknown>;
  loaderGenerator: { s: [number, number, number, number]; spareNormal: number | null };
  history: EpochMetrics[];
  histograms: { layer: string; epochs: { epoch: number }[] }[];
}

function checkFinite(t: Tensor, field: string, fail: (field: string, problem: string) => never): void {
  if (!isFloating(t.dtype)) return;
  const d = t.data();
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) fail(field, `holds ${d[i]} at element ${i}; the checkpoint is corrupt`);
}

/**
 * Checks `state` (from loadCheckpoint) against the run checkpoint schema and the model it will be
 * loaded into (`expected`: the freshly built model's state dict).
 *
 * @example const ckpt = validateRunCheckpoint(await loadCheckpoint(file), file, buildModel("cnn").stateDict());
 */
export function validateRunCheckpoint(state: Record<string, unknown>, file: string, expected: (cfg: TrainConfig) => Record<string, Tensor>): RunCheckpoint {
  const fail = (field: string, problem: string): never => {
    throw new Error(`resume: ${file}: field "${field}" ${problem.startsWith("expected") ? `is wrong: ${problem}` : problem}`);
  };
  checkSchema(state, CHECKPOINT, "", fail);
  const ckpt = state as unknown as RunCheckpoint;
  if (ckpt.epoch > ckpt.config.epochs) fail("epoch", `is ${ckpt.epoch}, beyond the run's ${ckpt.config.epochs} epochs`);
  if (ckpt.history.length !== ckpt.epoch) fail("history", `has ${ckpt.history.length} entries for ${ckpt.epoch} epochs`);
  ckpt.history.forEach((h, i) => {
    if (h.epoch !== i + 1) fail(`history.${i}.epoch`, `is ${h.epoch}, expected ${i + 1}`);
  });
  if (ckpt.scheduler.last_epoch !== ckpt.epoch) fail("scheduler.last_epoch", `is ${describe(ckpt.scheduler.last_epoch)} but the checkpoint is at epoch ${ckpt.epoch}`);
  if (ckpt.scheduler.T_max !== ckpt.config.epochs) fail("scheduler.T_max", `is ${describe(ckpt.scheduler.T_max)} but the run has ${ckpt.config.epochs} epochs`);
  // The weights: exactly the model's names, shapes and dtypes, all finite.
  const want = expected(ckpt.config);
  for (const [k, w] of Object.entries(want)) {
    if (!Object.hasOwn(ckpt.model, k)) fail(`model.${k}`, "is missing");
    const t = ckpt.model[k];
    if (!(t instanceof Tensor)) fail(`model.${k}`, `expected a tensor, got ${describe(t)}`);
    if (t.dtype !== w.dtype || t.shape.join(",") !== w.shape.join(",")) fail(`model.${k}`, `expected [${w.shape.join(",")}] ${w.dtype}, got [${t.shape.join(",")}] ${t.dtype}`);
    checkFinite(t, `model.${k}`, fail);
  }
  for (const k of Object.keys(ckpt.model)) if (!Object.hasOwn(want, k)) fail(`model.${k}`, `is not a weight of the ${ckpt.config.model} model`);
  const state_ = ckpt.optimizer.state as Record<string, Record<string, unknown>>;
  for (const id of Object.keys(state_)) {
    for (const [k, v] of Object.entries(state_[id])) {
      if (v instanceof Tensor) checkFinite(v, `optimizer.state.${id}.${k}`, fail);
      else if (typeof v !== "number" || !Number.isFinite(v)) fail(`optimizer.state.${id}.${k}`, `expected a tensor or a finite number, got ${describe(v)}`);
    }
  }
  return ckpt;
}
