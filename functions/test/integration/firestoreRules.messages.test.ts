import { randomUUID } from "node:crypto";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  DocumentData,
  getDoc,
  getDocs,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
} from "firebase/firestore";
import {
  ADMIN,
  AGENT,
  ANONYMOUS,
  OUTSIDER,
  rulesWorldForSuite,
  without,
  Workspace,
} from "../support/rulesEnvironment";

/** A client's clock, a little behind: anything but the server's `request.time`. */
const aMinuteAgo = () => Timestamp.fromMillis(Date.now() - 60_000);

/*
 * firestore.rules against the official Firestore emulator: what clients may write. Agents send
 * outbound messages and agent requests (aiRequests) of the documented shape only
 * (docs/data-contract.md); each test below changes one field of an accepted document.
 */
describe("firestore.rules: what clients write (messages, aiRequests)", function () {
  const world = rulesWorldForSuite();

  describe("messages", () => {
    let ws: Workspace;
    const messages = () => `${ws.conversation}/messages`;
    const send = (caller: string | null, data: DocumentData) =>
      setDoc(doc(world().as(caller), `${messages()}/${randomUUID()}`), data);
    /** The data contract's outbound message, from the inbox. */
    const reply = (authorId = AGENT): DocumentData => ({
      direction: "outbound",
      text: "Hola Ana, tu pedido sale hoy.",
      createdAt: serverTimestamp(),
      authorId,
    });

    before(async () => {
      ws = await world().workspace();
      await world().seed({
        [`${messages()}/customer-1`]: {
          direction: "inbound",
          type: "text",
          text: "¿Mi pedido 4512 llega antes del viernes?",
          createdAt: Timestamp.now(),
        },
        [`${messages()}/reply-1`]: { ...reply(), createdAt: Timestamp.now() },
      });
    });

    it("an agent's outbound message of the documented shape is accepted", async () => {
      await assertSucceeds(send(AGENT, reply()));
    });

    it("an admin's outbound message of the documented shape is accepted", async () => {
      await assertSucceeds(send(ADMIN, reply(ADMIN)));
    });

    it('an outbound message with the optional type "text" is accepted', async () => {
      await assertSucceeds(send(AGENT, { ...reply(), type: "text" }));
    });

    it("an outbound message with the optional suggestionId is accepted", async () => {
      await assertSucceeds(send(AGENT, { ...reply(), suggestionId: "customer-1" }));
    });

    it("an outbound message at the bounds (4096-character text, 200-character suggestionId) is accepted", async () => {
      await assertSucceeds(
        send(AGENT, {
          ...reply(),
          type: "text",
          text: "x".repeat(4096),
          suggestionId: "s".repeat(200),
        }),
      );
    });

    const refused: [string, () => DocumentData][] = [
      ["without direction", () => without(reply(), "direction")],
      ["without text", () => without(reply(), "text")],
      ["without createdAt", () => without(reply(), "createdAt")],
      ["without authorId", () => without(reply(), "authorId")],
      ['with direction "inbound"', () => ({ ...reply(), direction: "inbound" })],
      ["with an unknown direction", () => ({ ...reply(), direction: "internal" })],
      ['with type "image"', () => ({ ...reply(), type: "image" })],
      ["with empty text", () => ({ ...reply(), text: "" })],
      ["with text of 4097 characters", () => ({ ...reply(), text: "x".repeat(4097) })],
      ["with text that is not a string", () => ({ ...reply(), text: ["Hola"] })],
      ["with a client-side createdAt", () => ({ ...reply(), createdAt: aMinuteAgo() })],
      ["with another member's uid as authorId", () => reply(ADMIN)],
      ["with a field the contract does not name", () => ({ ...reply(), status: "sent" })],
      ["with a suggestionId that is not a string", () => ({ ...reply(), suggestionId: ["s-1"] })],
      [
        "with a suggestionId of 201 characters",
        () => ({ ...reply(), suggestionId: "s".repeat(201) }),
      ],
    ];
    for (const [name, data] of refused) {
      it(`an outbound message ${name} is refused`, async () => {
        await assertFails(send(AGENT, data()));
      });
    }

    it("an outbound message to a conversation that does not exist is refused", async () => {
      const missing = `workspaces/${ws.id}/conversations/${randomUUID()}/messages/${randomUUID()}`;
      await assertFails(setDoc(doc(world().as(AGENT), missing), reply()));
    });

    it("an agent cannot create an inbound (customer) message", async () => {
      await assertFails(
        send(AGENT, {
          direction: "inbound",
          type: "text",
          text: "hola",
          createdAt: serverTimestamp(),
        }),
      );
    });

    it("an admin cannot create an inbound (customer) message either", async () => {
      await assertFails(send(ADMIN, { ...reply(ADMIN), direction: "inbound" }));
    });

    it("a non-member cannot send a message, even as its author", async () => {
      await assertFails(send(OUTSIDER, reply(OUTSIDER)));
    });

    it("an anonymous user cannot send a message", async () => {
      await assertFails(send(ANONYMOUS, { ...reply(), authorId: "" }));
    });

    it("members read the conversation's messages; non-members and anonymous users do not", async () => {
      await assertSucceeds(getDoc(doc(world().as(AGENT), `${messages()}/customer-1`)));
      await assertSucceeds(getDocs(collection(world().as(ADMIN), messages())));
      await assertFails(getDoc(doc(world().as(OUTSIDER), `${messages()}/customer-1`)));
      await assertFails(getDocs(collection(world().as(OUTSIDER), messages())));
      await assertFails(getDoc(doc(world().as(ANONYMOUS), `${messages()}/customer-1`)));
    });

    it("no client updates a message, not even its author or an admin", async () => {
      const own = doc(world().as(AGENT), `${messages()}/reply-1`);
      await assertFails(updateDoc(own, { text: "Hola Ana, editado." }));
      await assertFails(setDoc(own, reply()));
      await assertFails(
        updateDoc(doc(world().as(ADMIN), `${messages()}/customer-1`), { text: "otra cosa" }),
      );
    });

    it("no client deletes a message, not even its author or an admin", async () => {
      await assertFails(deleteDoc(doc(world().as(AGENT), `${messages()}/reply-1`)));
      await assertFails(deleteDoc(doc(world().as(ADMIN), `${messages()}/customer-1`)));
    });
  });

  describe("aiRequests", () => {
    let ws: Workspace;
    const requests = () => `${ws.conversation}/aiRequests`;
    const ask = (caller: string | null, data: DocumentData) =>
      setDoc(doc(world().as(caller), `${requests()}/${randomUUID()}`), data);
    const base = (requestedBy = AGENT) => ({ requestedBy, createdAt: serverTimestamp() });
    const regenerate = (): DocumentData => ({ ...base(), kind: "regenerate", messageId: "m-123" });
    const rewrite = (): DocumentData => ({
      ...base(),
      kind: "rewrite",
      draft: "Hola, tu pedido salió ayer…",
      instruction: "vos",
    });
    const report = (): DocumentData => ({ ...base(), kind: "report" });

    before(async () => {
      ws = await world().workspace();
      await world().seed({
        [`${requests()}/answered`]: {
          ...rewrite(),
          createdAt: Timestamp.now(),
          status: "ready",
          text: "Hola, tu pedido salió ayer.",
        },
      });
    });

    it("a regenerate request with messageId, as the caller, now, is accepted", async () => {
      await assertSucceeds(ask(AGENT, regenerate()));
    });

    it("a regenerate request with an instruction is accepted", async () => {
      await assertSucceeds(ask(AGENT, { ...regenerate(), instruction: "shorter" }));
    });

    it("a regenerate request asking for 2 or 3 reply options is accepted", async () => {
      await assertSucceeds(ask(AGENT, { ...regenerate(), options: 2 }));
      await assertSucceeds(ask(AGENT, { ...regenerate(), options: 3 }));
    });

    it("a rewrite request with draft and instruction is accepted", async () => {
      await assertSucceeds(ask(AGENT, rewrite()));
    });

    it("a report request is accepted", async () => {
      await assertSucceeds(ask(AGENT, report()));
    });

    it("an admin's request as themselves is accepted", async () => {
      await assertSucceeds(ask(ADMIN, { ...rewrite(), requestedBy: ADMIN }));
    });

    it("requests at the bounds (4000-character draft, 300-character instruction, 200-character messageId) are accepted", async () => {
      await assertSucceeds(
        ask(AGENT, { ...rewrite(), draft: "d".repeat(4000), instruction: "i".repeat(300) }),
      );
      await assertSucceeds(ask(AGENT, { ...regenerate(), messageId: "m".repeat(200) }));
    });

    const refused: [string, () => DocumentData][] = [
      ["without kind", () => without(rewrite(), "kind")],
      ["without requestedBy", () => without(rewrite(), "requestedBy")],
      ["without createdAt", () => without(rewrite(), "createdAt")],
      ["of an unknown kind", () => ({ ...rewrite(), kind: "summarize" })],
      ["whose kind is not a string", () => ({ ...report(), kind: 1 })],
      ["in another member's name", () => ({ ...rewrite(), requestedBy: ADMIN })],
      ["with a client-side createdAt", () => ({ ...rewrite(), createdAt: aMinuteAgo() })],
      ["with a field the backend writes (status)", () => ({ ...rewrite(), status: "ready" })],
      ["with a field the contract does not name", () => ({ ...report(), priority: "high" })],
      ["whose messageId is not a string", () => ({ ...regenerate(), messageId: ["m-123"] })],
      [
        "with a messageId of 201 characters",
        () => ({ ...regenerate(), messageId: "m".repeat(201) }),
      ],
      ["whose draft is not a string", () => ({ ...rewrite(), draft: ["hola"] })],
      ["with a draft of 4001 characters", () => ({ ...rewrite(), draft: "d".repeat(4001) })],
      [
        "whose instruction is not a string",
        () => ({ ...rewrite(), instruction: { preset: "vos" } }),
      ],
      [
        "with an instruction of 301 characters",
        () => ({ ...rewrite(), instruction: "i".repeat(301) }),
      ],
      ["asking for 4 reply options", () => ({ ...regenerate(), options: 4 })],
      ["asking for 1 reply option", () => ({ ...regenerate(), options: 1 })],
      ["asking for options as text", () => ({ ...regenerate(), options: "3" })],
      ["asking a rewrite for options", () => ({ ...rewrite(), options: 3 })],
    ];
    for (const [name, data] of refused) {
      it(`a request ${name} is refused`, async () => {
        await assertFails(ask(AGENT, data()));
      });
    }

    it("a non-member cannot create a request, even as themselves", async () => {
      await assertFails(ask(OUTSIDER, { ...rewrite(), requestedBy: OUTSIDER }));
    });

    it("an anonymous user cannot create a request", async () => {
      await assertFails(ask(ANONYMOUS, { ...report(), requestedBy: "" }));
    });

    it("members read requests; non-members and anonymous users do not", async () => {
      await assertSucceeds(getDoc(doc(world().as(AGENT), `${requests()}/answered`)));
      await assertSucceeds(getDocs(collection(world().as(ADMIN), requests())));
      await assertFails(getDoc(doc(world().as(OUTSIDER), `${requests()}/answered`)));
      await assertFails(getDocs(collection(world().as(OUTSIDER), requests())));
      await assertFails(getDoc(doc(world().as(ANONYMOUS), `${requests()}/answered`)));
    });

    it("no client updates a request, not even its author or an admin", async () => {
      await assertFails(
        updateDoc(doc(world().as(AGENT), `${requests()}/answered`), { draft: "x" }),
      );
      await assertFails(setDoc(doc(world().as(AGENT), `${requests()}/answered`), rewrite()));
      await assertFails(
        updateDoc(doc(world().as(ADMIN), `${requests()}/answered`), { status: "error" }),
      );
    });

    it("no client deletes a request, not even its author or an admin", async () => {
      await assertFails(deleteDoc(doc(world().as(AGENT), `${requests()}/answered`)));
      await assertFails(deleteDoc(doc(world().as(ADMIN), `${requests()}/answered`)));
    });
  });
});
