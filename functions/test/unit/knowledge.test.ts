import { expect } from "chai";
import { GenerationError } from "../../src/core/errorCodes";
import { chunkArticle, chunkHash, embeddingInput } from "../../src/knowledge/chunkArticle";
import { articleContentHash, readArticle } from "../../src/knowledge/knowledgeArticle";
import { referenceBlock } from "../../src/retrieval/knowledgePrompt";
import {
  NearChunk,
  questionText,
  selectReferences,
  sourcesOf,
} from "../../src/retrieval/selectReferences";
import { readEmbeddings } from "../../src/providers/embeddingRequest";
import { classifyErrorBody } from "../../src/providers/classifyProviderError";
import { addCounters } from "../../src/metrics/generationMetrics";
import {
  buildSuggestionPrompt,
  buildSystemPrompt,
} from "../../src/tasks/replySuggestion/buildSuggestionPrompt";
import { knowledgeResult } from "../../src/tasks/replySuggestion/suggestionKnowledge";

const OPTIONS = { chunkChars: 1200, overlap: 150 };

describe("knowledge: chunking an article", () => {
  it("starts a chunk at every heading and keeps short sections whole", () => {
    const body =
      "# Envíos\n\nLlegan en 3 días.\n\n## Costos\n\nCórdoba: $4.500.\n\n## Seguimiento\n\nPor WhatsApp.";
    expect(chunkArticle(body, OPTIONS)).to.deep.equal([
      "# Envíos\n\nLlegan en 3 días.",
      "## Costos\n\nCórdoba: $4.500.",
      "## Seguimiento\n\nPor WhatsApp.",
    ]);
  });

  it("packs paragraphs up to about the chunk size, each chunk opening with the end of the last", () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, i) => `Párrafo ${i}. ${"palabra ".repeat(30).trim()}.`,
    );
    const chunks = chunkArticle(paragraphs.join("\n\n"), OPTIONS);
    expect(chunks.length).to.be.within(3, 5);
    for (const chunk of chunks) expect(chunk.length).to.be.at.most(OPTIONS.chunkChars);
    for (let i = 1; i < chunks.length; i += 1) {
      const carried = chunks[i].slice(0, chunks[i].indexOf(" Párrafo"));
      expect(carried.length).to.be.within(75, 150);
      expect(chunks[i - 1].endsWith(carried)).to.equal(true);
    }
    // Every paragraph is in some chunk, whole.
    for (const p of paragraphs) expect(chunks.some((c) => c.includes(p))).to.equal(true);
  });

  it("cuts a paragraph longer than a chunk at sentences, then words, never losing text", () => {
    const sentence = "Esta es una oración bastante larga sobre devoluciones y cambios. ";
    const long = sentence.repeat(60).trim();
    const chunks = chunkArticle(long, OPTIONS);
    expect(chunks.length).to.be.above(3);
    for (const chunk of chunks) expect(chunk.length).to.be.at.most(OPTIONS.chunkChars);
    // Without an overlap, the chunks put back together are the text, word for word.
    const words = Array.from({ length: 900 }, (_, i) => `w${i}`).join(" ");
    const cut = chunkArticle(words, { chunkChars: 1200, overlap: 0 });
    expect(cut.join(" ")).to.equal(words);
    for (const chunk of cut) expect(chunk.length).to.be.at.most(1200);
    // A word longer than a chunk is cut hard, and nothing of it is lost.
    const hard = chunkArticle("x".repeat(5000), { chunkChars: 1200, overlap: 0 });
    expect(hard.join("")).to.equal("x".repeat(5000));
    expect(Math.max(...hard.map((c) => c.length))).to.be.at.most(1200);
    expect(chunkArticle("   \n\n  ", OPTIONS)).to.deep.equal([]);
  });

  it("splits the 100,000-character article into about a hundred chunks", () => {
    const body = Array.from({ length: 500 }, (_, i) => `Línea ${i}: ${"texto ".repeat(31)}`).join(
      "\n\n",
    );
    expect(body.length).to.be.within(95_000, 100_000);
    const chunks = chunkArticle(body, OPTIONS);
    expect(chunks.length).to.be.within(80, 120);
  });

  it("prefixes Nomic's task names, puts the title in front, and hashes model and input", () => {
    expect(
      embeddingInput("text-embedding-nomic-embed-text-v1.5", "document", "Texto", "Título"),
    ).to.equal("search_document: Título\n\nTexto");
    expect(embeddingInput("text-embedding-nomic-embed-text-v1.5", "query", "¿envían?")).to.equal(
      "search_query: ¿envían?",
    );
    expect(embeddingInput("text-embedding-bge-m3", "query", "¿envían?")).to.equal("¿envían?");
    expect(chunkHash("a", "x")).not.to.equal(chunkHash("b", "x"));
    expect(chunkHash("a", "x")).to.equal(chunkHash("a", "x"));
  });
});

describe("knowledge: reading an article", () => {
  it("reads a valid article, enabled unless said otherwise", () => {
    expect(readArticle({ title: " Envíos ", body: "…", tags: ["x"] })).to.deep.equal({
      title: "Envíos",
      body: "…",
      enabled: true,
    });
    expect(
      readArticle({ title: "T", body: "", url: "https://a.b/c", enabled: false }),
    ).to.deep.equal({ title: "T", body: "", url: "https://a.b/c", enabled: false });
  });

  it("names the field that is out of shape", () => {
    const failure = (data: Record<string, unknown>): GenerationError => {
      try {
        readArticle(data);
      } catch (err) {
        if (err instanceof GenerationError) return err;
        throw err;
      }
      throw new Error("read an article that is out of shape");
    };
    const message = (data: Record<string, unknown>) => failure(data).message;
    expect(message({ body: "x" })).to.include("knowledge.title must be text of 1 to 300");
    expect(message({ title: "t", body: "x".repeat(100_001) })).to.include("knowledge.body");
    expect(message({ title: "t", body: "x", url: "ftp://x" })).to.include("knowledge.url");
    expect(message({ title: "t", body: "x", enabled: "yes" })).to.include("knowledge.enabled");
    expect(failure({}).code).to.equal("invalid_request");
  });

  it("changes its content hash with what the chunks depend on: title, body, url, enabled, model, chunking", () => {
    const article = { title: "T", body: "B", enabled: true };
    const hash = articleContentHash(article, "m", OPTIONS);
    expect(articleContentHash({ ...article }, "m", OPTIONS)).to.equal(hash);
    expect(articleContentHash({ ...article, body: "C" }, "m", OPTIONS)).not.to.equal(hash);
    expect(articleContentHash({ ...article, title: "U" }, "m", OPTIONS)).not.to.equal(hash);
    expect(articleContentHash({ ...article, url: "https://a.b" }, "m", OPTIONS)).not.to.equal(hash);
    expect(articleContentHash({ ...article, enabled: false }, "m", OPTIONS)).not.to.equal(hash);
    expect(articleContentHash(article, "other", OPTIONS)).not.to.equal(hash);
    expect(articleContentHash(article, "m", { ...OPTIONS, chunkChars: 900 })).not.to.equal(hash);
  });
});

const near = (articleId: string, position: number, distance: number, text = "x".repeat(100)) =>
  ({ articleId, title: `T ${articleId}`, text, position, distance }) as NearChunk;

describe("knowledge: choosing references", () => {
  it("keeps the nearest, at most top K and 2 per article, grouped in article order", () => {
    const chosen = selectReferences(
      [
        near("a", 2, 0.1),
        near("a", 0, 0.15),
        near("a", 1, 0.2),
        near("b", 0, 0.3),
        near("c", 0, 0.4),
        near("d", 0, 0.5),
      ],
      { topK: 4, perArticle: 2, charBudget: 3000 },
    );
    expect(chosen.map((c) => `${c.articleId}${c.position}`)).to.deep.equal([
      "a0",
      "a2",
      "b0",
      "c0",
    ]);
    expect(sourcesOf(chosen)).to.deep.equal([
      { articleId: "a", title: "T a", distance: 0.1 },
      { articleId: "b", title: "T b", distance: 0.3 },
      { articleId: "c", title: "T c", distance: 0.4 },
    ]);
  });

  it("stays inside the character budget, passing over a chunk too long for what is left", () => {
    const chosen = selectReferences(
      [
        near("a", 0, 0.1, "x".repeat(2000)),
        near("b", 0, 0.2, "y".repeat(1500)),
        near("c", 0, 0.3, "z".repeat(900)),
      ],
      { topK: 4, perArticle: 2, charBudget: 3000 },
    );
    expect(chosen.map((c) => c.articleId)).to.deep.equal(["a", "c"]);
  });

  it("embeds the customer's newest words when their messages run over 1,000 characters", () => {
    expect(questionText(["hola", " ", "¿envían a Córdoba?"])).to.equal("hola\n¿envían a Córdoba?");
    const long = questionText(["a".repeat(900), "b".repeat(300)]);
    expect(long).to.have.length(1000);
    expect(long.endsWith("b".repeat(300))).to.equal(true);
  });

  it("puts the references last, in a support-team note after the customer's words; the rules in a system prompt that never changes", () => {
    const references = [
      { ...near("envios", 0, 0.2, "Córdoba: $4.500."), url: "https://a.b/envios" },
    ];
    const block =
      "<references>\n\n[1] T envios (https://a.b/envios)\nCórdoba: $4.500.\n\n</references>";
    expect(referenceBlock([{ n: 1, reference: references[0] }])).to.equal(block);
    const trigger = {
      id: "m1",
      direction: "inbound",
      type: "text",
      text: "¿Envían a Córdoba?",
      createdAtMs: 1,
    } as const;
    const context = { facts: { channel: "whatsapp" }, history: [trigger], trigger };
    const grounded = buildSuggestionPrompt(context, {
      charBudget: 10_000,
      references,
      knowledge: true,
    });
    const ungrounded = buildSuggestionPrompt(context, {
      charBudget: 10_000,
      references: [],
      knowledge: true,
    });
    const system = grounded.messages[0].content;
    expect(system).to.include("Answer the latest message from the references in the note");
    expect(system).to.include("say you will check");
    expect(system).not.to.include("<references>");
    // Byte-identical whether this message found articles or not: the cache holds it.
    expect(ungrounded.messages[0].content).to.equal(system);
    expect(grounded.messages[1]).to.deep.equal({
      role: "user",
      content: `¿Envían a Córdoba?\n\n<note from="support team">\nReference articles for this reply:\n${block}\n</note>`,
    });
    expect(buildSystemPrompt({ channel: "whatsapp" }, false)).not.to.include(
      "Answer the latest message",
    );
  });

  it("writes knowledge and sources on the suggestion, and counts the status", () => {
    const used = knowledgeResult({
      status: "used",
      ms: 42,
      model: "m",
      references: [near("a", 0, 0.2)],
    });
    expect(used).to.deep.equal({
      fields: {
        knowledge: { status: "used", ms: 42, model: "m" },
        sources: [{ articleId: "a", title: "T a", distance: 0.2 }],
      },
      counters: { knowledge: { used: 1 } },
    });
    expect(knowledgeResult({ status: "off", ms: 0, references: [] })).to.deep.equal({
      fields: { knowledge: { status: "off", ms: 0 } },
      counters: { knowledge: { off: 1 } },
    });
    expect(
      knowledgeResult({
        status: "unavailable",
        ms: 5,
        model: "m",
        code: "provider_timeout",
        references: [],
      }).fields,
    ).to.deep.equal({
      knowledge: { status: "unavailable", ms: 5, model: "m", code: "provider_timeout" },
    });
    expect(
      addCounters({ requests: 1, knowledge: { used: 1 } }, { knowledge: { used: 1, no_match: 1 } }),
    ).to.deep.equal({
      requests: 1,
      knowledge: { used: 2, no_match: 1 },
    });
  });
});

describe("knowledge: reading LM Studio's embeddings", () => {
  const request = { model: "m", inputs: ["a", "b"] };
  it("returns one vector per input, in input order, with the dimensions", () => {
    const body = {
      object: "list",
      data: [
        { object: "embedding", embedding: [0, 1], index: 1 },
        { object: "embedding", embedding: [1, 0], index: 0 },
      ],
      model: "text-embedding-x",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    };
    expect(readEmbeddings("LM Studio", request, body)).to.deep.equal({
      vectors: [
        [1, 0],
        [0, 1],
      ],
      model: "text-embedding-x",
      dimensions: 2,
    });
  });

  it("refuses what cannot be a vector: a base64 string, a missing item, mixed sizes, NaN", () => {
    const code = (body: unknown) => {
      try {
        readEmbeddings("LM Studio", request, body);
        return "none";
      } catch (err) {
        return `${(err as GenerationError).code}: ${(err as Error).message}`;
      }
    };
    expect(
      code({
        data: [
          { embedding: "AAAA", index: 0 },
          { embedding: "AAAA", index: 1 },
        ],
      }),
    ).to.include('encoding_format "float"');
    expect(code({ data: [{ embedding: [1], index: 0 }] })).to.include("expected 2 vectors, got 1");
    expect(
      code({
        data: [
          { embedding: [1], index: 0 },
          { embedding: [1, 2], index: 1 },
        ],
      }),
    ).to.include("differ in size");
    expect(
      code({
        data: [
          { embedding: [NaN], index: 0 },
          { embedding: [1], index: 1 },
        ],
      }),
    ).to.include("finite");
    expect(
      code({
        error:
          "No models loaded. Please load a model in the developer page or use the 'lms load' command.",
      }),
    ).to.match(/^model_not_found/);
  });

  it("tells a model of the wrong kind from a missing one", () => {
    expect(
      classifyErrorBody(
        {
          error: {
            message: 'Failed to load model "gpt-oss-20b". Error: Model is not embedding.',
            code: "model_not_found",
          },
        },
        "LM Studio",
      )?.code,
    ).to.equal("wrong_model_type");
    expect(
      classifyErrorBody(
        { error: 'Model "x" not found. Please specify a valid model.' },
        "LM Studio",
      )?.code,
    ).to.equal("model_not_found");
  });
});
