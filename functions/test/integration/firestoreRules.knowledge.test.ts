import { randomUUID } from "node:crypto";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { expect } from "chai";
import {
  collection,
  deleteDoc,
  deleteField,
  doc,
  DocumentData,
  getDocs,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  vector,
} from "firebase/firestore";
import { paths } from "../../src/core/paths";
import {
  ADMIN,
  AGENT,
  ANONYMOUS,
  Caller,
  hasVectorIndex,
  OUTSIDER,
  rulesWorldForSuite,
  without,
  Workspace,
} from "../support/rulesEnvironment";

/** A client's clock, a little behind: anything but the server's `request.time`. */
const aMinuteAgo = () => Timestamp.fromMillis(Date.now() - 60_000);

/** The article's required fields, as an admin's client writes them. */
const article = (): DocumentData => ({
  title: "¿Cuándo llega mi pedido?",
  body: "Los pedidos salen en 24 horas hábiles y llegan en 2 a 5 días.",
  updatedAt: serverTimestamp(),
});

/** Every field the contract names. */
const fullArticle = (updatedBy: string = ADMIN): DocumentData => ({
  ...article(),
  url: "https://ayuda.example.com/envios",
  tags: ["envios", "pedidos"],
  locale: "es-AR",
  enabled: true,
  source: "kb/envios.md",
  updatedBy,
});

/*
 * firestore.rules against the official Firestore emulator: the knowledge base. Admins write
 * help-center articles of the documented shape and members read them; admins read each article's
 * index state; the chunks with their vectors and the unanswered questions are the backend's.
 * Each refused article below changes one field of an accepted one.
 */
describe("firestore.rules: the knowledge base (articles, index state, chunks, gaps)", function () {
  const world = rulesWorldForSuite();

  describe("knowledge (help-center articles)", () => {
    let ws: Workspace;
    const stored = () => paths.knowledgeArticle(ws.id, "envios");
    const ref = (caller: Caller, path: string) => doc(world().as(caller), path);
    /** Creates a new article (a fresh id) as `caller`. */
    const create = (caller: Caller, data: DocumentData) =>
      setDoc(ref(caller, paths.knowledgeArticle(ws.id, randomUUID())), data);

    before(async () => {
      ws = await world().workspace();
    });
    beforeEach(async () => {
      await world().seed({ [stored()]: { ...fullArticle(), updatedAt: Timestamp.now() } });
    });

    it("an admin creates an article with the required fields only", async () => {
      await assertSucceeds(create(ADMIN, article()));
    });

    it("an admin creates an article with every documented field", async () => {
      await assertSucceeds(create(ADMIN, fullArticle()));
    });

    it("an article at the bounds is accepted (300-character title, 100,000-character body, 2,000-character url, 20 tags of 40 characters, 500-character source)", async () => {
      await assertSucceeds(
        create(ADMIN, {
          ...fullArticle(),
          title: "t".repeat(300),
          body: "b".repeat(100_000),
          url: `https://${"u".repeat(1992)}`,
          tags: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(40, "g")),
          locale: "l".repeat(20),
          source: "s".repeat(500),
        }),
      );
    });

    it("an article with an http:// url, a 2-character locale, no tags and enabled false is accepted", async () => {
      await assertSucceeds(
        create(ADMIN, {
          ...fullArticle(),
          url: "http://intranet.local/envios",
          locale: "es",
          tags: [],
          enabled: false,
        }),
      );
    });

    it("an admin replaces and updates an article, with the server's clock", async () => {
      await assertSucceeds(setDoc(ref(ADMIN, stored()), { ...fullArticle(), title: "Envíos" }));
      await assertSucceeds(
        updateDoc(ref(ADMIN, stored()), {
          body: "Los pedidos salen en 48 horas.",
          updatedAt: serverTimestamp(),
        }),
      );
    });

    it("an admin deletes an article", async () => {
      await assertSucceeds(deleteDoc(ref(ADMIN, stored())));
    });

    it("members (agents and admins) read an article and list them all", async () => {
      await assertSucceeds(world().read(AGENT, stored()));
      await assertSucceeds(world().read(ADMIN, stored()));
      const all = await assertSucceeds(
        getDocs(collection(world().as(AGENT), paths.knowledgeArticles(ws.id))),
      );
      expect(all.docs.map((d) => d.id)).to.include("envios");
    });

    it("an agent does not create, replace, update or delete an article", async () => {
      await assertFails(create(AGENT, fullArticle(AGENT)));
      await assertFails(setDoc(ref(AGENT, stored()), fullArticle(AGENT)));
      await assertFails(
        updateDoc(ref(AGENT, stored()), { title: "Envíos", updatedAt: serverTimestamp() }),
      );
      await assertFails(deleteDoc(ref(AGENT, stored())));
    });

    it("a non-member (admin of another workspace) neither reads nor writes an article", async () => {
      await assertFails(world().read(OUTSIDER, stored()));
      await assertFails(getDocs(collection(world().as(OUTSIDER), paths.knowledgeArticles(ws.id))));
      await assertFails(create(OUTSIDER, fullArticle(OUTSIDER)));
      await assertFails(setDoc(ref(OUTSIDER, stored()), fullArticle(OUTSIDER)));
      await assertFails(
        updateDoc(ref(OUTSIDER, stored()), { title: "Envíos", updatedAt: serverTimestamp() }),
      );
      await assertFails(deleteDoc(ref(OUTSIDER, stored())));
    });

    it("an anonymous user neither reads nor writes an article", async () => {
      await assertFails(world().read(ANONYMOUS, stored()));
      await assertFails(getDocs(collection(world().as(ANONYMOUS), paths.knowledgeArticles(ws.id))));
      await assertFails(create(ANONYMOUS, article()));
      await assertFails(setDoc(ref(ANONYMOUS, stored()), article()));
      await assertFails(deleteDoc(ref(ANONYMOUS, stored())));
    });

    const refused: [string, () => DocumentData][] = [
      ["without title", () => without(fullArticle(), "title")],
      ["without body", () => without(fullArticle(), "body")],
      ["without updatedAt", () => without(fullArticle(), "updatedAt")],
      ["with an empty title", () => ({ ...fullArticle(), title: "" })],
      ["with a title of 301 characters", () => ({ ...fullArticle(), title: "t".repeat(301) })],
      ["whose title is not a string", () => ({ ...fullArticle(), title: ["Envíos"] })],
      ["with an empty body", () => ({ ...fullArticle(), body: "" })],
      [
        "with a body of 100,001 characters",
        () => ({ ...fullArticle(), body: "b".repeat(100_001) }),
      ],
      ["whose body is not a string", () => ({ ...fullArticle(), body: { text: "hola" } })],
      ["with an ftp:// url", () => ({ ...fullArticle(), url: "ftp://ayuda.example.com/envios" })],
      [
        "with a url without a scheme",
        () => ({ ...fullArticle(), url: "ayuda.example.com/envios" }),
      ],
      ["with a url that is only a scheme", () => ({ ...fullArticle(), url: "https://" })],
      [
        "whose url only holds https:// further on",
        () => ({ ...fullArticle(), url: "javascript:alert(1)//https://ayuda.example.com" }),
      ],
      [
        "with a url of 2,001 characters",
        () => ({ ...fullArticle(), url: `https://${"u".repeat(1993)}` }),
      ],
      ["whose url is not a string", () => ({ ...fullArticle(), url: 42 })],
      ["whose tags are not a list", () => ({ ...fullArticle(), tags: "envios" })],
      [
        "with 21 tags",
        () => ({ ...fullArticle(), tags: Array.from({ length: 21 }, (_, i) => `tag-${i}`) }),
      ],
      ["with a tag that is a number", () => ({ ...fullArticle(), tags: ["envios", 7] })],
      ["with a tag that is null", () => ({ ...fullArticle(), tags: [null] })],
      ["with a tag that is a map", () => ({ ...fullArticle(), tags: [{ name: "envios" }] })],
      ["with an empty tag", () => ({ ...fullArticle(), tags: ["envios", "", "pedidos"] })],
      [
        "with a tag of 41 characters",
        () => ({ ...fullArticle(), tags: ["envios", "g".repeat(41)] }),
      ],
      [
        "with a tag of 61 characters holding a line break",
        () => ({ ...fullArticle(), tags: [`${"a".repeat(30)}\n${"b".repeat(30)}`] }),
      ],
      ["with a 1-character locale", () => ({ ...fullArticle(), locale: "e" })],
      ["with a 21-character locale", () => ({ ...fullArticle(), locale: "l".repeat(21) })],
      ["whose locale is not a string", () => ({ ...fullArticle(), locale: ["es", "AR"] })],
      ["whose enabled is not a bool", () => ({ ...fullArticle(), enabled: "yes" })],
      ["with a source of 501 characters", () => ({ ...fullArticle(), source: "s".repeat(501) })],
      ["whose source is not a string", () => ({ ...fullArticle(), source: ["kb/envios.md"] })],
      ["with a field the contract does not name", () => ({ ...fullArticle(), status: "indexed" })],
      ["with a client-side updatedAt", () => ({ ...fullArticle(), updatedAt: aMinuteAgo() })],
      ["in another member's name (updatedBy)", () => fullArticle(AGENT)],
    ];
    for (const [name, data] of refused) {
      it(`an admin's article ${name} is refused`, async () => {
        await assertFails(create(ADMIN, data()));
      });
    }

    it("an admin's update that keeps the old updatedAt is refused", async () => {
      await assertFails(updateDoc(ref(ADMIN, stored()), { title: "Envíos" }));
    });

    it("an admin's update out of shape is refused (empty title, unknown field)", async () => {
      await assertFails(
        updateDoc(ref(ADMIN, stored()), { title: "", updatedAt: serverTimestamp() }),
      );
      await assertFails(
        updateDoc(ref(ADMIN, stored()), { chunks: 3, updatedAt: serverTimestamp() }),
      );
    });

    it("an admin's update keeps another admin's updatedBy only by taking it over or removing it", async () => {
      await world().seed({
        [stored()]: { ...fullArticle("other-admin"), updatedAt: Timestamp.now() },
      });
      await assertFails(
        updateDoc(ref(ADMIN, stored()), { title: "Envíos", updatedAt: serverTimestamp() }),
      );
      await assertSucceeds(
        updateDoc(ref(ADMIN, stored()), {
          title: "Envíos",
          updatedAt: serverTimestamp(),
          updatedBy: deleteField(),
        }),
      );
      await assertSucceeds(
        updateDoc(ref(ADMIN, stored()), { updatedAt: serverTimestamp(), updatedBy: ADMIN }),
      );
    });
  });

  describe("knowledgeIndex (each article's index state)", () => {
    let ws: Workspace;
    const state = () => paths.knowledgeIndex(ws.id, "envios");
    before(async () => {
      ws = await world().workspace();
      await world().seed({
        [state()]: { status: "indexed", chunks: 3, updatedAt: Timestamp.now() },
      });
    });

    it("an admin reads an article's index state and lists them", async () => {
      await assertSucceeds(world().read(ADMIN, state()));
      await assertSucceeds(getDocs(collection(world().as(ADMIN), paths.knowledgeIndexes(ws.id))));
    });

    it("agents, non-members and anonymous users do not read it", async () => {
      await assertFails(world().read(AGENT, state()));
      await assertFails(getDocs(collection(world().as(AGENT), paths.knowledgeIndexes(ws.id))));
      await assertFails(world().read(OUTSIDER, state()));
      await assertFails(world().read(ANONYMOUS, state()));
    });

    it("no client creates, updates or deletes it, not even an admin", async () => {
      const data = { status: "indexed", chunks: 0 };
      for (const caller of [ADMIN, AGENT, OUTSIDER, ANONYMOUS]) {
        await world().noClientWrites(caller, state(), data);
      }
    });
  });

  describe("backend-only: knowledgeChunks and knowledgeGaps", () => {
    let ws: Workspace;
    const backendOnly: [string, () => string, () => string, DocumentData][] = [
      [
        "knowledgeChunks",
        () => paths.knowledgeChunk(ws.id, "envios", 0),
        () => paths.knowledgeChunks(ws.id),
        {
          articleId: "envios",
          text: "Los pedidos salen en 24 horas hábiles.",
          embeddingModel: "text-embedding-nomic-embed-text-v1.5",
          enabled: true,
          embedding: vector(Array.from({ length: 768 }, (_, i) => (i % 7) / 7)),
        },
      ],
      [
        "knowledgeGaps",
        () => paths.knowledgeGap(ws.id, "2026-11-25", "devoluciones"),
        () => paths.knowledgeGaps(ws.id),
        { question: "¿Puedo devolver un pedido?", count: 2 },
      ],
    ];
    before(async () => {
      ws = await world().workspace();
      await world().seed(Object.fromEntries(backendOnly.map(([, path, , data]) => [path(), data])));
    });

    for (const [name, path, parent, data] of backendOnly) {
      it(`${name}: no client reads it or lists them, not even an admin`, async () => {
        for (const caller of [ADMIN, AGENT, OUTSIDER, ANONYMOUS]) {
          await assertFails(world().read(caller, path()));
        }
        await assertFails(getDocs(collection(world().as(ADMIN), parent())));
        await assertFails(getDocs(collection(world().as(AGENT), parent())));
      });

      it(`${name}: no client creates, updates or deletes it, not even an admin`, async () => {
        for (const caller of [ADMIN, AGENT, OUTSIDER]) {
          await world().noClientWrites(caller, path(), data);
        }
      });
    }
  });

  describe("the retrieval query's vector index", () => {
    /** knowledgeChunks where embeddingModel == m and enabled == true, findNearest on embedding. */
    const retrieval = {
      collectionGroup: "knowledgeChunks",
      queryScope: "COLLECTION" as const,
      equalities: ["embeddingModel", "enabled"],
      vectorField: "embedding",
      // The default embedding model's (Nomic Embed Text v1.5) dimension.
      dimension: 768,
    };

    it("firestore.indexes.json declares the flat 768-dimension index with both pre-filters", () => {
      expect(hasVectorIndex(retrieval)).to.equal(true);
    });

    it("the check tells a different index apart (dimension, pre-filters, vector field)", () => {
      expect(hasVectorIndex({ ...retrieval, dimension: 1024 })).to.equal(false);
      expect(hasVectorIndex({ ...retrieval, equalities: ["embeddingModel"] })).to.equal(false);
      expect(hasVectorIndex({ ...retrieval, vectorField: "vector" })).to.equal(false);
    });
  });
});
