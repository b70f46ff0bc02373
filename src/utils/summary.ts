/**
 * Model summaries: each layer's output shape, parameter count, receptive field and multiply-adds,
 * from one forward pass with hooks (the numbers the exam's Problem 6 asks for).
 */
import { Tensor, noGrad, zeros } from "../core.js";
import type { AnyModule } from "../nn/index.js";
import { receptiveField, type AxisMap } from "./receptive-field.js";

export interface LayerSummary {
  /** Dotted name as in the state dict (`features.0`). */
  name: string;
  /** Class name (`Conv2d`). */
  type: string;
  outputShape: number[];
  params: number;
  /**
   * Side of the square input window one output element sees, or null once a layer mixes every
   * position (Linear, Flatten).
   */
  receptiveField: number | null;
  /** Multiply-accumulates for one sample. */
  macs: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  totalMacs: number;
  /** The table as text, for printing. */
  table: string;
}

type Geometry = {
  kernelSize?: number | number[]; stride?: number | number[]; dilation?: number | number[];
  padding?: number | number[] | "same" | "valid"; outputSize?: number | number[];
  opts?: { mode?: string; alignCorners?: boolean };
};

const last = (v: number | number[] | undefined, dflt: number): number => (v === undefined ? dflt : typeof v === "number" ? v : v[v.length - 1]);

/**
 * How a layer maps output positions to the input positions they read along the last axis; null
 * once it mixes every position (Linear, Flatten, a global pool) or when the layer is not known to
 * be local (a spatial size change without a kernel).
 */
function axisMap(type: string, g: Geometry, inSize: number, outSize: number): AxisMap | null {
  if (type === "Linear" || type === "Flatten") return null;
  if (type.startsWith("Adaptive")) return outSize === 1 ? null : { kind: "adaptive", inSize, outSize };
  if (type === "Upsample") {
    const mode = g.opts?.mode ?? "nearest";
    if (mode === "nearest") return { kind: "nearest", inSize, outSize };
    if (mode === "bilinear" || mode === "linear") return { kind: "linear", inSize, outSize, alignCorners: g.opts?.alignCorners ?? false };
    return null;
  }
  if (g.kernelSize === undefined) return inSize === outSize ? { kind: "identity" } : null;
  const kernel = last(g.kernelSize, 1);
  const dilation = last(g.dilation, 1);
  const stride = last(g.stride, kernel);
  const padding = g.padding === "valid" ? 0 : g.padding === "same" ? Math.floor((dilation * (kernel - 1)) / 2) : last(g.padding, 0);
  return { kind: type.startsWith("ConvTranspose") ? "transposed" : "window", kernel, stride, dilation, padding };
}

/**
 * `summary(model, [1, 28, 28])`: runs one zero sample through the model (in eval mode, without
 * gradients) and reports every leaf layer. The receptive field is the widest input span an output
 * position reads along the last axis (for conv/pool stacks: r ← r + (k_eff − 1)·j, j ← j·stride,
 * with k_eff = dilation·(k − 1) + 1); transposed convolutions, adaptive pools and upsampling are
 * traced exactly (see receptive-field.ts).
 */
export function summary(model: AnyModule, inputShape: readonly number[]): ModelSummary {
  const names = new Map<AnyModule, string>();
  for (const [name, m] of model.namedModules()) if ([...m.children()].length === 0) names.set(m, name);
  const rows: LayerSummary[] = [];
  // Each row's field is traced back through the layers before it; null maps end the tracing.
  const maps: AxisMap[] = [];
  let local = true;
  const handles = [...names.keys()].map((m) =>
    m.registerForwardHook((mod: AnyModule, args: unknown[], output: unknown) => {
      const input = args[0] as Tensor;
      const out = output as Tensor;
      const type = mod.constructor.name;
      const g = mod as unknown as Geometry & { groups?: number; inChannels?: number; outChannels?: number; inFeatures?: number };
      // The pass runs one sample, so a tensor's size is its size per sample.
      const perSample = (t: Tensor): number => t.numel();
      let macs = 0;
      const map = local ? axisMap(type, g, input.shape.at(-1)!, out.shape.at(-1)!) : null;
      if (map === null) local = false;
      else maps.push(map);
      if (type === "Conv2d" || type === "Conv1d") {
        const kernel = (mod as unknown as { weight: Tensor }).weight.shape.slice(1).reduce((a, b) => a * b, 1);
        macs = perSample(out) * kernel;
      } else if (type === "ConvTranspose2d") {
        const w = (mod as unknown as { weight: Tensor }).weight;
        macs = perSample(input) * w.shape.slice(1).reduce((a, b) => a * b, 1);
      } else if (type === "Linear") {
        macs = perSample(out) * g.inFeatures!;
      }
      rows.push({
        name: names.get(mod)!,
        type,
        outputShape: out.shape.slice(1),
        params: [...mod.parameters()].reduce((a, p) => a + p.numel(), 0),
        receptiveField: local ? receptiveField(maps, out.shape.at(-1)!) : null,
        macs,
      });
    }),
  );
  const wasTraining = model.training;
  try {
    model.eval();
    noGrad(() => model.call(zeros([1, ...inputShape])));
  } finally {
    handles.forEach((h) => h.remove());
    model.train(wasTraining);
  }
  const params = [...model.parameters()];
  const totalParams = params.reduce((a, p) => a + p.numel(), 0);
  const trainableParams = params.filter((p) => p.requiresGrad).reduce((a, p) => a + p.numel(), 0);
  const totalMacs = rows.reduce((a, r) => a + r.macs, 0);
  return { layers: rows, totalParams, trainableParams, totalMacs, table: formatTable(rows, inputShape, totalParams, trainableParams, totalMacs) };
}

function formatTable(rows: LayerSummary[], inputShape: readonly number[], total: number, trainable: number, macs: number): string {
  const n = (v: number): string => v.toLocaleString("en-US");
  const header = ["Layer", "Output shape", "Params", "Receptive field", "Mult-adds"];
  const body = rows.map((r) => [
    `${r.name} (${r.type})`,
    `[${r.outputShape.join(", ")}]`,
    n(r.params),
    r.receptiveField === null ? "all" : `${r.receptiveField}x${r.receptiveField}`,
    n(r.macs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const rule = "─".repeat(widths.reduce((a, w) => a + w + 2, -2));
  return [
    `Input: [${inputShape.join(", ")}] per sample`,
    rule,
    line(header),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${n(total)} (trainable ${n(trainable)})`,
    `Mult-adds per sample: ${n(macs)}`,
  ].join("\n");
}
