import { expect } from "chai";
import { encodeGgufHeader, type GgufValue } from "../../bench/llamaEngine/ggufWriter";
import {
  BENCH_MODEL_SHAPE,
  byteTokens,
  halfBits,
  modelMetadata,
  modelTensors,
} from "../../bench/llamaEngine/randomModel";
import { renderChatMl, reusablePrefix } from "../../bench/llamaEngine/replayPrompts";

/** A reader of GGUF v3 headers written from the format's description, independent of the writer. */
function readHeader(bytes: Buffer) {
  let at = 0;
  const u32 = () => ((at += 4), bytes.readUInt32LE(at - 4));
  const u64 = () => ((at += 8), Number(bytes.readBigUInt64LE(at - 8)));
  const str = () => {
    const n = u64();
    return ((at += n), bytes.toString("utf8", at - n, at));
  };
  const scalar = (type: number): unknown =>
    type === 4
      ? u32()
      : type === 5
        ? ((at += 4), bytes.readInt32LE(at - 4))
        : type === 6
          ? ((at += 4), bytes.readFloatLE(at - 4))
          : type === 7
            ? bytes[at++] === 1
            : type === 8
              ? str()
              : (() => {
                  throw new Error(`type ${type}`);
                })();
  const value = (type: number): unknown => {
    if (type !== 9) return scalar(type);
    const itemType = u32();
    return Array.from({ length: u64() }, () => scalar(itemType));
  };
  const magic = bytes.toString("latin1", 0, 4);
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) metadata.set(str(), value(u32()));
  const tensors = Array.from({ length: tensorCount }, () => {
    const name = str();
    const dims = Array.from({ length: u32() }, u64);
    return { name, dims, type: u32(), offset: u64() };
  });
  return { magic, version, metadata, tensors, end: at };
}

describe("the engine bench's random-weight model", () => {
  it("writes a GGUF v3 header that reads back: counts, typed metadata, tensor infos at aligned offsets", () => {
    const metadata: Array<[string, GgufValue]> = [
      ["general.architecture", { type: "string", value: "llama" }],
      ["llama.block_count", { type: "uint32", value: 4 }],
      ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: 0.5 }],
      ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
      ["tokenizer.ggml.token_type", { type: "array", of: "int32", value: [1, -3] }],
      ["tokenizer.ggml.merges", { type: "array", of: "string", value: [] }],
    ];
    const { header, offsets, dataBytes } = encodeGgufHeader(metadata, [
      { name: "a", dims: [3, 2], type: "f32" }, // 24 bytes, padded to 32
      { name: "b", dims: [5], type: "f16" }, // 10 bytes, padded to 32
    ]);

    const read = readHeader(header);
    expect(read.magic).to.equal("GGUF");
    expect(read.version).to.equal(3);
    expect([...read.metadata.entries()]).to.deep.equal([
      ["general.architecture", "llama"],
      ["llama.block_count", 4],
      ["llama.attention.layer_norm_rms_epsilon", 0.5],
      ["tokenizer.ggml.add_bos_token", false],
      ["tokenizer.ggml.token_type", [1, -3]],
      ["tokenizer.ggml.merges", []],
    ]);
    expect(read.tensors).to.deep.equal([
      { name: "a", dims: [3, 2], type: 0, offset: 0 },
      { name: "b", dims: [5], type: 1, offset: 32 },
    ]);
    expect(offsets).to.deep.equal([0, 32]);
    expect(dataBytes).to.equal(64);
    // The data section starts at the next multiple of 32 after the tensor infos.
    expect(header.length % 32).to.equal(0);
    expect(header.length - read.end).to.be.within(0, 31);
    expect(header.subarray(read.end).every((b) => b === 0)).to.equal(true);
  });

  it("has one token per byte, spelt as llama.cpp's BPE encodes bytes, then the ChatML control tokens", () => {
    const bytes = byteTokens();
    expect(new Set(bytes).size).to.equal(256);
    expect(bytes.every((t) => [...t].length === 1)).to.equal(true);
    expect([bytes[0x41], bytes[0x20], bytes[0x0a], bytes[0xc3]]).to.deep.equal([
      "A",
      "Ġ",
      "Ċ",
      "Ã",
    ]);

    const meta = new Map(modelMetadata(BENCH_MODEL_SHAPE));
    const list = (key: string) => {
      const v = meta.get(key);
      return v?.type === "array" ? [...v.value] : [];
    };
    expect(list("tokenizer.ggml.tokens").slice(256)).to.deep.equal([
      "<|endoftext|>",
      "<|im_start|>",
      "<|im_end|>",
    ]);
    expect(list("tokenizer.ggml.token_type").slice(254)).to.deep.equal([1, 1, 3, 3, 3]);
    expect(meta.get("llama.vocab_size")?.value).to.equal(259);
    expect(meta.get("tokenizer.ggml.eos_token_id")?.value).to.equal(258);
  });

  it("has llama's tensors with the shapes the metadata declares", () => {
    const tensors = modelTensors(BENCH_MODEL_SHAPE);
    const { embedding: e, feedForward: f, layers } = BENCH_MODEL_SHAPE;
    expect(tensors).to.have.length(2 + 9 * layers);
    const dims = new Map(tensors.map((t) => [t.name, t.dims]));
    expect(dims.get("token_embd.weight")).to.deep.equal([e, 259]);
    expect(dims.get(`blk.${layers - 1}.ffn_down.weight`)).to.deep.equal([f, e]);
  });

  it("stores F16 weights as IEEE half-precision bits", () => {
    expect([1, -2, 0.5, 0, 0.0001, 1e-6].map(halfBits)).to.deep.equal([
      0x3c00, 0xc000, 0x3800, 0, 0x068e, 0x0011,
    ]);
  });
});

describe("the engine bench's replay of a layout", () => {
  it("renders a request as ChatML, ending where the assistant's answer begins", () => {
    expect(
      renderChatMl([
        { role: "system", content: "reglas" },
        { role: "user", content: "hola" },
      ]),
    ).to.equal(
      "<|im_start|>system\nreglas<|im_end|>\n<|im_start|>user\nhola<|im_end|>\n<|im_start|>assistant\n",
    );
  });

  it("keeps the cached common prefix, and re-evaluates one token when the prompt is all cached", () => {
    expect(reusablePrefix([], [1, 2, 3])).to.equal(0);
    expect(reusablePrefix([1, 2, 3], [1, 2, 3, 4, 5])).to.equal(3);
    expect(reusablePrefix([1, 2, 9, 9], [1, 2, 3, 4])).to.equal(2);
    expect(reusablePrefix([1, 2, 3, 4], [1, 2, 3])).to.equal(2);
    expect(reusablePrefix([1, 2, 3], [1, 2, 3])).to.equal(2);
  });
});
