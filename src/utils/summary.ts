/**
 * Model summaries: each layer's output shape, parameter count, receptive field and multiply-adds,
 * from one forward pass with hooks (the numbers the exam's Problem 6 asks for).
 */
import { Tensor, noGrad, zeros } from "../core.js";
import type { AnyModule } from "../nn/index.js";

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

type Geometry = { kernelSize?: number | number[]; stride?: number | number[]; dilation?: number | number[] };

const first = (v: number | number[] | undefined, dflt: number): number => (v === undefined ? dflt : typeof v === "number" ? v : v[0]);

/**
 * `summary(model, [1, 28, 28])`: runs one zero sample through the model (in eval mode, without
 * gradients) and reports every leaf layer. The receptive field follows r ← r + (k_eff − 1)·j,
 * j ← j·stride through conv and pooling layers, with k_eff = dilation·(k − 1) + 1.
 */
export function summary(model: AnyModule, inputShape: readonly number[]): ModelSummary {
  const names = new Map<AnyModule, string>();
  for (const [name, m] of model.namedModules()) if ([...m.children()].length === 0) names.set(m, name);
  const rows: LayerSummary[] = [];
  let rf: number | null = 1;
  let jump = 1;
  const handles = [...names.keys()].map((m) =>
    m.registerForwardHook((mod: AnyModule, args: unknown[], output: unknown) => {
      const input = args[0] as Tensor;
      const out = output as Tensor;
      const type = mod.constructor.name;
      const g = mod as unknown as Geometry & { groups?: number; inChannels?: number; outChannels?: number; inFeatures?: number };
      // The pass runs one sample, so a tensor's size is its size per sample.
      const perSample = (t: Tensor): number => t.numel();
      let macs = 0;
      if (g.kernelSize !== undefined && rf !== null) {
        const k = first(g.kernelSize, 1);
        const kEff = first(g.dilation, 1) * (k - 1) + 1;
        rf += (kEff - 1) * jump;
        jump *= first(g.stride, k);
      }
      if (type === "Conv2d" || type === "Conv1d") {
        const kernel = (mod as unknown as { weight: Tensor }).weight.shape.slice(1).reduce((a, b) => a * b, 1);
        macs = perSample(out) * kernel;
      } else if (type === "ConvTranspose2d") {
        const w = (mod as unknown as { weight: Tensor }).weight;
        macs = perSample(input) * w.shape.slice(1).reduce((a, b) => a * b, 1);
      } else if (type === "Linear") {
        macs = perSample(out) * g.inFeatures!;
        rf = null;
      } else if (type === "Flatten") {
        rf = null;
      }
      rows.push({
        name: names.get(mod)!,
        type,
        outputShape: out.shape.slice(1),
        params: [...mod.parameters()].reduce((a, p) => a + p.numel(), 0),
        receptiveField: rf,
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
