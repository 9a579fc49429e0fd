import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { doc, getDoc, serverTimestamp, setDoc, Timestamp } from "firebase/firestore";

/*
 * Security rules are evaluated only by the official Firestore emulator. Run these with
 * `firebase emulators:exec --only firestore "npm test"`; elsewhere they are reported pending.
 */
describe("firestore.rules", function () {
  let env: RulesTestEnvironment;
  const ws = "ws-rules";
  const conv = `workspaces/${ws}/conversations/c1`;

  before(async function () {
    if (process.env.TEST_FIRESTORE_EMULATOR !== "external") {
      console.log("    (skipped: security rules need the official Firestore emulator, see README)");
      this.skip();
    }
    const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST as string).split(":");
    env = await initializeTestEnvironment({
      projectId: "demo-rules",
      firestore: {
        host,
        port: Number(port),
        rules: readFileSync(resolve(__dirname, "../../../../firestore.rules"), "utf8"),
      },
    });
    await env.withSecurityRulesDisabled(async (ctx) => {
      const admin = ctx.firestore();
      await setDoc(doc(admin, `workspaces/${ws}/members/agent`), { role: "agent" });
      await setDoc(doc(admin, `workspaces/${ws}/members/boss`), { role: "admin" });
      await setDoc(doc(admin, conv), { channel: "whatsapp" });
      await setDoc(doc(admin, `${conv}/suggestions/m1`), { status: "ready", text: "hola" });
      await setDoc(doc(admin, `workspaces/${ws}/settings/ai`), { ai_enabled: true });
      await setDoc(doc(admin, `workspaces/${ws}/metrics/2026-11-25`), { requests: 3 });
      await setDoc(doc(admin, "system/ai/endpoints/e1"), { state: "open" });
    });
  });
  after(async () => {
    await env?.cleanup();
  });

  it("members read conversations and suggestions; strangers and anonymous users do not", async () => {
    const agent = env.authenticatedContext("agent").firestore();
    await assertSucceeds(getDoc(doc(agent, conv)));
    await assertSucceeds(getDoc(doc(agent, `${conv}/suggestions/m1`)));
    await assertFails(
      getDoc(doc(env.authenticatedContext("stranger").firestore(), `${conv}/suggestions/m1`)),
    );
    await assertFails(getDoc(doc(env.unauthenticatedContext().firestore(), conv)));
  });

  it("no client writes suggestions, not even an admin", async () => {
    await assertFails(
      setDoc(doc(env.authenticatedContext("boss").firestore(), `${conv}/suggestions/m2`), {
        status: "ready",
      }),
    );
  });

  it("only workspace admins write settings/ai", async () => {
    await assertSucceeds(
      setDoc(doc(env.authenticatedContext("boss").firestore(), `workspaces/${ws}/settings/ai`), {
        ai_enabled: false,
      }),
    );
    await assertFails(
      setDoc(doc(env.authenticatedContext("agent").firestore(), `workspaces/${ws}/settings/ai`), {
        ai_enabled: true,
      }),
    );
  });

  it("admins read the usage metrics; agents do not; nobody writes them or the breaker states", async () => {
    const metrics = `workspaces/${ws}/metrics/2026-11-25`;
    await assertSucceeds(getDoc(doc(env.authenticatedContext("boss").firestore(), metrics)));
    await assertFails(getDoc(doc(env.authenticatedContext("agent").firestore(), metrics)));
    await assertFails(
      setDoc(doc(env.authenticatedContext("boss").firestore(), metrics), { requests: 0 }),
    );
    await assertFails(
      getDoc(doc(env.authenticatedContext("boss").firestore(), "system/ai/endpoints/e1")),
    );
  });

  it("agents may send outbound messages but not fake inbound ones", async () => {
    const agent = env.authenticatedContext("agent").firestore();
    const reply = {
      direction: "outbound",
      text: "hola",
      createdAt: serverTimestamp(),
      authorId: "agent",
    };
    await assertSucceeds(setDoc(doc(agent, `${conv}/messages/out1`), reply));
    await assertSucceeds(
      setDoc(doc(agent, `${conv}/messages/out2`), { ...reply, type: "text", suggestionId: "m1" }),
    );
    await assertFails(
      setDoc(doc(agent, `${conv}/messages/in1`), { ...reply, direction: "inbound" }),
    );
  });

  it("members create agent requests of the documented shape as themselves; nobody changes them", async () => {
    const agent = env.authenticatedContext("agent").firestore();
    const base = { requestedBy: "agent", createdAt: serverTimestamp() };
    await assertSucceeds(
      setDoc(doc(agent, `${conv}/aiRequests/r1`), {
        ...base,
        kind: "rewrite",
        draft: "hola",
        instruction: "vos",
      }),
    );
    await assertSucceeds(
      setDoc(doc(agent, `${conv}/aiRequests/r2`), { ...base, kind: "regenerate", messageId: "m1" }),
    );
    await assertSucceeds(getDoc(doc(agent, `${conv}/aiRequests/r1`)));
    const refused = [
      { ...base, kind: "summarize" },
      { ...base, kind: "rewrite", draft: "x".repeat(4001), instruction: "vos" },
      { ...base, kind: "rewrite", draft: "hola", instruction: "y".repeat(301) },
      { ...base, kind: "rewrite", draft: "hola", instruction: "vos", status: "ready" },
      { ...base, kind: "rewrite", draft: "hola", instruction: "vos", requestedBy: "boss" },
      { ...base, kind: "regenerate", messageId: "m1", createdAt: Timestamp.fromMillis(0) },
    ];
    for (const [i, data] of refused.entries()) {
      await assertFails(setDoc(doc(agent, `${conv}/aiRequests/bad${i}`), data));
    }
    await assertFails(
      setDoc(doc(agent, `${conv}/aiRequests/r1`), {
        ...base,
        kind: "rewrite",
        draft: "otro",
        instruction: "vos",
      }),
    );
    await assertFails(
      getDoc(doc(env.authenticatedContext("stranger").firestore(), `${conv}/aiRequests/r1`)),
    );
    await assertFails(getDoc(doc(agent, `workspaces/${ws}/aiQuota/agent_2026-11-25`)));
  });

  it("an agent's message has only the documented shape, their own uid and the server's time", async () => {
    const agent = env.authenticatedContext("agent").firestore();
    const reply = {
      direction: "outbound",
      text: "hola",
      createdAt: serverTimestamp(),
      authorId: "agent",
    };
    const refused = [
      { ...reply, text: "x".repeat(4097) },
      { ...reply, text: "" },
      { ...reply, text: 42 },
      { ...reply, extra: "field" },
      { ...reply, authorId: "boss" },
      { ...reply, createdAt: Timestamp.fromMillis(0) },
      { ...reply, type: "image" },
      { direction: "outbound", text: "hola", createdAt: serverTimestamp() },
    ];
    for (const [i, data] of refused.entries()) {
      await assertFails(setDoc(doc(agent, `${conv}/messages/bad${i}`), data));
    }
    await assertFails(
      setDoc(doc(agent, `workspaces/${ws}/conversations/missing/messages/m1`), reply),
    );
  });
});
