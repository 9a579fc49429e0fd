/*
 * Loaded with `node --require` in front of firebase-tools by `npm run emulators` (and the
 * emulator-suite tests), never by a plain `firebase emulators:start`. Each adjustment is asked
 * for by one environment variable that startEmulatorSuite sets, and each checks that the
 * firebase-tools internals it touches still look as expected, failing loudly otherwise (the
 * version is pinned in package-lock.json).
 *
 * - EMULATOR_SUITE_JAVA_FLOOR: firebase-tools 15 refuses Java below 21 for every Java emulator,
 *   yet the gcloud components it is pointed at run on Java 17.
 * - EMULATOR_SUITE_UI=off: the Emulator UI is a download; where it cannot be had, the suite
 *   starts without it instead of failing.
 * - EMULATOR_SUITE_FUNCTIONS_ENV: JSON of variables the launcher decided (the simulated LM
 *   Studio's URL) that win over the functions' .env files, which the Functions emulator
 *   otherwise puts above the shell's environment.
 * - EMULATOR_SUITE_SCHEDULES=pubsub: firebase-tools subscribes each scheduled function to the
 *   Pub/Sub topic `firebase-schedule-<name>`, but a 2nd-gen one is an HTTP function (Cloud
 *   Scheduler calls it over HTTP), and its Pub/Sub emulator refuses to deliver to it
 *   ("Unsupported trigger signature: http", firebase-tools issue #2034). A message on that topic
 *   then calls the function as Cloud Scheduler does: a POST with Cloud Scheduler's headers.
 */
const FIREBASE_TOOLS = "firebase-tools/lib/emulator";

function internal<T extends object>(module: string, name: string, kind: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(`${FIREBASE_TOOLS}/${module}`) as Record<string, unknown>;
  if (typeof loaded[name] !== kind) {
    throw new Error(
      `firebase-tools changed: ${module}.${name} is not a ${kind}. The emulator suite's adjustments (functions/dev/emulatorSuite/firebaseToolsPreload.ts) need updating.`,
    );
  }
  return loaded as T;
}

const floor = process.env.EMULATOR_SUITE_JAVA_FLOOR;
if (floor) {
  const commandUtils = internal<{ MIN_SUPPORTED_JAVA_MAJOR_VERSION: number }>(
    "commandUtils",
    "MIN_SUPPORTED_JAVA_MAJOR_VERSION",
    "number",
  );
  commandUtils.MIN_SUPPORTED_JAVA_MAJOR_VERSION = Number(floor);
}

if (process.env.EMULATOR_SUITE_UI === "off") {
  type StartAll = (options: unknown, showUI?: boolean, runningTestScript?: boolean) => unknown;
  const controller = internal<{ startAll: StartAll }>("controller", "startAll", "function");
  const startAll = controller.startAll;
  controller.startAll = (options, _showUI, runningTestScript) =>
    startAll(options, false, runningTestScript);
}

const functionsEnv = process.env.EMULATOR_SUITE_FUNCTIONS_ENV;
if (functionsEnv) {
  const overrides = JSON.parse(functionsEnv) as Record<string, string>;
  type RuntimeEnvs = (this: unknown, ...args: unknown[]) => Record<string, string>;
  const { FunctionsEmulator } = internal<{
    FunctionsEmulator: { prototype: { getRuntimeEnvs: RuntimeEnvs } };
  }>("functionsEmulator", "FunctionsEmulator", "function");
  const getRuntimeEnvs = FunctionsEmulator.prototype.getRuntimeEnvs;
  if (typeof getRuntimeEnvs !== "function") {
    throw new Error("firebase-tools changed: FunctionsEmulator.getRuntimeEnvs is gone.");
  }
  FunctionsEmulator.prototype.getRuntimeEnvs = function (...args) {
    return { ...getRuntimeEnvs.apply(this, args), ...overrides };
  };
}

if (process.env.EMULATOR_SUITE_SCHEDULES === "pubsub") {
  interface PubsubMessage {
    id: string;
    publishTime: Date;
    ack(): void;
  }
  interface PubsubEmulatorThis {
    args: { projectId: string };
    triggersForTopic: Map<string, { triggerKey: string; signatureType: string }[]>;
    client: { post(path: string, body: unknown, options: unknown): Promise<unknown> };
    logger: { logLabeled(level: string, label: string, text: string): void };
    ensureFunctionsClient(): void;
  }
  type OnMessage = (
    this: PubsubEmulatorThis,
    topic: string,
    message: PubsubMessage,
  ) => Promise<void>;
  const { PubsubEmulator } = internal<{ PubsubEmulator: { prototype: { onMessage: OnMessage } } }>(
    "pubsubEmulator",
    "PubsubEmulator",
    "function",
  );
  const onMessage = PubsubEmulator.prototype.onMessage;
  const prototype = PubsubEmulator.prototype as unknown as Record<string, unknown>;
  for (const method of ["onMessage", "ensureFunctionsClient"]) {
    if (typeof prototype[method] !== "function") {
      throw new Error(`firebase-tools changed: PubsubEmulator.${method} is gone.`);
    }
  }
  PubsubEmulator.prototype.onMessage = async function (topic, message) {
    const triggers = this.triggersForTopic.get(topic) ?? [];
    if (
      !topic.startsWith("firebase-schedule-") ||
      triggers.some((t) => t.signatureType !== "http")
    ) {
      return onMessage.call(this, topic, message);
    }
    this.ensureFunctionsClient();
    const jobName = `projects/${this.args.projectId}/locations/local/jobs/${topic}`;
    for (const { triggerKey } of triggers) {
      try {
        await this.client.post(
          `/functions/projects/${this.args.projectId}/triggers/${triggerKey}`,
          {},
          {
            headers: {
              "X-CloudScheduler": "true",
              "X-CloudScheduler-JobName": jobName,
              "X-CloudScheduler-ScheduleTime": message.publishTime.toISOString(),
            },
          },
        );
      } catch (err) {
        this.logger.logLabeled("WARN", "pubsub", `${triggerKey}: ${(err as Error).message}`);
      }
    }
    message.ack();
  };
}
