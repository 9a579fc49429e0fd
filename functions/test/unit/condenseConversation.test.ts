import { expect } from "chai";
import type { QueryDocumentSnapshot } from "firebase-admin/firestore";
import type { ChatMessage } from "../../src/core/vocabulary";
import {
  condenseConversation,
  INSTRUCTIONS_ROOM,
} from "../../src/tasks/conversationReport/transcript";

/** Pages of messages as the report reads them, newest first (plain data, no database). */
async function* pagesOf(texts: string[], pageSize = 50): AsyncIterable<QueryDocumentSnapshot[]> {
  const docs = texts
    .map((text, i) => ({
      id: `m${i}`,
      data: () => ({
        direction: i % 2 ? "outbound" : "inbound",
        type: "text",
        text,
        createdAt: null,
      }),
    }))
    .reverse() as unknown as QueryDocumentSnapshot[];
  for (let i = 0; i < docs.length; i += pageSize) yield docs.slice(i, i + pageSize);
}

describe("condenseConversation: a conversation of any length into one prompt, through ask", () => {
  const limits = (charBudget: number, maxMessages = 10_000) => ({
    pageSize: 50,
    charBudget,
    maxMessages,
  });

  it("a conversation that fits is the transcript itself, oldest first, with no model call", async () => {
    const asked: ChatMessage[][] = [];
    const condensed = await condenseConversation(
      pagesOf(["hola", "¿en qué te ayudo?"]),
      limits(10_000),
      async (m) => {
        asked.push(m);
        return "resumen";
      },
    );
    expect(asked).to.have.length(0);
    expect(condensed).to.deep.include({ kind: "transcript", modelCalls: 0, documentsRead: 2 });
    expect(condensed.input).to.equal("Customer: hola\nAgent: ¿en qué te ayudo?");
  });

  it("a long one is summarised in chunks that each fit, then the summaries, in order", async () => {
    const texts = Array.from(
      { length: 400 },
      (_, i) => `mensaje número ${i} ${"palabra ".repeat(8)}`,
    );
    const budget = INSTRUCTIONS_ROOM + 3_000;
    const prompts: string[] = [];
    let n = 0;
    const condensed = await condenseConversation(
      pagesOf(texts),
      limits(budget),
      async (messages) => {
        prompts.push(messages[1].content);
        n += 1;
        return `resumen ${n}`;
      },
    );
    expect(condensed.kind).to.equal("summaries");
    expect(condensed.modelCalls).to.equal(prompts.length).and.be.above(1);
    for (const prompt of prompts) expect(prompt.length).to.be.at.most(budget - INSTRUCTIONS_ROOM);
    // Read newest first, each chunk is still given to the model oldest first.
    const transcripts = prompts.filter((p) => p.startsWith("Customer:") || p.startsWith("Agent:"));
    expect(transcripts.length).to.be.above(1);
    for (const prompt of transcripts) {
      const numbers = [...prompt.matchAll(/mensaje número (\d+)/g)].map((m) => Number(m[1]));
      expect(numbers).to.deep.equal([...numbers].sort((a, b) => a - b));
    }
    expect(transcripts[0]).to.contain("mensaje número 399 ");
    expect(condensed.documentsRead).to.equal(400);
    expect(condensed.coverage).to.include({ messages: 400, truncated: false });
  });

  it("beyond maxMessages covers the newest ones and says so", async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const condensed = await condenseConversation(
      pagesOf(texts),
      limits(10_000, 10),
      async () => "x",
    );
    expect(condensed.coverage).to.include({ messages: 10, truncated: true });
    expect(condensed.input).to.contain("m29").and.not.contain("m19\n");
  });

  it("a failed model call ends the condensing with that failure", async () => {
    const texts = Array.from({ length: 400 }, (_, i) => `mensaje ${i} ${"palabra ".repeat(8)}`);
    let error: unknown;
    try {
      await condenseConversation(pagesOf(texts), limits(INSTRUCTIONS_ROOM + 3_000), async () => {
        throw new Error("LM Studio se cayó");
      });
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.equal("LM Studio se cayó");
  });
});
