import { expect } from "chai";
import type { DocumentData } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { decideWorkspaceAiSettings } from "../../src/config/workspaceAiSettings";
import { retrieveKnowledge } from "../../src/retrieval/retrieveKnowledge";
import { workspaceModelRequest } from "../../src/providers/providerRouter";
import { loadProviderRuntime } from "../../src/providers/providerRuntime";
import { BridgeWorker } from "../../src/bridge/bridgeWorker";
import { jobIdOf } from "../../src/queue/jobQueue";
import { EMBEDDING_MODEL, FakeLmStudio } from "../support/fakeLmStudio";
import { commandEnv, runCommand } from "../support/runCommand";
import {
  createMessage,
  db,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  requestFromInbox,
  seedConversation,
  useSuiteEnv,
  withEnv,
  writeArticle,
} from "../support/harness";
import { untilDocument, untilQuery } from "../support/watchDocument";

/*
 * Suggestions grounded in the team's help center, through the real triggers: articles indexed by
 * onKnowledgeWritten with the test server's embeddings, retrieved by Firestore's findNearest on
 * whichever emulator the suite runs on.
 */

const ENVIOS = {
  title: "Envíos al interior",
  url: "https://ayuda.example.com/envios",
  body: [
    "# Envíos al interior",
    "",
    "Hacemos envíos a todo el país por Correo Argentino. A Córdoba el envío cuesta $4.500 y llega en 3 a 5 días hábiles.",
    "",
    "## Seguimiento",
    "",
    "Cuando despachamos el paquete te mandamos el código de seguimiento por WhatsApp.",
  ].join("\n"),
};
const DEVOLUCIONES = {
  title: "Cambios y devoluciones",
  body: "Tenés 30 días para cambiar o devolver un producto sin uso, con la factura. El cambio es gratis.",
};
const PAGOS = {
  title: "Medios de pago",
  body: "Aceptamos tarjeta de crédito en hasta 6 cuotas sin interés, transferencia bancaria y Mercado Pago.",
};
const SHIPPING_QUESTION = "hola! mandan a Córdoba? cuánto sale el envío?";
const UNRELATED_QUESTION = "mi sobrino cumple el martes, qué regalo me recomendás?";
const RAG_SETTINGS = { ...GOOD_SETTINGS, flags: { ...GOOD_SETTINGS.flags, rag: true } };

describe("knowledge-grounded suggestions (articles → embeddings → findNearest → prompt)", function () {
  this.timeout(30_000);
  const lm = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_MODE: undefined,
    LLM_MAX_ATTEMPTS: "2",
    LLM_RETRY_BASE_DELAY_MS: "10",
    BURST_WINDOW_MS: "0",
    // The test server's vectors are bags of hashed words: a paraphrase that shares two or three
    // words with an article lands near 0.8, an unrelated text near 1.
    RAG_MAX_DISTANCE: "0.9",
    RAG_CHUNK_CHARS: undefined,
    RAG_EMBED_BATCH: undefined,
  }));
  beforeEach(() => {
    lm.models.push({ ...EMBEDDING_MODEL });
    lm.answer = () => ({ content: "¡Hola! Sí, enviamos a Córdoba." });
  });

  async function workspaceWithFaq(settings: DocumentData = RAG_SETTINGS) {
    const { workspaceId } = await seedConversation({ settings });
    for (const [id, article] of Object.entries({
      envios: ENVIOS,
      devoluciones: DEVOLUCIONES,
      pagos: PAGOS,
    })) {
      await (
        await writeArticle(workspaceId, id, article)
      )();
    }
    return workspaceId;
  }

  async function customerAsks(workspaceId: string, text: string) {
    const conversation = await seedConversation({ workspaceId, settings: null });
    const address = await createMessage(conversation, { direction: "inbound", text });
    lm.requests.length = 0;
    await deliverMessageCreated(address);
    // The whole prompt: the references ride in the last turn, the rules in the system role.
    const prompt = (lm.chatRequests()[0]?.body?.messages ?? []).map((m) => m.content).join("\n");
    return { suggestion: (await readSuggestion(address)) as DocumentData, prompt };
  }

  const chunksOf = async (workspaceId: string, articleId: string) =>
    (
      await db()
        .collection(paths.knowledgeChunks(workspaceId))
        .where("articleId", "==", articleId)
        .get()
    ).docs
      .map((d) => d.data())
      .sort((a, b) => a.position - b.position);

  it("answers a paraphrased question from the right article, with its source and its text in the prompt", async () => {
    const workspaceId = await workspaceWithFaq();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "envios")).get()).data();
    expect(index).to.deep.include({
      status: "ready",
      model: "text-embedding-nomic-embed-text-v1.5",
      dimensions: 768,
      error: null,
    });
    // The index counts exactly the chunks stored for the article.
    expect(index?.chunks)
      .to.be.at.least(1)
      .and.equal((await chunksOf(workspaceId, "envios")).length);

    const { suggestion, prompt } = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(suggestion.status).to.equal("ready");
    expect(suggestion.knowledge).to.deep.include({
      status: "used",
      model: "text-embedding-nomic-embed-text-v1.5",
    });
    expect(suggestion.knowledge.ms).to.be.a("number");
    expect(suggestion.sources[0]).to.deep.include({
      articleId: "envios",
      title: "Envíos al interior",
      url: "https://ayuda.example.com/envios",
    });
    expect(suggestion.sources[0].distance).to.be.within(0, 0.9);
    expect(
      new Set(suggestion.sources.map((s: { articleId: string }) => s.articleId)).size,
    ).to.equal(suggestion.sources.length);
    // The article's facts reach the model last, as a delimited block in a support-team note after
    // the customer's words; the rules for using them are in the system role, which holds no
    // reference (it stays the same for every request of the conversation).
    expect(prompt).to.include("A Córdoba el envío cuesta $4.500");
    const turns = lm.chatRequests()[0].body?.messages ?? [];
    expect(turns[0].content).to.include("Never state a price, date, delivery time, policy or link");
    expect(turns[0].content).not.to.include("<references>");
    const last = turns[turns.length - 1];
    expect(last.role).to.equal("user");
    expect(
      last.content.startsWith(`${SHIPPING_QUESTION}\n\n<note from="support team">\n`),
    ).to.equal(true);
    expect(last.content)
      .to.include("<references>")
      .and.to.include("A Córdoba el envío cuesta $4.500");
    // The question was embedded as a query, in floats.
    const query = lm.embeddingRequests()[0].body as { input: string[]; encoding_format: string };
    expect(query.encoding_format).to.equal("float");
    expect(query.input).to.deep.equal([`search_query: ${SHIPPING_QUESTION}`]);
  });

  it("keeps a message's references after its words in the next prompts, cites one given before by number, and makes a regenerate's own note again", async () => {
    const workspaceId = await workspaceWithFaq();
    const conversation = await seedConversation({ workspaceId, settings: null });
    lm.requests.length = 0;
    const first = await createMessage(conversation, {
      direction: "inbound",
      text: SHIPPING_QUESTION,
    });
    await deliverMessageCreated(first);
    await createMessage(conversation, { direction: "outbound", text: "Sí, a Córdoba llega." });
    const second = await createMessage(conversation, {
      direction: "inbound",
      text: "y el envío a Córdoba cuánto tarda? puedo pagar con tarjeta en cuotas?",
    });
    await deliverMessageCreated(second);
    const [a, b] = lm.chatRequests().map((r) => r.body?.messages ?? []);
    // The first prompt, note and all, is the start of the second: the server re-reads none of it.
    expect(b.slice(0, a.length)).to.deep.equal(a);
    expect(a.at(-1)?.content).to.include("[1] Envíos al interior");
    const newest = b.at(-1)?.content ?? "";
    expect(newest.startsWith("y el envío a Córdoba")).to.equal(true);
    // Shipping again: cited by its number, not repeated; the payments article given in full.
    expect(newest).to.include(
      "[1] Envíos al interior (https://ayuda.example.com/envios): given above",
    );
    // Numbered after the first note's references (the shipping article's chunks).
    const given = ((await readSuggestion(first))?.prompt?.note?.refs ?? []).length;
    expect(given).to.be.at.least(1);
    expect(newest).to.include(`[${given + 1}] Medios de pago\nAceptamos tarjeta`);
    expect(newest).not.to.include("Correo Argentino");
    const recorded = (await readSuggestion(second))?.prompt;
    const firstChars = a.reduce((sum, m) => sum + m.content.length, 0);
    expect(recorded).to.deep.include({
      notedMessageIds: [first.messageId, second.messageId],
      reusedChars: firstChars,
    });

    const request = await requestFromInbox(conversation, {
      kind: "regenerate",
      messageId: second.messageId,
      instruction: "más corto",
    });
    await request.deliver();
    const c = lm.chatRequests()[2].body?.messages ?? [];
    // The same prompt up to the newest note, made again once, then the agent's instruction.
    expect(c.slice(0, -1)).to.deep.equal(b.slice(0, -1));
    expect(c.at(-1)?.content.startsWith(newest)).to.equal(true);
    expect(c.at(-1)?.content.split("<references>")).to.have.length(2);
    expect(c.at(-1)?.content).to.include("más corto");
  });

  it("gives no_match, no reference block, and a gap for kb:gaps, for an unrelated question", async () => {
    const workspaceId = await workspaceWithFaq();
    const { suggestion, prompt } = await customerAsks(workspaceId, UNRELATED_QUESTION);
    expect(suggestion.status).to.equal("ready");
    expect(suggestion.knowledge.status).to.equal("no_match");
    expect(suggestion.sources).to.equal(undefined);
    expect(prompt).not.to.include("<references>");
    await untilQuery(db().collection(paths.knowledgeGaps(workspaceId)), (gaps) =>
      gaps.docs.some((d) => d.get("question") === UNRELATED_QUESTION && d.get("count") === 1),
    );
  });

  it("re-embeds only the chunks an edit changed, and nothing for an unchanged re-save or a redelivery", async () => {
    const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
    const sections = Array.from(
      { length: 4 },
      (_, i) =>
        `## Sección ${i}\n\n${`Texto de la sección ${i} sobre envíos y plazos. `.repeat(20)}`,
    );
    const deliver = await writeArticle(workspaceId, "manual", {
      title: "Manual de envíos",
      body: sections.join("\n\n"),
    });
    await deliver();
    const first = await chunksOf(workspaceId, "manual");
    const embeddedFirst = lm.embeddedInputs().flat().length;
    expect(embeddedFirst).to.equal(first.length);
    expect(first.length).to.be.at.least(4);

    // The same event again, and an unchanged re-save: no embedding call at all.
    await deliver();
    await (
      await writeArticle(workspaceId, "manual", {
        title: "Manual de envíos",
        body: sections.join("\n\n"),
        tags: ["envíos"],
      })
    )();
    expect(lm.embeddedInputs().flat().length).to.equal(embeddedFirst);

    sections[2] = "## Sección 2\n\nAhora los envíos a Tierra del Fuego tardan 10 días.";
    await (
      await writeArticle(workspaceId, "manual", {
        title: "Manual de envíos",
        body: sections.join("\n\n"),
      })
    )();
    const reembedded = lm.embeddedInputs().slice(-1)[0];
    expect(reembedded).to.have.length(1);
    expect(reembedded[0]).to.include("Tierra del Fuego");
    const after = await chunksOf(workspaceId, "manual");
    expect(after.map((c) => c.text).join("\n")).to.include("Tierra del Fuego");
    expect(after.map((c) => c.text).join("\n")).not.to.include("Texto de la sección 2");
  });

  it("removes a deleted or disabled article from retrieval", async () => {
    const workspaceId = await workspaceWithFaq();
    await (
      await writeArticle(workspaceId, "envios", { ...ENVIOS, enabled: false })
    )();
    expect((await chunksOf(workspaceId, "envios")).every((c) => c.enabled === false)).to.equal(
      true,
    );
    const disabled = await customerAsks(workspaceId, SHIPPING_QUESTION);
    // The other articles share no words with the question: nothing is near enough now.
    expect(disabled.suggestion.status).to.equal("ready");
    expect(disabled.suggestion.knowledge.status).to.equal("no_match");
    expect(disabled.prompt).to.include("Write the next reply");
    expect(disabled.prompt).not.to.include("$4.500");

    await (
      await writeArticle(workspaceId, "envios", null)
    )();
    expect(await chunksOf(workspaceId, "envios")).to.deep.equal([]);
    expect((await db().doc(paths.knowledgeIndex(workspaceId, "envios")).get()).exists).to.equal(
      false,
    );
    const deleted = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(deleted.suggestion.knowledge.status).to.equal("no_match");
    expect(deleted.prompt).to.include("Write the next reply");
    expect(deleted.prompt).not.to.include("$4.500");
  });

  it("keeps a re-created article's chunks when the delete's event is handled after it", async () => {
    const workspaceId = await workspaceWithFaq();
    const deleteEvent = await writeArticle(workspaceId, "envios", null);
    await (
      await writeArticle(workspaceId, "envios", ENVIOS)
    )();
    await deleteEvent();
    expect(await chunksOf(workspaceId, "envios")).to.have.length.at.least(1);
    expect(
      (await db().doc(paths.knowledgeIndex(workspaceId, "envios")).get()).get("status"),
    ).to.equal("ready");
    const { suggestion } = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(suggestion.sources.map((x: { articleId: string }) => x.articleId)).to.include("envios");
  });

  it("writes nothing for an article deleted while its chunks were being embedded", async () => {
    const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
    let release: () => void = () => undefined;
    lm.embeddingGate = () => new Promise<void>((resolve) => (release = resolve));
    const indexing = (
      await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 9 a 18." })
    )();
    await lm.until(() => lm.embeddingRequests().length === 1);
    await (
      await writeArticle(workspaceId, "horarios", null)
    )();
    release();
    await indexing;
    expect(await chunksOf(workspaceId, "horarios")).to.deep.equal([]);
    expect((await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).exists).to.equal(
      false,
    );
  });

  it("lets no failure of an older edit overwrite the newer edit's ready index", async () => {
    const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
    let releaseOlder: () => void = () => undefined;
    const olderHeld = new Promise<void>((resolve) => (releaseOlder = resolve));
    lm.embeddingGate = (index) => (index === 0 ? olderHeld : Promise.resolve());
    // The older edit's call ends in a permanent error, once the newer edit is indexed.
    lm.embeddingFaults = [
      {
        kind: "status",
        status: 404,
        body: { error: { message: "Model is not embedding.", code: "model_not_found" } },
      },
    ];
    const older = (
      await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 9 a 18." })
    )();
    await lm.until(() => lm.embeddingRequests().length === 1);
    await (
      await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 10 a 20." })
    )();
    releaseOlder();
    await older;
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).data();
    expect(index?.status).to.equal("ready");
    expect(index?.error).to.equal(null);
    expect((await chunksOf(workspaceId, "horarios")).map((c) => [c.text, c.enabled])).to.deep.equal(
      [["De 10 a 20.", true]],
    );
  });

  it("takes an edited article out of retrieval when its new version cannot be indexed", async () => {
    const workspaceId = await workspaceWithFaq();
    lm.embeddingFaults = [
      {
        kind: "status",
        status: 404,
        body: { error: { message: "Model is not embedding.", code: "model_not_found" } },
      },
    ];
    await (
      await writeArticle(workspaceId, "envios", {
        ...ENVIOS,
        body: "Ahora el envío a Córdoba cuesta $9.000.",
      })
    )();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "envios")).get()).data();
    expect(index?.status).to.equal("error");
    expect(index?.error.code).to.equal("wrong_model_type");
    // The old price is no longer offered to the model.
    expect((await chunksOf(workspaceId, "envios")).every((c) => c.enabled === false)).to.equal(
      true,
    );
    const { prompt } = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(prompt).not.to.include("$4.500");
  });

  it("goes ahead without knowledge when the embedding server is down", async () => {
    const workspaceId = await workspaceWithFaq();
    lm.embeddingsDown = true;
    const { suggestion, prompt } = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(suggestion.status).to.equal("ready");
    expect(suggestion.text).to.equal("¡Hola! Sí, enviamos a Córdoba.");
    expect(suggestion.knowledge).to.deep.include({
      status: "unavailable",
      code: "provider_unreachable",
    });
    expect(prompt).not.to.include("<references>");
  });

  it("never holds a suggestion past RAG_TIMEOUT_MS: a hung embedding call ends unavailable", async () => {
    const workspaceId = await workspaceWithFaq();
    const restore = withEnv({ RAG_TIMEOUT_MS: "300" });
    try {
      lm.embeddingFaults = [{ kind: "hang" }];
      const { suggestion, prompt } = await customerAsks(workspaceId, SHIPPING_QUESTION);
      expect(suggestion.status).to.equal("ready");
      expect(suggestion.knowledge).to.deep.include({
        status: "unavailable",
        code: "provider_timeout",
      });
      expect(prompt).not.to.include("<references>");
    } finally {
      restore();
    }
  });

  it("does not queue a knowledge lookup behind the chat calls holding every slot", async () => {
    const workspaceId = await workspaceWithFaq();
    const restore = withEnv({ LLM_CONCURRENCY: "1" });
    const busy = new AbortController();
    try {
      // The only chat slot is held by an answer that never comes.
      lm.faults = [{ kind: "hang" }];
      const runtime = loadProviderRuntime(process.env);
      const settings = decideWorkspaceAiSettings(RAG_SETTINGS);
      if (settings.kind !== "enabled") throw new Error("settings expected");
      const holding = runtime.router.complete(
        workspaceModelRequest(settings.settings),
        [{ role: "user", content: "hola" }],
        { deadlineAt: Date.now() + 60_000, signal: busy.signal },
      );
      await lm.until(() => lm.chatRequests().length === 1);
      const lookup = await retrieveKnowledge(db(), runtime.router, {
        workspaceId,
        question: SHIPPING_QUESTION,
        model: EMBEDDING_MODEL.id,
        config: { ...runtime.config.knowledge, timeoutMs: 60_000 },
      });
      expect(lookup.status).to.equal("used");
      busy.abort();
      await holding;
    } finally {
      busy.abort();
      restore();
    }
  });

  it("gives way to a newer customer message while the knowledge lookup is still running", async () => {
    const workspaceId = await workspaceWithFaq();
    // Far beyond the test's own timeout: only the newer message can end the first lookup.
    const restore = withEnv({ RAG_TIMEOUT_MS: "60000" });
    try {
      lm.embeddingFaults = [{ kind: "hang" }];
      const conversation = await seedConversation({ workspaceId, settings: null });
      const first = await createMessage(conversation, { direction: "inbound", text: "hola" });
      lm.requests.length = 0;
      const answeringFirst = deliverMessageCreated(first);
      await lm.until(() => lm.embeddingRequests().length === 1);
      const second = await createMessage(conversation, {
        direction: "inbound",
        text: SHIPPING_QUESTION,
      });
      await deliverMessageCreated(second);
      await answeringFirst;
      expect((await readSuggestion(first))?.status).to.equal("superseded");
      expect((await readSuggestion(second))?.knowledge.status).to.equal("used");
      // The first lookup never reached the model.
      expect(lm.chatRequests()).to.have.length(1);
    } finally {
      restore();
    }
  });

  it("matches nothing stale after the embedding model changes, until the articles are re-embedded", async () => {
    const workspaceId = await workspaceWithFaq();
    lm.models.push({ ...EMBEDDING_MODEL, id: "text-embedding-bge-m3", dimensions: 1024 });
    await db()
      .doc(paths.aiSettings(workspaceId))
      .set({ ...RAG_SETTINGS, tasks: { embeddings: { model: "text-embedding-bge-m3" } } });
    const stale = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(stale.suggestion.knowledge).to.deep.include({
      status: "not_indexed",
      model: "text-embedding-bge-m3",
    });

    await (
      await writeArticle(workspaceId, "envios", { ...ENVIOS, tags: ["reindex"] })
    )();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "envios")).get()).data();
    expect(index).to.deep.include({ model: "text-embedding-bge-m3", dimensions: 1024 });
    const fresh = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(fresh.suggestion.knowledge.status).to.equal("used");
    expect(fresh.suggestion.sources.map((s: { articleId: string }) => s.articleId)).to.deep.equal([
      "envios",
    ]);
  });

  it("ends two racing edits with the newer one's chunks, whichever finishes last", async () => {
    const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
    let releaseOlder: () => void = () => undefined;
    const olderHeld = new Promise<void>((resolve) => (releaseOlder = resolve));
    // The older edit's embedding call is held until the newer edit has been indexed.
    lm.embeddingGate = (index) => (index === 0 ? olderHeld : Promise.resolve());
    const older = (
      await writeArticle(workspaceId, "horarios", {
        title: "Horarios",
        body: "Abrimos de lunes a viernes de 9 a 18.",
      })
    )();
    await lm.until(() => lm.embeddingRequests().length === 1);
    await (
      await writeArticle(workspaceId, "horarios", {
        title: "Horarios",
        body: "Abrimos de lunes a sábado de 10 a 20.",
      })
    )();
    releaseOlder();
    await older;
    const chunks = await chunksOf(workspaceId, "horarios");
    expect(chunks.map((c) => c.text)).to.deep.equal(["Abrimos de lunes a sábado de 10 a 20."]);
    expect(
      (await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).get("status"),
    ).to.equal("ready");
  });

  it("records a terminal indexing failure with its code and hint: a chat model named as the embedder", async () => {
    const { workspaceId } = await seedConversation({
      settings: {
        ...RAG_SETTINGS,
        tasks: { embeddings: { model: "gpt-oss-20b" } },
        locale: "es-AR",
      },
    });
    await (
      await writeArticle(workspaceId, "pagos", PAGOS)
    )();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "pagos")).get()).data();
    expect(index?.status).to.equal("error");
    expect(index?.error.code).to.equal("wrong_model_type");
    expect(index?.error.message).to.include("Model is not embedding");
    expect(index?.error.hint).to.include("settings/ai.tasks.embeddings.model");
    expect(index?.error.hint).to.include("modelo de embeddings");
  });

  it("refuses an embedding model whose vectors are too large for Firestore, naming the setting", async () => {
    lm.models.push({ ...EMBEDDING_MODEL, id: "text-embedding-huge", dimensions: 3072 });
    const { workspaceId } = await seedConversation({
      settings: { ...RAG_SETTINGS, tasks: { embeddings: { model: "text-embedding-huge" } } },
    });
    await (
      await writeArticle(workspaceId, "pagos", PAGOS)
    )();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "pagos")).get()).data();
    expect(index?.status).to.equal("error");
    expect(index?.error.code).to.equal("invalid_config");
    expect(index?.error.message).to.include(
      'settings/ai.tasks.embeddings.model "text-embedding-huge" makes 3072-dimension vectors; Firestore\'s vector search takes at most 2048',
    );
    expect(await chunksOf(workspaceId, "pagos")).to.deep.equal([]);
  });

  it("refuses an article that would make more chunks than one transaction swaps, naming the way out", async () => {
    const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
    const body = Array.from({ length: 500 }, (_, i) => `## Pregunta ${i}\n\nRespuesta ${i}.`).join(
      "\n\n",
    );
    await (
      await writeArticle(workspaceId, "preguntas", { title: "Todas las preguntas", body })
    )();
    const index = (await db().doc(paths.knowledgeIndex(workspaceId, "preguntas")).get()).data();
    expect(index?.status).to.equal("error");
    expect(index?.error.code).to.equal("invalid_request");
    expect(index?.error.message).to.include(
      "knowledge.body makes 500 chunks; an article may make at most 450",
    );
    expect(lm.embeddingRequests()).to.have.length(0);
  });

  it("leaves knowledge off, and says so, when flags.rag is false", async () => {
    const workspaceId = await workspaceWithFaq(GOOD_SETTINGS);
    const { suggestion, prompt } = await customerAsks(workspaceId, SHIPPING_QUESTION);
    expect(suggestion.knowledge).to.deep.equal({ status: "off", ms: 0 });
    expect(lm.embeddingRequests()).to.have.length(0);
    expect(prompt).not.to.include("<references>");
  });

  it("counts knowledge per day, and agent use split by knowledge status", async () => {
    const workspaceId = await workspaceWithFaq();
    const conversation = await seedConversation({ workspaceId, settings: null });
    const asked = await createMessage(conversation, {
      direction: "inbound",
      text: SHIPPING_QUESTION,
    });
    await deliverMessageCreated(asked);
    await customerAsks(workspaceId, UNRELATED_QUESTION);
    const reply = await createMessage(conversation, {
      direction: "outbound",
      text: "¡Hola! Sí, enviamos a Córdoba.",
      suggestionId: asked.messageId,
    });
    await deliverMessageCreated(reply);
    const day = new Date().toISOString().slice(0, 10);
    const metrics = (await db().doc(paths.dailyMetrics(workspaceId, day)).get()).data();
    expect(metrics?.knowledge).to.deep.equal({ used: 1, no_match: 1 });
    expect(metrics?.byKnowledge).to.deep.equal({ used: { agentUse: { sent_as_is: 1 } } });
    // npm run quality puts grounded and ungrounded suggestions side by side.
    const quality = await runCommand(
      "src/cli/quality.js",
      ["--workspace", workspaceId, "--json"],
      commandEnv({
        FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
        GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
      }),
    );
    expect(quality.code, quality.stderr).to.equal(0);
    const table = JSON.parse(quality.stdout) as {
      knowledge: { name: string; suggestions: number; measured: number; percent: object }[];
    };
    expect(table.knowledge).to.have.length(1);
    expect(table.knowledge[0]).to.deep.include({ name: "used", suggestions: 1, measured: 1 });
    expect(table.knowledge[0].percent).to.deep.equal({ sent_as_is: 100, edited: 0, not_used: 0 });
  });

  it("asks for floats on every embedding call; LM Studio sends floats whatever is asked", async () => {
    await workspaceWithFaq();
    const formats = lm
      .embeddingRequests()
      .map((r) => (r.body as { encoding_format?: string }).encoding_format);
    expect(formats.length).to.be.at.least(3);
    expect(new Set(formats)).to.deep.equal(new Set(["float"]));
    // The SDK's own default is base64; LM Studio ignores it, as the test server does. (openai
    // 7.57 leaves an array it did not expect alone; older versions "decoded" it into garbage.)
    const response = await fetch(`${lm.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: EMBEDDING_MODEL.id,
        input: ["hola"],
        encoding_format: "base64",
      }),
    });
    const body = (await response.json()) as {
      data: { embedding: unknown }[];
      usage: Record<string, number>;
    };
    expect(body.data[0].embedding).to.be.an("array").with.length(768);
    expect(body.usage).to.deep.equal({ prompt_tokens: 0, total_tokens: 0 });
    const empty = await fetch(`${lm.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: EMBEDDING_MODEL.id, input: [""] }),
    });
    expect(empty.status).to.equal(400);
  });

  it("re-embeds every article with a new embedding model, and retries failed ones, with npm run kb:reindex", async () => {
    const workspaceId = await workspaceWithFaq({ ...RAG_SETTINGS, locale: "es-AR" });
    // One article whose indexing failed: LM Studio was down when it was written. The trigger
    // records it and throws, for the platform to deliver the event again.
    lm.embeddingsDown = true;
    const thrown = await (
      await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 9 a 18." })
    )().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(thrown?.message).to.include("horarios not indexed (provider_unreachable): recorded");
    const failed = (await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).data();
    expect(failed?.status).to.equal("error");
    expect(failed?.error.code).to.equal("provider_unreachable");
    lm.embeddingsDown = false;
    lm.models.push({ ...EMBEDDING_MODEL, id: "text-embedding-bge-m3", dimensions: 1024 });
    await db()
      .doc(paths.aiSettings(workspaceId))
      .set({
        ...RAG_SETTINGS,
        locale: "es-AR",
        tasks: { embeddings: { model: "text-embedding-bge-m3" } },
      });
    lm.requests.length = 0;
    const env = commandEnv({
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
      GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
      LLM_STUDIO_URL: lm.url,
      LLM_STUDIO_MODE: "bridge",
      // A terminal that names no language: the workspace's es-AR decides.
      LANG: "C.UTF-8",
    });
    const run = await runCommand("src/cli/kbReindex.js", ["--workspace", workspaceId], env);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    expect(run.stdout).to.include("Reindexando 4 artículo(s) con text-embedding-bge-m3");
    expect(run.stdout).to.match(
      /\[1\/4\] \S+ {2}listo \(\d+ fragmentos, \d+ con embedding nuevo\)/,
    );
    expect(run.stdout).to.include("4 artículo(s): 4 indexados, 0 sin cambios, 0 con error.");
    expect(
      (await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).get("status"),
    ).to.equal("ready");
    const models = new Set(lm.embeddingRequests().map((r) => (r.body as { model: string }).model));
    expect(models).to.deep.equal(new Set(["text-embedding-bge-m3"]));
    const chunks = await db().collection(paths.knowledgeChunks(workspaceId)).get();
    expect(new Set(chunks.docs.map((d) => d.get("embeddingModel")))).to.deep.equal(
      new Set(["text-embedding-bge-m3"]),
    );

    // Nothing left to do: a second run embeds nothing.
    lm.requests.length = 0;
    const again = await runCommand("src/cli/kbReindex.js", ["--workspace", workspaceId], env);
    expect(again.stdout).to.include("4 artículo(s): 0 indexados, 4 sin cambios, 0 con error.");
    expect(lm.embeddingRequests()).to.have.length(0);
  });

  describe("bridge mode", () => {
    let bridge: BridgeWorker | undefined;
    afterEach(async () => {
      await bridge?.stop(1_000);
      bridge = undefined;
    });

    it("indexes the newer version when an edit comes while the bridge runs the older one", async () => {
      const restore = withEnv({ LLM_STUDIO_MODE: "bridge", BRIDGE_HEARTBEAT_MS: "200" });
      try {
        const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
        let releaseOlder: () => void = () => undefined;
        const olderHeld = new Promise<void>((resolve) => (releaseOlder = resolve));
        lm.embeddingGate = (index) => (index === 0 ? olderHeld : Promise.resolve());
        await (
          await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 9 a 18." })
        )();
        bridge = new BridgeWorker(db(), { ...process.env }, undefined, "kb-bridge-2");
        await bridge.start();
        await lm.until(() => lm.embeddingRequests().length === 1);
        // The edit's event finds the job running: its lease is left alone.
        await (
          await writeArticle(workspaceId, "horarios", { title: "Horarios", body: "De 10 a 20." })
        )();
        const jobRef = db().doc(
          paths.llmJob(jobIdOf(paths.knowledgeIndex(workspaceId, "horarios"))),
        );
        expect((await jobRef.get()).get("status")).to.equal("running");
        releaseOlder();
        await untilDocument(jobRef, (job) => job.status === "done");
        expect((await chunksOf(workspaceId, "horarios")).map((c) => c.text)).to.deep.equal([
          "De 10 a 20.",
        ]);
        const index = (await db().doc(paths.knowledgeIndex(workspaceId, "horarios")).get()).data();
        expect(index?.status).to.equal("ready");
        expect((await jobRef.get()).get("runs")).to.equal(2);
      } finally {
        restore();
      }
    });

    it("embeds on the bridge, for indexing and for retrieval", async () => {
      const restore = withEnv({ LLM_STUDIO_MODE: "bridge", BRIDGE_HEARTBEAT_MS: "200" });
      try {
        const { workspaceId } = await seedConversation({ settings: RAG_SETTINGS });
        await (
          await writeArticle(workspaceId, "envios", ENVIOS)
        )();
        // The functions cannot reach LM Studio: they queued the indexing.
        expect(lm.embeddingRequests()).to.have.length(0);
        const indexPath = paths.knowledgeIndex(workspaceId, "envios");
        expect((await db().doc(indexPath).get()).get("status")).to.equal("indexing");

        bridge = new BridgeWorker(db(), { ...process.env }, undefined, "kb-bridge");
        await bridge.start();
        await untilDocument(db().doc(indexPath), (index) => index.status === "ready");
        expect(lm.embeddingRequests().length).to.be.at.least(1);

        const conversation = await seedConversation({ workspaceId, settings: null });
        const address = await createMessage(conversation, {
          direction: "inbound",
          text: SHIPPING_QUESTION,
        });
        await deliverMessageCreated(address);
        await untilDocument(db().doc(paths.suggestion(address)), (d) => d.status === "ready");
        const suggestion = (await readSuggestion(address)) as DocumentData;
        expect(suggestion.knowledge.status).to.equal("used");
        expect(suggestion.sources[0].articleId).to.equal("envios");
      } finally {
        restore();
      }
    });
  });
});
