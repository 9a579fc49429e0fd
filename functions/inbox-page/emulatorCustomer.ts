import type { ConversationRef } from "../inbox-kit/src";
import { paths } from "../src/core/paths";

/*
 * The customer's side, for development only: what a channel integration (the WhatsApp webhook)
 * does with the Admin SDK, done here through the Firestore emulator's REST API as its owner
 * (`Authorization: Bearer owner`, which only the emulator accepts), because firestore.rules keep
 * every client from writing an inbound message. In production this does not exist: the page
 * shows the box only on a loopback page whose Hosting declares a Firestore emulator.
 */

type Value = { stringValue: string } | { integerValue: string };

export class EmulatorCustomer {
  constructor(
    private readonly firestoreHost: string,
    private readonly projectId: string,
  ) {}

  private name(path: string): string {
    return `projects/${this.projectId}/databases/(default)/documents/${path}`;
  }

  private async commit(writes: unknown[]): Promise<void> {
    const url = `http://${this.firestoreHost}/v1/projects/${this.projectId}/databases/(default)/documents:commit`;
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: "Bearer owner", "content-type": "application/json" },
      body: JSON.stringify({ writes }),
    });
    if (!response.ok)
      throw new Error(
        `the Firestore emulator answered ${response.status}: ${await response.text()}`,
      );
  }

  private static fields(values: Record<string, string>): Record<string, Value> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { stringValue: v }]));
  }

  /** A new WhatsApp conversation with this customer. */
  async startConversation(
    workspaceId: string,
    customerName: string,
    locale: string,
  ): Promise<ConversationRef> {
    const conversationId = `c-${Date.now().toString(36)}`;
    const where = { workspaceId, conversationId };
    await this.commit([
      {
        update: {
          name: this.name(paths.conversation(where)),
          fields: EmulatorCustomer.fields({
            customerName,
            channel: "whatsapp",
            locale,
            status: "open",
          }),
        },
        updateTransforms: [{ fieldPath: "createdAt", setToServerValue: "REQUEST_TIME" }],
      },
    ]);
    return where;
  }

  /** The customer writes: an inbound text message, stamped with the server's clock. */
  async write(where: ConversationRef, text: string): Promise<string> {
    const messageId = `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    await this.commit([
      {
        update: {
          name: this.name(paths.message({ ...where, messageId })),
          fields: EmulatorCustomer.fields({ direction: "inbound", type: "text", text }),
        },
        updateTransforms: [{ fieldPath: "createdAt", setToServerValue: "REQUEST_TIME" }],
      },
    ]);
    return messageId;
  }

  /** The conversation ends, as the help desk marks it: `status: "closed"` (a report follows). */
  async close(where: ConversationRef): Promise<void> {
    await this.commit([
      {
        update: {
          name: this.name(paths.conversation(where)),
          fields: EmulatorCustomer.fields({ status: "closed" }),
        },
        updateMask: { fieldPaths: ["status"] },
      },
    ]);
  }
}
