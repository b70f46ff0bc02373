/**
 * Learning-rate schedulers, PyTorch 1.13's `torch.optim.lr_scheduler`, one module per family:
 * the base class (lr-scheduler-base.ts), epoch rules (lr-scheduler-step.ts), periodic schedules
 * (lr-scheduler-cyclic.ts) and schedulers of schedulers or of a metric (lr-scheduler-composite.ts).
 *
 * ```ts
 * import { StepLR } from "./lr-scheduler.js";
 * ```
 */
export { LRScheduler } from "./lr-scheduler-base.js";
export * from "./lr-scheduler-step.js";
export * from "./lr-scheduler-cyclic.js";
export * from "./lr-scheduler-composite.js";
