import { DocumentData, Timestamp } from "firebase-admin/firestore";
import { ConversationAddress, paths } from "../../src/core/paths";
import { stopOpenWatches, SuiteClients, suiteClients } from "./suiteClients";
import { startSuiteProject, SuiteProject } from "./suiteProject";

/*
 * One emulator suite for a describe block: started before its first test with the functions'
 * configuration, stopped after its last, and a fresh workspace with `settings` per test.
 */

export interface SuiteWorld {
  readonly project: SuiteProject;
  readonly clients: SuiteClients;
  /** This test's workspace. */
  readonly workspaceId: string;
  /** A new WhatsApp conversation of this test's workspace. */
  conversation(): Promise<ConversationAddress>;
  /** A customer's message, as the WhatsApp webhook writes it (Admin SDK); returns its id. */
  customerWrites(where: ConversationAddress, text: string, messageId?: string): Promise<string>;
}

export function suiteForDescribe(
  name: string,
  /** Read when the suite starts, after the describe's own servers listen. */
  functionsEnv: () => Record<string, string>,
  settings: DocumentData,
): SuiteWorld {
  let project: SuiteProject | undefined;
  let clients: SuiteClients | undefined;
  let workspaceId = "";
  let seq = 0;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the emulator suite has not started");
    return value;
  };

  before(async function () {
    // Two starts at most (startSuiteProject), each bounded well below this.
    this.timeout(360_000);
    project = await startSuiteProject(name, functionsEnv());
    clients = suiteClients(project.suite.hosts);
  });
  after(async function () {
    this.timeout(120_000);
    try {
      await clients?.close();
    } finally {
      await project?.suite.stop();
    }
  });
  afterEach(stopOpenWatches);
  beforeEach(async () => {
    workspaceId = `ws-${name}-${++seq}-${Date.now()}`;
    await started(clients).admin.db.doc(paths.aiSettings(workspaceId)).set(settings);
  });

  return {
    get project() {
      return started(project);
    },
    get clients() {
      return started(clients);
    },
    get workspaceId() {
      return workspaceId;
    },
    async conversation() {
      const where = { workspaceId, conversationId: `conv-${Date.now()}` };
      await started(clients)
        .admin.db.doc(paths.conversation(where))
        .set({ channel: "whatsapp", customerName: "Lucía", status: "open" });
      return where;
    },
    async customerWrites(where, text, messageId = `m-${Date.now()}`) {
      await started(clients)
        .admin.db.doc(paths.message({ ...where, messageId }))
        .set({ direction: "inbound", type: "text", text, createdAt: Timestamp.now() });
      return messageId;
    },
  };
}
