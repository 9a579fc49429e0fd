/*
 * A GGUF v3 writer, enough for the engine bench's random-weight model: the header, metadata
 * key-values and tensor infos as bytes (pure, so a unit test can read them back), then each
 * tensor's data at an aligned offset. The layout is ggml's docs/gguf.md: magic "GGUF", version,
 * tensor count, key-value count (little-endian, counts and lengths as 64-bit); strings are a
 * 64-bit length and UTF-8 bytes; a tensor info is its name, dimensions (innermost first), ggml
 * type and data offset; the data section starts at the next multiple of the alignment.
 */
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
/** llama.cpp's default when the file names no `general.alignment`. */
export const GGUF_ALIGNMENT = 32;

/** gguf_type: the metadata value types. */
export const GGUF_VALUE_TYPE = {
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
} as const;

/** ggml_type of the tensors this writer knows, with their element size in bytes. */
export const GGML_TENSOR_TYPE = {
  f32: { id: 0, bytes: 4 },
  f16: { id: 1, bytes: 2 },
} as const;

type NumberType = "uint32" | "int32" | "float32";
export type GgufValue =
  | { type: NumberType; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; of: NumberType; value: readonly number[] }
  | { type: "array"; of: "string"; value: readonly string[] };

export interface GgufTensorInfo {
  name: string;
  /** ggml order: the innermost (row) dimension first, e.g. [n_embd, n_vocab]. */
  dims: readonly number[];
  type: keyof typeof GGML_TENSOR_TYPE;
}

/** A tensor and a function that produces its data when the writer reaches it. */
export interface GgufTensor extends GgufTensorInfo {
  data: () => Uint8Array;
}

export const alignTo = (n: number, alignment: number): number =>
  Math.ceil(n / alignment) * alignment;

export function tensorByteSize(tensor: GgufTensorInfo): number {
  return tensor.dims.reduce((n, d) => n * d, 1) * GGML_TENSOR_TYPE[tensor.type].bytes;
}

/** Little-endian bytes, appended in order. */
class ByteSink {
  private readonly parts: Buffer[] = [];
  length = 0;

  private push(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }
  private fixed(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.push(b);
  }
  u32 = (n: number) => this.fixed(4, (b) => b.writeUInt32LE(n));
  i32 = (n: number) => this.fixed(4, (b) => b.writeInt32LE(n));
  u64 = (n: number) => this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(n)));
  f32 = (n: number) => this.fixed(4, (b) => b.writeFloatLE(n));
  bool = (v: boolean) => this.fixed(1, (b) => b.writeUInt8(v ? 1 : 0));
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  zeros = (n: number) => this.push(Buffer.alloc(n));
  bytes = () => Buffer.concat(this.parts);
}

function writeScalar(sink: ByteSink, type: NumberType | "string", value: number | string): void {
  if (type === "string") sink.string(value as string);
  else if (type === "uint32") sink.u32(value as number);
  else if (type === "int32") sink.i32(value as number);
  else sink.f32(value as number);
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(GGUF_VALUE_TYPE[v.type]);
  if (v.type === "bool") sink.bool(v.value);
  else if (v.type !== "array") writeScalar(sink, v.type, v.value);
  else {
    sink.u32(GGUF_VALUE_TYPE[v.of]);
    sink.u64(v.value.length);
    for (const item of v.value) writeScalar(sink, v.of, item);
  }
}

/**
 * Everything before the data section, padded to the alignment, and where each tensor's data
 * goes relative to the data section's start.
 */
export function encodeGgufHeader(
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly GgufTensorInfo[],
  alignment = GGUF_ALIGNMENT,
): { header: Buffer; offsets: number[]; dataBytes: number } {
  const sink = new ByteSink();
  sink.u32(Buffer.from(GGUF_MAGIC).readUInt32LE());
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  sink.u64(metadata.length);
  for (const [key, value] of metadata) {
    sink.string(key);
    writeValue(sink, value);
  }
  const offsets: number[] = [];
  let dataBytes = 0;
  for (const tensor of tensors) {
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const d of tensor.dims) sink.u64(d);
    sink.u32(GGML_TENSOR_TYPE[tensor.type].id);
    sink.u64(dataBytes);
    offsets.push(dataBytes);
    dataBytes = alignTo(dataBytes + tensorByteSize(tensor), alignment);
  }
  sink.zeros(alignTo(sink.length, alignment) - sink.length);
  return { header: sink.bytes(), offsets, dataBytes };
}

/** Writes the file next to `path` first and renames it, so a half-written model is never used. */
export function writeGgufFile(
  path: string,
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly GgufTensor[],
): number {
  const { header, dataBytes } = encodeGgufHeader(metadata, tensors);
  const partial = `${path}.partial`;
  const fd = openSync(partial, "w");
  try {
    writeSync(fd, header);
    for (const tensor of tensors) {
      const data = tensor.data();
      const expected = tensorByteSize(tensor);
      if (data.byteLength !== expected) {
        throw new Error(`tensor ${tensor.name}: ${data.byteLength} bytes, expected ${expected}`);
      }
      writeSync(fd, data);
      const padding = alignTo(expected, GGUF_ALIGNMENT) - expected;
      if (padding > 0) writeSync(fd, Buffer.alloc(padding));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return header.length + dataBytes;
}
