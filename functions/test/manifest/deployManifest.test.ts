import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUD_FUNCTIONS_REGIONS } from "../../src/config/cloudFunctionsRegions";
import { ENV_SPEC } from "../../src/config/envSpec";
import { FUNCTION_SECRETS } from "../../src/config/functionSecrets";
import { FUNCTION_TIMEOUT_SECONDS, type FunctionName } from "../../src/core/functionTimeouts";
import {
  AI_REQUEST_DOCUMENT_PATTERN,
  CONVERSATION_DOCUMENT_PATTERN,
  KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN,
  MESSAGE_DOCUMENT_PATTERN,
} from "../../src/core/paths";
import {
  assertLibBuilt,
  discoverFunctions,
  FUNCTIONS_DIR,
  type FunctionsManifest,
  type ManifestEndpoint,
} from "../support/functionsManifest";

/*
 * The manifest `firebase deploy` deploys from, read the way it reads it: every function's trigger,
 * region, limits, retry and secrets, and the params deploy would ask for.
 */

type Trigger =
  | { firestore: "created" | "updated" | "written"; document: string }
  | { https: true }
  | { schedule: string };

interface Expected {
  trigger: Trigger;
  memoryMb: number;
  /** Requests one instance handles at once; null: the platform's default. */
  concurrency: number | null;
  maxInstances: number | null;
}

const EXPECTED: Record<FunctionName, Expected> = {
  onMessageCreated: {
    trigger: { firestore: "created", document: MESSAGE_DOCUMENT_PATTERN },
    memoryMb: 512,
    concurrency: 8,
    maxInstances: 4,
  },
  onAiRequestCreated: {
    trigger: { firestore: "created", document: AI_REQUEST_DOCUMENT_PATTERN },
    memoryMb: 512,
    concurrency: 8,
    maxInstances: 4,
  },
  onConversationUpdated: {
    trigger: { firestore: "updated", document: CONVERSATION_DOCUMENT_PATTERN },
    memoryMb: 512,
    concurrency: 8,
    maxInstances: 2,
  },
  onKnowledgeWritten: {
    trigger: { firestore: "written", document: KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN },
    memoryMb: 512,
    concurrency: 4,
    maxInstances: 2,
  },
  sweepBridgeJobs: {
    trigger: { schedule: "every 1 minutes" },
    memoryMb: 256,
    concurrency: null,
    maxInstances: null,
  },
  aiHealth: { trigger: { https: true }, memoryMb: 256, concurrency: null, maxInstances: null },
  aiConsole: { trigger: { https: true }, memoryMb: 256, concurrency: null, maxInstances: null },
};

const NAMES = Object.keys(EXPECTED) as FunctionName[];

/** The trigger as the manifest spells it; Firestore triggers are retried, the schedule is not. */
function triggerOf(endpoint: ManifestEndpoint): Trigger | undefined {
  const { eventTrigger, httpsTrigger, scheduleTrigger } = endpoint;
  if (eventTrigger) {
    expect(eventTrigger.eventFilters).to.deep.equal({
      database: "(default)",
      namespace: "(default)",
    });
    expect(eventTrigger.retry, "retry").to.equal(true);
    const kind = eventTrigger.eventType.replace("google.cloud.firestore.document.v1.", "");
    return {
      firestore: kind as "created",
      document: eventTrigger.eventFilterPathPatterns.document,
    };
  }
  if (scheduleTrigger) {
    expect(
      scheduleTrigger.retryConfig,
      "a sweep is never retried: the next one comes",
    ).to.deep.equal({});
    return { schedule: scheduleTrigger.schedule };
  }
  return httpsTrigger ? { https: true } : undefined;
}

function manifestOf(discovery: Awaited<ReturnType<typeof discoverFunctions>>): FunctionsManifest {
  if (!discovery.ok) throw new Error(`discovery failed (${discovery.status}): ${discovery.body}`);
  return discovery.manifest;
}

describe("the deployed manifest: what firebase deploy reads from the functions", function () {
  this.timeout(60_000);
  let inRegion: FunctionsManifest;
  let byDefault: FunctionsManifest;

  before(async () => {
    assertLibBuilt();
    [inRegion, byDefault] = await Promise.all([
      discoverFunctions({ FUNCTIONS_REGION: "southamerica-east1" }).then(manifestOf),
      discoverFunctions({}).then(manifestOf),
    ]);
  });

  it("declares the seven functions, each with its trigger, limits and timeout", () => {
    expect(Object.keys(inRegion.endpoints).sort()).to.deep.equal([...NAMES].sort());
    for (const name of NAMES) {
      const endpoint = inRegion.endpoints[name];
      const expected = EXPECTED[name];
      expect(triggerOf(endpoint), name).to.deep.equal(expected.trigger);
      expect(endpoint, name).to.deep.include({
        platform: "gcfv2",
        availableMemoryMb: expected.memoryMb,
        timeoutSeconds: FUNCTION_TIMEOUT_SECONDS[name],
        concurrency: expected.concurrency,
        maxInstances: expected.maxInstances,
      });
    }
  });

  it("binds each function's secrets from FUNCTION_SECRETS, and nothing else", () => {
    for (const name of NAMES) {
      const bound = (inRegion.endpoints[name].secretEnvironmentVariables ?? []).map((s) => s.key);
      expect(bound, name).to.deep.equal(FUNCTION_SECRETS[name].map((s) => s.name));
    }
  });

  it("declares no param but the secrets: deploy asks for nothing else, the emulator writes nothing", () => {
    const secrets = Object.entries(ENV_SPEC)
      .filter(([, spec]) => spec.kind === "secret")
      .map(([name]) => ({ name, type: "secret" }));
    expect(inRegion.params ?? []).to.have.deep.members(secrets);
    expect(inRegion.params ?? []).to.have.length(secrets.length);
  });

  it("puts every function in FUNCTIONS_REGION, and declares no region when it is unset (Firebase's placement)", () => {
    for (const name of NAMES) {
      expect(inRegion.endpoints[name].region, name).to.deep.equal(["southamerica-east1"]);
      expect(byDefault.endpoints[name], name).to.not.have.property("region");
    }
  });

  it("under the Functions emulator puts every function in us-central1, where the Hosting emulator sends the rewrites", async () => {
    const emulated = manifestOf(
      await discoverFunctions({ FUNCTIONS_REGION: "europe-west3", FUNCTIONS_EMULATOR: "true" }),
    );
    for (const name of NAMES) {
      expect(emulated.endpoints[name].region, name).to.deep.equal(["us-central1"]);
    }
  });

  it("an invalid FUNCTIONS_REGION fails discovery naming the variable and the allowed regions", async () => {
    const discovery = await discoverFunctions({ FUNCTIONS_REGION: "mars-north1" });
    expect(discovery.ok).to.equal(false);
    expect(discovery).to.deep.include({ status: 400 });
    expect(discovery.ok ? "" : discovery.body).to.contain(
      `FUNCTIONS_REGION must be one of auto, ${CLOUD_FUNCTIONS_REGIONS.join(", ")}; got "mars-north1".`,
    );
  });

  it("firebase.json's Hosting rewrites reach aiHealth and aiConsole without naming a region", () => {
    const firebaseJson = JSON.parse(readFileSync(join(FUNCTIONS_DIR, "../firebase.json"), "utf8"));
    const rewrites = (firebaseJson.hosting.rewrites as Record<string, unknown>[]).filter(
      (rewrite) => "function" in rewrite,
    );
    // No `region`: deploy then points each rewrite at the function's own region.
    expect(rewrites).to.deep.equal([
      { source: "/api/ai/health", function: { functionId: "aiHealth" } },
      { source: "/api/ai/console", function: { functionId: "aiConsole" } },
    ]);
    for (const rewrite of rewrites) {
      const { functionId } = rewrite.function as { functionId: string };
      expect(inRegion.endpoints[functionId]?.httpsTrigger, functionId).to.deep.equal({});
    }
  });

  it("firebase.json checks the deployed environment after the build, before deploy reads it", () => {
    const firebaseJson = JSON.parse(readFileSync(join(FUNCTIONS_DIR, "../firebase.json"), "utf8"));
    expect(firebaseJson.functions[0].predeploy).to.deep.equal([
      'npm --prefix "$RESOURCE_DIR" run build',
      'npm --prefix "$RESOURCE_DIR" run -s deploy:check-env',
    ]);
  });
});
