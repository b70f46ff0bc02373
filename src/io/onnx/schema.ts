/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto, IR version 8) that an exported model uses,
 * as protobufjs JSON, so encoding goes through a maintained protobuf library and no .proto parser is
 * needed at run time (browsers included). Field numbers are the specification's; `onnx.checker`
 * (scripts/check-onnx.py) and ONNX Runtime (test/onnx-export.test.ts) read what it produces.
 * Messages and fields deeptype never writes (training info, sparse tensors, functions, sequences and
 * maps in TypeProto) are left out: protobuf readers skip what they do not see, and we never read.
 */
import protobuf from "protobufjs/light.js";

const int64 = "int64";

const schema = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            f: { type: "float", id: 2 },
            i: { type: int64, id: 3 },
            s: { type: "bytes", id: 4 },
            t: { type: "TensorProto", id: 5 },
            floats: { rule: "repeated", type: "float", id: 7 },
            ints: { rule: "repeated", type: int64, id: 8 },
            strings: { rule: "repeated", type: "bytes", id: 9 },
            docString: { type: "string", id: 13 },
            type: { type: "int32", id: 20 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 }, docString: { type: "string", id: 3 } },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
            docString: { type: "string", id: 6 },
            domain: { type: "string", id: 7 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: int64, id: 1 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            modelVersion: { type: int64, id: 5 },
            docString: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
            metadataProps: { rule: "repeated", type: "StringStringEntryProto", id: 14 },
          },
        },
        StringStringEntryProto: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            docString: { type: "string", id: 10 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
            valueInfo: { rule: "repeated", type: "ValueInfoProto", id: 13 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: int64, id: 1 },
            dataType: { type: "int32", id: 2 },
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
            docString: { type: "string", id: 12 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dimValue", "dimParam"] } },
              fields: { dimValue: { type: int64, id: 1 }, dimParam: { type: "string", id: 2 }, denotation: { type: "string", id: 3 } },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensorType"] } },
          fields: { tensorType: { type: "Tensor", id: 1 }, denotation: { type: "string", id: 6 } },
          nested: {
            Tensor: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: int64, id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema);
const ModelProto = root.lookupType("onnx.ModelProto");

/** ONNX's TensorProto.DataType codes for the dtypes an export writes. */
export const ONNX_DTYPE = { float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, bool: 9, float16: 10, float64: 11, int64: 7, bfloat16: 16 } as const;

/** ONNX AttributeProto.AttributeType codes. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** Plain-object form of the messages, in protobufjs's camelCase field names. */
export interface OnnxTensor { name: string; dims: number[]; dataType: number; rawData: Uint8Array }
export interface OnnxAttribute { name: string; type: number; f?: number; i?: number; s?: Uint8Array; t?: OnnxTensor; floats?: number[]; ints?: number[]; strings?: Uint8Array[] }
export interface OnnxNode { input: string[]; output: string[]; name: string; opType: string; attribute: OnnxAttribute[] }
export interface OnnxValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } } }
export interface OnnxModel {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsetImport: { domain: string; version: number }[];
  graph: { name: string; node: OnnxNode[]; initializer: OnnxTensor[]; input: OnnxValueInfo[]; output: OnnxValueInfo[] };
  metadataProps?: { key: string; value: string }[];
}

/**
 * Encodes a model as ONNX protobuf bytes (after protobufjs verifies the object against the schema).
 *
 * @example const bytes = encodeOnnxModel({ irVersion: 8, producerName: "deeptype", ... });
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const err = ModelProto.verify(model);
  if (err) throw new Error(`encodeOnnxModel: the model does not fit ONNX's schema: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Decodes ONNX bytes back to a plain object (tests read back what they wrote). */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Uint8Array as never, defaults: false }) as OnnxModel;
}
