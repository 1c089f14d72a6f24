/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto3, IR version 7) an
 * inference graph needs — model, graph, node, attribute, tensor and value
 * types — as a protobufjs reflection root. Field numbers are ONNX's, so the
 * bytes are a standard `.onnx` file; fields left out are simply never set.
 *
 * @module
 */
import protobuf from "protobufjs/light.js";

/** `TensorProto.DataType` values used here (onnx.proto3). */
export const OnnxDataType = { Float: 1, Int32: 6, Int64: 7 } as const;
export type OnnxDataType = typeof OnnxDataType[keyof typeof OnnxDataType];

/** `AttributeProto.AttributeType` values used here (onnx.proto3). */
export const OnnxAttributeType = { Float: 1, Int: 2, Ints: 7 } as const;

/** IR version 7 (ONNX 1.7): the version of the schema fields below. */
export const ONNX_IR_VERSION = 7;

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            ints: { rule: "repeated", type: "int64", id: 8 },
            type: { type: "int32", id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: "string", id: 1 },
            type: { type: "TypeProto", id: 2 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
            docString: { type: "string", id: 6 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            docString: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: "int64", id: 1 },
            dataType: { type: "int32", id: 2 },
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dimValue", "dimParam"] } },
              fields: {
                dimValue: { type: "int64", id: 1 },
                dimParam: { type: "string", id: 2 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensorType"] } },
          fields: { tensorType: { type: "Tensor", id: 1 } },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: "int32", id: 1 },
                shape: { type: "TensorShapeProto", id: 2 },
              },
            },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: "string", id: 1 },
            version: { type: "int64", id: 2 },
          },
        },
      },
    },
  },
};

/** An attribute as the encoder takes it (one of f, i or ints, with its type). */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  ints?: number[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: OnnxAttribute[];
  docString?: string;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: OnnxDataType;
  rawData: Uint8Array;
}

/** A dimension: a fixed size or a symbolic name such as "batch". */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataType;
  shape: OnnxDim[];
}

export interface OnnxModel {
  producerName: string;
  docString: string;
  opsetVersion: number;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const modelType = protobuf.Root.fromJSON(SCHEMA).lookupType("onnx.ModelProto");

function valueInfo({ name, elemType, shape }: OnnxValueInfo) {
  const dim = shape.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d });
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Serialises a model to `.onnx` bytes (the default, empty domain: the standard operators). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const message = modelType.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: model.producerName,
    docString: model.docString,
    opsetImport: [{ domain: "", version: model.opsetVersion }],
    graph: {
      name: model.graphName,
      node: model.nodes,
      initializer: model.initializers,
      input: model.inputs.map(valueInfo),
      output: model.outputs.map(valueInfo),
    },
  });
  return modelType.encode(message).finish();
}
