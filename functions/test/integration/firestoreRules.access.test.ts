import { randomUUID } from "node:crypto";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { expect } from "chai";
import {
  collection,
  deleteDoc,
  doc,
  Firestore,
  getDocs,
  limit,
  orderBy,
  query,
  setDoc,
  Timestamp,
  updateDoc,
  where,
} from "firebase/firestore";
import {
  ADMIN,
  AGENT,
  ANONYMOUS,
  hasCompositeIndex,
  OUTSIDER,
  rulesWorldForSuite,
  Workspace,
} from "../support/rulesEnvironment";

/*
 * firestore.rules against the official Firestore emulator: who reads what, and the documents no
 * client writes (docs/architecture.md, "Security rules", and docs/data-contract.md).
 */
describe("firestore.rules: who reads what, and what only the backend writes", function () {
  const world = rulesWorldForSuite();

  describe("members", () => {
    let ws: Workspace;
    const member = (uid: string) => `workspaces/${ws.id}/members/${uid}`;
    before(async () => {
      ws = await world().workspace();
    });

    it("each member reads their own membership", async () => {
      await assertSucceeds(world().read(AGENT, member(AGENT)));
      await assertSucceeds(world().read(ADMIN, member(ADMIN)));
    });

    it("nobody reads another's membership, not even an admin; nor anonymous users", async () => {
      await assertFails(world().read(AGENT, member(ADMIN)));
      await assertFails(world().read(ADMIN, member(AGENT)));
      await assertFails(world().read(OUTSIDER, member(AGENT)));
      await assertFails(world().read(ANONYMOUS, member(AGENT)));
    });

    it("an agent cannot make themselves an admin", async () => {
      await assertFails(updateDoc(doc(world().as(AGENT), member(AGENT)), { role: "admin" }));
      await assertFails(setDoc(doc(world().as(AGENT), member(AGENT)), { role: "admin" }));
    });

    it("a non-member cannot join a workspace, and no admin adds or removes members", async () => {
      await assertFails(setDoc(doc(world().as(OUTSIDER), member(OUTSIDER)), { role: "agent" }));
      await assertFails(setDoc(doc(world().as(ADMIN), member(OUTSIDER)), { role: "agent" }));
      await assertFails(deleteDoc(doc(world().as(ADMIN), member(AGENT))));
    });
  });

  describe("settings/ai", () => {
    let ws: Workspace;
    const settings = () => `workspaces/${ws.id}/settings/ai`;
    before(async () => {
      ws = await world().workspace();
      await world().seed({ [settings()]: { ai_enabled: true, defaultModel: "gpt-oss-20b" } });
    });

    it("members (agents and admins) read the workspace's AI settings", async () => {
      await assertSucceeds(world().read(AGENT, settings()));
      await assertSucceeds(world().read(ADMIN, settings()));
    });

    it("non-members and anonymous users do not read them", async () => {
      await assertFails(world().read(OUTSIDER, settings()));
      await assertFails(world().read(ANONYMOUS, settings()));
    });

    it("an admin writes them: creates, replaces and updates the document", async () => {
      const db = world().as(ADMIN);
      await assertSucceeds(
        setDoc(doc(db, settings()), { ai_enabled: true, defaultModel: "llama-3.1-8b" }),
      );
      await assertSucceeds(updateDoc(doc(db, settings()), { temperature: 0.2 }));
      const fresh = await world().workspace();
      await assertSucceeds(
        setDoc(doc(db, `workspaces/${fresh.id}/settings/ai`), { ai_enabled: false }),
      );
    });

    it("an agent does not write them (create, update or delete)", async () => {
      const db = world().as(AGENT);
      const fresh = await world().workspace();
      await assertFails(
        setDoc(doc(db, `workspaces/${fresh.id}/settings/ai`), { ai_enabled: true }),
      );
      await assertFails(setDoc(doc(db, settings()), { ai_enabled: false }));
      await assertFails(updateDoc(doc(db, settings()), { ai_enabled: false }));
      await assertFails(deleteDoc(doc(db, settings())));
    });

    it("non-members and anonymous users do not write them", async () => {
      await assertFails(setDoc(doc(world().as(OUTSIDER), settings()), { ai_enabled: false }));
      await assertFails(setDoc(doc(world().as(ANONYMOUS), settings()), { ai_enabled: false }));
    });

    it("an admin writes no other settings document", async () => {
      const other = `workspaces/${ws.id}/settings/billing`;
      await assertFails(setDoc(doc(world().as(ADMIN), other), { plan: "free" }));
      await assertFails(world().read(ADMIN, other));
    });
  });

  describe("metrics", () => {
    let ws: Workspace;
    const day = () => `workspaces/${ws.id}/metrics/2026-11-25`;
    before(async () => {
      ws = await world().workspace();
      await world().seed({ [day()]: { requests: 3, ready: 2 } });
    });

    it("an admin reads the usage metrics", async () => {
      await assertSucceeds(world().read(ADMIN, day()));
      await assertSucceeds(getDocs(collection(world().as(ADMIN), `workspaces/${ws.id}/metrics`)));
    });

    it("agents, non-members and anonymous users do not", async () => {
      await assertFails(world().read(AGENT, day()));
      await assertFails(getDocs(collection(world().as(AGENT), `workspaces/${ws.id}/metrics`)));
      await assertFails(world().read(OUTSIDER, day()));
      await assertFails(world().read(ANONYMOUS, day()));
    });

    it("nobody writes them, not even an admin", async () => {
      await world().noClientWrites(ADMIN, day(), { requests: 0 });
      await world().noClientWrites(AGENT, day(), { requests: 0 });
    });
  });

  describe("aiQuota", () => {
    let ws: Workspace;
    const quota = () => `workspaces/${ws.id}/aiQuota/${AGENT}_2026-11-25`;
    before(async () => {
      ws = await world().workspace();
      await world().seed({ [quota()]: { count: 5 } });
    });

    it("no client reads a quota, not even the member it counts or an admin", async () => {
      await assertFails(world().read(AGENT, quota()));
      await assertFails(world().read(ADMIN, quota()));
    });

    it("no client writes a quota, not even an admin", async () => {
      await world().noClientWrites(AGENT, quota(), { count: 0 });
      await world().noClientWrites(ADMIN, quota(), { count: 0 });
    });
  });

  describe("conversations", () => {
    let ws: Workspace;
    before(async () => {
      ws = await world().workspace();
    });

    it("members read the workspace's conversations, one or all", async () => {
      await assertSucceeds(world().read(AGENT, ws.conversation));
      await assertSucceeds(
        getDocs(collection(world().as(ADMIN), `workspaces/${ws.id}/conversations`)),
      );
    });

    it("non-members and anonymous users do not", async () => {
      await assertFails(world().read(OUTSIDER, ws.conversation));
      await assertFails(
        getDocs(collection(world().as(OUTSIDER), `workspaces/${ws.id}/conversations`)),
      );
      await assertFails(world().read(ANONYMOUS, ws.conversation));
    });

    it("no client creates, updates or deletes a conversation, not even an admin", async () => {
      await world().noClientWrites(ADMIN, ws.conversation, { status: "closed" });
    });
  });

  describe("suggestions", () => {
    let ws: Workspace;
    const suggestions = () => `${ws.conversation}/suggestions`;
    /** The data contract's "latest ready suggestion of a conversation". */
    const latestReady = (db: Firestore) =>
      getDocs(
        query(
          collection(db, suggestions()),
          where("status", "==", "ready"),
          orderBy("createdAt", "desc"),
          limit(1),
        ),
      );
    before(async () => {
      ws = await world().workspace();
      await world().seed({
        [`${suggestions()}/m1`]: { status: "ready", text: "Hola", createdAt: Timestamp.now() },
      });
    });

    it("members read a suggestion and query the latest ready one", async () => {
      await assertSucceeds(world().read(AGENT, `${suggestions()}/m1`));
      const latest = await assertSucceeds(latestReady(world().as(ADMIN)));
      expect(latest.docs.map((d) => d.id)).to.deep.equal(["m1"]);
    });

    it("the latest-ready query has its composite index in firestore.indexes.json", () => {
      expect(
        hasCompositeIndex({
          collectionGroup: "suggestions",
          queryScope: "COLLECTION",
          equalities: ["status"],
          orderBy: { fieldPath: "createdAt", order: "DESCENDING" },
        }),
      ).to.equal(true);
    });

    it("non-members and anonymous users do not read them", async () => {
      await assertFails(world().read(OUTSIDER, `${suggestions()}/m1`));
      await assertFails(latestReady(world().as(OUTSIDER)));
      await assertFails(world().read(ANONYMOUS, `${suggestions()}/m1`));
    });

    it("no client writes a suggestion, not even an admin", async () => {
      await world().noClientWrites(ADMIN, `${suggestions()}/m1`, { status: "ready", text: "otra" });
      await world().noClientWrites(AGENT, `${suggestions()}/m1`, { status: "ready", text: "otra" });
    });
  });

  describe("backend-only: llmJobs and system/ai", () => {
    const jobId = randomUUID();
    const paths = [
      `llmJobs/${jobId}`,
      `llmJobs/${jobId}/leases/run-1`,
      "system/ai/endpoints/lmstudio-0",
      "system/ai/bridges/pc-recepcion",
    ];
    let ws: Workspace;
    before(async () => {
      ws = await world().workspace();
      await world().seed(
        Object.fromEntries(paths.map((path) => [path, { status: "queued", workspaceId: ws.id }])),
      );
    });

    for (const path of paths.map((p) => p.replace(jobId, "{job}"))) {
      const real = () => path.replace("{job}", jobId);
      it(`${path}: no client reads it, not even an admin`, async () => {
        for (const caller of [ADMIN, AGENT, OUTSIDER, ANONYMOUS]) {
          await assertFails(world().read(caller, real()));
        }
        const parent = real().slice(0, real().lastIndexOf("/"));
        await assertFails(getDocs(collection(world().as(ADMIN), parent)));
      });

      it(`${path}: no client creates, updates or deletes it, not even an admin`, async () => {
        const data = { status: "done", bridgeId: "mine", workspaceId: ws.id };
        await world().noClientWrites(ADMIN, real(), data);
        await world().noClientWrites(ANONYMOUS, real(), data);
      });
    }
  });
});
