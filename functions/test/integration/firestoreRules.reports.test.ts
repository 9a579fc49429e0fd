import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { expect } from "chai";
import {
  collection,
  collectionGroup,
  DocumentData,
  Firestore,
  getDocs,
  orderBy,
  query,
  Timestamp,
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
 * firestore.rules against the official Firestore emulator: conversation reports. Members read
 * their workspace's reports in a conversation, or across conversations with the supervisor's
 * collection-group query on workspaceId (docs/data-contract.md, "Conversation report"); only the backend
 * writes them.
 */
describe("firestore.rules: conversation reports", function () {
  const world = rulesWorldForSuite();

  describe("reports (in a conversation)", () => {
    let ws: Workspace;
    const report = () => `${ws.conversation}/reports/close-1`;
    before(async () => {
      ws = await world().workspace();
      await world().seed({
        [report()]: { workspaceId: ws.id, status: "ready", sentiment: "neutral" },
      });
    });

    it("members read the conversation's reports", async () => {
      await assertSucceeds(world().read(AGENT, report()));
      await assertSucceeds(getDocs(collection(world().as(ADMIN), `${ws.conversation}/reports`)));
    });

    it("non-members and anonymous users do not", async () => {
      await assertFails(world().read(OUTSIDER, report()));
      await assertFails(getDocs(collection(world().as(OUTSIDER), `${ws.conversation}/reports`)));
      await assertFails(world().read(ANONYMOUS, report()));
    });

    it("no client writes a report, not even an admin", async () => {
      const data = { workspaceId: ws.id, status: "ready", sentiment: "positive" };
      await world().noClientWrites(ADMIN, report(), data);
      await world().noClientWrites(AGENT, report(), data);
    });
  });

  describe("reports (the supervisor's collection-group query)", () => {
    let ws: Workspace;
    const at = (minutes: number) => Timestamp.fromMillis(Date.UTC(2026, 10, 23, 9, minutes));
    /** The data contract's query: this week's reports of a workspace with `field == value`, newest first. */
    const supervisor = (
      db: Firestore,
      w: string,
      field: string,
      value: string,
      since?: Timestamp,
    ) =>
      getDocs(
        query(
          collectionGroup(db, "reports"),
          where("workspaceId", "==", w),
          where(field, "==", value),
          ...(since ? [where("createdAt", ">=", since)] : []),
          orderBy("createdAt", "desc"),
        ),
      );
    const ids = async (result: ReturnType<typeof supervisor>) =>
      (await assertSucceeds(result)).docs.map((d) => d.id);

    before(async () => {
      ws = await world().workspace();
      const report = (w: string, id: string, fields: DocumentData) => ({
        [`workspaces/${w}/conversations/c-${id}/reports/${id}`]: {
          workspaceId: w,
          status: "ready",
          ...fields,
        },
      });
      await world().seed({
        ...report(ws.id, "a-old", {
          sentiment: "negative",
          resolution: "escalated",
          createdAt: at(1),
        }),
        ...report(ws.id, "b-new", {
          sentiment: "negative",
          resolution: "pending",
          createdAt: at(3),
        }),
        ...report(ws.id, "c-fine", {
          sentiment: "positive",
          resolution: "escalated",
          createdAt: at(2),
        }),
        ...report(ws.outsidersWorkspace, "d-elsewhere", {
          sentiment: "negative",
          resolution: "escalated",
          createdAt: at(4),
        }),
      });
    });

    it("a member's query by sentiment returns the workspace's matching reports, newest first", async () => {
      expect(
        await ids(supervisor(world().as(AGENT), ws.id, "sentiment", "negative")),
      ).to.deep.equal(["b-new", "a-old"]);
    });

    it("a member's query by resolution works the same", async () => {
      expect(
        await ids(supervisor(world().as(ADMIN), ws.id, "resolution", "escalated")),
      ).to.deep.equal(["c-fine", "a-old"]);
    });

    it("the data contract's form with this week's createdAt range works too", async () => {
      expect(
        await ids(supervisor(world().as(AGENT), ws.id, "sentiment", "negative", at(2))),
      ).to.deep.equal(["b-new"]);
    });

    it("a non-member's query for the workspace is refused", async () => {
      await assertFails(supervisor(world().as(OUTSIDER), ws.id, "sentiment", "negative"));
      await assertFails(supervisor(world().as(OUTSIDER), ws.id, "resolution", "escalated"));
    });

    it("a member's query naming another workspace is refused; that workspace's own admin's is not", async () => {
      const elsewhere = ws.outsidersWorkspace;
      await assertFails(supervisor(world().as(AGENT), elsewhere, "sentiment", "negative"));
      await assertFails(supervisor(world().as(ADMIN), elsewhere, "resolution", "escalated"));
      expect(
        await ids(supervisor(world().as(OUTSIDER), elsewhere, "sentiment", "negative")),
      ).to.deep.equal(["d-elsewhere"]);
    });

    it("an anonymous user's query is refused", async () => {
      await assertFails(supervisor(world().as(ANONYMOUS), ws.id, "sentiment", "negative"));
    });

    it("a query across workspaces (no workspaceId filter) is refused even for a member", async () => {
      await assertFails(
        getDocs(
          query(
            collectionGroup(world().as(AGENT), "reports"),
            where("sentiment", "==", "negative"),
          ),
        ),
      );
    });

    it("both queries have their composite index in firestore.indexes.json", () => {
      for (const field of ["sentiment", "resolution"]) {
        expect(
          hasCompositeIndex({
            collectionGroup: "reports",
            queryScope: "COLLECTION_GROUP",
            equalities: ["workspaceId", field],
            orderBy: { fieldPath: "createdAt", order: "DESCENDING" },
          }),
          `index on reports (workspaceId, ${field}, createdAt desc)`,
        ).to.equal(true);
      }
      // The check itself can fail: no index serves a query by customerIntent.
      expect(
        hasCompositeIndex({
          collectionGroup: "reports",
          queryScope: "COLLECTION_GROUP",
          equalities: ["workspaceId", "customerIntent"],
          orderBy: { fieldPath: "createdAt", order: "DESCENDING" },
        }),
      ).to.equal(false);
    });
  });
});
