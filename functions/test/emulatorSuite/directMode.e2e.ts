import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { doc, serverTimestamp, setDoc, updateDoc } from "firebase/firestore";
import { paths } from "../../src/core/paths";
import { DEFAULT_REPORT, EMBEDDING_MODEL, FakeLmStudio } from "../support/fakeLmStudio";
import { authEmulatorFromInitJs } from "../../console-page/hostingEmulators";
import { PROJECT_ID } from "./suiteProject";
import { suiteForDescribe } from "./suiteWorld";
import { demoSettings } from "../../dev/demoTeam";
import {
  adminCollectionUntil,
  statusSequence,
  streamAsTheAgentSees,
  watchDocument,
} from "./suiteClients";

/*
 * The deployed functions, run by the Firebase emulator suite (`firebase emulators:start` on the
 * repository's firebase.json): every event below reaches them through the Firestore, Functions
 * and Hosting emulators, never through an in-process handler.
 */

/** The demo workspace's settings: gpt-oss-20b on LM Studio, reports on close. */
const SETTINGS = demoSettings("gpt-oss-20b");
const ANSWER = "¡Hola Lucía! El pedido 4512 salió ayer del depósito, llega antes del viernes.";
const SECOND_ANSWER = "Lucía, tu pedido 4512 ya está en camino: llega el jueves.";

/** The vector index the repository deploys for the knowledge chunks. */
function chunkIndexDimension(): number {
  const indexes = JSON.parse(
    readFileSync(resolve(__dirname, "../../../../firestore.indexes.json"), "utf8"),
  ) as {
    indexes: { collectionGroup: string; fields: { vectorConfig?: { dimension: number } }[] }[];
  };
  const vector = indexes.indexes
    .filter((i) => i.collectionGroup === "knowledgeChunks")
    .flatMap((i) => i.fields)
    .find((f) => f.vectorConfig);
  if (!vector?.vectorConfig)
    throw new Error("firestore.indexes.json has no vector index on knowledgeChunks");
  return vector.vectorConfig.dimension;
}

describe("the emulator suite runs the deployed functions (direct mode)", function () {
  this.timeout(180_000);
  const lm = FakeLmStudio.forSuite();
  const world = suiteForDescribe(
    "direct",
    () => ({
      LLM_STUDIO_URL: lm.url,
      // Nothing may reach the real OpenAI API.
      OPENAI_BASE_URL: "http://127.0.0.1:9",
    }),
    SETTINGS,
  );
  const { conversation, customerWrites } = world;

  it("a customer message becomes a suggestion that an agent's web listener sees go generating → streaming → ready", async () => {
    const agent = await world.clients.member(world.workspaceId, "agent");
    const where = await conversation();
    const messageId = `m-${Date.now()}`;
    const watch = watchDocument(agent.db, paths.suggestion({ ...where, messageId }));
    await watch.until("the listener's first snapshot", () => true);
    lm.answer = () => ({ content: ANSWER });
    streamAsTheAgentSees(lm, watch);
    await customerWrites(where, "¿Llega antes del viernes?", messageId);
    const ready = await watch.until("ready", (d) => d?.status === "ready");
    watch.stop();
    expect(statusSequence(watch.snapshots)).to.deep.equal([
      "(none)",
      "generating",
      "streaming",
      "ready",
    ]);
    const streamed = watch.snapshots.filter((d) => d?.status === "streaming").map((d) => d?.text);
    expect(ANSWER.startsWith(String(streamed[0])), String(streamed[0])).to.equal(true);
    expect(String(streamed[0]).length).to.be.below(ANSWER.length);
    expect(ready).to.deep.include({
      text: ANSWER,
      provider: "llm_studio",
      model: "gpt-oss-20b",
      version: 1,
    });
    expect(lm.chatRequests()).to.have.length(1);
  });

  it("an agent's regenerate request gives the suggestion a new version", async () => {
    const agent = await world.clients.member(world.workspaceId, "agent");
    const where = await conversation();
    lm.answer = () => ({ content: ANSWER });
    const messageId = `m-${Date.now()}`;
    const watch = watchDocument(agent.db, paths.suggestion({ ...where, messageId }));
    await watch.until("the listener's first snapshot", () => true);
    streamAsTheAgentSees(lm, watch);
    await customerWrites(where, "¿Llega antes del viernes?", messageId);
    await watch.until("the first suggestion ready", (d) => d?.status === "ready");
    lm.answer = () => ({ content: SECOND_ANSWER });
    const firstRunEnd = watch.snapshots.length;
    streamAsTheAgentSees(lm, watch, firstRunEnd);

    const request = doc(agent.db, paths.aiRequest(where, `r-${Date.now()}`));
    await setDoc(request, {
      kind: "regenerate",
      messageId,
      requestedBy: agent.uid,
      createdAt: serverTimestamp(),
    });
    const requestWatch = watchDocument(agent.db, request.path);
    const answered = await requestWatch.until(
      "ready",
      (d) => d?.status === "ready" || d?.status === "error",
    );
    const second = await watch.until(
      "version 2 ready",
      (d) => d?.status === "ready" && d.version === 2,
    );
    watch.stop();
    requestWatch.stop();
    expect(answered).to.deep.include({ status: "ready", suggestionId: messageId, version: 2 });
    expect(second).to.deep.include({ text: SECOND_ANSWER, requestId: request.id });
    expect(statusSequence(watch.snapshots)).to.deep.equal([
      "(none)",
      "generating",
      "streaming",
      "ready",
      "generating",
      "streaming",
      "ready",
    ]);
  });

  it("closing a conversation produces its report", async () => {
    const agent = await world.clients.member(world.workspaceId, "agent");
    const where = await conversation();
    lm.answer = () => ({ content: ANSWER });
    const messageId = await customerWrites(where, "Mi pedido 4512 no llegó");
    await watchDocument(agent.db, paths.suggestion({ ...where, messageId })).until(
      "ready",
      (d) => d?.status === "ready",
    );
    await world.clients.admin.db.doc(paths.conversation(where)).update({ status: "closed" });
    const reports = world.clients.admin.db.collection(paths.reports(where));
    const report = await adminCollectionUntil(
      reports,
      "a finished report",
      (d) => d.status === "ready" || d.status === "error",
    );
    expect(report).to.deep.include({
      status: "ready",
      trigger: "close",
      summary: DEFAULT_REPORT.summary,
      sentiment: DEFAULT_REPORT.sentiment,
      structured: true,
    });
    // The agent reads it through the rules.
    const snap = await reports.get();
    expect(snap.size).to.equal(1);
    const agentView = watchDocument(agent.db, snap.docs[0].ref.path);
    await agentView.until("the report", (d) => d?.summary === DEFAULT_REPORT.summary);
    agentView.stop();
  });

  it("an article written by an admin is indexed, and a grounded suggestion follows with its sources", async () => {
    lm.models.push({ ...EMBEDDING_MODEL, dimensions: chunkIndexDimension() });
    const admin = await world.clients.member(world.workspaceId, "admin");
    const agent = await world.clients.member(world.workspaceId, "agent");
    const articleId = "envios-cordoba";
    // Written by the admin with the web SDK, through the rules.
    await setDoc(doc(admin.db, paths.knowledgeArticle(world.workspaceId, articleId)), {
      title: "Envíos a Córdoba",
      body: "Los envíos a Córdoba tardan 3 días hábiles y cuestan 1500 pesos. El seguimiento llega por correo.",
      url: "https://ayuda.example.com/envios-cordoba",
      updatedAt: serverTimestamp(),
      updatedBy: admin.uid,
    });
    const index = watchDocument(admin.db, paths.knowledgeIndex(world.workspaceId, articleId));
    const indexed = await index.until(
      "ready",
      (d) => d?.status === "ready" || d?.status === "error",
    );
    index.stop();
    expect(indexed).to.deep.include({
      status: "ready",
      dimensions: chunkIndexDimension(),
      model: EMBEDDING_MODEL.id,
    });

    await updateDoc(doc(admin.db, paths.aiSettings(world.workspaceId)), { "flags.rag": true });
    lm.answer = () => ({ content: "Los envíos a Córdoba tardan 3 días hábiles." });
    const where = await conversation();
    const messageId = await customerWrites(where, "¿Cuánto tardan los envíos a Córdoba?");
    const ready = await watchDocument(agent.db, paths.suggestion({ ...where, messageId })).until(
      "ready",
      (d) => d?.status === "ready" || d?.status === "error",
    );
    expect(ready?.status).to.equal("ready");
    expect(ready?.knowledge).to.include({ status: "used" });
    expect(ready?.sources).to.have.length(1);
    expect(ready?.sources[0]).to.include({
      articleId,
      title: "Envíos a Córdoba",
      url: "https://ayuda.example.com/envios-cordoba",
    });
    const prompt = JSON.stringify(lm.chatRequests().at(-1)?.body?.messages);
    expect(prompt).to.include("3 días hábiles y cuestan 1500 pesos");
  });

  it("/api/ai/health and /api/ai/console answer through the Hosting rewrites, with an Auth-emulator ID token", async () => {
    const admin = await world.clients.member(world.workspaceId, "admin");
    const agent = await world.clients.member(world.workspaceId, "agent");
    const health = await fetch(`${world.project.hosting}/api/ai/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.include({ status: "healthy", mode: "direct" });

    const detailed = await fetch(
      `${world.project.hosting}/api/ai/health?workspaceId=${world.workspaceId}`,
      {
        headers: { authorization: `Bearer ${await admin.idToken()}` },
      },
    );
    expect(detailed.status).to.equal(200);
    expect(await detailed.json()).to.have.property("details");

    const consoleUrl = `${world.project.hosting}/api/ai/console?workspace=${world.workspaceId}&days=14`;
    const anonymous = await fetch(consoleUrl);
    expect(anonymous.status).to.equal(401);
    const refused = await fetch(consoleUrl, {
      headers: { authorization: `Bearer ${await agent.idToken()}` },
    });
    expect(refused.status).to.equal(403);
    const answer = await fetch(consoleUrl, {
      headers: { authorization: `Bearer ${await admin.idToken()}` },
    });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("cache-control")).to.equal("private, no-store");
    expect(await answer.json()).to.deep.include({ workspaceId: world.workspaceId, days: 14 });

    // Hosting serves the console's page too, and the configuration it signs in with: the web
    // app's, and under the emulators the Auth emulator's address.
    const page = await fetch(`${world.project.hosting}/console/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include("console.js");
    const init = await fetch(`${world.project.hosting}/__/firebase/init.json`);
    expect(await init.json()).to.deep.include({ projectId: PROJECT_ID });
    const initJs = await fetch(`${world.project.hosting}/__/firebase/init.js?useEmulator=true`);
    expect(authEmulatorFromInitJs(await initJs.text())).to.equal(
      `http://${world.project.suite.hosts.auth}`,
    );
  });
});
