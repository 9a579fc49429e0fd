/*
 * The engine bench's model: a llama-architecture GGUF with random weights and a byte-level
 * vocabulary, written here so that nothing is downloaded. Its text is nonsense; its prompt
 * processing and KV cache are llama.cpp's own. One token per byte of the prompt (GPT-2-style
 * BPE with no merges) plus the ChatML control tokens, so `<|im_start|>` is one token.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type GgufTensor, type GgufValue, writeGgufFile } from "./ggufWriter";

export interface RandomModelShape {
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  contextLength: number;
  /** The matrices' type; the norms are always F32. */
  weightType: "f32" | "f16";
  seed: number;
}

/** Chosen so that a 3,000-token prompt takes a few seconds on 2 CPU cores. */
export const BENCH_MODEL_SHAPE: RandomModelShape = {
  layers: 4,
  embedding: 512,
  heads: 8,
  kvHeads: 8,
  feedForward: 1536,
  contextLength: 32_768,
  weightType: "f16",
  seed: 27,
};

/** After the 256 byte tokens. The end of a turn ends generation, as in a ChatML model. */
export const CHATML_SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;

const TOKEN_TYPE = { normal: 1, control: 3 } as const;

/**
 * GPT-2's byte-to-character table: byte b is token b, spelt as the printable character GPT-2
 * maps it to (the same table llama.cpp's BPE tokenizer encodes bytes with before lookup).
 */
export function byteTokens(): string[] {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : next++));
}

export function modelMetadata(shape: RandomModelShape): Array<readonly [string, GgufValue]> {
  const tokens = [...byteTokens(), ...CHATML_SPECIAL_TOKENS];
  const id = (t: (typeof CHATML_SPECIAL_TOKENS)[number]) => 256 + CHATML_SPECIAL_TOKENS.indexOf(t);
  const u32 = (value: number) => ({ type: "uint32", value }) as const;
  return [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: "random-weight engine bench model" }],
    ["general.file_type", u32(shape.weightType === "f32" ? 0 : 1)], // all F32 / mostly F16
    ["llama.vocab_size", u32(tokens.length)],
    ["llama.context_length", u32(shape.contextLength)],
    ["llama.embedding_length", u32(shape.embedding)],
    ["llama.block_count", u32(shape.layers)],
    ["llama.feed_forward_length", u32(shape.feedForward)],
    ["llama.attention.head_count", u32(shape.heads)],
    ["llama.attention.head_count_kv", u32(shape.kvHeads)],
    ["llama.rope.dimension_count", u32(shape.embedding / shape.heads)],
    ["llama.rope.freq_base", { type: "float32", value: 10_000 }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: 1e-5 }],
    ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: "string", value: "default" }],
    ["tokenizer.ggml.tokens", { type: "array", of: "string", value: tokens }],
    [
      "tokenizer.ggml.token_type",
      {
        type: "array",
        of: "int32",
        value: tokens.map((_, i) => (i < 256 ? TOKEN_TYPE.normal : TOKEN_TYPE.control)),
      },
    ],
    ["tokenizer.ggml.merges", { type: "array", of: "string", value: [] }],
    ["tokenizer.ggml.bos_token_id", u32(id("<|endoftext|>"))],
    ["tokenizer.ggml.eos_token_id", u32(id("<|im_end|>"))],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
  ];
}

/** mulberry32: a small seeded PRNG, so every run writes the same weights. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of `x` (rounded; enough for small weights, no NaN handling). */
export function halfBits(x: number): number {
  f32[0] = x;
  const bits = f32Bits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    return sign | ((((mantissa | 0x800000) >> (1 - exponent)) + 0x1000) >> 13);
  }
  return sign | ((exponent << 10) + ((mantissa + 0x1000) >> 13));
}

export function modelTensors(shape: RandomModelShape): GgufTensor[] {
  const random = seededRandom(shape.seed);
  const vocab = 256 + CHATML_SPECIAL_TOKENS.length;
  const kv = (shape.embedding / shape.heads) * shape.kvHeads;
  const ones = (n: number) => () => new Uint8Array(new Float32Array(n).fill(1).buffer);
  // Small uniform values scaled by the fan-in keep the activations finite through the layers.
  const weights = (dims: [number, number]) => () => {
    const count = dims[0] * dims[1];
    const scale = 1 / Math.sqrt(dims[0]);
    const values = shape.weightType === "f32" ? new Float32Array(count) : new Uint16Array(count);
    const store = shape.weightType === "f32" ? (x: number) => x : halfBits;
    for (let i = 0; i < count; i++) values[i] = store((random() * 2 - 1) * scale);
    return new Uint8Array(values.buffer);
  };
  const matrix = (name: string, dims: [number, number]): GgufTensor => ({
    name,
    dims,
    type: shape.weightType,
    data: weights(dims),
  });
  const norm = (name: string): GgufTensor => ({
    name,
    dims: [shape.embedding],
    type: "f32",
    data: ones(shape.embedding),
  });
  const e = shape.embedding;
  const f = shape.feedForward;
  // The output projection is omitted: llama.cpp ties it to the token embeddings.
  return [
    matrix("token_embd.weight", [e, vocab]),
    norm("output_norm.weight"),
    ...Array.from({ length: shape.layers }, (_, i) => [
      norm(`blk.${i}.attn_norm.weight`),
      matrix(`blk.${i}.attn_q.weight`, [e, e]),
      matrix(`blk.${i}.attn_k.weight`, [e, kv]),
      matrix(`blk.${i}.attn_v.weight`, [e, kv]),
      matrix(`blk.${i}.attn_output.weight`, [e, e]),
      norm(`blk.${i}.ffn_norm.weight`),
      matrix(`blk.${i}.ffn_gate.weight`, [e, f]),
      matrix(`blk.${i}.ffn_up.weight`, [e, f]),
      matrix(`blk.${i}.ffn_down.weight`, [f, e]),
    ]).flat(),
  ];
}

export function modelFileName(shape: RandomModelShape): string {
  const { layers, embedding, heads, kvHeads, feedForward, contextLength, weightType, seed } = shape;
  return `random-llama-l${layers}-e${embedding}-h${heads}-kv${kvHeads}-ff${feedForward}-ctx${contextLength}-${weightType}-s${seed}.gguf`;
}

/** The model's path in `dir`, written on first use and reused after (the weights are seeded). */
export function ensureRandomModel(
  dir: string,
  shape: RandomModelShape = BENCH_MODEL_SHAPE,
): { path: string; bytes: number; written: boolean } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, modelFileName(shape));
  if (existsSync(path)) return { path, bytes: statSync(path).size, written: false };
  const bytes = writeGgufFile(path, modelMetadata(shape), modelTensors(shape));
  return { path, bytes, written: true };
}
