/**
 * ONNX export by tracing: the model runs one forward pass on example inputs while the op tracer
 * (`withOpTracer`, the same chokepoint autograd uses) records every op with its inputs, attributes and
 * output; each recorded op is then written as ONNX nodes by its emitter (`ops.ts`), parameters and
 * buffers become initializers under their state-dict names, and protobufjs encodes the model.
 *
 * What tracing means for users (as with torch.onnx.export's tracer): the graph is the ops this one
 * forward ran. Python-style control flow on values is frozen at the example's branch; tensors made
 * outside ops from the input's values (reading `x.data()` into a new tensor) cannot be seen and would
 * be frozen as constants. Dims named in `dynamicAxes` stay symbolic where ops pass them through
 * positionally (batch through Linear/Conv/Flatten/reshape); shapes computed from them elsewhere are
 * fixed at the traced size.
 *
 * Pure (no Node imports): `toOnnxBytes` runs in browsers; `exportOnnx` (Node) writes the file.
 */
import { checkKeys } from "../../tensor/check.js";
import { Tensor, cat, isFloating, narrow, noGrad, withOpTracer } from "../../core.js";
import { encodeOnnxModel, ONNX_DTYPE, ATTR_TYPE, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./schema.js";
import { encodeHalf } from "../../tensor/half.js";
import { BROADCASTING, EMITTERS, type AttrValue, type Emit, type ValueType } from "./ops.js";
import { patchRecurrent, type TraceControl } from "./recurrent.js";
import { pruneUnused } from "./prune.js";

/** The option keys of the functions here: anything else is a misspelling (checkKeys). */
const BUILD_ONNX_MODEL_KEYS = ["opsetVersion", "inputNames", "outputNames", "dynamicAxes", "graphName"] as const;
const TO_ONNX_BYTES_KEYS = ["opsetVersion", "inputNames", "outputNames", "dynamicAxes", "graphName"] as const;

/** What the exporter needs of a model: an nn.Module satisfies it (io does not import nn). */
export interface TraceableModule {
  call(...args: never[]): unknown;
  training: boolean;
  train(mode?: boolean): unknown;
  namedParameters(): [string, Tensor][];
  namedBuffers(): [string, Tensor][];
}

/** Options of `toOnnxBytes`/`exportOnnx`, as torch.onnx.export names them. */
export interface OnnxExportOptions {
  /** ONNX opset, 13 to 21 (default 17). */
  opsetVersion?: number;
  /** Graph input names, in the order of the example inputs (default input_0, input_1, ...). */
  inputNames?: string[];
  /** Graph output names, in the order the outputs are flattened (default output_0, ...). */
  outputNames?: string[];
  /** Symbolic dims: `{ input_0: { 0: "batch" }, output_0: { 0: "batch" } }` or `{ input_0: [0] }`. */
  dynamicAxes?: Record<string, Record<number, string> | number[]>;
  /** Model name written into the graph (default "deeptype"). */
  graphName?: string;
}

interface Record_ {
  name: string;
  inputs: readonly Tensor[];
  attrs: unknown;
  output: Tensor;
  /** Further outputs of a composite op (a recurrent layer's final states). */
  extra?: Tensor[];
  /**
   * The inputs' and the output's versions (in-place writes to their memory) when the op ran. Values
   * are named after the trace, so the versions must be taken here: a value written in place after an
   * op computed it is refused where a later op reads it (the graph would read the value before the write).
   */
  inVersions?: number[];
  outVersion?: number;
}

const MIN_OPSET = 13;
const MAX_OPSET = 21;

function irVersionFor(opset: number): number {
  return opset <= 14 ? 7 : opset <= 17 ? 8 : opset <= 20 ? 9 : 10;
}

/**
 * Traces `model` on `exampleInputs` and returns the ONNX model bytes (weights as initializers).
 * The model runs in eval mode (dropout off, batch norm on running statistics), as torch.onnx.export's default.
 *
 * @example const bytes = io.toOnnxBytes(model, [randn([1, 1, 28, 28])], { inputNames: ["image"], dynamicAxes: { image: [0] } });
 */
export function toOnnxBytes(model: TraceableModule, exampleInputs: Tensor | readonly Tensor[], opts: OnnxExportOptions = {}): Uint8Array {
  checkKeys("toOnnxBytes", opts, TO_ONNX_BYTES_KEYS);
  return encodeOnnxModel(buildOnnxModel(model, exampleInputs, opts));
}

/** The ONNX model as a plain object (what `toOnnxBytes` encodes); tests and tools inspect it. */
export function buildOnnxModel(model: TraceableModule, exampleInputs: Tensor | readonly Tensor[], opts: OnnxExportOptions = {}): OnnxModel {
  checkKeys("buildOnnxModel", opts, BUILD_ONNX_MODEL_KEYS);
  const where = "exportOnnx";
  if (!model || typeof model.call !== "function" || typeof model.namedParameters !== "function") {
    throw new Error(`${where}: expected an nn.Module, got ${model === null ? "null" : typeof model}`);
  }
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : [...(exampleInputs ?? [])];
  if (inputs.length === 0 || !inputs.every((t) => t instanceof Tensor)) {
    throw new Error(`${where}: exampleInputs must be a Tensor or an array of Tensors (the arguments of model.call)`);
  }
  const opset = opts.opsetVersion ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`${where}: opsetVersion must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`);
  }
  const inputNames = opts.inputNames ?? inputs.map((_, i) => `input_${i}`);
  if (inputNames.length !== inputs.length) {
    throw new Error(`${where}: ${inputNames.length} inputNames for ${inputs.length} example inputs; give one name per input`);
  }

  // ---- trace one forward pass (two when dims are dynamic: see `alternate`)
  const inputVersions = inputs.map((t) => t.version);
  const records = trace(model, inputs);
  const outputs = records.outputs;
  const outputNames = opts.outputNames ?? outputs.map((_, i) => `output_${i}`);
  if (outputNames.length !== outputs.length) {
    throw new Error(`${where}: ${outputNames.length} outputNames for ${outputs.length} model outputs; give one name per output`);
  }
  const dynamic = normalizeDynamicAxes(opts.dynamicAxes ?? {}, [...inputNames, ...outputNames], where);
  const alt = alternate(model, inputs, inputNames, dynamic, records, where);

  // ---- keep only the ops the outputs depend on (e.g. argmax indices nobody reads)
  const producer = new Map<Tensor, number>();
  const producedIn = new Map<unknown, number[]>();
  records.ops.forEach((r, i) => {
    for (const o of [r.output, ...(r.extra ?? [])]) {
      producer.set(o, i);
      if (!producedIn.has(o.storage)) producedIn.set(o.storage, []);
      producedIn.get(o.storage)!.push(i);
    }
  });
  // A detach()ed result is a new Tensor object over an op's output: it depends on that op.
  const producerOf = (t: Tensor): number | undefined =>
    producer.get(t) ?? (producedIn.get(t.storage) ?? []).find((i) => [records.ops[i].output, ...(records.ops[i].extra ?? [])].some((o) => sameGeometry(o, t)));
  const needed = new Set<number>();
  const stack = [...outputs];
  const seen = new Set<Tensor>();
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const i = producerOf(t);
    if (i === undefined) continue;
    needed.add(i);
    stack.push(...records.ops[i].inputs, ...tensorsIn(records.ops[i].attrs));
  }

  // ---- name values and emit nodes
  const names = new Map<Tensor, string>();
  const versions = new Map<Tensor, number>();
  const byStorage = new Map<unknown, Tensor[]>();
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const initNames = new Set<string>();
  const used = new Set<string>();
  let counter = 0;
  const fresh = (base: string): string => {
    let n = `${base}_${counter++}`;
    while (used.has(n)) n = `${base}_${counter++}`;
    used.add(n);
    return n;
  };
  const bind = (t: Tensor, name: string, version = t.version): void => {
    names.set(t, name);
    versions.set(t, version);
    if (!byStorage.has(t.storage)) byStorage.set(t.storage, []);
    byStorage.get(t.storage)!.push(t);
    used.add(name);
  };
  inputs.forEach((t, i) => bind(t, inputNames[i], inputVersions[i]));
  const params = new Map<Tensor, string>();
  for (const [k, t] of [...model.namedParameters(), ...model.namedBuffers()]) if (!params.has(t)) params.set(t, k);
  const paramByStorage = new Map<unknown, [Tensor, string][]>();
  for (const [t, k] of params) {
    if (!paramByStorage.has(t.storage)) paramByStorage.set(t.storage, []);
    paramByStorage.get(t.storage)!.push([t, k]);
  }

  const addInitializer = (name: string, t: Tensor): string => {
    if (!initNames.has(name)) {
      initNames.add(name);
      used.add(name);
      initializers.push(tensorProto(name, t));
    }
    return name;
  };
  const constants = new Map<Tensor, string>();
  const pending = new Set<string>();
  /** The ONNX name of a tensor an op reads (at version `read`): a traced value, a parameter, or a constant. */
  const ref = (t: Tensor, opName: string, read = t.version): string => {
    const known = names.get(t);
    if (known !== undefined) {
      if (read !== versions.get(t)) {
        throw new Error(`${where}: a tensor read by ${opName} was modified in place after it was computed; in-place ops in forward cannot be traced, use the out-of-place op (e.g. add instead of add_)`);
      }
      return known;
    }
    const p = params.get(t);
    if (p !== undefined) return addInitializer(p, t);
    // The same memory and layout as a traced value or a parameter (a detach(), a Parameter's twin): the same value.
    let c = constants.get(t);
    if (c !== undefined) return c;
    for (const v of byStorage.get(t.storage) ?? []) if (sameGeometry(v, t)) return names.get(v)!;
    for (const [v, k] of paramByStorage.get(t.storage) ?? []) if (sameGeometry(v, t)) return addInitializer(k, v);
    // A tensor over an input's memory that no op made would freeze the example's values into the model.
    if (inputs.some((x) => x.storage === t.storage)) {
      throw new Error(`${where}: ${opName} reads a tensor that shares memory with a graph input but was not made by an op (a view built by hand?); it cannot be expressed in the graph`);
    }
    {
      c = addInitializer(fresh("const"), t);
      constants.set(t, c);
    }
    return c;
  };

  /**
   * A constant whose shape follows a dynamic dim (an RNN's zeros([layers, batch, hidden]) initial
   * state): when every element is one value, it is built at run time as ConstantOfShape of a shape
   * whose dynamic dims are read from the graph input they follow (Shape + Gather).
   */
  const filledConstant = (t: Tensor, t2: Tensor, opName: string): void => {
    const fail = (why: string): never => {
      throw new Error(`${where}: op "${opName}" reads a constant of shape [${t.shape}] whose shape follows a dynamic axis (it was made outside ops, e.g. zeros([batch, hidden])) and ${why}; export without that dynamic axis`);
    };
    const d = t.data();
    if (!d.every((v) => Object.is(v, d[0]))) fail("its values are not all equal");
    if (t.ndim !== t2.ndim) fail("its rank changes");
    const dims = t.shape.map((n, i) => (n === t2.shape[i] ? ints([n]) : runtimeDim(n, t2.shape[i]) ?? fail(`dim ${i} matches no dynamic input dim`)));
    // An empty constant has no value of its own; ConstantOfShape needs one and writes none of it.
    const fill = d.length ? d.slice(0, 1) : new (d.constructor as Float32ArrayConstructor)(1);
    const value = tensorProto(fresh("fill"), Tensor.fromArray(fill as typeof d, [1], t.dtype));
    bind(t, pushNode("ConstantOfShape", [pushNode("Concat", dims, { axis: { i: 0 } })], { value: { t: value } }));
  };
  /**
   * A dim whose size follows a dynamic input dim, read at run time ([1] int64: Shape + Gather of the
   * graph input): the input dim that has size `n` in the traced example and `n2` in the grown one.
   * Undefined when none or several input dims fit (then the size cannot be told apart).
   */
  const runtimeDim = (n: number, n2: number): string | undefined => {
    const fits = inputs.flatMap((x, j) => dynamicInputAxes(j).filter((a) => x.shape[a] === n && alt!.grown[j].shape[a] === n2).map((a) => [j, a]));
    // Dims of one symbolic name (x's and h0's "batch") are one size; differently named ones of equal size are ambiguous.
    if (fits.length === 0 || new Set(fits.map(([j, a]) => dynamic[inputNames[j]][a])).size > 1) return undefined;
    const [j, a] = fits[0];
    const key = `${j}/${a}`;
    let v = dimCache.get(key);
    if (v === undefined) {
      v = pushNode("Gather", [pushNode("Shape", [inputNames[j]], {}), ints([a])], { axis: { i: 0 } });
      dimCache.set(key, v);
    }
    return v;
  };
  const dimCache = new Map<string, string>();
  const ints = (v: number[]): string => {
    const name = fresh("const");
    initNames.add(name);
    initializers.push(rawConstant(name, v, [v.length], "int64"));
    return name;
  };
  const pushNode = (opType: string, ins: string[], attrs: Record<string, AttrValue | { t: OnnxTensor }>): string => {
    const o = fresh(opType);
    const attribute = Object.entries(attrs).map(([name, v]) =>
      "t" in v ? { name, type: ATTR_TYPE.TENSOR, t: v.t } : attributes({ [name]: v as AttrValue })[0],
    );
    nodes.push({ input: ins, output: [o], name: fresh(`${opType}`), opType, attribute });
    return o;
  };
  const dynamicInputAxes = (j: number): number[] => Object.keys(dynamic[inputNames[j]] ?? {}).map(Number);

  // Model outputs get their final names up front, so the node producing one writes it directly.
  const outputValue = new Map<Tensor, string>();
  outputs.forEach((t, i) => {
    if (!outputValue.has(t) && producer.has(t) && !names.has(t)) outputValue.set(t, outputNames[i]);
  });

  records.ops.forEach((r, i) => {
    if (!needed.has(i)) return;
    const other = alt?.ops[i];
    if (other) {
      r.inputs.forEach((t, k) => {
        if (!names.has(t) && !params.has(t) && !sameShape(t.shape, other.inputs[k].shape)) filledConstant(t, other.inputs[k], r.name);
      });
    }
    const emitter = EMITTERS[r.name];
    if (!emitter) {
      throw new Error(`${where}: op "${r.name}" has no ONNX equivalent in this exporter (ops covered: ${Object.keys(EMITTERS).sort().join(", ")})`);
    }
    const inNames = r.inputs.map((t, k) => ref(t, r.name, r.inVersions?.[k]));
    const pendingIn = inNames.filter((n) => pending.has(n));
    if (pendingIn.length && !BROADCASTING.has(r.name)) {
      throw new Error(`${where}: op "${r.name}" reads a value broadcast along a dynamic dim, which it does not broadcast itself; export without dynamicAxes`);
    }
    const outName = outputValue.get(r.output) ?? fresh(r.name);
    const extraNames = (r.extra ?? []).map((t) => outputValue.get(t) ?? fresh(r.name));
    const e: Emit = {
      opset,
      op: r.name,
      inputs: r.inputs,
      output: r.output,
      attrs: r.attrs,
      alt: other,
      in: (k) => inNames[k],
      out: outName,
      outs: [outName, ...extraNames],
      ref: (t) => ref(t, r.name),
      nodeN: (opType, ins, attrs, n) => {
        const outs = Array.from({ length: n }, () => fresh(opType));
        nodes.push({ input: ins, output: outs, name: fresh(`${r.name}/${opType}`), opType, attribute: attributes(attrs) });
        return outs;
      },
      initializer: (t, base) => addInitializer(used.has(base) ? fresh(base) : base, t),
      node: (opType, ins, attrs = {}, out) => {
        const o = out ?? fresh(opType);
        nodes.push({ input: ins, output: [o], name: fresh(`${r.name}/${opType}`), opType, attribute: attributes(attrs) });
        return o;
      },
      constant: (values, dims, type) => {
        const name = fresh("const");
        initNames.add(name);
        initializers.push(rawConstant(name, values, dims, type));
        return name;
      },
      broadcastPending: () => void pending.add(outName),
      runtimeDim: (n, n2) => (alt ? runtimeDim(n, n2) : undefined),
      fail: (msg) => {
        throw new Error(`${where}: op "${r.name}": ${msg}`);
      },
    };
    emitter(e);
    if (pendingIn.length && pendingIn.length === inNames.length) pending.add(outName);
    bind(r.output, outName, r.outVersion);
    (r.extra ?? []).forEach((t, k) => bind(t, extraNames[k]));
  });

  // Outputs that are not a node's own output (an input passed through, a weight, a repeated value) go through Identity.
  const graphOutputs: OnnxValueInfo[] = [];
  const emitted = new Set<string>();
  outputs.forEach((t, i) => {
    let name = ref(t, "output");
    if (pending.has(name)) throw new Error(`${where}: output ${outputNames[i]} is a broadcast along a dynamic dim; export without dynamicAxes`);
    if (name !== outputNames[i] || emitted.has(name)) {
      nodes.push({ input: [name], output: [outputNames[i]], name: fresh("output/Identity"), opType: "Identity", attribute: [] });
      name = outputNames[i];
    }
    emitted.add(name);
    graphOutputs.push(valueInfo(name, t, dynamic[name]));
  });

  const graph = pruneUnused(nodes, initializers, graphOutputs.map((o) => o.name));
  return {
    irVersion: irVersionFor(opset),
    producerName: "deeptype",
    producerVersion: "0.1.0",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: opts.graphName ?? "deeptype",
      node: graph.nodes,
      initializer: graph.initializers,
      input: inputs.map((t, i) => valueInfo(inputNames[i], t, dynamic[inputNames[i]])),
      output: graphOutputs,
    },
  };
}

interface Trace {
  ops: Record_[];
  outputs: Tensor[];
  /** The inputs this trace ran on. */
  grown: Tensor[];
}

/** Runs one forward pass in eval mode under the op tracer. */
function trace(model: TraceableModule, inputs: Tensor[]): Trace {
  const ops: Record_[] = [];
  const wasTraining = model.training;
  model.train(false);
  // Recurrent layers record as one op each, their per-step ops muted (./recurrent.ts).
  const ctl: TraceControl = { muted: 0, record: (r) => ops.push(r) };
  const restore = patchRecurrent(model, ctl);
  // Memory holding values computed from the inputs. An op that reads such values in JavaScript
  // (Tensor.data(), item()) and builds tensors from them, as a data-dependent index does, would be
  // recorded with the example's result frozen in as a constant: the export would silently disagree
  // on other inputs. Such a read of floating-point values is refused while tracing; integer inputs
  // (token ids, sequence lengths) are read by ops for range checks only, so those stay allowed.
  const dependent = new WeakSet<object>(inputs.map((x) => x.storage));
  const readValues = Tensor.prototype.data;
  Tensor.prototype.data = function (this: Tensor) {
    if (dependent.has(this.storage) && isFloating(this.dtype)) {
      throw new Error("exportOnnx: the forward pass reads the values of a tensor computed from the inputs in JavaScript (Tensor.data()/item()), so the graph would freeze the example's result (a data-dependent op such as adaptiveMaxPool2d or fold); export a model without that layer, or compute it with tensor ops");
    }
    return readValues.call(this);
  };
  let result: unknown;
  try {
    result = noGrad(() => withOpTracer((name, ins, attrs, output) => {
      if (ins.some((t) => dependent.has(t.storage))) dependent.add(output.storage);
      if (ctl.muted === 0) ops.push({ name, inputs: ins, attrs, output, inVersions: ins.map((t) => t.version), outVersion: output.version });
    }, () => model.call(...(inputs as never[]))));
  } finally {
    Tensor.prototype.data = readValues;
    restore();
    model.train(wasTraining);
  }
  return { ops, outputs: flattenOutputs(result, "exportOnnx"), grown: inputs };
}

/**
 * With dynamic input dims, a second trace on inputs one larger along each of them (the first slice
 * repeated, so token ids stay valid): every shape that differs between the two traces follows a
 * dynamic dim. Emitters write those dims symbolically (-1 / 0 in Reshape, 1 in Expand) instead of
 * freezing the example's size, and refuse what they cannot express. The two traces must run the
 * same ops, or the graph depends on the size and cannot be dynamic.
 */
function alternate(model: TraceableModule, inputs: Tensor[], inputNames: string[], dynamic: Record<string, Record<number, string>>, first: Trace, where: string): Trace | undefined {
  const grown = inputs.map((t, i) => {
    const axes = Object.keys(dynamic[inputNames[i]] ?? {}).map(Number);
    let g = t;
    for (const a of axes) {
      if (!Number.isInteger(a) || a < 0 || a >= t.ndim) throw new Error(`${where}: dynamicAxes of "${inputNames[i]}" names dim ${a}, but it has ${t.ndim} dims`);
      g = noGrad(() => cat([g, narrow(g, a, 0, 1)], a));
    }
    return g;
  });
  if (grown.every((g, i) => g === inputs[i])) return undefined;
  const second = trace(model, grown);
  const same = second.ops.length === first.ops.length && second.ops.every((r, i) => r.name === first.ops[i].name);
  if (!same) {
    throw new Error(`${where}: the model runs different ops when a dynamic dim changes size (control flow on shapes); export with fixed shapes (no dynamicAxes)`);
  }
  return second;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sameGeometry(a: Tensor, b: Tensor): boolean {
  return a.dtype === b.dtype && a.offset === b.offset && a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i] && (d === 1 || a.strides[i] === b.strides[i]));
}

function flattenOutputs(v: unknown, where: string): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap((x) => flattenOutputs(x, where));
  if (v !== null && typeof v === "object" && Symbol.iterator in v) return [...(v as Iterable<unknown>)].flatMap((x) => flattenOutputs(x, where));
  throw new Error(`${where}: the model returned ${v === null ? "null" : typeof v}; outputs must be Tensors or (nested) arrays of Tensors`);
}

/** Tensors hidden in an op's attributes (e.g. indexSelect's index) are inputs too. */
function tensorsIn(attrs: unknown): Tensor[] {
  if (attrs === null || typeof attrs !== "object") return [];
  return Object.values(attrs as Record<string, unknown>).filter((v): v is Tensor => v instanceof Tensor);
}

function normalizeDynamicAxes(d: NonNullable<OnnxExportOptions["dynamicAxes"]>, known: string[], where: string): Record<string, Record<number, string>> {
  const out: Record<string, Record<number, string>> = {};
  for (const [name, axes] of Object.entries(d)) {
    if (!known.includes(name)) throw new Error(`${where}: dynamicAxes names "${name}", which is not an input or output name (${known.join(", ")})`);
    out[name] = Array.isArray(axes) ? Object.fromEntries(axes.map((a) => [a, `${name}_dim_${a}`])) : { ...axes };
  }
  return out;
}

function valueInfo(name: string, t: Tensor, dyn: Record<number, string> | undefined): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_DTYPE[t.dtype],
        shape: { dim: t.shape.map((d, i) => (dyn && dyn[i] !== undefined ? { dimParam: dyn[i] } : { dimValue: d })) },
      },
    },
  };
}

function tensorProto(name: string, t: Tensor): OnnxTensor {
  // 16-bit floats as their bit patterns (ONNX's FLOAT16/BFLOAT16 raw data).
  const data = t.dtype === "float16" || t.dtype === "bfloat16" ? t.bits() : t.data();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dims: [...t.shape], dataType: ONNX_DTYPE[t.dtype], rawData: Uint8Array.from(bytes) };
}

/** A small constant (shapes, axes, scalars) written straight to a TensorProto; int64 is ONNX's type for shapes. */
function rawConstant(name: string, values: readonly number[], dims: readonly number[], type: ValueType): OnnxTensor {
  const size = { int64: 8, float64: 8, float32: 4, float16: 2, bfloat16: 2, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 }[type];
  const bytes = new Uint8Array(values.length * size);
  const v = new DataView(bytes.buffer);
  values.forEach((x, i) => {
    if (type === "int64") v.setBigInt64(i * 8, BigInt(x), true);
    else if (type === "float64") v.setFloat64(i * 8, x, true);
    else if (type === "float32") v.setFloat32(i * 4, x, true);
    else if (type === "int32") v.setInt32(i * 4, x, true);
    else if (type === "int16") v.setInt16(i * 2, x, true);
    else if (type === "float16" || type === "bfloat16") v.setUint16(i * 2, encodeHalf(x, type), true);
    else if (type === "int8") v.setInt8(i, x);
    else if (type === "uint8") v.setUint8(i, x);
    else v.setUint8(i, x ? 1 : 0);
  });
  return { name, dims: [...dims], dataType: ONNX_DTYPE[type], rawData: bytes };
}

function attributes(attrs: Record<string, AttrValue>): OnnxAttribute[] {
  return Object.entries(attrs).map(([name, v]) => {
    if ("i" in v) return { name, type: ATTR_TYPE.INT, i: v.i };
    if ("f" in v) return { name, type: ATTR_TYPE.FLOAT, f: v.f };
    if ("ints" in v) return { name, type: ATTR_TYPE.INTS, ints: [...v.ints] };
    if ("floats" in v) return { name, type: ATTR_TYPE.FLOATS, floats: [...v.floats] };
    if ("strings" in v) return { name, type: ATTR_TYPE.STRINGS, strings: v.strings.map((x) => new TextEncoder().encode(x)) };
    return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(v.s) };
  });
}
