import { expect } from "chai";
import type { DocumentData } from "firebase-admin/firestore";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  createMessage,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";

describe("several reply options (settings/ai.suggestionOptions)", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_MAX_ATTEMPTS: "1",
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: "¡Hola! Sí, tenemos stock" });
  });

  /**
   * Another server for one test: the router remembers per server which ones failed a schema,
   * so each kind of server needs an address of its own.
   */
  const others: FakeLmStudio[] = [];
  afterEach(async () => {
    await Promise.all(others.splice(0).map((server) => server.close()));
  });
  async function otherServer(support: FakeLmStudio["schemaSupport"]): Promise<FakeLmStudio> {
    const server = await FakeLmStudio.start();
    others.push(server);
    server.answer = lm.answer;
    server.schemaSupport = support;
    process.env.LLM_STUDIO_URL = server.url;
    return server;
  }

  async function suggestWithOptions(count: number): Promise<DocumentData> {
    const conversation = await seedConversation({
      settings: { ...GOOD_SETTINGS, suggestionOptions: count },
    });
    const address = await createMessage(conversation, {
      direction: "inbound",
      text: "¿Hay stock?",
    });
    await deliverMessageCreated(address);
    return (await readSuggestion(address)) as DocumentData;
  }

  it("asks a schema-capable server for JSON with a schema and stores 3 options, text the first", async () => {
    const s = await suggestWithOptions(3);
    expect(s.status).to.equal("ready");
    expect(s.options).to.have.length(3);
    expect(s.options.map((o: { text: string }) => o.text)).to.deep.equal(
      [1, 2, 3].map((i) => `¡Hola! Sí, tenemos stock (opción ${i})`),
    );
    expect(s.text).to.equal(s.options[0].text);
    expect(s.optionsFallback).to.equal(false);
    const [request] = lm.chatRequests();
    expect(request.body?.stream).to.equal(false);
    const format = request.body?.response_format as {
      type: string;
      json_schema: {
        name: string;
        strict: boolean;
        schema: { properties: { options: { minItems: number; maxItems: number } } };
      };
    };
    expect(format.type).to.equal("json_schema");
    expect(format.json_schema.strict).to.equal(true);
    expect(format.json_schema.schema.properties.options).to.include({ minItems: 3, maxItems: 3 });
  });

  it("a server that refuses schemas: one plain reply as the only option, and the next suggestion skips the schema", async () => {
    const refusing = await otherServer("refused");
    const first = await suggestWithOptions(2);
    expect(first).to.deep.include({
      status: "ready",
      text: "¡Hola! Sí, tenemos stock",
      optionsFallback: true,
    });
    expect(first.options).to.deep.equal([{ text: "¡Hola! Sí, tenemos stock" }]);
    expect(refusing.chatRequests().map((r) => Boolean(r.body?.response_format))).to.deep.equal([
      true,
      false,
    ]);
    const plainPrompt = refusing.chatRequests()[1].body?.messages?.[0].content ?? "";
    expect(plainPrompt).not.to.contain("JSON");

    const second = await suggestWithOptions(2);
    expect(second.optionsFallback).to.equal(true);
    expect(refusing.chatRequests()).to.have.length(3);
    expect(refusing.chatRequests()[2].body?.response_format).to.equal(undefined);
  });

  it("a model that ignores the schema: its text fails validation, and a plain reply is the option", async () => {
    const ignoring = await otherServer("ignored");
    const s = await suggestWithOptions(3);
    expect(s).to.deep.include({ status: "ready", optionsFallback: true });
    expect(s.options).to.have.length(1);
    expect(ignoring.chatRequests()).to.have.length(2);
  });

  it("one option (the default) streams as plain text, with no options field", async () => {
    const s = await suggestWithOptions(1);
    expect(s).not.to.have.property("options");
    expect(lm.chatRequests()[0].body?.stream).to.equal(true);
  });

  it("refuses suggestionOptions outside 1–3, naming the field", async () => {
    const s = await suggestWithOptions(4);
    expect(s.error.code).to.equal("invalid_config");
    expect(s.error.message).to.contain("settings/ai.suggestionOptions");
  });
});
