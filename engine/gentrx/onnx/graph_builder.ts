/**
 * Builds an ONNX graph node by node: every op returns its output's name, so
 * a forward pass reads like the code it mirrors, and constants become
 * initializers. Names are unique per builder.
 *
 * @module
 */
import {
  encodeOnnxModel,
  type OnnxAttribute,
  OnnxAttributeType,
  OnnxDataType,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from "@/engine/gentrx/onnx/onnx_schema.ts";

/** An attribute value: an integer, a list of integers or a float. */
export type AttributeValue = { i: number } | { ints: number[] } | { f: number };

function toAttribute(name: string, value: AttributeValue): OnnxAttribute {
  if ("i" in value) return { name, type: OnnxAttributeType.Int, i: value.i };
  if ("ints" in value) return { name, type: OnnxAttributeType.Ints, ints: value.ints };
  return { name, type: OnnxAttributeType.Float, f: value.f };
}

function bytesOf(values: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export class OnnxGraphBuilder {
  readonly #nodes: OnnxNode[] = [];
  readonly #initializers: OnnxTensor[] = [];
  readonly #names = new Set<string>();
  readonly #inputs: OnnxValueInfo[] = [];
  readonly #outputs: OnnxValueInfo[] = [];

  #unique(base: string): string {
    let name = base;
    for (let n = 1; this.#names.has(name); n++) name = `${base}_${n}`;
    this.#names.add(name);
    return name;
  }

  /** Declares a graph input; returns its name. */
  input(info: OnnxValueInfo): string {
    this.#names.add(info.name);
    this.#inputs.push(info);
    return info.name;
  }

  /** Declares `value` as a graph output named `info.name` (through an Identity node). */
  output(value: string, info: OnnxValueInfo): void {
    this.#names.add(info.name);
    this.#nodes.push({
      input: [value],
      output: [info.name],
      name: info.name,
      opType: "Identity",
      attribute: [],
    });
    this.#outputs.push(info);
  }

  /** A float32 initializer of shape `dims`; returns its name. */
  floats(name: string, dims: number[], values: Float32Array): string {
    const unique = this.#unique(name);
    this.#initializers.push({
      name: unique,
      dims,
      dataType: OnnxDataType.Float,
      rawData: bytesOf(values),
    });
    return unique;
  }

  /** A float32 scalar initializer. */
  scalar(name: string, value: number): string {
    return this.floats(name, [], Float32Array.of(value));
  }

  /** An int64 initializer (shapes, axes, indices); `dims` defaults to a vector. */
  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    const unique = this.#unique(name);
    this.#initializers.push({
      name: unique,
      dims,
      dataType: OnnxDataType.Int64,
      rawData: bytesOf(BigInt64Array.from(values, BigInt)),
    });
    return unique;
  }

  /** Appends one node with a single output, named after `label`; returns the output's name. */
  op(
    opType: string,
    inputs: string[],
    label: string,
    attributes: Record<string, AttributeValue> = {},
  ): string {
    const output = this.#unique(label);
    this.#nodes.push({
      input: inputs,
      output: [output],
      name: output,
      opType,
      attribute: Object.entries(attributes).map(([name, value]) => toAttribute(name, value)),
    });
    return output;
  }

  /** Encodes the graph as an `.onnx` model. */
  encode(options: {
    graphName: string;
    producerName: string;
    docString: string;
    opsetVersion: number;
  }): Uint8Array {
    return encodeOnnxModel({
      ...options,
      nodes: this.#nodes,
      initializers: this.#initializers,
      inputs: this.#inputs,
      outputs: this.#outputs,
    });
  }
}
