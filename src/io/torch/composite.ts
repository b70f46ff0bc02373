/**
 * The library's containers whose forward is PyTorch's, as PyTorch constructor calls: MultiheadAttention,
 * TransformerEncoderLayer/DecoderLayer, TransformerEncoder/Decoder (their ModuleList of layers is built
 * by PyTorch's constructor, as deeptype's deep copies), Transformer, and PositionalEncoding (no PyTorch
 * twin: model.py defines a class computing the same, see python.ts). Arguments are read from the
 * module and its children, so keys and computation match PyTorch's for the same arguments.
 */
import type { DescribableModule, DescribeContext } from "./describe.js";

type Composite = (m: DescribableModule, ctx: DescribeContext) => string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const f = (m: unknown): any => m;
/** A Python literal: True/False, a number, None, or a quoted string. */
const py = (v: unknown): string => (typeof v === "boolean" ? (v ? "True" : "False") : typeof v === "number" ? String(v) : v === null || v === undefined ? "None" : `'${String(v)}'`);
/** A Python float literal (PyTorch prints dropout=0.0, not 0). */
const float = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));
const kwargs = (o: Record<string, string | undefined>): string => Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(", ");

/** The feed-forward activation of a Transformer layer: a name, or a stateless activation module. */
function activation(m: DescribableModule, ctx: DescribeContext): string {
  const a = f(m).options?.activation ?? "relu";
  if (a === "relu" || a === "gelu") return py(a);
  const cls = a?.constructor?.name;
  if (cls === "ReLU") return py("relu");
  if (cls === "GELU" && a.approximate === "none") return py("gelu");
  if (typeof a === "object" && ["GELU", "SiLU", "Tanh", "Sigmoid", "LeakyReLU", "ELU"].includes(cls)) return ctx.child(a, "activation");
  return ctx.fail("whose activation is a JavaScript function PyTorch cannot run; use \"relu\", \"gelu\" or an activation module");
}

function transformerLayerArgs(m: DescribableModule, ctx: DescribeContext): string {
  const x = f(m);
  return kwargs({
    d_model: py(x.dModel), nhead: py(x.nhead), dim_feedforward: py(x.linear1.outFeatures), dropout: float(x.dropout.p), activation: activation(m, ctx),
    layer_norm_eps: String(x.norm1.eps), batch_first: py(x.batchFirst), norm_first: py(x.normFirst),
    // PyTorch's `bias` argument exists from 2.1; written only when needed.
    bias: x.linear1.bias ? undefined : "False",
  });
}

function stack(kind: "Encoder" | "Decoder"): Composite {
  return (m, ctx) => {
    const x = f(m);
    const layers = [...x.layers] as DescribableModule[];
    const first = ctx.child(layers[0], "layers.0");
    layers.forEach((l, i) => {
      if (ctx.child(l, `layers.${i}`) !== first) ctx.fail(`whose layers differ (layer ${i} is configured unlike layer 0); PyTorch's Transformer${kind} repeats one layer`);
    });
    const norm = x.norm ? ctx.child(x.norm, "norm") : "None";
    const extra = kind === "Encoder" ? ", enable_nested_tensor=False" : "";
    return `nn.Transformer${kind}(\n${ctx.indent}    ${first},\n${ctx.indent}    num_layers=${layers.length}, norm=${norm}${extra},\n${ctx.indent})`;
  };
}

export const COMPOSITES: Record<string, Composite> = {
  MultiheadAttention: (m) => {
    const x = f(m);
    return `nn.MultiheadAttention(${kwargs({
      embed_dim: py(x.embedDim), num_heads: py(x.numHeads), dropout: float(x.dropout), bias: py(x.in_proj_bias !== null),
      kdim: py(x.kdim), vdim: py(x.vdim), batch_first: py(x.batchFirst),
    })})`;
  },
  TransformerEncoderLayer: (m, ctx) => `nn.TransformerEncoderLayer(${transformerLayerArgs(m, ctx)})`,
  TransformerDecoderLayer: (m, ctx) => `nn.TransformerDecoderLayer(${transformerLayerArgs(m, ctx)})`,
  TransformerEncoder: stack("Encoder"),
  TransformerDecoder: stack("Decoder"),
  Transformer: (m, ctx) => {
    const x = f(m);
    const i = ctx.indent + "    ";
    return `nn.Transformer(\n${i}d_model=${x.dModel}, nhead=${x.nhead}, batch_first=${py(x.batchFirst)},\n${i}custom_encoder=${ctx.child(x.encoder, "encoder")},\n${i}custom_decoder=${ctx.child(x.decoder, "decoder")},\n${ctx.indent})`;
  },
  PositionalEncoding: (m, ctx) => {
    const x = f(m);
    ctx.helper("PositionalEncoding");
    const persistent = "pe" in m.stateDict();
    return `PositionalEncoding(${kwargs({ d_model: py(x.dModel), max_len: py(x.maxLen), dropout: float(x.p), batch_first: py(x.batchFirst), persistent: persistent ? undefined : "False" })})`;
  },
};
